package org.sightline.web;

import java.time.Instant;
import java.time.LocalDate;
import java.time.Month;
import java.time.format.DateTimeFormatter;
import java.time.format.TextStyle;
import java.util.Locale;
import org.sightline.shared.ClockConfiguration;
import org.springframework.stereotype.Component;

/** Formats stored UTC instants in Europe/London for pages ({@code ${@displayTime.format(...)}}). */
@Component("displayTime")
public class DisplayTime {

    private static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("d MMM yyyy, HH:mm")
            .withZone(ClockConfiguration.DISPLAY_ZONE);
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("d MMMM yyyy", Locale.UK);

    public String format(Instant instant) {
        return instant == null ? "" : FORMAT.format(instant);
    }

    /** GOV.UK style: "3 June 2009". */
    public String formatDate(LocalDate date) {
        return date == null ? "" : DATE.format(date);
    }

    /** A date of which only the year, or year and month, may be known: "3 June 2009", "June 2009", "2009". */
    public String formatPartialDate(Integer year, Integer month, Integer day) {
        if (year == null) {
            return "";
        }
        if (month == null) {
            return String.valueOf(year);
        }
        String monthAndYear = Month.of(month).getDisplayName(TextStyle.FULL, Locale.UK) + " " + year;
        // Built by hand: a stored day need not exist in its month (31 February), and must still be shown.
        return day == null ? monthAndYear : day + " " + monthAndYear;
    }
}
