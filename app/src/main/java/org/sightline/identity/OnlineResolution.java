package org.sightline.identity;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.sightline.audit.AuditLog;
import org.sightline.linkage.LinkageConfig;
import org.sightline.linkage.RecordException;
import org.sightline.linkage.model.Record;
import org.sightline.linkage.online.OnlineIndex;
import org.sightline.linkage.score.Explanation;
import org.sightline.person.PersonRecords;
import org.sightline.person.PersonRecordsChanged;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Resolves person records into identities as they are saved, with the engine's {@link OnlineIndex} of every person
 * record. Person publishes {@link PersonRecordsChanged} inside the writing transaction; this matches each record
 * there and then: match band (weight at least the profile's online match weight, and the identity's other records
 * agree, see {@link #fits}) joins that identity with its evidence, the review band starts an identity of its own and
 * proposes the pair for review, below it starts an identity.
 * Two records with different UPNs are never merged by the engine: a match-band pair goes to review instead.
 * Supervisors' cannot-link decisions exclude the other record's identity; a must-link keeps a changed record where
 * the supervisor put it.
 *
 * <p>Consistency. Resolution takes a transaction-scoped advisory lock of its own, so resolutions (in every process: the
 * import and relink commands join a running demo's database) are serialised until commit, and appends to
 * {@code identity_index_change} commit in id order. The shared index is changed only from that log, after commit
 * (a rollback leaves nothing behind); records of the transaction still open are matched through an overlay of its
 * own. Before matching, the index catches up with every committed change, its own process's or another's.
 *
 * <p>Start. The index is built from the database in the background once the application is ready (about a second
 * at the demo's size, see docs/benchmarks.md). A save or search arriving before that waits for the build (it runs
 * on the caller's thread if none has started): no record is ever resolved against a partial index or skipped.
 */
@Component
class OnlineResolution {

    private static final Logger LOG = LoggerFactory.getLogger(OnlineResolution.class);
    /** Candidates asked of each index: a few, as the strongest may be refused (other UPN, excluded, not fitting). */
    private static final int CANDIDATES = 5;
    /** Records of an identity scored by {@link #fits}; beyond this many, an even sample (as the batch clusterer). */
    private static final int MAX_AGREEMENT_PAIRS = 50;

    private static final Object TX_KEY = new Object();

    /** Arbitrary constant naming the advisory lock that serialises resolutions. */
    private static final long RESOLUTION_LOCK = 0x5349_4748_5245_534FL;

    private final JdbcClient jdbc;
    private final LinkageRecords records;
    private final IdentityModels models;
    private final PersonRecords people;
    private final AuditLog audit;
    private final TransactionTemplate separate;
    private final LinkageConfig config;
    private final String profileName;

    private final Object buildLock = new Object();
    private volatile OnlineIndex index;
    /** Highest identity_index_change id the index reflects; guarded by buildLock. */
    private long applied;

    OnlineResolution(
            JdbcClient jdbc,
            LinkageRecords records,
            IdentityModels models,
            PersonRecords people,
            AuditLog audit,
            PlatformTransactionManager transactions) {
        this.audit = audit;
        this.jdbc = jdbc;
        this.records = records;
        this.models = models;
        this.people = people;
        this.separate = new TransactionTemplate(transactions);
        this.separate.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        this.separate.setIsolationLevel(TransactionDefinition.ISOLATION_REPEATABLE_READ);
        this.config = records.profile().config();
        this.profileName = records.profile().name();
    }

    @EventListener(ApplicationReadyEvent.class)
    void buildInBackground() {
        Thread builder = new Thread(
                () -> {
                    try {
                        ready();
                    } catch (RuntimeException e) {
                        LOG.error("building the identity index failed; it is retried at the next save or search", e);
                    }
                },
                "identity-index");
        builder.setDaemon(true);
        builder.start();
    }

    /** The index, built first if need be (callers wait for a build in progress). */
    OnlineIndex ready() {
        OnlineIndex current = index;
        if (current != null) {
            return current;
        }
        synchronized (buildLock) {
            if (index == null) {
                rebuild();
            }
            return index;
        }
    }

    /** The index after catching up with every committed change; for searches. */
    OnlineIndex current() {
        ready();
        catchUp();
        return index;
    }

    /** Called with buildLock held: a consistent snapshot of records, model and the change log's head. */
    private void rebuild() {
        long started = System.nanoTime();
        separate.executeWithoutResult(tx -> {
            long head = jdbc.sql("SELECT coalesce(max(id), 0) FROM identity_index_change")
                    .query(Long.class)
                    .single();
            IdentityModels.Loaded model = models.current(profileName, config);
            OnlineIndex built = new OnlineIndex(config, model.model());
            int skipped = 0;
            for (LinkageRecords.Held held : records.all()) {
                try {
                    built.add(held.record(), key(held));
                } catch (RecordException e) {
                    skipped++;
                    unindexable(held.id(), e);
                }
            }
            index = built;
            applied = head;
            LOG.info(
                    "identity index built: {} records ({} unreadable), model {}, in {} ms",
                    built.size(),
                    skipped,
                    model.id() == 0 ? "shipped" : "#" + model.id(),
                    (System.nanoTime() - started) / 1_000_000);
        });
    }

    private static String key(LinkageRecords.Held held) {
        return held.identityId() != null ? held.identityId().toString() : unassigned(held.id());
    }

    /** The index key of a record that has no identity yet (fixtures, or records saved before resolution existed). */
    private static String unassigned(long recordId) {
        return "r" + recordId;
    }

    /** Applies every committed change since the last; reads in a transaction of its own, so only committed ones. */
    void catchUp() {
        synchronized (buildLock) {
            if (index == null) {
                rebuild();
                return;
            }
            separate.executeWithoutResult(tx -> {
                List<Long> ids = new ArrayList<>();
                boolean[] rebuild = {false};
                long[] head = {applied};
                jdbc.sql("SELECT id, person_record_id, rebuild FROM identity_index_change WHERE id > ? ORDER BY id")
                        .param(applied)
                        .query(rs -> {
                            head[0] = rs.getLong(1);
                            if (rs.getBoolean(3)) {
                                rebuild[0] = true;
                            } else {
                                ids.add(rs.getLong(2));
                            }
                        });
                if (rebuild[0]) {
                    rebuild();
                    return;
                }
                List<Long> distinct = List.copyOf(new java.util.LinkedHashSet<>(ids));
                for (Long id : distinct) {
                    index.remove(id.toString());
                }
                for (LinkageRecords.Held held : records.byIds(distinct)) {
                    try {
                        index.add(held.record(), key(held));
                    } catch (RecordException e) {
                        unindexable(held.id(), e);
                    }
                }
                applied = head[0];
            });
        }
    }

    /**
     * Serialises resolution until commit and records that these records' details or identities changed, so that
     * every index applies them once committed. For identity changes made outside {@link #resolve}.
     */
    void logChanged(List<Long> recordIds, boolean rebuild) {
        lock();
        if (rebuild) {
            jdbc.sql("INSERT INTO identity_index_change (rebuild) VALUES (true)")
                    .update();
        }
        if (!recordIds.isEmpty()) {
            jdbc.sql("INSERT INTO identity_index_change (person_record_id) SELECT unnest(?::bigint[])")
                    .param(recordIds.toArray(Long[]::new))
                    .update();
        }
        if (index != null) {
            transaction(); // catch up after commit; a process without an index (the relink command) builds none
        }
    }

    /**
     * Serialises resolutions until commit, across every process on the database. The audit log takes no lock (its
     * entries are sealed after commit), so this is the only lock a resolving transaction holds and it cannot be
     * taken in two orders.
     */
    void lock() {
        jdbc.sql("SELECT pg_advisory_xact_lock(?)")
                .param(RESOLUTION_LOCK)
                .query()
                .singleRow();
    }

    /** The open transaction's overlay, created with its after-commit catch-up on first use. */
    private Tx transaction() {
        Tx tx = (Tx) TransactionSynchronizationManager.getResource(TX_KEY);
        if (tx == null) {
            if (!TransactionSynchronizationManager.isSynchronizationActive()) {
                throw new IllegalStateException("identity resolution needs the writing transaction");
            }
            tx = new Tx(ready().overlay());
            TransactionSynchronizationManager.bindResource(TX_KEY, tx);
            TransactionSynchronizationManager.registerSynchronization(tx);
        }
        return tx;
    }

    /** Records of the transaction still open, and what their placeholders became. */
    private final class Tx implements TransactionSynchronization {
        final OnlineIndex overlay;
        /** Index keys replaced within this transaction: an unassigned record's key → the identity it now has. */
        final Map<String, String> renamed = new HashMap<>();

        Tx(OnlineIndex overlay) {
            this.overlay = overlay;
        }

        @Override
        public void afterCommit() {
            try {
                catchUp();
            } catch (RuntimeException e) {
                LOG.warn(
                        "identity index catch-up after commit failed; the next save or search retries: {}",
                        e.getMessage());
            }
        }

        @Override
        public void afterCompletion(int status) {
            TransactionSynchronizationManager.unbindResourceIfPossible(TX_KEY);
        }
    }

    @EventListener
    void onPersonRecordsChanged(PersonRecordsChanged event) {
        if (event.bulkLoad()) {
            // Not skipped silently: the loader's caller relinks them all straight after, which rebuilds every index.
            LOG.info(
                    "{} person records loaded in bulk: resolved by the relink that follows",
                    event.created().size());
            return;
        }
        if (!event.isEmpty()) {
            resolve(event.created(), event.changed());
        }
    }

    /** What one resolution decided, written together at the end. */
    private static final class Plan {
        int placeholders;
        final Map<Long, String> assign = new LinkedHashMap<>();
        final List<Object[]> links = new ArrayList<>();
        final List<Object[]> reviews = new ArrayList<>();
        final Set<Long> detached = new HashSet<>();

        String newPlaceholder() {
            return "p" + placeholders++;
        }
    }

    /** A scored candidate identity (its key in the index or overlay) through its best record. */
    private record Scored(String identity, long recordId, double weight, double probability, Explanation explanation) {}

    private void resolve(List<Long> created, List<Long> changed) {
        ready();
        lock();
        catchUp();
        Tx tx = transaction();
        long started = System.nanoTime();
        Set<Long> isNew = new HashSet<>(created);
        List<Long> all = new ArrayList<>(created);
        all.addAll(changed);
        List<LinkageRecords.Held> held = records.byIds(all);
        long loaded = System.nanoTime();
        Map<Long, List<Long[]>> decisions = decisions(changed);
        Plan plan = new Plan();
        for (LinkageRecords.Held h : held) {
            String identity;
            if (isNew.contains(h.id()) || h.identityId() == null) {
                identity = decide(h, tx, plan, Set.of(), null);
            } else {
                identity = decideChanged(h, tx, plan, decisions.getOrDefault(h.id(), List.of()));
            }
            String previous = tx.overlay.identityOf(h.record().id());
            try {
                if (previous == null) {
                    tx.overlay.add(h.record(), identity);
                } else {
                    tx.overlay.update(h.record());
                    tx.overlay.reassign(h.record().id(), identity);
                }
            } catch (RecordException e) {
                unindexable(h.id(), e);
            }
        }
        long matched = System.nanoTime();
        write(plan, tx, all);
        if (LOG.isDebugEnabled()) {
            LOG.debug(
                    "resolved {} records in {} µs: load {} µs, match {} µs, write {} µs",
                    held.size(),
                    (System.nanoTime() - started) / 1000,
                    (loaded - started) / 1000,
                    (matched - loaded) / 1000,
                    (System.nanoTime() - matched) / 1000);
        }
    }

    /** Supervisors' decisions about changed records: record → [other record, 1 for must-link / 0 for cannot-link]. */
    private Map<Long, List<Long[]>> decisions(List<Long> changed) {
        Map<Long, List<Long[]>> out = new HashMap<>();
        if (changed.isEmpty()) {
            return out;
        }
        jdbc.sql(
                        """
                SELECT record_a, record_b, status = 'must_link' FROM identity_review
                WHERE status <> 'open' AND (record_a = ANY(:ids) OR record_b = ANY(:ids))""")
                .param("ids", changed.toArray(Long[]::new))
                .query(rs -> {
                    long a = rs.getLong(1);
                    long b = rs.getLong(2);
                    long must = rs.getBoolean(3) ? 1 : 0;
                    out.computeIfAbsent(a, k -> new ArrayList<>()).add(new Long[] {b, must});
                    out.computeIfAbsent(b, k -> new ArrayList<>()).add(new Long[] {a, must});
                });
        return out;
    }

    /** A changed record keeps its identity while it still resembles it, or a supervisor put it there. */
    private String decideChanged(LinkageRecords.Held h, Tx tx, Plan plan, List<Long[]> decided) {
        String own = h.identityId().toString();
        Set<String> excluded = new HashSet<>();
        for (Long[] d : decided) {
            String other = identityKey(d[0], tx, plan);
            if (d[1] == 1 && own.equals(other)) {
                return own;
            }
            if (d[1] == 0 && other != null) {
                excluded.add(other);
            }
        }
        List<Scored> candidates = candidates(h.record(), tx, excluded, CANDIDATES);
        boolean alone = jdbc.sql("SELECT NOT EXISTS (SELECT 1 FROM person_record WHERE identity_id = ? AND id <> ?)")
                .params(h.identityId(), h.id())
                .query(Boolean.class)
                .single();
        if (!alone
                && candidates.stream().anyMatch(c -> c.identity().equals(own) && c.weight() >= config.reviewWeight())) {
            return own;
        }
        if (!alone) {
            plan.detached.add(h.id());
        }
        return decide(h, tx, plan, excluded, alone ? own : null, candidates);
    }

    private String decide(LinkageRecords.Held h, Tx tx, Plan plan, Set<String> excluded, String otherwise) {
        return decide(h, tx, plan, excluded, otherwise, candidates(h.record(), tx, excluded, CANDIDATES));
    }

    /**
     * Joins the strongest candidate at or above the online match weight that the record fits as a whole (see {@link #fits}) and that
     * holds no other UPN; else keeps {@code otherwise} (null: a new identity). The strongest candidate it did not
     * join, when at or above the review weight, is proposed for review with the reason it was not joined.
     */
    private String decide(
            LinkageRecords.Held h, Tx tx, Plan plan, Set<String> excluded, String otherwise, List<Scored> candidates) {
        Scored joined = null;
        Scored held = null;
        String reason = "uncertain";
        for (Scored c : candidates) {
            if (c.weight() < config.onlineMatchWeight()) {
                break;
            }
            String refusal = differentUpn(c.explanation())
                    ? "different_upn"
                    : fits(h.record(), c.identity(), tx) ? null : "weak_cluster_link";
            if (refusal == null) {
                joined = c;
                break;
            }
            if (held == null) {
                held = c;
                reason = refusal;
            }
        }
        if (held == null
                && joined == null
                && !candidates.isEmpty()
                && candidates.get(0).weight() >= config.reviewWeight()) {
            held = candidates.get(0);
        }
        String identity;
        if (joined != null) {
            identity = joined.identity();
            if (identity.startsWith("r")) {
                // The candidate record had no identity: both start one now.
                String fresh = plan.newPlaceholder();
                tx.renamed.put(identity, fresh);
                plan.assign.put(joined.recordId(), fresh);
                identity = fresh;
            }
            plan.links.add(new Object[] {
                identity,
                Math.min(h.id(), joined.recordId()),
                Math.max(h.id(), joined.recordId()),
                joined.weight(),
                joined.probability(),
                IdentityResolver.evidence(joined.explanation())
            });
        } else {
            identity = otherwise != null ? otherwise : plan.newPlaceholder();
        }
        if (held != null) {
            plan.reviews.add(new Object[] {
                Math.min(h.id(), held.recordId()),
                Math.max(h.id(), held.recordId()),
                held.weight(),
                held.probability(),
                reason,
                IdentityResolver.evidence(held.explanation())
            });
        }
        plan.assign.put(h.id(), identity);
        return identity;
    }

    /**
     * The batch clustering's guard, one record at a time: a record joins an identity of two or more records only if
     * at least the profile's {@code min_cross_link_ratio} of them score at or above its fracture weight against it.
     * Without it one strong link to one record chains different children into one identity (precision fell from
     * 0.98 to 0.90 at 100,000 children, docs/benchmarks.md). The identity's records are those of the shared index
     * (less any this transaction changed) and the transaction's own, under its key or a key renamed to it.
     */
    private boolean fits(Record record, String identity, Tx tx) {
        Set<String> keys = new HashSet<>();
        keys.add(identity);
        tx.renamed.forEach((from, to) -> {
            if (to.equals(identity)) {
                keys.add(from);
            }
        });
        OnlineIndex.Agreement agreement = tx.overlay
                .agreement(record, keys, config.fractureWeight(), id -> false, MAX_AGREEMENT_PAIRS)
                .plus(index.agreement(
                        record,
                        keys,
                        config.fractureWeight(),
                        id -> tx.overlay.identityOf(id) != null,
                        MAX_AGREEMENT_PAIRS));
        return agreement.scored() < 2 || agreement.agreeing() >= config.minCrossLinkRatio() * agreement.scored();
    }

    /** Two UPNs held and not alike: the engine never merges such records on its own (issue 9). */
    private static boolean differentUpn(Explanation explanation) {
        return explanation.terms().stream().anyMatch(t -> "upn".equals(t.comparison()) && "else".equals(t.level()));
    }

    /** The index key of a record's identity as this transaction sees it, or null. */
    private String identityKey(long recordId, Tx tx, Plan plan) {
        String key = plan.assign.get(recordId);
        if (key == null) {
            key = tx.overlay.identityOf(Long.toString(recordId));
        }
        if (key == null) {
            key = jdbc.sql("SELECT identity_id::text FROM person_record WHERE id = ?")
                    .param(recordId)
                    .query(String.class)
                    .optional()
                    .orElse(null);
        }
        return key == null ? null : tx.renamed.getOrDefault(key, key);
    }

    /** The best identities for a record from the shared index and the transaction's overlay, strongest first. */
    private List<Scored> candidates(Record record, Tx tx, Set<String> excluded, int limit) {
        Map<String, Scored> best = new HashMap<>();
        for (OnlineIndex source : List.of(index, tx.overlay)) {
            for (OnlineIndex.Candidate c : source.match(record, limit)) {
                String identity = tx.renamed.getOrDefault(c.identityId(), c.identityId());
                if (excluded.contains(identity)) {
                    continue;
                }
                Scored s = new Scored(
                        identity, Long.parseLong(c.recordId()), c.weight(), c.probability(), c.explanation());
                best.merge(identity, s, (x, y) -> x.weight() >= y.weight() ? x : y);
            }
        }
        List<Scored> ranked = new ArrayList<>(best.values());
        ranked.sort(Comparator.comparingDouble(Scored::weight).reversed().thenComparingLong(Scored::recordId));
        return ranked;
    }

    private void write(Plan plan, Tx tx, List<Long> records) {
        Map<String, Long> placeholder = new HashMap<>();
        if (plan.placeholders > 0) {
            List<Long> ids = jdbc.sql(
                            "SELECT nextval(pg_get_serial_sequence('identity', 'id')) FROM generate_series(1, ?)")
                    .param(plan.placeholders)
                    .query(Long.class)
                    .list();
            jdbc.sql("INSERT INTO identity (id) SELECT unnest(?::bigint[])")
                    .param(ids.toArray(Long[]::new))
                    .update();
            for (int i = 0; i < ids.size(); i++) {
                placeholder.put("p" + i, ids.get(i));
            }
        }
        java.util.function.Function<String, Long> real =
                key -> key.startsWith("p") ? placeholder.get(key) : Long.valueOf(key);
        long[] recordIds = new long[plan.assign.size()];
        long[] identityIds = new long[plan.assign.size()];
        int i = 0;
        for (var e : plan.assign.entrySet()) {
            recordIds[i] = e.getKey();
            identityIds[i] = real.apply(e.getValue());
            i++;
        }
        people.assignIdentities(recordIds, identityIds);
        for (int r = 0; r < recordIds.length; r++) {
            String id = Long.toString(recordIds[r]);
            if (tx.overlay.identityOf(id) != null) {
                tx.overlay.reassign(id, Long.toString(identityIds[r]));
            }
        }
        tx.renamed.replaceAll((k, v) -> v.startsWith("p") ? placeholder.get(v).toString() : v);
        if (!plan.detached.isEmpty()) {
            jdbc.sql(
                            "DELETE FROM identity_link WHERE source = 'engine' AND (record_a = ANY(:ids) OR record_b = ANY(:ids))")
                    .param("ids", plan.detached.toArray(Long[]::new))
                    .update();
        }
        if (!plan.links.isEmpty()) {
            jdbc.sql(
                            """
                    INSERT INTO identity_link (identity_id, record_a, record_b, weight, probability, evidence, source)
                    SELECT *, 'engine' FROM unnest(?::bigint[], ?::bigint[], ?::bigint[], ?::float8[], ?::float8[], ?::text[])""")
                    .params(
                            plan.links.stream()
                                    .map(l -> real.apply((String) l[0]))
                                    .toArray(Long[]::new),
                            column(plan.links, 1, Long.class),
                            column(plan.links, 2, Long.class),
                            column(plan.links, 3, Double.class),
                            column(plan.links, 4, Double.class),
                            column(plan.links, 5, String.class))
                    .update();
        }
        if (!plan.reviews.isEmpty()) {
            jdbc.sql(
                            """
                    INSERT INTO identity_review (record_a, record_b, weight, probability, reason, evidence)
                    SELECT * FROM unnest(?::bigint[], ?::bigint[], ?::float8[], ?::float8[], ?::text[], ?::text[])
                    ON CONFLICT (record_a, record_b) DO NOTHING""")
                    .params(
                            column(plan.reviews, 0, Long.class), column(plan.reviews, 1, Long.class),
                            column(plan.reviews, 2, Double.class), column(plan.reviews, 3, Double.class),
                            column(plan.reviews, 4, String.class), column(plan.reviews, 5, String.class))
                    .update();
        }
        Set<Long> changed = new java.util.LinkedHashSet<>(records);
        changed.addAll(plan.assign.keySet());
        jdbc.sql("INSERT INTO identity_index_change (person_record_id) SELECT unnest(?::bigint[])")
                .param(changed.toArray(Long[]::new))
                .update();
    }

    @SuppressWarnings("unchecked")
    private static <T> T[] column(List<Object[]> rows, int index, Class<T> type) {
        T[] out = (T[]) java.lang.reflect.Array.newInstance(type, rows.size());
        for (int i = 0; i < rows.size(); i++) {
            out[i] = type.cast(rows.get(i)[index]);
        }
        return out;
    }

    /**
     * Names the record and the field only: the engine's reason quotes the value (a date of birth, say), which must
     * not reach the log.
     */
    private static void unindexable(long recordId, RecordException e) {
        LOG.warn("person record {} cannot be indexed: its {} breaks the field's rules", recordId, e.field());
    }
}
