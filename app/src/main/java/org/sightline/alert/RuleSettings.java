package org.sightline.alert;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The rules' thresholds, from {@code sightline.alerts.*} (defaults in {@link AlertProperties}). Plain data so rules
 * stay plain Java.
 *
 * @param disabled             rule codes switched off
 * @param repeatCount          incidents that make repeat missing (3)
 * @param repeatWindowDays     … within this many days (90)
 * @param lookedAfterHours     a looked-after child missing longer than this (24)
 * @param placeOtherChildren   a place linked to at least this many other missing or exploited children (2)
 * @param returnInterviewHours a return interview not completed within this many hours of the return (72)
 * @param screeningBands       screening bands that alert (significant, high)
 * @param underAge             a child younger than this missing (13)
 * @param offInAreas           per rule, the areas (authority codes) where it is off: it does not run for a child
 *                             whose responsible authorities are all among them
 */
record RuleSettings(
        Set<String> disabled,
        int repeatCount,
        int repeatWindowDays,
        int lookedAfterHours,
        int placeOtherChildren,
        int returnInterviewHours,
        Set<String> screeningBands,
        int underAge,
        Map<String, Set<String>> offInAreas) {

    static RuleSettings defaults() {
        return new RuleSettings(Set.of(), 3, 90, 24, 2, 72, Set.of("significant", "high"), 13, Map.of());
    }

    boolean enabled(Rule rule) {
        return !disabled.contains(rule.code());
    }

    /** On for this child: on everywhere, or the child has a responsible authority where it is not off. */
    boolean enabled(Rule rule, ChildFacts facts) {
        if (!enabled(rule)) {
            return false;
        }
        Set<String> off = offInAreas == null ? Set.of() : offInAreas.getOrDefault(rule.code(), Set.of());
        if (off.isEmpty()) {
            return true;
        }
        List<String> areas = facts.records().stream()
                .map(ChildFacts.Rec::responsibleAuthority)
                .filter(java.util.Objects::nonNull)
                .distinct()
                .toList();
        return areas.isEmpty() || !off.containsAll(areas);
    }
}
