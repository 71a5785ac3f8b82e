package org.sightline.linkage.online;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import org.sightline.linkage.LinkResult;
import org.sightline.linkage.LinkageConfig;
import org.sightline.linkage.LinkageConfigException;
import org.sightline.linkage.RecordException;
import org.sightline.linkage.block.BlockingRule;
import org.sightline.linkage.model.Record;
import org.sightline.linkage.normalise.NicknameTable;
import org.sightline.linkage.normalise.PreparedRecord;
import org.sightline.linkage.normalise.Preparer;
import org.sightline.linkage.score.Explanation;
import org.sightline.linkage.score.FellegiSunterModel;
import org.sightline.linkage.score.TermFrequencies;

/**
 * Records held in memory, indexed by the blocking rules, for matching one record at a time without re-running the
 * batch: {@link #add}, {@link #update}, {@link #remove} and {@link #match}. Uses a trained model (from a batch run)
 * and keeps term frequencies current as records come and go. Thread-safe: many concurrent matches, one writer.
 *
 * <p>A blocking key held by more than {@code maxBlockSize} records is not scanned for a query (the other rules find
 * the candidates), which bounds the work per query.
 */
public final class OnlineIndex {
    /** An identity proposed for a record: the best-scoring record of that identity and why. */
    public record Candidate(
            String identityId, String recordId, double weight, double probability, Explanation explanation) {}

    /** How many of an identity's held records were scored against a record, and how many reached the weight. */
    public record Agreement(int scored, int agreeing) {
        public static final Agreement NONE = new Agreement(0, 0);

        public Agreement plus(Agreement other) {
            return new Agreement(scored + other.scored, agreeing + other.agreeing);
        }
    }

    private static final class Entry {
        final PreparedRecord record;
        final @Nullable String[] keys; // per blocking rule, null = no key
        String identity;

        Entry(PreparedRecord record, @Nullable String[] keys, String identity) {
            this.record = record;
            this.keys = keys;
            this.identity = identity;
        }
    }

    /**
     * Term-frequency adjustments apply once the index holds this many records. Below it, a value held once already
     * counts as common (1 in a handful) and a child's own earlier record makes their name look frequent, so exact
     * agreement would weigh almost nothing: two identical records in a new installation would not match.
     */
    public static final int MIN_TF_RECORDS = 200;

    private final LinkageConfig config;
    private final FellegiSunterModel model;
    private final Preparer preparer;
    private final List<BlockingRule> rules;
    private final List<Map<String, List<Entry>>> postings = new ArrayList<>();
    private final Map<String, Entry> byId = new HashMap<>();
    /** Records by identity, for {@link #agreement}. */
    private final Map<String, List<Entry>> members = new HashMap<>();

    private final TermFrequencies tf;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    /** For an overlay: the index whose term frequencies score its records (see {@link #overlay}). */
    private final @Nullable OnlineIndex base;

    public OnlineIndex(LinkageConfig config, FellegiSunterModel model) {
        this(config, model, NicknameTable.shipped());
    }

    public OnlineIndex(LinkageConfig config, FellegiSunterModel model, NicknameTable nicknames) {
        if (model.comparisons().size() != config.comparisons().size()) {
            throw new LinkageConfigException("the model was trained with a different set of comparisons");
        }
        this.config = config;
        this.model = model;
        this.preparer = new Preparer(config.fields(), nicknames);
        this.rules = config.blockingRules();
        for (int r = 0; r < rules.size(); r++) {
            postings.add(new HashMap<>());
        }
        this.tf = new TermFrequencies(config.comparisons(), model.jointTf());
        this.base = null;
    }

    private OnlineIndex(OnlineIndex base) {
        this.config = base.config;
        this.model = base.model;
        this.preparer = base.preparer;
        this.rules = base.rules;
        for (int r = 0; r < rules.size(); r++) {
            postings.add(new HashMap<>());
        }
        this.tf = new TermFrequencies(config.comparisons(), model.jointTf());
        this.base = base;
    }

    /**
     * An empty index for records not yet in this one (e.g. those of an uncommitted transaction), whose matches are
     * scored with this index's term frequencies, so that weights from both are comparable.
     */
    public OnlineIndex overlay() {
        return new OnlineIndex(this);
    }

