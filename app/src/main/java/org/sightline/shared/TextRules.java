package org.sightline.shared;

/**
 * The one rule every text field follows, wherever it comes from (form, API, CSV): no control characters other than
 * tab and line breaks (NUL cannot even be stored by PostgreSQL), and no bidirectional overrides, embeddings or
 * isolates (U+202A–U+202E, U+2066–U+2069), which make text display differently from what it holds.
 */
public final class TextRules {

    public static final String RULE = "control-characters";
    public static final String MESSAGE = "must not contain control characters or bidirectional overrides";

    private TextRules() {}

    public static boolean allowed(char c) {
        if (c < 0x20) {
            return c == '\t' || c == '\n' || c == '\r';
        }
        return !(c == 0x7F
                || c >= 0x80 && c <= 0x9F
                || c >= '\u202A' && c <= '\u202E'
                || c >= '\u2066' && c <= '\u2069');
    }

    public static boolean clean(String value) {
        if (value == null) {
            return true;
        }
        for (int i = 0; i < value.length(); i++) {
            if (!allowed(value.charAt(i))) {
                return false;
            }
        }
        return true;
    }
}
