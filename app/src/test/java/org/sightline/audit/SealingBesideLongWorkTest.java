package org.sightline.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.sightline.support.IntegrationTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Scheduled work runs side by side: a statistics refresh that takes long (a rebuild at a million children takes tens
 * of seconds) must not hold up the audit sealer, which promises a seal within a second of commit, nor the alert
 * worker. Staged by holding the missing-episode counts' lock, so the scheduled refresh waits on it as it would
 * behind a long rebuild.
 */
@IntegrationTest
class SealingBesideLongWorkTest {

    @Autowired
    AuditLog audit;

    @Autowired
    TransactionTemplate transaction;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    DataSource dataSource;

    private static boolean within(long millis, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + millis * 1_000_000;
        while (System.nanoTime() < end) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(100);
        }
        return condition.getAsBoolean();
    }

    @Test
    void entriesAreSealedWhileAStatisticsRefreshWaits() throws Exception {
        try (Connection holder = dataSource.getConnection()) {
            holder.setAutoCommit(false);
            try {
                holder.createStatement().execute("SELECT pg_advisory_xact_lock(hashtext('stat_missing'))");
                // That refresh's own session waiting on this lock, not any other advisory lock.
                String waiting =
                        """
                        SELECT count(*) FROM pg_stat_activity
                        WHERE wait_event_type = 'Lock' AND wait_event = 'advisory'
                          AND query LIKE '%hashtext(''stat_missing'')%'""";
                assertThat(within(
                                30_000,
                                () -> jdbc.sql(waiting).query(Long.class).single() > 0))
                        .as("the scheduled refresh (every 5 s) waits for the lock")
                        .isTrue();

                String subject = "sealing-" + UUID.randomUUID();
                transaction.executeWithoutResult(
                        s -> audit.record(AuditEntry.of("tester", "TEST", "VIEW", "person_record", subject)));

                assertThat(within(
                                10_000,
                                () -> jdbc.sql(
                                                        "SELECT count(*) FROM audit_event WHERE subject_id = ? AND seq IS NOT NULL")
                                                .param(subject)
                                                .query(Long.class)
                                                .single()
                                        == 1))
                        .as("sealed while the refresh waits")
                        .isTrue();
            } finally {
                holder.rollback();
            }
        }
    }
}
