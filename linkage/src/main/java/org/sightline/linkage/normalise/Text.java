package org.sightline.linkage.normalise;

import java.text.Normalizer;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/** Pure text normalisation helpers. */
public final class Text {
    private Text() {}

    /**
     * Lower-case, strip accents, turn punctuation into spaces (apostrophes and full stops are dropped so that
     * O'Brien = obrien and St. = st), collapse spaces. Returns null for blank input.
     */
    public static @Nullable String normaliseText(@Nullable String raw) {
        if (raw == null) {
            return null;
        }
        String s = raw.strip();
        if (s.isEmpty()) {
            return null;
        }
        boolean ascii = true;
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) > 127) {
                ascii = false;
                break;
            }
        }
        if (!ascii) {
            s = Normalizer.normalize(s, Normalizer.Form.NFD).replaceAll("\\p{M}+", "");
        }
        StringBuilder b = new StringBuilder(s.length());
        boolean space = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isLetterOrDigit(c)) {
                if (space && b.length() > 0) {
                    b.append(' ');
                }
                space = false;
                b.append(Character.toLowerCase(c));
            } else if (c == '\'' || c == '.' || c == '\u2019') {
                // dropped without a break
            } else {
                space = true;
            }
        }
        return b.length() == 0 ? null : b.toString();
    }

    /** A name: as {@link #normaliseText} and hyphens become spaces (double-barrelled names keep both parts). */
    public static @Nullable String normaliseName(@Nullable String raw) {
        return normaliseText(raw);
    }

    private static final java.util.Set<String> TITLES_AND_SUFFIXES = java.util.Set.of(
            "mr", "mrs", "miss", "ms", "mx", "master", "dr", "jr", "jnr", "junior", "sr", "snr", "senior", "ii", "iii");

    /**
     * A full name: "SMITH, Jack Peter" and "Mr Jack Peter Smith Jr" both become "jack peter smith" (the part before
     * a comma is the family name and moves to the end; titles and suffixes go); null when nothing is left.
     */
    public static @Nullable String normaliseFullName(@Nullable String raw) {
        if (raw == null) {
            return null;
        }
        String s = raw;
        int comma = s.indexOf(',');
        if (comma > 0) {
            s = s.substring(comma + 1) + " " + s.substring(0, comma);
        }
        String t = normaliseText(s);
        if (t == null) {
            return null;
        }
        StringBuilder b = new StringBuilder(t.length());
        for (String w : t.split(" ")) {
            if (!TITLES_AND_SUFFIXES.contains(w)) {
                b.append(b.length() == 0 ? "" : " ").append(w);
            }
        }
        return b.length() == 0 ? null : b.toString();
    }

    /** UK postcode: upper case letters and digits only ("sw1a 1aa" becomes "SW1A1AA"); null when blank. */
    public static @Nullable String normalisePostcode(@Nullable String raw) {
        if (raw == null) {
            return null;
        }
        StringBuilder b = new StringBuilder(8);
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (Character.isLetterOrDigit(c)) {
                b.append(Character.toUpperCase(c));
            }
        }
        return b.length() == 0 ? null : b.toString();
    }

    public static @Nullable String normaliseEmail(@Nullable String raw) {
        if (raw == null) {
            return null;
        }
        String s = raw.strip().toLowerCase(Locale.ROOT);
        return s.isEmpty() ? null : s;
    }

    public static @Nullable String normaliseCode(@Nullable String raw) {
        if (raw == null) {
            return null;
        }
        String s = raw.strip().toLowerCase(Locale.ROOT);
        return s.isEmpty() ? null : s;
    }

    /** The letters of a name without spaces, for phonetic coding. */
    static String lettersOnly(String name) {
        StringBuilder b = new StringBuilder(name.length());
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c >= 'a' && c <= 'z') {
                b.append(c);
            }
        }
        return b.toString();
    }
}
