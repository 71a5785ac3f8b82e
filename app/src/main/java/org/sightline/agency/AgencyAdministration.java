package org.sightline.agency;

import java.time.Clock;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.sightline.audit.AuditEntry;
import org.sightline.audit.AuditLog;
import org.sightline.shared.ClockConfiguration;
import org.sightline.shared.ConflictException;
import org.sightline.shared.InvalidRequestException;
import org.sightline.shared.Like;
import org.sightline.shared.NotFoundException;
import org.sightline.shared.TextRules;
import org.sightline.shared.Violation;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The agencies that hold records (issue 9): administrators create them, rename them and close them, through the
 * pages, the API and a reference file. A closed agency keeps its records, and its people's accounts keep their
 * history, but it can no longer be chosen for a new account or an import. Every change and every listing is audited
 * with who did it. Sightline's own national agency is not administered here.
 */
@Service
public class AgencyAdministration {

    /** The kinds an administrator may create, in the order offered. */
    public static final List<String> KINDS =
            List.of("police_force", "local_authority", "care_provider", "health", "education", "other");

    private static final Pattern CODE = Pattern.compile("[A-Z0-9][A-Z0-9_-]{1,39}");
    private static final Pattern AREA = Pattern.compile("[EWSN][0-9]{8}");
    private static final Pattern URN = Pattern.compile("[0-9]{6,7}");
    private static final int MAX_NAME = 200;

    private final JdbcClient jdbc;
    private final AuditLog audit;
    private final Clock clock;

    AgencyAdministration(JdbcClient jdbc, AuditLog audit, Clock clock) {
        this.jdbc = jdbc;
        this.audit = audit;
        this.clock = clock;
    }

    /** Who acts: a user name (or {@code cli:…}) and their agency, for the audit. */
    public record Actor(String username, String agencyCode) {}

    /** An agency as administrators see it; {@code accounts} is how many accounts belong to it. */
    public record Agency(
            UUID id,
            String code,
            String name,
            String kind,
            String areaCode,
            String ofstedUrn,
            boolean open,
            LocalDate closedOn,
            int version,
            long accounts) {}

    /** A new agency as entered (form, API or reference file); blank optional values are not recorded. */
    public record NewAgency(String code, String name, String kind, String areaCode, String ofstedUrn) {

        NewAgency normalised() {
            return new NewAgency(
                    upper(code),
                    strip(name),
                    strip(kind),
                    upper(areaCode),
                    strip(ofstedUrn) == null ? null : strip(ofstedUrn));
        }
    }

    private static final String SELECT =
            """
            SELECT a.public_id, a.code, a.name, a.agency_type, a.area_code, a.ofsted_urn, a.active, a.closed_on, a.version,
                   (SELECT count(*) FROM app_user u WHERE u.agency_id = a.id) AS accounts
            FROM agency a WHERE a.agency_type <> 'national'""";

    private static Agency map(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new Agency(
                rs.getObject(1, UUID.class),
                rs.getString(2),
                rs.getString(3),
                rs.getString(4),
                rs.getString(5),
                rs.getString(6),
                rs.getBoolean(7),
                rs.getObject(8, LocalDate.class),
                rs.getInt(9),
                rs.getLong(10));
    }

    /** Every administered agency, open ones first, by name. */
    @Transactional
    public List<Agency> list(Actor actor) {
        audit.record(AuditEntry.of(actor.username(), actor.agencyCode(), "LIST", "agency", null));
        return jdbc.sql(SELECT + " ORDER BY NOT a.active, lower(a.name), a.code")
                .query((rs, n) -> map(rs))
                .list();
    }

    /** How many agencies a page of the administration list shows. */
    public static final int PAGE_SIZE = 50;

    /** One page of the list; {@code total} counts every agency matching, {@code page} is within 1..pages. */
    public record AgencyPage(List<Agency> agencies, int total, int page, int pages) {}

