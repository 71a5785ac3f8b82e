package org.sightline.intake;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.sightline.access.AgencyScope;
import org.sightline.access.Roles;
import org.sightline.access.SightlineUser;
import org.sightline.audit.AuditEntry;
import org.sightline.audit.AuditLog;
import org.sightline.network.NetworkService;
import org.sightline.person.PartialDate;
import org.sightline.person.PersonRecords;
import org.sightline.shared.ClockConfiguration;
import org.sightline.shared.ConflictException;
import org.sightline.shared.NotFoundException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Missing episodes: report, grade, found, safe and well, return interview, close. Every method checks agency scope,
 * the user's role for the step and the lifecycle ({@link EpisodeLifecycle}), writes with optimistic locking and
 * records an audit entry in the same transaction. Reads are audited too, hence read-write transactions.
 */
@Service
class EpisodeService {

    static final Set<String> MISSING_FROM = Set.of("home", "care", "other");
    static final Set<String> CATEGORIES = Set.of("missing", "away");
    static final Set<String> SEXES = Set.of("male", "female", "not_known", "not_recorded");
    static final Set<String> INTERVIEW_OUTCOMES = Set.of("offered", "accepted", "declined", "completed");
    private static final java.util.Map<EpisodeAction, String> OUTCOMES = java.util.Map.of(
            EpisodeAction.OFFER_RETURN_INTERVIEW,
            "offered",
            EpisodeAction.ACCEPT_RETURN_INTERVIEW,
            "accepted",
            EpisodeAction.DECLINE_RETURN_INTERVIEW,
            "declined",
            EpisodeAction.COMPLETE_RETURN_INTERVIEW,
            "completed");
    /** Grades that must carry a written rationale (NPCC 2015: record why). */
    static final Set<String> RATIONALE_REQUIRED = Set.of("medium", "high");
    /** Tolerance for clients whose clocks run a little ahead. */
    private static final Duration CLOCK_SKEW = Duration.ofMinutes(5);

    private final JdbcClient jdbc;
    private final AgencyScope scope;
    private final AuditLog audit;
    private final Clock clock;
    private final PersonRecords people;
    private final NetworkService network;

    EpisodeService(
            JdbcClient jdbc,
            AgencyScope scope,
            AuditLog audit,
            Clock clock,
            PersonRecords people,
            NetworkService network) {
        this.people = people;
        this.network = network;
        this.jdbc = jdbc;
        this.scope = scope;
        this.audit = audit;
        this.clock = clock;
    }

    // ---------------------------------------------------------------- report

    /** Checks a report without saving it: the web's question pages show these per page. */
    void validate(SightlineUser user, EpisodeRequests.NewEpisode r) {
        checkReport(user, r, new Checks()).throwIfAny();
    }

