package org.sightline.child;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How long a drawn child's page stays right by the clock alone (ChildService.rightUntil), on hand-worked times. */
class RightUntilTest {

    private static final Instant NOW = Instant.parse("2026-03-29T12:00:00Z");

    @Test
    void anHourAtMostWhenNothingChangesSooner() {
        assertThat(ChildService.rightUntil(List.of(), null, NOW)).isEqualTo(Instant.parse("2026-03-29T13:00:00Z"));
        // Started 100 days ago: leaves the last 365 days long after the hour.
        assertThat(ChildService.rightUntil(List.of(Instant.parse("2025-12-19T12:00:00Z")), null, NOW))
                .isEqualTo(Instant.parse("2026-03-29T13:00:00Z"));
    }

    @Test
    void untilAnIncidentLeavesTheLast30Days() {
        // Started 29 days 23 hours 40 minutes ago: leaves the 30 days in 20 minutes.
        Instant start = Instant.parse("2026-02-27T12:20:00Z");
        assertThat(ChildService.rightUntil(List.of(start), null, NOW)).isEqualTo(Instant.parse("2026-03-29T12:20:00Z"));
    }

    @Test
    void untilTheHoursMissingGoUp() {
        // Missing since 06:45: 5 hours at noon, 6 hours from 12:45 (the clocks went forward at 01:00 UTC; the
        // count is of elapsed hours, so the change does not move it).
        Instant since = Instant.parse("2026-03-29T06:45:00Z");
        assertThat(ChildService.rightUntil(List.of(since), since, NOW))
                .isEqualTo(Instant.parse("2026-03-29T12:45:00Z"));
        // Reported with a last-seen time a little ahead of the clock: 0 hours until an hour after it.
        Instant ahead = Instant.parse("2026-03-29T12:10:00Z");
        assertThat(ChildService.rightUntil(List.of(), ahead, NOW)).isEqualTo(Instant.parse("2026-03-29T13:00:00Z"));
    }
}
