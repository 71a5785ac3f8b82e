package org.sightline.intake;

import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.UUID;

/**
 * What clients send, through the API as JSON and from the web forms once parsed. Codes are plain strings so that
 * a wrong value is answered with the field and the rule, not a parse failure. Every state change carries the
 * {@code version} the client read.
 */
final class EpisodeRequests {

    private EpisodeRequests() {}

    @Schema(
            name = "NewEpisode",
            description = "Report a child missing. Give subjectRecordId (an existing record your "
                    + "agency may see) or newPerson (a new record of your agency), not both.")
    record NewEpisode(
            UUID subjectRecordId,
            NewPerson newPerson,
            Reporter reporter,
            @Schema(description = "When the report was made (ISO-8601 instant)") Instant reportedAt,
            Instant lastSeenAt,
            String lastSeenPlace,
            String lastSeenPostcode,
            @Schema(allowableValues = {"home", "care", "other"}) String missingFrom,
            @Schema(
                            allowableValues = {"missing", "away"},
                            description = "missing, or away from placement without authorisation")
                    String category,
            GrabProfile grabProfile) {}

    @Schema(name = "NewPerson")
    record NewPerson(
            String givenName,
            String familyName,
            @Schema(description = "yyyy, yyyy-mm or yyyy-mm-dd; blank when unknown") String dateOfBirth,
            @Schema(allowableValues = {"male", "female", "not_known", "not_recorded"}) String sex) {}

    @Schema(name = "Reporter", description = "Who reported the child missing")
    record Reporter(String name, String role, String relationship) {}

    @Schema(name = "GrabProfileRequest", description = "Philomena Protocol details; every field optional")
    record GrabProfile(
            String description,
            String clothing,
            String associates,
            String placesFrequented,
            String phones,
            String vulnerabilities) {

        boolean isEmpty() {
            return blank(description)
                    && blank(clothing)
                    && blank(associates)
                    && blank(placesFrequented)
                    && blank(phones)
                    && blank(vulnerabilities);
        }
    }

    @Schema(name = "GradingRequest")
    record Grade(
            Integer version,
            @Schema(description = "A code of the list valid today (APP: very_low, low, medium, high)") String grade,
            @Schema(description = "Required for medium and high") String rationale) {}

    @Schema(name = "Found")
    record Found(
            Integer version,
            Instant foundAt,
            String foundPlace,
            String foundPostcode,
            @Schema(description = "Who found the child or to whom they returned") String foundBy) {}

    @Schema(name = "SafeAndWell")
    record SafeAndWell(Integer version, Instant checkedAt, String checkedBy, String notes) {}

    @Schema(name = "ReturnInterview")
    record ReturnInterview(
            Integer version,
            @Schema(allowableValues = {"offered", "accepted", "declined", "completed"}) String outcome,
            @Schema(description = "When it happened") Instant at,
            String notes) {}

    @Schema(name = "Close")
    record Close(Integer version, String notes) {}

    static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