    /**
     * A page of the administered agencies whose name or code contains {@code query} (all when blank), open ones
     * first, by name. A page past the end shows the last.
     */
    @Transactional
    public AgencyPage page(Actor actor, String query, int page) {
        audit.record(AuditEntry.of(actor.username(), actor.agencyCode(), "LIST", "agency", null));
        String like = query == null || query.isBlank()
                ? null
                : Like.containing(query.strip().toLowerCase());
        String where = " AND (CAST(:like AS text) IS NULL OR lower(a.name) LIKE :like OR lower(a.code) LIKE :like)";
        int total = jdbc.sql("SELECT count(*) FROM agency a WHERE a.agency_type <> 'national'" + where)
                .param("like", like)
                .query(Integer.class)
                .single();
        int pages = Math.max(1, (total + PAGE_SIZE - 1) / PAGE_SIZE);
        int shown = Math.min(Math.max(page, 1), pages);
        List<Agency> agencies = jdbc.sql(
                        SELECT + where + " ORDER BY NOT a.active, lower(a.name), a.code LIMIT :size OFFSET :skip")
                .param("like", like)
                .param("size", PAGE_SIZE)
                .param("skip", (shown - 1) * PAGE_SIZE)
                .query((rs, n) -> map(rs))
                .list();
        return new AgencyPage(agencies, total, shown, pages);
    }

    @Transactional
    public Agency find(Actor actor, UUID id) {
        Agency agency = byId(id).orElseThrow(() -> new NotFoundException("agency"));
        audit.record(AuditEntry.of(actor.username(), actor.agencyCode(), "READ", "agency", id.toString()));
        return agency;
    }

    private Optional<Agency> byId(UUID id) {
        return jdbc.sql(SELECT + " AND a.public_id = ?")
                .param(id)
                .query((rs, n) -> map(rs))
                .optional();
    }

    private Optional<Agency> byCode(String code) {
        return jdbc.sql(SELECT + " AND a.code = ?")
                .param(code)
                .query((rs, n) -> map(rs))
                .optional();
    }

    /** The rules a new agency breaks, in the form's order (name, code, kind, Ofsted URN, area); none when it can be created. */
    public List<Violation> check(NewAgency raw) {
        NewAgency form = raw.normalised();
        List<Violation> broken = new ArrayList<>();
        checkName(form.name(), null, broken);
        if (form.code() == null) {
            broken.add(new Violation("code", "required", "enter the agency's code"));
        } else if (!CODE.matcher(form.code()).matches()) {
            broken.add(new Violation(
                    "code",
                    "format",
                    "must be 2 to 40 letters, digits, hyphens or underscores, starting with a letter or digit"));
        } else if (jdbc.sql("SELECT EXISTS (SELECT 1 FROM agency WHERE code = ?)")
                .param(form.code())
                .query(Boolean.class)
                .single()) {
            broken.add(new Violation("code", "taken", "another agency, open or closed, already has this code"));
        }
        if (form.kind() == null) {
            broken.add(new Violation("kind", "required", "choose the kind of agency"));
        } else if (!KINDS.contains(form.kind())) {
            broken.add(new Violation("kind", "code-list", "must be one of " + String.join(", ", KINDS)));
        }
        checkUrn(form.kind(), form.ofstedUrn(), null, broken);
        if (form.areaCode() != null && !AREA.matcher(form.areaCode()).matches()) {
            broken.add(new Violation(
                    "areaCode", "format", "must be an ONS area code: a letter and 8 digits, e.g. E10000016"));
        }
        return broken;
    }

    private void checkName(String name, Long except, List<Violation> broken) {
        if (name == null) {
            broken.add(new Violation("name", "required", "enter the agency's name"));
        } else if (name.length() > MAX_NAME) {
            broken.add(new Violation("name", "too-long", "must be " + MAX_NAME + " characters or fewer"));
        } else if (!TextRules.clean(name)) {
            broken.add(new Violation("name", TextRules.RULE, TextRules.MESSAGE));
        } else if (jdbc.sql("SELECT EXISTS (SELECT 1 FROM agency WHERE active AND lower(name) = lower(?) AND id <> ?)")
                .params(name, except == null ? -1 : except)
                .query(Boolean.class)
                .single()) {
            broken.add(new Violation("name", "taken", "an open agency already has this name"));
        }
    }

