package org.sightline.concern;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.Period;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.sightline.access.AgencyScope;
import org.sightline.access.Roles;
import org.sightline.access.SightlineUser;
import org.sightline.audit.AuditEntry;
import org.sightline.audit.AuditLog;
import org.sightline.network.EntityKind;
import org.sightline.network.NetworkService;
import org.sightline.network.NetworkViews;
import org.sightline.shared.ClockConfiguration;
import org.sightline.shared.ConflictException;
import org.sightline.shared.InvalidRequestException;
import org.sightline.shared.NotFoundException;
import org.sightline.shared.References;
import org.sightline.shared.Violation;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.ObjectMapper;

/**
 * Raise, screen, link and close exploitation concerns. A concern is visible to whoever may see the child's record
 * it is about (agency scope), so police can raise and social care can screen the same concern. Every read and
 * write is audited in the same transaction; status changes use the concern's version (optimistic locking).
 */
@Service
public class ConcernService {

    static final int SUMMARY_MAX = 4000;
    static final int NOTES_MAX = 4000;
    static final List<String> OUTCOMES = List.of("no_further_action", "referral", "strategy_meeting", "investigation");
    private static final String SUBJECT = "exploitation_concern";

    private final JdbcClient jdbc;
    private final AgencyScope scope;
    private final AuditLog audit;
    private final ScreeningInstruments instruments;
    private final ObjectMapper json;
    private final Clock clock;
    private final NetworkService network;

    ConcernService(
            JdbcClient jdbc,
            AgencyScope scope,
            AuditLog audit,
            ScreeningInstruments instruments,
            ObjectMapper json,
            Clock clock,
            NetworkService network) {
        this.network = network;
        this.jdbc = jdbc;
        this.scope = scope;
        this.audit = audit;
        this.instruments = instruments;
        this.json = json;
        this.clock = clock;
    }

    /** The concern as stored, after the scope check. */
    private record Row(long id, UUID publicId, ConcernStatus status, int version, long personRecordId) {}

    // ---- raise ------------------------------------------------------------------------------------------------

    /** Checks a raise request without saving; the web pages show these one page at a time. */
    public List<Violation> validateRaise(ConcernRequests.Raise request) {
        List<Violation> v = new ArrayList<>();
        if (request.recordId() == null) {
            v.add(new Violation("recordId", "required", "give the public id of the child's record"));
        }
        List<String> indicators = request.indicators() == null ? List.of() : request.indicators();
        if (indicators.isEmpty()) {
            v.add(new Violation("indicators", "required", "select at least one indicator"));
        }
        for (int i = 0; i < indicators.size(); i++) {
            if (CseIndicator.fromCode(indicators.get(i)).isEmpty()) {
                v.add(new Violation("indicators[" + i + "]", "unknown-code", "is not an indicator code"));
            }
        }
        if (new LinkedHashSet<>(indicators).size() != indicators.size()) {
            v.add(new Violation("indicators", "unique", "name each indicator once"));
        }
        if (blank(request.summary())) {
            v.add(new Violation("summary", "required", "describe what was seen or heard"));
        } else if (request.summary().length() > SUMMARY_MAX) {
            v.add(new Violation("summary", "max-length", "must be " + SUMMARY_MAX + " characters or fewer"));
        }
        if (request.raisedAt() != null && request.raisedAt().isAfter(clock.instant())) {
            v.add(new Violation("raisedAt", "not-in-future", "cannot be in the future"));
        }
        if (request.raisedOn() != null) {
            if (request.raisedAt() != null) {
                v.add(new Violation("raisedOn", "exclusive", "give raisedAt or raisedOn, not both"));
            }
            try {
                ConcernDate on = ConcernDate.parse(request.raisedOn());
                if (on.known() && on.earliest().isAfter(today())) {
                    v.add(new Violation("raisedOn", "not-in-future", "cannot be in the future"));
                }
            } catch (IllegalArgumentException e) {
                v.add(new Violation(
                        "raisedOn", "format", "must be a real date as yyyy-mm-dd, or yyyy-mm, yyyy or not_known"));
            }
        }
        return v;
    }

    /** When the request says the concern arose: raisedAt, else raisedOn, else now. */
    private ConcernDate raisedDate(ConcernRequests.Raise request, Instant now) {
        if (request.raisedAt() != null) {
            return ConcernDate.at(request.raisedAt());
        }
        return request.raisedOn() != null ? ConcernDate.parse(request.raisedOn()) : ConcernDate.at(now);
    }

