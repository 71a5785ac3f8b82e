package org.sightline.importexport;

import de.siegmar.fastcsv.writer.CsvWriter;
import de.siegmar.fastcsv.writer.LineDelimiter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.copy.PGCopyOutputStream;
import org.sightline.audit.AuditEntry;
import org.sightline.audit.AuditLog;
import org.sightline.network.AdultsOfConcern;
import org.sightline.network.NetworkService;
import org.sightline.person.PersonRecords;
import org.sightline.shared.ClockConfiguration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.ObjectMapper;

/**
 * Persist stage: one batch per transaction of its own (REQUIRES_NEW, whatever the caller holds), so a killed
 * import keeps every committed batch and a re-run finds those rows unchanged. Valid rows are COPYed into a
 * temporary staging table and moved with set-based SQL ({@link KindSql}); quarantined rows, the run's counters
 * and an audit entry are written in the same transaction, so the counts always match what is stored.
 */
@Component
class JdbcImportStore {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(JdbcImportStore.class);

    private final JdbcClient jdbc;
    private final DataSource dataSource;
    private final TransactionTemplate batchTransaction;
    private final AuditLog audit;
    private final ObjectMapper json;
    private final Clock clock;
    private final PersonRecords people;
    private final AdultsOfConcern adults;
    private final ImportLeases leases;
    private final NetworkService network;

    JdbcImportStore(
            JdbcClient jdbc,
            DataSource dataSource,
            PlatformTransactionManager transactions,
            AuditLog audit,
            ObjectMapper json,
            Clock clock,
            PersonRecords people,
            AdultsOfConcern adults,
            ImportLeases leases,
            NetworkService network) {
        this.people = people;
        this.adults = adults;
        this.network = network;
        this.leases = leases;
        this.jdbc = jdbc;
        this.dataSource = dataSource;
        this.batchTransaction = new TransactionTemplate(transactions);
        this.batchTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        this.audit = audit;
        this.json = json;
        this.clock = clock;
    }

    /** Who runs an import, for which agency and run, of a standard kind or through an {@link ImportTable}. */
    record RunContext(
            long runId,
            String runPublicId,
            long agencyId,
            String agencyCode,
            ImportKind kind,
            ImportTable table,
            String actor) {

        RunContext(long runId, String runPublicId, long agencyId, String agencyCode, ImportKind kind, String actor) {
            this(runId, runPublicId, agencyId, agencyCode, kind, null, actor);
        }

        String kindCode() {
            return table != null ? table.kind() : kind.code();
        }
    }

    /** A row for the quarantine table. */
    record QuarantineRow(long line, String ref, Map<String, String> raw, List<RowError> errors) {}

    record BatchCounts(int imported, int updated, int unchanged, int quarantined) {
        int received() {
            return imported + updated + unchanged + quarantined;
        }
    }

