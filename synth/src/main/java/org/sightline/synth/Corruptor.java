package org.sightline.synth;

import java.time.DateTimeException;
import java.time.LocalDate;
import org.jspecify.annotations.Nullable;

/** The error operations applied to agency records (see {@link ErrorProfile} for their rates). */
final class Corruptor {

    private Corruptor() {}

    private static final String[] KEYBOARD = {"qwertyuiop", "asdfghjkl", "zxcvbnm"};

    /** One keyboard-style typo: insert, delete, substitute (neighbouring key) or transpose. */
    static String typo(Rnd rnd, String s) {
        if (s.length() < 3) {
            return s;
        }
        int i = rnd.between(1, s.length() - 1); // first letter usually right, as in real data
        char c = s.charAt(i);
        StringBuilder sb = new StringBuilder(s);
        switch (rnd.nextInt(4)) {
            case 0 -> sb.insert(i, matchCase(c, neighbour(rnd, Character.toLowerCase(c))));
            case 1 -> sb.deleteCharAt(i);
            case 2 -> sb.setCharAt(i, matchCase(c, neighbour(rnd, Character.toLowerCase(c))));
            default -> {
                if (i + 1 < s.length()) {
                    sb.setCharAt(i, s.charAt(i + 1));
                    sb.setCharAt(i + 1, c);
                } else {
                    sb.setCharAt(i, s.charAt(i - 1));
                    sb.setCharAt(i - 1, c);
                }
            }
        }
        String out = sb.toString();
        return out.equals(s) ? s + Character.toLowerCase(s.charAt(s.length() - 1)) : out;
    }

    private static char matchCase(char like, char c) {
        return Character.isUpperCase(like) ? Character.toUpperCase(c) : c;
    }

    private static char neighbour(Rnd rnd, char c) {
        for (String row : KEYBOARD) {
            int p = row.indexOf(c);
            if (p >= 0) {
                if (p == 0) {
                    return row.charAt(1);
                }
                if (p == row.length() - 1) {
                    return row.charAt(p - 1);
                }
                return row.charAt(rnd.chance(0.5) ? p - 1 : p + 1);
            }
        }
        return 'e';
    }

    /**
     * A phonetic respelling: a listed alternative spelling when there is one, otherwise a
     * sound-preserving rewrite (ph/f, double/single letters, -ie/-y endings), or the name unchanged.
     */
    static String respell(Rnd rnd, String name) {
        String[] alts = Names.get().spellings(name);
        if (alts.length > 0) {
            return rnd.pick(alts);
        }
        String[][] rules = {
            {"ph", "f"},
            {"ie", "y"},
            {"y", "ie"},
            {"ll", "l"},
            {"nn", "n"},
            {"tt", "t"},
            {"ck", "k"},
            {"ee", "ea"},
            {"ai", "ay"},
            {"ou", "ow"},
            {"k", "c"},
            {"z", "s"},
            {"th", "t"}
        };
        int start = rnd.nextInt(rules.length);
        for (int k = 0; k < rules.length; k++) {
            String[] r = rules[(start + k) % rules.length];
            int p = name.indexOf(r[0], 1);
            if (p > 0) {
                return name.substring(0, p) + r[1] + name.substring(p + r[0].length());
            }
        }
        return name;
    }

    /** Swaps day and month when the result is a different valid date, else returns null. */
    static @Nullable LocalDate dayMonthSwap(LocalDate d) {
        if (d.getDayOfMonth() > 12 || d.getDayOfMonth() == d.getMonthValue()) {
            return null;
        }
        return LocalDate.of(d.getYear(), d.getDayOfMonth(), d.getMonthValue());
    }

    /** Changes one digit of the day, month or last two digits of the year, keeping a valid date. */
    static LocalDate digitError(Rnd rnd, LocalDate d) {
        for (int tries = 0; tries < 8; tries++) {
            int y = d.getYear();
            int m = d.getMonthValue();
            int day = d.getDayOfMonth();
            switch (rnd.nextInt(3)) {
                case 0 -> day = (day / 10) * 10 + rnd.nextInt(10);
                case 1 -> y = (y / 10) * 10 + rnd.nextInt(10);
                default -> m = m < 10 ? rnd.between(1, 9) : 10 + rnd.nextInt(3);
            }
            try {
                LocalDate out = LocalDate.of(y, m, day);
                if (!out.equals(d)) {
                    return out;
                }
            } catch (DateTimeException e) {
                // not a real date: try another digit
            }
        }
        return d.plusDays(1);
    }

    private static final String INWARD = "ABDEFGHJLNPQRSTUWXYZ";

    /** A postcode keying error: one inward letter replaced or the inward digits/letters transposed. */
    static String postcodeTypo(Rnd rnd, String pc) {
        int len = pc.length();
        if (len < 6) {
            return pc;
        }
        char[] c = pc.toCharArray();
        if (rnd.chance(0.5)) {
            c[len - 1] = INWARD.charAt(rnd.nextInt(INWARD.length()));
        } else {
            char t = c[len - 1];
            c[len - 1] = c[len - 2];
            c[len - 2] = t;
        }
        String out = new String(c);
        return out.equals(pc) ? pc.substring(0, len - 1) + (pc.charAt(len - 1) == 'A' ? 'B' : 'A') : out;
    }
}
