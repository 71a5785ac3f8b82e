package org.sightline.network;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.sightline.access.AgencyScope;
import org.sightline.access.SightlineUser;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * What a user may see of the nodes of a network, by the child page's rules ({@link AgencyScope}): a child whose
 * records the user may open shows by name; any other child only as "a child known to X", with whom to contact. An
 * adult of concern shows by name only to the agency holding the record; places, vehicles and phones show as
 * recorded.
 */
@Component
class NetworkNodes {

    /** A node of the network: kind (child, place, adult, vehicle, phone) and id (see {@code network_node}). */
    record Key(String kind, long id) {

        static Key of(String kind, long id) {
            return new Key(kind, id);
        }

        @Override
        public String toString() {
            return kind + ":" + id;
        }
    }

    /**
     * A node as the user may see it. {@code full} false: only existence and whom to contact ({@code heldBy},
     * {@code contact}). {@code link} is the page for the node when the user may open it; {@code homeArea} for children
     * the user may see (null otherwise).
     */
    record Node(
            Key key,
            UUID publicId,
            String label,
            boolean full,
            String heldBy,
            String contact,
            String link,
            String homeArea) {}

    private final JdbcClient jdbc;
    private final AgencyScope scope;

    NetworkNodes(JdbcClient jdbc, AgencyScope scope) {
        this.jdbc = jdbc;
        this.scope = scope;
    }

