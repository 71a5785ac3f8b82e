package org.sightline.importexport;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.LongConsumer;
import org.apache.commons.codec.digest.DigestUtils;
import org.sightline.access.SightlineUser;
import org.sightline.audit.AuditEntry;
import org.sightline.audit.AuditLog;
import org.sightline.shared.ConflictException;
import org.sightline.shared.InvalidRequestException;
import org.sightline.shared.NotFoundException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.ObjectMapper;

/**
 * Bulk import of the standard CSV layouts (docs/csv-format.md) or an agency's own layout through a saved mapping
 * profile: preview without writing, run (each batch committed on its own, so an interrupted run can simply be run
 * again), report, and the quarantine where failing rows wait to be corrected and replayed. Every run is an
 * import_run row and audited; the agency is the user's own (web, API) or the one the CLI names.
 */
@Service
public class ImportService {

    public static final int DEFAULT_BATCH_SIZE = 10_000;
    /** The file error of a run stopped by something other than its content (database gone, bug). */
    public static final String STOPPED = "stopped";

    private static final Logger LOG = LoggerFactory.getLogger(ImportService.class);

    private final JdbcClient jdbc;
    private final JdbcImportStore store;
    private final MappingProfiles profiles;
    private final AuditLog audit;
    private final ObjectMapper json;
    private final Clock clock;
    private final TransactionTemplate ownTransaction;
    private final org.springframework.beans.factory.ObjectProvider<ImportTable.Factory> tables;
    private final ImportLeases leases;
    /** Web and API runs wait here for a slot (their threads hold no connection while they wait). */
    private final ExecutorService background = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "import");
        t.setDaemon(true);
        return t;
    });
    /**
     * Runs importing at once in this process; the others wait, 'queued', in arrival order. A run uses up to four
     * connections (its lock, the reader, two persisters), so two runs leave most of the pool to page reads.
     */
    private final java.util.concurrent.Semaphore slots;

    ImportService(
            JdbcClient jdbc,
            JdbcImportStore store,
            MappingProfiles profiles,
            AuditLog audit,
            ObjectMapper json,
            Clock clock,
            PlatformTransactionManager transactions,
            org.springframework.beans.factory.ObjectProvider<ImportTable.Factory> tables,
            ImportLeases leases,
            @org.springframework.beans.factory.annotation.Value("${sightline.imports.concurrent:2}") int concurrent) {
        this.tables = tables;
        this.leases = leases;
        this.slots = new java.util.concurrent.Semaphore(Math.max(1, concurrent), true);
        this.jdbc = jdbc;
        this.store = store;
        this.profiles = profiles;
        this.audit = audit;
        this.json = json;
        this.clock = clock;
        this.ownTransaction = new TransactionTemplate(transactions);
        this.ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    }

    /** What to import: the agency, kind, optional mapping profile name and the file's name as given. */
    public record ImportRequest(
            String agencyCode,
            String kind,
            String profile,
            String fileName,
            String actor,
            int batchSize,
            Integer estimatedRows) {}

    private record Agency(long id, String code) {}

    private record Resolved(Agency agency, ImportKind kind, MappingProfile profile, Long profileId) {}

    private Resolved resolve(ImportRequest request) {
        List<org.sightline.shared.Violation> problems = new ArrayList<>();
        ImportKind kind = ImportKind.fromCode(
                        request.kind() == null ? "" : request.kind().strip())
                .orElse(null);
        if (kind == null) {
            problems.add(
                    new org.sightline.shared.Violation("kind", "code-list", "must be one of " + ImportKind.codes()));
        }
        Agency agency = jdbc.sql("SELECT id, code FROM agency WHERE code = ? AND active")
                .param(request.agencyCode() == null ? "" : request.agencyCode())
                .query((rs, n) -> new Agency(rs.getLong(1), rs.getString(2)))
                .optional()
                .orElse(null);
        if (agency == null) {
            problems.add(new org.sightline.shared.Violation("agency", "unknown", "no active agency has this code"));
        }
        if (request.batchSize() < 1 || request.batchSize() > 100_000) {
            problems.add(new org.sightline.shared.Violation("batchSize", "range", "must be 1 to 100,000"));
        }
        if (!problems.isEmpty()) {
            throw new InvalidRequestException(problems);
        }
        MappingProfile profile = MappingProfile.standard(kind);
        Long profileId = null;
        String name = request.profile() == null ? "" : request.profile().strip();
        if (!name.isEmpty() && !"standard".equals(name)) {
            MappingProfiles.Stored stored = profiles.find(agency.id(), kind, name)
                    .orElseThrow(() -> new InvalidRequestException(
                            "profile",
                            "unknown",
                            "the agency has no " + kind.code() + " mapping profile with this name"));
            profile = stored.profile();
            profileId = stored.id();
        }
        return new Resolved(agency, kind, profile, profileId);
    }

    /** Checks a file without writing anything: the first rows mapped, the would-be counts and every error code. */
    public ImportPreview preview(ImportRequest request, InputStream input) {
        Resolved r = resolve(request);
        ImportPipeline pipeline = new ImportPipeline(
                r.kind(), r.profile(), r.agency().code(), r.agency().id(), request.batchSize(), store, today());
        ImportPipeline.Outcome outcome = pipeline.run(
                input,
                (valid, personIds, quarantined, validator) -> {
                    Map<String, String> held = store.existingHashes(
                            r.kind(),
                            r.agency().id(),
                            valid.stream().map(RowValidator.Valid::ref).toList());
                    int imported = 0;
                    int updated = 0;
                    for (RowValidator.Valid v : valid) {
                        String hash = held.get(v.ref());
                        if (hash == null) {
                            imported++;
                        } else if (!hash.equals(v.hash())) {
                            updated++;
                        }
                    }
                    return new JdbcImportStore.BatchCounts(
                            imported, updated, valid.size() - imported - updated, quarantined.size());
                },
                done -> {},
                header -> {});
        return new ImportPreview(
                r.kind().code(),
                r.profile().name(),
                request.fileName(),
                outcome.header,
                r.kind().columns().stream().map(ImportKind.Column::name).toList(),
                outcome.firstRows,
                outcome.received,
                outcome.imported,
                outcome.updated,
                outcome.unchanged,
                outcome.quarantined,
                outcome.errorsByCode,
                outcome.firstErrors,
                outcome.fileError);
    }

    /** Imports a file now, on the calling thread, and returns the final report. */
    public ImportReport importNow(ImportRequest request, InputStream input, LongConsumer progress) {
        Resolved r = resolve(request);
        JdbcImportStore.RunContext run = createRun(request, r, "queued");
        return inTurn(run, () -> execute(run, r, request.batchSize(), input, progress, line -> false));
    }

    /**
     * Queues an upload (API): kept like a web upload, imported in the background when a slot is free; the report
     * returned says 'queued' (with its place) or 'running', and GET /api/v1/imports/{id} follows it.
     */
    public ImportReport queue(SightlineUser user, ImportRequest request, byte[] content) {
        Resolved r = resolve(request);
        // In the caller's transaction (the API's idempotency key): an upload holds one connection, not two, so a
        // burst of uploads cannot take the whole pool while each waits for a second one.
        JdbcImportStore.RunContext run = insertRun(request, r, "queued");
        jdbc.sql("INSERT INTO import_upload (run_id, content, stored_at) VALUES (?, ?, ?)")
                .params(run.runId(), content, Timestamp.from(clock.instant()))
                .update();
        Kept kept = new Kept(
                run.runId(),
                UUID.fromString(run.runPublicId()),
                r.kind().code(),
                request.profile(),
                request.fileName());
        Runnable start = () -> background.submit(() -> runKept(user, kept, request.batchSize(), null));
        if (org.springframework.transaction.support.TransactionSynchronizationManager.isSynchronizationActive()) {
            org.springframework.transaction.support.TransactionSynchronizationManager.registerSynchronization(
                    new org.springframework.transaction.support.TransactionSynchronization() {
                        @Override
                        public void afterCommit() {
                            start.run();
                        }
                    });
        } else {
            start.run();
        }
        return reportOf(run.runId());
    }

    /**
     * Waits for an import slot, then moves the run from queued to running; a run swept while it waited (its lease
     * lost) is not started. The slot is held until {@code work} ends.
     */
    private ImportReport inTurn(JdbcImportStore.RunContext run, java.util.function.Supplier<ImportReport> work) {
        try {
            slots.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return reportOf(run.runId());
        }
        try {
            int started = ownTransaction.execute(tx -> jdbc.sql(
                            """
                    UPDATE import_run SET status = 'running', version = version + 1
                    WHERE id = ? AND status = 'queued' AND lease_owner = ?""")
                    .params(run.runId(), leases.owner())
                    .update());
            return started == 0 ? reportOf(run.runId()) : work.get();
        } finally {
            slots.release();
        }
    }

    /** Keeps an uploaded file as a previewed run (web: preview, then commit). */
    public UUID keepForCommit(SightlineUser user, ImportRequest request, byte[] content) {
        Resolved r = resolve(request);
        JdbcImportStore.RunContext run = createRun(request, r, "previewed");
        ownTransaction.executeWithoutResult(
                tx -> jdbc.sql("INSERT INTO import_upload (run_id, content, stored_at) VALUES (?, ?, ?)")
                        .params(run.runId(), content, Timestamp.from(clock.instant()))
                        .update());
        return UUID.fromString(run.runPublicId());
    }

    /** Starts a previewed run in the background; its report page shows progress until it finishes. */
    public void commitInBackground(SightlineUser user, UUID runId) {
        Kept kept = take(user, runId, "previewed", "IMPORT_COMMITTED");
        background.submit(() -> runKept(user, kept, DEFAULT_BATCH_SIZE, null));
    }

    /**
     * Resumes an interrupted web run from its kept upload: the lines its committed batches hold are skipped, the
     * rest imported, so every row is counted once and nothing is written twice (rows are idempotent anyway).
     */
    public void resume(SightlineUser user, UUID runId) {
        Kept kept = take(user, runId, "interrupted", "IMPORT_RESUMED");
        background.submit(() -> runKept(user, kept, DEFAULT_BATCH_SIZE, null));
    }

    /** A web or API run taken over by this process, with its kept upload. */
    record Kept(long id, UUID publicId, String kind, String profile, String fileName) {}

    /** Moves a run with a kept upload from {@code from} to queued under this process's lease, audited. */
    Kept take(SightlineUser user, UUID runId, String from, String action) {
        return ownTransaction.execute(tx -> {
            Kept k = jdbc.sql(
                            """
                    SELECT r.id, r.public_id, r.kind, p.name, r.file_name FROM import_run r
                    LEFT JOIN import_mapping_profile p ON p.id = r.profile_id
                    WHERE r.public_id = ? AND r.agency_id = ? FOR UPDATE OF r""")
                    .params(runId, user.agencyId())
                    .query((rs, n) -> new Kept(
                            rs.getLong(1),
                            rs.getObject(2, UUID.class),
                            rs.getString(3),
                            rs.getString(4),
                            rs.getString(5)))
                    .optional()
                    .orElseThrow(() -> new NotFoundException("import"));
            int started = jdbc.sql(
                            """
                    UPDATE import_run SET status = 'queued', queued_at = ?, file_error = NULL, finished_at = NULL,
                           lease_owner = ?, lease_expires_at = ?, version = version + 1
                    WHERE id = ? AND status = ? AND EXISTS (SELECT 1 FROM import_upload u WHERE u.run_id = import_run.id)""")
                    .params(Timestamp.from(clock.instant()), leases.owner(), leases.expiry(), k.id(), from)
                    .update();
            if (started == 0) {
                throw ConflictException.illegalTransition("this import's state", "running");
            }
            audit.record(AuditEntry.of(user.username(), user.agencyCode(), action, "import_run", runId.toString()));
            return k;
        });
    }

    /**
     * In its turn, imports a kept upload (read only then, so queued uploads wait in the database, not in memory),
     * skipping the lines already committed, then frees the upload. {@code input} replaces the upload (tests).
     */
    ImportReport runKept(SightlineUser user, Kept kept, int batchSize, InputStream input) {
        ImportRequest request = new ImportRequest(
                user.agencyCode(), kept.kind(), kept.profile(), kept.fileName(), user.username(), batchSize, null);
        Resolved r = resolve(request);
        JdbcImportStore.RunContext run = new JdbcImportStore.RunContext(
                kept.id(),
                kept.publicId().toString(),
                r.agency().id(),
                r.agency().code(),
                r.kind(),
                user.username());
        return inTurn(run, () -> {
            record Upload(byte[] content, String committedLines) {}
            Upload upload = jdbc.sql(
                            """
                    SELECT u.content, r.committed_lines::text FROM import_run r JOIN import_upload u ON u.run_id = r.id
                    WHERE r.id = ?""")
                    .param(kept.id())
                    .query((rs, n) -> new Upload(rs.getBytes(1), rs.getString(2)))
                    .single();
            ImportReport report = execute(
                    run,
                    r,
                    batchSize,
                    input != null ? input : new ByteArrayInputStream(upload.content()),
                    done -> {},
                    LineRanges.parse(upload.committedLines()));
            if (!"interrupted".equals(report.status())) {
                ownTransaction.executeWithoutResult(tx -> jdbc.sql("DELETE FROM import_upload WHERE run_id = ?")
                        .param(kept.id())
                        .update());
            }
            return report;
        });
    }

    /**
     * Drops a previewed run the user decided not to commit, or an interrupted run they will not resume: its upload
     * and its quarantined rows waiting for correction go; the rows its committed batches imported stay (they are
     * records now, each batch audited) and its report keeps the counts.
     */
    public void discard(SightlineUser user, UUID runId) {
        ownTransaction.executeWithoutResult(tx -> {
            String was = jdbc.sql("SELECT status FROM import_run WHERE public_id = ? AND agency_id = ? FOR UPDATE")
                    .params(runId, user.agencyId())
                    .query(String.class)
                    .optional()
                    .orElseThrow(() -> new NotFoundException("import"));
            if (!"previewed".equals(was) && !"interrupted".equals(was)) {
                throw ConflictException.illegalTransition(was, "discarded");
            }
            jdbc.sql(
                            """
                    UPDATE import_run SET status = 'discarded', finished_at = coalesce(finished_at, ?), version = version + 1
                    WHERE public_id = ?""")
                    .params(Timestamp.from(clock.instant()), runId)
                    .update();
            int rows = jdbc.sql(
                            """
                    DELETE FROM import_quarantine WHERE status = 'quarantined'
                      AND run_id = (SELECT id FROM import_run WHERE public_id = ?)""")
                    .param(runId)
                    .update();
            jdbc.sql("DELETE FROM import_upload WHERE run_id = (SELECT id FROM import_run WHERE public_id = ?)")
                    .param(runId)
                    .update();
            audit.record(AuditEntry.of(
                            user.username(), user.agencyCode(), "IMPORT_DISCARDED", "import_run", runId.toString())
                    .withDetails("was=" + was + " quarantinedRowsRemoved=" + rows));
        });
    }

    /** Whether an interrupted run still has its upload, so it can be resumed (uploads expire). */
    public boolean resumable(SightlineUser user, UUID runId) {
        return jdbc.sql(
                        """
                SELECT EXISTS (SELECT 1 FROM import_run r JOIN import_upload u ON u.run_id = r.id
                               WHERE r.public_id = ? AND r.agency_id = ? AND r.status = 'interrupted')""")
                .params(runId, user.agencyId())
                .query(Boolean.class)
                .single();
    }

    /** The file kept for a previewed run, to show its preview again. */
    public ImportPreview previewKept(SightlineUser user, UUID runId) {
        record Kept(String kind, String profile, String fileName, byte[] content) {}
        Kept kept = jdbc.sql(
                        """
                SELECT r.kind, p.name, r.file_name, u.content FROM import_run r JOIN import_upload u ON u.run_id = r.id
                LEFT JOIN import_mapping_profile p ON p.id = r.profile_id
                WHERE r.public_id = ? AND r.agency_id = ? AND r.status = 'previewed'""")
                .params(runId, user.agencyId())
                .query((rs, n) -> new Kept(rs.getString(1), rs.getString(2), rs.getString(3), rs.getBytes(4)))
                .optional()
                .orElseThrow(() -> new NotFoundException("import"));
        return preview(
                new ImportRequest(
                        user.agencyCode(),
                        kept.kind(),
                        kept.profile(),
                        kept.fileName(),
                        user.username(),
                        DEFAULT_BATCH_SIZE,
                        null),
                new ByteArrayInputStream(kept.content()));
    }

    private JdbcImportStore.RunContext createRun(ImportRequest request, Resolved r, String status) {
        return ownTransaction.execute(tx -> insertRun(request, r, status));
    }

    /** A new run row, audited, in the caller's transaction. */
    private JdbcImportStore.RunContext insertRun(ImportRequest request, Resolved r, String status) {
        return insertRun(
                request.fileName(),
                r.agency(),
                r.kind(),
                null,
                r.profileId(),
                r.profile().name(),
                status,
                request.estimatedRows(),
                request.actor());
    }

    /**
     * A new run row of a standard kind or of another capability's {@link ImportTable}, audited, in the caller's
     * transaction. A queued run takes this process's lease at once, so the sweeper leaves it alone while it waits.
     */
    private JdbcImportStore.RunContext insertRun(
            String requestedName,
            Agency agency,
            ImportKind kind,
            ImportTable table,
            Long profileId,
            String profileName,
            String status,
            Integer estimatedRows,
            String actor) {
        String fileName = requestedName == null || requestedName.isBlank()
                ? "upload.csv"
                : requestedName.replaceAll("[\\p{Cntrl}\\u202A-\\u202E\\u2066-\\u2069]", "_");
        if (fileName.length() > 200) {
            fileName = fileName.substring(0, 200);
        }
        boolean leased = "queued".equals(status) || "running".equals(status);
        record Created(long id, UUID publicId) {}
        String kindCode = table != null ? table.kind() : kind.code();
        Created created = jdbc.sql(
                        """
                INSERT INTO import_run (agency_id, kind, profile_id, file_name, sha256, status, estimated_rows, started_by,
                                        started_at, parameters, queued_at, lease_owner, lease_expires_at)
                VALUES (?, ?, ?, ?, '', ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id, public_id""")
                .params(
                        agency.id(),
                        kindCode,
                        profileId,
                        fileName,
                        status,
                        estimatedRows,
                        actor,
                        Timestamp.from(clock.instant()),
                        table == null ? null : table.parameters(),
                        "queued".equals(status) ? Timestamp.from(clock.instant()) : null,
                        leased ? leases.owner() : null,
                        leased ? leases.expiry() : null)
                .query((rs, n) -> new Created(rs.getLong(1), rs.getObject(2, UUID.class)))
                .single();
        audit.record(AuditEntry.of(
                        actor,
                        agency.code(),
                        leased ? "IMPORT_STARTED" : "IMPORT_PREVIEWED",
                        "import_run",
                        created.publicId().toString())
                .withDetails("kind=" + kindCode + (profileName == null ? "" : " profile=" + profileName)));
        return new JdbcImportStore.RunContext(
                created.id(), created.publicId().toString(), agency.id(), agency.code(), kind, table, actor);
    }

    /**
     * Imports one file through an {@link ImportTable} of another capability (SSDA903), on the calling thread, for
     * an agency the caller has already resolved (an authority may import the years it existed in, after it closed):
     * the same run, batches, quarantine, replay and report as the standard kinds.
     */
    public ImportReport importTable(
            ImportTable table,
            long agencyId,
            String agencyCode,
            String actor,
            String fileName,
            InputStream input,
            int batchSize,
            LongConsumer progress) {
        JdbcImportStore.RunContext run = ownTransaction.execute(tx ->
                insertRun(fileName, new Agency(agencyId, agencyCode), null, table, null, null, "running", null, actor));
        return execute(run, new ImportPipeline(table, agencyId, batchSize, store), input, progress);
    }

    /**
     * What {@link #importTable} would do with a file, writing nothing: the same pipeline, with {@link
     * ImportTable#count} in place of the table's write, so the preview's counts are the run's counts.
     */
    public ImportPreview previewTable(
            ImportTable table, long agencyId, String fileName, InputStream input, int batchSize) {
        ImportPipeline.Outcome outcome = new ImportPipeline(table, agencyId, batchSize, store)
                .run(
                        input,
                        (valid, personIds, quarantined, validator) -> {
                            ImportTable.Counts c = table.count(valid.stream()
                                    .map(v -> TableValidator.row(table, v))
                                    .toList());
                            if (c.imported() + c.updated() + c.unchanged() != valid.size()) {
                                throw new IllegalStateException(
                                        "table " + table.kind() + " counted " + c + " for " + valid.size() + " rows");
                            }
                            return new JdbcImportStore.BatchCounts(
                                    c.imported(), c.updated(), c.unchanged(), quarantined.size());
                        },
                        done -> {},
                        header -> {});
        return new ImportPreview(
                table.kind(),
                "standard",
                fileName,
                outcome.header,
                table.columns(),
                outcome.firstRows,
                outcome.received,
                outcome.imported,
                outcome.updated,
                outcome.unchanged,
                outcome.quarantined,
                outcome.errorsByCode,
                outcome.firstErrors,
                outcome.fileError);
    }

    /** A run's quarantined rows (not yet replayed), by line, for the capability that ran it to report them. */
    public List<QuarantinedRow> quarantinedRows(UUID runId, int limit) {
        long id = jdbc.sql("SELECT id FROM import_run WHERE public_id = ?")
                .param(runId)
                .query(Long.class)
                .single();
        List<String> header = header(id);
        return jdbc.sql(
                        """
                SELECT public_id, line, row_ref, raw::text, errors::text, status, outcome, version, history::text
                FROM import_quarantine WHERE run_id = ? AND status = 'quarantined' ORDER BY line LIMIT ?""")
                .params(id, limit)
                .query((rs, n) -> quarantinedRow(rs, header))
                .list();
    }

    private ImportReport execute(
            JdbcImportStore.RunContext run,
            Resolved r,
            int batchSize,
            InputStream input,
            LongConsumer progress,
            java.util.function.LongPredicate committed) {
        return execute(
                run,
                new ImportPipeline(
                                r.kind(),
                                r.profile(),
                                r.agency().code(),
                                r.agency().id(),
                                batchSize,
                                store,
                                today())
                        .skipping(committed),
                input,
                progress);
    }

    private ImportReport execute(
            JdbcImportStore.RunContext run, ImportPipeline pipeline, InputStream input, LongConsumer progress) {
        MessageDigest sha = DigestUtils.getSha256Digest();
        InputStream digesting = new DigestInputStream(
                new FilterInputStream(input) {
                    @Override
                    public void close() throws IOException {
                        // the caller owns the stream
                    }
                },
                sha);
        String status = "completed";
        String fileError = null;
        try (AutoCloseable lock = store.lockRun(run)) {
            ImportPipeline.Outcome outcome = pipeline.run(
                    digesting,
                    (valid, personIds, quarantined, validator) ->
                            store.persist(run, valid, personIds, quarantined, v -> validator.raw(v.fields())),
                    progress,
                    header -> ownTransaction.executeWithoutResult(
                            tx -> jdbc.sql("UPDATE import_run SET header = ? WHERE id = ?")
                                    .params(header.toArray(String[]::new), run.runId())
                                    .update()));
            digesting.transferTo(java.io.OutputStream.nullOutputStream());
            if (outcome.fileError != null) {
                status = "failed";
                fileError = outcome.fileError;
            }
        } catch (Exception e) {
            // Never a stack trace for the person importing: the run is marked failed with a coded reason and every
            // batch committed so far stays (running the file again completes it).
            if (e instanceof JdbcImportStore.LeaseLostException) {
                LOG.warn(e.getMessage());
            } else {
                LOG.error("import run {} stopped", run.runPublicId(), e);
            }
            status = "failed";
            fileError = ImportError.E1000.name() + " " + STOPPED
                    + ": the import stopped unexpectedly after the rows counted here; "
                    + "run the same file again to complete it";
        }
        String finalStatus = status;
        String finalError = fileError;
        String digest = HexFormat.of().formatHex(sha.digest());
        ownTransaction.executeWithoutResult(tx -> {
            int ended = jdbc.sql(
                            """
                    UPDATE import_run SET status = ?, file_error = ?, sha256 = ?, finished_at = ?, lease_owner = NULL,
                           lease_expires_at = NULL, version = version + 1
                    WHERE id = ? AND status = 'running' AND lease_owner = ?""")
                    .params(
                            finalStatus,
                            finalError,
                            digest,
                            Timestamp.from(clock.instant()),
                            run.runId(),
                            leases.owner())
                    .update();
            if (ended == 0) {
                // Swept as interrupted while this process stalled past its lease: that verdict stands.
                LOG.warn("import run {} lost its lease before it ended; it stays interrupted", run.runPublicId());
                return;
            }
            ImportReport report = reportOf(run.runId());
            audit.record(
                    AuditEntry.of(run.actor(), run.agencyCode(), "IMPORT_FINISHED", "import_run", run.runPublicId())
                            .withDetails("status=" + finalStatus + " received=" + report.received() + " imported="
                                    + report.imported()
                                    + " updated=" + report.updated() + " unchanged=" + report.unchanged()
                                    + " quarantined=" + report.quarantined()));
        });
        return reportOf(run.runId());
    }

    /** A run's report within the user's agency; 404 for another agency's run. */
    public ImportReport report(SightlineUser user, UUID runId) {
        Long id = jdbc.sql("SELECT id FROM import_run WHERE public_id = ? AND agency_id = ?")
                .params(runId, user.agencyId())
                .query(Long.class)
                .optional()
                .orElseThrow(() -> new NotFoundException("import"));
        return reportOf(id);
    }

    /** The agency's most recent runs, newest first. */
    public List<ImportReport> recent(SightlineUser user, int limit) {
        List<Long> ids = jdbc.sql(
                        "SELECT id FROM import_run WHERE agency_id = ? ORDER BY started_at DESC, id DESC LIMIT ?")
                .params(user.agencyId(), limit)
                .query(Long.class)
                .list();
        return ids.stream().map(this::reportOf).toList();
    }

    ImportReport reportOf(long runId) {
        Map<String, Long> errors = new LinkedHashMap<>();
        jdbc.sql(
                        """
                SELECT e->>'code', count(*) FROM import_quarantine q, jsonb_array_elements(q.errors) e
                WHERE q.run_id = ? AND q.status = 'quarantined' GROUP BY 1 ORDER BY 1""")
                .param(runId)
                .query((rs, n) -> errors.put(rs.getString(1), rs.getLong(2)))
                .list();
        return jdbc.sql(
                        """
                SELECT r.public_id, a.code, r.kind, r.file_name, r.sha256, r.status, r.received, r.imported, r.updated,
                       r.unchanged, r.quarantined, r.estimated_rows, r.file_error, r.started_by, r.started_at, r.finished_at,
                       CASE WHEN r.status = 'queued' THEN ((SELECT count(*) FROM import_run w WHERE w.status = 'queued'
                            AND (w.queued_at, w.id) < (r.queued_at, r.id)) + 1)::int END
                FROM import_run r JOIN agency a ON a.id = r.agency_id WHERE r.id = ?""")
                .param(runId)
                .query((rs, n) -> new ImportReport(
                        rs.getObject(1, UUID.class),
                        rs.getString(2),
                        rs.getString(3),
                        rs.getString(4),
                        rs.getString(5),
                        rs.getString(6),
                        rs.getLong(7),
                        rs.getLong(8),
                        rs.getLong(9),
                        rs.getLong(10),
                        rs.getLong(11),
                        (Integer) rs.getObject(12),
                        rs.getString(13),
                        rs.getString(14),
                        rs.getTimestamp(15).toInstant(),
                        rs.getTimestamp(16) == null ? null : rs.getTimestamp(16).toInstant(),
                        errors,
                        (Integer) rs.getObject(17)))
                .single();
    }

    // ---- quarantine ----

    public List<QuarantinedRow> quarantine(SightlineUser user, UUID runId, int limit) {
        long id = runIdInScope(user, runId);
        List<String> header = header(id);
        return jdbc.sql(
                        """
                SELECT public_id, line, row_ref, raw::text, errors::text, status, outcome, version, history::text FROM import_quarantine
                WHERE run_id = ? ORDER BY status DESC, line LIMIT ?""")
                .params(id, limit)
                .query((rs, n) -> quarantinedRow(rs, header))
                .list();
    }

    private List<String> header(long runId) {
        String[] header = jdbc.sql("SELECT header FROM import_run WHERE id = ?")
                .param(runId)
                .query((rs, n) -> (String[]) rs.getArray(1).getArray())
                .single();
        return List.of(header);
    }

    public QuarantinedRow quarantinedRow(SightlineUser user, UUID runId, UUID rowId) {
        long id = runIdInScope(user, runId);
        List<String> header = header(id);
        return jdbc.sql(
                        """
                SELECT public_id, line, row_ref, raw::text, errors::text, status, outcome, version, history::text FROM import_quarantine
                WHERE run_id = ? AND public_id = ?""")
                .params(id, rowId)
                .query((rs, n) -> quarantinedRow(rs, header))
                .optional()
                .orElseThrow(() -> new NotFoundException("quarantined row"));
    }

    /** A quarantined row as its correction form shows it: each value with its standard column and its own errors. */
    public QuarantineForm quarantineForm(SightlineUser user, UUID runId, UUID rowId) {
        return quarantineForm(user, runId, quarantinedRow(user, runId, rowId));
    }

    public QuarantineForm quarantineForm(SightlineUser user, UUID runId, QuarantinedRow row) {
        record RunInfo(String kind, String profile, String[] header) {}
        RunInfo info = jdbc.sql(
                        """
                SELECT r.kind, p.name, r.header FROM import_run r LEFT JOIN import_mapping_profile p ON p.id = r.profile_id
                WHERE r.public_id = ? AND r.agency_id = ?""")
                .params(runId, user.agencyId())
                .query((rs, n) -> new RunInfo(rs.getString(1), rs.getString(2), (String[])
                        rs.getArray(3).getArray()))
                .optional()
                .orElseThrow(() -> new NotFoundException("import"));
        // Raw keys are the file's column names (a repeated name gets " (2)"); the profile maps names to columns.
        List<String> header = List.of(info.header());
        List<String> keys = RowValidator.rawKeys(header);
        Map<String, String> standard = new LinkedHashMap<>();
        if (ImportKind.fromCode(info.kind()).isEmpty()) {
            // A table reads its columns by name, upper-cased: the name is the column.
            for (int i = 0; i < keys.size(); i++) {
                standard.put(keys.get(i), header.get(i).strip().toUpperCase(java.util.Locale.ROOT));
            }
            return QuarantineForm.of(row, standard);
        }
        MappingProfile profile = resolve(new ImportRequest(
                        user.agencyCode(),
                        info.kind(),
                        info.profile(),
                        null,
                        user.username(),
                        DEFAULT_BATCH_SIZE,
                        null))
                .profile();
        for (int i = 0; i < keys.size(); i++) {
            String column = profile.columnMap().get(header.get(i));
            if (column != null && !standard.containsValue(column)) {
                standard.put(keys.get(i), column);
            }
        }
        return QuarantineForm.of(row, standard);
    }

    /** jsonb keeps keys in its own order: put them back in the file's column order, extras after. */
    private QuarantinedRow quarantinedRow(java.sql.ResultSet rs, List<String> header) throws java.sql.SQLException {
        Map<String, String> stored =
                json.readValue(rs.getString(4), new TypeReference<LinkedHashMap<String, String>>() {});
        Map<String, String> raw = new LinkedHashMap<>();
        for (String key : RowValidator.rawKeys(header)) {
            if (stored.containsKey(key)) {
                raw.put(key, stored.remove(key));
            }
        }
        stored.keySet().stream().sorted().forEach(k -> raw.put(k, stored.get(k)));
        List<RowError> errors = json.readValue(rs.getString(5), new TypeReference<List<RowError>>() {});
        List<QuarantinedRow.QuarantineHistoryEntry> history =
                json.readValue(rs.getString(9), new TypeReference<List<QuarantinedRow.QuarantineHistoryEntry>>() {});
        return new QuarantinedRow(
                rs.getObject(1, UUID.class),
                rs.getLong(2),
                rs.getString(3),
                raw,
                errors,
                rs.getString(6),
                rs.getString(7),
                rs.getInt(8),
                history);
    }

    private long runIdInScope(SightlineUser user, UUID runId) {
        return jdbc.sql("SELECT id FROM import_run WHERE public_id = ? AND agency_id = ?")
                .params(runId, user.agencyId())
                .query(Long.class)
                .optional()
                .orElseThrow(() -> new NotFoundException("import"));
    }

    /** Corrects values by the file's column names (a row whose fields match the header) and replays the row. */
    public QuarantinedRow correctAndReplay(
            SightlineUser user, UUID runId, UUID rowId, Map<String, String> corrected, int version) {
        return correctAndReplay(user, runId, rowId, corrected, null, version, false);
    }

    /**
     * Saves a correction of a quarantined row and tries it again: if it now passes it is persisted and the run's
     * counts move it from quarantined to its outcome; otherwise it stays with its new errors. What it replaced is
     * kept in the row's history. A row is always read whole: {@code line}, when given, is the corrected row as one
     * CSV line read in the file's dialect (the only correction a row with the wrong number of fields takes, so its
     * values are never shifted or padded into columns); otherwise {@code corrected} values replace the same
     * columns' values. A record changed since this row's import started (a later import, or by hand) is not
     * overwritten unless {@code overwriteNewer}: nothing is saved and a 'newer-version' conflict says so.
     */
    public QuarantinedRow correctAndReplay(
            SightlineUser user,
            UUID runId,
            UUID rowId,
            Map<String, String> corrected,
            String line,
            int version,
            boolean overwriteNewer) {
        record RunInfo(long id, String kind, String profile, String[] header, String parameters, Timestamp startedAt) {}
        RunInfo info = jdbc.sql(
                        """
                SELECT r.id, r.kind, p.name, r.header, r.parameters, r.started_at FROM import_run r
                LEFT JOIN import_mapping_profile p ON p.id = r.profile_id
                WHERE r.public_id = ? AND r.agency_id = ?""")
                .params(runId, user.agencyId())
                .query((rs, n) -> new RunInfo(
                        rs.getLong(1),
                        rs.getString(2),
                        rs.getString(3),
                        (String[]) rs.getArray(4).getArray(),
                        rs.getString(5),
                        rs.getTimestamp(6)))
                .optional()
                .orElseThrow(() -> new NotFoundException("import"));
        QuarantinedRow row = quarantinedRow(user, runId, rowId);
        if (!"quarantined".equals(row.status())) {
            throw ConflictException.illegalTransition(row.status(), "replayed");
        }
        if (row.version() != version) {
            throw ConflictException.staleVersion("The quarantined row");
        }
        if (ImportKind.fromCode(info.kind()).isEmpty()) {
            ImportTable table = tables.orderedStream()
                    .map(f -> f.forRun(info.kind(), user.agencyId(), user.agencyCode(), info.parameters()))
                    .flatMap(java.util.Optional::stream)
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("no import table for kind " + info.kind()));
            TableValidator validator = new TableValidator(table, List.of(info.header()));
            String[] fields = validator.fieldsOf(corrected(row, corrected));
            Object result = validator.validate(row.line(), fields);
            List<RowError> errors = result instanceof RowValidator.Invalid bad ? bad.errors() : List.of();
            JdbcImportStore.RunContext run = new JdbcImportStore.RunContext(
                    info.id(), runId.toString(), user.agencyId(), user.agencyCode(), null, table, user.username());
            store.replay(
                    run,
                    row.id(),
                    version,
                    validator.raw(fields),
                    errors,
                    errors.isEmpty() ? (RowValidator.Valid) result : null,
                    null);
            return quarantinedRow(user, runId, rowId);
        }
        Resolved r = resolve(new ImportRequest(
                user.agencyCode(), info.kind(), info.profile(), null, user.username(), DEFAULT_BATCH_SIZE, null));
        RowValidator validator = new RowValidator(
                r.kind(), r.profile(), List.of(info.header()), r.agency().code(), today());
        String[] fields;
        if (line != null) {
            fields = CsvRows.parseLine(line);
            if (fields == null) {
                throw new InvalidRequestException(
                        "line",
                        "one-row",
                        "must be one CSV row: fields separated by commas, "
                                + "a value holding a comma or a line break in double quotes");
            }
        } else if (row.wholeLine()) {
            throw new InvalidRequestException(
                    "line",
                    "required",
                    "this row has the wrong number of fields: "
                            + "correct it as one CSV line (send 'line'), so no value lands in another column");
        } else {
            Map<String, String> raw = new LinkedHashMap<>(row.raw());
            if (corrected != null) {
                corrected.forEach((k, v) -> {
                    if (raw.containsKey(k)) {
                        raw.put(k, v == null ? "" : v);
                    }
                });
            }
            fields = validator.fieldsOf(raw);
        }
        Object result = validator.validate(row.line(), fields);
        List<RowError> errors =
                result instanceof RowValidator.Invalid bad ? new ArrayList<>(bad.errors()) : new ArrayList<>();
        if (result instanceof RowValidator.Valid v
                && !overwriteNewer
                && store.changedSince(r.kind(), r.agency().id(), v.ref(), info.startedAt())) {
            throw new ConflictException(
                    "newer-version",
                    "the record this row imports has changed since its file was "
                            + "imported (a later import or an edit); replaying the row would overwrite the newer version: confirm to "
                            + "overwrite it");
        }
        Long personId = null;
        if (result instanceof RowValidator.Valid v && r.kind().referencesPersonRecord()) {
            String recordRef = v.values()[r.kind().indexOf("record_ref")];
            personId =
                    store.personRecordIds(r.agency().id(), List.of(recordRef)).get(recordRef);
            if (personId == null) {
                errors.add(RowError.of(ImportError.E1005, row.line(), "record_ref", null));
            }
        }
        if (result instanceof RowValidator.Valid v && r.kind() == ImportKind.ASSOCIATIONS) {
            errors.addAll(store.unresolvedEnds(r.agency().id(), List.of(v)).get(0));
        }
        Map<String, String> saved = validator.raw(fields);
        JdbcImportStore.RunContext run = new JdbcImportStore.RunContext(
                info.id(), runId.toString(), r.agency().id(), r.agency().code(), r.kind(), user.username());
        List<Long> personIds = personId == null ? null : List.of(personId);
        store.replay(
                run,
                row.id(),
                version,
                saved,
                errors,
                errors.isEmpty() ? (RowValidator.Valid) result : null,
                personIds);
        return quarantinedRow(user, runId, rowId);
    }

    /** The row's raw values with the corrections to its own columns applied. */
    private static Map<String, String> corrected(QuarantinedRow row, Map<String, String> corrected) {
        Map<String, String> raw = new LinkedHashMap<>(row.raw());
        if (corrected != null) {
            corrected.forEach((k, v) -> {
                if (raw.containsKey(k)) {
                    raw.put(k, v == null ? "" : v);
                }
            });
        }
        return raw;
    }

    @jakarta.annotation.PreDestroy
    void stop() {
        background.shutdown();
    }

    /** Today in England and Wales, for rules such as "a date of birth is not in the future". */
    private java.time.LocalDate today() {
        return java.time.LocalDate.now(clock.withZone(org.sightline.shared.ClockConfiguration.DISPLAY_ZONE));
    }
}
