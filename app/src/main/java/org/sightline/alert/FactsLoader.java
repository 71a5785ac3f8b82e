package org.sightline.alert;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Loads {@link ChildFacts} for identities: every agency's records, never one record (issue 8). A fixed handful of
 * queries per batch of children, each by identity.
 */
@Component
class FactsLoader {

    /**
     * Each child's associations with anything, as alert_child_link has them, for the identities in the one parameter: found
     * through the child's own records, episodes and concerns and the association's end indexes, never by scanning
     * the view (whose record column is computed, so a filter on it cannot use an index).
     */
    private static final String LINKS =
            """
            WITH recs AS (SELECT pr.id, pr.identity_id FROM person_record pr WHERE pr.identity_id = ANY(?)),
            mine AS (
                SELECT 'person_record' AS kind, r.id, r.identity_id FROM recs r
                UNION ALL
                SELECT 'episode', e.id, r.identity_id FROM recs r JOIN missing_episode e ON e.person_record_id = r.id
                UNION ALL
                SELECT 'concern', c.id, r.identity_id FROM recs r JOIN exploitation_concern c ON c.person_record_id = r.id),
            links AS (
                SELECT m.identity_id, x.id AS association_id, x.agency_id, x.association_type,
                       coalesce(x.observed_at, x.created_at) AS observed_at, x.to_kind AS other_kind, x.to_id AS other_id
                FROM mine m JOIN association x ON x.from_kind = m.kind AND x.from_id = m.id
                UNION ALL
                SELECT m.identity_id, x.id, x.agency_id, x.association_type, coalesce(x.observed_at, x.created_at),
                       x.from_kind, x.from_id
                FROM mine m JOIN association x ON x.to_kind = m.kind AND x.to_id = m.id)""";

    private final JdbcClient jdbc;