    /** Raises a concern by the user's agency about a record in scope; returns the concern's public id. */
    @Transactional(noRollbackFor = NotFoundException.class)
    public UUID raise(SightlineUser user, ConcernRequests.Raise request) {
        List<Violation> violations = validateRaise(request);
        if (!violations.isEmpty()) {
            throw new InvalidRequestException(violations);
        }
        long recordId = recordInScope(user, request.recordId());
        Instant now = clock.instant();
        ConcernDate raised = raisedDate(request, now);
        String ref = References.next("EC");
        record Created(long id, UUID publicId) {}
        Created c = jdbc.sql(
                        """
                INSERT INTO exploitation_concern (agency_id, person_record_id, concern_ref, status, raised_at,
                                                  raised_precision, raised_year, raised_month, raised_day, raised_by,
                                                  raised_by_role, indicators, summary, created_at, updated_at)
                VALUES (?, ?, ?, 'raised', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id, public_id""")
                .params(
                        user.agencyId(),
                        recordId,
                        ref,
                        raised.at() == null ? null : ts(raised.at()),
                        raised.precision(),
                        raised.year(),
                        raised.month(),
                        raised.day(),
                        user.username(),
                        raisingRole(user),
                        request.indicators().toArray(String[]::new),
                        request.summary().strip(),
                        ts(now),
                        ts(now))
                .query((rs, n) -> new Created(rs.getLong(1), rs.getObject(2, UUID.class)))
                .single();
        history(
                user,
                c.id(),
                "raised",
                null,
                ConcernStatus.RAISED,
                "indicators=" + request.indicators().size());
        audit.record(AuditEntry.of(
                        user.username(),
                        user.agencyCode(),
                        "RAISE_CONCERN",
                        SUBJECT,
                        c.publicId().toString())
                .withDetails("record=" + request.recordId() + ";indicators=" + String.join("|", request.indicators())));
        return c.publicId();
    }

    /** The child's name for the raise pages' caption; an audited read of the record. */
    @Transactional(noRollbackFor = NotFoundException.class)
    public String childName(SightlineUser user, UUID recordPublicId) {
        long id = recordInScope(user, recordPublicId);
        audit.record(
                AuditEntry.of(user.username(), user.agencyCode(), "VIEW", "person_record", recordPublicId.toString())
                        .withDetails("purpose=raise-concern"));
        return jdbc.sql(
                        "SELECT trim(coalesce(given_name, '') || ' ' || coalesce(family_name, '')) FROM person_record WHERE id = ?")
                .param(id)
                .query(String.class)
                .single();
    }

    // ---- read -------------------------------------------------------------------------------------------------

    @Transactional(noRollbackFor = NotFoundException.class)
    public ConcernViews.Concern view(SightlineUser user, UUID concernId) {
        Row row = concernInScope(user, concernId);
        ConcernViews.Concern view = jdbc.sql(
                        """
                SELECT c.*, a.name AS agency_name, pr.public_id AS record_public_id,
                       trim(coalesce(pr.given_name, '') || ' ' || coalesce(pr.family_name, '')) AS child_name,
                       coalesce(ru.display_name, c.raised_by) AS raised_by_name,
                       coalesce(ou.display_name, c.outcome_by) AS outcome_by_name
                FROM exploitation_concern c JOIN agency a ON a.id = c.agency_id
                JOIN person_record pr ON pr.id = c.person_record_id
                LEFT JOIN app_user ru ON ru.username = c.raised_by
                LEFT JOIN app_user ou ON ou.username = c.outcome_by
                WHERE c.id = ?""")
                .param(row.id())
                .query((rs, n) -> new ConcernViews.Concern(
                        rs.getObject("public_id", UUID.class),
                        rs.getString("concern_ref"),
                        rs.getInt("version"),
                        rs.getString("status"),
                        rs.getObject("record_public_id", UUID.class),
                        rs.getString("child_name"),
                        rs.getString("agency_name"),
                        instant(rs.getTimestamp("raised_at")),
                        ConcernDate.of(rs),
                        rs.getString("raised_by_name"),
                        rs.getString("raised_by_role"),
                        List.of((String[]) rs.getArray("indicators").getArray()),
                        rs.getString("summary"),
                        rs.getString("outcome"),
                        instant(rs.getTimestamp("outcome_at")),
                        rs.getString("outcome_by_name"),
                        rs.getString("outcome_notes"),
                        screenings(row.id()),
                        links(row.id()),
                        history(row.id())))
                .single();
        audit.record(AuditEntry.of(user.username(), user.agencyCode(), "VIEW", SUBJECT, concernId.toString()));
        return view;
    }

