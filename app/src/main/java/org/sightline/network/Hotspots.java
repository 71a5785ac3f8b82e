package org.sightline.network;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.sightline.access.SightlineUser;
import org.sightline.audit.AuditEntry;
import org.sightline.audit.AuditLog;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Places, adults, vehicles and phones linked to several children in a period, ranked by how many children, how many
 * different home areas they come from, how recently and how often (PRODUCT.md C6). A link is an association between
 * a child's record, episode or concern and the entity; a place counts every agency's recording of it.
 */
@Service
class Hotspots {

    /** Kinds of hotspot, as the page names them, and their node kind and association end kind. */
    enum Kind {
        PLACES("place", "location"),
        ADULTS("adult", "adult"),
        VEHICLES("vehicle", "vehicle"),
        PHONES("phone", "phone");

        final String node;
        final String end;

        Kind(String node, String end) {
            this.node = node;
            this.end = end;
        }

        public String code() {
            return name().toLowerCase();
        }

        static Kind of(String code) {
            return Arrays.stream(values())
                    .filter(k -> k.code().equals(code))
                    .findFirst()
                    .orElse(PLACES);
        }
    }

    /** A reason in words: a message key and its arguments. */
    record Reason(String key, Object... args) {}

    /**
     * Where a place is, from the postcode centroids: its own postcode's, or its district's ({@code district}: only
     * roughly, within a few miles), with the source the operator named when loading them.
     */
    record Position(double latitude, double longitude, boolean district, String source) {}

    record Hotspot(
            int rank,
            NetworkNodes.Node node,
            int children,
            List<String> homeAreas,
            Instant lastLinked,
            int links,
            int foundHere,
            List<String> agencies,
            List<NetworkNodes.Node> childNodes,
            List<Reason> reasons,
            Position position) {}

    static final int LIMIT = 20;

    /** A link of a child's record, episode or concern with the kind {@code :end}, in the period. */
    private static final String CHILD_LINK =
            """
            ((x.to_kind = :end AND x.from_record_id IS NOT NULL) OR (x.from_kind = :end AND x.to_record_id IS NOT NULL))
            AND coalesce(x.observed_at, x.created_at) >= :start AND coalesce(x.observed_at, x.created_at) < :end_at""";

    /** Every child's link with the kind in the period. */
    private static final String EVERYWHERE =
            "candidate_links AS (SELECT x.* FROM association x WHERE " + CHILD_LINK + ")";

    /**
     * The area's links first (those its agencies recorded, over the agency and date index) and the places its
     * recordings name: the entities they reach are the area's, and every child's link with those entities in the
     * period is read through the end indexes, so the cost follows the area, not the country.
     */
    private static final String IN_AREA =
            """
            area_links AS (
                SELECT x.* FROM agency ag CROSS JOIN LATERAL (
                    SELECT * FROM association x WHERE x.agency_id = ag.id AND %1$s OFFSET 0) x
                WHERE ag.code = :area OR ag.area_code = :area),
            entities(id) AS (
                SELECT DISTINCT CASE WHEN to_kind = :end THEN to_id ELSE from_id END FROM area_links
                UNION SELECT l.id FROM location l WHERE :end = 'location' AND l.area_code = :area),
            ends(id) AS (
                SELECT id FROM entities WHERE :end <> 'location'
                UNION SELECT same.id FROM entities e JOIN location l ON :end = 'location' AND l.id = e.id
                      JOIN location same ON same.place_id = l.place_id),
            candidate_links AS (
                SELECT x.* FROM ends e CROSS JOIN LATERAL (
                    SELECT * FROM association x WHERE x.to_kind = :end AND x.to_id = e.id AND %1$s
                    UNION ALL SELECT * FROM association x WHERE x.from_kind = :end AND x.from_id = e.id AND %1$s
                    OFFSET 0) x)"""
                    .formatted(CHILD_LINK);

    private final JdbcClient jdbc;
    private final NetworkNodes nodes;
    private final AuditLog audit;

