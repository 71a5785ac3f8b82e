package org.sightline.alert;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Loads {@link ChildFacts} for one identity: every agency's records, never one record (issue 8). A fixed handful of
 * queries per child, each by identity.
 */
@Component
class FactsLoader {

    /** The child's records, episodes and concerns as (kind, id), for association ends. */
    private static final String MINE = """
            WITH recs AS (SELECT id FROM person_record WHERE identity_id = :identity)""";

    private final JdbcClient jdbc;

    FactsLoader(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    ChildFacts load(long identityId, Instant now) {
        List<ChildFacts.Rec> records = jdbc.sql("""
                SELECT pr.id, pr.agency_id, a.agency_type, a.code, a.name, pr.dob_year, pr.dob_month, pr.dob_day,
                       pr.care_status, pr.responsible_authority
                FROM person_record pr JOIN agency a ON a.id = pr.agency_id WHERE pr.identity_id = ? ORDER BY pr.id""")
                .param(identityId)
                .query((rs, n) -> new ChildFacts.Rec(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4),
                        rs.getString(5), integer(rs, 6), integer(rs, 7), integer(rs, 8), rs.getString(9),
                        rs.getString(10))).list();
        List<ChildFacts.Placement> placements = jdbc.sql("""
                SELECT p.person_record_id, pr.agency_id, a.agency_type, p.placement_start, p.placement_end, p.host_authority
                FROM person_placement p JOIN person_record pr ON pr.id = p.person_record_id
                JOIN agency a ON a.id = pr.agency_id WHERE pr.identity_id = ?""")
                .param(identityId)
                .query((rs, n) -> new ChildFacts.Placement(rs.getLong(1), rs.getLong(2), rs.getString(3),
                        rs.getObject(4, LocalDate.class), rs.getObject(5, LocalDate.class), rs.getString(6))).list();
        List<ChildFacts.Episode> episodes = jdbc.sql("""
                SELECT e.id, e.agency_id, a.name, a.agency_type, coalesce(e.last_seen_at, e.reported_at), e.found_at,
                       e.missing_from, e.return_interview_status, e.return_interview_at, f.id, f.name
                FROM missing_episode e JOIN person_record pr ON pr.id = e.person_record_id
                JOIN agency a ON a.id = e.agency_id
                LEFT JOIN LATERAL (
                    SELECT fa.id, fa.name FROM episode_event ev JOIN agency fa ON fa.name = ev.recorded_by_agency
                    WHERE ev.episode_id = e.id AND ev.event_type = 'found' AND fa.agency_type = 'police_force'
                    ORDER BY ev.id DESC LIMIT 1) f ON true
                WHERE pr.identity_id = ? AND e.category = 'missing' ORDER BY e.id""")
                .param(identityId)
                .query((rs, n) -> new ChildFacts.Episode(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4),
                        instant(rs, 5), instant(rs, 6), rs.getString(7), rs.getString(8), instant(rs, 9),
                        (Long) rs.getObject(10), rs.getString(11))).list();
        List<ChildFacts.Screening> screenings = jdbc.sql("""
                SELECT s.id, c.agency_id, a.name, coalesce(s.override_band, s.band), s.assessed_at,
                       NOT EXISTS (SELECT 1 FROM screening later WHERE later.concern_id = s.concern_id
                                   AND (later.assessed_at, later.id) > (s.assessed_at, s.id)),
                       c.status <> 'closed'
                FROM screening s JOIN exploitation_concern c ON c.id = s.concern_id
                JOIN person_record pr ON pr.id = c.person_record_id JOIN agency a ON a.id = c.agency_id
                WHERE pr.identity_id = ?""")
                .param(identityId)
                .query((rs, n) -> new ChildFacts.Screening(rs.getLong(1), rs.getLong(2), rs.getString(3),
                        rs.getString(4), instant(rs, 5), rs.getBoolean(6), rs.getBoolean(7))).list();
        // Places: other children (identities) linked to the same place who were missing or exploited, and how many
        // of them come from another area (their responsible authority, else their records' agencies) than this child.
        List<ChildFacts.Link> links = jdbc.sql(MINE + """
                , my_areas AS (
                    SELECT coalesce(pr.responsible_authority, a.code) AS area FROM person_record pr
                    JOIN agency a ON a.id = pr.agency_id
                    WHERE pr.identity_id = :identity AND (pr.responsible_authority IS NOT NULL
                                                          OR a.agency_type = 'local_authority'))
                SELECT l.association_id, l.other_kind, l.other_id, l.association_type, l.agency_id, a.name, a.agency_type,
                       l.observed_at, ad.adult_ref, loc.location_ref, loc.name, loc.postcode,
                       coalesce(o.children, 0), coalesce(o.other_area, 0), coalesce(o.area_unknown, 0)
                FROM alert_child_link l JOIN agency a ON a.id = l.agency_id
                LEFT JOIN adult_of_concern ad ON l.other_kind = 'adult' AND ad.id = l.other_id
                LEFT JOIN location loc ON l.other_kind = 'location' AND loc.id = l.other_id
                LEFT JOIN LATERAL (
                    SELECT count(*) AS children,
                           count(*) FILTER (WHERE c.areas IS NOT NULL AND EXISTS (SELECT 1 FROM my_areas)
                                            AND NOT c.areas && ARRAY(SELECT area FROM my_areas)) AS other_area,
                           count(*) FILTER (WHERE c.areas IS NULL OR NOT EXISTS (SELECT 1 FROM my_areas)) AS area_unknown
                    FROM (SELECT opr.identity_id,
                                 array_agg(DISTINCT coalesce(x.responsible_authority, xa.code))
                                     FILTER (WHERE x.responsible_authority IS NOT NULL
                                             OR xa.agency_type = 'local_authority') AS areas
                          FROM alert_child_link ol JOIN person_record opr ON opr.id = ol.person_record_id
                          JOIN person_record x ON x.identity_id = opr.identity_id JOIN agency xa ON xa.id = x.agency_id
                          WHERE ol.other_kind = 'location' AND ol.other_id = l.other_id
                            AND opr.identity_id IS NOT NULL AND opr.identity_id <> :identity
                            AND (EXISTS (SELECT 1 FROM missing_episode e JOIN person_record y ON y.id = e.person_record_id
                                         WHERE y.identity_id = opr.identity_id)
                                 OR EXISTS (SELECT 1 FROM exploitation_concern c JOIN person_record y
                                            ON y.id = c.person_record_id WHERE y.identity_id = opr.identity_id))
                          GROUP BY opr.identity_id) c) o ON l.other_kind = 'location'
                WHERE l.person_record_id IN (SELECT id FROM recs) AND l.other_kind IN ('adult', 'location')
                ORDER BY l.association_id""")
                .param("identity", identityId)
                .query((rs, n) -> new ChildFacts.Link(rs.getLong(1), rs.getString(2), rs.getLong(3),
                        "adult".equals(rs.getString(2)) ? rs.getString(9) : rs.getString(10), rs.getString(11),
                        rs.getString(12), rs.getString(4), rs.getLong(5), rs.getString(6), rs.getString(7),
                        instant(rs, 8), rs.getInt(13), rs.getInt(14), rs.getInt(15))).list();
        // Episodes of other children this child is associated with (child to child associations).
        List<ChildFacts.AssociatedEpisode> together = jdbc.sql(MINE + """
                SELECT DISTINCT l.association_id, e.id, coalesce(e.last_seen_at, e.reported_at), e.found_at, a.name
                FROM alert_child_link l
                JOIN person_record other ON other.id = CASE l.other_kind
                     WHEN 'person_record' THEN l.other_id
                     WHEN 'episode' THEN (SELECT person_record_id FROM missing_episode WHERE id = l.other_id)
                     WHEN 'concern' THEN (SELECT person_record_id FROM exploitation_concern WHERE id = l.other_id) END
                JOIN person_record sib ON sib.identity_id = other.identity_id OR sib.id = other.id
                JOIN missing_episode e ON e.person_record_id = sib.id AND e.category = 'missing'
                JOIN agency a ON a.id = e.agency_id
                WHERE l.person_record_id IN (SELECT id FROM recs)
                  AND l.other_kind IN ('person_record', 'episode', 'concern')
                  AND other.identity_id IS DISTINCT FROM :identity""")
                .param("identity", identityId)
                .query((rs, n) -> new ChildFacts.AssociatedEpisode(rs.getLong(1), rs.getLong(2), instant(rs, 3),
                        instant(rs, 4), rs.getString(5))).list();
        return new ChildFacts(now, records, placements, episodes, screenings, links, together);
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
