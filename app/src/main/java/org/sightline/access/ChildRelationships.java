package org.sightline.access;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.List;
import org.sightline.audit.AuditEntry;
import org.sightline.audit.AuditLog;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Relationships granted with a child beyond the records an agency holds (rule 3 of {@link AgencyScope}). Alerts
 * write here: an agency alerted about a child may see the child's picture from then on.
 */
@Service
public class ChildRelationships {

    private final JdbcClient jdbc;
    private final AuditLog audit;
    private final Clock clock;

    ChildRelationships(JdbcClient jdbc, AuditLog audit, Clock clock) {
        this.jdbc = jdbc;
        this.audit = audit;
        this.clock = clock;
    }

    /** An agency alerted about a child (identity) by the alert with this public reference. */
    public record AlertGrant(long agencyId, long identityId, String alertRef) {}

    /**
     * Each agency received an alert about the child (identity): it gains a lasting relationship. Runs in the caller's
     * transaction, so the grants commit with the alerts; one statement for the alert worker's whole batch. Idempotent
     * per agency and alert reference; each new grant is audited.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public void grantForAlerts(List<AlertGrant> grants, String actor) {
        if (grants.isEmpty()) {
            return;
        }
        record Granted(long agencyId, long identityId, String alertRef) {}
        List<Granted> granted = jdbc.sql(
                        """
                INSERT INTO child_relationship (person_record_id, agency_id, kind, source_ref, granted_by, granted_at)
                SELECT r.first, g.agency_id, 'alert', g.ref, ?, ?
                FROM unnest(?::bigint[], ?::bigint[], ?::text[]) AS g(agency_id, identity_id, ref)
                CROSS JOIN LATERAL (SELECT min(pr.id) AS first FROM person_record pr WHERE pr.identity_id = g.identity_id) r
                WHERE r.first IS NOT NULL
                  AND NOT EXISTS (SELECT 1 FROM child_relationship e WHERE e.agency_id = g.agency_id AND e.kind = 'alert'
                                  AND e.source_ref = g.ref)
                RETURNING agency_id, (SELECT identity_id FROM person_record WHERE id = person_record_id), source_ref""")
                .params(
                        actor,
                        Timestamp.from(clock.instant()),
                        grants.stream().map(AlertGrant::agencyId).toArray(Long[]::new),
                        grants.stream().map(AlertGrant::identityId).toArray(Long[]::new),
                        grants.stream().map(AlertGrant::alertRef).toArray(String[]::new))
                .query((rs, n) -> new Granted(rs.getLong(1), rs.getLong(2), rs.getString(3)))
                .list();
        audit.recordAll(granted.stream()
                .map(g -> AuditEntry.of(actor, null, "RELATIONSHIP_GRANTED", "identity", Long.toString(g.identityId()))
                        .withDetails("kind=alert;agency=" + g.agencyId() + ";alert=" + g.alertRef()))
                .toList());
    }
}