    /** Runs whose agency-and-kind lock this process holds for the whole run (see {@link #lockRun}). */
    private final java.util.Set<Long> lockedRuns = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /**
     * Takes the agency-and-kind import lock for a whole run, on a connection of its own held until the returned
     * handle is closed, so the run's batches can be persisted in parallel on other connections without taking
     * it themselves. Another run (or a quarantine replay) for the same agency and kind waits until this one
     * ends. A killed process's connection closes and PostgreSQL releases the lock with it.
     */
    AutoCloseable lockRun(RunContext run) {
        Connection connection;
        try {
            connection = dataSource.getConnection();
            try (java.sql.PreparedStatement lock = connection.prepareStatement("SELECT pg_advisory_lock(?, ?)")) {
                lock.setInt(1, (int) run.agencyId());
                lock.setInt(2, lockKey(run.kindCode()));
                lock.executeQuery().close();
            } catch (SQLException e) {
                connection.close();
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not take the import lock: " + e.getMessage(), e);
        }
        lockedRuns.add(run.runId());
        return () -> {
            lockedRuns.remove(run.runId());
            try (connection;
                    java.sql.PreparedStatement unlock =
                            connection.prepareStatement("SELECT pg_advisory_unlock(?, ?)")) {
                unlock.setInt(1, (int) run.agencyId());
                unlock.setInt(2, lockKey(run.kindCode()));
                unlock.executeQuery().close();
            } catch (SQLException e) {
                // A pooled connection must not keep the lock: drop it rather than hand it back.
                LOG.warn("import lock release failed, discarding the connection: {}", e.getMessage());
                try {
                    connection.abort(Runnable::run);
                } catch (SQLException ignored) {
                    // already unusable
                }
            }
        };
    }

    static int lockKey(ImportKind kind) {
        return lockKey(kind.code());
    }

    /** The advisory lock key of a kind: the standard kinds by position, a table's kind by its code. */
    static int lockKey(String kind) {
        return ImportKind.fromCode(kind)
                .map(k -> k.ordinal() + 0x1300)
                .orElseGet(() -> 0x1400 + Math.floorMod(kind.hashCode(), 0x100));
    }

    /** The agency's person records among {@code refs}: record_ref → id (the preheat for episodes and concerns). */
    Map<String, Long> personRecordIds(long agencyId, List<String> refs) {
        Map<String, Long> ids = new HashMap<>();
        if (refs.isEmpty()) {
            return ids;
        }
        jdbc.sql("SELECT record_ref, id FROM person_record WHERE agency_id = :agency AND record_ref = ANY(:refs)")
                .param("agency", agencyId)
                .param("refs", refs.toArray(String[]::new))
                .query((rs, n) -> ids.put(rs.getString(1), rs.getLong(2)))
                .list();
        return ids;
    }

    /**
     * For association rows: the errors of the ends that are not the agency's own rows (E1016 naming the column and
     * the kind of row it should be, never the value), one list per row, empty when both ends resolve. An end resolves
     * only within the importing agency: its person records, adults of concern, locations, vehicles and phones.
     */
    List<List<RowError>> unresolvedEnds(long agencyId, List<RowValidator.Valid> rows) {
        ImportKind kind = ImportKind.ASSOCIATIONS;
        Map<String, java.util.Set<String>> wanted = new HashMap<>();
        for (RowValidator.Valid row : rows) {
            for (String end : new String[] {"from", "to"}) {
                wanted.computeIfAbsent(row.values()[kind.indexOf(end + "_kind")], k -> new java.util.HashSet<>())
                        .add(row.values()[kind.indexOf(end + "_ref")]);
            }
        }
        Map<String, java.util.Set<String>> held = new HashMap<>();
        wanted.forEach((endKind, refs) -> {
            KindSql.End end = KindSql.END.get(endKind);
            java.util.Set<String> found = new java.util.HashSet<>();
            jdbc.sql("SELECT " + end.refColumn() + " FROM " + end.table() + " WHERE agency_id = :agency AND "
                            + end.refColumn() + " = ANY(:refs)")
                    .param("agency", agencyId)
                    .param("refs", refs.toArray(String[]::new))
                    .query(String.class)
                    .list()
                    .forEach(found::add);
            held.put(endKind, found);
        });
        List<List<RowError>> errors = new ArrayList<>(rows.size());
        for (RowValidator.Valid row : rows) {
            List<RowError> rowErrors = new ArrayList<>(0);
            for (String end : new String[] {"from", "to"}) {
                String endKind = row.values()[kind.indexOf(end + "_kind")];
                if (!held.get(endKind).contains(row.values()[kind.indexOf(end + "_ref")])) {
                    KindSql.End e = KindSql.END.get(endKind);
                    rowErrors.add(RowError.of(
                            ImportError.E1016,
                            row.line(),
                            end + "_ref",
                            "no " + e.noun() + " with this " + end + "_ref in the agency: import " + e.importKind()
                                    + " first, or correct the reference"));
                }
            }
            errors.add(rowErrors);
        }
        return errors;
    }

    /** Whether the agency's row with this reference was written after {@code since} (a later import or an edit). */
    boolean changedSince(ImportKind kind, long agencyId, String ref, Timestamp since) {
        KindSql sql = KindSql.of(kind);
        return jdbc.sql("SELECT EXISTS (SELECT 1 FROM " + sql.table + " WHERE agency_id = ? AND " + sql.refColumn
                        + " = ? AND updated_at > ?)")
                .params(agencyId, ref, since)
                .query(Boolean.class)
                .single();
    }

    /** Content hashes the agency already holds for {@code refs} (blank hash = held but never imported). */
    Map<String, String> existingHashes(ImportKind kind, long agencyId, List<String> refs) {
        KindSql sql = KindSql.of(kind);
        Map<String, String> hashes = new HashMap<>();
        if (refs.isEmpty()) {
            return hashes;
        }
        jdbc.sql("SELECT " + sql.refColumn + ", coalesce(content_hash, '') FROM " + sql.table
                        + " WHERE agency_id = :agency AND " + sql.refColumn + " = ANY(:refs)")
                .param("agency", agencyId)
                .param("refs", refs.toArray(String[]::new))
                .query((rs, n) -> hashes.put(rs.getString(1), rs.getString(2)))
                .list();
        return hashes;
    }

    /**
     * Persists one batch in its own transaction. {@code personIds} is parallel to {@code valid} (null for person
     * records). If the database refuses the batch's data (a constraint or a value it cannot store), the batch is
     * retried row by row and the rows it still refuses are quarantined (E1013), so one odd row never stops an import
     * or loses the others. Any other failure (connection lost, permissions, a lock timeout) is an outage, not bad
     * data: it is thrown, and the run fails instead of quarantining every row.
     */
    BatchCounts persist(
            RunContext run,
            List<RowValidator.Valid> valid,
            List<Long> personIds,
            List<QuarantineRow> quarantined,
            java.util.function.Function<RowValidator.Valid, Map<String, String>> rawOf) {
        try {
            return batchTransaction.execute(tx -> write(run, valid, personIds, quarantined, false));
        } catch (RuntimeException batchFailure) {
            if (!isDataError(batchFailure)) {
                throw batchFailure;
            }
            if (valid.size() <= 1 && quarantined.isEmpty()) {
                throw batchFailure;
            }
            // The cause without its message: PostgreSQL's detail can quote the row's values (personal data).
            LOG.info(
                    "import run {}: the database refused a batch of {} rows ({}); retrying them one by one",
                    run.runPublicId(),
                    valid.size(),
                    describe(batchFailure));
            int imported = 0;
            int updated = 0;
            int unchanged = 0;
            List<QuarantineRow> refused = new ArrayList<>(quarantined);
            for (int i = 0; i < valid.size(); i++) {
                RowValidator.Valid row = valid.get(i);
                try {
                    BatchCounts one = persist(
                            run, List.of(row), personIds == null ? null : List.of(personIds.get(i)), List.of(), rawOf);
                    imported += one.imported();
                    updated += one.updated();
                    unchanged += one.unchanged();
                } catch (RuntimeException rowFailure) {
                    if (!isDataError(rowFailure)) {
                        throw rowFailure;
                    }
                    LOG.info(
                            "import run {}: line {} refused by the database ({})",
                            run.runPublicId(),
                            row.line(),
                            describe(rowFailure));
                    refused.add(new QuarantineRow(
                            row.line(),
                            row.ref(),
                            rawOf.apply(row),
                            List.of(RowError.of(ImportError.E1013, row.line(), null, null))));
                }
            }
            BatchCounts rest = batchTransaction.execute(tx -> write(run, List.of(), null, refused, false));
            return new BatchCounts(imported, updated, unchanged, rest.quarantined());
        }
    }

    /** SQLSTATE class 22 (data exception) or 23 (integrity constraint): the row's fault, not the database's. */
    static boolean isDataError(Throwable failure) {
        if (failure instanceof org.springframework.dao.DataIntegrityViolationException) {
            return true;
        }
        String state = sqlState(failure);
        return state != null && (state.startsWith("22") || state.startsWith("23"));
    }

    private static String sqlState(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof java.sql.SQLException sql && sql.getSQLState() != null) {
                return sql.getSQLState();
            }
        }
        return null;
    }

    private static String describe(Throwable failure) {
        String constraint = null;
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof org.postgresql.util.PSQLException p && p.getServerErrorMessage() != null) {
                constraint = p.getServerErrorMessage().getConstraint();
            }
        }
        return failure.getClass().getSimpleName() + ", SQLSTATE " + sqlState(failure)
                + (constraint == null ? "" : ", constraint " + constraint);
    }

    /** What the agency already holds for a reference: the row's id and content hash (blank = never imported). */
    private record Held(long id, String hash) {}

    /**
     * The agency's rows among {@code refs}. {@code = ANY(array)} keeps this an index lookup on (agency_id, ref)
     * even while the table's statistics are stale in the middle of a large import (a join against the staging
     * table was planned as a hash of the agency's whole table, so every batch got slower than the last).
     */
    private Map<String, Held> held(ImportKind kind, long agencyId, List<String> refs) {
        KindSql sql = KindSql.of(kind);
        Map<String, Held> held = new HashMap<>(refs.size() * 2);
        if (refs.isEmpty()) {
            return held;
        }
        jdbc.sql("SELECT " + sql.refColumn + ", id, coalesce(content_hash, '') FROM " + sql.table
                        + " WHERE agency_id = :agency AND " + sql.refColumn + " = ANY(:refs)")
                .param("agency", agencyId)
                .param("refs", refs.toArray(String[]::new))
                .query((rs, n) -> held.put(rs.getString(1), new Held(rs.getLong(2), rs.getString(3))))
                .list();
        return held;
    }

    private BatchCounts write(
            RunContext run,
            List<RowValidator.Valid> valid,
            List<Long> personIds,
            List<QuarantineRow> quarantined,
            boolean replaying) {
        long started = System.nanoTime();
        Instant now = clock.instant();
        Timestamp nowTs = Timestamp.from(now);
        LocalDate today = LocalDate.ofInstant(now, ClockConfiguration.DISPLAY_ZONE);
        // Bulk rows are restored by re-importing the file, so a crash losing the last commits costs nothing: do
        // not wait for the WAL flush (the data stays consistent; PostgreSQL still fsyncs in the background).
        jdbc.sql("SET LOCAL synchronous_commit = off").update();
        // One writer per agency and kind at a time: concurrent runs would race on the same keys. Under this lock
        // (held for the whole run by lockRun, or taken here) the rows classified below as new cannot appear
        // before the insert.
        if (!lockedRuns.contains(run.runId()) || replaying) {
            jdbc.sql("SELECT pg_advisory_xact_lock(:agency, :kind)")
                    .param("agency", (int) run.agencyId())
                    .param("kind", lockKey(run.kindCode()))
                    .query()
                    .singleRow();
        }
        int imported = 0;
        int updated = 0;
        int toInsert = 0;
        int toUpdate = 0;
        long classified = started;
        long staged = started;
        long changedDone = started;
        if (run.table() != null && !valid.isEmpty()) {
            // A table writes its own rows and says what each batch did.
            ImportTable.Counts written = run.table()
                    .write(valid.stream()
                            .map(v -> TableValidator.row(run.table(), v))
                            .toList());
            imported = written.imported();
            updated = written.updated();
            toInsert = imported;
            toUpdate = updated;
            if (written.unchanged() != valid.size() - imported - updated) {
                throw new IllegalStateException(
                        "table " + run.kindCode() + " counted " + written + " for " + valid.size() + " rows");
            }
        } else if (!valid.isEmpty()) {
            // Unchanged rows (the whole file, on a re-import) stop here: only new and changed rows are staged.
            Map<String, Held> held = held(
                    run.kind(),
                    run.agencyId(),
                    valid.stream().map(RowValidator.Valid::ref).toList());
            long[] targetIds = new long[valid.size()];
            boolean[] stage = new boolean[valid.size()];
            for (int i = 0; i < valid.size(); i++) {
                RowValidator.Valid row = valid.get(i);
                Held h = held.get(row.ref());
                if (h == null) {
                    stage[i] = true;
                    toInsert++;
                } else if (!h.hash().equals(row.hash())) {
                    stage[i] = true;
                    targetIds[i] = h.id();
                    toUpdate++;
                }
            }
            classified = System.nanoTime();
            staged = classified;
            changedDone = classified;
            if (toInsert + toUpdate > 0) {
                stage(run.kind(), valid, personIds, stage, targetIds);
                staged = System.nanoTime();
                KindSql sql = KindSql.of(run.kind());
                if (KindSql.writtenElsewhere(run.kind())) {
                    if (toUpdate > 0) {
                        jdbc.sql(sql.update)
                                .param("run", run.runId())
                                .param("actor", run.actor())
                                .param("now", nowTs)
                                .update();
                    }
                    if (run.kind() == ImportKind.PERSON_RECORDS) {
                        // The person capability writes the rows and has them resolved into identities in this batch.
                        PersonRecords.StagedResult written =
                                people.writeStaged(run.agencyId(), toUpdate > 0, toInsert > 0, now, today);
                        updated = written.updated();
                        imported = written.created();
                    } else {
                        AdultsOfConcern.Written written =
                                adults.writeStaged(run.agencyId(), toUpdate > 0, toInsert > 0, now);
                        updated = written.updated();
                        imported = written.created();
                    }
                } else if (toUpdate > 0) {
                    updated = jdbc.sql(sql.update)
                            .param("run", run.runId())
                            .param("actor", run.actor())
                            .param("now", nowTs)
                            .param("today", today)
                            .query(Integer.class)
                            .single();
                }
                changedDone = System.nanoTime();
                if (toInsert > 0 && !KindSql.writtenElsewhere(run.kind())) {
                    imported = jdbc.sql(sql.insert)
                            .param("agency", run.agencyId())
                            .param("actor", run.actor())
                            .param("now", nowTs)
                            .param("today", today)
                            .query(Integer.class)
                            .single();
                }
                if (run.kind() == ImportKind.MISSING_EPISODES) {
                    // Found places join the network as they do when recorded on the episode's page.
                    List<String> refs = new ArrayList<>(toInsert + toUpdate);
                    for (int i = 0; i < valid.size(); i++) {
                        if (stage[i]) {
                            refs.add(valid.get(i).ref());
                        }
                    }
                    network.recordFoundImported(
                            run.agencyId(), run.agencyCode(), run.actor(), refs, "import:" + run.runPublicId());
                }
            }
        }
        long written = System.nanoTime();
        for (QuarantineRow q : quarantined) {
            jdbc.sql(
                            """
                    INSERT INTO import_quarantine (run_id, line, row_ref, raw, errors)
                    VALUES (:run, :line, :ref, :raw::jsonb, :errors::jsonb)""")
                    .param("run", run.runId())
                    .param("line", q.line())
                    .param("ref", q.ref())
                    .param("raw", json.writeValueAsString(q.raw()))
                    .param("errors", json.writeValueAsString(q.errors()))
                    .update();
        }
        BatchCounts counts = new BatchCounts(imported, updated, valid.size() - imported - updated, quarantined.size());
        if (counts.unchanged() < 0 || imported != toInsert || updated > toUpdate) {
            throw new IllegalStateException("batch counts do not add up: " + counts + " expected to insert " + toInsert
                    + " and update " + toUpdate);
        }
        addToRun(run, counts, committedLines(valid, quarantined), !replaying);
        audit.record(AuditEntry.of(run.actor(), run.agencyCode(), "IMPORT_BATCH", "import_run", run.runPublicId())
                .withDetails(
                        "kind=" + run.kindCode() + " imported=" + counts.imported() + " updated=" + counts.updated()
                                + " unchanged=" + counts.unchanged() + " quarantined=" + counts.quarantined()));
        if (LOG.isDebugEnabled()) {
            LOG.debug(
                    "batch of {} valid, {} quarantined: classify {} ms, stage {} ms, update {} ms, insert {} ms, rest {} ms",
                    valid.size(),
                    quarantined.size(),
                    ms(classified - started),
                    ms(staged - classified),
                    ms(changedDone - staged),
                    ms(written - changedDone),
                    ms(System.nanoTime() - written));
        }
        return counts;
    }

    private static long ms(long nanos) {
        return Math.max(0, nanos / 1_000_000);
    }

    /**
     * Stores a quarantined row's corrected values; when {@code valid} is given the row is persisted and moves, in
     * the same transaction, from the run's quarantined count to its outcome, so the report still adds up.
     */
    void replay(
            RunContext run,
            java.util.UUID rowId,
            int version,
            Map<String, String> raw,
            List<RowError> errors,
            RowValidator.Valid valid,
            List<Long> personIds) {
        batchTransaction.executeWithoutResult(tx -> {
            // What the correction replaces joins the history (the right-hand side reads the row before the update).
            int n = jdbc.sql(
                            """
                    UPDATE import_quarantine SET raw = :raw::jsonb, errors = :errors::jsonb, version = version + 1,
                           history = history || jsonb_build_array(jsonb_build_object('raw', raw, 'errors', errors,
                                   'replacedBy', :actor::text, 'replacedAt', :now::timestamptz))
                    WHERE public_id = :id AND version = :version AND status = 'quarantined'""")
                    .param("raw", json.writeValueAsString(raw))
                    .param("errors", json.writeValueAsString(errors))
                    .param("actor", run.actor())
                    .param("now", Timestamp.from(clock.instant()))
                    .param("id", rowId)
                    .param("version", version)
                    .update();
            if (n == 0) {
                throw org.sightline.shared.ConflictException.staleVersion("The quarantined row");
            }
            if (valid == null) {
                audit.record(AuditEntry.of(
                                run.actor(),
                                run.agencyCode(),
                                "IMPORT_ROW_CORRECTED",
                                "import_quarantine",
                                rowId.toString())
                        .withDetails("errors=" + errors.size()));
                return;
            }
            BatchCounts counts = write(run, List.of(valid), personIds, List.of(), true);
            String outcome = counts.imported() == 1 ? "imported" : counts.updated() == 1 ? "updated" : "unchanged";
            jdbc.sql(
                            """
                    UPDATE import_run SET received = received - 1, quarantined = quarantined - 1 WHERE id = :id""")
                    .param("id", run.runId())
                    .update();
            jdbc.sql(
                            """
                    UPDATE import_quarantine SET status = 'replayed', outcome = :outcome, resolved_by = :actor,
                           resolved_at = :now WHERE public_id = :id""")
                    .param("outcome", outcome)
                    .param("actor", run.actor())
                    .param("now", Timestamp.from(clock.instant()))
                    .param("id", rowId)
                    .update();
            audit.record(AuditEntry.of(
                            run.actor(), run.agencyCode(), "IMPORT_ROW_REPLAYED", "import_quarantine", rowId.toString())
                    .withDetails("outcome=" + outcome));
        });
    }

    /**
     * Adds a batch to its run: the counts, the batch's lines (what a resumed run skips) and, for a run in progress,
     * a renewed lease. A run whose lease this process no longer holds (swept as interrupted while stalled) takes
     * no more batches: this one rolls back and the run stops.
     */
    private void addToRun(RunContext run, BatchCounts counts, String lines, boolean leased) {
        int n = jdbc.sql(
                        """
                UPDATE import_run SET received = received + :received, imported = imported + :imported,
                       updated = updated + :updated, unchanged = unchanged + :unchanged, quarantined = quarantined + :quarantined,
                       committed_lines = committed_lines + :lines::int8multirange,
                       lease_expires_at = CASE WHEN :leased THEN :expiry ELSE lease_expires_at END
                WHERE id = :id AND (NOT :leased OR (status = 'running' AND lease_owner = :owner))""")
                .param("received", counts.received())
                .param("imported", counts.imported())
                .param("updated", counts.updated())
                .param("unchanged", counts.unchanged())
                .param("quarantined", counts.quarantined())
                .param("lines", lines)
                .param("leased", leased)
                .param("expiry", leases.expiry())
                .param("owner", leases.owner())
                .param("id", run.runId())
                .update();
        if (n == 0) {
            throw new LeaseLostException(run.runPublicId());
        }
    }

    /** This process no longer owns the run (its lease expired and it was swept): it must not write on. */
    static final class LeaseLostException extends IllegalStateException {
        LeaseLostException(String run) {
            super("import run " + run + " lost its lease (swept as interrupted); no more batches are written");
        }
    }

    /** The file lines of a batch as a multirange literal, e.g. {[2,5),[7,8)}. */
    static String committedLines(List<RowValidator.Valid> valid, List<QuarantineRow> quarantined) {
        long[] lines = new long[valid.size() + quarantined.size()];
        int i = 0;
        for (RowValidator.Valid v : valid) {
            lines[i++] = v.line();
        }
        for (QuarantineRow q : quarantined) {
            lines[i++] = q.line();
        }
        java.util.Arrays.sort(lines);
        StringBuilder ranges = new StringBuilder("{");
        for (int start = 0; start < lines.length; ) {
            int end = start;
            while (end + 1 < lines.length && lines[end + 1] <= lines[end] + 1) {
                end++;
            }
            ranges.append(ranges.length() > 1 ? "," : "")
                    .append('[')
                    .append(lines[start])
                    .append(',')
                    .append(lines[end] + 1)
                    .append(')');
            start = end + 1;
        }
        return ranges.append('}').toString();
    }

    /**
     * COPY the rows to write (new: target_id empty; changed: target_id = the row they replace) into a
     * transaction-scoped staging table with the kind's standard columns (all text), streaming as the CSV is
     * written so PostgreSQL parses while Java formats. No ANALYZE: the statements over it read it whole.
     */
    private void stage(
            ImportKind kind,
            List<RowValidator.Valid> valid,
            List<Long> personIds,
            boolean[] include,
            long[] targetIds) {
        Connection connection = DataSourceUtils.getConnection(dataSource);
        StringBuilder ddl = new StringBuilder(
                "CREATE TEMP TABLE stage (line bigint, hash text, person_record_id bigint, target_id bigint, ref text");
        for (ImportKind.Column column : kind.columns()) {
            ddl.append(", ").append(column.name()).append(" text");
        }
        ddl.append(") ON COMMIT DROP");
        try (Statement sql = connection.createStatement()) {
            sql.execute("DROP TABLE IF EXISTS pg_temp.stage");
            sql.execute(ddl.toString());
        } catch (SQLException e) {
            throw new IllegalStateException("staging a batch failed: " + e.getMessage(), e);
        }
        try (Writer out = new OutputStreamWriter(
                        new PGCopyOutputStream(
                                connection.unwrap(PGConnection.class),
                                "COPY stage FROM STDIN WITH (FORMAT csv)",
                                1 << 16),
                        StandardCharsets.UTF_8);
                CsvWriter csv = CsvWriter.builder()
                        .lineDelimiter(LineDelimiter.LF)
                        .bufferSize(1 << 16)
                        .build(out)) {
            String[] fields = new String[kind.columns().size() + 5];
            for (int i = 0; i < valid.size(); i++) {
                if (!include[i]) {
                    continue;
                }
                RowValidator.Valid row = valid.get(i);
                fields[0] = Long.toString(row.line());
                fields[1] = row.hash();
                fields[2] = personIds == null ? "" : Long.toString(personIds.get(i));
                fields[3] = targetIds[i] == 0 ? "" : Long.toString(targetIds[i]);
                fields[4] = row.ref();
                System.arraycopy(row.values(), 0, fields, 5, row.values().length);
                csv.writeRecord(fields);
            }
        } catch (SQLException | IOException | java.io.UncheckedIOException e) {
            throw new IllegalStateException("staging a batch failed: " + e.getMessage(), e);
        }
    }
}
