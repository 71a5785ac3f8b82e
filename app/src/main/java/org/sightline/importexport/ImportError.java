package org.sightline.importexport;

/**
 * Coded import errors (DHIS2 style): stable codes clients and people can act on, one catalogue for every layout
 * (the standard kinds and the {@link ImportTable}s such as SSDA903's). Row errors quarantine the row; E1000 is the
 * only file-level error (the file cannot be read as CSV at all past some line).
 */
public enum ImportError {
    E1000("file-unreadable", "the file cannot be read as CSV"),
    E1001("missing-column", "a required column is missing from the header"),
    E1002("required", "a required value is blank"),
    E1003("date-format", "not a valid date or date-time in the expected format"),
    E1004("code-list", "value not in the code list"),
    E1005("unknown-record", "no person record with this record_ref in the agency: import person records first"),
    E1006("agency-mismatch", "agency_code differs from the importing agency"),
    E1007("duplicate-ref", "the same row reference appears earlier in the file"),
    E1008("field-count", "the row has a different number of fields from the header"),
    E1009("too-long", "value longer than " + ImportKind.MAX_VALUE_LENGTH + " characters"),
    E1010("encoding", "bytes that are not valid UTF-8 (save the file as UTF-8)"),
    E1011("control-characters", "control characters are not allowed"),
    E1012("date-order", "dates in the wrong order"),
    E1013("database-rejected", "the database refused the row"),
    E1014("future-date", "a date of birth cannot be in the future"),
    E1015("held", "held because a row it depends on was refused: correct that row, then replay this one"),
    E1016(
            "unknown-reference",
            "no row of the named kind with this reference in the agency: import that kind first, or correct the"
                    + " reference");

    private final String rule;
    private final String description;

    ImportError(String rule, String description) {
        this.rule = rule;
        this.description = description;
    }

    public String rule() {
        return rule;
    }

    public String description() {
        return description;
    }
}
