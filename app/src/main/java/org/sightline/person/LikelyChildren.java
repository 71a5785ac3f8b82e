package org.sightline.person;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.sightline.access.SightlineUser;

/**
 * Children likely to be the one an officer describes, found by the linkage engine across every agency's records
 * (typos, swapped names, nicknames, partial dates), each shown as far as the user's access to that child allows.
 * Implemented by identity; declared here so the search page and intake can ask without depending on it.
 */
public interface LikelyChildren {

    /** What the officer typed. Any part may be blank; names or a date of birth are needed. */
    record Query(String givenName, String familyName, PartialDate dateOfBirth, String sex, String postcode) {

        public boolean isEmpty() {
            return SearchCriteria.blank(givenName)
                    && SearchCriteria.blank(familyName)
                    && (dateOfBirth == null || dateOfBirth.isUnknown());
        }

        /** For the audit trail. */
        public String describe() {
            return new SearchCriteria(givenName, familyName, dateOfBirth == null ? PartialDate.unknown() : dateOfBirth)
                            .describe()
                    + ";sex=" + (sex == null ? "" : sex) + ";postcode=" + (postcode == null ? "" : postcode.trim());
        }
    }

    /**
     * One likely child. {@code details} is present only when the user may see the child's picture; otherwise only
     * that agencies hold records and whom to contact.
     */
    record Likely(UUID identityPublicId, double probability, List<String> agencies, Details details) {

        public boolean full() {
            return details != null;
        }
    }

    /**
     * What a user with full access sees: the best-matching record's name and date of birth (and its id, to choose
     * it), and a short history across agencies.
     */
    record Details(
            UUID recordPublicId,
            String givenName,
            String familyName,
            PartialDate dateOfBirth,
            int episodes,
            Instant lastEpisodeAt,
            boolean openEpisode) {}

    /** At most a handful, most likely first; the search is audited. */
    List<Likely> find(SightlineUser user, Query query);
}