    private void checkUrn(String kind, String urn, Long except, List<Violation> broken) {
        if (urn == null) {
            return;
        }
        if (!"care_provider".equals(kind)) {
            broken.add(new Violation("ofstedUrn", "care-providers-only", "only care providers have an Ofsted URN"));
        } else if (!URN.matcher(urn).matches()) {
            broken.add(new Violation("ofstedUrn", "format", "must be 6 or 7 digits"));
        } else if (jdbc.sql("SELECT EXISTS (SELECT 1 FROM agency WHERE active AND ofsted_urn = ? AND id <> ?)")
                .params(urn, except == null ? -1 : except)
                .query(Boolean.class)
                .single()) {
            broken.add(new Violation("ofstedUrn", "taken", "an open agency already has this Ofsted URN"));
        }
    }

    @Transactional
    public Agency create(Actor actor, NewAgency raw) {
        List<Violation> broken = check(raw);
        if (!broken.isEmpty()) {
            throw new InvalidRequestException(broken);
        }
        NewAgency form = raw.normalised();
        UUID id = jdbc.sql(
                        """
                INSERT INTO agency (code, agency_type, name, area_code, ofsted_urn, name_locked) VALUES (?, ?, ?, ?, ?, true)
                ON CONFLICT (code) DO NOTHING RETURNING public_id""")
                .params(form.code(), form.kind(), form.name(), form.areaCode(), form.ofstedUrn())
                .query(UUID.class)
                .optional()
                .orElseThrow(() -> new InvalidRequestException(
                        "code", "taken", "another agency, open or closed, already has this code"));
        audit.record(AuditEntry.of(actor.username(), actor.agencyCode(), "AGENCY_CREATED", "agency", id.toString())
                .withDetails("code=" + form.code() + "; kind=" + form.kind()
                        + (form.ofstedUrn() == null ? "" : "; ofstedUrn=" + form.ofstedUrn())));
        return byId(id).orElseThrow();
    }

    /**
     * Renames an open or closed agency. {@code version}, when given, must be the version the administrator saw, so
     * two administrators renaming at once cannot silently overwrite each other.
     */
    @Transactional
    public Agency rename(Actor actor, UUID id, String newName, Integer version) {
        Agency before = byId(id).orElseThrow(() -> new NotFoundException("agency"));
        String name = strip(newName);
        List<Violation> broken = new ArrayList<>();
        checkName(name, internalId(id), broken);
        if (!broken.isEmpty()) {
            throw new InvalidRequestException(broken);
        }
        if (version != null && version != before.version()) {
            throw ConflictException.staleVersion("The agency");
        }
        if (name.equals(before.name())) {
            return before;
        }
        jdbc.sql("UPDATE agency SET name = ?, name_locked = true, version = version + 1 WHERE public_id = ?")
                .params(name, id)
                .update();
        audit.record(AuditEntry.of(actor.username(), actor.agencyCode(), "AGENCY_RENAMED", "agency", id.toString())
                .withDetails("code=" + before.code() + "; name=" + before.name() + " -> " + name));
        return byId(id).orElseThrow();
    }

    /**
     * Closes an agency from a day (not after today): it keeps its records and cannot be chosen for new accounts or
     * imports. Closing a closed agency is refused, naming the day it closed.
     */
    @Transactional
    public Agency close(Actor actor, UUID id, String closedOn) {
        Agency before = byId(id).orElseThrow(() -> new NotFoundException("agency"));
        LocalDate day = closingDay(closedOn);
        if (!before.open()) {
            throw new InvalidRequestException("closedOn", "already-closed", "the agency is already closed");
        }
        jdbc.sql("UPDATE agency SET active = false, closed_on = ?, version = version + 1 WHERE public_id = ?")
                .params(day, id)
                .update();
        audit.record(AuditEntry.of(actor.username(), actor.agencyCode(), "AGENCY_CLOSED", "agency", id.toString())
                .withDetails("code=" + before.code() + "; closedOn=" + day));
        return byId(id).orElseThrow();
    }