    private Checks checkReport(SightlineUser user, EpisodeRequests.NewEpisode r, Checks c) {
        Instant latest = clock.instant().plus(CLOCK_SKEW);
        if (r.subjectRecordId() == null && r.newPerson() == null) {
            c.add("subjectRecordId", "required", "give subjectRecordId (an existing record) or newPerson");
        } else if (r.subjectRecordId() != null && r.newPerson() != null) {
            c.add("subjectRecordId", "exclusive", "give subjectRecordId or newPerson, not both");
        } else if (r.newPerson() != null) {
            var p = r.newPerson();
            String given = c.text("newPerson.givenName", p.givenName(), false, Checks.SHORT);
            String family = c.text("newPerson.familyName", p.familyName(), false, Checks.SHORT);
            if (given == null && family == null && !c.has("newPerson.givenName")) {
                c.add("newPerson.familyName", "required", "give a family name or a given name");
            }
            try {
                PartialDate dob = PartialDate.parseIso(p.dateOfBirth());
                if (dob.year() != null && dob.year() < 1900) {
                    c.add("newPerson.dateOfBirth", "range", "year must be from 1900 to this year");
                } else if (dob.afterDay(LocalDate.now(clock.withZone(ClockConfiguration.DISPLAY_ZONE)))) {
                    c.add("newPerson.dateOfBirth", "future", "the date of birth cannot be in the future");
                }
            } catch (IllegalArgumentException e) {
                c.add("newPerson.dateOfBirth", "format", e.getMessage());
            }
            c.oneOf("newPerson.sex", p.sex(), SEXES, true);
        }
        var reporter = r.reporter() == null ? new EpisodeRequests.Reporter(null, null, null) : r.reporter();
        c.text("reporter.name", reporter.name(), true, Checks.SHORT);
        c.text("reporter.role", reporter.role(), false, Checks.SHORT);
        c.text("reporter.relationship", reporter.relationship(), false, Checks.SHORT);
        Instant reported = c.instant("reportedAt", r.reportedAt(), true, latest);
        Instant lastSeen = c.instant("lastSeenAt", r.lastSeenAt(), false, latest);
        if (reported != null && lastSeen != null && lastSeen.isAfter(reported) && !c.has("lastSeenAt")) {
            c.add("lastSeenAt", "after-report", "must not be after the time of the report");
        }
        c.text("lastSeenPlace", r.lastSeenPlace(), false, Checks.SHORT);
        c.postcode("lastSeenPostcode", r.lastSeenPostcode());
        String from = c.oneOf("missingFrom", r.missingFrom(), MISSING_FROM, true);
        c.oneOf("category", r.category(), CATEGORIES, true);
        if (from != null && !user.hasRole(Roles.POLICE_OFFICER) && !"care".equals(from)) {
            c.add(
                    "missingFrom",
                    "role",
                    "social workers and care staff report children missing from care; "
                            + "children missing from home are reported by the police");
        }
        if ("away".equals(r.category()) && from != null && !"care".equals(from)) {
            c.add(
                    "category",
                    "away-needs-care",
                    "away without authorisation applies to children missing from care only");
        }
        if (r.grabProfile() != null) {
            var g = r.grabProfile();
            c.text("grabProfile.description", g.description(), false, Checks.LONG);
            c.text("grabProfile.clothing", g.clothing(), false, Checks.LONG);
            c.text("grabProfile.associates", g.associates(), false, Checks.LONG);
            c.text("grabProfile.placesFrequented", g.placesFrequented(), false, Checks.LONG);
            c.text("grabProfile.phones", g.phones(), false, Checks.LONG);
            c.text("grabProfile.vulnerabilities", g.vulnerabilities(), false, Checks.LONG);
        }
        return c;
    }

    /** An open episode of a child: its reference and holder, and whether the user may open it. */
    record OpenEpisode(UUID publicId, String episodeRef, String agencyName, boolean visible) {}

    /** A second report while the child has an open episode: refused, naming the episode or whom to contact. */
    static final class OpenEpisodeExists extends ConflictException {

        private final OpenEpisode open;

        OpenEpisodeExists(OpenEpisode open) {
            super(
                    "open-episode",
                    open.visible()
                            ? "The child already has an open missing episode " + open.episodeRef() + " ("
                                    + open.agencyName()
                                    + ", /api/v1/episodes/" + open.publicId()
                                    + "): record what happens in that episode "
                                    + "instead of reporting the child missing again"
                            : "The child already has an open missing episode held by " + open.agencyName()
                                    + ": contact them rather than reporting the child missing again");
            this.open = open;
        }

        OpenEpisode open() {
            return open;
        }
    }

    /**
     * The child's open episode, if any, whichever agency holds it: an episode not closed of this record or of any
     * record linked to the same identity. The reference is shown only to users who may see that episode.
     */
    @Transactional(readOnly = true)
    java.util.Optional<OpenEpisode> openEpisode(SightlineUser user, UUID recordPublicId) {
        return jdbc.sql("SELECT id FROM person_record WHERE public_id = ?")
                .param(recordPublicId)
                .query(Long.class)
                .optional()
                .flatMap(id -> openEpisode(user, id));
    }

