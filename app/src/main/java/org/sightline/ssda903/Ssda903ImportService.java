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
import org.sightline.person.PartialDate;
import org.sightline.person.PersonRecords;
import org.sightline.shared.ClockConfiguration;
import org.sightline.shared.NotFoundException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Imports an authority's SSDA903 Header, Episodes and Missing files (CSV with a header row, dates dd/mm/yyyy,
 * DfE codes). Rows are keyed by what the DfE keys them by (CHILD; CHILD+DECOM; CHILD+MIS_START), so importing the
 * same files again creates nothing. A row that breaks a rule is kept in {@code ssda903_quarantine} with its line
 * and every error, never dropped; the report accounts for every row.
 */
@Service
public class Ssda903ImportService {

    private static final int MAX_ROWS = 200_000;

    private final JdbcClient jdbc;
    private final AuditLog audit;
    private final Ssda903Repository repository;
    private final PersonRecords people;
    private final java.time.Clock clock;

    Ssda903ImportService(JdbcClient jdbc, AuditLog audit, Ssda903Repository repository, PersonRecords people,
                         java.time.Clock clock) {
        this.people = people;
        this.clock = clock;
        this.jdbc = jdbc;
        this.audit = audit;
        this.repository = repository;
    }

    /** A refused row: file, line, and each broken rule as "FIELD: rule". */
    public record RowError(String file, int line, String child, List<String> errors) {
    }

    /**
     * Per file: rows received = created + updated + unchanged + quarantined. A row whose key exists but whose values
     * changed (an end date filled in, a child's UPN added) updates the stored row: a re-import never drops a change.
     */
    public record FileCounts(String file, int received, int created, int updated, int unchanged, int quarantined) {
    }

    public record ImportReport(Authority authority, CollectionYear year, List<FileCounts> files, List<RowError> errors) {
        public boolean clean() {
            return errors.isEmpty();
        }
    }

    /** The three files as streams (any may be null: that file is not imported). */
    public record Files(InputStream header, InputStream episodes, InputStream missing) {
    }

    @Transactional
    public ImportReport importAsOperator(String actor, String authorityCode, CollectionYear year, Files files) {
        Authority la = repository.authority(authorityCode).orElseThrow(() -> new IllegalArgumentException(
                "--authority: no live local authority with ONS code or DfE LA number '" + authorityCode + "'"));
        return run(actor, null, la, year, files);
    }

    @Transactional
    public ImportReport importFor(SightlineUser user, CollectionYear year, Files files) {
        Authority la = repository.authority(user.agencyCode()).orElseThrow(() -> new NotFoundException("Authority"));
        return run(user.username(), user.agencyCode(), la, year, files);
    }

    private ImportReport run(String actor, String actorAgency, Authority la, CollectionYear year, Files files) {
        List<RowError> errors = new ArrayList<>();
        List<FileCounts> counts = new ArrayList<>();
        Map<String, Long> records = new HashMap<>();
        loadRecords(la, records);
        CodeLists codes = codeLists();
        if (files.header() != null) {
            counts.add(header(la, year, read("header", files.header(), Ssda903Tables.HEADER_COLUMNS), records, codes,
                    errors));
        }
        if (files.episodes() != null) {
            counts.add(episodes(la, year, read("episodes", files.episodes(), Ssda903Tables.EPISODE_COLUMNS), records,
                    codes, errors));
        }
        if (files.missing() != null) {
            counts.add(missing(la, year, read("missing", files.missing(), Ssda903Tables.MISSING_COLUMNS), records, errors));
        }
        audit.record(new AuditEntry(actor, actorAgency, "SSDA903_IMPORT", "authority", la.code(), null,
                "year=" + year.endYear() + " " + counts.stream().map(c -> c.file() + ":" + c.received() + "/"
                        + c.created() + "/" + c.updated() + "/" + c.unchanged() + "/" + c.quarantined()).toList()));
        return new ImportReport(la, year, counts, errors);
    }

    /** The code lists rows are checked against, read once per import rather than once per value. */
    private record CodeLists(Set<String> ssda903, Set<String> ethnicity) {
        boolean ssda903(String field, String code) {
            return ssda903.contains(field + ":" + code);
        }
    }

    private CodeLists codeLists() {
        return new CodeLists(
                Set.copyOf(jdbc.sql("SELECT field || ':' || code FROM ref_ssda903_code").query(String.class).list()),
                Set.copyOf(jdbc.sql("SELECT code FROM ref_ethnicity WHERE scheme = 'DFE'").query(String.class).list()));
    }

    /** The Header record of a row's CHILD, adding the broken rule when the Header lacks it. */
    private static Long childRecord(Map<String, String> r, Map<String, Long> records, String rule, List<String> problems) {
        String child = r.get("CHILD");
        required(r, "CHILD", problems);
        Long record = records.get(child);
        if (!blank(child) && record == null) {
            problems.add("CHILD: not in the Header (" + rule + ")");
        }
        return record;
    }

    /** A parsed file: rows by column name with their line numbers. */
    private record Table(String file, List<Map<String, String>> rows, List<Integer> lines, List<String> raw) {
    }

