package org.sightline.shared;

/** Typed text inside an SQL {@code LIKE} pattern: its wildcards and PostgreSQL's default escape taken literally. */
public final class Like {

    private Like() {}

    public static String escape(String s) {
        return s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    /** Rows whose text contains what was typed. */
    public static String containing(String s) {
        return "%" + escape(s) + "%";
    }
}
