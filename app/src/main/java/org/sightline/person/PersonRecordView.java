package org.sightline.person;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.sightline.access.AgencyScope;

/**
 * Everything a record page shows; assembled by {@link PersonRecordService} after the scope check. Linked records the
 * user's agency has no relationship to open appear only as {@code otherHolders}: who holds them and whom to contact.
 */
public record PersonRecordView(
        UUID publicId,
        String recordRef,
        String agencyName,
        String agencyType,
        String givenName,
        String middleNames,
        String familyName,
        PartialDate dateOfBirth,
        String sex,
        String ethnicityCode,
        String ethnicityScheme,
        String ethnicityLabel,
        String ethnicityStatus,
        String upn,
        String localChildId,
        String careStatus,
        String responsibleAuthority,
        String cpPlan,
        String knownToSocialCare,
        String reportedMissing,
        Instant recordedAt,
        UUID identityId,
        List<String> aliases,
        List<Address> addresses,
        List<LinkedRecord> linkedRecords,
        List<AgencyScope.Holder> otherHolders,
        List<EpisodeLine> episodes,
        List<ConcernLine> concerns) {

    /**
     * Another agency's record of the same child, with the engine's evidence when the two were linked directly
     * (null evidence: linked through other records of the identity).
     */
    public record LinkedRecord(PersonRecordSummary record, Double probability, String evidence) {}

    public record Address(String addressLine, String postcode, boolean current) {}

    public record EpisodeLine(
            UUID publicId,
            String episodeRef,
            String agencyName,
            Instant reportedAt,
            String missingFrom,
            String category,
            String riskGrade,
            Instant foundAt,
            String status) {}

    /**
     * A concern on the record. {@code raisedAt} is when it arose, when known to the instant; otherwise
     * {@code raisedOn} holds what is known (day, month or year) and {@code raisedPrecision} says which, or not_known /
     * not_recorded.
     */
    public record ConcernLine(
            UUID publicId,
            String concernRef,
            String agencyName,
            Instant raisedAt,
            String status,
            String outcome,
            String raisedPrecision,
            PartialDate raisedOn) {}
}
