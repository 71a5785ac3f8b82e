package org.sightline.ssda903;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.ResolverStyle;
import java.util.Optional;
import java.util.regex.Pattern;

/** SSDA903 dates are dd/mm/yyyy; files produced by spreadsheets sometimes drop a leading zero, which we accept. */
final class Ssda903Dates {

    private static final Pattern SHAPE = Pattern.compile("\\d{1,2}/\\d{1,2}/\\d{4}");
    private static final DateTimeFormatter READ = DateTimeFormatter.ofPattern("d/M/uuuu").withResolverStyle(ResolverStyle.STRICT);
    private static final DateTimeFormatter WRITE = DateTimeFormatter.ofPattern("dd/MM/uuuu");

    private Ssda903Dates() {
    }

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
}