    Hotspots(JdbcClient jdbc, NetworkNodes nodes, AuditLog audit) {
        this.jdbc = jdbc;
        this.nodes = nodes;
        this.audit = audit;
    }

    private record Row(
            long node, long[] children, String[] areas, Instant last, int links, int found, String[] agencies) {}

    /**
     * The top hotspots of a kind in the period, for an area (an agency code or area code: the agency that recorded a
     * link, or for places the area a recording names) or everywhere when {@code area} is blank.
     */
    @Transactional
    List<Hotspot> rank(SightlineUser user, Kind kind, String area, Period period) {
        String areaCode = area == null || area.isBlank() ? null : area.strip();
        List<Row> rows = jdbc.sql(
                        """
                WITH %s,
                links AS (
                    SELECT x.id, x.association_type, coalesce(x.observed_at, x.created_at) AS at, x.agency_id,
                           coalesce(pr.identity_id, -pr.id) AS child,
                           CASE WHEN :end = 'location' THEN l.place_id ELSE x.entity_id END AS node
                    FROM (SELECT y.*, CASE WHEN y.to_kind = :end THEN y.from_record_id ELSE y.to_record_id END AS child_record,
                                 CASE WHEN y.to_kind = :end THEN y.to_id ELSE y.from_id END AS entity_id
                          FROM candidate_links y) x
                    JOIN person_record pr ON pr.id = x.child_record
                    LEFT JOIN location l ON :end = 'location' AND l.id = x.entity_id
                ), ranked AS (
                    SELECT node, array_agg(DISTINCT child) AS children, max(at) AS last, count(*) AS links,
                           count(*) FILTER (WHERE association_type = 'found_at') AS found,
                           array_agg(DISTINCT agency_id) AS agencies
                    FROM links GROUP BY node
                    HAVING count(DISTINCT child) >= 2
                ), contenders AS (
                    -- Home areas, the second ordering key, cost a look-up per child: only what can reach the top
                    -- needs them, the entities with at least as many children as the one ranked last by children.
                    SELECT * FROM ranked WHERE cardinality(children) >= coalesce(
                        (SELECT cardinality(children) FROM ranked ORDER BY 1 DESC OFFSET %d LIMIT 1), 0)
                )
                -- Agencies are named for the contenders only: joined per link, the agency table was scanned per entity.
                SELECT r.node, r.children, r.last, r.links, r.found,
                       ARRAY(SELECT name FROM agency WHERE id = ANY(r.agencies) ORDER BY name) AS agencies,
                       ARRAY(SELECT DISTINCT network_area_name(h.area) FROM unnest(r.children) c(child)
                             CROSS JOIN LATERAL network_home_area(c.child) h(area) WHERE h.area IS NOT NULL
                             ORDER BY 1) AS areas
                FROM contenders r"""
                                .formatted(areaCode == null ? EVERYWHERE : IN_AREA, LIMIT - 1))
                .param("end", kind.end)
                .param("area", areaCode)
                .param("start", NetworkService.ts(period.start()))
                .param("end_at", NetworkService.ts(period.end()))
                .query((rs, n) -> new Row(
                        rs.getLong("node"),
                        longs(rs.getArray("children")),
                        (String[]) rs.getArray("areas").getArray(),
                        rs.getTimestamp("last").toInstant(),
                        rs.getInt("links"),
                        rs.getInt("found"),
                        (String[]) rs.getArray("agencies").getArray()))
                .list();
        // Ranked in Java, the order the page explains: children, then home areas, then recency, then visits.
        List<Row> top = rows.stream()
                .sorted((a, b) -> {
                    int c = Integer.compare(b.children().length, a.children().length);
                    if (c == 0) {
                        c = Integer.compare(b.areas().length, a.areas().length);
                    }
                    if (c == 0) {
                        c = b.last().compareTo(a.last());
                    }
                    return c != 0 ? c : Integer.compare(b.links(), a.links());
                })
                .limit(LIMIT)
                .toList();
        Set<NetworkNodes.Key> keys = new LinkedHashSet<>();
        top.forEach(r -> {
            keys.add(NetworkNodes.Key.of(kind.node, r.node()));
            Arrays.stream(r.children()).forEach(c -> keys.add(NetworkNodes.Key.of("child", c)));
        });
        Map<NetworkNodes.Key, NetworkNodes.Node> described = nodes.describe(user, keys);
        Map<Long, Position> positions = kind == Kind.PLACES
                ? positions(top.stream().mapToLong(Row::node).toArray())
                : Map.of();
        List<Hotspot> out = new ArrayList<>();
        for (Row r : top) {
            List<NetworkNodes.Node> children = Arrays.stream(r.children())
                    .mapToObj(c -> described.get(NetworkNodes.Key.of("child", c)))
                    .toList();
            List<Reason> reasons = new ArrayList<>();
            reasons.add(new Reason("network.reason.children", r.children().length));
            if (r.areas().length > 1) {
                reasons.add(new Reason("network.reason.areas", r.areas().length, String.join(", ", r.areas())));
            } else if (r.areas().length == 1) {
                reasons.add(new Reason("network.reason.oneArea", r.areas()[0]));
            }
            reasons.add(new Reason("network.reason.recent", r.last()));
            if (r.links() > r.children().length) {
                reasons.add(new Reason("network.reason.repeat", r.links(), r.children().length));
            }
            if (r.found() > 0) {
                reasons.add(new Reason("network.reason.found", r.found()));
            }
            if (r.agencies().length > 1) {
                reasons.add(
                        new Reason("network.reason.agencies", r.agencies().length, String.join(", ", r.agencies())));
            }
            out.add(new Hotspot(
                    out.size() + 1,
                    described.get(NetworkNodes.Key.of(kind.node, r.node())),
                    r.children().length,
                    List.of(r.areas()),
                    r.last(),
                    r.links(),
                    r.found(),
                    List.of(r.agencies()),
                    children,
                    reasons,
                    positions.get(r.node())));
        }
        audit.record(AuditEntry.of(user.username(), user.agencyCode(), "VIEW_HOTSPOTS", "network", null)
                .withDetails("kind=" + kind.code() + ";area=" + (areaCode == null ? "all" : areaCode) + ";from="
                        + period.from() + ";to=" + period.to() + ";results=" + out.size()));
        return out;
    }

