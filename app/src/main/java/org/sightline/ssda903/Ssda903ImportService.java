package org.sightline.ssda903;

import static org.sightline.ssda903.Ssda903Dates.blank;
import static org.sightline.ssda903.Ssda903Dates.parse;

import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.commons.codec.digest.DigestUtils;
import org.sightline.access.SightlineUser;
import org.sightline.audit.AuditEntry;
import org.sightline.audit.AuditLog;
import org.sightline.importexport.ImportError;
import org.sightline.person.PartialDate;
import org.sightline.person.PersonRecords;
import org.sightline.shared.ClockConfiguration;
import org.sightline.shared.NotFoundException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Imports an authority's SSDA903 Header, Episodes and Missing files (CSV with a header row, dates dd/mm/yyyy or
 * yyyy-mm-dd, DfE codes). Rows are keyed by what the DfE keys them by (CHILD; CHILD+DECOM; CHILD+MIS_START), so
 * importing the same files again creates nothing. A row that cannot be stored is kept in {@code ssda903_quarantine}
 * with its line and every coded problem, never dropped; the report accounts for every row, says what was read
 * differently or is not carried into exports (notices), and lists the DfE rules the rows as sent break.
 *
 * <p>Still its own loop beside {@code importexport}'s staged pipeline (issue 13 asks for one): the files are read
 * whole, because the date format is decided from all of a file's dates and the DfE rules need the whole return.
 */
@Service
public class Ssda903ImportService {

    private static final int MAX_ROWS = 200_000;

    private final JdbcClient jdbc;
    private final AuditLog audit;
    private final Ssda903Repository repository;
    private final PersonRecords people;
    private final java.time.Clock clock;
    private final Ssda903RuleDescriptions descriptions;

