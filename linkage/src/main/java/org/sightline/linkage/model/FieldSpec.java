package org.sightline.linkage.model;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A named field of the records being linked.
 *
 * @param name        the name comparisons and blocking rules refer to
 * @param type        how values are normalised
 * @param dateFormat  for {@link FieldType#DATE}: the layout of full dates, e.g. {@code yyyy-MM-dd} or {@code yyyyMMdd};
 *                    partial dates {@code yyyy-MM} and {@code yyyy} are accepted when the layout has separators
 * @param invalidDate what to do with a date value that does not fit the layout
 * @param missingValues values that mean "not known" and are treated as missing after normalisation (e.g. a sex
 *                      recorded as "unknown" must not agree with another "unknown" or disagree with "male")
 */
public record FieldSpec(
        String name,
        FieldType type,
        @Nullable String dateFormat,
        InvalidDatePolicy invalidDate,
        java.util.Set<String> missingValues) {
    public FieldSpec(String name, FieldType type, @Nullable String dateFormat, InvalidDatePolicy invalidDate) {
        this(name, type, dateFormat, invalidDate, java.util.Set.of());
    }

    public FieldSpec {
        missingValues = missingValues == null ? java.util.Set.of() : java.util.Set.copyOf(missingValues);
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        if (type == FieldType.DATE && dateFormat == null) {
            dateFormat = "yyyy-MM-dd";
        }
        if (invalidDate == null) {
            invalidDate = InvalidDatePolicy.ERROR;
        }
    }

    public static FieldSpec of(String name, FieldType type) {
        return new FieldSpec(name, type, null, InvalidDatePolicy.ERROR);
    }

    /** Policy for date values that do not fit the declared layout. */
    public enum InvalidDatePolicy {
        /** Reject the input with an error naming the record and field (default: fail fast). */
        ERROR,
        /** Treat the value as missing. */
        MISSING,
        /**
         * Keep the digits when they have the layout's shape even if they are not a calendar date (FEBRL corrupts
         * dates into e.g. month 13); anything else is treated as missing.
         */
        KEEP_DIGITS
    }
}
