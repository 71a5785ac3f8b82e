package org.sightline.ssda903;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.ResolverStyle;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * SSDA903 dates are dd/mm/yyyy; files produced by spreadsheets sometimes drop a leading zero, which we accept.
 * Files also come with yyyy-mm-dd dates (database exports) and, from US-set spreadsheets, mm/dd/yyyy. A file's
 * date format is detected from all of its dates before any row is read: yyyy-mm-dd is converted, month-first
 * or mixed files are refused whole, because reading them as dd/mm/yyyy would swap day and month silently.
 */
final class Ssda903Dates {

    private static final Pattern SHAPE = Pattern.compile("\\d{1,2}/\\d{1,2}/\\d{4}");
    private static final Pattern ISO = Pattern.compile("(\\d{4})-(\\d{1,2})-(\\d{1,2})");
    /** dd/mm/yy, as spreadsheets write a date whose cell format drops the century (the validator's sample DEC). */
    private static final Pattern TWO_DIGIT_YEAR = Pattern.compile("(\\d{1,2})/(\\d{1,2})/(\\d{2})");

    private static final DateTimeFormatter READ =
            DateTimeFormatter.ofPattern("d/M/uuuu").withResolverStyle(ResolverStyle.STRICT);
    private static final DateTimeFormatter WRITE = DateTimeFormatter.ofPattern("dd/MM/uuuu");

    private Ssda903Dates() {}

    static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    /** The date, or empty when blank or not a real dd/mm/yyyy date. */
    static Optional<LocalDate> parse(String s) {
        if (blank(s) || !SHAPE.matcher(s.strip()).matches()) {
            return Optional.empty();
        }
        try {
            return Optional.of(LocalDate.parse(s.strip(), READ));
        } catch (java.time.format.DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** Given but not a real date. */
    static boolean invalid(String s) {
        return !blank(s) && parse(s).isEmpty();
    }

    static String format(LocalDate d) {
        return d == null ? "" : WRITE.format(d);
    }

    /** How a file writes its dates. */
    enum Format {
        DAY_FIRST,
        ISO
    }

    /** Where a date of one shape was seen: enough to name it in a message without showing the value. */
    private record Seen(int line, String field) {
        @Override
        public String toString() {
            return "line " + line + " " + field;
        }
    }

    /** Collects a file's dates and decides its format; refuses the file when that cannot be done with certainty. */
    static final class Detector {
        private final String file;
        private Seen iso;
        private Seen slash;
        private Seen dayFirst;
        private Seen monthFirst;
        private int slashes;

        Detector(String file) {
            this.file = file;
        }

        void see(int line, String field, String value) {
            if (blank(value)) {
                return;
            }
            String v = value.strip();
            if (ISO.matcher(v).matches()) {
                iso = iso == null ? new Seen(line, field) : iso;
            } else if (SHAPE.matcher(v).matches() || TWO_DIGIT_YEAR.matcher(v).matches()) {
                slashes++;
                slash = slash == null ? new Seen(line, field) : slash;
                String[] parts = v.split("/");
                int first = Integer.parseInt(parts[0]);
                int second = Integer.parseInt(parts[1]);
                if (first > 12 && second <= 12 && dayFirst == null) {
                    dayFirst = new Seen(line, field);
                }
                if (second > 12 && first <= 12 && monthFirst == null) {
                    monthFirst = new Seen(line, field);
                }
            }
        }

        /** The format; null when the file has no dates at all. */
        Format decide() {
            if (iso != null && slash != null) {
                throw new Ssda903FileException(
                        file,
                        0,
                        "dates are written two ways (yyyy-mm-dd at " + iso + ", dd/mm/yyyy at " + slash
                                + "): save every date in one format and import again");
            }
            if (monthFirst != null && dayFirst != null) {
                throw new Ssda903FileException(
                        file,
                        0,
                        "dates are inconsistent: " + dayFirst
                                + " can only be day first (dd/mm/yyyy) but " + monthFirst
                                + " can only be month first (mm/dd/yyyy); correct them and import again");
            }
            if (monthFirst != null) {
                throw new Ssda903FileException(
                        file,
                        0,
                        "dates are month first (mm/dd/yyyy): " + monthFirst
                                + " has a month above 12 when read as dd/mm/yyyy. SSDA903 dates are dd/mm/yyyy: save the file "
                                + "with dates as dd/mm/yyyy or yyyy-mm-dd and import again; nothing was imported");
            }
            return iso != null ? Format.ISO : slash != null ? Format.DAY_FIRST : null;
        }

        /** True when no date could tell day-first from month-first: the DfE format, dd/mm/yyyy, is assumed. */
        boolean assumedDayFirst() {
            return slashes > 0 && dayFirst == null;
        }
    }

    /**
     * A day-first date with a two-digit year as dd/mm/yyyy, or null when the value is not of that shape. The century
     * is certain for an SSDA903 return: every date in it (births of children and their mothers' children, care, missing
     * periods) falls within 90 years before the collection year's end and 10 after, and only one century puts yy
     * there.
     */
    static String expandTwoDigitYear(String value, CollectionYear year) {
        var m = TWO_DIGIT_YEAR.matcher(value.strip());
        if (!m.matches()) {
            return null;
        }
        int yy = Integer.parseInt(m.group(3));
        int full = 2000 + yy > year.endYear() + 10 ? 1900 + yy : 2000 + yy;
        return m.group(1) + "/" + m.group(2) + "/" + full;
    }

    /** The value as dd/mm/yyyy text when the file writes yyyy-mm-dd and it is a real date; otherwise unchanged. */
    static String normalise(String value, Format format) {
        if (format != Format.ISO || blank(value)) {
            return value;
        }
        var m = ISO.matcher(value.strip());
        if (!m.matches()) {
            return value;
        }
        try {
            return format(LocalDate.of(
                    Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3))));
        } catch (java.time.DateTimeException e) {
            return value;
        }
    }
}
