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
import org.springframework.context.i18n.LocaleContext;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.stereotype.Component;

/**
 * The one formatter for every date and time users see ({@code ${@displayTime.format(...)}},
 * {@code ${@displayTime.date(...)}}), in GOV.UK style: "3 June 2009", "1 December 2026, 17:21" (Europe/London,
 * 24-hour), partial dates "June 2009" and "2009"; in Welsh "3 Mehefin 2009". Missing values format as "", so that
 * pages say "Not recorded".
 */
@Component("displayTime")
public class DisplayTime {

    private static final Formats ENGLISH = new Formats(Locale.UK);
    // The JDK's CLDR data has the Welsh month names ("1 Rhagfyr 2026, 14:05"); DisplayTimeTest pins them.
    private static final Formats WELSH = new Formats(Locale.forLanguageTag("cy-GB"));

    private record Formats(DateTimeFormatter date, DateTimeFormatter month, DateTimeFormatter dateTime) {
        Formats(Locale locale) {
            this(
                    DateTimeFormatter.ofPattern("d MMMM uuuu", locale),
                    DateTimeFormatter.ofPattern("MMMM uuuu", locale),
                    DateTimeFormatter.ofPattern("d MMMM uuuu, HH:mm", locale)
                            .withZone(ClockConfiguration.DISPLAY_ZONE));
        }
    }

    /**
     * The page's language (LanguageResolver, via the request's locale context): Welsh or English, never the
     * machine's locale (commands and jobs outside a request format in English).
     */
    private static Formats formats() {
        LocaleContext context = LocaleContextHolder.getLocaleContext();
        Locale locale = context == null ? null : context.getLocale();
        return locale != null && "cy".equals(locale.getLanguage()) ? WELSH : ENGLISH;
    }

    /** An instant as a date and time in Europe/London. */
    public String format(Instant instant) {
        return instant == null ? "" : formats().dateTime().format(instant);
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
            return formats().date().format(i.atZone(ClockConfiguration.DISPLAY_ZONE));
        }
        if (value instanceof ZonedDateTime z) {
            return formats().date().format(z.withZoneSameInstant(ClockConfiguration.DISPLAY_ZONE));
        }
        if (value instanceof LocalDateTime t) {
            return formats().date().format(t);
        }
        if (value instanceof LocalDate d) {
            return formats().date().format(d);
        }
        if (value instanceof YearMonth m) {
            return formats().month().format(m);
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
        String monthAndYear = formats().month().format(YearMonth.of(year, month));
        // Built by hand: a stored day need not exist in its month (31 February), and must still be shown.
        return day == null ? monthAndYear : day + " " + monthAndYear;
    }

    private static String iso(String text) {
        try {
            if (text.matches("\\d{4}")) {
                return text;
            }
            if (text.matches("\\d{4}-\\d{2}")) {
                return formats().month().format(YearMonth.parse(text));
            }
            if (text.matches("\\d{4}-\\d{2}-\\d{2}")) {
                return formats().date().format(LocalDate.parse(text));
            }
        } catch (DateTimeParseException e) {
            // not a real date: shown as typed below
        }
        return text;
    }
}