    private LocalDate closingDay(String value) {
        String v = strip(value);
        if (v == null) {
            throw new InvalidRequestException("closedOn", "required", "enter the day the agency closed");
        }
        LocalDate day;
        try {
            day = LocalDate.parse(v);
        } catch (DateTimeParseException e) {
            throw new InvalidRequestException("closedOn", "date-format", "must be a real date as yyyy-mm-dd");
        }
        if (day.isAfter(LocalDate.now(clock.withZone(ClockConfiguration.DISPLAY_ZONE)))) {
            throw new InvalidRequestException("closedOn", "future", "must be today or earlier");
        }
        return day;
    }

    private long internalId(UUID id) {
        return jdbc.sql("SELECT id FROM agency WHERE public_id = ?")
                .param(id)
                .query(Long.class)
                .single();
    }

    /** What one row of a reference file did, or why it was refused. */
    public record FileRow(long line, String code, String outcome, List<Violation> problems) {}

    /** The outcome of a reference file: each row created, renamed, closed, unchanged or refused. */
    public record FileResult(List<FileRow> rows) {

        public long count(String outcome) {
            return rows.stream().filter(r -> r.outcome().equals(outcome)).count();
        }
    }

    /**
     * One row of a reference file: a new code is created (and closed at once when it gives {@code closed_on}); a
     * known code is renamed when its name differs and closed when the file closes it. The kind and the Ofsted URN
     * of a known agency are not changed by a file (a row that disagrees is refused, to be looked at). Each row is
     * its own transaction, so one refused row keeps the others.
     */
    @Transactional
    public FileRow applyRow(Actor actor, long line, NewAgency raw, String closedOn) {
        NewAgency row = raw.normalised();
        try {
            if (strip(closedOn) != null) {
                closingDay(closedOn); // refused before anything is written
            }
            Optional<Agency> known = row.code() == null ? Optional.empty() : byCode(row.code());
            if (known.isEmpty()) {
                Agency created = create(actor, row);
                if (strip(closedOn) != null) {
                    close(actor, created.id(), closedOn);
                }
                return new FileRow(line, row.code(), "created", List.of());
            }
            Agency agency = known.get();
            List<Violation> broken = new ArrayList<>();
            if (row.kind() != null && !row.kind().equals(agency.kind())) {
                broken.add(new Violation(
                        "kind", "differs", "differs from the agency's kind, which a file does not change"));
            }
            if (row.ofstedUrn() != null && !row.ofstedUrn().equals(agency.ofstedUrn())) {
                broken.add(new Violation(
                        "ofsted_urn", "differs", "differs from the agency's Ofsted URN, which a file does not change"));
            }
            if (!broken.isEmpty()) {
                return new FileRow(line, row.code(), "refused", broken);
            }
            String outcome = "unchanged";
            if (row.name() != null && !row.name().equals(agency.name())) {
                rename(actor, agency.id(), row.name(), null);
                outcome = "renamed";
            }
            if (strip(closedOn) != null && agency.open()) {
                close(actor, agency.id(), closedOn);
                outcome = outcome.equals("renamed") ? "renamed and closed" : "closed";
            }
            return new FileRow(line, row.code(), outcome, List.of());
        } catch (InvalidRequestException e) {
            return new FileRow(
                    line,
                    row.code(),
                    "refused",
                    e.violations().stream()
                            .map(v -> new Violation(column(v.field()), v.rule(), v.message()))
                            .toList());
        }
    }

    /** A field as the reference file's column names it (ofstedUrn → ofsted_urn). */
    private static String column(String field) {
        return field.replaceAll("([A-Z])", "_$1").toLowerCase(Locale.ROOT);
    }

    static String strip(String value) {
        if (value == null) {
            return null;
        }
        String v = value.strip();
        return v.isEmpty() ? null : v;
    }

    private static String upper(String value) {
        String v = strip(value);
        return v == null ? null : v.toUpperCase(Locale.ROOT);
    }
}
