package org.sightline.access;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Need-to-know policy (PRODUCT.md C8): a user sees a child's record when their agency holds it, holds another
 * record linked to the same identity, or is the child's responsible authority. Services ask this before
 * returning details; SQL filters use {@link #VISIBLE_RECORD_SQL}.
 */
@Component
public class AgencyScope {

    /**
     * Condition on a {@code person_record} aliased {@code pr}, with the named parameters {@code :agencyId} and
     * {@code :agencyCode}.
     */
    public static final String VISIBLE_RECORD_SQL = """
            (pr.agency_id = :agencyId
             OR pr.responsible_authority = :agencyCode
             OR (pr.identity_id IS NOT NULL AND EXISTS (
                    SELECT 1 FROM person_record mine
                    WHERE mine.identity_id = pr.identity_id AND mine.agency_id = :agencyId)))""";

    private final JdbcClient jdbc;

    AgencyScope(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** What a user may see of a child (an identity): the whole picture, or only that records exist and whom to contact. */
    public enum ChildAccess { FULL, EXISTENCE_ONLY }

    /**
     * The user's access to a child. Every page or API that shows a child's picture asks this first; the rules
     * behind it live here and nowhere else.
     */
    public ChildAccess childAccess(SightlineUser user, long identityId) {
        boolean full = jdbc.sql("""
                SELECT EXISTS (SELECT 1 FROM person_record pr WHERE pr.identity_id = :identityId
                               AND (pr.agency_id = :agencyId OR pr.responsible_authority = :agencyCode))""")
                .param("identityId", identityId)
                .param("agencyId", user.agencyId())
                .param("agencyCode", user.agencyCode())
                .query(Boolean.class).single();
        return full ? ChildAccess.FULL : ChildAccess.EXISTENCE_ONLY;
    }

    public boolean canSeePersonRecord(SightlineUser user, long personRecordId) {
        return jdbc.sql("SELECT EXISTS (SELECT 1 FROM person_record pr WHERE pr.id = :id AND " + VISIBLE_RECORD_SQL + ")")
                .param("id", personRecordId)
                .param("agencyId", user.agencyId())
                .param("agencyCode", user.agencyCode())
                .query(Boolean.class).single();
    }
}
