package org.sightline.alert;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * What the rules know of one child: the facts of every agency's records of the identity, loaded by
 * {@link FactsLoader}. Plain data, so that rules are plain Java tested without a database. Unknown values are null
 * (or "not_known" / "not_recorded" codes), never a default.
 */
record ChildFacts(
        Instant now,
        List<Rec> records,
        List<Placement> placements,
        List<Episode> episodes,
        List<Screening> screenings,
        List<Link> links,
        List<AssociatedEpisode> associatedEpisodes,
        List<Incident> incidents) {

    /** The incidents are worked out once here: every rule and every routing reads them. */
    ChildFacts(
            Instant now,
            List<Rec> records,
            List<Placement> placements,
            List<Episode> episodes,
            List<Screening> screenings,
            List<Link> links,
            List<AssociatedEpisode> associatedEpisodes) {
        this(now, records, placements, episodes, screenings, links, associatedEpisodes, incidentsOf(episodes));
    }

    /** One agency's record of the child. */
    record Rec(
            long id,
            long agencyId,
            String agencyType,
            String agencyCode,
            String agencyName,
            Integer dobYear,
            Integer dobMonth,
            Integer dobDay,
            String careStatus,
            String responsibleAuthority) {}

    record Placement(
            long recordId,
            long holderAgencyId,
            String holderType,
            LocalDate start,
            LocalDate end,
            String hostAuthority) {
        boolean currentOn(LocalDate day) {
            return !start.isAfter(day) && (end == null || !end.isBefore(day));
        }
    }

    /**
     * One agency's record of a missing episode. {@code start} is last seen, else reported; {@code found} null while
     * missing; {@code foundByForceId} the police force that recorded the find, where the find was recorded in Sightline.
     */
    record Episode(
            long id,
            long agencyId,
            String agencyName,
            String agencyType,
            Instant start,
            Instant found,
            String missingFrom,
            String returnInterview,
            Instant returnInterviewAt,
            Long foundByForceId,
            String foundByForceName) {}

    /** A screening of one of the child's concerns; {@code band} is the override where there is one. */
    record Screening(
            long id,
            long concernAgencyId,
            String agencyName,
            String band,
            Instant assessedAt,
            boolean latestOfConcern,
            boolean concernOpen) {}

    /**
     * An association between the child (a record, episode or concern) and an adult, place or another child.
     * For a place: how many other children (identities) with a missing episode or exploitation concern are linked
     * to it, how many of them from other areas than this child's, and how many whose area is not recorded.
     */
    record Link(
            long associationId,
            String otherKind,
            long otherId,
            String otherRef,
            String otherName,
            String otherPostcode,
            String type,
            long agencyId,
            String agencyName,
            String agencyType,
            Instant observedAt,
            int otherChildren,
            int otherChildrenOtherArea,
            int otherChildrenAreaUnknown) {}

    /** An episode of another child that this child is associated with (association {@code associationId}). */
    record AssociatedEpisode(long associationId, long episodeId, Instant start, Instant found, String agencyName) {}

    /**
     * One missing period, however many agencies recorded it; {@code key} is its first record's id, {@code start} the
     * earliest start, {@code found} the earliest find any agency recorded (null while no record says the child was
     * found).
     */
    record Incident(List<Episode> records, long key, Instant start, Instant found) {

        Incident(List<Episode> records) {
            this(
                    records,
                    records.stream().mapToLong(Episode::id).min().orElseThrow(),
                    records.stream()
                            .map(Episode::start)
                            .min(Comparator.naturalOrder())
                            .orElseThrow(),
                    records.stream()
                            .map(Episode::found)
                            .filter(f -> f != null)
                            .min(Comparator.naturalOrder())
                            .orElse(null));
        }

        String agencies() {
            return String.join(
                    ", ",
                    records.stream()
                            .map(Episode::agencyName)
                            .distinct()
                            .sorted()
                            .toList());
        }

        boolean missingAt(Instant t, Instant now) {
            Instant end = found() == null ? now : found();
            return !t.isBefore(start()) && !t.isAfter(end);
        }
    }

    /** Same rule as the child's page (child.Incidents): different agencies, starts within a day or overlapping. */
    static final Duration SAME_START = Duration.ofHours(24);

    /** The child's incidents, oldest first. */
    private static List<Incident> incidentsOf(List<Episode> episodes) {
        int n = episodes.size();
        int[] parent = new int[n];
        for (int i = 0; i < n; i++) {
            parent[i] = i;
        }
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                if (sameIncident(episodes.get(i), episodes.get(j))) {
                    parent[root(parent, i)] = root(parent, j);
                }
            }
        }
        List<List<Episode>> groups = new ArrayList<>();
        java.util.Map<Integer, List<Episode>> byRoot = new java.util.LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            byRoot.computeIfAbsent(root(parent, i), k -> new ArrayList<>()).add(episodes.get(i));
        }
        groups.addAll(byRoot.values());
        return groups.stream()
                .map(Incident::new)
                .sorted(Comparator.comparing(Incident::start))
                .toList();
    }

    private static boolean sameIncident(Episode a, Episode b) {
        if (a.agencyId() == b.agencyId()) {
            return false;
        }
        if (Duration.between(a.start(), b.start()).abs().compareTo(SAME_START) <= 0) {
            return true;
        }
        return within(b.start(), a) || within(a.start(), b);
    }

    private static boolean within(Instant t, Episode e) {
        return e.found() != null && !t.isBefore(e.start()) && !t.isAfter(e.found());
    }

    private static int root(int[] parent, int i) {
        while (parent[i] != i) {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        return i;
    }
}