    public LinkageConfig config() {
        return config;
    }

    /** An index holding every record of a batch run under its cluster id. {@code records} as given to the run. */
    public static OnlineIndex of(LinkResult result, List<Record> records) {
        OnlineIndex idx = new OnlineIndex(result.config(), result.model());
        for (int i = 0; i < records.size(); i++) {
            idx.add(records.get(i), result.clusterId(i));
        }
        return idx;
    }

    public int size() {
        lock.readLock().lock();
        try {
            return byId.size();
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Identity of a held record, or null. */
    public @Nullable String identityOf(String recordId) {
        lock.readLock().lock();
        try {
            Entry e = byId.get(recordId);
            return e == null ? null : e.identity;
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * Adds a record under an identity.
     *
     * @throws IllegalArgumentException when a record with this id is already held
     * @throws RecordException          when a value breaks its field's rules
     */
    public void add(Record record, String identityId) {
        Entry e = entry(record, identityId);
        lock.writeLock().lock();
        try {
            if (byId.containsKey(record.id())) {
                throw new IllegalArgumentException("record " + record.id() + " is already indexed; use update");
            }
            insert(e);
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Replaces a held record's values, keeping its identity. Returns false when the id is not held. */
    public boolean update(Record record) {
        lock.writeLock().lock();
        try {
            Entry old = byId.get(record.id());
            if (old == null) {
                return false;
            }
            Entry e = entry(record, old.identity);
            delete(old);
            insert(e);
            return true;
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Moves a held record to another identity (e.g. after a reviewer's decision). */
    public boolean reassign(String recordId, String identityId) {
        lock.writeLock().lock();
        try {
            Entry e = byId.get(recordId);
            if (e == null) {
                return false;
            }
            leave(e);
            e.identity = identityId;
            join(e);
            return true;
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Removes a record; returns false when it was not held. */
    public boolean remove(String recordId) {
        lock.writeLock().lock();
        try {
            Entry e = byId.get(recordId);
            if (e == null) {
                return false;
            }
            delete(e);
            return true;
        } finally {
            lock.writeLock().unlock();
        }
    }

    /**
     * The best identities for a record (not added), strongest first, at most {@code limit}; each with its best
     * record, weight, probability and explanation. A held record with the query's id is ignored, so a changed record
     * can be re-matched before {@link #update}.
     */
    public List<Candidate> match(Record query, int limit) {
        return match(query, List.of(), limit);
    }

    /**
     * As {@link #match(Record, int)}, also gathering candidates by the blocking keys of {@code probes}, every one
     * scored against {@code query}. For a search that lacks a blocking field, e.g. the query with each plausible birth
     * year when the date of birth is not known, so that a misspelt name is still found by the name-and-year rule.
     */
    public List<Candidate> match(Record query, List<Record> probes, int limit) {
        PreparedRecord q = prepare(query, -1);
        List<String[]> keySets = new ArrayList<>();
        keySets.add(keysOf(q));
        for (Record probe : probes) {
            keySets.add(keysOf(prepare(probe, -1)));
        }
        if (base != null) {
            base.lock.readLock().lock();
        }
        lock.readLock().lock();
        try {
            OnlineIndex counted = base != null ? base : this;
            // Frequencies counted over a handful of records are noise (see MIN_TF_RECORDS).
            TermFrequencies tf = counted.byId.size() >= MIN_TF_RECORDS ? counted.tf : null;
            Set<Entry> seen = new HashSet<>();
            Map<String, Object[]> best = new LinkedHashMap<>();
            for (String[] keys : keySets) {
                for (int r = 0; r < rules.size(); r++) {
                    if (keys[r] == null) {
                        continue;
                    }
                    List<Entry> list = postings.get(r).get(keys[r]);
                    if (list == null || list.size() > config.maxBlockSize()) {
                        continue;
                    }
                    for (Entry e : list) {
                        if (!seen.add(e) || e.record.id().equals(query.id())) {
                            continue;
                        }
                        double w = model.weight(q, e.record, tf);
                        Object[] cur = best.get(e.identity);
                        if (cur == null || (double) cur[1] < w) {
                            best.put(e.identity, new Object[] {e, w});
                        }
                    }
                }
            }
            List<Object[]> ranked = new ArrayList<>(best.values());
            ranked.sort(Comparator.comparingDouble((Object[] x) -> -(double) x[1])
                    .thenComparing(x -> ((Entry) x[0]).record.id()));
            List<Candidate> out = new ArrayList<>();
            for (int i = 0; i < Math.min(limit, ranked.size()); i++) {
                Entry e = (Entry) ranked.get(i)[0];
                double w = (double) ranked.get(i)[1];
                out.add(new Candidate(
                        e.identity,
                        e.record.id(),
                        w,
                        FellegiSunterModel.probability(w),
                        model.explain(q, e.record, tf)));
            }
            return out;
        } finally {
            lock.readLock().unlock();
            if (base != null) {
                base.lock.readLock().unlock();
            }
        }
    }

    /**
     * How well a record fits identities as wholes: the held records of {@code identityIds} (other than the query's own
     * id and those {@code skip} names), each scored against the query, and how many reach {@code minWeight}. At most
     * {@code max} records are scored, spread evenly over the identity. This is the batch clustering's guard against
     * chaining, for one record at a time: one strong link to one record must not join an identity whose other records
     * disagree with it.
     */
    public Agreement agreement(
            Record query, Collection<String> identityIds, double minWeight, Predicate<String> skip, int max) {
        PreparedRecord q = prepare(query, -1);
        if (base != null) {
            base.lock.readLock().lock();
        }
        lock.readLock().lock();
        try {
            OnlineIndex counted = base != null ? base : this;
            TermFrequencies tf = counted.byId.size() >= MIN_TF_RECORDS ? counted.tf : null;
            List<Entry> held = new ArrayList<>();
            for (String identity : identityIds) {
                for (Entry e : members.getOrDefault(identity, List.of())) {
                    if (!e.record.id().equals(query.id()) && !skip.test(e.record.id())) {
                        held.add(e);
                    }
                }
            }
            int step = Math.max(1, (held.size() + max - 1) / max);
            int scored = 0;
            int agreeing = 0;
            for (int i = 0; i < held.size(); i += step) {
                scored++;
                if (model.weight(q, held.get(i).record, tf) >= minWeight) {
                    agreeing++;
                }
            }
            return new Agreement(scored, agreeing);
        } finally {
            lock.readLock().unlock();
            if (base != null) {
                base.lock.readLock().unlock();
            }
        }
    }

    private Entry entry(Record record, String identityId) {
        PreparedRecord p = prepare(record, -1);
        return new Entry(p, keysOf(p), identityId);
    }

    private PreparedRecord prepare(Record record, int index) {
        try {
            return preparer.prepare(record, 0);
        } catch (Preparer.BadValueException e) {
            throw new RecordException(index, record.id(), e.field(), e.getMessage());
        }
    }

    private @Nullable String[] keysOf(PreparedRecord p) {
        @Nullable String[] keys = new String[rules.size()];
        for (int r = 0; r < keys.length; r++) {
            keys[r] = rules.get(r).key(p);
        }
        return keys;
    }

    private void insert(Entry e) {
        byId.put(e.record.id(), e);
        join(e);
        for (int r = 0; r < rules.size(); r++) {
            if (e.keys[r] != null) {
                postings.get(r)
                        .computeIfAbsent(e.keys[r], k -> new ArrayList<>(2))
                        .add(e);
            }
        }
        tf.add(e.record);
    }

    private void delete(Entry e) {
        byId.remove(e.record.id());
        leave(e);
        for (int r = 0; r < rules.size(); r++) {
            if (e.keys[r] != null) {
                // an emptied list is dropped (a null result removes the mapping)
                postings.get(r).computeIfPresent(e.keys[r], (k, list) -> {
                    list.remove(e);
                    return list.isEmpty() ? null : list;
                });
            }
        }
        tf.remove(e.record);
    }

    private void join(Entry e) {
        members.computeIfAbsent(e.identity, k -> new ArrayList<>(1)).add(e);
    }

    private void leave(Entry e) {
        members.computeIfPresent(e.identity, (k, list) -> {
            list.remove(e);
            return list.isEmpty() ? null : list;
        });
    }
}
