package org.sightline.statistics;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.sightline.shared.Disclosure;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * Issue 9 part 3 (DOMAIN.md "Reconciling LA and police counts"): for each authority and period, the looked-after
 * children missing over 24 hours as the authority recorded them (its own episodes, including SSDA903 Missing returns)
 * and as police forces recorded them, side by side and never blended: children counted by both (matched), by the
 * police only and by the authority only. Children are identities; a child is the authority's when a record the
 * authority holds says looked after, or any agency's record names it as responsible authority. An episode is over
 * 24 hours from last seen (or reported) to found, or to the end of the as-at day when still missing; it belongs to
 * the period it started in.
 */
@Service
public class Reconciliation {

    /** One authority's row. */
    public record Line(
            String code, String name, long authority, long police, long matched, long authorityOnly, long policeOnly) {}

    /** The authorities of the area ({@code la}), then {@code per}: a row per authority and child, as {@link #PER_CHILD}. */
    static final String AUTHORITIES =
            """
            WITH la AS (
              SELECT a.id, a.code, a.name FROM agency a WHERE a.agency_type = 'local_authority' AND %s),
            """
                    .formatted(Profiles.AREA_SQL);

    /** Each child's row per authority, computed from the records for the query's period and as-at day. */
    private static final String PER_CHILD = AUTHORITIES
            + """
            lac AS (
              SELECT la.id AS la_id, coalesce(pr.identity_id, -pr.id) AS child
              FROM la JOIN person_record pr ON pr.agency_id = la.id AND pr.care_status = 'looked_after'
              UNION
              SELECT la.id, coalesce(pr.identity_id, -pr.id) FROM la JOIN person_record pr ON pr.responsible_authority = la.code),
            ep AS (
              SELECT coalesce(pr.identity_id, -pr.id) AS child, e.agency_id, a.agency_type,
                     coalesce(e.last_seen_at, e.reported_at) AS start
              FROM missing_episode e JOIN person_record pr ON pr.id = e.person_record_id
              JOIN agency a ON a.id = e.agency_id
              WHERE (CAST(:from AS timestamptz) IS NULL OR coalesce(e.last_seen_at, e.reported_at) >= :from)
                AND (CAST(:to AS timestamptz) IS NULL OR coalesce(e.last_seen_at, e.reported_at) < :to)
                AND coalesce(e.last_seen_at, e.reported_at) < :asAtEnd
                AND least(coalesce(e.found_at, :asAtEnd), :asAtEnd) - coalesce(e.last_seen_at, e.reported_at) > interval '24 hours'),
            per AS (
              SELECT lac.la_id, lac.child, bool_or(ep.agency_id = lac.la_id) AS by_authority,
                     bool_or(ep.agency_type = 'police_force') AS by_police,
                     count(*) FILTER (WHERE ep.agency_id = lac.la_id) AS authority_episodes,
                     count(*) FILTER (WHERE ep.agency_type = 'police_force') AS police_episodes,
                     min(ep.start) FILTER (WHERE ep.agency_id = lac.la_id OR ep.agency_type = 'police_force') AS first_start
              FROM lac JOIN ep ON ep.child = lac.child GROUP BY lac.la_id, lac.child)
            """;

    /** The three lists behind an authority's row: children counted by both, by the authority only, by police only. */
    public enum Group {
        MATCHED("matched", "by_authority AND by_police"),
        AUTHORITY_ONLY("authority-only", "by_authority AND NOT by_police"),
        POLICE_ONLY("police-only", "by_police AND NOT by_authority");

        final String code;
        final String sql;

        Group(String code, String sql) {
            this.code = code;
            this.sql = sql;
        }

        static java.util.Optional<Group> fromCode(String code) {
            return java.util.Arrays.stream(values())
                    .filter(g -> g.code.equals(code))
                    .findFirst();
        }
    }

    /**
     * One child behind a row: the identity (negative for a record not yet resolved into a child), how many of its
     * episodes over 24 hours the authority and police recorded, and when the first of them started.
     */
    public record Child(long identityId, long authorityEpisodes, long policeEpisodes, java.time.Instant firstStart) {}

    private final JdbcClient jdbc;
    private final ReconciliationAggregate kept;

    Reconciliation(JdbcClient jdbc, ReconciliationAggregate kept) {
        this.jdbc = jdbc;
        this.kept = kept;
    }

