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
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Appends to the hash-chained audit log in the caller's transaction, so an action and its audit entry
 * commit or roll back together. Appends are serialised by a transaction-scoped advisory lock: the chain
 * order is the id order. Refusals are the exception: {@link #recordRefusal} keeps them whatever becomes of the
 * request's transaction.
 */
@Component
public class AuditLog {

    /** Arbitrary constant naming the advisory lock that guards the chain head. */
    private static final long CHAIN_LOCK = 0x5349_4748_544CL;

    private final JdbcClient jdbc;
    private final Clock clock;
    private final TransactionTemplate ownTransaction;

    AuditLog(JdbcClient jdbc, Clock clock, PlatformTransactionManager transactions) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.ownTransaction = new TransactionTemplate(transactions);
        this.ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    }

    /**
     * A refused read (out of scope, or a role that may not) in a transaction of its own, so it survives the rollback
     * of the request that was refused. Inside a transaction it is written once that transaction has ended: the
     * chain lock it may hold is released by then, so the two never wait on each other.
     */
    public void recordRefusal(AuditEntry entry) {
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            // Captured now: the correlation id is gone from the MDC once the request has finished.
            String correlationId = MDC.get(CorrelationIdFilter.MDC_KEY);
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCompletion(int status) {
                    writeAlone(entry, correlationId);
                }
            });
        } else {
            writeAlone(entry, MDC.get(CorrelationIdFilter.MDC_KEY));
        }
    }

    private void writeAlone(AuditEntry entry, String correlationId) {
        ownTransaction.executeWithoutResult(s -> append(entry, correlationId));
    }

    @Transactional(propagation = Propagation.MANDATORY)
    public void record(AuditEntry entry) {
        append(entry, MDC.get(CorrelationIdFilter.MDC_KEY));
    }

    private void append(AuditEntry entry, String correlationId) {
        // PostgreSQL keeps microseconds; hash what is stored so verification recomputes the same value.
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        jdbc.sql("SELECT pg_advisory_xact_lock(?)").param(CHAIN_LOCK).query().singleRow();
        String previous = jdbc.sql("SELECT hash FROM audit_event ORDER BY id DESC LIMIT 1")
                .query(String.class).optional().orElse(AuditHash.GENESIS);
        String hash = AuditHash.of(previous, now, entry, correlationId);
        jdbc.sql("""
                INSERT INTO audit_event (occurred_at, actor, actor_agency, action, subject_type, subject_id, reason,
                                         correlation_id, details, prev_hash, hash)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")
                .params(Timestamp.from(now), entry.actor(), entry.actorAgency(), entry.action(), entry.subjectType(),
                        entry.subjectId(), entry.reason(), correlationId, entry.details(), previous, hash)
                .update();
    }
}
