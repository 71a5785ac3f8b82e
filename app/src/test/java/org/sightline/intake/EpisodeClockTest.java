package org.sightline.intake;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.sightline.intake.EpisodeClock.ReturnInterviewClock;
import org.sightline.web.DisplayTime;

/**
 * The 72-hour and 24-hour clocks across the clock changes, with a fixed Clock. In 2026 the UK moves to BST on
 * 29 March (01:00 UTC) and back to GMT on 25 October (01:00 UTC).
 */
class EpisodeClockTest {

    private final DisplayTime display = new DisplayTime();

    private static Clock at(String instant) {
        return Clock.fixed(Instant.parse(instant), ZoneOffset.UTC);
    }

    @Test
    void dueSeventyTwoExactHoursAfterFoundAcrossTheSpringChange() {
        Instant found = Instant.parse("2026-03-28T10:00:00Z"); // 10:00 GMT, Saturday
        EpisodeClock clock = EpisodeClock.of(
                found.minus(Duration.ofHours(5)),
                null,
                found,
                ReturnInterviewStatus.NOT_OFFERED,
                null,
                at("2026-03-30T09:00:00Z").instant());
        assertThat(clock.returnInterviewDueAt()).isEqualTo(Instant.parse("2026-03-31T10:00:00Z"));
        // Shown in UK time: BST by then, so 11:00, not the 10:00 a wall-clock "same time in 3 days" would give.
        assertThat(display.format(clock.returnInterviewDueAt())).isEqualTo("31 March 2026, 11:00");
        assertThat(clock.returnInterview()).isEqualTo(ReturnInterviewClock.DUE);
    }

    @Test
    void dueSeventyTwoExactHoursAfterFoundAcrossTheAutumnChange() {
        Instant found = Instant.parse("2026-10-23T10:00:00Z"); // 11:00 BST, Friday
        EpisodeClock clock = EpisodeClock.of(
                found.minus(Duration.ofHours(2)),
                null,
                found,
                ReturnInterviewStatus.OFFERED,
                null,
                at("2026-10-26T10:00:01Z").instant());
        assertThat(clock.returnInterviewDueAt()).isEqualTo(Instant.parse("2026-10-26T10:00:00Z"));
        assertThat(display.format(found)).isEqualTo("23 October 2026, 11:00");
        assertThat(display.format(clock.returnInterviewDueAt())).isEqualTo("26 October 2026, 10:00");
        assertThat(clock.returnInterview()).isEqualTo(ReturnInterviewClock.OVERDUE);
        assertThat(clock.overdue()).isTrue();
    }

    @Test
    void exactlyAtTheDueInstantIsNotYetOverdue() {
        Instant found = Instant.parse("2026-03-28T10:00:00Z");
        EpisodeClock clock = EpisodeClock.of(
                found, null, found, ReturnInterviewStatus.ACCEPTED, null, Instant.parse("2026-03-31T10:00:00Z"));
        assertThat(clock.returnInterview()).isEqualTo(ReturnInterviewClock.DUE);
    }

    @Test
    void completionIsJudgedAgainstTheDueInstant() {
        Instant found = Instant.parse("2026-10-23T10:00:00Z");
        Instant now = Instant.parse("2026-11-01T00:00:00Z");
        assertThat(EpisodeClock.of(
                                found,
                                null,
                                found,
                                ReturnInterviewStatus.COMPLETED,
                                Instant.parse("2026-10-26T09:59:00Z"),
                                now)
                        .returnInterview())
                .isEqualTo(ReturnInterviewClock.COMPLETED_IN_TIME);
        assertThat(EpisodeClock.of(
                                found,
                                null,
                                found,
                                ReturnInterviewStatus.COMPLETED,
                                Instant.parse("2026-10-26T10:01:00Z"),
                                now)
                        .returnInterview())
                .isEqualTo(ReturnInterviewClock.COMPLETED_LATE);
        assertThat(EpisodeClock.of(found, null, found, ReturnInterviewStatus.DECLINED, null, now)
                        .returnInterview())
                .isEqualTo(ReturnInterviewClock.DECLINED);
    }

