package org.sightline.alert;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Loads {@link ChildFacts} for identities: every agency's records, never one record (issue 8). A fixed handful of
 * queries per batch of children, each by identity.
 */
@Component
class FactsLoader {

    /**
     * Each child's associations with anything, as alert_child_link has them, for the identities in the one parameter:
     * found through the child's own records and the association's record indexes (an episode's or concern's end
     * carries its record, V0962). Lateral and fenced by OFFSET 0, as are the look-ups that follow it: the planner
     * guesses several times the rows there are and would otherwise hash the whole association and location tables
     * for every batch.
     */
    private static final String LINKS =
            """
            WITH recs AS (SELECT pr.id, pr.identity_id FROM person_record pr WHERE pr.identity_id = ANY(?)),
            links AS (
                SELECT r.identity_id, x.* FROM recs r CROSS JOIN LATERAL (
                    SELECT x.id AS association_id, x.agency_id, x.association_type,
                           coalesce(x.observed_at, x.created_at) AS observed_at, x.to_kind AS other_kind, x.to_id AS other_id
                    FROM association x WHERE x.from_record_id = r.id
                    UNION ALL
                    SELECT x.id, x.agency_id, x.association_type, coalesce(x.observed_at, x.created_at), x.from_kind, x.from_id
                    FROM association x WHERE x.to_record_id = r.id
                    OFFSET 0) x)""";

