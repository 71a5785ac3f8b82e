package org.sightline.child;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import org.sightline.access.AgencyScope;
import org.sightline.access.AgencyScope.ChildAccess;
import org.sightline.access.SightlineUser;
import org.sightline.alert.AlertInbox;
import org.sightline.audit.AuditEntry;
import org.sightline.audit.AuditLog;
import org.sightline.child.ChildPicture.Connection;
import org.sightline.child.ChildPicture.Counts;
import org.sightline.child.ChildPicture.CurrentRisk;
import org.sightline.child.ChildPicture.Entry;
import org.sightline.child.ChildPicture.Fact;
import org.sightline.child.ChildPicture.FactValue;
import org.sightline.child.ChildPicture.GrabProfile;
import org.sightline.child.ChildPicture.Holder;
import org.sightline.child.ChildPicture.LinkedRecord;
import org.sightline.child.ChildPicture.OpenEpisode;
import org.sightline.child.ChildPicture.Source;
import org.sightline.concern.ScreeningInstruments;
import org.sightline.identity.EvidenceInWords;
import org.sightline.shared.NotFoundException;
import org.sightline.web.DisplayTime;
import org.sightline.web.RenderedPages;
import org.springframework.context.MessageSource;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The child's picture (PRODUCT.md C4): every agency's records of one identity joined into one page, after
 * {@link AgencyScope#childAccess} has said how much the user may see. A fixed handful of queries per picture,
 * each by identity, whatever the number of records, episodes or concerns. Every view is audited, the
 * existence-only view and the unknown child included.
 */
@Service
public class ChildService {

    private final JdbcClient jdbc;
    private final AgencyScope scope;
    private final AuditLog audit;
    private final MessageSource messages;
    private final EvidenceInWords evidence;
    private final ScreeningInstruments instruments;
    private final AlertInbox alerts;
    private final Clock clock;
    private final RenderedPages pages;

    ChildService(
            JdbcClient jdbc,
            AgencyScope scope,
            AuditLog audit,
            MessageSource messages,
            EvidenceInWords evidence,
            ScreeningInstruments instruments,
            AlertInbox alerts,
            Clock clock,
            RenderedPages pages) {
        this.jdbc = jdbc;
        this.scope = scope;
        this.audit = audit;
        this.messages = messages;
        this.evidence = evidence;
        this.instruments = instruments;
        this.alerts = alerts;
        this.clock = clock;
        this.pages = pages;
    }

    /** The audit entry for an unknown child commits although the request answers 404. */
    @Transactional(noRollbackFor = NotFoundException.class)
    public ChildPicture picture(SightlineUser user, UUID identityPublicId) {
        return view(user, identityPublicId).picture();
    }

    /** How to answer the child's page: drawn already for this viewer ({@link Kept}), or to be drawn ({@link ToDraw}). */
    public sealed interface Page permits Kept, ToDraw {}

    /** A page drawn earlier for the same viewer from the same records; this view is audited like a drawn one. */
    public record Kept(RenderedPages.Page page) implements Page {}

    /** The picture to draw, and the key to keep the drawing under (null: not to be kept). */
    public record ToDraw(ChildPicture picture, RenderedPages.Key key, String auditDetails, Instant rightUntil)
            implements Page {}

    /**
     * The child's page, from {@link RenderedPages} when nothing it shows has changed since the viewer last saw it:
     * one query checks access and fingerprints the rows the picture reads, then the view is audited as usual.
     * Otherwise the picture is read as for {@link #picture}.
     */
    @Transactional(noRollbackFor = NotFoundException.class)
    public Page page(SightlineUser user, UUID identityPublicId, Locale locale, boolean keep) {
        RenderedPages.Key key = null;
        if (keep) {
            Stamp stamp = stamp(user, identityPublicId);
            if (stamp.identityId() != null && stamp.fullAccess()) {
                key = new RenderedPages.Key(
                        "child", identityPublicId, stamp.fingerprint(), RenderedPages.viewer(user), locale);
                RenderedPages.Page kept = pages.get(key).orElse(null);
                if (kept != null) {
                    audit(user, "VIEW_CHILD", identityPublicId, kept.auditDetails());
                    return new Kept(kept);
                }
            }
        }
        Viewed viewed = view(user, identityPublicId);
        return new ToDraw(
                viewed.picture(),
                viewed.picture().access() == ChildAccess.FULL ? key : null,
                viewed.details(),
                viewed.rightUntil());
    }

    private record Stamp(Long identityId, boolean fullAccess, String fingerprint) {}

    /**
     * Every row the picture shows, by id and {@code xmin} (the transaction that last wrote it): any insert, update
     * or delete of one changes the fingerprint. Agencies (names in every section) by the counter every write to them
     * moves (V0920). Reference code lists (ethnicity, authorities) change only with a release, which starts with an
     * empty cache.
     * {@code ChildPageCacheTest} fails when the picture reads a table this does not cover.
     */
    static final String FINGERPRINT_SQL =
            """
            WITH i AS (SELECT id FROM identity WHERE public_id = :publicId),
            pr AS (SELECT p.id, p.xmin::text AS x FROM person_record p WHERE p.identity_id = (SELECT id FROM i)),
            ep AS (SELECT e.id, e.xmin::text AS x FROM missing_episode e WHERE e.person_record_id IN (SELECT id FROM pr)),
            co AS (SELECT c.id, c.xmin::text AS x FROM exploitation_concern c
                   WHERE c.person_record_id IN (SELECT id FROM pr)),
            mine AS (SELECT 'person_record' AS kind, id FROM pr UNION ALL SELECT 'episode', id FROM ep
                     UNION ALL SELECT 'concern', id FROM co),
            links AS (SELECT x.id, x.xmin::text AS x, x.to_kind AS end_kind, x.to_id AS end_id
                      FROM mine m JOIN association x ON x.from_kind = m.kind AND x.from_id = m.id
                      UNION
                      SELECT x.id, x.xmin::text, x.from_kind, x.from_id
                      FROM mine m JOIN association x ON x.to_kind = m.kind AND x.to_id = m.id)
            SELECT (SELECT id FROM i) AS identity_id,
                   (SELECT id FROM i) IS NOT NULL AND\s"""
                    + AgencyScope.FULL_ACCESS_SQL.replace(":identityId", "(SELECT id FROM i)")
                    + """
                    AS full_access,
                   md5(concat_ws('|',
                       (SELECT string_agg(id || ':' || x, ',' ORDER BY id) FROM pr),
                       (SELECT string_agg(id || ':' || x, ',' ORDER BY id) FROM ep),
                       (SELECT string_agg(g.id || ':' || g.xmin::text, ',' ORDER BY g.id) FROM risk_grading g
                        WHERE g.episode_id IN (SELECT id FROM ep)),
                       (SELECT string_agg(g.id || ':' || g.xmin::text, ',' ORDER BY g.id) FROM grab_profile g
                        WHERE g.episode_id IN (SELECT id FROM ep)),
                       (SELECT string_agg(id || ':' || x, ',' ORDER BY id) FROM co),
                       (SELECT string_agg(s.id || ':' || s.xmin::text, ',' ORDER BY s.id) FROM screening s
                        WHERE s.concern_id IN (SELECT id FROM co)),
                       (SELECT string_agg(l.id || ':' || l.xmin::text, ',' ORDER BY l.id) FROM identity_link l
                        WHERE l.identity_id = (SELECT id FROM i)),
                       (SELECT string_agg(a.id || ':' || a.xmin::text, ',' ORDER BY a.id) FROM alert a
                        WHERE a.person_record_id IN (SELECT id FROM pr)),
                       (SELECT string_agg(r.id || ':' || r.xmin::text, ',' ORDER BY r.id)
                        FROM alert a JOIN alert_recipient r ON r.alert_id = a.id
                        WHERE a.person_record_id IN (SELECT id FROM pr)),
                       (SELECT string_agg(id || ':' || x, ',' ORDER BY id) FROM links),
                       (SELECT string_agg(t.id || ':' || t.xmin::text, ',' ORDER BY t.id) FROM adult_of_concern t
                        WHERE t.id IN (SELECT end_id FROM links WHERE end_kind = 'adult')),
                       (SELECT string_agg(t.id || ':' || t.xmin::text, ',' ORDER BY t.id) FROM location t
                        WHERE t.id IN (SELECT end_id FROM links WHERE end_kind = 'location')),
                       (SELECT string_agg(t.id || ':' || t.xmin::text, ',' ORDER BY t.id) FROM vehicle t
                        WHERE t.id IN (SELECT end_id FROM links WHERE end_kind = 'vehicle')),
                       (SELECT string_agg(t.id || ':' || t.xmin::text, ',' ORDER BY t.id) FROM phone t
                        WHERE t.id IN (SELECT end_id FROM links WHERE end_kind = 'phone')),
                       (SELECT version FROM agency_version))) AS fingerprint""";

    private Stamp stamp(SightlineUser user, UUID identityPublicId) {
        return jdbc.sql(FINGERPRINT_SQL)
                .params(scope.sqlParams(user))
                .param("publicId", identityPublicId)
                .query((rs, n) -> new Stamp(
                        (Long) rs.getObject("identity_id"), rs.getBoolean("full_access"), rs.getString("fingerprint")))
                .single();
    }

    private record Viewed(ChildPicture picture, String details, Instant rightUntil) {}

    private Viewed view(SightlineUser user, UUID identityPublicId) {
        Long identityId = jdbc.sql("SELECT id FROM identity WHERE public_id = ?")
                .param(identityPublicId)
                .query(Long.class)
                .optional()
                .orElse(null);
        if (identityId == null) {
            audit(user, "VIEW_CHILD_REFUSED", identityPublicId, "unknown");
            throw new NotFoundException("child");
        }
        List<RecordRow> records = records(identityId);
        if (records.isEmpty()) {
            audit(user, "VIEW_CHILD_REFUSED", identityPublicId, "no records");
            throw new NotFoundException("child");
        }
        ChildAccess access = scope.childAccess(user, identityId);
        List<Holder> holders = holders(records);
        if (access != ChildAccess.FULL) {
            audit(user, "VIEW_CHILD_EXISTENCE_ONLY", identityPublicId, "agencies=" + holders.size());
            return new Viewed(new ChildPicture(identityPublicId, access, holders, null), "", Instant.EPOCH);
        }
        List<EpisodeRow> episodes = episodes(identityId);
        List<List<Integer>> incidents =
                Incidents.group(episodes.stream().map(EpisodeRow::span).toList());
        List<ConcernRow> concerns = concerns(identityId);
        List<ScreeningRow> screenings = screenings(identityId);
        List<GradingRow> gradings = gradings(identityId);
        Instant now = clock.instant();
        ChildPicture.Full full = new ChildPicture.Full(
                name(user, records),
                linkedRecords(identityId, records),
                facts(records),
                counts(episodes, incidents, now),
                currentRisk(episodes, gradings, screenings, now),
                chronology(
                        episodes,
                        incidents,
                        gradings,
                        concerns,
                        screenings,
                        alerts.aboutChild(identityId, user.agencyId())),
                connections(identityId, episodes),
                grabProfile(identityId));
        String details = "records=" + records.size() + ";episodes=" + episodes.size() + ";concerns=" + concerns.size();
        audit(user, "VIEW_CHILD", identityPublicId, details);
        return new Viewed(
                new ChildPicture(identityPublicId, access, holders, full),
                details,
                rightUntil(episodes, incidents, now));
    }

    private static Instant rightUntil(List<EpisodeRow> episodes, List<List<Integer>> incidents, Instant now) {
        return rightUntil(
                incidents.stream()
                        .map(incident -> episodes.get(incident.get(0)).start())
                        .toList(),
                episodes.stream()
                        .filter(EpisodeRow::open)
                        .map(EpisodeRow::start)
                        .min(Comparator.naturalOrder())
                        .orElse(null),
                now);
    }

    /**
     * Until when the picture stays right by the clock alone, its records unchanged: the next time an incident leaves
     * the last 30, 90 or 365 days ({@link #counts}) or the hours missing since {@code openSince} (null: not missing)
     * go up ({@link #currentRisk}); an hour at most.
     */
    static Instant rightUntil(List<Instant> incidentStarts, Instant openSince, Instant now) {
        List<Instant> changes = new ArrayList<>();
        for (Instant start : incidentStarts) {
            for (int days : new int[] {30, 90, 365}) {
                changes.add(start.plus(Duration.ofDays(days)));
            }
        }
        if (openSince != null) {
            changes.add(openSince.plus(Duration.ofHours(
                    Math.max(0, Duration.between(openSince, now).toHours()) + 1)));
        }
        Instant until = now.plus(Duration.ofHours(1));
        for (Instant change : changes) {
            if (change.isAfter(now) && change.isBefore(until)) {
                until = change;
            }
        }
        return until;
    }

    private void audit(SightlineUser user, String action, UUID identity, String details) {
        audit.record(AuditEntry.of(user.username(), user.agencyCode(), action, "identity", identity.toString())
                .withDetails(details));
    }

    // ---- records and facts ---------------------------------------------------------------------------------------

    private record RecordRow(
            long id,
            UUID publicId,
            String ref,
            long agencyId,
            String agencyName,
            String agencyType,
            String givenName,
            String familyName,
            Integer dobYear,
            Integer dobMonth,
            Integer dobDay,
            String sex,
            String ethnicityStatus,
            String ethnicityCode,
            String ethnicityLabel,
            String careStatus,
            String responsibleAuthority,
            String responsibleAuthorityName,
            String cpPlan,
            String knownToSocialCare) {
        String name() {
            return (Objects.toString(givenName, "") + " " + Objects.toString(familyName, "")).strip();
        }
    }

    private List<RecordRow> records(long identityId) {
        return jdbc.sql(
                        """
                SELECT pr.id, pr.public_id, pr.record_ref, pr.agency_id, a.name AS agency_name, a.agency_type,
                       pr.given_name, pr.family_name, pr.dob_year, pr.dob_month, pr.dob_day, pr.sex, pr.ethnicity_status,
                       pr.ethnicity_code, eth.label AS ethnicity_label, pr.care_status, pr.responsible_authority,
                       coalesce(ra.name, (SELECT la.name FROM ref_local_authority la WHERE la.ons_code = pr.responsible_authority
                                          ORDER BY la.valid_from DESC LIMIT 1)) AS responsible_authority_name,
                       pr.cp_plan::text AS cp_plan, pr.known_to_social_care::text AS known_to_social_care
                FROM person_record pr JOIN agency a ON a.id = pr.agency_id
                LEFT JOIN ref_ethnicity eth ON eth.scheme = pr.ethnicity_scheme AND eth.code = pr.ethnicity_code
                LEFT JOIN agency ra ON ra.code = pr.responsible_authority
                WHERE pr.identity_id = ? ORDER BY a.name, pr.id""")
                .param(identityId)
                .query((rs, n) -> new RecordRow(
                        rs.getLong("id"),
                        rs.getObject("public_id", UUID.class),
                        rs.getString("record_ref"),
                        rs.getLong("agency_id"),
                        rs.getString("agency_name"),
                        rs.getString("agency_type"),
                        rs.getString("given_name"),
                        rs.getString("family_name"),
                        (Integer) rs.getObject("dob_year"),
                        (Integer) rs.getObject("dob_month"),
                        (Integer) rs.getObject("dob_day"),
                        rs.getString("sex"),
                        rs.getString("ethnicity_status"),
                        rs.getString("ethnicity_code"),
                        rs.getString("ethnicity_label"),
                        rs.getString("care_status"),
                        rs.getString("responsible_authority"),
                        rs.getString("responsible_authority_name"),
                        rs.getString("cp_plan"),
                        rs.getString("known_to_social_care")))
                .list();
    }

    private List<Holder> holders(List<RecordRow> records) {
        Map<String, Holder> byAgency = new LinkedHashMap<>();
        for (RecordRow r : records) {
            byAgency.merge(
                    r.agencyName(),
                    new Holder(r.agencyName(), agencyType(r.agencyType()), 1),
                    (a, b) -> new Holder(a.agencyName(), a.agencyType(), a.records() + 1));
        }
        return List.copyOf(byAgency.values());
    }

    /** The name as the user's own agency records it, else as most records have it. */
    private static String name(SightlineUser user, List<RecordRow> records) {
        for (RecordRow r : records) {
            if (r.agencyId() == user.agencyId() && !r.name().isEmpty()) {
                return r.name();
            }
        }
        Map<String, Integer> counts = new LinkedHashMap<>();
        records.stream().map(RecordRow::name).filter(s -> !s.isEmpty()).forEach(s -> counts.merge(s, 1, Integer::sum));
        return counts.entrySet().stream()
                .max(Map.Entry.comparingByValue())
                .map(Map.Entry::getKey)
                .orElse("");
    }

    private List<LinkedRecord> linkedRecords(long identityId, List<RecordRow> records) {
        record Link(long a, long b, double weight, double probability, String evidence, boolean supervisor) {}
        List<Link> links = jdbc.sql(
                        """
                SELECT record_a, record_b, weight, probability, evidence, source FROM identity_link
                WHERE identity_id = ? ORDER BY weight DESC, id""")
                .param(identityId)
                .query((rs, n) -> new Link(
                        rs.getLong(1),
                        rs.getLong(2),
                        rs.getDouble(3),
                        rs.getDouble(4),
                        rs.getString(5),
                        "supervisor".equals(rs.getString(6))))
                .list();
        Map<Long, RecordRow> byId = new HashMap<>();
        records.forEach(r -> byId.put(r.id(), r));
        List<LinkedRecord> result = new ArrayList<>();
        for (RecordRow r : records) {
            // Links are sorted strongest first: the first one this record takes part in explains it best.
            Link best = links.stream()
                    .filter(l -> l.a() == r.id() || l.b() == r.id())
                    .findFirst()
                    .orElse(null);
            RecordRow other = best == null ? null : byId.get(best.a() == r.id() ? best.b() : best.a());
            result.add(new LinkedRecord(
                    r.publicId(),
                    r.agencyName(),
                    agencyType(r.agencyType()),
                    r.ref(),
                    r.name().isEmpty() ? msg("child.value.notRecorded") : r.name(),
                    dob(r),
                    other == null ? null : msg("child.records.linkedWith", other.agencyName(), other.ref()),
                    best == null ? null : best.probability(),
                    best != null && best.supervisor(),
                    best == null ? List.of() : evidence.describe(best.evidence())));
        }
        return result;
    }

    private String dob(RecordRow r) {
        return r.dobYear() == null
                ? msg("child.value.notRecorded")
                : DisplayTime.partial(r.dobYear(), r.dobMonth(), r.dobDay());
    }

    private List<Fact> facts(List<RecordRow> records) {
        List<Fact> facts = new ArrayList<>();
        facts.add(fact("child.fact.sex", records, r -> msg("sex." + r.sex()), r -> "not_recorded".equals(r.sex())));
        facts.add(fact("child.fact.dob", records, this::dob, r -> r.dobYear() == null));
        facts.add(fact(
                "child.fact.ethnicity", records, this::ethnicity, r -> "not_recorded".equals(r.ethnicityStatus())));
        facts.add(fact("child.fact.careStatus", records, r -> msg("care." + r.careStatus()), r -> "not_recorded"
                .equals(r.careStatus())));
        facts.add(fact(
                "child.fact.responsibleAuthority",
                records,
                r -> r.responsibleAuthority() == null
                        ? msg("child.value.notRecorded")
                        : Objects.requireNonNullElse(
                                r.responsibleAuthorityName(),
                                msg("child.value.unknownAuthority", r.responsibleAuthority())),
                r -> r.responsibleAuthority() == null));
        facts.add(fact(
                "child.fact.cpPlan", records, r -> msg("tri." + r.cpPlan()), r -> "not_recorded".equals(r.cpPlan())));
        facts.add(fact(
                "child.fact.knownToSocialCare", records, r -> msg("tri." + r.knownToSocialCare()), r -> "not_recorded"
                        .equals(r.knownToSocialCare())));
        return facts;
    }

    private String ethnicity(RecordRow r) {
        if (!"recorded".equals(r.ethnicityStatus())) {
            return msg("ethnicity." + r.ethnicityStatus());
        }
        return r.ethnicityLabel() != null
                ? r.ethnicityLabel()
                : msg("child.value.unlistedEthnicity", r.ethnicityCode());
    }

    /**
     * One fact across records: each distinct value with the agencies that hold it. Records that recorded nothing
     * are listed (so "Not recorded" is visible) but do not make a conflict; two different recorded values do.
     */
    private Fact fact(
            String labelKey,
            List<RecordRow> records,
            java.util.function.Function<RecordRow, String> value,
            java.util.function.Predicate<RecordRow> notRecorded) {
        Map<String, Set<String>> sources = new LinkedHashMap<>();
        Set<String> recorded = new LinkedHashSet<>();
        for (RecordRow r : records) {
            String v = value.apply(r);
            sources.computeIfAbsent(v, k -> new LinkedHashSet<>()).add(r.agencyName());
            if (!notRecorded.test(r)) {
                recorded.add(v);
            }
        }
        List<FactValue> values = sources.entrySet().stream()
                .sorted(Comparator.comparing((Map.Entry<String, Set<String>> e) -> !recorded.contains(e.getKey())))
                .map(e -> new FactValue(e.getKey(), List.copyOf(e.getValue())))
                .toList();
        return new Fact(msg(labelKey), values, recorded.size() > 1);
    }

    // ---- episodes and incidents ----------------------------------------------------------------------------------

    private record EpisodeRow(
            long id,
            UUID publicId,
            String ref,
            long agencyId,
            String agencyName,
            String agencyType,
            String status,
            Instant reportedAt,
            Instant lastSeenAt,
            String lastSeenPlace,
            String lastSeenPostcode,
            String missingFrom,
            String category,
            String riskGrade,
            Instant foundAt,
            String foundPlace,
            String foundPostcode,
            String foundBy,
            Instant safeAndWellAt,
            String returnInterviewStatus,
            Instant returnInterviewOfferedAt,
            Instant returnInterviewAt,
            Instant closedAt) {
        Instant start() {
            return lastSeenAt != null ? lastSeenAt : reportedAt;
        }

        Incidents.Span span() {
            return new Incidents.Span(agencyId, start(), foundAt);
        }

        boolean open() {
            return foundAt == null && !"closed".equals(status);
        }

        Source source() {
            return new Source(agencyName, ref, "/episodes/" + publicId);
        }
    }

    private List<EpisodeRow> episodes(long identityId) {
        return jdbc.sql(
                        """
                SELECT e.id, e.public_id, e.episode_ref, e.agency_id, a.name AS agency_name, a.agency_type, e.status,
                       e.reported_at, e.last_seen_at, e.last_seen_place, e.last_seen_postcode, e.missing_from, e.category,
                       e.current_risk_grade, e.found_at, e.found_place, e.found_postcode, e.found_by, e.safe_and_well_at,
                       e.return_interview_status, e.return_interview_offered_at, e.return_interview_at, e.closed_at
                FROM person_record pr JOIN missing_episode e ON e.person_record_id = pr.id
                JOIN agency a ON a.id = e.agency_id
                WHERE pr.identity_id = ? ORDER BY e.reported_at, e.id""")
                .param(identityId)
                .query((rs, n) -> new EpisodeRow(
                        rs.getLong("id"),
                        rs.getObject("public_id", UUID.class),
                        rs.getString("episode_ref"),
                        rs.getLong("agency_id"),
                        rs.getString("agency_name"),
                        rs.getString("agency_type"),
                        rs.getString("status"),
                        instant(rs, "reported_at"),
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
                        rs.getString("return_interview_status"),
                        instant(rs, "return_interview_offered_at"),
                        instant(rs, "return_interview_at"),
                        instant(rs, "closed_at")))
                .list();
    }

    private record GradingRow(long episodeId, String grade, String gradedBy, String gradedByAgency, Instant gradedAt) {}

    private List<GradingRow> gradings(long identityId) {
        return jdbc.sql(
                        """
                SELECT g.episode_id, g.grade_code, g.graded_by, coalesce(g.graded_by_agency, a.name), g.graded_at
                FROM person_record pr JOIN missing_episode e ON e.person_record_id = pr.id
                JOIN risk_grading g ON g.episode_id = e.id JOIN agency a ON a.id = e.agency_id
                WHERE pr.identity_id = ? ORDER BY g.graded_at, g.id""")
                .param(identityId)
                .query((rs, n) -> new GradingRow(
                        rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), instant(rs, "graded_at")))
                .list();
    }

    private Counts counts(List<EpisodeRow> episodes, List<List<Integer>> incidents, Instant now) {
        int d30 = 0;
        int d90 = 0;
        int d365 = 0;
        for (List<Integer> incident : incidents) {
            Instant start = episodes.get(incident.get(0)).start();
            Duration ago = Duration.between(start, now);
            d30 += ago.compareTo(Duration.ofDays(30)) <= 0 ? 1 : 0;
            d90 += ago.compareTo(Duration.ofDays(90)) <= 0 ? 1 : 0;
            d365 += ago.compareTo(Duration.ofDays(365)) <= 0 ? 1 : 0;
        }
        return new Counts(d30, d90, d365, incidents.size(), episodes.size());
    }

    private CurrentRisk currentRisk(
            List<EpisodeRow> episodes, List<GradingRow> gradings, List<ScreeningRow> screenings, Instant now) {
        GradingRow grade = gradings.isEmpty() ? null : gradings.get(gradings.size() - 1);
        List<EpisodeRow> open = episodes.stream().filter(EpisodeRow::open).toList();
        OpenEpisode openEpisode = null;
        if (!open.isEmpty()) {
            Instant since = open.stream()
                    .map(EpisodeRow::start)
                    .min(Comparator.naturalOrder())
                    .orElseThrow();
            openEpisode = new OpenEpisode(
                    since,
                    Math.max(0, Duration.between(since, now).toHours()),
                    open.stream().map(EpisodeRow::source).toList());
        }
        ScreeningRow screening = screenings.isEmpty() ? null : screenings.get(screenings.size() - 1);
        return new CurrentRisk(
                grade == null ? null : riskLabel(grade.grade()),
                grade == null ? null : grade.gradedAt(),
                grade == null ? null : grade.gradedBy(),
                grade == null ? null : grade.gradedByAgency(),
                openEpisode,
                screening == null ? null : bandLabel(screening),
                screening == null ? null : screening.assessedAt(),
                screening == null ? null : screening.agencyName());
    }

    // ---- concerns ------------------------------------------------------------------------------------------------

    private record ConcernRow(
            long id,
            UUID publicId,
            String ref,
            String agencyName,
            /** When it arose, or the start of the period it is known to lie in; null when not known. */
            Instant raisedAt,
            String outcome,
            Instant outcomeAt,
            /** The date as far as it is known, when not to the instant (see concernWhen). */
            String when) {
        Source source() {
            return new Source(agencyName, ref, "/concerns/" + publicId);
        }
    }

    private List<ConcernRow> concerns(long identityId) {
        return jdbc.sql(
                        """
                SELECT c.id, c.public_id, c.concern_ref, a.name, c.raised_from, c.outcome, c.outcome_at,
                       c.raised_precision, c.raised_year, c.raised_month, c.raised_day
                FROM person_record pr JOIN exploitation_concern c ON c.person_record_id = pr.id
                JOIN agency a ON a.id = c.agency_id
                WHERE pr.identity_id = ? ORDER BY c.raised_from NULLS FIRST, c.id""")
                .param(identityId)
                .query((rs, n) -> new ConcernRow(
                        rs.getLong(1),
                        rs.getObject(2, UUID.class),
                        rs.getString(3),
                        rs.getString(4),
                        instant(rs, "raised_from"),
                        rs.getString(6),
                        instant(rs, "outcome_at"),
                        concernWhen(rs)))
                .list();
    }

    /**
     * A concern's date when it is known only in part, as far as it is known ("March 2024", "2024", "Not known"), never
     * as a day it may not have been; null when it is known to the instant.
     */
    private String concernWhen(ResultSet rs) throws SQLException {
        String precision = rs.getString("raised_precision");
        return switch (precision) {
            case "time" -> null;
            case "not_known", "not_recorded" -> msg("child.concernDate." + precision);
            default -> DisplayTime.partial(
                    rs.getObject("raised_year", Integer.class),
                    rs.getObject("raised_month", Integer.class),
                    rs.getObject("raised_day", Integer.class));
        };
    }

    private record ScreeningRow(
            long concernId,
            String instrument,
            String version,
            String band,
            String assessedBy,
            Instant assessedAt,
            String agencyName) {}

    private List<ScreeningRow> screenings(long identityId) {
        return jdbc.sql(
                        """
                SELECT s.concern_id, s.instrument_code, s.instrument_version, coalesce(s.override_band, s.band),
                       s.assessed_by, s.assessed_at, a.name
                FROM person_record pr JOIN exploitation_concern c ON c.person_record_id = pr.id
                JOIN screening s ON s.concern_id = c.id JOIN agency a ON a.id = c.agency_id
                WHERE pr.identity_id = ? ORDER BY s.assessed_at, s.id""")
                .param(identityId)
                .query((rs, n) -> new ScreeningRow(
                        rs.getLong(1),
                        rs.getString(2),
                        rs.getString(3),
                        rs.getString(4),
                        rs.getString(5),
                        instant(rs, "assessed_at"),
                        rs.getString(7)))
                .list();
    }

    private String bandLabel(ScreeningRow s) {
        try {
            return instruments
                    .find(s.instrument(), Integer.parseInt(s.version()))
                    .map(i -> i.bandLabel(s.band()))
                    .orElse(msg("child.value.unlistedBand"));
        } catch (NumberFormatException e) {
            return msg("child.value.unlistedBand");
        }
    }

    // ---- chronology ----------------------------------------------------------------------------------------------

    /**
     * Newest first. An incident's steps that several agencies recorded (reported, found, safe and well, return
     * interview, closed) appear once with every source; gradings are each agency's own and stay separate. Alerts
     * appear when raised, each with the agencies it went to and where the viewer's agency is with it.
     */
    private List<Entry> chronology(
            List<EpisodeRow> episodes,
            List<List<Integer>> incidents,
            List<GradingRow> gradings,
            List<ConcernRow> concerns,
            List<ScreeningRow> screenings,
            List<AlertInbox.AboutChild> raised) {
        List<Entry> entries = new ArrayList<>();
        Map<Long, EpisodeRow> episodeById = new HashMap<>();
        episodes.forEach(e -> episodeById.put(e.id(), e));
        for (List<Integer> incident : incidents) {
            List<EpisodeRow> rows = incident.stream().map(episodes::get).toList();
            String border = borderNote(rows);
            Map<String, Step> steps = new LinkedHashMap<>();
            for (EpisodeRow e : rows) {
                step(
                        steps,
                        "reported",
                        e.reportedAt(),
                        e,
                        msg("child.event.reported." + e.category(), msg("missingFrom." + e.missingFrom())),
                        lastSeen(e),
                        null);
                step(steps, "found", e.foundAt(), e, msg("child.event.found"), found(e), border);
                step(steps, "safe_and_well", e.safeAndWellAt(), e, msg("child.event.safeAndWell"), null, null);
                step(steps, "ri_offered", e.returnInterviewOfferedAt(), e, msg("child.event.ri.offered"), null, null);
                if (e.returnInterviewAt() != null
                        && !"offered".equals(e.returnInterviewStatus())
                        && !"not_offered".equals(e.returnInterviewStatus())
                        && !"not_recorded".equals(e.returnInterviewStatus())) {
                    step(
                            steps,
                            "ri_" + e.returnInterviewStatus(),
                            e.returnInterviewAt(),
                            e,
                            msg("child.event.ri." + e.returnInterviewStatus()),
                            null,
                            null);
                }
                step(steps, "closed", e.closedAt(), e, msg("child.event.closed"), null, null);
            }
            if (border != null && !steps.containsKey("found")) {
                // Still missing, or no force recorded the find: the border shows on the report instead.
                steps.get("reported").note = border;
            }
            steps.values().forEach(s -> entries.add(s.entry()));
        }
        for (GradingRow g : gradings) {
            EpisodeRow e = episodeById.get(g.episodeId());
            entries.add(new Entry(
                    g.gradedAt(),
                    "missing",
                    msg("child.event.graded", riskLabel(g.grade())),
                    g.gradedBy() == null ? null : msg("child.event.by", g.gradedBy()),
                    null,
                    List.of(e.source())));
        }
        Map<Long, ConcernRow> concernById = new HashMap<>();
        for (ConcernRow c : concerns) {
            concernById.put(c.id(), c);
            entries.add(new Entry(
                    c.raisedAt(),
                    "concern",
                    msg("child.event.concernRaised"),
                    null,
                    null,
                    List.of(c.source()),
                    null,
                    c.when()));
            if (c.outcomeAt() != null && c.outcome() != null) {
                entries.add(new Entry(
                        c.outcomeAt(),
                        "concern",
                        msg("child.event.concernOutcome", msg("outcome." + c.outcome())),
                        null,
                        null,
                        List.of(c.source())));
            }
        }
        for (ScreeningRow s : screenings) {
            ConcernRow c = concernById.get(s.concernId());
            entries.add(new Entry(
                    s.assessedAt(),
                    "concern",
                    msg("child.event.screened", bandLabel(s)),
                    msg("child.event.by", s.assessedBy()),
                    null,
                    List.of(c.source())));
        }
        for (AlertInbox.AboutChild a : raised) {
            boolean ours = a.state() != null;
            entries.add(new Entry(
                    a.raisedAt(),
                    "alert",
                    msg("child.event.alert", a.ruleName()),
                    a.explanation(),
                    null,
                    List.of(),
                    new ChildPicture.Alert(
                            a.publicId(),
                            a.ruleName(),
                            a.explanation(),
                            a.routedTo(),
                            ours ? msg("alert.state." + a.state()) : null,
                            ours ? "/alerts/" + a.publicId() : null)));
        }
        // An entry whose date is not known at all sorts as the oldest.
        entries.sort(Comparator.comparing(Entry::at, Comparator.nullsFirst(Comparator.<Instant>naturalOrder()))
                .reversed());
        return entries;
    }

    /** A step of an incident: the earliest time any agency gives, and every agency's record of it. */
    private static final class Step {
        Instant at;
        final String kind;
        final String what;
        String detail;
        String note;
        final List<Source> sources = new ArrayList<>();

        Step(Instant at, String what, String detail, String note) {
            this.at = at;
            this.kind = "missing";
            this.what = what;
            this.detail = detail;
            this.note = note;
        }

        Entry entry() {
            return new Entry(at, kind, what, detail, note, List.copyOf(sources));
        }
    }

    private static void step(
            Map<String, Step> steps, String key, Instant at, EpisodeRow e, String what, String detail, String note) {
        if (at == null) {
            return;
        }
        Step step = steps.computeIfAbsent(key, k -> new Step(at, what, detail, note));
        if (at.isBefore(step.at)) {
            step.at = at;
        }
        if (step.detail == null) {
            step.detail = detail;
        }
        if (step.sources.stream().noneMatch(s -> s.href().equals(e.source().href()))) {
            step.sources.add(e.source());
        }
    }

    /**
     * Found outside the home force area: the incident was recorded by more than one police force. The first force
     * to record it is the home force (the area the child went missing from); the others are where the child was
     * found or turned up. Found force and authority are not stored on an episode, so this is what the records say.
     */
    private String borderNote(List<EpisodeRow> incident) {
        List<String> forces = incident.stream()
                .filter(e -> "police_force".equals(e.agencyType()))
                .map(EpisodeRow::agencyName)
                .distinct()
                .toList();
        if (forces.size() < 2) {
            return null;
        }
        return msg("child.border.outsideHomeForce", forces.get(0), String.join(", ", forces.subList(1, forces.size())));
    }

    private String lastSeen(EpisodeRow e) {
        String place = joinNonBlank(e.lastSeenPlace(), e.lastSeenPostcode());
        return place == null ? null : msg("child.where.lastSeen", place);
    }

    private String found(EpisodeRow e) {
        String place = joinNonBlank(e.foundPlace(), e.foundPostcode());
        String by = e.foundBy() == null || e.foundBy().isBlank() ? null : msg("child.where.foundBy", e.foundBy());
        String at = place == null ? null : msg("child.where.foundAt", place);
        return joinNonBlank(at, by);
    }

    private static String joinNonBlank(String a, String b) {
        boolean hasA = a != null && !a.isBlank();
        boolean hasB = b != null && !b.isBlank();
        if (hasA && hasB) {
            return a.strip() + ", " + b.strip();
        }
        return hasA ? a.strip() : hasB ? b.strip() : null;
    }

    // ---- connections and grab profile ----------------------------------------------------------------------------

    private List<Connection> connections(long identityId, List<EpisodeRow> episodes) {
        List<Connection> result = new ArrayList<>(jdbc.sql(
                        """
                WITH mine AS (
                    SELECT 'person_record' AS kind, pr.id FROM person_record pr WHERE pr.identity_id = :id
                    UNION ALL
                    SELECT 'concern', c.id FROM person_record pr JOIN exploitation_concern c ON c.person_record_id = pr.id
                    WHERE pr.identity_id = :id
                    UNION ALL
                    SELECT 'episode', e.id FROM person_record pr JOIN missing_episode e ON e.person_record_id = pr.id
                    WHERE pr.identity_id = :id),
                ends AS (
                    SELECT x.to_kind AS kind, x.to_id AS id, x.association_type, x.agency_id
                    FROM mine m JOIN association x ON x.from_kind = m.kind AND x.from_id = m.id
                    WHERE x.to_kind IN ('adult', 'location', 'vehicle', 'phone')
                    UNION
                    SELECT x.from_kind, x.from_id, x.association_type, x.agency_id
                    FROM mine m JOIN association x ON x.to_kind = m.kind AND x.to_id = m.id
                    WHERE x.from_kind IN ('adult', 'location', 'vehicle', 'phone'))
                SELECT DISTINCT en.kind, en.association_type, ag.name AS held_by, ad.given_name, ad.family_name,
                       ad.dob_year, l.kind AS location_kind, l.name AS location_name, l.postcode AS location_postcode,
                       v.registration, v.make, v.colour, p.number
                FROM ends en JOIN agency ag ON ag.id = en.agency_id
                LEFT JOIN adult_of_concern ad ON en.kind = 'adult' AND ad.id = en.id
                LEFT JOIN location l ON en.kind = 'location' AND l.id = en.id
                LEFT JOIN vehicle v ON en.kind = 'vehicle' AND v.id = en.id
                LEFT JOIN phone p ON en.kind = 'phone' AND p.id = en.id
                ORDER BY en.kind, held_by""")
                .param("id", identityId)
                .query((rs, n) -> new Connection(
                        msg("child.connection.kind." + rs.getString("kind")),
                        describe(rs),
                        msgOr("linkType." + rs.getString("association_type"), null, msg("child.connection.connected")),
                        rs.getString("held_by")))
                .list());
        for (EpisodeRow e : episodes) {
            String place = joinNonBlank(e.foundPlace(), e.foundPostcode());
            if (place != null) {
                result.add(new Connection(
                        msg("child.connection.kind.location"), place, msg("linkType.found_at"), e.agencyName()));
            }
        }
        // One line per adult, place, vehicle or phone and way of connection, naming every agency that holds it.
        Map<List<String>, Set<String>> holders = new LinkedHashMap<>();
        for (Connection c : result) {
            holders.computeIfAbsent(List.of(c.kind(), c.description(), c.how()), k -> new LinkedHashSet<>())
                    .add(c.heldBy());
        }
        return holders.entrySet().stream()
                .map(e -> new Connection(
                        e.getKey().get(0), e.getKey().get(1), e.getKey().get(2), String.join(", ", e.getValue())))
                .toList();
    }

    private String describe(ResultSet rs) throws SQLException {
        return switch (rs.getString("kind")) {
            case "adult" -> {
                String name = joinNonBlank(rs.getString("given_name"), null);
                String full =
                        ((name == null ? "" : name) + " " + Objects.toString(rs.getString("family_name"), "")).strip();
                Object year = rs.getObject("dob_year");
                yield (full.isEmpty() ? msg("child.value.notRecorded") : full)
                        + (year == null ? "" : " " + msg("child.connection.born", year.toString()));
            }
            case "location" -> Objects.requireNonNullElse(
                    joinNonBlank(
                            joinNonBlank(rs.getString("location_name"), rs.getString("location_postcode")),
                            rs.getString("location_kind") == null
                                    ? null
                                    : msgOr("locationKind." + rs.getString("location_kind"), null, null)),
                    msg("child.value.notRecorded"));
            case "vehicle" -> Objects.requireNonNullElse(
                    joinNonBlank(
                            rs.getString("registration"), joinNonBlank(rs.getString("colour"), rs.getString("make"))),
                    msg("child.value.notRecorded"));
            default -> Objects.requireNonNullElse(rs.getString("number"), msg("child.value.notRecorded"));
        };
    }

    private GrabProfile grabProfile(long identityId) {
        return jdbc.sql(
                        """
                SELECT g.recorded_at, a.name, g.description, g.clothing, g.associates, g.places_frequented, g.phones,
                       g.vulnerabilities
                FROM person_record pr JOIN missing_episode e ON e.person_record_id = pr.id
                JOIN grab_profile g ON g.episode_id = e.id JOIN agency a ON a.id = e.agency_id
                WHERE pr.identity_id = ? ORDER BY g.recorded_at DESC, g.id DESC LIMIT 1""")
                .param(identityId)
                .query((rs, n) -> new GrabProfile(
                        instant(rs, "recorded_at"),
                        rs.getString(2),
                        rs.getString(3),
                        rs.getString(4),
                        rs.getString(5),
                        rs.getString(6),
                        rs.getString(7),
                        rs.getString(8)))
                .optional()
                .orElse(null);
    }

    // ---- labels --------------------------------------------------------------------------------------------------

    private String riskLabel(String code) {
        return msgOr("risk." + code, null, msg("child.value.unlistedRisk"));
    }

    private String agencyType(String type) {
        return msg("child.agencyType." + type);
    }

    private String msg(String key, Object... args) {
        return messages.getMessage(key, args, LocaleContextHolder.getLocale());
    }

    private String msgOr(String key, Object[] args, String fallback) {
        return messages.getMessage(key, args, fallback, LocaleContextHolder.getLocale());
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }
}
