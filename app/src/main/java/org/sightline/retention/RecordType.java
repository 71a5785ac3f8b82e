package org.sightline.retention;

import java.util.Arrays;
import java.util.Optional;

/** The record types with a review date; {@code code} is what the database, URLs, the audit and the command use. */
public enum RecordType {
    PERSON_RECORD("person_record"),
    MISSING_EPISODE("missing_episode"),
    CONCERN("concern"),
    IMPORT_RUN("import_run"),
    ADULT("adult");

    final String code;

    RecordType(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }

    static Optional<RecordType> fromCode(String code) {
        return Arrays.stream(values()).filter(t -> t.code.equals(code)).findFirst();
    }
}
