package org.sightline.alert;

import java.time.Instant;
import java.util.List;

/**
 * What one rule concluded about a child. {@link Outcome#FIRED}: an alert for the cause {@code causeKey} (unique across
 * all children, built from the facts, never from the identity's number). {@link Outcome#UNDECIDED}: the rule could
 * not decide, and the message names the fact that is missing. The message is a bundle key and its arguments (the
 * facts in words, dates in the one display style). {@code episodeIds}: the incident records the alert is about, for
 * routing; {@code agencyIds}: further agencies that must act (e.g. the one that recorded the concern).
 */
record Finding(
        String rule,
        Outcome outcome,
        String causeKey,
        int weight,
        Instant occurredAt,
        String messageKey,
        List<String> args,
        List<Long> episodeIds,
        List<Long> agencyIds) {

    enum Outcome {
        FIRED,
        UNDECIDED
    }

    static Finding fired(
            Rule rule, String cause, Instant occurredAt, List<Long> episodeIds, List<Long> agencyIds, String... args) {
        return new Finding(
                rule.code(),
                Outcome.FIRED,
                rule.code() + ":" + cause,
                rule.weight(),
                occurredAt,
                "alert.rule." + rule.code() + ".fired",
                List.of(args),
                episodeIds,
                agencyIds);
    }

    Finding withMessage(String key) {
        return new Finding(rule, outcome, causeKey, weight, occurredAt, key, args, episodeIds, agencyIds);
    }

    /** {@code fact}: the missing fact's message suffix, e.g. "dob" for alert.rule.under-13.undecided.dob. */
    static Finding undecided(Rule rule, String fact, String... args) {
        return new Finding(
                rule.code(),
                Outcome.UNDECIDED,
                null,
                0,
                null,
                "alert.rule." + rule.code() + ".undecided." + fact,
                List.of(args),
                List.of(),
                List.of());
    }
}