    private List<ConcernViews.Screening> screenings(long concernId) {
        return jdbc.sql(
                        """
                SELECT s.*, coalesce(u.display_name, s.assessed_by) AS assessed_by_name FROM screening s
                LEFT JOIN app_user u ON u.username = s.assessed_by
                WHERE s.concern_id = ? ORDER BY s.assessed_at DESC, s.id DESC""")
                .param(concernId)
                .query((rs, n) -> screening(rs))
                .list();
    }

    private ConcernViews.Screening screening(ResultSet rs) throws SQLException {
        Map<String, List<String>> answers = json.readValue(rs.getString("answers"), new TypeReference<>() {});
        String breakdown = rs.getString("breakdown");
        ScreeningScorer.Result result =
                breakdown == null ? null : json.readValue(breakdown, ScreeningScorer.Result.class);
        String band = rs.getString("band");
        String override = rs.getString("override_band");
        java.sql.Date reassess = rs.getDate("reassess_by");
        return new ConcernViews.Screening(
                rs.getObject("public_id", UUID.class),
                rs.getString("instrument_code"),
                Integer.parseInt(rs.getString("instrument_version")),
                answers,
                rs.getInt("score"),
                rs.getString("score_band") == null ? band : rs.getString("score_band"),
                band,
                override,
                rs.getString("override_reason"),
                override == null ? band : override,
                reassess == null ? null : reassess.toLocalDate(),
                rs.getString("assessed_by_name"),
                instant(rs.getTimestamp("assessed_at")),
                (Integer) rs.getObject("subject_age"),
                result == null ? List.of() : result.sections(),
                result == null ? List.of() : result.rulesApplied(),
                result == null ? List.of() : result.rulesNotChecked());
    }

    private List<ConcernViews.Link> links(long concernId) {
        return network.linkedFrom(EntityKind.CONCERN, concernId).stream()
                .map(l -> new ConcernViews.Link(
                        l.associationId(),
                        l.kind(),
                        l.type(),
                        l.targetId(),
                        l.targetRef(),
                        l.description(),
                        l.heldBy(),
                        l.linkedAt()))
                .toList();
    }

    private List<ConcernViews.HistoryLine> history(long concernId) {
        return jdbc.sql(
                        """
                SELECT h.occurred_at, coalesce(u.display_name, h.actor), h.actor_agency, h.action, h.from_status,
                       h.to_status, h.details
                FROM concern_history h LEFT JOIN app_user u ON u.username = h.actor
                WHERE h.concern_id = ? ORDER BY h.id""")
                .param(concernId)
                .query((rs, n) -> new ConcernViews.HistoryLine(
                        instant(rs.getTimestamp(1)),
                        rs.getString(2),
                        rs.getString(3),
                        rs.getString(4),
                        rs.getString(5),
                        rs.getString(6),
                        rs.getString(7)))
                .list();
    }

    // ---- screen -----------------------------------------------------------------------------------------------

    /** The instrument a screening request names (default: the latest version of the default instrument). */
    public ScreeningInstrument instrumentFor(ConcernRequests.Screen request) {
        String code = blank(request.instrumentCode()) ? ScreeningInstruments.DEFAULT_CODE : request.instrumentCode();
        var found = request.instrumentVersion() == null
                ? instruments.latest(code)
                : instruments.find(code, request.instrumentVersion());
        return found.orElseThrow(() -> new InvalidRequestException(
                request.instrumentVersion() == null ? "instrumentCode" : "instrumentVersion",
                "unknown-instrument",
                "no such instrument; see GET /api/v1/screening-instruments"));
    }

    /** Default reassessment date: the instrument's interval from today (Europe/London). */
    public LocalDate defaultReassessBy(ScreeningInstrument instrument) {
        return today().plusMonths(instrument.reassessAfterMonths());
    }

