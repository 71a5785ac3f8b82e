package org.sightline.person;

import java.util.UUID;

/** One line of a search result; {@code identityId} is the child's (identity's) public id, null while unlinked. */
public record PersonRecordSummary(
        UUID publicId,
        String recordRef,
        String givenName,
        String familyName,
        PartialDate dateOfBirth,
        String sex,
        String agencyName,
        boolean ownAgency,
        UUID identityId) {}
