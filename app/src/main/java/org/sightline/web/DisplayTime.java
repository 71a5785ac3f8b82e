package org.sightline.web;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.Year;
import java.time.YearMonth;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import org.sightline.shared.ClockConfiguration;
import org.sightline.shared.DateParts;
import org.springframework.stereotype.Component;

/**
 * The one formatter for every date and time users see ({@code ${@displayTime.format(...)}},
 * {@code ${@displayTime.date(...)}}), in GOV.UK style: "3 June 2009", "1 December 2026, 17:21" (Europe/London,
 * 24-hour), partial dates "June 2009" and "2009". Missing values format as "", so that pages say "Not recorded".
 */
@Component("displayTime")
public class DisplayTime {

    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("d MMMM uuuu", Locale.UK);
    private static final DateTimeFormatter MONTH = DateTimeFormatter.ofPattern("MMMM uuuu", Locale.UK);
    private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("d MMMM uuuu, HH:mm", Locale.UK)
            .withZone(ClockConfiguration.DISPLAY_ZONE);

    /** An instant as a date and time in Europe/London. */
    public String format(Instant instant) {
        return instant == null ? "" : DATE_TIME.format(instant);
    }

    /**
     * A date: an instant (its day in Europe/London), a {@link LocalDate}, {@link YearMonth}, {@link Year}, a
     * {@link DateParts} (partial date), or ISO text "yyyy", "yyyy-mm", "yyyy-mm-dd" (as CSV files and returns hold
     * them). Text that is not a date is shown as it is, never hidden.
     */
    public String date(Object value) {
        if (value == null) {
            return "";
        }
        if (value instanceof Instant i) {
            return DATE.format(i.atZone(ClockConfiguration.DISPLAY_ZONE));
        }
        if (value instanceof ZonedDateTime z) {
            return DATE.format(z.withZoneSameInstant(ClockConfiguration.DISPLAY_ZONE));
        }
        if (value instanceof LocalDateTime t) {
            return DATE.format(t);
        }
        if (value instanceof LocalDate d) {
            return DATE.format(d);
        }
        if (value instanceof YearMonth m) {
            return MONTH.format(m);
        }
        if (value instanceof Year y) {
            return String.valueOf(y.getValue());
        }
        if (value instanceof DateParts p) {
            return partial(p.year(), p.month(), p.day());
        }
        return iso(value.toString().strip());
    }

    /** A partial date: "3 June 2009", "June 2009", "2009", or "" when the year is unknown. */
    public static String partial(Integer year, Integer month, Integer day) {
        if (year == null) {
            return "";
        }
        if (month == null) {
            return String.valueOf(year);
        }
        String monthAndYear = MONTH.format(YearMonth.of(year, month));
        // Built by hand: a stored day need not exist in its month (31 February), and must still be shown.
        return day == null ? monthAndYear : day + " " + monthAndYear;
    }

    private static String iso(String text) {
        try {
            if (text.matches("\\d{4}")) {
                return text;
            }
            if (text.matches("\\d{4}-\\d{2}")) {
                return MONTH.format(YearMonth.parse(text));
            }
            if (text.matches("\\d{4}-\\d{2}-\\d{2}")) {
                return DATE.format(LocalDate.parse(text));
            }
        } catch (DateTimeParseException e) {
            // not a real date: shown as typed below
        }
        return text;
    }

}
