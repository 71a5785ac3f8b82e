package org.sightline.importexport;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.sightline.audit.AuditEntry;
import org.sightline.audit.AuditLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * At start and then on a schedule, marks import runs whose owner is gone as 'interrupted': a queued or running
 * run whose lease ({@link ImportLeases}) has expired, because the process that held it was killed or stalled.
 * A run another live process is importing (the import command joining a running demo) keeps renewing its lease
 * and is left alone. Committed batches stay: a web run can be resumed from its kept upload or discarded on its
 * report page; a command-line run is completed by running the same file again. Kept uploads expire after
 * {@code sightline.imports.upload-retention}: a previewed run's upload then goes with its run (discarded), an
 * interrupted run's upload goes and the run can no longer be resumed.
 */
@Component
class InterruptedImportSweeper {

    private static final Logger LOG = LoggerFactory.getLogger(InterruptedImportSweeper.class);
    static final String INTERRUPTED =
            ImportError.E1000.name() + " interrupted: the process running this import stopped, "
                    + "after the rows counted here; resume it, or run the same file again to complete it";

    private final JdbcClient jdbc;
    private final AuditLog audit;
    private final Clock clock;
    private final TransactionTemplate transaction;
    private final Duration uploadRetention;

    InterruptedImportSweeper(
            JdbcClient jdbc,
            AuditLog audit,
            Clock clock,
            TransactionTemplate transaction,
            @Value("${sightline.imports.upload-retention:24h}") Duration uploadRetention) {
        this.jdbc = jdbc;
        this.audit = audit;
        this.clock = clock;
        this.transaction = transaction;
        this.uploadRetention = uploadRetention;
    }

    @EventListener(ApplicationReadyEvent.class)
    void atStart() {
        int swept = sweep();
        if (swept > 0) {
            LOG.info("{} import run(s) whose process stopped marked interrupted", swept);
        }
    }

    @Scheduled(
            fixedDelayString = "${sightline.imports.sweep-interval:1m}",
            initialDelayString = "${sightline.imports.sweep-interval:1m}")
    void onSchedule() {
        try {
            sweep();
            expireUploads();
        } catch (DataAccessException e) {
            LOG.warn("import sweep failed, trying again later: {}", e.getMessage());
        }
    }

    /** Marks the runs whose lease has expired interrupted, in a transaction of its own; returns how many. */
    public int sweep() {
        return transaction.execute(status -> {
            record Lost(String publicId, String agencyCode) {}
            // A run left running before leases existed has none: its owner is unknown, so it is treated as gone.
            List<Lost> lost = jdbc.sql(
                            """
                    UPDATE import_run r SET status = 'interrupted', file_error = coalesce(r.file_error, ?), finished_at = ?,
                           lease_owner = NULL, lease_expires_at = NULL, version = r.version + 1
                    FROM agency a
                    WHERE a.id = r.agency_id AND r.status IN ('queued', 'running')
                      AND (r.lease_expires_at IS NULL OR r.lease_expires_at < ?)
                    RETURNING r.public_id::text, a.code""")
                    .params(INTERRUPTED, Timestamp.from(clock.instant()), Timestamp.from(clock.instant()))
                    .query((rs, n) -> new Lost(rs.getString(1), rs.getString(2)))
                    .list();
            for (Lost run : lost) {
                audit.record(
                        AuditEntry.of("system", run.agencyCode(), "IMPORT_INTERRUPTED", "import_run", run.publicId()));
            }
            return lost.size();
        });
    }

    /** Frees kept uploads older than the retention of runs no process is reading; returns how many. */
    public int expireUploads() {
        return transaction.execute(status -> {
            record Expired(String publicId, String agencyCode, String status) {}
            List<Expired> expired = jdbc.sql(
                            """
                    DELETE FROM import_upload u USING import_run r, agency a
                    WHERE r.id = u.run_id AND a.id = r.agency_id AND r.status NOT IN ('queued', 'running')
                      AND u.stored_at < ?
                    RETURNING r.public_id::text, a.code, r.status""")
                    .param(Timestamp.from(clock.instant().minus(uploadRetention)))
                    .query((rs, n) -> new Expired(rs.getString(1), rs.getString(2), rs.getString(3)))
                    .list();
            for (Expired upload : expired) {
                if ("previewed".equals(upload.status())) {
                    jdbc.sql(
                                    """
                            UPDATE import_run SET status = 'discarded', finished_at = ?, version = version + 1
                            WHERE public_id = ?::uuid AND status = 'previewed'""")
                            .params(Timestamp.from(clock.instant()), upload.publicId())
                            .update();
                }
                audit.record(AuditEntry.of(
                                "system", upload.agencyCode(), "IMPORT_UPLOAD_EXPIRED", "import_run", upload.publicId())
                        .withDetails("status=" + upload.status()));
            }
            return expired.size();
        });
    }
}