    /**
     * The episode in which the child is missing now (not yet found), by any agency. An episode still open only for
     * its return interview does not count: a child found last week who goes missing again must be reported at once.
     */
    private java.util.Optional<OpenEpisode> openEpisode(SightlineUser user, long personRecordId) {
        record Found(UUID publicId, String ref, String agencyName, long agencyId, long personRecordId) {}
        return jdbc.sql(
                        """
                SELECT e.public_id, e.episode_ref, a.name, e.agency_id, e.person_record_id
                FROM person_record self
                JOIN person_record pr ON pr.id = self.id OR pr.identity_id = self.identity_id
                JOIN missing_episode e ON e.person_record_id = pr.id AND e.status IN ('reported', 'graded')
                                         AND e.found_at IS NULL
                JOIN agency a ON a.id = e.agency_id
                WHERE self.id = ? ORDER BY e.reported_at DESC, e.id DESC LIMIT 1""")
                .param(personRecordId)
                .query((rs, n) -> new Found(
                        rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3), rs.getLong(4), rs.getLong(5)))
                .optional()
                .map(f -> new OpenEpisode(
                        f.publicId(),
                        f.ref(),
                        f.agencyName(),
                        f.agencyId() == user.agencyId() || scope.canSeePersonRecord(user, f.personRecordId())));
    }

    @Transactional(noRollbackFor = OpenEpisodeExists.class)
    EpisodeView report(SightlineUser user, EpisodeRequests.NewEpisode r) {
        requireAnyRole(user, Roles.POLICE_OFFICER, Roles.SOCIAL_WORKER, Roles.CARE_STAFF);
        Checks c = checkReport(user, r, new Checks());
        c.throwIfAny();
        Instant now = clock.instant();
        long personId;
        UUID personPublicId;
        if (r.subjectRecordId() != null) {
            Long id = jdbc.sql("SELECT id FROM person_record WHERE public_id = ?")
                    .param(r.subjectRecordId())
                    .query(Long.class)
                    .optional()
                    .orElse(null);
            if (id == null || !scope.canSeePersonRecord(user, id)) {
                c.add("subjectRecordId", "not-found", "no record with this id that your agency may see");
                c.throwIfAny();
            }
            personId = id;
            personPublicId = r.subjectRecordId();
            // One open episode per child: two reports at once for the same identity wait for each other here.
            jdbc.sql(
                            "SELECT 1 FROM (SELECT pg_advisory_xact_lock(7, CAST(coalesce((SELECT identity_id FROM person_record "
                                    + "WHERE id = ?), -?) % 2147483647 AS int))) l")
                    .params(personId, personId)
                    .query(Integer.class)
                    .single();
            var open = openEpisode(user, personId);
            if (open.isPresent()) {
                audit.record(AuditEntry.of(
                                user.username(),
                                user.agencyCode(),
                                "EPISODE_REFUSED",
                                "person_record",
                                personPublicId.toString())
                        .withDetails("rule=open-episode;open=" + open.get().publicId()));
                throw new OpenEpisodeExists(open.get());
            }
        } else {
            var p = r.newPerson();
            PartialDate dob = PartialDate.parseIso(p.dateOfBirth());
            PersonRecords.Created created = people.create(
                    user.agencyId(),
                    PersonRecords.NewRecord.reported(
                            "SL-" + UUID.randomUUID(), strip(p.givenName()), strip(p.familyName()), dob, p.sex(), now));
            personId = created.id();
            personPublicId = created.publicId();
            audit.record(AuditEntry.of(
                            user.username(), user.agencyCode(), "CREATE", "person_record", personPublicId.toString())
                    .withDetails("source=missing-report"));
        }
        var reporter = r.reporter();
        // Random, not sequential: references appear on screens and must not reveal volumes.
        String ref = "MIS-" + UUID.randomUUID().toString().substring(0, 13).toUpperCase();
        record Created(long id, UUID publicId) {}
        Created episode = jdbc.sql(
                        """
                INSERT INTO missing_episode (agency_id, person_record_id, episode_ref, status, reported_at, reported_by,
                    reporter_role, reporter_relationship, recorded_by, last_seen_at, last_seen_place, last_seen_postcode,
                    missing_from, category, created_at, updated_at)
                VALUES (?, ?, ?, 'reported', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id, public_id""")
                .params(
                        user.agencyId(),
                        personId,
                        ref,
                        ts(r.reportedAt()),
                        strip(reporter.name()),
                        strip(reporter.role()),
                        strip(reporter.relationship()),
                        user.displayName(),
                        ts(r.lastSeenAt()),
                        strip(r.lastSeenPlace()),
                        c.postcode("lastSeenPostcode", r.lastSeenPostcode()),
                        r.missingFrom(),
                        r.category(),
                        ts(now),
                        ts(now))
                .query((rs, n) -> new Created(rs.getLong(1), rs.getObject(2, UUID.class)))
                .single();
        if (r.grabProfile() != null && !r.grabProfile().isEmpty()) {
            var g = r.grabProfile();
            jdbc.sql(
                            """
                    INSERT INTO grab_profile (episode_id, description, clothing, associates, places_frequented, phones,
                                              vulnerabilities, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)""")
                    .params(
                            episode.id(),
                            strip(g.description()),
                            strip(g.clothing()),
                            strip(g.associates()),
                            strip(g.placesFrequented()),
                            strip(g.phones()),
                            strip(g.vulnerabilities()),
                            ts(now))
                    .update();
        }
        event(
                user,
                episode.id(),
                "reported",
                r.reportedAt(),
                strip(reporter.name()),
                strip(r.lastSeenPlace()),
                null,
                null,
                now);
        audit.record(AuditEntry.of(
                        user.username(),
                        user.agencyCode(),
                        "EPISODE_REPORTED",
                        "missing_episode",
                        episode.publicId().toString())
                .withDetails("record=" + personPublicId + ";missingFrom=" + r.missingFrom() + ";category="
                        + r.category() + ";grabProfile="
                        + (r.grabProfile() != null && !r.grabProfile().isEmpty())));
        return load(user, episode.id());
    }

    // ---------------------------------------------------------------- read

    @Transactional(noRollbackFor = NotFoundException.class)
    EpisodeView view(SightlineUser user, UUID publicId) {
        Row row = visibleRow(user, publicId);
        audit.record(AuditEntry.of(user.username(), user.agencyCode(), "VIEW", "missing_episode", publicId.toString()));
        return load(user, row.id());
    }

    /** The grade codes a new grading may use: the list valid on the given day, lowest risk first. */
    List<String> gradesValidOn(LocalDate day) {
        return jdbc.sql(
                        """
                SELECT code FROM ref_risk_grade WHERE valid_from <= :d AND (valid_to IS NULL OR valid_to >= :d)
                ORDER BY rank""")
                .param("d", day)
                .query(String.class)
                .list();
    }

    LocalDate today() {
        return LocalDate.now(clock.withZone(ClockConfiguration.DISPLAY_ZONE));
    }

    // ---------------------------------------------------------------- transitions

    @Transactional(noRollbackFor = NotFoundException.class)
    EpisodeView grade(SightlineUser user, UUID publicId, EpisodeRequests.Grade r) {
        Checks c = new Checks();
        int version = c.version(r.version());
        LocalDate day = today();
        List<String> codes = gradesValidOn(day);
        String grade = c.oneOf("grade", r.grade(), Set.copyOf(codes), true);
        boolean needsRationale = grade != null && RATIONALE_REQUIRED.contains(grade);
        String rationale = c.text("rationale", r.rationale(), false, Checks.LONG);
        if (needsRationale && rationale == null) {
            c.add("rationale", "required-for-grade", "is required for a medium or high grade: record why");
        }
        c.throwIfAny();
        Row row = transition(user, publicId, version, EpisodeAction.GRADE);
        String list = jdbc.sql(
                        """
                SELECT list_version FROM ref_risk_grade WHERE code = :c AND valid_from <= :d
                AND (valid_to IS NULL OR valid_to >= :d)""")
                .param("c", grade)
                .param("d", day)
                .query(String.class)
                .single();
        Instant now = clock.instant();
        jdbc.sql(
                        """
                INSERT INTO risk_grading (episode_id, grade_code, code_list_version, rationale, graded_by, graded_by_agency,
                                          graded_at) VALUES (?, ?, ?, ?, ?, ?, ?)""")
                .params(row.id(), grade, list, rationale, user.displayName(), user.agencyName(), ts(now))
                .update();
        update(row, version, EpisodeLifecycle.apply(row.state(), EpisodeAction.GRADE), "current_risk_grade = ?", grade);
        audit.record(entry(user, "EPISODE_GRADED", publicId)
                .withDetails("grade=" + grade + ";list=" + list + ";regrade="
                        + (row.state().status() != EpisodeStatus.REPORTED)));
        return load(user, row.id());
    }

    @Transactional(noRollbackFor = NotFoundException.class)
    EpisodeView found(SightlineUser user, UUID publicId, EpisodeRequests.Found r) {
        return found(user, publicId, r, null);
    }

    /** Known places that may be where the child was found, offered before a new one is recorded. */
    List<NetworkService.PlaceSuggestion> foundPlaceSuggestions(SightlineUser user, String place, String postcode) {
        return network.suggestPlaces(user, place, postcode, "episode-found");
    }

    /** {@code knownPlace}: the known place the user chose from {@link #foundPlaceSuggestions}, if any. */
    @Transactional(noRollbackFor = NotFoundException.class)
    EpisodeView found(SightlineUser user, UUID publicId, EpisodeRequests.Found r, UUID knownPlace) {
        Checks c = new Checks();
        int version = c.version(r.version());
        Instant at = c.instant("foundAt", r.foundAt(), true, clock.instant().plus(CLOCK_SKEW));
        String place = c.text("foundPlace", r.foundPlace(), true, Checks.SHORT);
        String postcode = c.postcode("foundPostcode", r.foundPostcode());
        String by = c.text("foundBy", r.foundBy(), true, Checks.SHORT);
        c.throwIfAny();
        Row row = transition(user, publicId, version, EpisodeAction.RECORD_FOUND);
        c.notBefore(
                "foundAt",
                at,
                row.missingSince(),
                "before-last-seen",
                "must not be before the child was last seen or reported missing");
        c.throwIfAny();
        update(
                row,
                version,
                EpisodeLifecycle.apply(row.state(), EpisodeAction.RECORD_FOUND),
                "found_at = ?, found_place = ?, found_postcode = ?, found_by = ?",
                ts(at),
                place,
                postcode,
                by);
        event(user, row.id(), "found", at, by, place, postcode, null, clock.instant());
        // The found place joins the network, so children found at one address by different agencies meet there.
        network.recordFound(user, row.id(), place, postcode, at, knownPlace);
        audit.record(entry(user, "EPISODE_FOUND", publicId));
        return load(user, row.id());
    }

    @Transactional(noRollbackFor = NotFoundException.class)
    EpisodeView safeAndWell(SightlineUser user, UUID publicId, EpisodeRequests.SafeAndWell r) {
        Checks c = new Checks();
        int version = c.version(r.version());
        Instant at = c.instant("checkedAt", r.checkedAt(), true, clock.instant().plus(CLOCK_SKEW));
        String by = c.text("checkedBy", r.checkedBy(), true, Checks.SHORT);
        String notes = c.text("notes", r.notes(), true, Checks.LONG);
        c.throwIfAny();
        Row row = transition(user, publicId, version, EpisodeAction.SAFE_AND_WELL);
        c.notBefore("checkedAt", at, row.foundAt(), "before-found", "must not be before the child was found");
        c.throwIfAny();
        update(
                row,
                version,
                EpisodeLifecycle.apply(row.state(), EpisodeAction.SAFE_AND_WELL),
                "safe_and_well_at = ?, safe_and_well_by = ?, safe_and_well_notes = ?",
                ts(at),
                by,
                notes);
        event(user, row.id(), "safe_and_well_checked", at, by, null, null, notes, clock.instant());
        audit.record(entry(user, "EPISODE_SAFE_AND_WELL", publicId));
        return load(user, row.id());
    }

    @Transactional(noRollbackFor = NotFoundException.class)
    EpisodeView returnInterview(SightlineUser user, UUID publicId, EpisodeRequests.ReturnInterview r) {
        Checks c = new Checks();
        int version = c.version(r.version());
        String outcome = c.oneOf("outcome", r.outcome(), INTERVIEW_OUTCOMES, true);
        Instant at = c.instant("at", r.at(), true, clock.instant().plus(CLOCK_SKEW));
        String notes = c.text("notes", r.notes(), false, Checks.LONG);
        c.throwIfAny();
        EpisodeAction action =
                switch (outcome) {
                    case "offered" -> EpisodeAction.OFFER_RETURN_INTERVIEW;
                    case "accepted" -> EpisodeAction.ACCEPT_RETURN_INTERVIEW;
                    case "declined" -> EpisodeAction.DECLINE_RETURN_INTERVIEW;
                    default -> EpisodeAction.COMPLETE_RETURN_INTERVIEW;
                };
        Row row = visibleRow(user, publicId);
        List<EpisodeAction> steps = steps(user, row, version, action);
        c.notBefore("at", at, row.foundAt(), "before-found", "must not be before the child was found");
        c.throwIfAny();
        // One save may record several steps (offered, accepted, completed), all at the time given, each with its event.
        String set = steps.contains(EpisodeAction.OFFER_RETURN_INTERVIEW)
                ? "return_interview_offered_at = ?"
                : "return_interview_offered_at = COALESCE(return_interview_offered_at, ?)";
        boolean completes = steps.contains(EpisodeAction.COMPLETE_RETURN_INTERVIEW);
        update(
                row,
                version,
                EpisodeLifecycle.applyAll(row.state(), steps),
                set + (completes ? ", return_interview_at = ?" : ""),
                completes ? new Object[] {ts(at), ts(at)} : new Object[] {ts(at)});
        for (EpisodeAction step : steps) {
            event(
                    user,
                    row.id(),
                    "return_interview_" + OUTCOMES.get(step),
                    at,
                    null,
                    null,
                    null,
                    step == action ? notes : null,
                    clock.instant());
        }
        audit.record(entry(user, "EPISODE_RETURN_INTERVIEW", publicId)
                .withDetails("outcome=" + outcome
                        + (steps.size() > 1
                                ? ";steps="
                                        + steps.stream()
                                                .map(OUTCOMES::get)
                                                .collect(java.util.stream.Collectors.joining(","))
                                : "")));
        return load(user, row.id());
    }

    @Transactional(noRollbackFor = NotFoundException.class)
    EpisodeView close(SightlineUser user, UUID publicId, EpisodeRequests.Close r) {
        Checks c = new Checks();
        int version = c.version(r.version());
        String notes = c.text("notes", r.notes(), false, Checks.LONG);
        c.throwIfAny();
        Row row = transition(user, publicId, version, EpisodeAction.CLOSE);
        Instant now = clock.instant();
        update(
                row,
                version,
                EpisodeLifecycle.apply(row.state(), EpisodeAction.CLOSE),
                "closed_at = ?, closed_by = ?, closure_notes = ?",
                ts(now),
                user.displayName(),
                notes);
        event(user, row.id(), "closed", now, null, null, null, notes, now);
        audit.record(entry(user, "EPISODE_CLOSED", publicId));
        return load(user, row.id());
    }

    // ---------------------------------------------------------------- rules

    /** Whether the user's role lets them take this step on this episode (the lifecycle is checked separately). */
    static boolean permits(SightlineUser user, EpisodeAction action, long episodeAgencyId) {
        return switch (action) {
            case GRADE, RECORD_FOUND, SAFE_AND_WELL -> user.hasRole(Roles.POLICE_OFFICER);
            case OFFER_RETURN_INTERVIEW,
                    ACCEPT_RETURN_INTERVIEW,
                    DECLINE_RETURN_INTERVIEW,
                    COMPLETE_RETURN_INTERVIEW -> user.hasRole(Roles.SOCIAL_WORKER);
                // Closing: a supervisor, or a caseworker of the agency that recorded the episode.
            case CLOSE -> user.hasRole(Roles.SUPERVISOR) || user.worksCases() && user.agencyId() == episodeAgencyId;
        };
    }

    /** Scope, then role, then version, then lifecycle: each refusal says the most useful thing first. */
    private Row transition(SightlineUser user, UUID publicId, int version, EpisodeAction action) {
        Row row = visibleRow(user, publicId);
        steps(user, row, version, action);
        return row;
    }

    /** Role, version and lifecycle checks of {@code action} on a visible episode; the steps that reach it. */
    private List<EpisodeAction> steps(SightlineUser user, Row row, int version, EpisodeAction action) {
        if (!permits(user, action, row.agencyId())) {
            throw new AccessDeniedException("role does not permit " + action);
        }
        if (row.version() != version) {
            throw ConflictException.staleVersion("The episode");
        }
        return EpisodeLifecycle.steps(row.state(), action);
    }

    private void update(Row row, int version, EpisodeLifecycle.State to, String set, Object... values) {
        List<Object> params = new ArrayList<>(java.util.Arrays.asList(values)); // values may be null
        params.add(0, to.returnInterview().code());
        params.add(0, to.status().code());
        params.add(ts(clock.instant()));
        params.add(row.id());
        params.add(version);
        int updated = jdbc.sql("UPDATE missing_episode SET status = ?, return_interview_status = ?, " + set
                        + ", updated_at = ?, version = version + 1 WHERE id = ? AND version = ?")
                .params(params)
                .update();
        if (updated == 0) {
            throw ConflictException.staleVersion("The episode");
        }
    }

    private void event(
            SightlineUser user,
            long episodeId,
            String type,
            Instant at,
            String byWhom,
            String place,
            String postcode,
            String notes,
            Instant now) {
        jdbc.sql(
                        """
                INSERT INTO episode_event (episode_id, event_type, occurred_at, recorded_at, recorded_by, recorded_by_agency,
                                           by_whom, place, postcode, notes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")
                .params(
                        episodeId,
                        type,
                        ts(at),
                        ts(now),
                        user.displayName(),
                        user.agencyName(),
                        byWhom,
                        place,
                        postcode,
                        notes)
                .update();
    }

    private static AuditEntry entry(SightlineUser user, String action, UUID publicId) {
        return AuditEntry.of(user.username(), user.agencyCode(), action, "missing_episode", publicId.toString());
    }

    private static void requireAnyRole(SightlineUser user, String... roles) {
        for (String role : roles) {
            if (user.hasRole(role)) {
                return;
            }
        }
        throw new AccessDeniedException("role does not permit this");
    }

    // ---------------------------------------------------------------- loading

    private record Row(
            long id,
            long agencyId,
            long personRecordId,
            int version,
            EpisodeLifecycle.State state,
            Instant reportedAt,
            Instant lastSeenAt,
            Instant foundAt) {

        Instant missingSince() {
            return lastSeenAt != null ? lastSeenAt : reportedAt;
        }
    }

    /** The episode when the user's agency recorded it or may see the child's record; otherwise 404, audited. */
    private Row visibleRow(SightlineUser user, UUID publicId) {
        Row row = jdbc.sql(
                        """
                SELECT id, agency_id, person_record_id, version, status, return_interview_status, reported_at,
                       last_seen_at, found_at FROM missing_episode WHERE public_id = ?""")
                .param(publicId)
                .query((rs, n) -> new Row(
                        rs.getLong("id"),
                        rs.getLong("agency_id"),
                        rs.getLong("person_record_id"),
                        rs.getInt("version"),
                        EpisodeLifecycle.State.of(rs.getString("status"), rs.getString("return_interview_status")),
                        instant(rs, "reported_at"),
                        instant(rs, "last_seen_at"),
                        instant(rs, "found_at")))
                .optional()
                .orElse(null);
        if (row == null) {
            throw new NotFoundException("episode");
        }
        if (row.agencyId() != user.agencyId() && !scope.canSeePersonRecord(user, row.personRecordId())) {
            audit.recordRefusal(AuditEntry.of(
                    user.username(), user.agencyCode(), "VIEW_REFUSED", "missing_episode", publicId.toString()));
            throw new NotFoundException("episode");
        }
        return row;
    }

    private EpisodeView load(SightlineUser user, long id) {
        List<EpisodeView.Grading> gradings = jdbc.sql(
                        """
                SELECT grade_code, code_list_version, rationale, graded_by, graded_by_agency, graded_at
                FROM risk_grading WHERE episode_id = ? ORDER BY graded_at, id""")
                .param(id)
                .query((rs, n) -> new EpisodeView.Grading(
                        rs.getString(1),
                        rs.getString(2),
                        rs.getString(3),
                        rs.getString(4),
                        rs.getString(5),
                        instant(rs, "graded_at")))
                .list();
        List<EpisodeView.Event> events = jdbc.sql(
                        """
                SELECT event_type, occurred_at, recorded_by, recorded_by_agency, by_whom, place, postcode, notes, recorded_at
                FROM episode_event WHERE episode_id = ? ORDER BY occurred_at, id""")
                .param(id)
                .query((rs, n) -> new EpisodeView.Event(
                        rs.getString(1),
                        instant(rs, "occurred_at"),
                        rs.getString(3),
                        rs.getString(4),
                        rs.getString(5),
                        rs.getString(6),
                        rs.getString(7),
                        rs.getString(8),
                        instant(rs, "recorded_at")))
                .list();
        EpisodeView.Grab grab = jdbc.sql(
                        """
                SELECT description, clothing, associates, places_frequented, phones, vulnerabilities
                FROM grab_profile WHERE episode_id = ?""")
                .param(id)
                .query((rs, n) -> new EpisodeView.Grab(
                        rs.getString(1),
                        rs.getString(2),
                        rs.getString(3),
                        rs.getString(4),
                        rs.getString(5),
                        rs.getString(6)))
                .optional()
                .orElse(null);
        Instant now = clock.instant();
        return jdbc.sql(
                        """
                SELECT e.*, a.name AS agency_name, pr.public_id AS record_public_id, pr.record_ref, pa.name AS record_agency,
                       pr.given_name, pr.family_name, pr.dob_year, pr.dob_month, pr.dob_day, pr.sex
                FROM missing_episode e JOIN agency a ON a.id = e.agency_id
                JOIN person_record pr ON pr.id = e.person_record_id JOIN agency pa ON pa.id = pr.agency_id
                WHERE e.id = ?""")
                .param(id)
                .query((rs, n) -> {
                    EpisodeLifecycle.State state =
                            EpisodeLifecycle.State.of(rs.getString("status"), rs.getString("return_interview_status"));
                    long agencyId = rs.getLong("agency_id");
                    List<String> allowed = EpisodeLifecycle.allowed(state).stream()
                            .filter(a -> permits(user, a, agencyId))
                            .map(EpisodeAction::code)
                            .toList();
                    EpisodeClock clk = EpisodeClock.of(
                            instant(rs, "reported_at"),
                            instant(rs, "last_seen_at"),
                            instant(rs, "found_at"),
                            state.returnInterview(),
                            instant(rs, "return_interview_at"),
                            now);
                    return new EpisodeView(
                            rs.getObject("public_id", UUID.class),
                            rs.getString("episode_ref"),
                            rs.getInt("version"),
                            rs.getString("status"),
                            rs.getString("return_interview_status"),
                            rs.getString("agency_name"),
                            new EpisodeView.Subject(
                                    rs.getObject("record_public_id", UUID.class),
                                    rs.getString("record_ref"),
                                    rs.getString("record_agency"),
                                    rs.getString("given_name"),
                                    rs.getString("family_name"),
                                    new PartialDate(
                                            (Integer) rs.getObject("dob_year"),
                                            (Integer) rs.getObject("dob_month"),
                                            (Integer) rs.getObject("dob_day")),
                                    rs.getString("sex")),
                            rs.getString("reported_by"),
                            rs.getString("reporter_role"),
                            rs.getString("reporter_relationship"),
                            instant(rs, "reported_at"),
                            rs.getString("recorded_by"),
                            instant(rs, "last_seen_at"),
                            rs.getString("last_seen_place"),
                            rs.getString("last_seen_postcode"),
                            rs.getString("missing_from"),
                            rs.getString("category"),
                            rs.getString("current_risk_grade"),
                            instant(rs, "found_at"),
                            rs.getString("found_place"),
                            rs.getString("found_postcode"),
                            rs.getString("found_by"),
                            instant(rs, "safe_and_well_at"),
                            rs.getString("safe_and_well_by"),
                            rs.getString("safe_and_well_notes"),
                            instant(rs, "return_interview_offered_at"),
                            instant(rs, "return_interview_at"),
                            instant(rs, "closed_at"),
                            rs.getString("closed_by"),
                            rs.getString("closure_notes"),
                            grab,
                            gradings,
                            events,
                            new EpisodeView.ClockView(
                                    clk.returnInterviewDueAt(),
                                    clk.returnInterview().name().toLowerCase(),
                                    clk.missingHours(),
                                    clk.over24Hours(),
                                    clk.stillMissing()),
                            allowed);
                })
                .single();
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }

    private static Timestamp ts(Instant i) {
        return i == null ? null : Timestamp.from(i);
    }

    private static String strip(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
