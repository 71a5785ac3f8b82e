package org.sightline.alert;

import java.util.List;

/**
 * One alert rule: plain Java over {@link ChildFacts}, with its thresholds in {@link RuleSettings}. Returns what fired
 * (one finding per cause) and what it could not decide; nothing when the facts say no.
 */
interface Rule {

    /** Stable id, used in settings ({@code sightline.alerts.disabled}), cause keys and message keys. */
    String code();

    /** How much a finding weighs in the meeting list's rank. */
    int weight();

    List<Finding> evaluate(ChildFacts facts, RuleSettings settings);
}
