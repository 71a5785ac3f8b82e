package org.sightline.access;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Need-to-know by relationship, not by similarity (PRODUCT.md C8). A user's agency sees a child's whole picture only
 * when it has a relationship with the child:
 * <ol>
 * <li>it holds a record of the child that carries something of substance — a missing episode or exploitation
 * concern (on its record, or recorded by it on any of the child's records), a placement, or a recorded care status.
 * A bare record, such as a copy of another agency's child, does not count;</li>
 * <li>another agency's record of the child names it as the responsible authority, or a placement on such a record
 * names it as the host authority;</li>
 * <li>it was granted one ({@code child_relationship}): an alert about the child for the agency, or break glass for
 * one user until it expires.</li>
 * </ol>
 * Its own records are always visible to it. Linking a record to a child therefore never opens the other agencies'
 * records by itself: the user sees which agencies hold records and whom to contact ({@link #otherHolders}).
 * Services ask {@link #childAccess} or {@link #canSeePersonRecord}; SQL filters use {@link #VISIBLE_RECORD_SQL} with
 * {@link #sqlParams}. The rules live here and nowhere else.
 */
@Component
public class AgencyScope {

    /**
     * The relationship of the user's agency with the child a record {@code rel} belongs to (rules 1–3). Named
     * parameters as in {@link #sqlParams}.
     */
    static final String RELATIONSHIP_SQL =
            """
            ((rel.agency_id = :agencyId AND (rel.care_status IN ('looked_after', 'not_looked_after')
                  OR EXISTS (SELECT 1 FROM person_placement x WHERE x.person_record_id = rel.id)))
             OR EXISTS (SELECT 1 FROM missing_episode x WHERE x.person_record_id = rel.id
                        AND (rel.agency_id = :agencyId OR x.agency_id = :agencyId))
             OR EXISTS (SELECT 1 FROM exploitation_concern x WHERE x.person_record_id = rel.id
                        AND (rel.agency_id = :agencyId OR x.agency_id = :agencyId))
             OR (rel.agency_id <> :agencyId AND (rel.responsible_authority = :agencyCode
                  OR EXISTS (SELECT 1 FROM person_placement x WHERE x.person_record_id = rel.id
                             AND x.host_authority = :agencyCode)))
             OR EXISTS (SELECT 1 FROM child_relationship g WHERE g.person_record_id = rel.id AND g.agency_id = :agencyId
                        AND (g.user_public_id IS NULL OR g.user_public_id = :scopeUser)
                        AND (g.expires_at IS NULL OR g.expires_at > :scopeNow)))""";

    /**
     * Condition on a {@code person_record} aliased {@code pr}: the user may see the record in full. Bind the named
     * parameters with {@code .params(scope.sqlParams(user))}.
     */
    public static final String VISIBLE_RECORD_SQL =
            """
            (pr.agency_id = :agencyId
             OR EXISTS (SELECT 1 FROM person_record rel
                        WHERE (rel.id = pr.id OR rel.identity_id = pr.identity_id) AND """
                    + RELATIONSHIP_SQL + "))";

    /**
     * Condition: the user may see the child with internal id {@code :identityId} in full. Named parameters as in
     * {@link #sqlParams}, with {@code :identityId}; for queries that check access in the same round trip as a read.
     */
    public static final String FULL_ACCESS_SQL =
            "EXISTS (SELECT 1 FROM person_record rel WHERE rel.identity_id = :identityId AND " + RELATIONSHIP_SQL + ")";

    /**
     * Condition: the user may see in full the child {@code node}, an SQL expression for an identity id or, for a record
     * not yet resolved into a child, the record's negated id (as the network names children). Named parameters as in
     * {@link #sqlParams}. A child the user may not see in full still shows the user's own agency's records.
     */
    public static String fullAccessToNodeSql(String node) {
        return "EXISTS (SELECT 1 FROM person_record rel WHERE (rel.identity_id = " + node + " OR rel.id = -(" + node
                + ")) AND " + RELATIONSHIP_SQL + ")";
    }

    private final JdbcClient jdbc;
    private final Clock clock;

    @Autowired
    AgencyScope(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** What a user may see of a child (an identity): the whole picture, or only that records exist and whom to contact. */
    public enum ChildAccess {
        FULL,
        EXISTENCE_ONLY
    }

    /** An agency holding records of a child that the user may not open: its name and whom to contact there. */
    public record Holder(String agencyName, String contact, int records) {}

    /** The named parameters of {@link #VISIBLE_RECORD_SQL}: the user's agency, the user and now (for expiring grants). */
    public Map<String, Object> sqlParams(SightlineUser user) {
        return Map.of(
                "agencyId",
                user.agencyId(),
                "agencyCode",
                user.agencyCode(),
                "scopeUser",
                user.publicId(),
                "scopeNow",
                Timestamp.from(clock.instant()));
    }

    /**
     * The user's access to a child. Every page or API that shows a child's picture asks this first; the rules
     * behind it live here and nowhere else.
     */
    public ChildAccess childAccess(SightlineUser user, long identityId) {
        boolean full = jdbc.sql("SELECT " + FULL_ACCESS_SQL)
                .params(sqlParams(user))
                .param("identityId", identityId)
                .query(Boolean.class)
                .single();
        return full ? ChildAccess.FULL : ChildAccess.EXISTENCE_ONLY;
    }

    public boolean canSeePersonRecord(SightlineUser user, long personRecordId) {
        return jdbc.sql("SELECT EXISTS (SELECT 1 FROM person_record pr WHERE pr.id = :id AND " + VISIBLE_RECORD_SQL
                        + ")")
                .params(sqlParams(user))
                .param("id", personRecordId)
                .query(Boolean.class)
                .single();
    }

    /** Agencies that hold records of the child which the user may not open (existence and contact only). */
    public List<Holder> otherHolders(SightlineUser user, long identityId) {
        return jdbc.sql(
                        """
                SELECT a.name, a.contact, count(*)::int FROM person_record pr JOIN agency a ON a.id = pr.agency_id
                WHERE pr.identity_id = :identityId AND NOT """
                                + VISIBLE_RECORD_SQL
                                + """
                 GROUP BY a.id, a.name, a.contact ORDER BY a.name""")
                .params(sqlParams(user))
                .param("identityId", identityId)
                .query((rs, n) -> new Holder(rs.getString(1), rs.getString(2), rs.getInt(3)))
                .list();
    }
}
