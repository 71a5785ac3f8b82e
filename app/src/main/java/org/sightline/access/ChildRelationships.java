package org.sightline.access;

import java.sql.Timestamp;
import java.time.Clock;
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
     * The agency received an alert about the child (identity): it gains a lasting relationship. Runs in the caller's
     * transaction, so the grant commits with the alert. Idempotent per alert reference.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public void grantForAlert(long agencyId, long identityId, String alertRef, String actor) {
        int granted = jdbc.sql(
                        """
                INSERT INTO child_relationship (person_record_id, agency_id, kind, source_ref, granted_by, granted_at)
                SELECT min(pr.id), ?, 'alert', ?, ?, ? FROM person_record pr WHERE pr.identity_id = ?
                HAVING min(pr.id) IS NOT NULL
                   AND NOT EXISTS (SELECT 1 FROM child_relationship g WHERE g.agency_id = ? AND g.kind = 'alert'
                                   AND g.source_ref = ?)""")
                .params(agencyId, alertRef, actor, Timestamp.from(clock.instant()), identityId, agencyId, alertRef)
                .update();
        if (granted > 0) {
            audit.record(AuditEntry.of(actor, null, "RELATIONSHIP_GRANTED", "identity", Long.toString(identityId))
                    .withDetails("kind=alert;agency=" + agencyId + ";alert=" + alertRef));
        }
    }
}
