package org.sightline.statistics;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/** The standard periods the kept counts answer for, as {@code {from, to}} (inclusive), that touch one year. */
final class StandardPeriods {

    private StandardPeriods() {}

    /** Its twelve months, four quarters, the two financial years it falls in, and the calendar year. */
    static List<LocalDate[]> of(int year) {
        List<LocalDate[]> periods = new ArrayList<>();
        for (int m = 1; m <= 12; m++) {
            LocalDate from = LocalDate.of(year, m, 1);
            periods.add(new LocalDate[] {from, from.plusMonths(1).minusDays(1)});
        }
        for (int q = 0; q < 4; q++) {
            LocalDate from = LocalDate.of(year, 1 + 3 * q, 1);
            periods.add(new LocalDate[] {from, from.plusMonths(3).minusDays(1)});
        }
        periods.add(new LocalDate[] {LocalDate.of(year - 1, 4, 1), LocalDate.of(year, 3, 31)});
        periods.add(new LocalDate[] {LocalDate.of(year, 4, 1), LocalDate.of(year + 1, 3, 31)});
        periods.add(new LocalDate[] {LocalDate.of(year, 1, 1), LocalDate.of(year, 12, 31)});
        return periods;
    }
}
