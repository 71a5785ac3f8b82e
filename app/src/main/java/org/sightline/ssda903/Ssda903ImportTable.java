package org.sightline.ssda903;

import static org.sightline.ssda903.Ssda903Dates.blank;
import static org.sightline.ssda903.Ssda903Dates.parse;

import java.sql.Date;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.sightline.importexport.ImportError;
import org.sightline.importexport.ImportTable;
import org.sightline.importexport.RowError;
import org.sightline.person.PartialDate;
import org.sightline.person.PersonRecords;
import org.sightline.shared.ClockConfiguration;
import org.sightline.shared.TextRules;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * One SSDA903 table (Header, Episodes or Missing) as the import pipeline reads it: {@link #check} normalises a row
 * (the file's date format, upper-case codes, 1.0 integers) and checks it, {@link #write} stores a batch in the
 * pipeline's transaction. Rows are keyed by what the DfE keys them by (CHILD; CHILD+DECOM; CHILD+MIS_START), so a
 * re-import creates nothing; a row whose key exists with other values updates it. The three tables of one import
 * share a {@link Shared}: the authority's CHILD ids, the refused Header rows (whose Episodes and Missing rows are held
 * naming that cause), the notices and the rows as sent, for the DfE rules once all files are in.
 */
final class Ssda903ImportTable implements ImportTable {

    /** The three files, their DfE columns, keys and date fields. */
    enum File {
        HEADER("header", Ssda903Tables.HEADER_COLUMNS, List.of("CHILD"), List.of("DOB", "MC_DOB")),
        EPISODES("episodes", Ssda903Tables.EPISODE_COLUMNS, List.of("CHILD", "DECOM"), List.of("DECOM", "DEC")),
        MISSING(
                "missing",
                Ssda903Tables.MISSING_COLUMNS,
                List.of("CHILD", "MIS_START"),
                List.of("DOB", "MIS_START", "MIS_END"));

        final String name;
        final List<String> columns;
        final List<String> key;
        final List<String> dateFields;

        File(String name, List<String> columns, List<String> key, List<String> dateFields) {
            this.name = name;
            this.columns = columns;
            this.key = key;
            this.dateFields = dateFields;
        }

        String kind() {
            return "ssda903-" + name;
        }

        static Optional<File> ofKind(String kind) {
            for (File f : values()) {
                if (f.kind().equals(kind)) {
                    return Optional.of(f);
                }
            }
            return Optional.empty();
        }
    }

    /** Fields whose DfE codes are upper case: a lower-case code means the same and is upper-cased (and said so). */
    static final List<String> CODE_FIELDS =
            List.of("ETHNIC", "RNE", "LS", "CIN", "PLACE", "PLACE_PROVIDER", "REC", "REASON_PLACE_CHANGE", "MISSING");
    /** Integer fields that spreadsheets write as 1.0. */
    static final List<String> INTEGER_FIELDS = List.of("SEX", "MOTHER");

    private static final Pattern WHOLE_DECIMAL = Pattern.compile("(\\d+)\\.0+");

    /** What the tables of one import share. Written by persist threads too, hence the concurrent maps. */
    static final class Shared {
        final Authority la;
        final CollectionYear year;
        final Set<String> codes;
        final Set<String> ethnicity;
        /** CHILD → person record, preloaded for an import; looked up one by one for a replay. */
        final Map<String, Long> records = new ConcurrentHashMap<>();

        final boolean preloaded;
        /** CHILD of a refused Header row → why, so that its Episodes and Missing rows name the real cause. */
        final Map<String, String> refusedHeader = new ConcurrentHashMap<>();

        final Map<Long, Optional<LocalDate>> dobs = new ConcurrentHashMap<>();
        final List<Ssda903ImportService.Notice> notices = Collections.synchronizedList(new ArrayList<>());
        final List<Ssda903Tables.HeaderRow> headerRows = new ArrayList<>();
        final List<Ssda903Tables.EpisodeRow> episodeRows = new ArrayList<>();
        final List<Ssda903Tables.MissingRow> missingRows = new ArrayList<>();
        /** A preview's stand-in ids for the children its Header would create (negative: never a real record). */
        final java.util.concurrent.atomic.AtomicLong wouldCreate = new java.util.concurrent.atomic.AtomicLong();

        Shared(Authority la, CollectionYear year, Set<String> codes, Set<String> ethnicity, boolean preloaded) {
            this.la = la;
            this.year = year;
            this.codes = codes;
            this.ethnicity = ethnicity;
            this.preloaded = preloaded;
        }
    }

    /**
     * What the first pass over the file found: its date format and its duplicate keys (line → the problem, or
     * {@link #REPEAT} for an identical repeat read once).
     */
    record Scan(Ssda903Dates.Format format, boolean assumedDayFirst, Map<Long, String> duplicates) {
        static final String REPEAT = "";

        Scan(Ssda903Dates.Format format, Map<Long, String> duplicates) {
            this(format, false, duplicates);
        }

        /** How the file's dates are read, for a preview: dd/mm/yyyy, dd/mm/yyyy assumed, yyyy-mm-dd, or none. */
        String datesRead() {
            return format == null
                    ? "none"
                    : format == Ssda903Dates.Format.ISO ? "iso" : assumedDayFirst ? "assumed" : "dayFirst";
        }
    }

    private final File file;
    private final Shared shared;
    private final Scan scan;
    private final JdbcClient jdbc;
    private final PersonRecords people;
    private final Clock clock;
    private final Map<String, Integer> upperCased = new TreeMap<>();
    private final Map<String, Integer> decimals = new TreeMap<>();
    private final Map<String, Integer> twoDigitYears = new TreeMap<>();
    /** The first refused rows with their CHILD, for a preview (the quarantine keeps every one of a run). */
    private final List<Ssda903ImportService.RowError> refused = new ArrayList<>();

    Ssda903ImportTable(File file, Shared shared, Scan scan, JdbcClient jdbc, PersonRecords people, Clock clock) {
        this.file = file;
        this.shared = shared;
        this.scan = scan;
        this.jdbc = jdbc;
        this.people = people;
        this.clock = clock;
    }

    @Override
    public String kind() {
        return file.kind();
    }

    @Override
    public List<String> columns() {
        return file.columns;
    }

    @Override
    public String parameters() {
        return "year=" + shared.year.endYear() + ";dates="
                + (scan.format() == null ? "" : scan.format().name());
    }

    /** Parses {@link #parameters()}: the collection year and the date format. */
    static Map<String, String> parameters(String text) {
        Map<String, String> p = new HashMap<>();
        for (String part : (text == null ? "" : text).split(";")) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                p.put(part.substring(0, eq), part.substring(eq + 1));
            }
        }
        return p;
    }

    /** The first refused rows of the file (up to {@link Ssda903ImportService#ERRORS_LISTED}), with their CHILD. */
    List<Ssda903ImportService.RowError> refused() {
        return List.copyOf(refused);
    }

    /** The notices about values read differently (lower-case codes, 1.0 integers, dd/mm/yy), once per file. */
    void addReadingNotices() {
        upperCased.forEach((field, n) -> shared.notices.add(new Ssda903ImportService.Notice(
                file.name, 0, "", field + ": " + n + " lower-case code(s) read as upper case, as the DfE codes are")));
        twoDigitYears.forEach((field, n) -> shared.notices.add(new Ssda903ImportService.Notice(
                file.name,
                0,
                "",
                field + ": " + n + " date(s) with a two-digit year (dd/mm/yy) read with the century that puts them "
                        + "in the return's years, e.g. 24/04/17 as 24/04/2017")));
        decimals.forEach((field, n) -> shared.notices.add(new Ssda903ImportService.Notice(
                file.name,
                0,
                "",
                field + ": " + n + " value(s) written as a decimal (e.g. 1.0) read as the whole number")));
    }

    private void notice(long line, String child, String text) {
        shared.notices.add(new Ssda903ImportService.Notice(file.name, (int) line, blank(child) ? "" : child, text));
    }

    // ---- check ----

    @Override
    public Check check(long line, Map<String, String> raw) {
        Map<String, String> r = new HashMap<>();
        List<RowError> errors = new ArrayList<>();
        for (String column : file.columns) {
            String v = raw.getOrDefault(column, "");
            if (textProblem(line, column, v, errors)) {
                v = "";
            }
            r.put(column, normalise(column, v));
        }
        String child = r.get("CHILD");
        String ref = file.key.stream().map(r::get).reduce((a, b) -> a + "/" + b).orElse("");
        if (r.values().stream().allMatch(String::isEmpty)) {
            return Check.repeat(ref); // a blank line of a spreadsheet: nothing to read
        }
        String duplicate = scan.duplicates().get(line);
        if (Scan.REPEAT.equals(duplicate)) {
            return Check.repeat(ref);
        }
        if (duplicate != null) {
            errors.add(RowError.of(ImportError.E1007, line, String.join("+", file.key), duplicate));
        }
        switch (file) {
            case HEADER -> checkHeader(line, r, errors);
            case EPISODES -> checkEpisode(line, r, errors);
            case MISSING -> checkMissing(line, r, errors);
        }
        if (!errors.isEmpty()) {
            if (file == File.HEADER && !blank(child)) {
                shared.refusedHeader.putIfAbsent(
                        child,
                        String.join(
                                "; ",
                                errors.stream()
                                        .map(e -> e.column() + ": " + e.message())
                                        .toList()));
            }
            if (refused.size() < Ssda903ImportService.ERRORS_LISTED) {
                refused.add(new Ssda903ImportService.RowError(
                        file.name,
                        (int) line,
                        blank(child) ? "" : child,
                        errors.stream()
                                .map(e -> new Ssda903ImportService.Problem(e.code(), e.column(), e.message()))
                                .toList()));
            }
            return Check.refused(blank(child) ? null : ref, errors);
        }
        return Check.accepted(ref, r);
    }

    /** E1010 or E1011 for a value no SSDA903 field may hold; true when found. */
    private static boolean textProblem(long line, String column, String v, List<RowError> errors) {
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c == '\uFFFD') {
                errors.add(RowError.of(ImportError.E1010, line, column, null));
                return true;
            }
            if (!TextRules.allowed(c)) {
                errors.add(RowError.of(ImportError.E1011, line, column, null));
                return true;
            }
        }
        return false;
    }

    /** A value as the DfE means it: dates dd/mm/yyyy, codes upper case, 1.0 as 1 (each counted for a notice). */
    private String normalise(String column, String v) {
        if (v.isEmpty()) {
            return v;
        }
        if (file.dateFields.contains(column)) {
            String expanded = scan.format() == Ssda903Dates.Format.DAY_FIRST
                    ? Ssda903Dates.expandTwoDigitYear(v, shared.year)
                    : null;
            if (expanded != null) {
                twoDigitYears.merge(column, 1, Integer::sum);
                return expanded;
            }
            return Ssda903Dates.normalise(v, scan.format());
        }
        if (CODE_FIELDS.contains(column) && !v.equals(v.toUpperCase(Locale.ROOT))) {
            upperCased.merge(column, 1, Integer::sum);
            return v.toUpperCase(Locale.ROOT);
        }
        if (INTEGER_FIELDS.contains(column)) {
            Matcher m = WHOLE_DECIMAL.matcher(v);
            if (m.matches()) {
                decimals.merge(column, 1, Integer::sum);
                return String.valueOf(Integer.parseInt(m.group(1)));
            }
        }
        return v;
    }

    private void checkHeader(long line, Map<String, String> r, List<RowError> errors) {
        shared.headerRows.add(new Ssda903Tables.HeaderRow(
                (int) line,
                r.get("CHILD"),
                r.get("SEX"),
                r.get("DOB"),
                r.get("ETHNIC"),
                r.get("UPN"),
                r.get("MOTHER"),
                r.get("MC_DOB")));
        required(line, r, "CHILD", errors);
        code(line, r, "SEX", Set.of("1", "2"), true, errors);
        date(line, r, "DOB", true, errors);
        String ethnic = r.get("ETHNIC");
        if (!blank(ethnic) && !shared.ethnicity.contains(ethnic)) {
            errors.add(RowError.of(ImportError.E1004, line, "ETHNIC", "not a DfE ethnicity code"));
        }
        code(line, r, "MOTHER", Set.of("0", "1"), false, errors);
        date(line, r, "MC_DOB", false, errors);
        if (errors.isEmpty() && blank(ethnic)) {
            notice(line, r.get("CHILD"), "ETHNIC blank: held as not recorded, exported as NOBT (not obtained)");
        }
    }

    private void checkEpisode(long line, Map<String, String> r, List<RowError> errors) {
        shared.episodeRows.add(new Ssda903Tables.EpisodeRow(
                (int) line,
                r.get("CHILD"),
                r.get("DECOM"),
                r.get("RNE"),
                r.get("LS"),
                r.get("CIN"),
                r.get("PLACE"),
                r.get("PLACE_PROVIDER"),
                r.get("DEC"),
                r.get("REC"),
                r.get("REASON_PLACE_CHANGE"),
                r.get("HOME_POST"),
                r.get("PL_POST"),
                r.get("URN")));
        childRecord(line, r, "INT", errors);
        LocalDate decom = date(line, r, "DECOM", true, errors);
        LocalDate dec = date(line, r, "DEC", false, errors);
        if (decom != null && dec != null && dec.isBefore(decom)) {
            errors.add(RowError.of(ImportError.E1012, line, "DEC", "before DECOM"));
        }
        for (String field : List.of("RNE", "LS", "CIN", "PLACE", "PLACE_PROVIDER", "REC", "REASON_PLACE_CHANGE")) {
            String value = r.get(field);
            if (!blank(value) && !shared.codes.contains(field + ":" + value)) {
                errors.add(RowError.of(ImportError.E1004, line, field, "not an SSDA903 code"));
            }
        }
        if (errors.isEmpty() && dec != null && dec.isAfter(shared.year.end())) {
            notice(
                    line,
                    r.get("CHILD"),
                    "DEC after 31 March " + shared.year.endYear() + ": held, but the " + shared.year.endYear()
                            + " return shows the episode still open (no DEC, no REC)");
        }
    }

    private void checkMissing(long line, Map<String, String> r, List<RowError> errors) {
        shared.missingRows.add(new Ssda903Tables.MissingRow(
                (int) line, r.get("CHILD"), r.get("DOB"), r.get("MISSING"), r.get("MIS_START"), r.get("MIS_END")));
        Long record = childRecord(line, r, "INT04", errors);
        String type = r.get("MISSING");
        if (blank(type)) {
            errors.add(RowError.of(ImportError.E1002, line, "MISSING", "required (565)"));
        } else if (!Set.of("M", "A").contains(type)) {
            errors.add(RowError.of(ImportError.E1004, line, "MISSING", "must be M or A (1006)"));
        }
        LocalDate start = null;
        if (blank(r.get("MIS_START"))) {
            errors.add(RowError.of(ImportError.E1002, line, "MIS_START", "required (564)"));
        } else if (parse(r.get("MIS_START")).isEmpty()) {
            errors.add(RowError.of(ImportError.E1003, line, "MIS_START", "not a real date dd/mm/yyyy (1004)"));
        } else {
            start = parse(r.get("MIS_START")).get();
        }
        LocalDate end = null;
        if (Ssda903Dates.invalid(r.get("MIS_END"))) {
            errors.add(RowError.of(ImportError.E1003, line, "MIS_END", "not a real date dd/mm/yyyy (1005)"));
        } else {
            end = parse(r.get("MIS_END")).orElse(null);
        }
        if (start != null && end != null && end.isBefore(start)) {
            errors.add(RowError.of(ImportError.E1012, line, "MIS_END", "before MIS_START (567)"));
        }
        if (!errors.isEmpty()) {
            return;
        }
        String child = r.get("CHILD");
        if (end != null && end.isAfter(shared.year.end())) {
            notice(
                    line,
                    child,
                    "MIS_END after 31 March " + shared.year.endYear() + ": held, but the " + shared.year.endYear()
                            + " return shows the period still open");
        }
        Optional<LocalDate> dob = shared.dobs.computeIfAbsent(record, this::dob);
        if (!blank(r.get("DOB")) && !parse(r.get("DOB")).equals(dob)) {
            notice(
                    line,
                    child,
                    "DOB differs from the Header's: not held, exports give the Header's date of birth (INT13)");
        }
    }

    /**
     * The record of a row's CHILD, adding the broken rule when the Header lacks it; when the child's Header row was
     * refused, the row is held (E1015) naming that cause.
     */
    private Long childRecord(long line, Map<String, String> r, String rule, List<RowError> errors) {
        String child = r.get("CHILD");
        if (blank(child)) {
            errors.add(RowError.of(ImportError.E1002, line, "CHILD", "required"));
            return null;
        }
        Long record = record(child);
        if (record == null) {
            String refused = shared.refusedHeader.get(child);
            errors.add(
                    refused != null
                            ? RowError.of(
                                    ImportError.E1015,
                                    line,
                                    "CHILD",
                                    "the Header row for CHILD " + child + " was refused: " + refused)
                            : RowError.of(ImportError.E1005, line, "CHILD", "not in the Header (" + rule + ")"));
        }
        return record;
    }

    private Long record(String child) {
        Long id = shared.records.get(child);
        if (id == null && !shared.preloaded) {
            id = jdbc.sql(
                            """
                    SELECT id FROM person_record WHERE agency_id = ? AND local_child_id = ? ORDER BY id LIMIT 1""")
                    .params(shared.la.agencyId(), child)
                    .query(Long.class)
                    .optional()
                    .orElse(null);
            if (id != null) {
                shared.records.put(child, id);
            }
        }
        return id;
    }

    /** The full date of birth held for a record. */
    private Optional<LocalDate> dob(Long record) {
        return jdbc.sql("SELECT dob_year, dob_month, dob_day FROM person_record WHERE id = ?")
                .param(record)
                .query((rs, n) -> rs.getObject(1) == null || rs.getObject(2) == null || rs.getObject(3) == null
                        ? Optional.<LocalDate>empty()
                        : Optional.of(LocalDate.of(rs.getInt(1), rs.getInt(2), rs.getInt(3))))
                .optional()
                .flatMap(d -> d);
    }

    private static void required(long line, Map<String, String> r, String field, List<RowError> errors) {
        if (blank(r.get(field))) {
            errors.add(RowError.of(ImportError.E1002, line, field, "required"));
        }
    }

    private static void code(
            long line,
            Map<String, String> r,
            String field,
            Set<String> allowed,
            boolean required,
            List<RowError> errors) {
        String v = r.get(field);
        if (blank(v)) {
            if (required) {
                errors.add(RowError.of(ImportError.E1002, line, field, "required"));
            }
        } else if (!allowed.contains(v)) {
            errors.add(RowError.of(
                    ImportError.E1004,
                    line,
                    field,
                    "must be one of "
                            + String.join("/", allowed.stream().sorted().toList())));
        }
    }

    private static LocalDate date(
            long line, Map<String, String> r, String field, boolean required, List<RowError> errors) {
        String v = r.get(field);
        if (blank(v)) {
            if (required) {
                errors.add(RowError.of(ImportError.E1002, line, field, "required"));
            }
            return null;
        }
        return parse(v).orElseGet(() -> {
            errors.add(RowError.of(ImportError.E1003, line, field, "not a real date dd/mm/yyyy"));
            return null;
        });
    }

    // ---- write ----

    @Override
    public Counts write(List<Row> rows) {
        return tally(rows, values -> switch (file) {
            case HEADER -> writeHeader(values);
            case EPISODES -> writeEpisode(values);
            case MISSING -> writeMissing(values);
        });
    }

    /** Counts each row's outcome ("imported", "updated", else unchanged); repeats are unchanged and not looked at. */
    private static Counts tally(List<Row> rows, java.util.function.Function<Map<String, String>, String> outcome) {
        int imported = 0;
        int updated = 0;
        for (Row row : rows) {
            if (row.repeat()) {
                continue;
            }
            String o = outcome.apply(row.values());
            if ("imported".equals(o)) {
                imported++;
            } else if ("updated".equals(o)) {
                updated++;
            }
        }
        return new Counts(imported, updated, rows.size() - imported - updated);
    }

    /**
     * What {@link #write} would count, reading only: each row compared with what is held, as its write compares
     * it. A child the Header would create is given a stand-in id, so its Episodes and Missing rows are read as the
     * import would read them, and the Header's DOB is what a Missing row's DOB is compared with, as after the write.
     */
    @Override
    public Counts count(List<Row> rows) {
        return tally(rows, values -> switch (file) {
            case HEADER -> countHeader(values);
            case EPISODES -> countEpisode(values);
            case MISSING -> countMissing(values);
        });
    }

    private String countHeader(Map<String, String> r) {
        String child = r.get("CHILD");
        String ethnic = r.get("ETHNIC");
        LocalDate dob = parse(r.get("DOB")).orElseThrow();
        LocalDate mcDob = parse(r.get("MC_DOB")).orElse(null);
        Integer mother = blank(r.get("MOTHER")) ? null : Integer.parseInt(r.get("MOTHER"));
        Long id = record(child);
        String outcome;
        if (id == null) {
            id = shared.wouldCreate.decrementAndGet();
            shared.records.put(child, id);
            outcome = "imported";
        } else {
            // The columns and comparison of PersonRecords.updateDemographics and of writeHeader's ssda903_child update.
            boolean changed = jdbc.sql(
                            """
                    SELECT (p.dob_year, p.dob_month, p.dob_day, p.sex, p.ethnicity_code, p.ethnicity_scheme, p.upn)
                             IS DISTINCT FROM (?::int, ?::int, ?::int, ?::text, ?::text, ?::text, ?::text)
                           OR (c.mother, c.mc_dob) IS DISTINCT FROM (?::smallint, ?::date)
                    FROM person_record p LEFT JOIN ssda903_child c ON c.person_record_id = p.id WHERE p.id = ?""")
                    .params(
                            dob.getYear(),
                            dob.getMonthValue(),
                            dob.getDayOfMonth(),
                            "1".equals(r.get("SEX")) ? "male" : "female",
                            blank(ethnic) ? null : ethnic,
                            blank(ethnic) ? null : "DFE",
                            n(r, "UPN"),
                            mother,
                            mcDob == null ? null : Date.valueOf(mcDob),
                            id)
                    .query(Boolean.class)
                    .single();
            outcome = changed ? "updated" : "unchanged";
        }
        shared.dobs.put(id, Optional.of(dob));
        return outcome;
    }

    private String countEpisode(Map<String, String> r) {
        LocalDate dec = parse(r.get("DEC")).orElse(null);
        return jdbc.sql(
                        """
                SELECT (rne, ls, cin, place, place_provider, dec, rec, reason_place_change, home_post, pl_post, urn)
                       IS DISTINCT FROM (?::text, ?::text, ?::text, ?::text, ?::text, ?::date, ?::text, ?::text,
                                         ?::text, ?::text, ?::text)
                FROM care_episode WHERE agency_id = ? AND child = ? AND decom = ?""")
                .params(
                        n(r, "RNE"),
                        n(r, "LS"),
                        n(r, "CIN"),
                        n(r, "PLACE"),
                        n(r, "PLACE_PROVIDER"),
                        dec == null ? null : Date.valueOf(dec),
                        n(r, "REC"),
                        n(r, "REASON_PLACE_CHANGE"),
                        n(r, "HOME_POST"),
                        n(r, "PL_POST"),
                        n(r, "URN"),
                        shared.la.agencyId(),
                        r.get("CHILD"),
                        Date.valueOf(parse(r.get("DECOM")).orElseThrow()))
                .query(Boolean.class)
                .optional()
                .map(changed -> changed ? "updated" : "unchanged")
                .orElse("imported");
    }

    private String countMissing(Map<String, String> r) {
        LocalDate start = parse(r.get("MIS_START")).orElseThrow();
        LocalDate end = parse(r.get("MIS_END")).orElse(null);
        Timestamp found = end == null
                ? null
                : Timestamp.from(
                        end.atStartOfDay(ClockConfiguration.DISPLAY_ZONE).toInstant());
        return jdbc.sql(
                        """
                SELECT (category, found_at) IS DISTINCT FROM (?::text, ?::timestamptz)
                FROM missing_episode WHERE agency_id = ? AND episode_ref = ?""")
                .params(
                        "A".equals(r.get("MISSING")) ? "away" : "missing",
                        found,
                        shared.la.agencyId(),
                        "SSDA903-" + r.get("CHILD") + "-" + start)
                .query(Boolean.class)
                .optional()
                .map(changed -> changed ? "updated" : "unchanged")
                .orElse("imported");
    }

    private static String n(Map<String, String> r, String field) {
        String v = r.get(field);
        return blank(v) ? null : v;
    }

    private String writeHeader(Map<String, String> r) {
        String child = r.get("CHILD");
        String ethnic = r.get("ETHNIC");
        LocalDate dob = parse(r.get("DOB")).orElseThrow();
        LocalDate mcDob = parse(r.get("MC_DOB")).orElse(null);
        String sex = "1".equals(r.get("SEX")) ? "male" : "female";
        String status = blank(ethnic)
                ? "not_recorded"
                : "REFU".equals(ethnic) ? "refused" : "NOBT".equals(ethnic) ? "not_known" : "recorded";
        Integer mother = blank(r.get("MOTHER")) ? null : Integer.parseInt(r.get("MOTHER"));
        Date mcDate = mcDob == null ? null : Date.valueOf(mcDob);
        PartialDate born = new PartialDate(dob.getYear(), dob.getMonthValue(), dob.getDayOfMonth());
        Long id = record(child);
        String outcome;
        if (id != null) {
            // The authority already holds this child: apply what the return now says, if anything changed.
            int changed = people.updateDemographics(
                            id,
                            new PersonRecords.Demographics(
                                    born,
                                    sex,
                                    blank(ethnic) ? null : ethnic,
                                    blank(ethnic) ? null : "DFE",
                                    status,
                                    n(r, "UPN")),
                            clock.instant())
                    ? 1
                    : 0;
            jdbc.sql(
                            """
                    INSERT INTO ssda903_child (person_record_id, agency_id, child) VALUES (?, ?, ?)
                    ON CONFLICT DO NOTHING""")
                    .params(id, shared.la.agencyId(), child)
                    .update();
            changed += jdbc.sql(
                            """
                    UPDATE ssda903_child SET mother = ?, mc_dob = ? WHERE person_record_id = ?
                      AND (mother, mc_dob) IS DISTINCT FROM (?, ?)""")
                    .params(mother, mcDate, id, mother, mcDate)
                    .update();
            outcome = changed > 0 ? "updated" : "unchanged";
        } else {
            id = people.createIfAbsent(
                            shared.la.agencyId(),
                            new PersonRecords.NewRecord(
                                    child,
                                    null,
                                    null,
                                    born,
                                    sex,
                                    blank(ethnic) ? null : ethnic,
                                    blank(ethnic) ? null : "DFE",
                                    status,
                                    n(r, "UPN"),
                                    child,
                                    "looked_after",
                                    shared.la.code(),
                                    clock.instant()))
                    .map(PersonRecords.Created::id)
                    .orElse(null);
            if (id == null) {
                return "unchanged";
            }
            shared.records.put(child, id);
            jdbc.sql(
                            """
                    INSERT INTO ssda903_child (person_record_id, agency_id, child, mother, mc_dob) VALUES (?, ?, ?, ?, ?)
                    ON CONFLICT DO NOTHING""")
                    .params(id, shared.la.agencyId(), child, mother, mcDate)
                    .update();
            outcome = "imported";
        }
        // The Header lists the child in this year, with or without episodes: so will the export.
        jdbc.sql(
                        """
                UPDATE ssda903_child SET header_years = array_append(header_years, ?)
                WHERE person_record_id = ? AND NOT (? = ANY (header_years))""")
                .params(shared.year.endYear(), id, shared.year.endYear())
                .update();
        return outcome;
    }

    private String writeEpisode(Map<String, String> r) {
        LocalDate decom = parse(r.get("DECOM")).orElseThrow();
        LocalDate dec = parse(r.get("DEC")).orElse(null);
        // An episode is keyed by its start; a later return fills in DEC and REC, which must update it.
        Boolean inserted = jdbc.sql(
                        """
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
                .params(
                        shared.la.agencyId(),
                        record(r.get("CHILD")),
                        r.get("CHILD"),
                        Date.valueOf(decom),
                        n(r, "RNE"),
                        n(r, "LS"),
                        n(r, "CIN"),
                        n(r, "PLACE"),
                        n(r, "PLACE_PROVIDER"),
                        dec == null ? null : Date.valueOf(dec),
                        n(r, "REC"),
                        n(r, "REASON_PLACE_CHANGE"),
                        n(r, "HOME_POST"),
                        n(r, "PL_POST"),
                        n(r, "URN"))
                .query(Boolean.class)
                .optional()
                .orElse(null);
        return inserted == null ? "unchanged" : inserted ? "imported" : "updated";
    }

    private String writeMissing(Map<String, String> r) {
        String child = r.get("CHILD");
        LocalDate start = parse(r.get("MIS_START")).orElseThrow();
        LocalDate end = parse(r.get("MIS_END")).orElse(null);
        String category = "A".equals(r.get("MISSING")) ? "away" : "missing";
        String ref = "SSDA903-" + child + "-" + start;
        // MIS_START at 00:00 in England; the exact dates are kept beside it. The Missing table says nothing of a
        // return interview: not recorded, never "not offered".
        Timestamp reported = Timestamp.from(
                start.atStartOfDay(ClockConfiguration.DISPLAY_ZONE).toInstant());
        Timestamp found = end == null
                ? null
                : Timestamp.from(
                        end.atStartOfDay(ClockConfiguration.DISPLAY_ZONE).toInstant());
        Long id = jdbc.sql(
                        """
                INSERT INTO missing_episode (agency_id, person_record_id, episode_ref, status, reported_at, missing_from,
                    category, found_at, return_interview_status)
                VALUES (?, ?, ?, ?, ?, 'care', ?, ?, 'not_recorded')
                ON CONFLICT (agency_id, episode_ref) DO NOTHING RETURNING id""")
                .params(
                        shared.la.agencyId(),
                        record(child),
                        ref,
                        end == null ? "reported" : "found",
                        reported,
                        category,
                        found)
                .query(Long.class)
                .optional()
                .orElse(null);
        if (id != null) {
            jdbc.sql("INSERT INTO ssda903_missing_period (missing_episode_id, mis_start, mis_end) VALUES (?, ?, ?)")
                    .params(id, Date.valueOf(start), end == null ? null : Date.valueOf(end))
                    .update();
            return "imported";
        }
        // The period is known: a later return may end it or correct its type. Work recorded since in Sightline
        // (grading, return interview) is kept; only the SSDA903 facts change.
        int changed = jdbc.sql(
                        """
                UPDATE missing_episode SET category = ?, found_at = ?,
                    status = CASE WHEN status = 'reported' AND ?::timestamptz IS NOT NULL THEN 'found' ELSE status END,
                    version = version + 1, updated_at = now()
                WHERE agency_id = ? AND episode_ref = ? AND (category, found_at) IS DISTINCT FROM (?, ?::timestamptz)""")
                .params(category, found, found, shared.la.agencyId(), ref, category, found)
                .update();
        if (changed == 0) {
            return "unchanged";
        }
        jdbc.sql(
                        """
                UPDATE ssda903_missing_period p SET mis_end = ? FROM missing_episode e
                WHERE p.missing_episode_id = e.id AND e.agency_id = ? AND e.episode_ref = ?""")
                .params(end == null ? null : Date.valueOf(end), shared.la.agencyId(), ref)
                .update();
        return "updated";
    }
}