    /**
     * The children of one authority's row and group, in the order they first went missing: from the rows kept for a
     * standard period ({@link ReconciliationAggregate}), else computed from the records.
     */
    public List<Child> children(ProfileQuery q, String authority, Group group) {
        return kept.children(q, authority, group).orElseGet(() -> computedChildren(q, authority, group));
    }

    /** One authority's row per authority of the area: from the kept rows for a standard period, else computed. */
    public List<Line> lines(ProfileQuery q) {
        return kept.lines(q).orElseGet(() -> computedLines(q));
    }

    List<Child> computedChildren(ProfileQuery q, String authority, Group group) {
        return children(jdbc, PER_CHILD, Profiles.params(q), authority, group);
    }

    List<Line> computedLines(ProfileQuery q) {
        return lines(jdbc, PER_CHILD, Profiles.params(q));
    }

    /** The children of one authority's row and group, from {@code perChild} ({@link #AUTHORITIES} and a {@code per}). */
    static List<Child> children(
            JdbcClient jdbc, String perChild, Map<String, Object> params, String authority, Group group) {
        return jdbc.sql(perChild
                        + """
                SELECT per.child, per.authority_episodes, per.police_episodes, per.first_start
                FROM la JOIN per ON per.la_id = la.id
                WHERE la.code = :authority AND %s
                ORDER BY per.first_start, per.child"""
                                .formatted(group.sql))
                .params(params)
                .param("authority", authority)
                .query((rs, n) -> new Child(
                        rs.getLong(1),
                        rs.getLong(2),
                        rs.getLong(3),
                        rs.getTimestamp(4).toInstant()))
                .list();
    }

    /** One row per authority of the area, from {@code perChild} ({@link #AUTHORITIES} and a {@code per}). */
    static List<Line> lines(JdbcClient jdbc, String perChild, Map<String, Object> params) {
        return jdbc.sql(
                        perChild
                                + """
                SELECT la.code, la.name,
                       count(*) FILTER (WHERE by_authority) AS authority, count(*) FILTER (WHERE by_police) AS police,
                       count(*) FILTER (WHERE by_authority AND by_police) AS matched,
                       count(*) FILTER (WHERE by_authority AND NOT by_police) AS authority_only,
                       count(*) FILTER (WHERE by_police AND NOT by_authority) AS police_only
                FROM la JOIN per ON per.la_id = la.id
                GROUP BY la.code, la.name HAVING bool_or(by_authority OR by_police)
                ORDER BY la.name, la.code""")
                .params(params)
                .query((rs, n) -> new Line(
                        rs.getString(1),
                        rs.getString(2),
                        rs.getLong(3),
                        rs.getLong(4),
                        rs.getLong(5),
                        rs.getLong(6),
                        rs.getLong(7)))
                .list();
    }

    /** Rows in order with a total row; secondary suppression over both the rows' and the columns' sums. */
    static List<List<String>> published(List<Line> lines, boolean suppress, String totalLabel) {
        int cols = 5;
        int rows = lines.size() + 1;
        long[] v = new long[rows * cols];
        for (int r = 0; r < lines.size(); r++) {
            Line l = lines.get(r);
            long[] row = {l.authority(), l.police(), l.matched(), l.authorityOnly(), l.policeOnly()};
            for (int c = 0; c < cols; c++) {
                v[r * cols + c] = row[c];
                v[lines.size() * cols + c] += row[c];
            }
        }
        List<int[]> groups = new ArrayList<>();
        for (int r = 0; r < rows; r++) {
            int b = r * cols;
            groups.add(new int[] {b, b + 2, b + 3}); // authority = matched + authority only
            groups.add(new int[] {b + 1, b + 2, b + 4}); // police = matched + police only
        }
        for (int c = 0; c < cols; c++) {
            int[] g = new int[rows];
            for (int r = 0; r < rows; r++) {
                g[r] = r * cols + c;
            }
            groups.add(g);
        }
        boolean[] hidden = suppress ? Disclosure.suppress(v, groups) : new boolean[v.length];
        List<List<String>> out = new ArrayList<>();
        for (int r = 0; r < rows; r++) {
            List<String> row = new ArrayList<>();
            row.add(r < lines.size() ? lines.get(r).name() + " (" + lines.get(r).code() + ")" : totalLabel);
            for (int c = 0; c < cols; c++) {
                row.add(hidden[r * cols + c] ? Disclosure.SUPPRESSED : Long.toString(v[r * cols + c]));
            }
            out.add(row);
        }
        return out;
    }
}
