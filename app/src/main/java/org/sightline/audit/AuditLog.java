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
 * Appends to the hash-chained audit log in the caller's transaction, so an action and its audit entry
 * commit or roll back together. Appends are serialised by a transaction-scoped advisory lock: the chain
 * order is the id order.
 */
@Component
public class AuditLog {

    /** Arbitrary constant naming the advisory lock that guards the chain head. */
    private static final long CHAIN_LOCK = 0x5349_4748_544CL;

    private final JdbcClient jdbc;
    private final Clock clock;

    AuditLog(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /**
     * Takes the chain's lock now rather than at the first append: for work that must be serialised until commit
     * with every other writer (identity resolution), without a second lock that could be taken in the other order.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public void lockChain() {
        jdbc.sql("SELECT pg_advisory_xact_lock(?)").param(CHAIN_LOCK).query().singleRow();
    }

    @Transactional(propagation = Propagation.MANDATORY)
    public void record(AuditEntry entry) {
        // PostgreSQL keeps microseconds; hash what is stored so verification recomputes the same value.
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        String correlationId = MDC.get(CorrelationIdFilter.MDC_KEY);
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
