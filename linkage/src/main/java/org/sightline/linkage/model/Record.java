package org.sightline.linkage.model;

import java.util.Arrays;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One input record: an id unique across the whole input, the source (file or agency) it came from, and the raw
 * value of every configured field, in the order of {@code LinkageConfig.fields()} (null or blank = missing).
 */
public record Record(String id, String source, @Nullable String[] values) {
    public Record {
        Objects.requireNonNull(id, "id");
        source = source == null ? "" : source;
        values = values.clone();
    }

    /** The raw value of field {@code index}; null when missing. */
    public @Nullable String value(int index) {
        return values[index];
    }

    @Override
    public @Nullable String[] values() {
        return values.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Record r && r.id.equals(id) && r.source.equals(source) && Arrays.equals(r.values, values);
    }

    @Override
    public int hashCode() {
        return 31 * id.hashCode() + Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        return "Record[" + id + "]"; // no field values: logs must not carry personal data
    }
}
