package org.sightline.network;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.sightline.access.AgencyScope;
import org.sightline.access.SightlineUser;
import org.sightline.audit.AuditEntry;
import org.sightline.audit.AuditLog;
import org.sightline.shared.NotFoundException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The network within N hops of a child, an adult, a place or a concern: nodes are children (a concern or episode
 * stands for its child), places (every agency's recording of one place is one node), adults, vehicles and phones;
 * edges are associations, each with who recorded it and when. Expanded hop by hop from the start, over the
 * association indexes.
 */
@Service
class NetworkGraph {

    static final int MAX_HOPS = 4;
    static final int MAX_NODES = 400;
    static final List<String> START_KINDS = List.of("child", "adult", "place", "concern");

    record Edge(
            UUID id,
            NetworkNodes.Key from,
            NetworkNodes.Key to,
            String type,
            Instant at,
            String agency,
            String recordedBy,
            String via) {}

    record Graph(
            NetworkNodes.Node start,
            int hops,
            List<NetworkNodes.Node> nodes,
            List<Edge> edges,
            boolean truncated,
            List<String> typesPresent) {}

    private final JdbcClient jdbc;
    private final AgencyScope scope;
    private final NetworkNodes nodes;
    private final AuditLog audit;

    NetworkGraph(JdbcClient jdbc, AgencyScope scope, NetworkNodes nodes, AuditLog audit) {
        this.jdbc = jdbc;
        this.scope = scope;
        this.nodes = nodes;
        this.audit = audit;
    }

    /** The start node for a page's kind and public id, after the access check; NotFound when missing or not visible. */
    NetworkNodes.Key start(SightlineUser user, String kind, UUID id) {
        NetworkNodes.Key key =
                switch (kind) {
                    case "child" -> jdbc.sql("SELECT id FROM identity WHERE public_id = ?")
                            .param(id)
                            .query(Long.class)
                            .optional()
                            .map(i -> NetworkNodes.Key.of("child", i))
                            .orElse(null);
                    case "concern" -> jdbc.sql(
                                    """
                    SELECT coalesce(pr.identity_id, -pr.id) FROM exploitation_concern c
                    JOIN person_record pr ON pr.id = c.person_record_id WHERE c.public_id = ?""")
                            .param(id)
                            .query(Long.class)
                            .optional()
                            .map(i -> NetworkNodes.Key.of("child", i))
                            .orElse(null);
                    case "place" -> jdbc.sql("SELECT network_place_current(id) FROM place WHERE public_id = ?")
                            .param(id)
                            .query(Long.class)
                            .optional()
                            .map(i -> NetworkNodes.Key.of("place", i))
                            .orElse(null);
                    case "adult" -> jdbc.sql("SELECT id FROM adult_of_concern WHERE public_id = ? AND agency_id = ?")
                            .params(id, user.agencyId())
                            .query(Long.class)
                            .optional()
                            .map(i -> NetworkNodes.Key.of("adult", i))
                            .orElse(null);
                    default -> null;
                };
        if (key == null) {
            throw new NotFoundException(kind);
        }
        if (key.kind().equals("child")) {
            boolean visible = jdbc.sql(
                            "SELECT EXISTS (SELECT 1 FROM person_record pr WHERE (pr.identity_id = :child OR pr.id = -:child) AND "
                                    + AgencyScope.VISIBLE_RECORD_SQL + ")")
                    .params(scope.sqlParams(user))
                    .param("child", key.id())
                    .query(Boolean.class)
                    .single();
            if (!visible) {
                audit.recordRefusal(
                        AuditEntry.of(user.username(), user.agencyCode(), "VIEW_REFUSED", "network", kind + ":" + id));
                throw new NotFoundException(kind);
            }
        }
        return key;
    }

    @Transactional
    Graph around(SightlineUser user, NetworkNodes.Key start, int hops, Period period, Set<String> types) {
        int depth = Math.max(1, Math.min(MAX_HOPS, hops));
        Set<NetworkNodes.Key> seen = new LinkedHashSet<>(List.of(start));
        Map<UUID, Edge> edges = new LinkedHashMap<>();
        Set<String> typesPresent = new LinkedHashSet<>();
        List<NetworkNodes.Key> frontier = List.of(start);
        boolean truncated = false;
        for (int hop = 0; hop < depth && !frontier.isEmpty() && !truncated; hop++) {
            List<NetworkNodes.Key> next = new ArrayList<>();
            for (Edge e : edgesOf(frontier, period)) {
                typesPresent.add(e.type());
                if (!types.isEmpty() && !types.contains(e.type())) {
                    continue;
                }
                for (NetworkNodes.Key end : List.of(e.from(), e.to())) {
                    if (!seen.contains(end)) {
                        if (seen.size() >= MAX_NODES) {
                            truncated = true;
                            continue;
                        }
                        seen.add(end);
                        next.add(end);
                    }
                }
                if (seen.contains(e.from()) && seen.contains(e.to())) {
                    edges.putIfAbsent(e.id(), e);
                }
            }
            frontier = next;
        }
        Map<NetworkNodes.Key, NetworkNodes.Node> described = nodes.describe(user, seen);
        List<NetworkNodes.Node> list =
                seen.stream().map(described::get).filter(n -> n != null).toList();
        audit.record(AuditEntry.of(user.username(), user.agencyCode(), "VIEW_NETWORK", "network", start.toString())
                .withDetails("hops=" + depth + ";nodes=" + list.size() + ";edges=" + edges.size()));
        return new Graph(
                described.get(start), depth, list, List.copyOf(edges.values()), truncated, List.copyOf(typesPresent));
    }

    /** Every association touching the frontier's nodes in the period, with both ends as nodes. */
    private List<Edge> edgesOf(List<NetworkNodes.Key> frontier, Period period) {
        Map<String, List<Long>> byKind = new HashMap<>();
        frontier.forEach(
                k -> byKind.computeIfAbsent(k.kind(), x -> new ArrayList<>()).add(k.id()));
        return jdbc.sql(
                        """
                WITH records AS (
                    SELECT pr.id FROM person_record pr WHERE pr.identity_id = ANY(:children)
                    UNION SELECT -c FROM unnest(CAST(:children AS bigint[])) c WHERE c < 0),
                ends(kind, id) AS (
                    SELECT 'location', l.id FROM location l WHERE l.place_id = ANY(:places)
                    UNION ALL SELECT 'adult', unnest(CAST(:adults AS bigint[]))
                    UNION ALL SELECT 'vehicle', unnest(CAST(:vehicles AS bigint[]))
                    UNION ALL SELECT 'phone', unnest(CAST(:phones AS bigint[]))),
                -- Lateral look-ups on the association indexes, whatever the planner guesses of the frontier's size.
                touching AS (
                    SELECT a.id FROM records r CROSS JOIN LATERAL (
                        SELECT id FROM association WHERE from_record_id = r.id
                        UNION ALL SELECT id FROM association WHERE to_record_id = r.id OFFSET 0) a
                    UNION
                    SELECT a.id FROM ends e CROSS JOIN LATERAL (
                        SELECT id FROM association WHERE from_kind = e.kind AND from_id = e.id
                        UNION ALL SELECT id FROM association WHERE to_kind = e.kind AND to_id = e.id OFFSET 0) a),
                -- Each touching association, then each end's node, by key look-ups rather than joins: planning a join
                -- of every end's table cost more than running it, and a generic plan computed the nodes of every
                -- association in the period before keeping the touching ones.
                edges AS (
                    SELECT x.*,
                           CASE WHEN x.from_record_id IS NOT NULL THEN 'child'
                                WHEN x.from_kind = 'location' THEN 'place' ELSE x.from_kind END AS f_kind,
                           CASE WHEN x.from_record_id IS NOT NULL
                                    THEN (SELECT coalesce(p.identity_id, -p.id) FROM person_record p WHERE p.id = x.from_record_id)
                                WHEN x.from_kind = 'location'
                                    THEN (SELECT l.place_id FROM location l WHERE l.id = x.from_id)
                                ELSE x.from_id END AS f_id,
                           CASE WHEN x.to_record_id IS NOT NULL THEN 'child'
                                WHEN x.to_kind = 'location' THEN 'place' ELSE x.to_kind END AS t_kind,
                           CASE WHEN x.to_record_id IS NOT NULL
                                    THEN (SELECT coalesce(p.identity_id, -p.id) FROM person_record p WHERE p.id = x.to_record_id)
                                WHEN x.to_kind = 'location'
                                    THEN (SELECT l.place_id FROM location l WHERE l.id = x.to_id)
                                ELSE x.to_id END AS t_id
                    FROM touching tt CROSS JOIN LATERAL (SELECT * FROM association a WHERE a.id = tt.id OFFSET 0) x
                    WHERE coalesce(x.observed_at, x.created_at) >= :start
                      AND coalesce(x.observed_at, x.created_at) < :end_at)
                SELECT x.public_id, x.f_kind, x.f_id, x.t_kind, x.t_id,
                       x.association_type, coalesce(x.observed_at, x.created_at) AS at,
                       (SELECT ag.name FROM agency ag WHERE ag.id = x.agency_id) AS agency,
                       coalesce((SELECT u.display_name FROM app_user u WHERE u.username = x.recorded_by), x.recorded_by)
                           AS recorded_by,
                       CASE WHEN x.from_kind IN ('episode', 'concern') THEN x.from_kind
                            WHEN x.to_kind IN ('episode', 'concern') THEN x.to_kind END AS via
                FROM edges x
                WHERE x.f_id IS NOT NULL AND x.t_id IS NOT NULL
                  AND NOT (x.f_kind = x.t_kind AND x.f_id = x.t_id)
                ORDER BY at, x.id""")
                .param("children", ids(byKind, "child"))
                .param("places", ids(byKind, "place"))
                .param("adults", ids(byKind, "adult"))
                .param("vehicles", ids(byKind, "vehicle"))
                .param("phones", ids(byKind, "phone"))
                .param("start", NetworkService.ts(period.start()))
                .param("end_at", NetworkService.ts(period.end()))
                .query((rs, n) -> new Edge(
                        rs.getObject("public_id", UUID.class),
                        NetworkNodes.Key.of(rs.getString("f_kind"), rs.getLong("f_id")),
                        NetworkNodes.Key.of(rs.getString("t_kind"), rs.getLong("t_id")),
                        rs.getString("association_type"),
                        rs.getTimestamp("at").toInstant(),
                        rs.getString("agency"),
                        rs.getString("recorded_by"),
                        rs.getString("via")))
                .list();
    }

    private static Long[] ids(Map<String, List<Long>> byKind, String kind) {
        return byKind.getOrDefault(kind, List.of()).toArray(Long[]::new);
    }
}
