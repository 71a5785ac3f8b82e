package org.sightline.linkage;

import org.jspecify.annotations.Nullable;

/** A record whose value breaks its field's rules; carries the record's position in the input and the field. */
public class RecordException extends IllegalArgumentException {
    /** {@link #field()} when the record's id, not a field, is at fault (e.g. used twice). */
    public static final String ID_FIELD = "(record id)";

    private final int recordIndex;
    private final String recordId;
    private final String field;
    private final String reason;

    public RecordException(int recordIndex, String recordId, String field, @Nullable String message) {
        super("record " + recordId + ", field " + field + ": " + message);
        this.recordIndex = recordIndex;
        this.recordId = recordId;
        this.field = field;
        this.reason = String.valueOf(message);
    }

    public int recordIndex() {
        return recordIndex;
    }

    public String recordId() {
        return recordId;
    }

    public String field() {
        return field;
    }

    /** The rule broken, without the record prefix (kept apart: an id may itself hold ": "). */
    public String reason() {
        return reason;
    }
}
