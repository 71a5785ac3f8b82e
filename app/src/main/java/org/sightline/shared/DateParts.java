package org.sightline.shared;

import java.time.LocalDate;

/** A date that may be partial (year only, year and month, or full), as agencies hold dates of birth. */
public interface DateParts {

    Integer year();

    Integer month();

    Integer day();

    /**
     * Whether every date this could be is after {@code today}: a date of birth in the future (issue 14). "2026"
     * is not in the future during 2026; "2026-12" is not on 1 December; unknown never is.
     */
    default boolean afterDay(LocalDate today) {
        if (year() == null) {
            return false;
        }
        LocalDate earliest = LocalDate.of(year(), month() == null ? 1 : month(), day() == null ? 1 : day());
        return earliest.isAfter(today);
    }
}