    Ssda903ImportService(JdbcClient jdbc, AuditLog audit, Ssda903Repository repository, PersonRecords people,
                         java.time.Clock clock, Ssda903RuleDescriptions descriptions) {
        this.descriptions = descriptions;
        this.people = people;
        this.clock = clock;
        this.jdbc = jdbc;
        this.audit = audit;
        this.repository = repository;
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
    public record Notice(String file, int line, String child, String text) {
    }

    /**
     * Per file: rows received = created + updated + unchanged + quarantined. A row whose key exists but whose values
     * changed (an end date filled in, a child's UPN added) updates the stored row: a re-import never drops a change.
     */
    public record FileCounts(String file, int received, int created, int updated, int unchanged, int quarantined) {
    }

    /**
     * The counts, refused rows, notices, and the DfE rules the rows as sent break (reported, not blocking). The
     * rules are checked only when the import has the Header and Episodes together ({@code rulesChecked}); even
     * then some cannot be ({@code rulesNotChecked}: 576 needs last year's table).
     */
    public record ImportReport(Authority authority, CollectionYear year, List<FileCounts> files, List<RowError> errors,
                               List<Notice> notices, List<Ssda903ExportService.Failure> ruleFailures,
                               boolean rulesChecked, List<String> rulesNotChecked) {
        public boolean clean() {
            return errors.isEmpty();
        }

        /** Failures counted by rule, in rule order. */
        public Map<String, Integer> ruleTotals() {
            Map<String, Integer> totals = new java.util.LinkedHashMap<>();
            ruleFailures.forEach(f -> totals.merge(f.rule(), 1, Integer::sum));
            return totals;
        }
    }

    /** The three files as streams (any may be null: that file is not imported). */
    public record Files(InputStream header, InputStream episodes, InputStream missing) {
    }

    @Transactional
    public ImportReport importAsOperator(String actor, String authorityCode, CollectionYear year, Files files) {
        Authority la = repository.authority(authorityCode, year);
        return run(actor, null, la, year, files);
    }

    @Transactional
    public ImportReport importFor(SightlineUser user, CollectionYear year, Files files) {
        Authority la;
        try {
            la = repository.authority(user.agencyCode(), year);
        } catch (IllegalArgumentException e) {
            throw new NotFoundException("Authority");
        }
        return run(user.username(), user.agencyCode(), la, year, files);
    }

    private ImportReport run(String actor, String actorAgency, Authority la, CollectionYear year, Files files) {
        // Read and check every file before writing anything: a file refused whole leaves nothing half-imported.
        Table header = files.header() == null ? null : read("header", files.header(), Ssda903Tables.HEADER_COLUMNS,
                List.of("DOB", "MC_DOB"));
        Table episodes = files.episodes() == null ? null : read("episodes", files.episodes(),
                Ssda903Tables.EPISODE_COLUMNS, List.of("DECOM", "DEC"));
        Table missing = files.missing() == null ? null : read("missing", files.missing(), Ssda903Tables.MISSING_COLUMNS,
                List.of("DOB", "MIS_START", "MIS_END"));
        Run run = new Run(la, year, codeLists());
        loadRecords(la, run.records);
        for (Table t : java.util.Arrays.asList(header, episodes, missing)) {
            if (t != null) {
                run.notices.addAll(t.notices());
            }
        }
        if (header != null) {
            run.counts.add(header(run, header));
        }
        if (episodes != null) {
            run.counts.add(episodes(run, episodes));
        }
        if (missing != null) {
            run.counts.add(missing(run, missing));
        }
        List<Ssda903ExportService.Failure> ruleFailures = new ArrayList<>();
        List<String> notChecked = new ArrayList<>();
        if (header != null && episodes != null) {
            Ssda903Rules.Context context = new Ssda903Rules.Context(year, asReturn(header, episodes, missing),
                    null, run.codes.ssda903(), run.codes.ethnicity());
            List<Ssda903Tables.RuleFailure> failures = Ssda903Rules.check(context);
            storeRuleFailures(la, year, failures);
            failures.forEach(f -> ruleFailures.add(descriptions.describe(f)));
            notChecked.addAll(Ssda903Rules.notChecked(context));
        }
        audit.record(new AuditEntry(actor, actorAgency, "SSDA903_IMPORT", "authority", la.code(), null,
                "year=" + year.endYear() + " " + run.counts.stream().map(c -> c.file() + ":" + c.received() + "/"
                        + c.created() + "/" + c.updated() + "/" + c.unchanged() + "/" + c.quarantined()).toList()
                        + " ruleFailures=" + ruleFailures.size()));
        return new ImportReport(la, year, List.copyOf(run.counts), List.copyOf(run.errors), List.copyOf(run.notices),
                List.copyOf(ruleFailures), header != null && episodes != null, List.copyOf(notChecked));
    }

    /** The state of one import: the authority's CHILD ids, refused Header rows, and what is reported. */
    private static final class Run {
        final Authority la;
        final CollectionYear year;
        final CodeLists codes;
        final Map<String, Long> records = new HashMap<>();
        /** CHILD of a refused Header row -> why, so that its Episodes and Missing rows name the real cause. */
        final Map<String, String> refusedHeader = new HashMap<>();
        final List<FileCounts> counts = new ArrayList<>();
        final List<RowError> errors = new ArrayList<>();
        final List<Notice> notices = new ArrayList<>();

        Run(Authority la, CollectionYear year, CodeLists codes) {
            this.la = la;
            this.year = year;
            this.codes = codes;
        }
    }

    /** The rows as sent (after date and code normalisation), for the DfE rules. */
    private static Ssda903Tables.Return asReturn(Table header, Table episodes, Table missing) {
        List<Ssda903Tables.HeaderRow> h = new ArrayList<>();
        for (int i = 0; i < header.rows().size(); i++) {
            Map<String, String> r = header.rows().get(i);
            h.add(new Ssda903Tables.HeaderRow(header.lines().get(i), v(r, "CHILD"), v(r, "SEX"), v(r, "DOB"),
                    v(r, "ETHNIC"), v(r, "UPN"), v(r, "MOTHER"), v(r, "MC_DOB")));
        }
        List<Ssda903Tables.EpisodeRow> e = new ArrayList<>();
        for (int i = 0; i < episodes.rows().size(); i++) {
            Map<String, String> r = episodes.rows().get(i);
            e.add(new Ssda903Tables.EpisodeRow(episodes.lines().get(i), v(r, "CHILD"), v(r, "DECOM"), v(r, "RNE"),
                    v(r, "LS"), v(r, "CIN"), v(r, "PLACE"), v(r, "PLACE_PROVIDER"), v(r, "DEC"), v(r, "REC"),
                    v(r, "REASON_PLACE_CHANGE"), v(r, "HOME_POST"), v(r, "PL_POST"), v(r, "URN")));
        }
        List<Ssda903Tables.MissingRow> m = new ArrayList<>();
        if (missing != null) {
            for (int i = 0; i < missing.rows().size(); i++) {
                Map<String, String> r = missing.rows().get(i);
                m.add(new Ssda903Tables.MissingRow(missing.lines().get(i), v(r, "CHILD"), v(r, "DOB"), v(r, "MISSING"),
                        v(r, "MIS_START"), v(r, "MIS_END")));
            }
        }
        return new Ssda903Tables.Return(h, e, m);
    }

    /** The failures of the latest import of this authority and year replace the previous ones. */
    private void storeRuleFailures(Authority la, CollectionYear year, List<Ssda903Tables.RuleFailure> failures) {
        jdbc.sql("DELETE FROM ssda903_rule_failure WHERE agency_id = ? AND collection_year = ?")
                .params(la.agencyId(), year.endYear()).update();
        for (Ssda903Tables.RuleFailure f : failures) {
            jdbc.sql("""
                    INSERT INTO ssda903_rule_failure (agency_id, collection_year, rule_code, file_kind, line_number,
                        child, field) VALUES (?, ?, ?, ?, ?, ?, ?)""")
                    .params(la.agencyId(), year.endYear(), f.rule(), f.table().toLowerCase(Locale.ROOT), f.line(),
                            f.child(), f.field()).update();
        }
    }

    /** The code lists rows are checked against, read once per import rather than once per value. */
    private record CodeLists(Set<String> ssda903, Set<String> ethnicity) {
        boolean ssda903(String field, String code) {
            return ssda903.contains(field + ":" + code);
        }
    }

    private CodeLists codeLists() {
        return new CodeLists(repository.codes(), repository.ethnicityCodes());
    }

    /**
     * The Header record of a row's CHILD, adding the broken rule when the Header lacks it; when the child's Header
     * row was refused, that is the cause named.
     */
    private static Long childRecord(Run run, Map<String, String> r, String rule, List<Problem> problems) {
        String child = r.get("CHILD");
        required(r, "CHILD", problems);
        Long record = run.records.get(child);
        if (!blank(child) && record == null) {
            String refused = run.refusedHeader.get(child);
            problems.add(Problem.of(ImportError.E1005, "CHILD", refused != null
                    ? "the Header row for CHILD " + child + " was refused: " + refused : "not in the Header (" + rule + ")"));
        }
        return record;
    }

    /**
     * A parsed file: rows by column name (dates as dd/mm/yyyy, codes upper case) with their line numbers, the
     * rows re-encoded as CSV for the quarantine, and the notices about what reading changed.
     */
    private record Table(String file, List<Map<String, String>> rows, List<Integer> lines, List<String> raw,
                         List<Notice> notices) {
    }

    /** Fields whose DfE codes are upper case: a lower-case code means the same and is upper-cased (and said so). */
    private static final List<String> CODE_FIELDS = List.of("ETHNIC", "RNE", "LS", "CIN", "PLACE", "PLACE_PROVIDER",
            "REC", "REASON_PLACE_CHANGE", "MISSING");
    /** Integer fields that spreadsheets write as 1.0. */
    private static final List<String> INTEGER_FIELDS = List.of("SEX", "MOTHER");
    private static final java.util.regex.Pattern WHOLE_DECIMAL = java.util.regex.Pattern.compile("(\\d+)\\.0+");

    /**
     * Reads strictly: UTF-8 (a BOM is allowed), the DfE columns by name in any order; extra columns are ignored.
     * The file's date format is decided from all its dates first ({@link Ssda903Dates.Detector}).
     */
    private static Table read(String file, InputStream in, List<String> columns, List<String> dateFields) {
        byte[] bytes;
        try (in) {
            bytes = in.readNBytes(64 * 1024 * 1024);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new Ssda903FileException(file, 0, "the file is not UTF-8 text: save it as CSV UTF-8");
        }
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        List<Map<String, String>> rows = new ArrayList<>();
        List<Integer> lines = new ArrayList<>();
        List<String> raw = new ArrayList<>();
        List<String> names = null;
        try (CsvReader<CsvRecord> csv = CsvReader.builder().allowExtraFields(true).allowMissingFields(true)
                .ofCsvRecord(text)) {
            for (CsvRecord r : csv) {
                if (names == null) {
                    names = r.getFields().stream().map(s -> s.strip().toUpperCase(Locale.ROOT)).toList();
                    Set<String> present = Set.copyOf(names);
                    List<String> absent = columns.stream().filter(c -> !present.contains(c)).toList();
                    if (!absent.isEmpty()) {
                        throw new Ssda903FileException(file, 1, "the header row lacks column(s) " + String.join(", ", absent));
                    }
                    continue;
                }
                if (r.getFields().stream().allMatch(String::isBlank)) {
                    continue;
                }
                if (rows.size() >= MAX_ROWS) {
                    throw new Ssda903FileException(file, (int) r.getStartingLineNumber(), "more than " + MAX_ROWS + " rows");
                }
                Map<String, String> row = new HashMap<>();
                for (int i = 0; i < names.size(); i++) {
                    row.put(names.get(i), i < r.getFieldCount() ? r.getField(i).strip() : "");
                }
                rows.add(row);
                lines.add((int) r.getStartingLineNumber());
                raw.add(csvLine(r.getFields()));
            }
        } catch (de.siegmar.fastcsv.reader.CsvParseException e) {
            throw new Ssda903FileException(file, 0, "the file is not valid CSV (" + e.getMessage() + ")");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (names == null) {
            throw new Ssda903FileException(file, 1, "the file is empty: it needs a header row");
        }
        List<Notice> notices = new ArrayList<>();
        Ssda903Dates.Detector detector = new Ssda903Dates.Detector(file);
        for (int i = 0; i < rows.size(); i++) {
            for (String field : dateFields) {
                detector.see(lines.get(i), field, rows.get(i).get(field));
            }
        }
        Ssda903Dates.Format format = detector.decide();
        if (format == Ssda903Dates.Format.ISO) {
            notices.add(new Notice(file, 0, "", "dates are written yyyy-mm-dd: read as such and held as dates"));
        } else if (detector.assumedDayFirst()) {
            notices.add(new Notice(file, 0, "", "no date in the file shows whether the day or the month comes first: "
                    + "read as dd/mm/yyyy, the DfE format"));
        }
        Map<String, Integer> upperCased = new java.util.TreeMap<>();
        Map<String, Integer> decimals = new java.util.TreeMap<>();
        for (Map<String, String> row : rows) {
            for (String field : dateFields) {
                row.computeIfPresent(field, (k, v) -> Ssda903Dates.normalise(v, format));
            }
            for (String field : CODE_FIELDS) {
                String v = row.get(field);
                if (v != null && !v.equals(v.toUpperCase(Locale.ROOT))) {
                    row.put(field, v.toUpperCase(Locale.ROOT));
                    upperCased.merge(field, 1, Integer::sum);
                }
            }
            for (String field : INTEGER_FIELDS) {
                String v = row.get(field);
                var m = v == null ? null : WHOLE_DECIMAL.matcher(v);
                if (m != null && m.matches()) {
                    row.put(field, String.valueOf(Integer.parseInt(m.group(1))));
                    decimals.merge(field, 1, Integer::sum);
                }
            }
        }
        upperCased.forEach((field, n) -> notices.add(new Notice(file, 0, "", field + ": " + n
                + " lower-case code(s) read as upper case, as the DfE codes are")));
        decimals.forEach((field, n) -> notices.add(new Notice(file, 0, "", field + ": " + n
                + " value(s) written as a decimal (e.g. 1.0) read as the whole number")));
        return new Table(file, rows, lines, raw, notices);
    }

    /** The fields as one CSV line, quoted where needed, so the quarantine keeps the row exactly. */
    private static String csvLine(List<String> fields) {
        java.io.StringWriter out = new java.io.StringWriter();
        try (de.siegmar.fastcsv.writer.CsvWriter w = de.siegmar.fastcsv.writer.CsvWriter.builder()
                .lineDelimiter(de.siegmar.fastcsv.writer.LineDelimiter.LF).build(out)) {
            w.writeRecord(fields);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString().stripTrailing();
    }

    /**
     * Rows of a file sharing a key (CHILD; CHILD+DECOM; CHILD+MIS_START): an identical repeat is skipped with a
     * notice; rows with the same key and different values are all refused, each naming the others' lines, because
     * Sightline cannot know which is right.
     */
    private static Map<Integer, Problem> duplicates(Table t, List<String> key, List<Notice> notices) {
        Map<String, List<Integer>> byKey = new java.util.LinkedHashMap<>();
        for (int i = 0; i < t.rows().size(); i++) {
            Map<String, String> r = t.rows().get(i);
            if (key.stream().anyMatch(k -> blank(r.get(k)))) {
                continue;
            }
            String k = key.stream().map(r::get).collect(java.util.stream.Collectors.joining("\u0000"));
            byKey.computeIfAbsent(k, x -> new ArrayList<>()).add(i);
        }
        Map<Integer, Problem> out = new HashMap<>();
        String keyName = String.join("+", key);
        for (List<Integer> rows : byKey.values()) {
            if (rows.size() < 2) {
                continue;
            }
            boolean identical = rows.stream().map(i -> t.rows().get(i)).distinct().count() == 1;
            for (int n = 0; n < rows.size(); n++) {
                int i = rows.get(n);
                List<Integer> others = rows.stream().filter(j -> j != i).map(j -> t.lines().get(j)).toList();
                if (identical) {
                    if (n > 0) {
                        out.put(i, SKIP);
                        notices.add(new Notice(t.file(), t.lines().get(i), t.rows().get(i).get("CHILD"),
                                "the same row as line " + t.lines().get(rows.get(0)) + ": read once"));
                    }
                } else {
                    out.put(i, Problem.of(ImportError.E1007, keyName, "the same " + keyName + " as line(s) "
                            + others.stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(", "))
                            + " with different values"));
                }
            }
        }
        return out;
    }

    /** A duplicate that is an identical repeat: read once, not refused. */
    private static final Problem SKIP = new Problem("", "", "");

    private FileCounts header(Run run, Table t) {
        Authority la = run.la;
        int created = 0;
        int updated = 0;
        int unchanged = 0;
        int quarantined = 0;
        Map<Integer, Problem> duplicate = duplicates(t, List.of("CHILD"), run.notices);
        for (int i = 0; i < t.rows().size(); i++) {
            Map<String, String> r = t.rows().get(i);
            List<Problem> problems = new ArrayList<>();
            String child = r.get("CHILD");
            Problem dup = duplicate.get(i);
            if (dup == SKIP) {
                unchanged++;
                continue;
            } else if (dup != null) {
                problems.add(dup);
            }
            required(r, "CHILD", problems);
            code(r, "SEX", Set.of("1", "2"), true, problems);
            LocalDate dob = date(r, "DOB", true, problems);
            String ethnic = r.get("ETHNIC");
            if (!blank(ethnic) && !run.codes.ethnicity().contains(ethnic)) {
                problems.add(Problem.of(ImportError.E1004, "ETHNIC", "not a DfE ethnicity code"));
            }
            code(r, "MOTHER", Set.of("0", "1"), false, problems);
            LocalDate mcDob = date(r, "MC_DOB", false, problems);
            if (!problems.isEmpty()) {
                if (!blank(child)) {
                    run.refusedHeader.putIfAbsent(child, String.join("; ", problems.stream().map(Problem::text).toList()));
                }
                quarantined += quarantine(run, t, i, child, problems);
                continue;
            }
            if (blank(ethnic)) {
                run.notices.add(new Notice(t.file(), t.lines().get(i), child,
                        "ETHNIC blank: held as not recorded, exported as NOBT (not obtained)"));
            }
            String sex = "1".equals(r.get("SEX")) ? "male" : "female";
            String status = blank(ethnic) ? "not_recorded" : "REFU".equals(ethnic) ? "refused"
                    : "NOBT".equals(ethnic) ? "not_known" : "recorded";
            Integer mother = blank(r.get("MOTHER")) ? null : Integer.parseInt(r.get("MOTHER"));
            Date mcDate = mcDob == null ? null : Date.valueOf(mcDob);
            Long id = run.records.get(child);
            if (id != null) {
                // The authority already holds this child: apply what the return now says, if anything changed.
                int changed = people.updateDemographics(id, new PersonRecords.Demographics(
                        new PartialDate(dob.getYear(), dob.getMonthValue(), dob.getDayOfMonth()), sex,
                        blank(ethnic) ? null : ethnic, blank(ethnic) ? null : "DFE", status,
                        blank(r.get("UPN")) ? null : r.get("UPN")), clock.instant()) ? 1 : 0;
                jdbc.sql("""
                        INSERT INTO ssda903_child (person_record_id, agency_id, child) VALUES (?, ?, ?)
                        ON CONFLICT DO NOTHING""").params(id, la.agencyId(), child).update();
                changed += jdbc.sql("""
                        UPDATE ssda903_child SET mother = ?, mc_dob = ? WHERE person_record_id = ?
                          AND (mother, mc_dob) IS DISTINCT FROM (?, ?)""")
                        .params(mother, mcDate, id, mother, mcDate).update();
                if (changed > 0) {
                    updated++;
                } else {
                    unchanged++;
                }
            } else {
                id = people.createIfAbsent(la.agencyId(), new PersonRecords.NewRecord(child, null, null,
                        new PartialDate(dob.getYear(), dob.getMonthValue(), dob.getDayOfMonth()), sex,
                        blank(ethnic) ? null : ethnic, blank(ethnic) ? null : "DFE", status,
                        blank(r.get("UPN")) ? null : r.get("UPN"), child, "looked_after", la.code(), clock.instant()))
                        .map(PersonRecords.Created::id).orElse(null);
                if (id == null) {
                    unchanged++;
                    continue;
                }
                run.records.put(child, id);
                jdbc.sql("""
                        INSERT INTO ssda903_child (person_record_id, agency_id, child, mother, mc_dob) VALUES (?, ?, ?, ?, ?)
                        ON CONFLICT DO NOTHING""")
                        .params(id, la.agencyId(), child, mother, mcDate).update();
                created++;
            }
            // The Header lists the child in this year, with or without episodes: so will the export.
            jdbc.sql("""
                    UPDATE ssda903_child SET header_years = array_append(header_years, ?)
                    WHERE person_record_id = ? AND NOT (? = ANY (header_years))""")
                    .params(run.year.endYear(), id, run.year.endYear()).update();
        }
        return new FileCounts("header", t.rows().size(), created, updated, unchanged, quarantined);
    }

    private void loadRecords(Authority la, Map<String, Long> records) {
        jdbc.sql("SELECT local_child_id, id FROM person_record WHERE agency_id = ? AND local_child_id IS NOT NULL ORDER BY id DESC")
                .param(la.agencyId())
                .query((rs, n) -> records.put(rs.getString(1), rs.getLong(2))).list();
    }

    private FileCounts episodes(Run run, Table t) {
        Authority la = run.la;
        int created = 0;
        int updated = 0;
        int unchanged = 0;
        int quarantined = 0;
        Map<Integer, Problem> duplicate = duplicates(t, List.of("CHILD", "DECOM"), run.notices);
        for (int i = 0; i < t.rows().size(); i++) {
            Map<String, String> r = t.rows().get(i);
            List<Problem> problems = new ArrayList<>();
            String child = r.get("CHILD");
            Problem dup = duplicate.get(i);
            if (dup == SKIP) {
                unchanged++;
                continue;
            } else if (dup != null) {
                problems.add(dup);
            }
            Long record = childRecord(run, r, "INT", problems);
            LocalDate decom = date(r, "DECOM", true, problems);
            LocalDate dec = date(r, "DEC", false, problems);
            if (decom != null && dec != null && dec.isBefore(decom)) {
                problems.add(Problem.of(ImportError.E1012, "DEC", "before DECOM"));
            }
            for (String field : List.of("RNE", "LS", "CIN", "PLACE", "PLACE_PROVIDER", "REC", "REASON_PLACE_CHANGE")) {
                String value = r.get(field);
                if (!blank(value) && !run.codes.ssda903(field, value)) {
                    problems.add(Problem.of(ImportError.E1004, field, "not an SSDA903 code"));
                }
            }
            if (!problems.isEmpty()) {
                quarantined += quarantine(run, t, i, child, problems);
                continue;
            }
            if (dec != null && dec.isAfter(run.year.end())) {
                run.notices.add(new Notice(t.file(), t.lines().get(i), child, "DEC after 31 March " + run.year.endYear()
                        + ": held, but the " + run.year.endYear() + " return shows the episode still open (no DEC, no REC)"));
            }
            // An episode is keyed by its start; a later return fills in DEC and REC, which must update it.
            Boolean inserted = jdbc.sql("""
                    INSERT INTO care_episode AS ce (agency_id, person_record_id, child, decom, rne, ls, cin, place,
                        place_provider, dec, rec, reason_place_change, home_post, pl_post, urn)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (agency_id, child, decom) DO UPDATE SET rne = EXCLUDED.rne, ls = EXCLUDED.ls,
                        cin = EXCLUDED.cin, place = EXCLUDED.place, place_provider = EXCLUDED.place_provider,
                        dec = EXCLUDED.dec, rec = EXCLUDED.rec, reason_place_change = EXCLUDED.reason_place_change,
                        home_post = EXCLUDED.home_post, pl_post = EXCLUDED.pl_post, urn = EXCLUDED.urn
                    WHERE (ce.rne, ce.ls, ce.cin, ce.place, ce.place_provider, ce.dec, ce.rec, ce.reason_place_change,
                           ce.home_post, ce.pl_post, ce.urn) IS DISTINCT FROM
                          (EXCLUDED.rne, EXCLUDED.ls, EXCLUDED.cin, EXCLUDED.place, EXCLUDED.place_provider, EXCLUDED.dec,
                           EXCLUDED.rec, EXCLUDED.reason_place_change, EXCLUDED.home_post, EXCLUDED.pl_post, EXCLUDED.urn)
                    RETURNING (xmax = 0)""")
                    .params(la.agencyId(), record, child, Date.valueOf(decom), n(r, "RNE"), n(r, "LS"), n(r, "CIN"),
                            n(r, "PLACE"), n(r, "PLACE_PROVIDER"), dec == null ? null : Date.valueOf(dec), n(r, "REC"),
                            n(r, "REASON_PLACE_CHANGE"), n(r, "HOME_POST"), n(r, "PL_POST"), n(r, "URN"))
                    .query(Boolean.class).optional().orElse(null);
            if (inserted == null) {
                unchanged++;
            } else if (inserted) {
                created++;
            } else {
                updated++;
            }
        }
        return new FileCounts("episodes", t.rows().size(), created, updated, unchanged, quarantined);
    }

    private FileCounts missing(Run run, Table t) {
        Authority la = run.la;
        int created = 0;
        int updated = 0;
        int unchanged = 0;
        int quarantined = 0;
        Map<Integer, Problem> duplicate = duplicates(t, List.of("CHILD", "MIS_START"), run.notices);
        Map<Long, LocalDate> dobs = new HashMap<>();
        for (int i = 0; i < t.rows().size(); i++) {
            Map<String, String> r = t.rows().get(i);
            List<Problem> problems = new ArrayList<>();
            String child = r.get("CHILD");
            Problem dup = duplicate.get(i);
            if (dup == SKIP) {
                unchanged++;
                continue;
            } else if (dup != null) {
                problems.add(dup);
            }
            Long record = childRecord(run, r, "INT04", problems);
            String type = r.get("MISSING") == null ? "" : r.get("MISSING");
            if (blank(type)) {
                problems.add(Problem.of(ImportError.E1002, "MISSING", "required (565)"));
            } else if (!Set.of("M", "A").contains(type)) {
                problems.add(Problem.of(ImportError.E1004, "MISSING", "must be M or A (1006)"));
            }
            LocalDate start = null;
            if (blank(r.get("MIS_START"))) {
                problems.add(Problem.of(ImportError.E1002, "MIS_START", "required (564)"));
            } else if (parse(r.get("MIS_START")).isEmpty()) {
                problems.add(Problem.of(ImportError.E1003, "MIS_START", "not a real date dd/mm/yyyy (1004)"));
            } else {
                start = parse(r.get("MIS_START")).get();
            }
            LocalDate end = null;
            if (Ssda903Dates.invalid(r.get("MIS_END"))) {
                problems.add(Problem.of(ImportError.E1003, "MIS_END", "not a real date dd/mm/yyyy (1005)"));
            } else {
                end = parse(r.get("MIS_END")).orElse(null);
            }
            if (start != null && end != null && end.isBefore(start)) {
                problems.add(Problem.of(ImportError.E1012, "MIS_END", "before MIS_START (567)"));
            }
            if (!problems.isEmpty()) {
                quarantined += quarantine(run, t, i, child, problems);
                continue;
            }
            if (end != null && end.isAfter(run.year.end())) {
                run.notices.add(new Notice(t.file(), t.lines().get(i), child, "MIS_END after 31 March "
                        + run.year.endYear() + ": held, but the " + run.year.endYear()
                        + " return shows the period still open"));
            }
            LocalDate dob = dobs.computeIfAbsent(record, this::dob);
            if (!blank(r.get("DOB")) && !parse(r.get("DOB")).equals(java.util.Optional.ofNullable(dob))) {
                run.notices.add(new Notice(t.file(), t.lines().get(i), child,
                        "DOB differs from the Header's: not held, exports give the Header's date of birth (INT13)"));
            }
            // MIS_START at 00:00 in England; the exact dates are kept beside it. The Missing table says nothing of a
            // return interview: not recorded, never "not offered".
            Timestamp reported = Timestamp.from(start.atStartOfDay(ClockConfiguration.DISPLAY_ZONE).toInstant());
            Timestamp found = end == null ? null : Timestamp.from(end.atStartOfDay(ClockConfiguration.DISPLAY_ZONE).toInstant());
            Long id = jdbc.sql("""
                    INSERT INTO missing_episode (agency_id, person_record_id, episode_ref, status, reported_at, missing_from,
                        category, found_at, return_interview_status)
                    VALUES (?, ?, ?, ?, ?, 'care', ?, ?, 'not_recorded')
                    ON CONFLICT (agency_id, episode_ref) DO NOTHING RETURNING id""")
                    .params(la.agencyId(), record, "SSDA903-" + child + "-" + start, end == null ? "reported" : "found",
                            reported, "A".equals(type) ? "away" : "missing", found)
                    .query(Long.class).optional().orElse(null);
            if (id == null) {
                // The period is known: a later return may end it or correct its type. Work recorded since in
                // Sightline (grading, return interview) is kept; only the SSDA903 facts change.
                int changed = jdbc.sql("""
                        UPDATE missing_episode SET category = ?, found_at = ?,
                            status = CASE WHEN status = 'reported' AND ?::timestamptz IS NOT NULL THEN 'found' ELSE status END,
                            version = version + 1, updated_at = now()
                        WHERE agency_id = ? AND episode_ref = ? AND (category, found_at) IS DISTINCT FROM (?, ?::timestamptz)""")
                        .params("A".equals(type) ? "away" : "missing", found, found, la.agencyId(),
                                "SSDA903-" + child + "-" + start, "A".equals(type) ? "away" : "missing", found)
                        .update();
                if (changed > 0) {
                    jdbc.sql("""
                            UPDATE ssda903_missing_period p SET mis_end = ? FROM missing_episode e
                            WHERE p.missing_episode_id = e.id AND e.agency_id = ? AND e.episode_ref = ?""")
                            .params(end == null ? null : Date.valueOf(end), la.agencyId(), "SSDA903-" + child + "-" + start)
                            .update();
                    updated++;
                } else {
                    unchanged++;
                }
                continue;
            }
            jdbc.sql("INSERT INTO ssda903_missing_period (missing_episode_id, mis_start, mis_end) VALUES (?, ?, ?)")
                    .params(id, Date.valueOf(start), end == null ? null : Date.valueOf(end)).update();
            created++;
        }
        return new FileCounts("missing", t.rows().size(), created, updated, unchanged, quarantined);
    }

    /** The full date of birth held for a record, or null. */
    private LocalDate dob(Long record) {
        return jdbc.sql("SELECT dob_year, dob_month, dob_day FROM person_record WHERE id = ?").param(record)
                .query((rs, n) -> rs.getObject(1) == null || rs.getObject(2) == null || rs.getObject(3) == null ? null
                        : LocalDate.of(rs.getInt(1), rs.getInt(2), rs.getInt(3)))
                .optional().orElse(null);
    }

    /** Keeps the refused row (once per identical row) and reports it; returns 1. */
    private int quarantine(Run run, Table t, int i, String child, List<Problem> problems) {
        String raw = t.raw().get(i);
        jdbc.sql("""
                INSERT INTO ssda903_quarantine (agency_id, collection_year, file_kind, line_number, row_hash, raw_row, errors)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (agency_id, collection_year, file_kind, row_hash)
                DO UPDATE SET line_number = EXCLUDED.line_number, errors = EXCLUDED.errors, received_at = now()""")
                .params(run.la.agencyId(), run.year.endYear(), t.file(), t.lines().get(i),
                        DigestUtils.sha256Hex(t.file() + "\n" + raw), raw,
                        String.join("; ", problems.stream().map(p -> p.code() + " " + p.text()).toList())).update();
        run.errors.add(new RowError(t.file(), t.lines().get(i), blank(child) ? "" : child, List.copyOf(problems)));
        return 1;
    }

    private static void required(Map<String, String> r, String field, List<Problem> problems) {
        if (blank(r.get(field))) {
            problems.add(Problem.of(ImportError.E1002, field, "required"));
        }
    }

    private static void code(Map<String, String> r, String field, Set<String> allowed, boolean required,
                             List<Problem> problems) {
        String v = r.get(field);
        if (blank(v)) {
            if (required) {
                problems.add(Problem.of(ImportError.E1002, field, "required"));
            }
        } else if (!allowed.contains(v)) {
            problems.add(Problem.of(ImportError.E1004, field, "must be one of "
                    + String.join("/", allowed.stream().sorted().toList())));
        }
    }

    private static LocalDate date(Map<String, String> r, String field, boolean required, List<Problem> problems) {
        String v = r.get(field);
        if (blank(v)) {
            if (required) {
                problems.add(Problem.of(ImportError.E1002, field, "required"));
            }
            return null;
        }
        return parse(v).orElseGet(() -> {
            problems.add(Problem.of(ImportError.E1003, field, "not a real date dd/mm/yyyy"));
            return null;
        });
    }

    private static String n(Map<String, String> r, String field) {
        String v = r.get(field);
        return blank(v) ? null : v;
    }

    private static String v(Map<String, String> r, String field) {
        String v = r.get(field);
        return v == null ? "" : v;
    }
}
