package org.sightline.audit;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.slf4j.MDC;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Appends to the audit log in the caller's transaction, so an action and its audit entry commit or roll back
 * together. The append takes no lock: {@link AuditSealer} chains committed entries afterwards, so audited requests
 * do not queue behind one another.
 */
@Component
public class AuditLog {

    private final JdbcClient jdbc;
    private final Clock clock;

    AuditLog(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    @Transactional(propagation = Propagation.MANDATORY)
    public void record(AuditEntry entry) {
        // PostgreSQL keeps microseconds; the sealer's MAC covers what is stored.
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        String correlationId = MDC.get(CorrelationIdFilter.MDC_KEY);
        jdbc.sql("""
                INSERT INTO audit_event (occurred_at, actor, actor_agency, action, subject_type, subject_id, reason,
                                         correlation_id, details)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""")
                .params(Timestamp.from(now), entry.actor(), entry.actorAgency(), entry.action(), entry.subjectType(),
                        entry.subjectId(), entry.reason(), correlationId, entry.details())
                .update();
    }
}
