package org.sightline.linkage;

/** A record whose value breaks its field's rules; carries the record's position in the input and the field. */
public class RecordException extends IllegalArgumentException {
    private final int recordIndex;
    private final String recordId;
    private final String field;

    public RecordException(int recordIndex, String recordId, String field, String message) {
        super("record " + recordId + ", field " + field + ": " + message);
        this.recordIndex = recordIndex;
        this.recordId = recordId;
        this.field = field;
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

    /** The rule broken, without the record prefix. */
    public String reason() {
        String m = getMessage();
        return m.substring(m.indexOf(": ") + 2);
    }
}
