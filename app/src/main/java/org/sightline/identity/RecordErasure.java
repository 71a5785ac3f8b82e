package org.sightline.identity;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.sightline.person.PersonRecords;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Takes an erased person record out of its identity (retention, issue 11): {@link #detach} before the record is
 * deleted, {@link #finish} after, in the erasing transaction. Its links and review items go with the record (ON DELETE
 * CASCADE). The identity is re-formed from the records that remain: records that were joined only through the erased
 * record (the pieces its removal disconnects in the graph of remaining links) become identities of their own, the
 * largest piece keeps the identity's number; an identity with no record left is removed. Every record concerned is
 * logged to the index change log, so each process's online index drops the erased record and moves the others.
 */
@Component
public class RecordErasure {

    private final JdbcClient jdbc;
    private final PersonRecords people;
    private final OnlineResolution online;

    RecordErasure(JdbcClient jdbc, PersonRecords people, OnlineResolution online) {
        this.jdbc = jdbc;
        this.people = people;
        this.online = online;
    }

    /** The erased record, the identity it was in (null if none) and the identity's other records. */
    public record Detached(long recordId, Long identityId, List<Long> remaining, int split) {}

    @Transactional(propagation = Propagation.MANDATORY)
    public Detached detach(long recordId) {
        online.lock();
        Long identity = jdbc.sql("SELECT identity_id FROM person_record WHERE id = ?")
                .param(recordId)
                .query(Long.class)
                .optional()
                .orElse(null);
        if (identity == null) {
            return new Detached(recordId, null, List.of(), 0);
        }
        List<Long> remaining = jdbc.sql("SELECT id FROM person_record WHERE identity_id = ? AND id <> ? ORDER BY id")
                .params(identity, recordId)
                .query(Long.class)
                .list();
        List<long[]> links = jdbc.sql("SELECT record_a, record_b FROM identity_link WHERE identity_id = ?")
                .param(identity)
                .query((rs, n) -> new long[] {rs.getLong(1), rs.getLong(2)})
                .list();
        // Only what the erasure disconnects is split: records already apart from the erased one stay as they were.
        Components before = new Components();
        Components after = new Components();
        for (long[] l : links) {
            before.union(l[0], l[1]);
            if (l[0] != recordId && l[1] != recordId) {
                after.union(l[0], l[1]);
            }
        }
        long erasedRoot = before.find(recordId);
        Map<Long, List<Long>> pieces = new HashMap<>();
        for (long r : remaining) {
            if (before.find(r) == erasedRoot) {
                pieces.computeIfAbsent(after.find(r), k -> new ArrayList<>()).add(r);
            }
        }
        List<List<Long>> ordered = new ArrayList<>(pieces.values());
        ordered.sort(Comparator.<List<Long>>comparingInt(List::size)
                .reversed()
                .thenComparingLong(
                        p -> p.stream().mapToLong(Long::longValue).min().orElse(0)));
        int split = 0;
        for (List<Long> piece : ordered.subList(Math.min(1, ordered.size()), ordered.size())) {
            long fresh = jdbc.sql("INSERT INTO identity DEFAULT VALUES RETURNING id")
                    .query(Long.class)
                    .single();
            long[] ids = piece.stream().mapToLong(Long::longValue).toArray();
            long[] to = new long[ids.length];
            java.util.Arrays.fill(to, fresh);
            people.assignIdentities(ids, to);
            jdbc.sql("UPDATE identity_link SET identity_id = ? WHERE record_a = ANY(?) OR record_b = ANY(?)")
                    .params(fresh, piece.toArray(Long[]::new), piece.toArray(Long[]::new))
                    .update();
            split++;
        }
        return new Detached(recordId, identity, remaining, split);
    }

    /** After the record is deleted: removes an identity left empty and logs every record concerned for the index. */
    @Transactional(propagation = Propagation.MANDATORY)
    public void finish(Detached detached) {
        if (detached.identityId() != null) {
            jdbc.sql(
                            """
                    DELETE FROM identity i WHERE i.id = ?
                      AND NOT EXISTS (SELECT 1 FROM person_record p WHERE p.identity_id = i.id)""")
                    .param(detached.identityId())
                    .update();
        }
        List<Long> changed = new ArrayList<>(detached.remaining());
        changed.add(detached.recordId());
        online.logChanged(changed, false);
    }

    /** Union-find over record ids. */
    private static final class Components {
        private final Map<Long, Long> parent = new HashMap<>();

        long find(long x) {
            Long p = parent.get(x);
            if (p == null || p == x) {
                return x;
            }
            long root = find(p);
            parent.put(x, root);
            return root;
        }

        void union(long a, long b) {
            long ra = find(a);
            long rb = find(b);
            if (ra != rb) {
                parent.put(Math.max(ra, rb), Math.min(ra, rb));
            }
        }
    }
}