    /** Checks the screening's own fields (answers, override, reassessment date) without saving. */
    public List<Violation> validateScreening(ScreeningInstrument instrument, ConcernRequests.Screen request) {
        List<Violation> v = new ArrayList<>(ScreeningScorer.validate(instrument, answers(request)));
        if (!blank(request.overrideBand())) {
            if (instrument.band(request.overrideBand()).isEmpty()) {
                v.add(new Violation("overrideBand", "unknown-band", "must be a band id of " + instrument.key()));
            }
            if (blank(request.overrideReason())) {
                v.add(new Violation("overrideReason", "required", "give the reason for overriding the scored band"));
            }
        } else if (!blank(request.overrideReason())) {
            v.add(new Violation("overrideBand", "required", "choose the band when giving an override reason"));
        }
        if (request.overrideReason() != null && request.overrideReason().length() > NOTES_MAX) {
            v.add(new Violation("overrideReason", "max-length", "must be " + NOTES_MAX + " characters or fewer"));
        }
        if (request.reassessBy() != null) {
            if (!request.reassessBy().isAfter(today())) {
                v.add(new Violation("reassessBy", "in-future", "must be after today"));
            } else if (request.reassessBy().isAfter(defaultReassessBy(instrument))) {
                v.add(new Violation(
                        "reassessBy",
                        "within-interval",
                        "must be within " + instrument.reassessAfterMonths()
                                + " months: the instrument asks for reassessment at least that often"));
            }
        }
        return v;
    }

    /** Scores without saving, for the check-your-answers page. */
    @Transactional(noRollbackFor = NotFoundException.class)
    public ScreeningScorer.Result preview(
            SightlineUser user, UUID concernId, ScreeningInstrument instrument, Map<String, Set<String>> answers) {
        Row row = concernInScope(user, concernId);
        return ScreeningScorer.score(instrument, answers, ageOf(row.personRecordId()));
    }

    /** Records a screening; the concern becomes (or stays) screened. Returns the screening's public id. */
    @Transactional(noRollbackFor = NotFoundException.class)
    public UUID screen(SightlineUser user, UUID concernId, ConcernRequests.Screen request) {
        Row row = concernInScope(user, concernId);
        ConcernStatus next = row.status().after(ConcernStatus.Action.SCREEN);
        ScreeningInstrument instrument = instrumentFor(request);
        List<Violation> violations = validateScreening(instrument, request);
        if (!violations.isEmpty()) {
            throw new InvalidRequestException(violations);
        }
        Map<String, Set<String>> answers = answers(request);
        Integer age = ageOf(row.personRecordId());
        ScreeningScorer.Result result = ScreeningScorer.score(instrument, answers, age);
        Instant now = clock.instant();
        LocalDate reassess = request.reassessBy() == null ? defaultReassessBy(instrument) : request.reassessBy();
        String override = blank(request.overrideBand()) ? null : request.overrideBand();
        UUID screeningId = jdbc.sql(
                        """
                INSERT INTO screening (concern_id, instrument_code, instrument_version, answers, score, band, score_band,
                                       override_band, override_reason, reassess_by, assessed_by, assessed_at,
                                       subject_age, breakdown)
                VALUES (?, ?, ?, CAST(? AS jsonb), ?, ?, ?, ?, ?, ?, ?, ?, ?, CAST(? AS jsonb)) RETURNING public_id""")
                .params(
                        row.id(),
                        instrument.code(),
                        String.valueOf(instrument.version()),
                        json.writeValueAsString(sorted(answers)),
                        result.score(),
                        result.band(),
                        result.scoreBand(),
                        override,
                        override == null ? null : request.overrideReason().strip(),
                        java.sql.Date.valueOf(reassess),
                        user.username(),
                        ts(now),
                        age,
                        json.writeValueAsString(result))
                .query(UUID.class)
                .single();
        updateStatus(row, next, row.version());
        history(
                user,
                row.id(),
                "screened",
                row.status(),
                next,
                instrument.key() + " score=" + result.score() + " band=" + result.band()
                        + (override == null ? "" : " override=" + override));
        audit.record(AuditEntry.of(user.username(), user.agencyCode(), "SCREEN", SUBJECT, concernId.toString())
                .withDetails("screening=" + screeningId + ";instrument=" + instrument.key() + ";score=" + result.score()
                        + ";band=" + result.band() + (override == null ? "" : ";override=" + override)));
        return screeningId;
    }

    private static Map<String, Set<String>> answers(ConcernRequests.Screen request) {
        Map<String, Set<String>> answers = new LinkedHashMap<>();
        if (request.answers() != null) {
            request.answers().forEach((k, v) -> answers.put(k, v == null ? Set.of() : new LinkedHashSet<>(v)));
        }
        return answers;
    }

    private static Map<String, List<String>> sorted(Map<String, Set<String>> answers) {
        Map<String, List<String>> out = new java.util.TreeMap<>();
        answers.forEach((k, v) -> {
            if (!v.isEmpty()) {
                out.put(k, v.stream().sorted().toList());
            }
        });
        return out;
    }