    @Test
    void twentyFourHourMeasureCountsRealHoursOverTheSpringChange() {
        // Last seen 20:00 GMT on 28 March; the clocks go forward that night. Found 20:30 BST on 29 March is
        // 19:30 UTC: only 23.5 real hours, although the wall clock moved 24.5 hours.
        Instant lastSeen = Instant.parse("2026-03-28T20:00:00Z");
        Instant found = Instant.parse("2026-03-29T19:30:00Z");
        EpisodeClock clock = EpisodeClock.of(
                lastSeen.plus(Duration.ofHours(1)),
                lastSeen,
                found,
                ReturnInterviewStatus.NOT_OFFERED,
                null,
                Instant.parse("2026-04-02T00:00:00Z"));
        assertThat(clock.missingFor()).isEqualTo(Duration.ofMinutes(23 * 60 + 30));
        assertThat(clock.over24Hours()).isFalse();
        assertThat(clock.stillMissing()).isFalse();
    }

    @Test
    void twentyFourHourMeasureCountsRealHoursOverTheAutumnChange() {
        // Last seen 20:00 BST on 24 October (19:00 UTC); the clocks go back that night. Still missing at 19:30 GMT
        // on 25 October: the wall clock moved 23.5 hours, but 24.5 real hours have passed.
        Instant lastSeen = Instant.parse("2026-10-24T19:00:00Z");
        EpisodeClock clock = EpisodeClock.of(
                lastSeen.plus(Duration.ofHours(1)),
                lastSeen,
                null,
                ReturnInterviewStatus.NOT_OFFERED,
                null,
                at("2026-10-25T19:30:00Z").instant());
        assertThat(clock.missingFor()).isEqualTo(Duration.ofMinutes(24 * 60 + 30));
        assertThat(clock.over24Hours()).isTrue();
        assertThat(clock.stillMissing()).isTrue();
        assertThat(clock.returnInterviewDueAt()).isNull();
        assertThat(clock.returnInterview()).isEqualTo(ReturnInterviewClock.NOT_STARTED);
    }

    @Test
    void withoutALastSeenTimeTheReportStartsTheMeasure() {
        Instant reported = Instant.parse("2026-06-01T08:00:00Z");
        EpisodeClock clock = EpisodeClock.of(
                reported, null, null, ReturnInterviewStatus.NOT_OFFERED, null, Instant.parse("2026-06-02T08:00:00Z"));
        assertThat(clock.missingHours()).isEqualTo(24);
        assertThat(clock.over24Hours())
                .as("exactly 24 hours is not more than 24")
                .isFalse();
    }

    @Test
    void webEntryOfATimeInTheSpringGapOrAutumnOverlapResolvesPredictably() {
        var errors = new java.util.ArrayList<org.sightline.web.FieldError>();
        // 01:30 on 29 March 2026 does not exist in the UK: it moves forward by the gap to 02:30 BST = 01:30 UTC.
        assertThat(IntakeForms.dateTime("foundAt", "29", "3", "2026", "01:30", true, errors))
                .isEqualTo(Instant.parse("2026-03-29T01:30:00Z"));
        // 01:30 on 25 October 2026 happens twice: the earlier (BST) one is taken.
        assertThat(IntakeForms.dateTime("foundAt", "25", "10", "2026", "1:30", true, errors))
                .isEqualTo(Instant.parse("2026-10-25T00:30:00Z"));
        assertThat(errors).isEmpty();
        assertThat(IntakeForms.dateTime("foundAt", "31", "2", "2026", "10:00", true, errors))
                .isNull();
        assertThat(IntakeForms.dateTime("foundAt", "1", "2", "2026", "25:00", true, errors))
                .isNull();
        assertThat(IntakeForms.dateTime("foundAt", "1", "", "2026", "10:00", true, errors))
                .isNull();
        assertThat(errors)
                .extracting(org.sightline.web.FieldError::messageKey)
                .containsExactly(
                        "intake.error.foundAt.real", "intake.error.foundAt.time", "intake.error.foundAt.incomplete");
    }
}
