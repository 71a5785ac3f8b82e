package org.sightline.statistics;

import java.util.List;
import java.util.Map;

/**
 * A profile of the children with exploitation concerns, or of the adults of concern, for an area and period: how many
 * (each counted once, by identity), how many agency records that took, and per dimension a count for every code,
 * including {@code NOT_KNOWN}, {@code NOT_RECORDED} and {@code CONFLICTING}. Exact counts: publish through
 * {@link PublishedProfile}.
 *
 * @param subjects   children (or adults) counted
 * @param records    agency records they took
 * @param dimensions dimension name (sex, ethnicity, …) to code to count, in a fixed order
 * @param conflicts  identities whose records disagree, for correction by users entitled to see them
 * @param unplaced   for a period, those of the area not counted because the dates that would place them in or out of
 *                   it are not known or span one of its ends (never silently dropped); 0 without a period
 */
public record Profile(
        ProfileKind kind,
        ProfileQuery query,
        long subjects,
        long records,
        Map<String, Map<String, Long>> dimensions,
        List<Conflict> conflicts,
        long unplaced) {

    /** An identity whose agencies' records give different known values for one fact. */
    public record Conflict(long identityId, String dimension, List<String> values) {}
}
