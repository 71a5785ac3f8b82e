package org.sightline.concern;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** What the concern pages and the API return; assembled by {@link ConcernService} after the scope check. */
public final class ConcernViews {

    private ConcernViews() {}

    public record Concern(
            UUID id,
            String concernRef,
            int version,
            String status,
            UUID recordId,
            String childName,
            String agencyName,
            /** When the concern arose, to the instant; null when only part of the date is known (see raised). */
            Instant raisedAt,
            /** When the concern arose, as far as it is known. */
            ConcernDate raised,
            String raisedBy,
            String raisedByRole,
            List<String> indicators,
            String summary,
            String outcome,
            Instant outcomeAt,
            String outcomeBy,
            String outcomeNotes,
            List<Screening> screenings,
            List<Link> links,
            List<HistoryLine> history) {

        /** The latest screening, or null before the first. */
        public Screening latestScreening() {
            return screenings.isEmpty() ? null : screenings.get(0);
        }
    }

    /** A stored screening as scored; {@code band} is the band after rules, {@code effectiveBand} after any override. */
    public record Screening(
            UUID id,
            String instrumentCode,
            int instrumentVersion,
            Map<String, List<String>> answers,
            int score,
            String scoreBand,
            String band,
            String overrideBand,
            String overrideReason,
            String effectiveBand,
            LocalDate reassessBy,
            String assessedBy,
            Instant assessedAt,
            Integer subjectAge,
            List<ScreeningScorer.SectionScore> sections,
            List<String> rulesApplied,
            List<String> rulesNotChecked) {

        public boolean overridden() {
            return overrideBand != null;
        }
    }

    /** An adult, place, vehicle or phone linked to the concern. */
    public record Link(
            UUID id,
            String kind,
            String type,
            UUID targetId,
            String targetRef,
            String description,
            String heldBy,
            Instant linkedAt) {}

    public record HistoryLine(
            Instant at,
            String actor,
            String actorAgency,
            String action,
            String fromStatus,
            String toStatus,
            String details) {}

    /** Something that can be linked, as offered in the chooser. */
    public record Linkable(UUID id, String kind, String ref, String description, String heldBy) {}
}
