package org.sightline.linkage.normalise;

import java.util.List;
import java.util.Objects;
import org.apache.commons.codec.language.DoubleMetaphone;
import org.jspecify.annotations.Nullable;
import org.sightline.linkage.model.FieldSpec;
import org.sightline.linkage.model.FieldType;
import org.sightline.linkage.model.Record;

/** Turns raw {@link Record}s into {@link PreparedRecord}s. Thread-safe: holds only immutable state. */
public final class Preparer {
    private final List<FieldSpec> fields;
    private final @Nullable Dates[] dates; // null for fields that are not dates
    private final NicknameTable nicknames;

    public Preparer(List<FieldSpec> fields, NicknameTable nicknames) {
        this.fields = List.copyOf(fields);
        this.nicknames = nicknames;
        dates = new Dates[fields.size()];
        for (int i = 0; i < fields.size(); i++) {
            if (fields.get(i).type() == FieldType.DATE) {
                // FieldSpec gives every date field a format.
                dates[i] = new Dates(Objects.requireNonNull(fields.get(i).dateFormat()));
            }
        }
    }

    /** Thrown when a value breaks its field's rules; names the field. */
    public static final class BadValueException extends RuntimeException {
        private final String field;

        BadValueException(String field, @Nullable String message) {
            super(message);
            this.field = field;
        }

        public String field() {
            return field;
        }
    }

    public PreparedRecord prepare(Record r, int sourceIndex) {
        int n = fields.size();
        if (r.values().length != n) {
            throw new IllegalArgumentException("record " + r.id() + " has " + r.values().length
                    + " values but the configuration has " + n + " fields");
        }
        @Nullable String[] values = new String[n];
        @Nullable String[] phon = new String[n];
        int[][] nick = new int[n][];
        // DoubleMetaphone keeps only its configured max length; a fresh instance per call keeps this thread-safe.
        DoubleMetaphone dm = new DoubleMetaphone();
        dm.setMaxCodeLen(6);
        for (int i = 0; i < n; i++) {
            FieldSpec f = fields.get(i);
            String raw = r.value(i);
            String v;
            switch (f.type()) {
                case GIVEN_NAME, FAMILY_NAME -> v = Text.normaliseName(raw);
                case FULL_NAME -> v = Text.normaliseFullName(raw);
                case DATE -> {
                    try {
                        v = dates[i].parse(raw, f.invalidDate());
                    } catch (Dates.BadDateException e) {
                        throw new BadValueException(f.name(), e.getMessage());
                    }
                }
                case POSTCODE -> v = Text.normalisePostcode(raw);
                case EMAIL -> v = Text.normaliseEmail(raw);
                case TEXT -> v = Text.normaliseText(raw);
                default -> v = Text.normaliseCode(raw);
            }
            if (v != null && !f.missingValues().isEmpty() && f.missingValues().contains(v)) {
                v = null;
            }
            values[i] = v;
            nick[i] = NicknameTable.none();
            if (v != null && (f.type() == FieldType.GIVEN_NAME || f.type() == FieldType.FAMILY_NAME)) {
                String letters = Text.lettersOnly(v);
                phon[i] = letters.isEmpty() ? null : dm.doubleMetaphone(letters);
                if (f.type() == FieldType.GIVEN_NAME) {
                    nick[i] = nicknames.groupsOf(v);
                }
            }
        }
        return new PreparedRecord(r.id(), sourceIndex, values, phon, nick);
    }
}