    /**
     * The child's age in whole years today. With a partial date of birth the latest possible birthday is used
     * (the youngest the child can be), so age-based protective rules err on the child's side; unknown → null.
     */
    Integer ageOf(long personRecordId) {
        record Dob(Integer year, Integer month, Integer day) {}
        Dob dob = jdbc.sql("SELECT dob_year, dob_month, dob_day FROM person_record WHERE id = ?")
                .param(personRecordId)
                .query((rs, n) ->
                        new Dob((Integer) rs.getObject(1), (Integer) rs.getObject(2), (Integer) rs.getObject(3)))
                .single();
        return youngestAge(dob.year(), dob.month(), dob.day(), today());
    }

    static Integer youngestAge(Integer year, Integer month, Integer day, LocalDate on) {
        if (year == null) {
            return null;
        }
        LocalDate latestBirth;
        if (month == null) {
            latestBirth = LocalDate.of(year, 12, 31);
        } else if (day == null) {
            latestBirth = YearMonth.of(year, month).atEndOfMonth();
        } else {
            latestBirth = LocalDate.of(year, month, day);
        }
        if (latestBirth.isAfter(on)) {
            return 0;
        }
        return Period.between(latestBirth, on).getYears();
    }

    // ---- link -------------------------------------------------------------------------------------------------

    /** Checks a link request's shape and the new entity's fields without saving. */
    public List<Violation> validateLink(ConcernRequests.Link request) {
        return network.validate(request.entity(), request.type());
    }

    /** Links an existing or new adult, location, vehicle or phone; returns the association's public id. */
    @Transactional(noRollbackFor = NotFoundException.class)
    public UUID link(SightlineUser user, UUID concernId, ConcernRequests.Link request) {
        Row row = concernInScope(user, concernId);
        row.status().after(ConcernStatus.Action.LINK);
        List<Violation> violations = validateLink(request);
        if (!violations.isEmpty()) {
            throw new InvalidRequestException(violations);
        }
        EntityKind kind = EntityKind.entity(request.kind()).orElseThrow();
        String type = blank(request.type()) ? kind.defaultType() : request.type();
        NetworkViews.Entity target = network.resolve(user, request.entity(), "concern:" + concernId);
        if (network.associated(EntityKind.CONCERN, row.id(), kind, target.id(), type)) {
            throw new InvalidRequestException(
                    "existingId", "already-linked", "this " + kind.code() + " is already linked to the concern");
        }
        UUID linkId = network.associate(user, EntityKind.CONCERN, row.id(), kind, target.id(), type, clock.instant());
        updateStatus(row, row.status(), row.version());
        history(user, row.id(), "linked", null, null, kind.code() + " " + target.ref() + " " + type);
        audit.record(AuditEntry.of(user.username(), user.agencyCode(), "LINK", SUBJECT, concernId.toString())
                .withDetails(
                        "association=" + linkId + ";kind=" + kind.code() + ";ref=" + target.ref() + ";type=" + type));
        return linkId;
    }

    /** Adults, places, vehicles and phones the user's agency holds (places etc. also from the national register). */
    public List<ConcernViews.Linkable> searchLinkable(SightlineUser user, String kind, String query) {
        return network.search(user, kind, query, "link-concern").stream()
                .map(l -> new ConcernViews.Linkable(l.id(), l.kind(), l.ref(), l.description(), l.heldBy()))
                .toList();
    }

    // ---- outcome ----------------------------------------------------------------------------------------------

    public List<Violation> validateOutcome(ConcernRequests.Outcome request) {
        List<Violation> v = new ArrayList<>();
        if (blank(request.outcome())) {
            v.add(new Violation("outcome", "required", "choose the outcome"));
        } else if (!OUTCOMES.contains(request.outcome())) {
            v.add(new Violation("outcome", "one-of", "must be one of " + OUTCOMES));
        }
        if (request.notes() != null && request.notes().length() > NOTES_MAX) {
            v.add(new Violation("notes", "max-length", "must be " + NOTES_MAX + " characters or fewer"));
        }
        if (request.version() == null) {
            v.add(new Violation("version", "required", "give the version of the concern you read"));
        }
        return v;
    }