    /** The kinds a {@link ChildFacts.Link} is to. */
    private static final Set<String> PLACE_OR_ADULT = Set.of("adult", "location");
    /** The kinds that are another child (vehicles and phones are neither). */
    private static final Set<String> CHILD = Set.of("person_record", "episode", "concern");

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
                -- The batch's records first: with statistics from before a bulk import, the planner otherwise looked
                -- up the record of every episode in the table to find the batch's.
                WITH recs AS MATERIALIZED (SELECT id, identity_id FROM person_record WHERE identity_id = ANY(?))
                SELECT pr.identity_id, e.id, e.agency_id, a.name, a.agency_type, coalesce(e.last_seen_at, e.reported_at),
                       e.found_at, e.missing_from, e.return_interview_status, e.return_interview_at, f.id, f.name
                FROM recs pr JOIN missing_episode e ON e.person_record_id = pr.id
                JOIN agency a ON a.id = e.agency_id
                LEFT JOIN LATERAL (
                    SELECT fa.id, fa.name FROM episode_event ev JOIN agency fa ON fa.name = ev.recorded_by_agency
                    WHERE ev.episode_id = e.id AND ev.event_type = 'found' AND fa.agency_type = 'police_force'
                    ORDER BY ev.id DESC LIMIT 1) f ON true
                WHERE e.category = 'missing' ORDER BY pr.identity_id, e.id""")
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
        // Everything the children are linked to: adults, places (a place as the key that joins every recording of it,
        // network.place; a recording matched to no place is a place of its own, keyed by its negated id) and other
        // children's records, episodes and concerns.
        record Linked(long identityId, Long place, ChildFacts.Link link) {}
        List<Linked> linked = jdbc.sql(
                        LINKS
                                + """
                SELECT l.identity_id, l.association_id, l.other_kind, l.other_id, l.association_type, l.agency_id, a.name,
                       a.agency_type, l.observed_at, ad.adult_ref, loc.location_ref, loc.name, loc.postcode, loc.place
                FROM links l
                CROSS JOIN LATERAL (SELECT a.name, a.agency_type FROM agency a WHERE a.id = l.agency_id OFFSET 0) a
                LEFT JOIN LATERAL (SELECT ad.adult_ref FROM adult_of_concern ad
                                   WHERE l.other_kind = 'adult' AND ad.id = l.other_id OFFSET 0) ad ON true
                LEFT JOIN LATERAL (SELECT loc.location_ref, loc.name, loc.postcode, coalesce(loc.place_id, -loc.id) AS place
                                   FROM location loc WHERE l.other_kind = 'location' AND loc.id = l.other_id OFFSET 0) loc
                    ON true
                ORDER BY l.identity_id, l.association_id""")
                .param(ids)
                .query((rs, n) -> new Linked(
                        rs.getLong(1),
                        (Long) rs.getObject(14),
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
                                0,
                                0,
                                0)))
                .list();
        Map<Long, List<PlaceChild>> atPlace = placeChildren(linked.stream()
                .map(Linked::place)
                .filter(Objects::nonNull)
                .distinct()
                .toArray(Long[]::new));
        Map<Long, List<ChildFacts.Link>> links = new HashMap<>();
        for (Linked l : linked) {
            if (!PLACE_OR_ADULT.contains(l.link().otherKind())) {
                continue;
            }
            ChildFacts.Link link = l.link();
            if (l.place() != null) {
                Set<String> mine = areas(records.getOrDefault(l.identityId(), List.of()));
                int children = 0;
                int otherArea = 0;
                int unknown = 0;
                for (PlaceChild other : atPlace.getOrDefault(l.place(), List.of())) {
                    if (other.identityId() == l.identityId()) {
                        continue;
                    }
                    children++;
                    if (other.areas().isEmpty() || mine.isEmpty()) {
                        unknown++;
                    } else if (Collections.disjoint(other.areas(), mine)) {
                        otherArea++;
                    }
                }
                link = new ChildFacts.Link(
                        link.associationId(),
                        link.otherKind(),
                        link.otherId(),
                        link.otherRef(),
                        link.otherName(),
                        link.otherPostcode(),
                        link.type(),
                        link.agencyId(),
                        link.agencyName(),
                        link.agencyType(),
                        link.observedAt(),
                        children,
                        otherArea,
                        unknown);
            }
            links.computeIfAbsent(l.identityId(), k -> new ArrayList<>()).add(link);
        }
        // Episodes of other children this child is associated with (child to child associations), from the links
        // already read rather than by reading them again.
        List<Linked> childLinks = linked.stream()
                .filter(l -> CHILD.contains(l.link().otherKind()))
                .toList();
        Map<Long, List<ChildFacts.AssociatedEpisode>> together = childLinks.isEmpty()
                ? Map.of()
                : byIdentity(jdbc.sql(
                                """
                SELECT DISTINCT l.identity_id, l.association_id, e.id, coalesce(e.last_seen_at, e.reported_at),
                       e.found_at, a.name
                FROM unnest(?::bigint[], ?::bigint[], ?::text[], ?::bigint[])
                     AS l(identity_id, association_id, other_kind, other_id)
                CROSS JOIN LATERAL (
                    SELECT o.id, o.identity_id FROM person_record o WHERE o.id = CASE l.other_kind
                        WHEN 'person_record' THEN l.other_id
                        WHEN 'episode' THEN (SELECT person_record_id FROM missing_episode WHERE id = l.other_id)
                        WHEN 'concern' THEN (SELECT person_record_id FROM exploitation_concern WHERE id = l.other_id) END
                    OFFSET 0) other
                CROSS JOIN LATERAL (
                    SELECT sib.id FROM person_record sib WHERE sib.identity_id = other.identity_id
                    UNION SELECT other.id OFFSET 0) sib
                CROSS JOIN LATERAL (
                    SELECT e.* FROM missing_episode e WHERE e.person_record_id = sib.id AND e.category = 'missing'
                    OFFSET 0) e
                JOIN agency a ON a.id = e.agency_id
                WHERE other.identity_id IS DISTINCT FROM l.identity_id""")
                        .params(
                                childLinks.stream().map(Linked::identityId).toArray(Long[]::new),
                                childLinks.stream()
                                        .map(l -> l.link().associationId())
                                        .toArray(Long[]::new),
                                childLinks.stream()
                                        .map(l -> l.link().otherKind())
                                        .toArray(String[]::new),
                                childLinks.stream().map(l -> l.link().otherId()).toArray(Long[]::new))
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

    /** A child linked to a place who was missing or exploited, with the areas it belongs to (empty: not known). */
    private record PlaceChild(long identityId, Set<String> areas) {}

    /**
     * For each place key, the children (identities) linked to any recording of it who were missing or exploited, with
     * their areas: one set of index look-ups for the whole batch, however many of its children share a place.
     */
    private Map<Long, List<PlaceChild>> placeChildren(Long[] places) {
        Map<Long, List<PlaceChild>> out = new HashMap<>();
        if (places.length == 0) {
            return out;
        }
        jdbc.sql(
                        """
                WITH k AS (SELECT DISTINCT place FROM unnest(?::bigint[]) AS k(place)),
                recording AS (
                    SELECT k.place, same.id FROM k JOIN location same ON k.place > 0 AND same.place_id = k.place
                    UNION SELECT place, -place FROM k WHERE place < 0),
                -- Lateral (and kept apart by OFFSET 0), so each recording is looked up through the association's end
                -- indexes whatever the statistics say: right after a bulk import they can claim a handful of associations, and a plain join
                -- then read every association to a place once per recording (15 s for one batch).
                at_place AS (
                    SELECT g.place, a.kind, a.id FROM recording g CROSS JOIN LATERAL (
                        SELECT x.from_kind AS kind, x.from_id AS id FROM association x
                        WHERE x.to_kind = 'location' AND x.to_id = g.id
                          AND x.from_kind IN ('person_record', 'episode', 'concern')
                        UNION ALL
                        SELECT x.to_kind, x.to_id FROM association x
                        WHERE x.from_kind = 'location' AND x.from_id = g.id
                          AND x.to_kind IN ('person_record', 'episode', 'concern')
                        OFFSET 0) a),
                -- Each end resolved to its child by primary key, for the same reason.
                place_child AS (
                    SELECT DISTINCT p.place, pr.identity_id FROM at_place p CROSS JOIN LATERAL (
                        SELECT r.identity_id FROM person_record r WHERE r.id = CASE p.kind
                            WHEN 'person_record' THEN p.id
                            WHEN 'episode' THEN (SELECT person_record_id FROM missing_episode WHERE id = p.id)
                            ELSE (SELECT person_record_id FROM exploitation_concern WHERE id = p.id) END
                        OFFSET 0) pr
                    WHERE pr.identity_id IS NOT NULL)
                SELECT pc.place, pc.identity_id,
                       array_agg(DISTINCT coalesce(x.responsible_authority, xa.code))
                           FILTER (WHERE x.responsible_authority IS NOT NULL OR xa.agency_type = 'local_authority')
                FROM place_child pc CROSS JOIN LATERAL (
                    SELECT x.id, x.responsible_authority, x.agency_id FROM person_record x
                    WHERE x.identity_id = pc.identity_id OFFSET 0) x
                JOIN agency xa ON xa.id = x.agency_id
                GROUP BY pc.place, pc.identity_id
                HAVING bool_or(EXISTS (SELECT 1 FROM missing_episode e WHERE e.person_record_id = x.id)
                               OR EXISTS (SELECT 1 FROM exploitation_concern c WHERE c.person_record_id = x.id))""")
                .param(places)
                .query(rs -> {
                    java.sql.Array areas = rs.getArray(3);
                    out.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>())
                            .add(new PlaceChild(
                                    rs.getLong(2),
                                    areas == null
                                            ? Set.of()
                                            : new HashSet<>(Arrays.asList((String[]) areas.getArray()))));
                });
        return out;
    }

    /** The areas a child belongs to: its responsible authorities, else the authorities holding its records. */
    private static Set<String> areas(List<ChildFacts.Rec> records) {
        Set<String> areas = new HashSet<>();
        for (ChildFacts.Rec r : records) {
            if (r.responsibleAuthority() != null) {
                areas.add(r.responsibleAuthority());
            } else if ("local_authority".equals(r.agencyType())) {
                areas.add(r.agencyCode());
            }
        }
        return areas;
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
