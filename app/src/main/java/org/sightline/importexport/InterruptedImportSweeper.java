package org.sightline.importexport;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.List;
import org.sightline.audit.AuditEntry;
import org.sightline.audit.AuditLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * At start, marks import runs left 'running' by a process that was killed as 'interrupted', so their reports say
 * so instead of "Importing" for ever. A run is only swept when no process holds its agency-and-kind import lock
 * (a run in progress holds it for its whole length, see JdbcImportStore.lockRun): an import running in another
 * process against the same database (the import command joining a running demo) is left alone. Its committed
 * batches stay; running the same file again completes it.
 */
@Component
class InterruptedImportSweeper {

    private static final Logger LOG = LoggerFactory.getLogger(InterruptedImportSweeper.class);
    static final String INTERRUPTED = ImportError.E1000.name() + " interrupted: the application stopped during this "
            + "import, after the rows counted here; run the same file again to complete it";

    private final JdbcClient jdbc;
    private final AuditLog audit;
    private final Clock clock;
    private final TransactionTemplate transaction;

    InterruptedImportSweeper(JdbcClient jdbc, AuditLog audit, Clock clock, TransactionTemplate transaction) {
        this.jdbc = jdbc;
        this.audit = audit;
        this.clock = clock;
        this.transaction = transaction;
    }

    @EventListener(ApplicationReadyEvent.class)
    void atStart() {
        int swept = sweep();
        if (swept > 0) {
            LOG.info("{} import run(s) left running by a stopped process marked interrupted", swept);
        }
    }

    /** Marks the abandoned runs interrupted, in a transaction of its own (called from inside, so not through a proxy). */
    public int sweep() {
        return transaction.execute(status -> sweepInTransaction());
    }

    private int sweepInTransaction() {
        record Running(long id, String publicId, long agencyId, String agencyCode, String kind) {
        }
        List<Running> running = jdbc.sql("""
                SELECT r.id, r.public_id::text, r.agency_id, a.code, r.kind FROM import_run r JOIN agency a ON a.id = r.agency_id
                WHERE r.status = 'running' ORDER BY r.id""")
                .query((rs, n) -> new Running(rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getString(4),
                        rs.getString(5))).list();
        int swept = 0;
        for (Running run : running) {
            // Held by a live run (in any process) until it ends; ours is released at commit.
            boolean abandoned = jdbc.sql("SELECT pg_try_advisory_xact_lock(?, ?)")
                    .params((int) run.agencyId(), JdbcImportStore.lockKey(run.kind()))
                    .query(Boolean.class).single();
            if (!abandoned) {
                continue;
            }
            jdbc.sql("""
                    UPDATE import_run SET status = 'interrupted', file_error = coalesce(file_error, ?), finished_at = ?,
                           version = version + 1
                    WHERE id = ? AND status = 'running'""")
                    .params(INTERRUPTED, Timestamp.from(clock.instant()), run.id()).update();
            audit.record(AuditEntry.of("system", run.agencyCode(), "IMPORT_INTERRUPTED", "import_run", run.publicId()));
            swept++;
        }
        return swept;
    }
}
