package org.sightline.person;

import java.util.UUID;

/** One line of a search result. */
public record PersonRecordSummary(UUID publicId, String recordRef, String givenName, String familyName,
                                  PartialDate dateOfBirth, String sex, String agencyName, boolean ownAgency) {
}
