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
    static final int SHORT_MAX = 200;
    static final List<String> OUTCOMES = List.of("no_further_action", "referral", "strategy_meeting", "investigation");
    static final List<String> LINK_KINDS = List.of("adult", "location", "vehicle", "phone");
    static final List<String> LOCATION_KINDS = List.of("address", "hotel", "takeaway", "park", "car_park", "station", "other");
    static final List<String> SEXES = List.of("male", "female", "not_known", "not_recorded");
    private static final String SUBJECT = "exploitation_concern";

    private final JdbcClient jdbc;
    private final AgencyScope scope;
    private final AuditLog audit;
    private final ScreeningInstruments instruments;
    private final ObjectMapper json;
    private final Clock clock;

    ConcernService(JdbcClient jdbc, AgencyScope scope, AuditLog audit, ScreeningInstruments instruments,
                   ObjectMapper json, Clock clock) {
        this.jdbc = jdbc;
        this.scope = scope;
        this.audit = audit;
        this.instruments = instruments;
        this.json = json;
        this.clock = clock;
    }

    /** The concern as stored, after the scope check. */
    private record Row(long id, UUID publicId, ConcernStatus status, int version, long personRecordId) {
    }

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
        return v;
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
        String ref = References.next("EC");
        record Created(long id, UUID publicId) {
        }
        Created c = jdbc.sql("""
                INSERT INTO exploitation_concern (agency_id, person_record_id, concern_ref, status, raised_at, raised_by,
                                                  raised_by_role, indicators, summary, created_at, updated_at)
                VALUES (?, ?, ?, 'raised', ?, ?, ?, ?, ?, ?, ?) RETURNING id, public_id""")
                .params(user.agencyId(), recordId, ref, ts(request.raisedAt() == null ? now : request.raisedAt()),
                        user.username(), raisingRole(user), request.indicators().toArray(String[]::new),
                        request.summary().strip(), ts(now), ts(now))
                .query((rs, n) -> new Created(rs.getLong(1), rs.getObject(2, UUID.class))).single();
        history(user, c.id(), "raised", null, ConcernStatus.RAISED, "indicators=" + request.indicators().size());
        audit.record(AuditEntry.of(user.username(), user.agencyCode(), "RAISE_CONCERN", SUBJECT, c.publicId().toString())
                .withDetails("record=" + request.recordId() + ";indicators=" + String.join("|", request.indicators())));
        return c.publicId();
    }

    /** The child's name for the raise pages' caption; an audited read of the record. */
    @Transactional(noRollbackFor = NotFoundException.class)
    public String childName(SightlineUser user, UUID recordPublicId) {
        long id = recordInScope(user, recordPublicId);
        audit.record(AuditEntry.of(user.username(), user.agencyCode(), "VIEW", "person_record", recordPublicId.toString())
                .withDetails("purpose=raise-concern"));
        return jdbc.sql("SELECT trim(coalesce(given_name, '') || ' ' || coalesce(family_name, '')) FROM person_record WHERE id = ?")
                .param(id).query(String.class).single();
    }

    // ---- read -------------------------------------------------------------------------------------------------

    @Transactional(noRollbackFor = NotFoundException.class)
    public ConcernViews.Concern view(SightlineUser user, UUID concernId) {
        Row row = concernInScope(user, concernId);
        ConcernViews.Concern view = jdbc.sql("""
                SELECT c.*, a.name AS agency_name, pr.public_id AS record_public_id,
                       trim(coalesce(pr.given_name, '') || ' ' || coalesce(pr.family_name, '')) AS child_name,
                       coalesce(ru.display_name, c.raised_by) AS raised_by_name,
                       coalesce(ou.display_name, c.outcome_by) AS outcome_by_name
                FROM exploitation_concern c JOIN agency a ON a.id = c.agency_id
                JOIN person_record pr ON pr.id = c.person_record_id
                LEFT JOIN app_user ru ON ru.username = c.raised_by
                LEFT JOIN app_user ou ON ou.username = c.outcome_by
                WHERE c.id = ?""").param(row.id()).query((rs, n) -> new ConcernViews.Concern(
                rs.getObject("public_id", UUID.class), rs.getString("concern_ref"), rs.getInt("version"),
                rs.getString("status"), rs.getObject("record_public_id", UUID.class), rs.getString("child_name"),
                rs.getString("agency_name"), instant(rs.getTimestamp("raised_at")), rs.getString("raised_by_name"),
                rs.getString("raised_by_role"), List.of((String[]) rs.getArray("indicators").getArray()),
                rs.getString("summary"), rs.getString("outcome"), instant(rs.getTimestamp("outcome_at")),
                rs.getString("outcome_by_name"), rs.getString("outcome_notes"), screenings(row.id()), links(row.id()),
                history(row.id()))).single();
        audit.record(AuditEntry.of(user.username(), user.agencyCode(), "VIEW", SUBJECT, concernId.toString()));
        return view;
    }

    private List<ConcernViews.Screening> screenings(long concernId) {
        return jdbc.sql("""
                SELECT s.*, coalesce(u.display_name, s.assessed_by) AS assessed_by_name FROM screening s
                LEFT JOIN app_user u ON u.username = s.assessed_by
                WHERE s.concern_id = ? ORDER BY s.assessed_at DESC, s.id DESC""").param(concernId)
                .query((rs, n) -> screening(rs)).list();
    }

    private ConcernViews.Screening screening(ResultSet rs) throws SQLException {
        Map<String, List<String>> answers = json.readValue(rs.getString("answers"), new TypeReference<>() {
        });
        String breakdown = rs.getString("breakdown");
        ScreeningScorer.Result result = breakdown == null ? null : json.readValue(breakdown, ScreeningScorer.Result.class);
        String band = rs.getString("band");
        String override = rs.getString("override_band");
        java.sql.Date reassess = rs.getDate("reassess_by");
        return new ConcernViews.Screening(rs.getObject("public_id", UUID.class), rs.getString("instrument_code"),
                Integer.parseInt(rs.getString("instrument_version")), answers, rs.getInt("score"),
                rs.getString("score_band") == null ? band : rs.getString("score_band"), band, override,
                rs.getString("override_reason"), override == null ? band : override,
                reassess == null ? null : reassess.toLocalDate(), rs.getString("assessed_by_name"),
                instant(rs.getTimestamp("assessed_at")), (Integer) rs.getObject("subject_age"),
                result == null ? List.of() : result.sections(), result == null ? List.of() : result.rulesApplied(),
                result == null ? List.of() : result.rulesNotChecked());
    }

    private List<ConcernViews.Link> links(long concernId) {
        return jdbc.sql("""
                SELECT x.public_id, x.to_kind, x.association_type, x.created_at, t.public_id AS target_id, t.ref,
                       t.description, ag.name AS held_by
                FROM association x
                JOIN LATERAL (
                    SELECT public_id, adult_ref AS ref, agency_id,
                           trim(coalesce(given_name, '') || ' ' || coalesce(family_name, '')) AS description
                    FROM adult_of_concern WHERE x.to_kind = 'adult' AND id = x.to_id
                    UNION ALL
                    SELECT public_id, location_ref, agency_id,
                           concat_ws(', ', name, postcode) FROM location WHERE x.to_kind = 'location' AND id = x.to_id
                    UNION ALL
                    SELECT public_id, vehicle_ref, agency_id,
                           concat_ws(', ', registration, make, colour) FROM vehicle WHERE x.to_kind = 'vehicle' AND id = x.to_id
                    UNION ALL
                    SELECT public_id, phone_ref, agency_id, number FROM phone WHERE x.to_kind = 'phone' AND id = x.to_id
                ) t ON true
                JOIN agency ag ON ag.id = t.agency_id
                WHERE x.from_kind = 'concern' AND x.from_id = ? ORDER BY x.created_at, x.id""").param(concernId)
                .query((rs, n) -> new ConcernViews.Link(rs.getObject("public_id", UUID.class), rs.getString("to_kind"),
                        rs.getString("association_type"), rs.getObject("target_id", UUID.class), rs.getString("ref"),
                        rs.getString("description"), rs.getString("held_by"), instant(rs.getTimestamp("created_at"))))
                .list();
    }

    private List<ConcernViews.HistoryLine> history(long concernId) {
        return jdbc.sql("""
                SELECT h.occurred_at, coalesce(u.display_name, h.actor), h.actor_agency, h.action, h.from_status,
                       h.to_status, h.details
                FROM concern_history h LEFT JOIN app_user u ON u.username = h.actor
                WHERE h.concern_id = ? ORDER BY h.id""").param(concernId)
                .query((rs, n) -> new ConcernViews.HistoryLine(instant(rs.getTimestamp(1)), rs.getString(2),
                        rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7))).list();
    }

    // ---- screen -----------------------------------------------------------------------------------------------

    /** The instrument a screening request names (default: the latest version of the default instrument). */
    public ScreeningInstrument instrumentFor(ConcernRequests.Screen request) {
        String code = blank(request.instrumentCode()) ? ScreeningInstruments.DEFAULT_CODE : request.instrumentCode();
        var found = request.instrumentVersion() == null ? instruments.latest(code)
                : instruments.find(code, request.instrumentVersion());
        return found.orElseThrow(() -> new InvalidRequestException(
                request.instrumentVersion() == null ? "instrumentCode" : "instrumentVersion", "unknown-instrument",
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
                v.add(new Violation("reassessBy", "within-interval", "must be within " + instrument.reassessAfterMonths()
                        + " months: the instrument asks for reassessment at least that often"));
            }
        }
        return v;
    }

    /** Scores without saving, for the check-your-answers page. */
    @Transactional(noRollbackFor = NotFoundException.class)
    public ScreeningScorer.Result preview(SightlineUser user, UUID concernId, ScreeningInstrument instrument,
                                          Map<String, Set<String>> answers) {
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
        UUID screeningId = jdbc.sql("""
                INSERT INTO screening (concern_id, instrument_code, instrument_version, answers, score, band, score_band,
                                       override_band, override_reason, reassess_by, assessed_by, assessed_at,
                                       subject_age, breakdown)
                VALUES (?, ?, ?, CAST(? AS jsonb), ?, ?, ?, ?, ?, ?, ?, ?, ?, CAST(? AS jsonb)) RETURNING public_id""")
                .params(row.id(), instrument.code(), String.valueOf(instrument.version()), json.writeValueAsString(sorted(answers)),
                        result.score(), result.band(), result.scoreBand(), override,
                        override == null ? null : request.overrideReason().strip(), java.sql.Date.valueOf(reassess),
                        user.username(), ts(now), age, json.writeValueAsString(result))
                .query(UUID.class).single();
        updateStatus(row, next, row.version());
        history(user, row.id(), "screened", row.status(), next, instrument.key() + " score=" + result.score() + " band="
                + result.band() + (override == null ? "" : " override=" + override));
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
        record Dob(Integer year, Integer month, Integer day) {
        }
        Dob dob = jdbc.sql("SELECT dob_year, dob_month, dob_day FROM person_record WHERE id = ?").param(personRecordId)
                .query((rs, n) -> new Dob((Integer) rs.getObject(1), (Integer) rs.getObject(2), (Integer) rs.getObject(3)))
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

    static String defaultType(String kind) {
        return switch (kind) {
            case "adult" -> "seen_with";
            case "location" -> "frequents";
            case "vehicle" -> "seen_in";
            case "phone" -> "contacted_by";
            default -> throw new IllegalArgumentException(kind);
        };
    }

    static List<String> types(String kind) {
        return "location".equals(kind) ? List.of("frequents", "found_at") : List.of(defaultType(kind));
    }

    /** Checks a link request's shape and the new entity's fields without saving. */
    public List<Violation> validateLink(ConcernRequests.Link request) {
        List<Violation> v = new ArrayList<>();
        String kind = request.kind();
        if (blank(kind) || !LINK_KINDS.contains(kind)) {
            v.add(new Violation("kind", blank(kind) ? "required" : "one-of", "must be one of " + LINK_KINDS));
            return v;
        }
        if (!blank(request.type()) && !types(kind).contains(request.type())) {
            v.add(new Violation("type", "one-of", "for " + kind + " must be one of " + types(kind)));
        }
        Object newEntity = switch (kind) {
            case "adult" -> request.adult();
            case "location" -> request.location();
            case "vehicle" -> request.vehicle();
            default -> request.phone();
        };
        long others = java.util.stream.Stream.of(request.adult(), request.location(), request.vehicle(), request.phone())
                .filter(o -> o != null && o != newEntity).count();
        if (others > 0) {
            v.add(new Violation(kind, "kind-mismatch", "give only the " + kind + " object for kind " + kind));
        }
        if ((request.existingId() == null) == (newEntity == null)) {
            v.add(new Violation("existingId", "one-of", "give either existingId or a new " + kind + ", not both"));
            return v;
        }
        if (newEntity == null) {
            return v;
        }
        switch (kind) {
            case "adult" -> {
                var a = request.adult();
                if (blank(a.givenName()) && blank(a.familyName())) {
                    v.add(new Violation("adult.familyName", "required", "give a family name or a given name"));
                }
                maxLength(v, "adult.givenName", a.givenName());
                maxLength(v, "adult.familyName", a.familyName());
                try {
                    org.sightline.person.PartialDate.parseIso(a.dateOfBirth());
                } catch (IllegalArgumentException e) {
                    v.add(new Violation("adult.dateOfBirth", "format", "must be yyyy, yyyy-mm or yyyy-mm-dd, a real date"));
                }
                if (!blank(a.sex()) && !SEXES.contains(a.sex())) {
                    v.add(new Violation("adult.sex", "one-of", "must be one of " + SEXES));
                }
            }
            case "location" -> {
                var l = request.location();
                if (blank(l.kind()) || !LOCATION_KINDS.contains(l.kind())) {
                    v.add(new Violation("location.kind", blank(l.kind()) ? "required" : "one-of",
                            "must be one of " + LOCATION_KINDS));
                }
                if (blank(l.name()) && blank(l.postcode())) {
                    v.add(new Violation("location.name", "required", "give a name or a postcode"));
                }
                maxLength(v, "location.name", l.name());
                if (!blank(l.postcode()) && !l.postcode().strip().matches("(?i)[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}")) {
                    v.add(new Violation("location.postcode", "format", "must be a UK postcode, for example LS1 4AP"));
                }
            }
            case "vehicle" -> {
                var ve = request.vehicle();
                if (blank(ve.registration())) {
                    v.add(new Violation("vehicle.registration", "required", "give the registration as seen, even if partial"));
                } else if (!ve.registration().strip().matches("[A-Za-z0-9 ?]{1,10}")) {
                    v.add(new Violation("vehicle.registration", "format", "letters, digits, spaces and ? for unread characters, up to 10"));
                }
                maxLength(v, "vehicle.make", ve.make());
                maxLength(v, "vehicle.colour", ve.colour());
            }
            default -> {
                var p = request.phone();
                if (blank(p.number())) {
                    v.add(new Violation("phone.number", "required", "give the phone number"));
                } else if (!p.number().strip().matches("\\+?[0-9 ()-]{6,20}")) {
                    v.add(new Violation("phone.number", "format", "must be a phone number: digits, spaces, +, ( ) and -"));
                }
            }
        }
        return v;
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
        String kind = request.kind();
        String type = blank(request.type()) ? defaultType(kind) : request.type();
        long targetId;
        String targetRef;
        if (request.existingId() != null) {
            record Target(long id, String ref) {
            }
            Target t = jdbc.sql("SELECT e.id, e." + refColumn(kind) + " FROM " + table(kind)
                            + " e JOIN agency a ON a.id = e.agency_id WHERE e.public_id = :id AND " + visibleSql(kind))
                    .param("id", request.existingId()).param("agencyId", user.agencyId())
                    .query((rs, n) -> new Target(rs.getLong(1), rs.getString(2))).optional()
                    .orElseThrow(() -> new InvalidRequestException("existingId", "not-found",
                            "no " + kind + " with this id that your agency holds"));
            targetId = t.id();
            targetRef = t.ref();
        } else {
            targetRef = newRef(kind);
            targetId = create(user, kind, targetRef, request);
            audit.record(AuditEntry.of(user.username(), user.agencyCode(), "CREATE", table(kind), targetRef)
                    .withDetails("via=concern:" + concernId));
        }
        boolean exists = jdbc.sql("""
                SELECT EXISTS (SELECT 1 FROM association WHERE from_kind = 'concern' AND from_id = ? AND to_kind = ?
                               AND to_id = ? AND association_type = ?)""")
                .params(row.id(), kind, targetId, type).query(Boolean.class).single();
        if (exists) {
            throw new InvalidRequestException("existingId", "already-linked", "this " + kind + " is already linked to the concern");
        }
        Instant now = clock.instant();
        UUID linkId = jdbc.sql("""
                INSERT INTO association (agency_id, from_kind, from_id, to_kind, to_id, association_type, observed_at, created_at)
                VALUES (?, 'concern', ?, ?, ?, ?, ?, ?) RETURNING public_id""")
                .params(user.agencyId(), row.id(), kind, targetId, type, ts(now), ts(now)).query(UUID.class).single();
        updateStatus(row, row.status(), row.version());
        history(user, row.id(), "linked", null, null, kind + " " + targetRef + " " + type);
        audit.record(AuditEntry.of(user.username(), user.agencyCode(), "LINK", SUBJECT, concernId.toString())
                .withDetails("association=" + linkId + ";kind=" + kind + ";ref=" + targetRef + ";type=" + type));
        return linkId;
    }

    /** Adults, places, vehicles and phones the user's agency holds (places etc. also from the national register). */
    @Transactional
    public List<ConcernViews.Linkable> searchLinkable(SightlineUser user, String kind, String query) {
        if (!LINK_KINDS.contains(kind)) {
            throw new InvalidRequestException("kind", "one-of", "must be one of " + LINK_KINDS);
        }
        String q = query == null ? "" : query.strip().toLowerCase();
        if (q.length() < 2) {
            return List.of();
        }
        String match = switch (kind) {
            case "adult" -> "(lower(e.family_name) LIKE :q OR lower(e.given_name) LIKE :q OR lower(e.adult_ref) = :exact)";
            case "location" -> "(lower(e.name) LIKE :anywhere OR replace(lower(e.postcode), ' ', '') LIKE :nospace OR lower(e.location_ref) = :exact)";
            case "vehicle" -> "(replace(lower(e.registration), ' ', '') LIKE :nospace OR lower(e.vehicle_ref) = :exact)";
            default -> "(regexp_replace(e.number, '[^0-9]', '', 'g') LIKE :digits OR lower(e.phone_ref) = :exact)";
        };
        String description = switch (kind) {
            case "adult" -> "trim(coalesce(e.given_name, '') || ' ' || coalesce(e.family_name, '')) || coalesce(' (' || e.dob_year || ')', '')";
            case "location" -> "concat_ws(', ', e.name, e.postcode, e.kind)";
            case "vehicle" -> "concat_ws(', ', e.registration, e.make, e.colour)";
            default -> "e.number";
        };
        String like = likeEscape(q);
        List<ConcernViews.Linkable> found = jdbc.sql("SELECT e.public_id, e." + refColumn(kind) + ", " + description
                        + ", a.name FROM " + table(kind) + " e JOIN agency a ON a.id = e.agency_id WHERE " + visibleSql(kind)
                        + " AND " + match + " ORDER BY 3, e.id LIMIT 20")
                .param("agencyId", user.agencyId()).param("q", like + "%").param("anywhere", "%" + like + "%")
                .param("nospace", "%" + like.replace(" ", "") + "%").param("exact", q)
                .param("digits", "%" + q.replaceAll("[^0-9]", "") + "%")
                .query((rs, n) -> new ConcernViews.Linkable(rs.getObject(1, UUID.class), kind, rs.getString(2),
                        rs.getString(3), rs.getString(4))).list();
        if ("phone".equals(kind) && q.replaceAll("[^0-9]", "").isEmpty()) {
            found = found.stream().filter(l -> l.ref().equalsIgnoreCase(q)).toList();
        }
        audit.record(AuditEntry.of(user.username(), user.agencyCode(), "SEARCH", table(kind), null)
                .withDetails("purpose=link-concern;results=" + found.size()));
        return found;
    }

    private long create(SightlineUser user, String kind, String ref, ConcernRequests.Link r) {
        return switch (kind) {
            case "adult" -> {
                var a = r.adult();
                var dob = org.sightline.person.PartialDate.parseIso(a.dateOfBirth());
                yield jdbc.sql("""
                        INSERT INTO adult_of_concern (agency_id, adult_ref, given_name, family_name, dob_year, dob_month,
                                                      dob_day, sex) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id""")
                        .params(user.agencyId(), ref, strip(a.givenName()), strip(a.familyName()), dob.year(), dob.month(),
                                dob.day(), blank(a.sex()) ? "not_recorded" : a.sex()).query(Long.class).single();
            }
            case "location" -> jdbc.sql("""
                    INSERT INTO location (agency_id, location_ref, kind, name, postcode) VALUES (?, ?, ?, ?, ?) RETURNING id""")
                    .params(user.agencyId(), ref, r.location().kind(), strip(r.location().name()),
                            r.location().postcode() == null || blank(r.location().postcode()) ? null
                                    : r.location().postcode().strip().toUpperCase())
                    .query(Long.class).single();
            case "vehicle" -> jdbc.sql("""
                    INSERT INTO vehicle (agency_id, vehicle_ref, registration, make, colour) VALUES (?, ?, ?, ?, ?) RETURNING id""")
                    .params(user.agencyId(), ref, r.vehicle().registration().strip().toUpperCase(), strip(r.vehicle().make()),
                            strip(r.vehicle().colour())).query(Long.class).single();
            default -> jdbc.sql("INSERT INTO phone (agency_id, phone_ref, number) VALUES (?, ?, ?) RETURNING id")
                    .params(user.agencyId(), ref, r.phone().number().strip()).query(Long.class).single();
        };
    }

    private String newRef(String kind) {
        String prefix = switch (kind) {
            case "adult" -> "WAD";
            case "location" -> "WLO";
            case "vehicle" -> "WVE";
            default -> "WPH";
        };
        return prefix + String.format("%07d", jdbc.sql("SELECT nextval('sightline_ref_seq')").query(Long.class).single());
    }

    private static String table(String kind) {
        return switch (kind) {
            case "adult" -> "adult_of_concern";
            case "location" -> "location";
            case "vehicle" -> "vehicle";
            case "phone" -> "phone";
            default -> throw new IllegalArgumentException(kind);
        };
    }

    private static String refColumn(String kind) {
        return "adult".equals(kind) ? "adult_ref" : kind + "_ref";
    }

    /** Adults are held by the agency that recorded them; places, vehicles and phones may be on the national register. */
    private static String visibleSql(String kind) {
        return "adult".equals(kind) ? "e.agency_id = :agencyId" : "(e.agency_id = :agencyId OR a.agency_type = 'national')";
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
        int updated = jdbc.sql("""
                UPDATE exploitation_concern SET status = ?, outcome = ?, outcome_at = ?, outcome_by = ?, outcome_notes = ?,
                       updated_at = ?, version = version + 1
                WHERE id = ? AND version = ?""")
                .params(next.code(), request.outcome(), ts(now), user.username(),
                        blank(request.notes()) ? null : request.notes().strip(), ts(now), row.id(), request.version())
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
        Long id = jdbc.sql("SELECT id FROM person_record WHERE public_id = ?").param(recordPublicId)
                .query(Long.class).optional().orElse(null);
        if (id == null || !scope.canSeePersonRecord(user, id)) {
            if (id != null) {
                audit.recordRefusal(AuditEntry.of(user.username(), user.agencyCode(), "VIEW_REFUSED", "person_record",
                        recordPublicId.toString()));
            }
            throw new NotFoundException("record");
        }
        return id;
    }

    private Row concernInScope(SightlineUser user, UUID concernId) {
        Row row = jdbc.sql("""
                SELECT id, public_id, status, version, person_record_id FROM exploitation_concern WHERE public_id = ?""")
                .param(concernId)
                .query((rs, n) -> new Row(rs.getLong(1), rs.getObject(2, UUID.class), ConcernStatus.of(rs.getString(3)),
                        rs.getInt(4), rs.getLong(5))).optional().orElse(null);
        if (row == null || !scope.canSeePersonRecord(user, row.personRecordId())) {
            if (row != null) {
                audit.recordRefusal(AuditEntry.of(user.username(), user.agencyCode(), "VIEW_REFUSED", SUBJECT, concernId.toString()));
            }
            throw new NotFoundException("concern");
        }
        return row;
    }

    private void updateStatus(Row row, ConcernStatus next, int version) {
        int updated = jdbc.sql("""
                UPDATE exploitation_concern SET status = ?, updated_at = ?, version = version + 1 WHERE id = ? AND version = ?""")
                .params(next.code(), ts(clock.instant()), row.id(), version).update();
        if (updated == 0) {
            throw ConflictException.staleVersion("The concern");
        }
    }

    private void history(SightlineUser user, long concernId, String action, ConcernStatus from, ConcernStatus to,
                         String details) {
        jdbc.sql("""
                INSERT INTO concern_history (concern_id, occurred_at, actor, actor_agency, action, from_status, to_status, details)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)""")
                .params(concernId, ts(clock.instant()), user.username(), user.agencyCode(), action,
                        from == null ? null : from.code(), to == null ? null : to.code(), details).update();
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

    private static void maxLength(List<Violation> v, String field, String value) {
        if (value != null && value.length() > SHORT_MAX) {
            v.add(new Violation(field, "max-length", "must be " + SHORT_MAX + " characters or fewer"));
        }
    }

    static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private static String strip(String s) {
        return blank(s) ? null : s.strip();
    }

    private static Timestamp ts(Instant i) {
        return Timestamp.from(i);
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }

    private static String likeEscape(String s) {
        return s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

}
