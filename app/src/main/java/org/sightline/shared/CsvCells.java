package org.sightline.shared;

import java.util.List;

/**
 * Cells of every CSV Sightline writes for people to open: a value that a spreadsheet would run as a formula (it starts
 * with =, +, -, @, a tab or a carriage return) is prefixed with an apostrophe, so it is shown, never executed (OWASP
 * "CSV injection"). Applied at the point of writing, so stored data is never changed.
 */
public final class CsvCells {

    private CsvCells() {}

    public static String neutralise(String value) {
        if (value == null || value.isEmpty()) {
            return value;
        }
        char first = value.charAt(0);
        return first == '=' || first == '+' || first == '-' || first == '@' || first == '\t' || first == '\r'
                ? "'" + value
                : value;
    }

    public static List<String> neutralise(List<String> values) {
        return values.stream().map(CsvCells::neutralise).toList();
    }
}