    FactsLoader(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * The facts of many children at once (the worker's batch): the same handful of queries whatever the number of
     * children, each by {@code identity_id = ANY(...)}, then split by identity. Every identity asked for is in the
     * result, with empty lists when it has no records.
     */
    Map<Long, ChildFacts> loadAll(Collection<Long> identityIds, Instant now) {
        Long[] ids = identityIds.toArray(Long[]::new);
        Map<Long, List<ChildFacts.Rec>> records = byIdentity(jdbc.sql(
                        """
                SELECT pr.identity_id, pr.id, pr.agency_id, a.agency_type, a.code, a.name, pr.dob_year, pr.dob_month,
                       pr.dob_day, pr.care_status, pr.responsible_authority
                FROM person_record pr JOIN agency a ON a.id = pr.agency_id WHERE pr.identity_id = ANY(?)
                ORDER BY pr.identity_id, pr.id""")
                .param(ids)
                .query((rs, n) -> Map.entry(
                        rs.getLong(1),
                        new ChildFacts.Rec(
                                rs.getLong(2),
                                rs.getLong(3),
                                rs.getString(4),
                                rs.getString(5),
                                rs.getString(6),
                                integer(rs, 7),
                                integer(rs, 8),
                                integer(rs, 9),
                                rs.getString(10),
                                rs.getString(11))))
                .list());
        Map<Long, List<ChildFacts.Placement>> placements = byIdentity(jdbc.sql(
                        """
                SELECT pr.identity_id, p.person_record_id, pr.agency_id, a.agency_type, p.placement_start,
                       p.placement_end, p.host_authority
                FROM person_placement p JOIN person_record pr ON pr.id = p.person_record_id
                JOIN agency a ON a.id = pr.agency_id WHERE pr.identity_id = ANY(?)""")
                .param(ids)
                .query((rs, n) -> Map.entry(
                        rs.getLong(1),
                        new ChildFacts.Placement(
                                rs.getLong(2),
                                rs.getLong(3),
                                rs.getString(4),
                                rs.getObject(5, LocalDate.class),
                                rs.getObject(6, LocalDate.class),
                                rs.getString(7))))
                .list());
        Map<Long, List<ChildFacts.Episode>> episodes = byIdentity(jdbc.sql(
                        """
                SELECT pr.identity_id, e.id, e.agency_id, a.name, a.agency_type, coalesce(e.last_seen_at, e.reported_at),
                       e.found_at, e.missing_from, e.return_interview_status, e.return_interview_at, f.id, f.name
                FROM missing_episode e JOIN person_record pr ON pr.id = e.person_record_id
                JOIN agency a ON a.id = e.agency_id
                LEFT JOIN LATERAL (
                    SELECT fa.id, fa.name FROM episode_event ev JOIN agency fa ON fa.name = ev.recorded_by_agency
                    WHERE ev.episode_id = e.id AND ev.event_type = 'found' AND fa.agency_type = 'police_force'
                    ORDER BY ev.id DESC LIMIT 1) f ON true
                WHERE pr.identity_id = ANY(?) AND e.category = 'missing' ORDER BY pr.identity_id, e.id""")
                .param(ids)
                .query((rs, n) -> Map.entry(
                        rs.getLong(1),
                        new ChildFacts.Episode(
                                rs.getLong(2),
                                rs.getLong(3),
                                rs.getString(4),
                                rs.getString(5),
                                instant(rs, 6),
                                instant(rs, 7),
                                rs.getString(8),
                                rs.getString(9),
                                instant(rs, 10),
                                (Long) rs.getObject(11),
                                rs.getString(12))))
                .list());
        Map<Long, List<ChildFacts.Screening>> screenings = byIdentity(jdbc.sql(
                        """
                SELECT pr.identity_id, s.id, c.agency_id, a.name, coalesce(s.override_band, s.band), s.assessed_at,
                       NOT EXISTS (SELECT 1 FROM screening later WHERE later.concern_id = s.concern_id
                                   AND (later.assessed_at, later.id) > (s.assessed_at, s.id)),
                       c.status <> 'closed'
                FROM screening s JOIN exploitation_concern c ON c.id = s.concern_id
                JOIN person_record pr ON pr.id = c.person_record_id JOIN agency a ON a.id = c.agency_id
                WHERE pr.identity_id = ANY(?)""")
                .param(ids)
                .query((rs, n) -> Map.entry(
                        rs.getLong(1),
                        new ChildFacts.Screening(
                                rs.getLong(2),
                                rs.getLong(3),
                                rs.getString(4),
                                rs.getString(5),
                                instant(rs, 6),
                                rs.getBoolean(7),
                                rs.getBoolean(8))))
                .list());
        // Places: other children (identities) linked to the same place who were missing or exploited, and how many
        // of them come from another area (their responsible authority, else their records' agencies) than this child.
        Map<Long, List<ChildFacts.Link>> links = byIdentity(jdbc.sql(
                        LINKS
                                + """
                , my_areas AS (
                    SELECT pr.identity_id, array_agg(DISTINCT coalesce(pr.responsible_authority, a.code)) AS areas
                    FROM recs r JOIN person_record pr ON pr.id = r.id JOIN agency a ON a.id = pr.agency_id
                    WHERE pr.responsible_authority IS NOT NULL OR a.agency_type = 'local_authority'
                    GROUP BY pr.identity_id)
                SELECT l.identity_id, l.association_id, l.other_kind, l.other_id, l.association_type, l.agency_id, a.name,
                       a.agency_type, l.observed_at, ad.adult_ref, loc.location_ref, loc.name, loc.postcode,
                       coalesce(o.children, 0), coalesce(o.other_area, 0), coalesce(o.area_unknown, 0)
                FROM links l JOIN agency a ON a.id = l.agency_id
                LEFT JOIN my_areas ma ON ma.identity_id = l.identity_id
                LEFT JOIN adult_of_concern ad ON l.other_kind = 'adult' AND ad.id = l.other_id
                LEFT JOIN location loc ON l.other_kind = 'location' AND loc.id = l.other_id
                LEFT JOIN LATERAL (
                    SELECT count(*) AS children,
                           count(*) FILTER (WHERE c.areas IS NOT NULL AND ma.areas IS NOT NULL
                                            AND NOT c.areas && ma.areas) AS other_area,
                           count(*) FILTER (WHERE c.areas IS NULL OR ma.areas IS NULL) AS area_unknown
                    FROM (SELECT opr.identity_id,
                                 array_agg(DISTINCT coalesce(x.responsible_authority, xa.code))
                                     FILTER (WHERE x.responsible_authority IS NOT NULL
                                             OR xa.agency_type = 'local_authority') AS areas
                          FROM alert_child_link ol JOIN person_record opr ON opr.id = ol.person_record_id
                          JOIN person_record x ON x.identity_id = opr.identity_id JOIN agency xa ON xa.id = x.agency_id
                          -- The same place however each agency wrote it down (network.place), else the same recording.
                          WHERE ol.other_kind = 'location'
                            AND ol.other_id = ANY(ARRAY(SELECT same.id FROM location same
                                                        WHERE same.place_id = loc.place_id) || l.other_id)
                            AND opr.identity_id IS NOT NULL AND opr.identity_id <> l.identity_id
                            AND (EXISTS (SELECT 1 FROM missing_episode e JOIN person_record y ON y.id = e.person_record_id
                                         WHERE y.identity_id = opr.identity_id)
                                 OR EXISTS (SELECT 1 FROM exploitation_concern c JOIN person_record y
                                            ON y.id = c.person_record_id WHERE y.identity_id = opr.identity_id))
                          GROUP BY opr.identity_id) c) o ON l.other_kind = 'location'
                WHERE l.other_kind IN ('adult', 'location')
                ORDER BY l.identity_id, l.association_id""")
                .param(ids)
                .query((rs, n) -> Map.entry(
                        rs.getLong(1),
                        new ChildFacts.Link(
                                rs.getLong(2),
                                rs.getString(3),
                                rs.getLong(4),
                                "adult".equals(rs.getString(3)) ? rs.getString(10) : rs.getString(11),
                                rs.getString(12),
                                rs.getString(13),
                                rs.getString(5),
                                rs.getLong(6),
                                rs.getString(7),
                                rs.getString(8),
                                instant(rs, 9),
                                rs.getInt(14),
                                rs.getInt(15),
                                rs.getInt(16))))
                .list());
        // Episodes of other children this child is associated with (child to child associations).
        Map<Long, List<ChildFacts.AssociatedEpisode>> together = byIdentity(jdbc.sql(
                        LINKS
                                + """
                SELECT DISTINCT l.identity_id, l.association_id, e.id, coalesce(e.last_seen_at, e.reported_at),
                       e.found_at, a.name
                FROM links l
                JOIN person_record other ON other.id = CASE l.other_kind
                     WHEN 'person_record' THEN l.other_id
                     WHEN 'episode' THEN (SELECT person_record_id FROM missing_episode WHERE id = l.other_id)
                     WHEN 'concern' THEN (SELECT person_record_id FROM exploitation_concern WHERE id = l.other_id) END
                JOIN person_record sib ON sib.identity_id = other.identity_id OR sib.id = other.id
                JOIN missing_episode e ON e.person_record_id = sib.id AND e.category = 'missing'
                JOIN agency a ON a.id = e.agency_id
                WHERE l.other_kind IN ('person_record', 'episode', 'concern')
                  AND other.identity_id IS DISTINCT FROM l.identity_id""")
                .param(ids)
                .query((rs, n) -> Map.entry(
                        rs.getLong(1),
                        new ChildFacts.AssociatedEpisode(
                                rs.getLong(2), rs.getLong(3), instant(rs, 4), instant(rs, 5), rs.getString(6))))
                .list());
        Map<Long, ChildFacts> result = new LinkedHashMap<>();
        for (Long id : ids) {
            result.put(
                    id,
                    new ChildFacts(
                            now,
                            records.getOrDefault(id, List.of()),
                            placements.getOrDefault(id, List.of()),
                            episodes.getOrDefault(id, List.of()),
                            screenings.getOrDefault(id, List.of()),
                            links.getOrDefault(id, List.of()),
                            together.getOrDefault(id, List.of())));
        }
        return result;
    }

    /** Rows keyed by identity into one list per identity, keeping the rows' order. */
    private static <T> Map<Long, List<T>> byIdentity(List<Map.Entry<Long, T>> rows) {
        Map<Long, List<T>> out = new HashMap<>();
        rows.forEach(
                r -> out.computeIfAbsent(r.getKey(), k -> new ArrayList<>()).add(r.getValue()));
        return out;
    }

    private static Integer integer(ResultSet rs, int column) throws SQLException {
        int v = rs.getInt(column);
        return rs.wasNull() ? null : v;
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }
}
