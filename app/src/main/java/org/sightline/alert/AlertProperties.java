package org.sightline.alert;

import java.time.Duration;
import java.util.Set;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code sightline.alerts.*}: the rules' thresholds (see {@link RuleSettings} for what each means), which rules are
 * off, and the worker's pace. Defaults are the issue's. {@code max-age-days}: a cause older than this raises no
 * alert — loading years of history must not fill inboxes with what nobody can act on any more. {@code workers}: how
 * many batches one process evaluates at once when the outbox holds a backlog (0: one per core, at most four).
 */
@ConfigurationProperties("sightline.alerts")
record AlertProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("1s") Duration poll,
        @DefaultValue("") Set<String> disabled,
        @DefaultValue("3") int repeatCount,
        @DefaultValue("90") int repeatWindowDays,
        @DefaultValue("24") int lookedAfterHours,
        @DefaultValue("2") int placeOtherChildren,
        @DefaultValue("72") int returnInterviewHours,
        @DefaultValue({"significant", "high"}) Set<String> screeningBands,
        @DefaultValue("13") int underAge,
        @DefaultValue("90") int maxAgeDays,
        @DefaultValue("0") int workers) {

    AlertProperties {
        if (workers < 0) {
            throw new IllegalArgumentException(
                    "sightline.alerts.workers must be 0 (one per core) or a positive number, was " + workers);
        }
    }

    /** The workers to drain a backlog with: as set, else one per core, at most four. */
    int drainWorkers() {
        return workers > 0 ? workers : Math.min(4, Runtime.getRuntime().availableProcessors());
    }

    RuleSettings settings() {
        return new RuleSettings(
                disabled,
                repeatCount,
                repeatWindowDays,
                lookedAfterHours,
                placeOtherChildren,
                returnInterviewHours,
                screeningBands,
                underAge,
                java.util.Map.of());
    }
}