    /**
     * Each place's position: of its recordings' postcodes (the first recorded with one), the full postcode's centroid
     * when known, else its district's.
     */
    private Map<Long, Position> positions(long[] places) {
        Map<Long, Position> out = new HashMap<>();
        if (places.length == 0) {
            return out;
        }
        jdbc.sql(
                        """
                SELECT p.id, c.latitude, c.longitude, c.code <> l.postcode_norm AS district, c.source
                FROM unnest(?::bigint[]) p(id)
                CROSS JOIN LATERAL (SELECT l.postcode_norm FROM location l
                                    WHERE l.place_id = p.id AND l.postcode_norm IS NOT NULL ORDER BY l.id LIMIT 1) l
                CROSS JOIN LATERAL (SELECT * FROM postcode_centroid c
                                    WHERE c.code IN (l.postcode_norm, left(l.postcode_norm, -3))
                                    ORDER BY length(c.code) DESC LIMIT 1) c""")
                .param(Arrays.stream(places).boxed().toArray(Long[]::new))
                .query((rs, n) -> Map.entry(
                        rs.getLong(1),
                        new Position(rs.getDouble(2), rs.getDouble(3), rs.getBoolean(4), rs.getString(5))))
                .list()
                .forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    private static long[] longs(java.sql.Array array) throws java.sql.SQLException {
        Object[] values = (Object[]) array.getArray();
        return Arrays.stream(values)
                .mapToLong(v -> ((Number) v).longValue())
                .sorted()
                .toArray();
    }
}
