package org.sightline.child;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.sightline.access.AgencyScope;
import org.sightline.access.Roles;
import org.sightline.access.SightlineUser;
import org.sightline.audit.AuditEntry;
import org.sightline.audit.AuditLog;
import org.sightline.concern.ScreeningInstrument;
import org.sightline.concern.ScreeningInstruments;
import org.sightline.intake.EpisodeClock;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The home page's work lists (PRODUCT.md C4): per agency, the children it has a relationship with who are missing
 * now, whose return interview is due or overdue, who are at high risk, and its records awaiting identity review.
 * Rows are children, not records: an incident recorded by police and authority is one row. Each list is one
 * indexed query, sorted in SQL by a whitelisted column so it works without JavaScript, and capped at
 * {@link #ROWS} rows with the full count beside it.
 */
@Service
public class WorkLists {

    static final int ROWS = 100;
    /** Return interviews still outstanding this long after the find are listed; older ones are the audit's business. */
    static final Duration OVERDUE_WINDOW = Duration.ofDays(28);
    /** A screening older than this no longer says the child is at high risk now; it is due for reassessment. */
    static final Duration SCREENING_CURRENT = Duration.ofDays(365);

    /** A child, by identity where one is known, else by the record. */
    private static final String CHILD_KEY = "coalesce(pr.identity_id, -pr.id)";
    /**
     * The child's responsible authorities as any of its records names them (the episode's own record may not), for
     * a grouped row {@code c} with {@code identity} and {@code person_id}: evaluated for the shown rows only.
     */
    private static final String RESPONSIBLE_OF_CHILD =
            """
            (SELECT string_agg(DISTINCT coalesce(ra.name, x.responsible_authority), ', ')
             FROM person_record x LEFT JOIN agency ra ON ra.code = x.responsible_authority
             WHERE x.responsible_authority IS NOT NULL AND (x.identity_id = c.identity OR x.id = c.person_id))""";

    private static final String RISK_RANK =
            """
            CASE e.current_risk_grade WHEN 'high' THEN 4 WHEN 'medium' THEN 3 WHEN 'low' THEN 2
                 WHEN 'very_low' THEN 1 WHEN 'absent' THEN 1 ELSE 0 END""";

    /** One child in a list. {@code href} is the child's page, or the record's while no identity is known. */
    public record Row(
            String href,
            String name,
            String riskGrade,
            Instant since,
            long hoursSince,
            Instant dueAt,
            boolean overdue,
            String reportingAgencies,
            String responsibleAgencies,
            String reason) {}

    public record WorkList(String id, List<Row> rows, int total, String sort, List<String> sorts) {}

    /** The sort options of each list, the first being the default; values are SQL over the list's columns. */
    private static final Map<String, Map<String, String>> SORTS = Map.of(
            "missing", Map.of("risk", "risk_rank DESC, since", "time", "since", "name", "lower(name), since"),
            "interviews", Map.of("due", "due_at", "name", "lower(name), due_at"),
            "risk", Map.of("risk", "risk_rank DESC, since DESC", "name", "lower(name)"),
            "reviews", Map.of("age", "since", "name", "lower(name), since"));

    private static final Map<String, List<String>> SORT_ORDER = Map.of(
            "missing",
            List.of("risk", "time", "name"),
            "interviews",
            List.of("due", "name"),
            "risk",
            List.of("risk", "name"),
            "reviews",
            List.of("age", "name"));

    private final JdbcClient jdbc;
    private final ScreeningInstruments instruments;
    private final AuditLog audit;
    private final AgencyScope scope;
    private final Clock clock;

    WorkLists(JdbcClient jdbc, ScreeningInstruments instruments, AuditLog audit, AgencyScope scope, Clock clock) {
        this.scope = scope;
        this.jdbc = jdbc;
        this.instruments = instruments;
        this.audit = audit;
        this.clock = clock;
    }

    /** The lists the user's roles work: casework lists for caseworkers, the review list for supervisors. */
    @Transactional
    public List<WorkList> forUser(SightlineUser user, Map<String, String> sortByList) {
        List<WorkList> lists = new java.util.ArrayList<>();
        if (user.worksCases()) {
            lists.add(missingNow(user, sort("missing", sortByList)));
            lists.add(interviews(user, sort("interviews", sortByList)));
            lists.add(highRisk(user, sort("risk", sortByList)));
        }
        if (user.hasRole(Roles.SUPERVISOR)) {
            lists.add(reviews(user, sort("reviews", sortByList)));
        }
        if (!lists.isEmpty()) {
            audit.record(AuditEntry.of(user.username(), user.agencyCode(), "LIST", "work_list", null)
                    .withDetails(lists.stream()
                            .map(l -> l.id() + "=" + l.total())
                            .reduce((a, b) -> a + ";" + b)
                            .orElse("")));
        }
        return lists;
    }

    /** A requested sort when it is one of the list's, else the list's default: never SQL from the request. */
    private static String sort(String list, Map<String, String> requested) {
        String wanted = requested.get(list);
        return SORTS.get(list).containsKey(Objects.requireNonNullElse(wanted, ""))
                ? wanted
                : SORT_ORDER.get(list).get(0);
    }

    WorkList missingNow(SightlineUser user, String sort) {
        String sql = missingSql(sort);
        Instant now = clock.instant();
        return list(
                "missing",
                sort,
                sql,
                user,
                Map.of(),
                rs -> new Row(
                        href(rs),
                        rs.getString("name"),
                        rs.getString("risk"),
                        instant(rs, "since"),
                        hours(instant(rs, "since"), now),
                        null,
                        false,
                        rs.getString("reporting"),
                        rs.getString("responsible"),
                        null));
    }

    /**
     * Return interviews due or overdue: open episodes found in the window whose interview is neither completed nor
     * declined, unless another record of the same child found within a day of it (another agency's record of the
     * same find) has it completed or declined; one row per child, due from the earliest outstanding find. The clock
     * is {@link EpisodeClock#RETURN_INTERVIEW_WITHIN} from the find.
     */
    WorkList interviews(SightlineUser user, String sort) {
        String sql = interviewsSql(sort);
        Instant now = clock.instant();
        return list(
                "interviews",
                sort,
                sql,
                user,
                Map.of(
                        "windowStart",
                        Timestamp.from(now.minus(OVERDUE_WINDOW)),
                        "now",
                        Timestamp.from(now),
                        "within",
                        EpisodeClock.RETURN_INTERVIEW_WITHIN.toSeconds()),
                rs -> {
                    Instant due = instant(rs, "due_at");
                    return new Row(
                            href(rs),
                            rs.getString("name"),
                            null,
                            instant(rs, "since"),
                            hours(instant(rs, "since"), now),
                            due,
                            now.isAfter(due),
                            rs.getString("reporting"),
                            rs.getString("responsible"),
                            null);
                });
    }

    /**
     * High risk now: missing and graded high, or an open exploitation concern whose latest screening, within the
     * last {@link #SCREENING_CURRENT}, is in the instrument's top band.
     */
    WorkList highRisk(SightlineUser user, String sort) {
        String sql = highRiskSql(sort);
        String topBands = instruments.all().stream()
                .map(ScreeningInstrument::bands)
                .filter(b -> !b.isEmpty())
                .map(b -> b.get(b.size() - 1).id())
                .distinct()
                .collect(java.util.stream.Collectors.joining(","));
        Instant now = clock.instant();
        Map<String, Object> params =
                Map.of("topBands", topBands, "screenedSince", Timestamp.from(now.minus(SCREENING_CURRENT)));
        return list(
                "risk",
                sort,
                sql,
                user,
                params,
                rs -> new Row(
                        href(rs),
                        rs.getString("name"),
                        null,
                        instant(rs, "since"),
                        hours(instant(rs, "since"), now),
                        null,
                        false,
                        rs.getString("reporting"),
                        null,
                        rs.getString("reason")));
    }

    /** Pairs awaiting a supervisor's decision where one record is the agency's own; oldest first by default. */
    WorkList reviews(SightlineUser user, String sort) {
        String sql =
                """
                WITH pairs AS (
                    SELECT r.public_id, r.created_at AS since, r.probability,
                           CASE WHEN a.agency_id = :agencyId
                                THEN trim(coalesce(a.given_name, '') || ' ' || coalesce(a.family_name, ''))
                                ELSE trim(coalesce(b.given_name, '') || ' ' || coalesce(b.family_name, '')) END AS name,
                           CASE WHEN a.agency_id = :agencyId THEN ob.name ELSE oa.name END AS other_agency
                    FROM identity_review r
                    JOIN person_record a ON a.id = r.record_a JOIN agency oa ON oa.id = a.agency_id
                    JOIN person_record b ON b.id = r.record_b JOIN agency ob ON ob.id = b.agency_id
                    WHERE r.status = 'open' AND (a.agency_id = :agencyId OR b.agency_id = :agencyId))
                SELECT *, count(*) OVER () AS total FROM pairs ORDER BY %s LIMIT %d"""
                        .formatted(SORTS.get("reviews").get(sort), ROWS);
        return list(
                "reviews",
                sort,
                sql,
                user,
                Map.of(),
                rs -> new Row(
                        "/identity-reviews/" + rs.getObject("public_id"),
                        rs.getString("name"),
                        null,
                        instant(rs, "since"),
                        hours(instant(rs, "since"), clock.instant()),
                        null,
                        false,
                        rs.getString("other_agency"),
                        null,
                        String.valueOf(Math.round(rs.getDouble("probability") * 100))));
    }

    static String missingSql(String sort) {
        return """
                WITH open AS (
                    SELECT %s AS child_key, i.public_id AS identity_id, pr.public_id AS record_id,
                           trim(coalesce(pr.given_name, '') || ' ' || coalesce(pr.family_name, '')) AS name,
                           pr.agency_id = :agencyId AS own, e.current_risk_grade, %s AS risk_rank,
                           coalesce(e.last_seen_at, e.reported_at) AS since, a.name AS reporting,
                           pr.identity_id AS identity, pr.id AS person_id
                    FROM missing_episode e JOIN person_record pr ON pr.id = e.person_record_id
                    JOIN agency a ON a.id = e.agency_id
                    LEFT JOIN identity i ON i.id = pr.identity_id
                    WHERE e.found_at IS NULL AND e.status <> 'closed' AND %s),
                children AS (
                    SELECT child_key, (array_agg(identity_id))[1] AS identity_id,
                           (array_agg(record_id ORDER BY own DESC))[1] AS record_id,
                           (array_agg(name ORDER BY own DESC))[1] AS name,
                           (array_agg(current_risk_grade ORDER BY risk_rank DESC))[1] AS risk, max(risk_rank) AS risk_rank,
                           min(since) AS since, string_agg(DISTINCT reporting, ', ') AS reporting,
                           (array_agg(identity))[1] AS identity, (array_agg(person_id))[1] AS person_id
                    FROM open GROUP BY child_key)
                SELECT c.*, %s AS responsible, count(*) OVER () AS total FROM children c ORDER BY %s LIMIT %d"""
                .formatted(
                        CHILD_KEY,
                        RISK_RANK,
                        AgencyScope.VISIBLE_RECORD_SQL,
                        RESPONSIBLE_OF_CHILD,
                        SORTS.get("missing").get(sort),
                        ROWS);
    }

    static String interviewsSql(String sort) {
        return """
                WITH outstanding AS (
                    SELECT %s AS child_key, i.public_id AS identity_id, pr.public_id AS record_id, pr.identity_id AS identity,
                           pr.id AS person_id,
                           trim(coalesce(pr.given_name, '') || ' ' || coalesce(pr.family_name, '')) AS name,
                           pr.agency_id = :agencyId AS own, e.found_at, a.name AS reporting
                    FROM missing_episode e JOIN person_record pr ON pr.id = e.person_record_id
                    JOIN agency a ON a.id = e.agency_id
                    LEFT JOIN identity i ON i.id = pr.identity_id
                    WHERE e.found_at >= :windowStart AND e.found_at <= :now AND e.status <> 'closed'
                      AND e.return_interview_status NOT IN ('completed', 'declined') AND %s
                      -- Another agency's record of the same find (within a day) may hold the interview.
                      AND NOT EXISTS (
                          SELECT 1 FROM person_record x JOIN missing_episode y ON y.person_record_id = x.id
                          WHERE (x.identity_id = pr.identity_id OR x.id = pr.id)
                            AND y.found_at BETWEEN e.found_at - interval '24 hours' AND e.found_at + interval '24 hours'
                            AND y.return_interview_status IN ('completed', 'declined'))),
                children AS (
                    SELECT child_key, (array_agg(identity_id))[1] AS identity_id,
                           (array_agg(record_id ORDER BY own DESC))[1] AS record_id,
                           (array_agg(name ORDER BY own DESC))[1] AS name,
                           (array_agg(identity))[1] AS identity, (array_agg(person_id))[1] AS person_id,
                           min(found_at) AS since, min(found_at) + :within * interval '1 second' AS due_at,
                           string_agg(DISTINCT reporting, ', ') AS reporting
                    FROM outstanding GROUP BY child_key)
                SELECT c.*, %s AS responsible, count(*) OVER () AS total FROM children c
                ORDER BY %s LIMIT %d"""
                .formatted(
                        CHILD_KEY,
                        AgencyScope.VISIBLE_RECORD_SQL,
                        RESPONSIBLE_OF_CHILD,
                        SORTS.get("interviews").get(sort),
                        ROWS);
    }

    static String highRiskSql(String sort) {
        return """
                WITH flagged AS (
                    SELECT %1$s AS child_key, i.public_id AS identity_id, pr.public_id AS record_id,
                           trim(coalesce(pr.given_name, '') || ' ' || coalesce(pr.family_name, '')) AS name,
                           pr.agency_id = :agencyId AS own, 2 AS risk_rank, coalesce(e.last_seen_at, e.reported_at) AS since,
                           a.name AS reporting, 'missing' AS reason
                    FROM missing_episode e JOIN person_record pr ON pr.id = e.person_record_id
                    JOIN agency a ON a.id = e.agency_id LEFT JOIN identity i ON i.id = pr.identity_id
                    WHERE e.found_at IS NULL AND e.status <> 'closed' AND e.current_risk_grade = 'high' AND %2$s
                    UNION ALL
                    SELECT %1$s, i.public_id, pr.public_id,
                           trim(coalesce(pr.given_name, '') || ' ' || coalesce(pr.family_name, '')),
                           pr.agency_id = :agencyId, 1, s.assessed_at, a.name, 'concern'
                    FROM screening s JOIN exploitation_concern c ON c.id = s.concern_id
                    JOIN person_record pr ON pr.id = c.person_record_id
                    JOIN agency a ON a.id = c.agency_id LEFT JOIN identity i ON i.id = pr.identity_id
                    WHERE coalesce(s.override_band, s.band) = ANY(string_to_array(:topBands, ','))
                      AND s.assessed_at >= :screenedSince AND c.status <> 'closed'
                      -- the concern's latest screening
                      AND NOT EXISTS (SELECT 1 FROM screening later WHERE later.concern_id = s.concern_id
                                      AND (later.assessed_at, later.id) > (s.assessed_at, s.id))
                      AND %2$s),
                children AS (
                    SELECT child_key, (array_agg(identity_id))[1] AS identity_id,
                           (array_agg(record_id ORDER BY own DESC))[1] AS record_id,
                           (array_agg(name ORDER BY own DESC))[1] AS name, max(risk_rank) AS risk_rank,
                           max(since) AS since, string_agg(DISTINCT reporting, ', ') AS reporting,
                           string_agg(DISTINCT reason, ',' ORDER BY reason DESC) AS reason
                    FROM flagged GROUP BY child_key)
                SELECT *, count(*) OVER () AS total FROM children ORDER BY %3$s LIMIT %4$d"""
                .formatted(
                        CHILD_KEY,
                        AgencyScope.VISIBLE_RECORD_SQL,
                        SORTS.get("risk").get(sort),
                        ROWS);
    }

    private interface RowMapper {
        Row map(ResultSet rs) throws SQLException;
    }

    private WorkList list(
            String id, String sort, String sql, SightlineUser user, Map<String, Object> params, RowMapper mapper) {
        int[] total = {0};
        List<Row> rows = jdbc.sql(sql)
                .params(scope.sqlParams(user))
                .params(params)
                .query((rs, n) -> {
                    total[0] = rs.getInt("total");
                    return mapper.map(rs);
                })
                .list();
        return new WorkList(id, rows, total[0], sort, SORT_ORDER.get(id));
    }

    private static String href(ResultSet rs) throws SQLException {
        UUID identity = rs.getObject("identity_id", UUID.class);
        return identity != null ? "/children/" + identity : "/records/" + rs.getObject("record_id", UUID.class);
    }

    private static long hours(Instant since, Instant now) {
        return since == null ? 0 : Math.max(0, Duration.between(since, now).toHours());
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }
}
