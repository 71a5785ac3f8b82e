package org.sightline.importexport;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The owner of an import run: this process holds a lease on each run it is importing or queueing and renews it
 * (a heartbeat, and every committed batch). A run whose lease has expired has lost its owner (the process was
 * killed, or stalled past the lease) and is swept to 'interrupted' ({@link InterruptedImportSweeper}); its
 * owner, if it wakes, finds the lease gone and stops instead of writing on.
 */
@Component
class ImportLeases {

    private static final Logger LOG = LoggerFactory.getLogger(ImportLeases.class);

    /** Unique per process; the pid helps an operator reading import_run. */
    private final String owner = ProcessHandle.current().pid() + "-" + UUID.randomUUID();

    private final JdbcClient jdbc;
    private final Clock clock;
    private final Duration length;

    ImportLeases(JdbcClient jdbc, Clock clock, @Value("${sightline.imports.lease:2m}") Duration length) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.length = length;
    }

    String owner() {
        return owner;
    }

    /** When a lease taken or renewed now expires. */
    Timestamp expiry() {
        return Timestamp.from(clock.instant().plus(length));
    }

    /** Renews the lease of every run this process owns; a failure (database down) waits for the next beat. */
    @Scheduled(
            fixedDelayString = "${sightline.imports.heartbeat:15s}",
            initialDelayString = "${sightline.imports.heartbeat:15s}")
    void heartbeat() {
        try {
            jdbc.sql(
                            """
                    UPDATE import_run SET lease_expires_at = ? WHERE lease_owner = ? AND status IN ('queued', 'running')""")
                    .params(expiry(), owner)
                    .update();
        } catch (DataAccessException e) {
            LOG.warn("import lease heartbeat failed: {}", e.getMessage());
        }
    }
}
