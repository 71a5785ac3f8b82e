package org.sightline.intake;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.sightline.person.PartialDate;

/** An episode as pages and the API show it, assembled after the scope check. */
record EpisodeView(
        UUID publicId,
        String episodeRef,
        int version,
        String status,
        String returnInterviewStatus,
        String agencyName,
        Subject subject,
        String reporterName,
        String reporterRole,
        String reporterRelationship,
        Instant reportedAt,
        String recordedBy,
        Instant lastSeenAt,
        String lastSeenPlace,
        String lastSeenPostcode,
        String missingFrom,
        String category,
        String currentRiskGrade,
        Instant foundAt,
        String foundPlace,
        String foundPostcode,
        String foundBy,
        Instant safeAndWellAt,
        String safeAndWellBy,
        String safeAndWellNotes,
        Instant returnInterviewOfferedAt,
        Instant returnInterviewAt,
        Instant closedAt,
        String closedBy,
        String closureNotes,
        Grab grabProfile,
        List<Grading> gradings,
        List<Event> events,
        ClockView clock,
        List<String> allowedActions) {

    record Subject(
            UUID recordId,
            String recordRef,
            String agencyName,
            String givenName,
            String familyName,
            PartialDate dateOfBirth,
            String sex) {}

    record Grab(
            String description,
            String clothing,
            String associates,
            String placesFrequented,
            String phones,
            String vulnerabilities) {}

    /** One grading; {@code codeListVersion} says which list the grade belongs to (e.g. ACPO-2013 for "absent"). */
    record Grading(
            String grade,
            String codeListVersion,
            String rationale,
            String gradedBy,
            String gradedByAgency,
            Instant gradedAt) {}

    record Event(
            String type,
            Instant occurredAt,
            String recordedBy,
            String recordedByAgency,
            String byWhom,
            String place,
            String postcode,
            String notes,
            Instant recordedAt) {}

    /**
     * @param returnInterview one of not_started, due, overdue, completed_in_time, completed_late, declined
     */
    record ClockView(
            Instant returnInterviewDueAt,
            String returnInterview,
            long missingHours,
            boolean over24Hours,
            boolean stillMissing) {}

    public boolean allows(String action) {
        return allowedActions.contains(action);
    }

    public boolean allowsAny(String... actions) {
        for (String a : actions) {
            if (allowedActions.contains(a)) {
                return true;
            }
        }
        return false;
    }
}
