package org.sightline.audit;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.slf4j.MDC;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Appends to the audit log in the caller's transaction, so an action and its audit entry commit or roll back
 * together; refusals are the exception ({@link #recordRefusal}). The append takes no lock: {@link AuditSealer}
 * chains committed entries afterwards, so audited requests do not queue behind one another.
 */
@Component
public class AuditLog {

    private final JdbcClient jdbc;
    private final Clock clock;
    private final TransactionTemplate ownTransaction;

    AuditLog(JdbcClient jdbc, Clock clock, PlatformTransactionManager transactions) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.ownTransaction = new TransactionTemplate(transactions);
        this.ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    }

    @Transactional(propagation = Propagation.MANDATORY)
    public void record(AuditEntry entry) {
        append(entry);
    }

    /**
     * A refused read (out of scope, or a role that may not) in a transaction of its own, committed at once, so it
     * survives the rollback of the request that was refused. No lock is involved, so it cannot wait on the request.
     */
    public void recordRefusal(AuditEntry entry) {
        ownTransaction.executeWithoutResult(s -> append(entry));
    }

    private void append(AuditEntry entry) {
        // PostgreSQL keeps microseconds; the sealer's MAC covers what is stored.
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        jdbc.sql(
                        """
                INSERT INTO audit_event (occurred_at, actor, actor_agency, action, subject_type, subject_id, reason,
                                         correlation_id, details)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""")
                .params(
                        Timestamp.from(now),
                        entry.actor(),
                        entry.actorAgency(),
                        entry.action(),
                        entry.subjectType(),
                        entry.subjectId(),
                        entry.reason(),
                        MDC.get(CorrelationIdFilter.MDC_KEY),
                        entry.details())
                .update();
    }
}
