package org.sightline.access;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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

    /**
     * An agency alerted about a child (identity) by the alert with this public reference; the grant hangs on the
     * child's first record ({@code recordId}), as the alert does.
     */
    public record AlertGrant(long agencyId, long identityId, long recordId, String alertRef) {}

    /**
     * Each agency received an alert about the child (identity): it gains a lasting relationship. Runs in the caller's
     * transaction, so the grants commit with the alerts; one statement for the alert worker's whole batch. Idempotent
     * per agency and alert reference (V0961's unique index); each new grant is audited.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public void grantForAlerts(List<AlertGrant> grants, String actor) {
        if (grants.isEmpty()) {
            return;
        }
        Map<String, AlertGrant> byKey = new HashMap<>();
        grants.forEach(g -> byKey.put(g.agencyId() + "/" + g.alertRef(), g));
        List<AlertGrant> granted = jdbc.sql(
                        """
                INSERT INTO child_relationship (person_record_id, agency_id, kind, source_ref, granted_by, granted_at)
                SELECT g.record_id, g.agency_id, 'alert', g.ref, ?, ?
                FROM unnest(?::bigint[], ?::bigint[], ?::text[]) AS g(agency_id, record_id, ref)
                ON CONFLICT (source_ref, agency_id) WHERE kind = 'alert' DO NOTHING
                RETURNING agency_id, source_ref""")
                .params(
                        actor,
                        Timestamp.from(clock.instant()),
                        grants.stream().map(AlertGrant::agencyId).toArray(Long[]::new),
                        grants.stream().map(AlertGrant::recordId).toArray(Long[]::new),
                        grants.stream().map(AlertGrant::alertRef).toArray(String[]::new))
                .query((rs, n) -> byKey.get(rs.getLong(1) + "/" + rs.getString(2)))
                .list();
        audit.recordAll(granted.stream()
                .map(g -> AuditEntry.of(actor, null, "RELATIONSHIP_GRANTED", "identity", Long.toString(g.identityId()))
                        .withDetails("kind=alert;agency=" + g.agencyId() + ";alert=" + g.alertRef()))
                .toList());
    }
}