    Map<Key, Node> describe(SightlineUser user, Collection<Key> keys) {
        Map<String, List<Long>> byKind = new HashMap<>();
        keys.forEach(
                k -> byKind.computeIfAbsent(k.kind(), x -> new ArrayList<>()).add(k.id()));
        Map<Key, Node> out = new HashMap<>();
        List<Long> children = byKind.getOrDefault("child", List.of());
        if (!children.isEmpty()) {
            jdbc.sql(
                            """
                    SELECT t.*,
                           -- Where a child lives is shown only to those who may see the child.
                           CASE WHEN t.visible_name IS NOT NULL THEN network_area_name(network_home_area(t.node)) END
                               AS home_area
                    FROM (
                    SELECT c.node, i.public_id,
                           CASE WHEN r.related THEN trim(coalesce(first.given_name, '') || ' ' || coalesce(first.family_name, ''))
                                ELSE (SELECT trim(coalesce(own.given_name, '') || ' ' || coalesce(own.family_name, ''))
                                      FROM (SELECT pr.id, pr.given_name, pr.family_name FROM person_record pr
                                            WHERE (pr.identity_id = c.node OR pr.id = -c.node)
                                              AND pr.agency_id = :agencyId OFFSET 0) own
                                      ORDER BY own.id LIMIT 1) END AS visible_name,
                           (SELECT a.name FROM agency a WHERE a.id = first.agency_id) AS held_by,
                           (SELECT a.contact FROM agency a WHERE a.id = first.agency_id) AS contact,
                           (SELECT pr.public_id FROM person_record pr WHERE pr.id = -c.node) AS record_id
                    FROM unnest(:nodes) AS c(node) LEFT JOIN identity i ON i.id = c.node
                    -- A child's records fenced by OFFSET 0 before the first is taken: otherwise the planner may walk
                    -- the whole primary key in order looking for the child's first record.
                    LEFT JOIN LATERAL (SELECT recs.agency_id, recs.given_name, recs.family_name FROM (
                                           SELECT pr.id, pr.agency_id, pr.given_name, pr.family_name FROM person_record pr
                                           WHERE pr.identity_id = c.node OR pr.id = -c.node OFFSET 0) recs
                                       ORDER BY recs.id LIMIT 1) first ON true
                    -- The relationship once per child, not once per record and again per record of the child.
                    CROSS JOIN LATERAL (SELECT\s"""
                                    + AgencyScope.fullAccessToNodeSql("c.node")
                                    + """
                     AS related) r) t""")
                    .params(scope.sqlParams(user))
                    .param("nodes", children.toArray(Long[]::new))
                    .query((rs, n) -> {
                        long node = rs.getLong("node");
                        String name = rs.getString("visible_name");
                        UUID identity = rs.getObject("public_id", UUID.class);
                        UUID record = rs.getObject("record_id", UUID.class);
                        boolean full = name != null;
                        String link = !full ? null : identity != null ? "/children/" + identity : "/records/" + record;
                        return new Node(
                                Key.of("child", node),
                                identity != null ? identity : record,
                                full ? (name.isBlank() ? null : name) : null,
                                full,
                                rs.getString("held_by"),
                                rs.getString("contact"),
                                link,
                                rs.getString("home_area"));
                    })
                    .list()
                    .forEach(node -> out.put(node.key(), node));
        }
        List<Long> places = byKind.getOrDefault("place", List.of());
        if (!places.isEmpty()) {
            jdbc.sql(
                            """
                    SELECT p.id, p.public_id, l.name, l.postcode, a.name
                    FROM place p JOIN LATERAL (SELECT * FROM location l WHERE l.place_id = p.id
                                               ORDER BY (l.name IS NULL), l.id LIMIT 1) l ON true
                    JOIN agency a ON a.id = l.agency_id WHERE p.id = ANY(?)""")
                    .param(places.toArray(Long[]::new))
                    .query((rs, n) -> new Node(
                            Key.of("place", rs.getLong(1)),
                            rs.getObject(2, UUID.class),
                            join(rs.getString(3), rs.getString(4)),
                            true,
                            rs.getString(5),
                            null,
                            "/network/places/" + rs.getObject(2, UUID.class),
                            null))
                    .list()
                    .forEach(node -> out.put(node.key(), node));
        }
        List<Long> adults = byKind.getOrDefault("adult", List.of());
        if (!adults.isEmpty()) {
            jdbc.sql(
                            """
                    SELECT e.id, e.public_id, e.adult_ref, trim(coalesce(e.given_name, '') || ' ' || coalesce(e.family_name, '')),
                           a.name, a.contact, e.agency_id = ? FROM adult_of_concern e JOIN agency a ON a.id = e.agency_id
                    WHERE e.id = ANY(?)""")
                    .params(user.agencyId(), adults.toArray(Long[]::new))
                    .query((rs, n) -> {
                        boolean full = rs.getBoolean(7);
                        return new Node(
                                Key.of("adult", rs.getLong(1)),
                                rs.getObject(2, UUID.class),
                                full ? join(rs.getString(4), rs.getString(3)) : null,
                                full,
                                rs.getString(5),
                                rs.getString(6),
                                null,
                                null);
                    })
                    .list()
                    .forEach(node -> out.put(node.key(), node));
        }
        for (String kind : List.of("vehicle", "phone")) {
            List<Long> ids = byKind.getOrDefault(kind, List.of());
            if (ids.isEmpty()) {
                continue;
            }
            String label = "vehicle".equals(kind) ? "concat_ws(', ', e.registration, e.make, e.colour)" : "e.number";
            jdbc.sql("SELECT e.id, e.public_id, " + label + ", a.name FROM " + kind
                            + " e JOIN agency a ON a.id = e.agency_id WHERE e.id = ANY(?)")
                    .param(ids.toArray(Long[]::new))
                    .query((rs, n) -> new Node(
                            Key.of(kind, rs.getLong(1)),
                            rs.getObject(2, UUID.class),
                            rs.getString(3),
                            true,
                            rs.getString(4),
                            null,
                            null,
                            null))
                    .list()
                    .forEach(node -> out.put(node.key(), node));
        }
        return out;
    }

    private static String join(String a, String b) {
        if (a == null || a.isBlank()) {
            return b;
        }
        return b == null || b.isBlank() ? a : a + ", " + b;
    }
}
