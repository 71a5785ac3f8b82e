package org.sightline.linkage;

import java.util.Locale;

/**
 * The run would not fit in this JVM's heap: raised after blocking has been planned and before any candidate pair is
 * made (seconds into the run, not minutes), with the heap the run needs.
 */
public final class NotEnoughMemoryException extends RuntimeException {
    private final long estimatedPairs;
    private final long neededBytes;
    private final long maxBytes;

    public NotEnoughMemoryException(long estimatedPairs, long neededBytes, long maxBytes) {
        super(String.format(
                Locale.ROOT,
                "about %,d candidate pairs need about %.1f GB of heap; this JVM may use %.1f GB (run java with %s)",
                estimatedPairs,
                neededBytes / 1e9,
                maxBytes / 1e9,
                xmx(neededBytes)));
        this.estimatedPairs = estimatedPairs;
        this.neededBytes = neededBytes;
        this.maxBytes = maxBytes;
    }

    /** The -Xmx option, in whole gigabytes rounded up, for a heap of this size. */
    public static String xmx(long bytes) {
        return "-Xmx" + Math.max(1, (bytes + (1L << 30) - 1) >> 30) + "g";
    }

    public long estimatedPairs() {
        return estimatedPairs;
    }

    public long neededBytes() {
        return neededBytes;
    }

    public long maxBytes() {
        return maxBytes;
    }
}
