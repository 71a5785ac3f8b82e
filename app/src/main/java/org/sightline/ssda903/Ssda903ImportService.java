package org.sightline.ssda903;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.sightline.access.SightlineUser;
import org.sightline.audit.AuditEntry;
import org.sightline.audit.AuditLog;
import org.sightline.importexport.CsvRows;
import org.sightline.importexport.ImportError;
import org.sightline.importexport.ImportService;
import org.sightline.importexport.ImportTable;
import org.sightline.importexport.QuarantinedRow;
import org.sightline.person.PersonRecords;
import org.sightline.shared.NotFoundException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Imports an authority's SSDA903 Header, Episodes and Missing files (CSV with a header row, dates dd/mm/yyyy or
 * yyyy-mm-dd, DfE codes) through the staged import pipeline ({@link ImportService#importTable}): each file is an
 * import run with its batches, coded errors, quarantine with correct-and-replay and report. A first streaming pass
 * over every file, before anything is written, checks the columns, decides the date format from all of a file's dates
 * and finds duplicate keys (a file refused whole leaves nothing half-imported). The Header goes first, so a refused
 * Header row's Episodes and Missing rows are held (E1015) naming its cause. The DfE rules then run over the rows as
 * sent (they need the whole return) and are reported per rule and stored, not blocking.
 */
@Service
public class Ssda903ImportService implements ImportTable.Factory {

    /** Batches of the pipeline: SSDA903 rows are written one statement each, so batches are kept small. */
    static final int BATCH_SIZE = 1_000;
    /** Refused rows listed in a report per file; every one stays in the run's quarantine. */
    static final int ERRORS_LISTED = 1_000;

    private final JdbcClient jdbc;
    private final AuditLog audit;
    private final Ssda903Repository repository;
    private final PersonRecords people;
    private final Clock clock;
    private final Ssda903RuleDescriptions descriptions;
    private final ImportService imports;
    private final TransactionTemplate transaction;

    Ssda903ImportService(
            JdbcClient jdbc,
            AuditLog audit,
            Ssda903Repository repository,
            PersonRecords people,
            Clock clock,
            Ssda903RuleDescriptions descriptions,
            ImportService imports,
            PlatformTransactionManager transactions) {
        this.descriptions = descriptions;
        this.people = people;
        this.clock = clock;
        this.jdbc = jdbc;
        this.audit = audit;
        this.repository = repository;
        this.imports = imports;
        this.transaction = new TransactionTemplate(transactions);
    }

    /**
     * One reason a row is refused, coded from the import error catalogue shared with every other import
     * ({@link ImportError}): code, field, and a message that never echoes the value.
     */
    public record Problem(String code, String field, String message) {
        static Problem of(ImportError error, String field, String message) {
            return new Problem(error.name(), field, message);
        }

        /** "FIELD: message", as people read it. */
        public String text() {
            return field + ": " + message;
        }
    }

    /** A refused row: file, line, CHILD and every problem. */
    public record RowError(String file, int line, String child, List<Problem> problems) {
        /** Each problem as "FIELD: message". */
        public List<String> errors() {
            return problems.stream().map(Problem::text).toList();
        }
    }

    /**
     * Something the import did to a value, or a value Sightline does not carry into its exports: accepted, but the
     * authority is told (line 0: the whole file).
     */
    public record Notice(String file, int line, String child, String text) {}

    /**
     * Per file: rows received = created + updated + unchanged + quarantined (held rows are quarantined with E1015).
     * A row whose key exists but whose values changed (an end date filled in, a child's UPN added) updates the
     * stored row: a re-import never drops a change.
     */
    public record FileCounts(String file, int received, int created, int updated, int unchanged, int quarantined) {}

    /**
     * The counts, refused rows, notices, and the DfE rules the rows as sent break (reported, not blocking). The
     * rules are checked only when the import has the Header and Episodes together ({@code rulesChecked}); even
     * then some cannot be ({@code rulesNotChecked}: 576 needs last year's table). {@code runs} names each file's
     * import run, whose page lists its quarantined rows to correct and replay.
     */
    public record ImportReport(
            Authority authority,
            CollectionYear year,
            List<FileCounts> files,
            List<RowError> errors,
            List<Notice> notices,
            List<Ssda903ExportService.Failure> ruleFailures,
            boolean rulesChecked,
            List<String> rulesNotChecked,
            Map<String, UUID> runs) {
        public boolean clean() {
            return errors.isEmpty();
        }

        /** Failures counted by rule, in rule order. */
        public Map<String, Integer> ruleTotals() {
            Map<String, Integer> totals = new LinkedHashMap<>();
            ruleFailures.forEach(f -> totals.merge(f.rule(), 1, Integer::sum));
            return totals;
        }
    }

    /** The three files as streams (any may be null: that file is not imported). */
    public record Files(InputStream header, InputStream episodes, InputStream missing) {}

    public ImportReport importAsOperator(String actor, String authorityCode, CollectionYear year, Files files) {
        Authority la = repository.authority(authorityCode, year);
        return run(actor, null, la, year, files);
    }

    public ImportReport importFor(SightlineUser user, CollectionYear year, Files files) {
        return run(user.username(), user.agencyCode(), authorityOf(user, year), year, files);
    }

    /** What {@link #importFor} would do with these files, writing nothing. */
    public Preview previewFor(SightlineUser user, CollectionYear year, Files files) {
        return preview(authorityOf(user, year), year, files);
    }

    /** The first pass alone: throws {@link Ssda903FileException} for a file the import would refuse whole. */
    void checkFiles(SightlineUser user, CollectionYear year, Files files) {
        try (Prepared ignored = prepare(authorityOf(user, year), year, files)) {
            // scanned: nothing else to do
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Authority authorityOf(SightlineUser user, CollectionYear year) {
        try {
            return repository.authority(user.agencyCode(), year);
        } catch (IllegalArgumentException e) {
            throw new NotFoundException("Authority");
        }
    }

    /** The files kept on disk between the passes, each file's first pass, and what the tables of one import share. */
    private record Prepared(
            Map<Ssda903ImportTable.File, Path> spooled,
            Map<Ssda903ImportTable.File, Ssda903ImportTable.Scan> scans,
            Ssda903ImportTable.Shared shared)
            implements AutoCloseable {
        @Override
        public void close() {
            spooled.values().forEach(p -> {
                try {
                    java.nio.file.Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // a temporary file the system cleans up
                }
            });
        }
    }

    /**
     * Spools and scans every file (a file refused whole throws {@link Ssda903FileException} before anything is
     * read into the tables) and loads the authority's CHILD ids.
     */
    private Prepared prepare(Authority la, CollectionYear year, Files files) throws IOException {
        Map<Ssda903ImportTable.File, Path> spooled = new LinkedHashMap<>();
        Prepared prepared = new Prepared(
                spooled,
                new LinkedHashMap<>(),
                new Ssda903ImportTable.Shared(la, year, repository.codes(), repository.ethnicityCodes(), true));
        try {
            // Each file is read twice (scan, then import): kept on disk in between, never whole in memory.
            spool(spooled, Ssda903ImportTable.File.HEADER, files.header());
            spool(spooled, Ssda903ImportTable.File.EPISODES, files.episodes());
            spool(spooled, Ssda903ImportTable.File.MISSING, files.missing());
            List<Notice> scanNotices = new ArrayList<>();
            spooled.forEach((file, path) -> prepared.scans().put(file, scan(file, path, scanNotices)));
            prepared.shared().notices.addAll(scanNotices);
            loadRecords(la, prepared.shared().records);
            return prepared;
        } catch (IOException | RuntimeException e) {
            prepared.close();
            throw e;
        }
    }

    /** The DfE rules over the rows as sent, when the Header and Episodes are there together. */
    private record Rules(
            boolean checked,
            List<Ssda903Tables.RuleFailure> failures,
            List<Ssda903ExportService.Failure> described,
            List<String> notChecked) {}

    private Rules rules(Prepared prepared, CollectionYear year) {
        boolean checked = prepared.scans().containsKey(Ssda903ImportTable.File.HEADER)
                && prepared.scans().containsKey(Ssda903ImportTable.File.EPISODES);
        if (!checked) {
            return new Rules(false, List.of(), List.of(), List.of());
        }
        Ssda903ImportTable.Shared shared = prepared.shared();
        Ssda903Rules.Context context = new Ssda903Rules.Context(
                year,
                new Ssda903Tables.Return(shared.headerRows, shared.episodeRows, shared.missingRows),
                null,
                shared.codes,
                shared.ethnicity);
        List<Ssda903Tables.RuleFailure> failures = Ssda903Rules.check(context);
        return new Rules(
                true,
                failures,
                failures.stream().map(descriptions::describe).toList(),
                List.copyOf(Ssda903Rules.notChecked(context)));
    }

    /** Every notice, by file (Header, Episodes, Missing) and line. */
    private static List<Notice> sortedNotices(Ssda903ImportTable.Shared shared) {
        List<String> fileOrder = List.of("header", "episodes", "missing");
        List<Notice> notices = new ArrayList<>(shared.notices);
        notices.sort(Comparator.comparingInt((Notice n) -> fileOrder.indexOf(n.file()))
                .thenComparingInt(Notice::line));
        return List.copyOf(notices);
    }

    /**
     * One file of a preview: how its dates are read ({@code dayFirst}, {@code assumed} when no date could tell,
     * {@code iso}, {@code none}), the would-be counts (received = created + updated + unchanged + quarantined, as
     * the run will report them), the first rows as the import reads them (dates dd/mm/yyyy, codes upper case), the
     * refusals by error code, the first refused rows with their CHILD, and of those the held and duplicate ones.
     */
    public record FilePreview(
            String file,
            String dates,
            long received,
            long created,
            long updated,
            long unchanged,
            long quarantined,
            List<String> columns,
            List<List<String>> firstRows,
            Map<String, Long> errorsByCode,
            List<RowError> refused,
            List<RowError> held,
            List<RowError> duplicates) {

        /**
         * With, from {@code refused}, the rows held because the child's Header row is refused (E1015), each naming
         * why, and the rows refused because another line has the same key with other values (E1007).
         */
        FilePreview(String file, String dates, org.sightline.importexport.ImportPreview p, List<RowError> refused) {
            this(
                    file,
                    dates,
                    p.received(),
                    p.imported(),
                    p.updated(),
                    p.unchanged(),
                    p.quarantined(),
                    p.columns(),
                    p.firstRows(),
                    p.errorsByCode(),
                    refused,
                    only(refused, ImportError.E1015),
                    only(refused, ImportError.E1007));
        }

        private static List<RowError> only(List<RowError> refused, ImportError code) {
            return refused.stream()
                    .filter(r -> r.problems().stream().anyMatch(p -> p.code().equals(code.name())))
                    .toList();
        }
    }

    /**
     * What importing the files would do, with nothing written: per file as above, the notices (what would be read
     * differently and what Sightline cannot carry) and the DfE rules the rows as sent break.
     */
    public record Preview(
            Authority authority,
            CollectionYear year,
            List<FilePreview> files,
            List<Notice> notices,
            List<Ssda903ExportService.Failure> ruleFailures,
            boolean rulesChecked,
            List<String> rulesNotChecked) {

        /** Failures counted by rule, in rule order. */
        public Map<String, Integer> ruleTotals() {
            Map<String, Integer> totals = new LinkedHashMap<>();
            ruleFailures.forEach(f -> totals.merge(f.rule(), 1, Integer::sum));
            return totals;
        }
    }

    /**
     * Reads the files as {@link #importFor} would, through the same pipeline and checks, and reports what it would
     * do without writing anything (no run, no record, no rule failure stored). A file refused whole throws {@link
     * Ssda903FileException}, as the import would.
     */
    public Preview preview(Authority la, CollectionYear year, Files files) {
        try (Prepared prepared = prepare(la, year, files)) {
            List<FilePreview> previews = new ArrayList<>();
            for (var entry : prepared.scans().entrySet()) {
                Ssda903ImportTable.File file = entry.getKey();
                Ssda903ImportTable table =
                        new Ssda903ImportTable(file, prepared.shared(), entry.getValue(), jdbc, people, clock);
                org.sightline.importexport.ImportPreview p;
                try (InputStream in =
                        java.nio.file.Files.newInputStream(prepared.spooled().get(file))) {
                    p = imports.previewTable(table, la.agencyId(), file.name + ".csv", in, BATCH_SIZE);
                }
                if (p.fileError() != null) {
                    throw new IllegalStateException("SSDA903 " + file.name + " preview failed: " + p.fileError());
                }
                table.addReadingNotices();
                previews.add(new FilePreview(file.name, entry.getValue().datesRead(), p, table.refused()));
            }
            Rules rules = rules(prepared, year);
            return new Preview(
                    la,
                    year,
                    List.copyOf(previews),
                    sortedNotices(prepared.shared()),
                    rules.described(),
                    rules.checked(),
                    rules.notChecked());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private ImportReport run(String actor, String actorAgency, Authority la, CollectionYear year, Files files) {
        try (Prepared prepared = prepare(la, year, files)) {
            Ssda903ImportTable.Shared shared = prepared.shared();
            List<FileCounts> counts = new ArrayList<>();
            List<RowError> errors = new ArrayList<>();
            Map<String, UUID> runs = new LinkedHashMap<>();
            for (var entry : prepared.scans().entrySet()) {
                Ssda903ImportTable.File file = entry.getKey();
                Ssda903ImportTable table = new Ssda903ImportTable(file, shared, entry.getValue(), jdbc, people, clock);
                org.sightline.importexport.ImportReport report;
                try (InputStream in =
                        java.nio.file.Files.newInputStream(prepared.spooled().get(file))) {
                    report = imports.importTable(
                            table, la.agencyId(), la.code(), actor, file.name + ".csv", in, BATCH_SIZE, done -> {});
                }
                if (report.fileError() != null) {
                    throw new IllegalStateException("SSDA903 " + file.name + " import failed: " + report.fileError());
                }
                table.addReadingNotices();
                runs.put(file.name, report.id());
                counts.add(new FileCounts(
                        file.name,
                        (int) report.received(),
                        (int) report.imported(),
                        (int) report.updated(),
                        (int) report.unchanged(),
                        (int) report.quarantined()));
                for (QuarantinedRow q : imports.quarantinedRows(report.id(), ERRORS_LISTED)) {
                    String child = q.raw().entrySet().stream()
                            .filter(e -> e.getKey().strip().equalsIgnoreCase("CHILD"))
                            .map(Map.Entry::getValue)
                            .findFirst()
                            .orElse("");
                    errors.add(new RowError(
                            file.name,
                            (int) q.line(),
                            child.strip(),
                            q.errors().stream()
                                    .map(e -> new Problem(e.code(), e.column(), e.message()))
                                    .toList()));
                }
            }
            Rules rules = rules(prepared, year);
            transaction.executeWithoutResult(tx -> {
                if (rules.checked()) {
                    storeRuleFailures(la, year, rules.failures(), runs);
                }
                audit.record(new AuditEntry(
                        actor,
                        actorAgency,
                        "SSDA903_IMPORT",
                        "authority",
                        la.code(),
                        null,
                        "year=" + year.endYear() + " "
                                + counts.stream()
                                        .map(c -> c.file() + ":" + c.received() + "/" + c.created() + "/" + c.updated()
                                                + "/" + c.unchanged() + "/" + c.quarantined())
                                        .toList()
                                + " runs=" + runs.values() + " ruleFailures="
                                + rules.described().size()));
            });
            return new ImportReport(
                    la,
                    year,
                    List.copyOf(counts),
                    List.copyOf(errors),
                    sortedNotices(shared),
                    rules.described(),
                    rules.checked(),
                    rules.notChecked(),
                    Map.copyOf(runs));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void spool(Map<Ssda903ImportTable.File, Path> spooled, Ssda903ImportTable.File file, InputStream in)
            throws IOException {
        if (in == null) {
            return;
        }
        Path path = java.nio.file.Files.createTempFile("ssda903-" + file.name + "-", ".csv");
        spooled.put(file, path);
        try (in) {
            java.nio.file.Files.copy(in, path, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /**
     * The first pass over a file: its columns, its date format (decided from all its dates, {@link
     * Ssda903Dates.Detector}) and its duplicate keys. Rows with the same key and the same values are read once (a
     * notice); with different values every one is refused naming the others' lines, because Sightline cannot know
     * which is right.
     */
    private static Ssda903ImportTable.Scan scan(Ssda903ImportTable.File file, Path path, List<Notice> notices) {
        Ssda903Dates.Detector detector = new Ssda903Dates.Detector(file.name);
        record Seen(long line, String values) {}
        Map<String, List<Seen>> byKey = new LinkedHashMap<>();
        try (InputStream in = java.nio.file.Files.newInputStream(path);
                CsvRows rows = new CsvRows(in)) {
            List<String> names = rows.header().stream()
                    .map(h -> h.strip().toUpperCase(Locale.ROOT))
                    .toList();
            if (names.stream().anyMatch(n -> n.indexOf('\uFFFD') >= 0)) {
                throw new Ssda903FileException(file.name, 1, "the file is not UTF-8 text: save it as CSV UTF-8");
            }
            Set<String> present = Set.copyOf(names);
            List<String> absent =
                    file.columns.stream().filter(c -> !present.contains(c)).toList();
            if (!absent.isEmpty()) {
                throw new Ssda903FileException(
                        file.name, 1, "the header row lacks column(s) " + String.join(", ", absent));
            }
            int[] index = file.columns.stream().mapToInt(names::indexOf).toArray();
            for (CsvRows.Row row = rows.next(); row != null; row = rows.next()) {
                String[] values = new String[index.length];
                for (int i = 0; i < index.length; i++) {
                    values[i] = index[i] < row.fields().length ? row.fields()[index[i]].strip() : "";
                }
                for (String field : file.dateFields) {
                    detector.see((int) row.line(), field, values[file.columns.indexOf(field)]);
                }
                List<String> key = file.key.stream()
                        .map(k -> values[file.columns.indexOf(k)])
                        .toList();
                if (key.stream().noneMatch(String::isEmpty)) {
                    // Compared as the import reads them: codes upper-cased, so wbri and WBRI are the same row.
                    String normalised = String.join("\u0000", values).toUpperCase(Locale.ROOT);
                    byKey.computeIfAbsent(String.join("\u0000", key), k -> new ArrayList<>())
                            .add(new Seen(row.line(), normalised));
                }
            }
        } catch (CsvRows.UnreadableFileException e) {
            throw new Ssda903FileException(file.name, (int) e.line(), e.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Ssda903Dates.Format format = detector.decide();
        if (format == Ssda903Dates.Format.ISO) {
            notices.add(new Notice(file.name, 0, "", "dates are written yyyy-mm-dd: read as such and held as dates"));
        } else if (detector.assumedDayFirst()) {
            notices.add(new Notice(
                    file.name,
                    0,
                    "",
                    "no date in the file shows whether the day or the month comes "
                            + "first: read as dd/mm/yyyy, the DfE format"));
        }
        Map<Long, String> duplicates = new HashMap<>();
        String keyName = String.join("+", file.key);
        for (var entry : byKey.entrySet()) {
            List<Seen> seen = entry.getValue();
            if (seen.size() < 2) {
                continue;
            }
            boolean identical = seen.stream().map(Seen::values).distinct().count() == 1;
            String child = entry.getKey().split("\u0000", -1)[0];
            for (int n = 0; n < seen.size(); n++) {
                Seen s = seen.get(n);
                if (identical) {
                    if (n > 0) {
                        duplicates.put(s.line(), Ssda903ImportTable.Scan.REPEAT);
                        notices.add(new Notice(
                                file.name,
                                (int) s.line(),
                                child,
                                "the same row as line " + seen.get(0).line() + ": read once"));
                    }
                } else {
                    duplicates.put(
                            s.line(),
                            "the same " + keyName + " as line(s) "
                                    + seen.stream()
                                            .filter(o -> o != s)
                                            .map(o -> String.valueOf(o.line()))
                                            .collect(Collectors.joining(", "))
                                    + " with different values");
                }
            }
        }
        return new Ssda903ImportTable.Scan(format, detector.assumedDayFirst(), duplicates);
    }

    /** The authority's CHILD ids: the first record made for each. */
    private void loadRecords(Authority la, Map<String, Long> records) {
        jdbc.sql(
                        "SELECT local_child_id, id FROM person_record WHERE agency_id = ? AND local_child_id IS NOT NULL ORDER BY id DESC")
                .param(la.agencyId())
                .query((rs, n) -> records.put(rs.getString(1), rs.getLong(2)))
                .list();
    }

    /** The failures of the latest import of this authority and year replace the previous ones. */
    private void storeRuleFailures(
            Authority la, CollectionYear year, List<Ssda903Tables.RuleFailure> failures, Map<String, UUID> runs) {
        jdbc.sql("DELETE FROM ssda903_rule_failure WHERE agency_id = ? AND collection_year = ?")
                .params(la.agencyId(), year.endYear())
                .update();
        for (Ssda903Tables.RuleFailure f : failures) {
            String file = f.table().toLowerCase(Locale.ROOT);
            jdbc.sql(
                            """
                    INSERT INTO ssda903_rule_failure (agency_id, collection_year, rule_code, file_kind, line_number,
                        child, field, import_run_id)
                    VALUES (?, ?, ?, ?, ?, ?, ?, (SELECT id FROM import_run WHERE public_id = ?))""")
                    .params(
                            la.agencyId(),
                            year.endYear(),
                            f.rule(),
                            file,
                            f.line(),
                            f.child(),
                            f.field(),
                            runs.get(file))
                    .update();
        }
    }

    /** Rebuilds the table of an SSDA903 run to replay a corrected row (the pipeline's quarantine page). */
    @Override
    public Optional<ImportTable> forRun(String kind, long agencyId, String agencyCode, String parameters) {
        Optional<Ssda903ImportTable.File> file = Ssda903ImportTable.File.ofKind(kind);
        if (file.isEmpty()) {
            return Optional.empty();
        }
        Map<String, String> p = Ssda903ImportTable.parameters(parameters);
        CollectionYear year = new CollectionYear(Integer.parseInt(p.get("year")));
        String dates = p.getOrDefault("dates", "");
        Authority la = repository.authority(agencyCode, year);
        Ssda903ImportTable.Shared shared =
                new Ssda903ImportTable.Shared(la, year, repository.codes(), repository.ethnicityCodes(), false);
        return Optional.of(new Ssda903ImportTable(
                file.get(),
                shared,
                new Ssda903ImportTable.Scan(dates.isEmpty() ? null : Ssda903Dates.Format.valueOf(dates), Map.of()),
                jdbc,
                people,
                clock));
    }
}
