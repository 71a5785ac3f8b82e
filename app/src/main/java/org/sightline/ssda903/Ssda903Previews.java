package org.sightline.ssda903;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.sightline.access.SightlineUser;
import org.sightline.audit.AuditEntry;
import org.sightline.audit.AuditLog;
import org.sightline.shared.NotFoundException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * SSDA903 files kept between their preview and the user's decision (web and API): checked when uploaded (a file
 * refused whole is never kept), previewed on demand, imported once when confirmed, dropped when cancelled, and
 * dropped when older than {@code sightline.imports.upload-retention}, as every other kept upload. Each file is kept
 * as sent; nothing of it reaches the shared model until it is imported.
 */
@Service
class Ssda903Previews {

    private static final Logger LOG = LoggerFactory.getLogger(Ssda903Previews.class);

    private final JdbcClient jdbc;
    private final Ssda903ImportService imports;
    private final AuditLog audit;
    private final Clock clock;
    private final TransactionTemplate transaction;
    private final Duration retention;

    Ssda903Previews(
            JdbcClient jdbc,
            Ssda903ImportService imports,
            AuditLog audit,
            Clock clock,
            TransactionTemplate transaction,
            @Value("${sightline.imports.upload-retention:24h}") Duration retention) {
        this.jdbc = jdbc;
        this.imports = imports;
        this.audit = audit;
        this.clock = clock;
        this.transaction = transaction;
        this.retention = retention;
    }

    /** The files as uploaded (any may be null). */
    record Upload(byte[] header, byte[] episodes, byte[] missing) {
        Ssda903ImportService.Files files() {
            return new Ssda903ImportService.Files(in(header), in(episodes), in(missing));
        }

        private static InputStream in(byte[] content) {
            return content == null ? null : new ByteArrayInputStream(content);
        }
    }

    /** A kept preview: its id, year, when it expires, and what importing it would do. */
    record Kept(UUID id, CollectionYear year, Instant expiresAt, Ssda903ImportService.Preview preview) {}

    private record Stored(long id, CollectionYear year, Instant storedAt, Upload upload) {}

    /**
     * Checks the files (a file refused whole throws {@link Ssda903FileException} and nothing is kept), keeps them
     * for the user's agency and returns the preview's id.
     */
    UUID keep(SightlineUser user, CollectionYear year, Upload upload) {
        imports.checkFiles(user, year, upload.files());
        return transaction.execute(tx -> {
            UUID id = jdbc.sql(
                            """
                    INSERT INTO ssda903_preview (agency_id, collection_year, created_by, stored_at, header, episodes,
                        missing)
                    VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING public_id""")
                    .params(
                            user.agencyId(),
                            year.endYear(),
                            user.username(),
                            Timestamp.from(clock.instant()),
                            upload.header(),
                            upload.episodes(),
                            upload.missing())
                    .query(UUID.class)
                    .single();
            audit.record(AuditEntry.of(
                            user.username(),
                            user.agencyCode(),
                            "SSDA903_PREVIEW_KEPT",
                            "ssda903_preview",
                            id.toString())
                    .withDetails("year=" + year.endYear() + " files=" + present(upload)));
            return id;
        });
    }

    /** The kept preview, read again from its files; an unknown, used, cancelled or expired one is not found. */
    Kept view(SightlineUser user, UUID id) {
        Stored stored = find(user, id);
        Ssda903ImportService.Preview preview =
                imports.previewFor(user, stored.year(), stored.upload().files());
        transaction.executeWithoutResult(tx -> audit.record(AuditEntry.of(
                user.username(), user.agencyCode(), "SSDA903_PREVIEW_VIEWED", "ssda903_preview", id.toString())));
        return new Kept(id, stored.year(), stored.storedAt().plus(retention), preview);
    }

    /**
     * Imports the kept files once: the preview is taken (deleted) first, so a second confirmation, or one racing
     * it, finds nothing to import.
     */
    Ssda903ImportService.ImportReport commit(SightlineUser user, UUID id) {
        Stored stored = take(user, id, "SSDA903_PREVIEW_CONFIRMED");
        return imports.importFor(user, stored.year(), stored.upload().files());
    }

    /** Drops the kept files without importing anything. */
    void cancel(SightlineUser user, UUID id) {
        take(user, id, "SSDA903_PREVIEW_CANCELLED");
    }

    private Stored find(SightlineUser user, UUID id) {
        return jdbc.sql(
                        """
                SELECT id, collection_year, stored_at, header, episodes, missing FROM ssda903_preview
                WHERE public_id = ? AND agency_id = ? AND stored_at >= ?""")
                .params(id, user.agencyId(), Timestamp.from(clock.instant().minus(retention)))
                .query((rs, n) -> new Stored(
                        rs.getLong(1),
                        new CollectionYear(rs.getInt(2)),
                        rs.getTimestamp(3).toInstant(),
                        new Upload(rs.getBytes(4), rs.getBytes(5), rs.getBytes(6))))
                .optional()
                .orElseThrow(() -> new NotFoundException("preview"));
    }

    private Stored take(SightlineUser user, UUID id, String action) {
        return transaction.execute(tx -> {
            Stored stored = jdbc.sql(
                            """
                    DELETE FROM ssda903_preview WHERE public_id = ? AND agency_id = ? AND stored_at >= ?
                    RETURNING id, collection_year, stored_at, header, episodes, missing""")
                    .params(id, user.agencyId(), Timestamp.from(clock.instant().minus(retention)))
                    .query((rs, n) -> new Stored(
                            rs.getLong(1),
                            new CollectionYear(rs.getInt(2)),
                            rs.getTimestamp(3).toInstant(),
                            new Upload(rs.getBytes(4), rs.getBytes(5), rs.getBytes(6))))
                    .optional()
                    .orElseThrow(() -> new NotFoundException("preview"));
            audit.record(AuditEntry.of(user.username(), user.agencyCode(), action, "ssda903_preview", id.toString())
                    .withDetails("year=" + stored.year().endYear() + " files=" + present(stored.upload())));
            return stored;
        });
    }

    @Scheduled(
            fixedDelayString = "${sightline.imports.sweep-interval:1m}",
            initialDelayString = "${sightline.imports.sweep-interval:1m}")
    void onSchedule() {
        try {
            expire();
        } catch (DataAccessException e) {
            LOG.warn("SSDA903 preview expiry failed, trying again later: {}", e.getMessage());
        }
    }

    /** Drops the previews older than the retention; returns how many. */
    int expire() {
        return transaction.execute(tx -> {
            record Expired(String id, String agency) {}
            List<Expired> expired = jdbc.sql(
                            """
                    DELETE FROM ssda903_preview p USING agency a WHERE a.id = p.agency_id AND p.stored_at < ?
                    RETURNING p.public_id::text, a.code""")
                    .param(Timestamp.from(clock.instant().minus(retention)))
                    .query((rs, n) -> new Expired(rs.getString(1), rs.getString(2)))
                    .list();
            expired.forEach(e -> audit.record(
                    AuditEntry.of("system", e.agency(), "SSDA903_PREVIEW_EXPIRED", "ssda903_preview", e.id())));
            return expired.size();
        });
    }

    private static String present(Upload upload) {
        return (upload.header() == null ? "" : "header ")
                + (upload.episodes() == null ? "" : "episodes ")
                + (upload.missing() == null ? "" : "missing");
    }
}
