package org.sightline.child;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The rule that makes two agencies' records one incident, and the grouping that closes it transitively. */
class IncidentsTest {

    private static final Instant T = Instant.parse("2026-06-01T12:00:00Z");

    private static Incidents.Span span(long agency, Duration startAfterT, Duration foundAfterStart) {
        Instant start = T.plus(startAfterT);
        return new Incidents.Span(agency, start, foundAfterStart == null ? null : start.plus(foundAfterStart));
    }

    @Test
    void startsWithinADayOfEachOtherAreOneIncident() {
        assertThat(Incidents.sameIncident(span(1, Duration.ZERO, null), span(2, Duration.ofHours(24), null)))
                .isTrue();
        assertThat(Incidents.sameIncident(
                        span(1, Duration.ZERO, null),
                        span(2, Duration.ofHours(24).plusSeconds(1), null)))
                .isFalse();
        // The same either way round, to the nanosecond.
        assertThat(Incidents.sameIncident(span(2, Duration.ofHours(24), null), span(1, Duration.ZERO, null)))
                .isTrue();
        assertThat(Incidents.sameIncident(
                        span(2, Duration.ofHours(24).plusNanos(1), null), span(1, Duration.ZERO, null)))
                .isFalse();
    }

    @Test
    void aRecordStartingWhileTheChildWasStillMissingIsTheSameIncident() {
        // Missing for four days; the second force records the child on day three.
        var longEpisode = span(1, Duration.ZERO, Duration.ofDays(4));
        assertThat(Incidents.sameIncident(longEpisode, span(2, Duration.ofDays(3), Duration.ofHours(2))))
                .isTrue();
        assertThat(Incidents.sameIncident(span(2, Duration.ofDays(3), Duration.ofHours(2)), longEpisode))
                .isTrue();
        // After the find, a new report is a new incident.
        assertThat(Incidents.sameIncident(longEpisode, span(2, Duration.ofDays(5), null)))
                .isFalse();
        // An open episode does not swallow everything after it.
        assertThat(Incidents.sameIncident(span(1, Duration.ZERO, null), span(2, Duration.ofDays(3), null)))
                .isFalse();
    }

    @Test
    void oneAgencysTwoRecordsAreNeverMerged() {
        assertThat(Incidents.sameIncident(
                        span(1, Duration.ZERO, Duration.ofDays(2)), span(1, Duration.ofHours(1), null)))
                .isFalse();
    }

    @Test
    void groupsCloseTransitivelyAndComeNewestFirst() {
        List<Incidents.Span> spans = List.of(
                span(1, Duration.ZERO, Duration.ofHours(5)), // 0: incident X
                span(2, Duration.ofHours(20), Duration.ofHours(5)), // 1: X (within a day of 0)
                span(3, Duration.ofHours(40), Duration.ofHours(1)), // 2: X through 1 only (40 h after 0)
                span(1, Duration.ofDays(10), null), // 3: incident Y
                span(1, Duration.ofDays(10).plusHours(1), null)); // 4: same agency: incident Z
        assertThat(Incidents.group(spans)).containsExactly(List.of(4), List.of(3), List.of(0, 1, 2));
    }
}