    /** Reads strictly: UTF-8 (a BOM is allowed), the DfE columns by name in any order; extra columns are ignored. */
    private static Table read(String file, InputStream in, List<String> columns) {
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
                raw.add(String.join(",", r.getFields()));
            }
        } catch (de.siegmar.fastcsv.reader.CsvParseException e) {
            throw new Ssda903FileException(file, 0, "the file is not valid CSV (" + e.getMessage() + ")");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (names == null) {
            throw new Ssda903FileException(file, 1, "the file is empty: it needs a header row");
        }
        return new Table(file, rows, lines, raw);
    }

    private FileCounts header(Authority la, CollectionYear year, Table t, Map<String, Long> records, CodeLists codes,
                              List<RowError> errors) {
        int created = 0;
        int updated = 0;
        int unchanged = 0;
        int quarantined = 0;
        for (int i = 0; i < t.rows().size(); i++) {
            Map<String, String> r = t.rows().get(i);
            List<String> problems = new ArrayList<>();
            String child = r.get("CHILD");
            required(r, "CHILD", problems);
            code(r, "SEX", Set.of("1", "2"), true, problems);
            LocalDate dob = date(r, "DOB", true, problems);
            String ethnic = r.get("ETHNIC");
            if (!blank(ethnic) && !codes.ethnicity().contains(ethnic)) {
                problems.add("ETHNIC: not a DfE ethnicity code");
            }
            code(r, "MOTHER", Set.of("0", "1"), false, problems);
            LocalDate mcDob = date(r, "MC_DOB", false, problems);
            if (!problems.isEmpty()) {
                quarantined += quarantine(la, year, t, i, child, problems, errors);
                continue;
            }
            String sex = "1".equals(r.get("SEX")) ? "male" : "female";
            String status = blank(ethnic) ? "not_recorded" : "REFU".equals(ethnic) ? "refused"
                    : "NOBT".equals(ethnic) ? "not_known" : "recorded";
            if (records.containsKey(child)) {
                // The authority already holds this child: apply what the return now says, if anything changed.
                int changed = people.updateDemographics(records.get(child), new PersonRecords.Demographics(
                        new PartialDate(dob.getYear(), dob.getMonthValue(), dob.getDayOfMonth()), sex,
                        blank(ethnic) ? null : ethnic, blank(ethnic) ? null : "DFE", status,
                        blank(r.get("UPN")) ? null : r.get("UPN")), clock.instant()) ? 1 : 0;
                changed += jdbc.sql("""
                        UPDATE ssda903_child SET mother = ?, mc_dob = ? WHERE person_record_id = ?
                          AND (mother, mc_dob) IS DISTINCT FROM (?, ?)""")
                        .params(blank(r.get("MOTHER")) ? null : Integer.parseInt(r.get("MOTHER")),
                                mcDob == null ? null : Date.valueOf(mcDob), records.get(child),
                                blank(r.get("MOTHER")) ? null : Integer.parseInt(r.get("MOTHER")),
                                mcDob == null ? null : Date.valueOf(mcDob))
                        .update();
                if (changed > 0) {
                    updated++;
                } else {
                    unchanged++;
                }
                continue;
            }
            Long id = people.createIfAbsent(la.agencyId(), new PersonRecords.NewRecord(child, null, null,
                    new PartialDate(dob.getYear(), dob.getMonthValue(), dob.getDayOfMonth()), sex,
                    blank(ethnic) ? null : ethnic, blank(ethnic) ? null : "DFE", status,
                    blank(r.get("UPN")) ? null : r.get("UPN"), child, "looked_after", la.code(), clock.instant()))
                    .map(PersonRecords.Created::id).orElse(null);
            if (id == null) {
                unchanged++;
                continue;
            }
            records.put(child, id);
            jdbc.sql("""
                    INSERT INTO ssda903_child (person_record_id, agency_id, child, mother, mc_dob) VALUES (?, ?, ?, ?, ?)
                    ON CONFLICT DO NOTHING""")
                    .params(id, la.agencyId(), child, blank(r.get("MOTHER")) ? null : Integer.parseInt(r.get("MOTHER")),
                            mcDob == null ? null : Date.valueOf(mcDob)).update();
            created++;
        }
        return new FileCounts("header", t.rows().size(), created, updated, unchanged, quarantined);
    }

    private void loadRecords(Authority la, Map<String, Long> records) {
        jdbc.sql("SELECT local_child_id, id FROM person_record WHERE agency_id = ? AND local_child_id IS NOT NULL ORDER BY id DESC")
                .param(la.agencyId())
                .query((rs, n) -> records.put(rs.getString(1), rs.getLong(2))).list();
    }

    private FileCounts episodes(Authority la, CollectionYear year, Table t, Map<String, Long> records, CodeLists codes,
                                List<RowError> errors) {
        int created = 0;
        int updated = 0;
        int unchanged = 0;
        int quarantined = 0;
        for (int i = 0; i < t.rows().size(); i++) {
            Map<String, String> r = t.rows().get(i);
            List<String> problems = new ArrayList<>();
            String child = r.get("CHILD");
            Long record = childRecord(r, records, "INT", problems);
            LocalDate decom = date(r, "DECOM", true, problems);
            LocalDate dec = date(r, "DEC", false, problems);
            if (decom != null && dec != null && dec.isBefore(decom)) {
                problems.add("DEC: before DECOM");
            }
            for (String field : List.of("RNE", "LS", "CIN", "PLACE", "PLACE_PROVIDER", "REC", "REASON_PLACE_CHANGE")) {
                String value = r.get(field);
                if (!blank(value) && !codes.ssda903(field, value)) {
                    problems.add(field + ": not an SSDA903 code");
                }
            }
            if (!problems.isEmpty()) {
                quarantined += quarantine(la, year, t, i, child, problems, errors);
                continue;
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

    private FileCounts missing(Authority la, CollectionYear year, Table t, Map<String, Long> records, List<RowError> errors) {
        int created = 0;
        int updated = 0;
        int unchanged = 0;
        int quarantined = 0;
        for (int i = 0; i < t.rows().size(); i++) {
            Map<String, String> r = t.rows().get(i);
            List<String> problems = new ArrayList<>();
            String child = r.get("CHILD");
            Long record = childRecord(r, records, "INT04", problems);
            String type = r.get("MISSING") == null ? "" : r.get("MISSING").toUpperCase(Locale.ROOT);
            if (blank(type)) {
                problems.add("MISSING: required (565)");
            } else if (!Set.of("M", "A").contains(type)) {
                problems.add("MISSING: must be M or A (1006)");
            }
            LocalDate start = null;
            if (blank(r.get("MIS_START"))) {
                problems.add("MIS_START: required (564)");
            } else if (parse(r.get("MIS_START")).isEmpty()) {
                problems.add("MIS_START: not a real date dd/mm/yyyy (1004)");
            } else {
                start = parse(r.get("MIS_START")).get();
            }
            LocalDate end = null;
            if (Ssda903Dates.invalid(r.get("MIS_END"))) {
                problems.add("MIS_END: not a real date dd/mm/yyyy (1005)");
            } else {
                end = parse(r.get("MIS_END")).orElse(null);
            }
            if (start != null && end != null && end.isBefore(start)) {
                problems.add("MIS_END: before MIS_START (567)");
            }
            if (!problems.isEmpty()) {
                quarantined += quarantine(la, year, t, i, child, problems, errors);
                continue;
            }
            // MIS_START at 00:00 in England; the exact dates are kept beside it.
            Timestamp reported = Timestamp.from(start.atStartOfDay(ClockConfiguration.DISPLAY_ZONE).toInstant());
            Timestamp found = end == null ? null : Timestamp.from(end.atStartOfDay(ClockConfiguration.DISPLAY_ZONE).toInstant());
            Long id = jdbc.sql("""
                    INSERT INTO missing_episode (agency_id, person_record_id, episode_ref, status, reported_at, missing_from,
                        category, found_at)
                    VALUES (?, ?, ?, ?, ?, 'care', ?, ?)
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

    /** Keeps the refused row (once per identical row) and reports it; returns 1. */
    private int quarantine(Authority la, CollectionYear year, Table t, int i, String child, List<String> problems,
                           List<RowError> errors) {
        String raw = t.raw().get(i);
        jdbc.sql("""
                INSERT INTO ssda903_quarantine (agency_id, collection_year, file_kind, line_number, row_hash, raw_row, errors)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (agency_id, collection_year, file_kind, row_hash)
                DO UPDATE SET line_number = EXCLUDED.line_number, errors = EXCLUDED.errors, received_at = now()""")
                .params(la.agencyId(), year.endYear(), t.file(), t.lines().get(i), DigestUtils.sha256Hex(t.file() + "\n" + raw), raw,
                        String.join("; ", problems)).update();
        errors.add(new RowError(t.file(), t.lines().get(i), blank(child) ? "" : child, List.copyOf(problems)));
        return 1;
    }

    private static void required(Map<String, String> r, String field, List<String> problems) {
        if (blank(r.get(field))) {
            problems.add(field + ": required");
        }
    }

    private static void code(Map<String, String> r, String field, Set<String> allowed, boolean required,
                             List<String> problems) {
        String v = r.get(field);
        if (blank(v)) {
            if (required) {
                problems.add(field + ": required");
            }
        } else if (!allowed.contains(v)) {
            problems.add(field + ": must be one of " + String.join("/", allowed.stream().sorted().toList()));
        }
    }

    private static LocalDate date(Map<String, String> r, String field, boolean required, List<String> problems) {
        String v = r.get(field);
        if (blank(v)) {
            if (required) {
                problems.add(field + ": required");
            }
            return null;
        }
        return parse(v).orElseGet(() -> {
            problems.add(field + ": not a real date dd/mm/yyyy");
            return null;
        });
    }

    private static String n(Map<String, String> r, String field) {
        String v = r.get(field);
        return blank(v) ? null : v;
    }
}
