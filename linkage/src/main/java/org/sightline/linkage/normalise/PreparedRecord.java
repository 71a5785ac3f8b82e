package org.sightline.linkage.normalise;

import org.jspecify.annotations.Nullable;

/**
 * A record after normalisation: what comparisons and blocking rules read. Immutable once built. Fields are indexed
 * as in {@code LinkageConfig.fields()}.
 */
public final class PreparedRecord {
    private final String id;
    private final int source;
    private final @Nullable String[] values;
    private final @Nullable String[] phonetic;
    private final int[][] nicknames;

    PreparedRecord(String id, int source, @Nullable String[] values, @Nullable String[] phonetic, int[][] nicknames) {
        this.id = id;
        this.source = source;
        this.values = values;
        this.phonetic = phonetic;
        this.nicknames = nicknames;
    }

    public String id() {
        return id;
    }

    /** Index of the record's source in the order sources were first seen. */
    public int source() {
        return source;
    }

    /** Normalised value of a field, null when missing. Dates are digits: yyyymmdd, yyyymm or yyyy. */
    public @Nullable String value(int field) {
        return values[field];
    }

    public int fieldCount() {
        return values.length;
    }

    /** Double Metaphone code of a name field; null for other fields or when missing. */
    public @Nullable String phonetic(int field) {
        return phonetic[field];
    }

    /** Nickname group ids of a given-name field (sorted, maybe empty). */
    public int[] nicknames(int field) {
        return nicknames[field];
    }

    @Override
    public String toString() {
        return "PreparedRecord[" + id + "]";
    }
}
