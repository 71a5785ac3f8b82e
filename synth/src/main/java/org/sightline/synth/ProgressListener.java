package org.sightline.synth;

/** Told how many children are done; called from the generating thread, often, so keep it cheap. */
@FunctionalInterface
public interface ProgressListener {

    ProgressListener NONE = (done, total) -> {};

    void progress(long childrenDone, long childrenTotal);
}