    /** Records the outcome and closes the concern; the version must be the one the user read. */
    @Transactional(noRollbackFor = NotFoundException.class)
    public void recordOutcome(SightlineUser user, UUID concernId, ConcernRequests.Outcome request) {
        Row row = concernInScope(user, concernId);
        List<Violation> violations = validateOutcome(request);
        if (!violations.isEmpty()) {
            throw new InvalidRequestException(violations);
        }
        if (request.version() != row.version()) {
            throw ConflictException.staleVersion("The concern");
        }
        ConcernStatus next = row.status().after(ConcernStatus.Action.RECORD_OUTCOME);
        Instant now = clock.instant();
        int updated = jdbc.sql(
                        """
                UPDATE exploitation_concern SET status = ?, outcome = ?, outcome_at = ?, outcome_by = ?, outcome_notes = ?,
                       updated_at = ?, version = version + 1
                WHERE id = ? AND version = ?""")
                .params(
                        next.code(),
                        request.outcome(),
                        ts(now),
                        user.username(),
                        blank(request.notes()) ? null : request.notes().strip(),
                        ts(now),
                        row.id(),
                        request.version())
                .update();
        if (updated == 0) {
            throw ConflictException.staleVersion("The concern");
        }
        history(user, row.id(), "outcome", row.status(), next, request.outcome());
        audit.record(AuditEntry.of(user.username(), user.agencyCode(), "RECORD_OUTCOME", SUBJECT, concernId.toString())
                .withDetails("outcome=" + request.outcome()));
    }

    // ---- shared -----------------------------------------------------------------------------------------------

    private long recordInScope(SightlineUser user, UUID recordPublicId) {
        Long id = jdbc.sql("SELECT id FROM person_record WHERE public_id = ?")
                .param(recordPublicId)
                .query(Long.class)
                .optional()
                .orElse(null);
        if (id == null || !scope.canSeePersonRecord(user, id)) {
            if (id != null) {
                audit.recordRefusal(AuditEntry.of(
                        user.username(),
                        user.agencyCode(),
                        "VIEW_REFUSED",
                        "person_record",
                        recordPublicId.toString()));
            }
            throw new NotFoundException("record");
        }
        return id;
    }

    private Row concernInScope(SightlineUser user, UUID concernId) {
        Row row = jdbc.sql(
                        """
                SELECT id, public_id, status, version, person_record_id FROM exploitation_concern WHERE public_id = ?""")
                .param(concernId)
                .query((rs, n) -> new Row(
                        rs.getLong(1),
                        rs.getObject(2, UUID.class),
                        ConcernStatus.of(rs.getString(3)),
                        rs.getInt(4),
                        rs.getLong(5)))
                .optional()
                .orElse(null);
        if (row == null || !scope.canSeePersonRecord(user, row.personRecordId())) {
            if (row != null) {
                audit.recordRefusal(AuditEntry.of(
                        user.username(), user.agencyCode(), "VIEW_REFUSED", SUBJECT, concernId.toString()));
            }
            throw new NotFoundException("concern");
        }
        return row;
    }

    private void updateStatus(Row row, ConcernStatus next, int version) {
        int updated = jdbc.sql(
                        """
                UPDATE exploitation_concern SET status = ?, updated_at = ?, version = version + 1 WHERE id = ? AND version = ?""")
                .params(next.code(), ts(clock.instant()), row.id(), version)
                .update();
        if (updated == 0) {
            throw ConflictException.staleVersion("The concern");
        }
    }

    private void history(
            SightlineUser user, long concernId, String action, ConcernStatus from, ConcernStatus to, String details) {
        jdbc.sql(
                        """
                INSERT INTO concern_history (concern_id, occurred_at, actor, actor_agency, action, from_status, to_status, details)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)""")
                .params(
                        concernId,
                        ts(clock.instant()),
                        user.username(),
                        user.agencyCode(),
                        action,
                        from == null ? null : from.code(),
                        to == null ? null : to.code(),
                        details)
                .update();
    }

    /** The role the user raises in: the first of theirs that may raise, for the record of who raised it. */
    private static String raisingRole(SightlineUser user) {
        for (String role : List.of(Roles.POLICE_OFFICER, Roles.SOCIAL_WORKER, Roles.CARE_STAFF, Roles.SUPERVISOR)) {
            if (user.hasRole(role)) {
                return role.toLowerCase();
            }
        }
        return user.primaryRole().toLowerCase();
    }

    LocalDate today() {
        return LocalDate.ofInstant(clock.instant(), ClockConfiguration.DISPLAY_ZONE);
    }

    static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private static Timestamp ts(Instant i) {
        return Timestamp.from(i);
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
