package org.sightline.synth;

import java.time.LocalDate;

/** Fast, allocation-light formatting of dates and instants (the hot path formats millions). */
final class Fmt {

    static final long DAY = 86_400L;
    static final long HOUR = 3_600L;

    private Fmt() {}

    /** ISO-8601 UTC instant to the second, e.g. {@code 2025-03-01T10:15:00Z}. */
    static String instant(long epochSecond) {
        long days = Math.floorDiv(epochSecond, DAY);
        int secs = (int) Math.floorMod(epochSecond, DAY);
        LocalDate d = LocalDate.ofEpochDay(days);
        StringBuilder sb = new StringBuilder(20);
        appendDate(sb, d.getYear(), d.getMonthValue(), d.getDayOfMonth());
        sb.append('T');
        pad2(sb, secs / 3600);
        sb.append(':');
        pad2(sb, (secs / 60) % 60);
        sb.append(':');
        pad2(sb, secs % 60);
        sb.append('Z');
        return sb.toString();
    }

    static String date(LocalDate d) {
        StringBuilder sb = new StringBuilder(10);
        appendDate(sb, d.getYear(), d.getMonthValue(), d.getDayOfMonth());
        return sb.toString();
    }

    static String dateOfEpochSecond(long epochSecond) {
        return date(LocalDate.ofEpochDay(Math.floorDiv(epochSecond, DAY)));
    }

    static void appendDate(StringBuilder sb, int y, int m, int d) {
        sb.append(y).append('-');
        pad2(sb, m);
        sb.append('-');
        pad2(sb, d);
    }

    static void pad2(StringBuilder sb, int v) {
        if (v < 10) {
            sb.append('0');
        }
        sb.append(v);
    }

    static String pad(long v, int width) {
        String s = Long.toString(v);
        if (s.length() >= width) {
            return s;
        }
        return "0".repeat(width - s.length()) + s;
    }

    static long epochSecond(LocalDate d) {
        return d.toEpochDay() * DAY;
    }

    static LocalDate dateOf(long epochSecond) {
        return LocalDate.ofEpochDay(Math.floorDiv(epochSecond, DAY));
    }
}
