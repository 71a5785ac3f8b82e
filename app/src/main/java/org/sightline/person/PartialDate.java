package org.sightline.person;

import java.time.DateTimeException;
import java.time.LocalDate;
import org.sightline.shared.DateParts;
import org.sightline.web.DisplayTime;

/** A date of birth as agencies hold it: year only, year and month, or full. Null parts are unknown. */
public record PartialDate(Integer year, Integer month, Integer day) implements DateParts {

    public PartialDate {
        if (day != null && month == null || month != null && year == null) {
            throw new IllegalArgumentException(
                    "a partial date needs the larger parts: day needs month, month needs year");
        }
        if (month != null && (month < 1 || month > 12)) {
            throw new IllegalArgumentException("month must be 1 to 12");
        }
        if (day != null) {
            try {
                LocalDate.of(year, month, day);
            } catch (DateTimeException e) {
                throw new IllegalArgumentException("day " + day + " does not exist in that month");
            }
        }
    }

    /**
     * Parses yyyy, yyyy-mm or yyyy-mm-dd (ISO order, as the API and the CSV layouts use); blank is unknown.
     *
     * @throws IllegalArgumentException naming the rule broken
     */
    public static PartialDate parseIso(String text) {
        if (text == null || text.isBlank()) {
            return unknown();
        }
        String[] parts = text.trim().split("-", -1);
        if (parts.length > 3
                || !parts[0].matches("\\d{4}")
                || parts.length > 1 && !parts[1].matches("\\d{2}")
                || parts.length > 2 && !parts[2].matches("\\d{2}")) {
            throw new IllegalArgumentException("must be yyyy, yyyy-mm or yyyy-mm-dd");
        }
        return new PartialDate(
                Integer.parseInt(parts[0]),
                parts.length > 1 ? Integer.parseInt(parts[1]) : null,
                parts.length > 2 ? Integer.parseInt(parts[2]) : null);
    }

    public static PartialDate unknown() {
        return new PartialDate(null, null, null);
    }

    public boolean isUnknown() {
        return year == null;
    }

    /** For display, as every page shows dates ({@link DisplayTime}): "3 June 2009", "June 2009", "2009" or "". */
    public String display() {
        return DisplayTime.partial(year, month, day);
    }
}
