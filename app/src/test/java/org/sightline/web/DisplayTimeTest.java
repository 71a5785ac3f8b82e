package org.sightline.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.sightline.person.PartialDate;
import org.springframework.context.i18n.LocaleContextHolder;

/** One date style everywhere (GOV.UK): expected texts written out by hand, not by the formatter's pattern. */
class DisplayTimeTest {

    private final DisplayTime display = new DisplayTime();

    @Test
    void instantsAreShownInUkTimeAcrossTheSpringClockChange() {
        // 29 March 2026: clocks go forward at 01:00 UTC (01:00 GMT becomes 02:00 BST).
        assertThat(display.format(Instant.parse("2026-03-29T00:59:00Z"))).isEqualTo("29 March 2026, 00:59");
        assertThat(display.format(Instant.parse("2026-03-29T01:00:00Z"))).isEqualTo("29 March 2026, 02:00");
        assertThat(display.format(Instant.parse("2026-12-01T17:21:00Z"))).isEqualTo("1 December 2026, 17:21");
    }

    @Test
    void theRepeatedHourInAutumnShowsTheSameWallClockForTwoInstants() {
        // 25 October 2026: 01:00–02:00 BST happens, then 01:00–02:00 GMT again.
        assertThat(display.format(Instant.parse("2026-10-25T00:30:00Z"))).isEqualTo("25 October 2026, 01:30");
        assertThat(display.format(Instant.parse("2026-10-25T01:30:00Z"))).isEqualTo("25 October 2026, 01:30");
        assertThat(display.format(Instant.parse("2026-10-25T02:30:00Z"))).isEqualTo("25 October 2026, 02:30");
    }

    @Test
    void anInstantsDateIsItsDayInLondonNotInUtc() {
        assertThat(display.date(Instant.parse("2026-06-30T23:30:00Z"))).isEqualTo("1 July 2026");
        assertThat(display.date(Instant.parse("2026-12-31T23:30:00Z"))).isEqualTo("31 December 2026");
    }

    @Test
    void datesAndPartialDates() {
        assertThat(display.date(LocalDate.of(2009, 6, 3))).isEqualTo("3 June 2009");
        assertThat(display.date(YearMonth.of(2012, 8))).isEqualTo("August 2012");
        assertThat(display.date(new PartialDate(2009, 6, 3))).isEqualTo("3 June 2009");
        assertThat(display.date(new PartialDate(2009, 6, null))).isEqualTo("June 2009");
        assertThat(display.date(new PartialDate(2009, null, null))).isEqualTo("2009");
        assertThat(display.date(PartialDate.unknown())).isEmpty();
        assertThat(new PartialDate(2011, 5, 17).display()).isEqualTo("17 May 2011");
    }

    @Test
    void isoTextFromFilesIsShownInTheSameStyleAndAnythingElseAsTyped() {
        assertThat(display.date("2012-08")).isEqualTo("August 2012");
        assertThat(display.date("2009-06-03")).isEqualTo("3 June 2009");
        assertThat(display.date("2009")).isEqualTo("2009");
        assertThat(display.date("2009-02-30")).isEqualTo("2009-02-30");
        assertThat(display.date("soon")).isEqualTo("soon");
    }

    @Test
    void missingValuesAreEmptySoPagesCanSayNotRecorded() {
        assertThat(display.format(null)).isEmpty();
        assertThat(display.date(null)).isEmpty();
    }

    @Test
    void welshPagesGetWelshMonthNamesAndOthersNeverTheMachinesLocale() {
        Instant instant = Instant.parse("2026-12-01T14:05:00Z");
        try {
            LocaleContextHolder.setLocale(Locale.forLanguageTag("cy-GB"));
            assertThat(display.format(instant)).isEqualTo("1 Rhagfyr 2026, 14:05");
            assertThat(display.date(LocalDate.of(2009, 6, 3))).isEqualTo("3 Mehefin 2009");
            assertThat(display.date("2009-02")).isEqualTo("Chwefror 2009");
            assertThat(DisplayTime.partial(2010, 7, 31)).isEqualTo("31 Gorffennaf 2010");
            LocaleContextHolder.setLocale(Locale.FRANCE);
            assertThat(display.format(instant)).isEqualTo("1 December 2026, 14:05");
            LocaleContextHolder.resetLocaleContext();
            Locale machine = Locale.getDefault();
            Locale.setDefault(Locale.forLanguageTag("cy-GB"));
            try {
                assertThat(display.date(LocalDate.of(2009, 6, 3))).isEqualTo("3 June 2009");
            } finally {
                Locale.setDefault(machine);
            }
        } finally {
            LocaleContextHolder.resetLocaleContext();
        }
    }
}
