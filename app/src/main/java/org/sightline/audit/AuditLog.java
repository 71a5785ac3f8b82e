package org.sightline.audit;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.List;
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
        append(List.of(entry));
    }

    /**
     * A refused read (out of scope, or a role that may not) in a transaction of its own, committed at once, so it
     * survives the rollback of the request that was refused. No lock is involved, so it cannot wait on the request.
     */
    public void recordRefusal(AuditEntry entry) {
        ownTransaction.executeWithoutResult(s -> append(List.of(entry)));
    }

    /** Many entries in one statement (the alert worker's batch), in the caller's transaction, in list order. */
    @Transactional(propagation = Propagation.MANDATORY)
    public void recordAll(List<AuditEntry> entries) {
        if (!entries.isEmpty()) {
            append(entries);
        }
    }

    private void append(List<AuditEntry> entries) {
        // PostgreSQL keeps microseconds; the sealer's MAC covers what is stored.
        Timestamp now = Timestamp.from(clock.instant().truncatedTo(ChronoUnit.MICROS));
        int n = entries.size();
        String[][] columns = new String[7][n];
        for (int i = 0; i < n; i++) {
            AuditEntry e = entries.get(i);
            String[] values = {
                e.actor(), e.actorAgency(), e.action(), e.subjectType(), e.subjectId(), e.reason(), e.details()
            };
            for (int c = 0; c < values.length; c++) {
                columns[c][i] = values[c];
            }
        }
        jdbc.sql(
                        """
                INSERT INTO audit_event (occurred_at, actor, actor_agency, action, subject_type, subject_id, reason,
                                         correlation_id, details)
                SELECT ?, u.actor, u.actor_agency, u.action, u.subject_type, u.subject_id, u.reason, ?, u.details
                FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[]) WITH ORDINALITY
                     AS u(actor, actor_agency, action, subject_type, subject_id, reason, details, n)
                ORDER BY u.n""")
                .params(
                        now,
                        MDC.get(CorrelationIdFilter.MDC_KEY),
                        columns[0],
                        columns[1],
                        columns[2],
                        columns[3],
                        columns[4],
                        columns[5],
                        columns[6])
                .update();
    }
}
