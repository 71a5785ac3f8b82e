package org.sightline.linkage;

/** Receives coarse progress from a batch run (called from the calling thread). */
@FunctionalInterface
public interface ProgressListener {
    ProgressListener NONE = (stage, fraction) -> {};

    /**
     * @param stage    what the engine is doing ("prepare", "block", "train", "score", "cluster")
     * @param fraction overall fraction done, 0 to 1
     */
    void progress(String stage, double fraction);
}
