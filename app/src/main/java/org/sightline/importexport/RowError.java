package org.sightline.importexport;

/** One broken rule on one row: the code, the line of the file, the column and a message that never echoes the value. */
public record RowError(String code, long line, String column, String message) {

    public static RowError of(ImportError error, long line, String column, String detail) {
        return new RowError(error.name(), line, column, detail == null ? error.description() : detail);
    }
}
