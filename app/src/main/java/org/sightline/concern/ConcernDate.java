package org.sightline.concern;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.Year;
import java.time.YearMonth;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.sightline.shared.ClockConfiguration;

/**
 * When a concern arose, as far as the source knows it: to the instant ({@code time}), a day, a month, a year, not
 * known, or not recorded (a blank in an imported file). Nothing invents the parts that are not known: a concern
 * known as "March 2024" is never shown or counted as 1 March.
 *
 * @param precision time, day, month, year, not_known or not_recorded
 * @param at the instant, for precision time only
 */
public record ConcernDate(String precision, Instant at, Integer year, Integer month, Integer day) {

    public static final String TIME = "time";
    public static final String NOT_KNOWN = "not_known";
    public static final String NOT_RECORDED = "not_recorded";

    private static final Pattern PARTIAL = Pattern.compile("(\\d{4})(?:-(\\d{1,2})(?:-(\\d{1,2}))?)?");

    public static ConcernDate at(Instant at) {
        LocalDate d = LocalDate.ofInstant(at, ClockConfiguration.DISPLAY_ZONE);
        return new ConcernDate(TIME, at, d.getYear(), d.getMonthValue(), d.getDayOfMonth());
    }

    /** The stored date: columns raised_precision, raised_at, raised_year, raised_month, raised_day. */
    static ConcernDate of(ResultSet rs) throws SQLException {
        Timestamp at = rs.getTimestamp("raised_at");
        return new ConcernDate(
                rs.getString("raised_precision"),
                at == null ? null : at.toInstant(),
                rs.getObject("raised_year", Integer.class),
                rs.getObject("raised_month", Integer.class),
                rs.getObject("raised_day", Integer.class));
    }

    /**
     * A date as a person or a client gives it: {@code yyyy-mm-dd}, {@code yyyy-mm}, {@code yyyy} or
     * {@code not_known}. Throws {@link IllegalArgumentException} for anything else, or a date that does not exist.
     */
    public static ConcernDate parse(String text) {
        String v = text == null ? "" : text.strip();
        if (v.equalsIgnoreCase(NOT_KNOWN) || v.equalsIgnoreCase("not known")) {
            return new ConcernDate(NOT_KNOWN, null, null, null, null);
        }
        Matcher m = PARTIAL.matcher(v);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a date");
        }
        int year = Integer.parseInt(m.group(1));
        if (year < 1900 || year > 2100) {
            throw new IllegalArgumentException("year out of range");
        }
        if (m.group(2) == null) {
            return new ConcernDate("year", null, year, null, null);
        }
        int month = Integer.parseInt(m.group(2));
        try {
            YearMonth.of(year, month);
            if (m.group(3) == null) {
                return new ConcernDate("month", null, year, month, null);
            }
            int day = Integer.parseInt(m.group(3));
            LocalDate.of(year, month, day);
            return new ConcernDate("day", null, year, month, day);
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("not a real date", e);
        }
    }

    /** Whether any part of the date is known. */
    public boolean known() {
        return year != null;
    }

    /** The first day the concern can have arisen on (London), or null when the date is not known. */
    public LocalDate earliest() {
        if (!known()) {
            return null;
        }
        return LocalDate.of(year, month == null ? 1 : month, day == null ? 1 : day);
    }

    /** The last day the concern can have arisen on (London), or null when the date is not known. */
    public LocalDate latest() {
        if (!known()) {
            return null;
        }
        if (month == null) {
            return LocalDate.of(year, 12, 31);
        }
        return day == null ? YearMonth.of(year, month).atEndOfMonth() : LocalDate.of(year, month, day);
    }

    /** What to show: the instant, the day, the month or the year (DisplayTime formats each); null when not known. */
    public Object value() {
        if (at != null) {
            return at;
        }
        if (!known()) {
            return null;
        }
        if (month == null) {
            return Year.of(year);
        }
        return day == null ? YearMonth.of(year, month) : LocalDate.of(year, month, day);
    }

    /** The date as text for the API and files: an ISO instant, yyyy-mm-dd, yyyy-mm, yyyy, not_known or not_recorded. */
    public String text() {
        return known() ? value().toString() : precision;
    }
}
