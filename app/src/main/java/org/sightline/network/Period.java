package org.sightline.network;

import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;
import org.sightline.shared.ClockConfiguration;
import org.sightline.web.FieldError;

/**
 * A period of days in Europe/London, both ends included, as typed in a filter (yyyy-mm-dd). Default: the twelve
 * months to today.
 */
record Period(LocalDate from, LocalDate to) {

    Instant start() {
        return from.atStartOfDay(ClockConfiguration.DISPLAY_ZONE).toInstant();
    }

    /** The instant after the last day. */
    Instant end() {
        return to.plusDays(1).atStartOfDay(ClockConfiguration.DISPLAY_ZONE).toInstant();
    }

    /** Parses the two fields, adding an error per field that is not a date or a period that runs backwards. */
    static Period parse(String from, String to, LocalDate today, List<FieldError> errors) {
        LocalDate f = date("from", from, today.minusYears(1).plusDays(1), errors);
        LocalDate t = date("to", to, today, errors);
        if (f.isAfter(t)) {
            errors.add(new FieldError("to", "network.error.to.beforeFrom"));
            return new Period(t, t);
        }
        return new Period(f, t);
    }

    private static LocalDate date(String field, String value, LocalDate fallback, List<FieldError> errors) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return LocalDate.parse(value.strip());
        } catch (DateTimeParseException e) {
            errors.add(new FieldError(field, "network.error." + field + ".format"));
            return fallback;
        }
    }
}
