package org.sightline.statistics;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.Month;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.StringJoiner;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;
import org.sightline.shared.Progress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Issue 9 part 8: the missing-episode figures of a standard period (a month, a calendar quarter, a financial year from
 * 1 April, a calendar year) read from counts kept per area code and period ({@code stat_missing_count}), so a
 * dashboard reads a few dozen rows instead of every episode of the area. The counts are kept by difference: triggers
 * queue the records a change touches ({@code stat_dirty_record}, in the change's own transaction), and a refresh
 * recounts those records' children, old and new identity alike, subtracting what each contributed last time (kept in
 * {@code stat_missing_child}) and adding what it contributes now. Each child's contribution to each area and period is
 * counted by the same rule as figures computed from the records ({@link MissingStatistics#count}), from the child's
 * episodes by agencies of that area reported in that period, so the two agree exactly (held by a test). A page
 * refreshes what is queued before it reads; other periods, and any period while the counts are being rebuilt, are
 * computed from the records.
 */
@Service
public class MissingAggregate {

    private static final Logger LOG = LoggerFactory.getLogger(MissingAggregate.class);

    static final String NAME = "missing";
    /**
     * The counting rule's version: change it when {@link MissingStatistics#count}, the periods or the kept inputs'
     * layout change (2: each child's area lists written once; 3: inputs compact).
     */
    static final int VERSION = 3;

    static final String ALL_AREAS = ProfileQuery.ENGLAND_AND_WALES;
    private static final int BATCH = 2_000;
    private static final int WRITE_CHUNK = 10_000;
    /** Children a rebuild hands a worker at a time (a test sets 1, so every worker counts some). */
    static final int COUNT_BATCH = 500;

    private int countBatch = COUNT_BATCH;

    /** More queued records than this and a page computes from the records rather than wait for the refresh. */
    private static final long PAGE_REFRESH_LIMIT = 20_000;
    /** More queued records than this and the scheduled refresh rebuilds instead. */
    private static final long REBUILD_QUEUE = 200_000;

    private final JdbcClient jdbc;
    /** The same database, reading with a cursor (a rebuild streams every episode). */
    private final JdbcClient streaming;

    private final DataSource dataSource;

    private final TransactionTemplate tx;
    private final Clock clock;

    MissingAggregate(JdbcClient jdbc, DataSource dataSource, PlatformTransactionManager transactions, Clock clock) {
        this.jdbc = jdbc;
        this.dataSource = dataSource;
        JdbcTemplate cursor = new JdbcTemplate(dataSource);
        cursor.setFetchSize(5_000);
        this.streaming = JdbcClient.create(cursor);
        this.tx = new TransactionTemplate(transactions);
        this.tx.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        this.clock = clock;
    }

    /**
     * The figures from the counts, or empty when the query's period is not a standard one, the as-at date falls
     * inside it (records reported after it would be counted), the counts are not built, or a refresh is too far
     * behind for a page to wait for it.
     */
    public Optional<MissingStatistics.Figures> figures(ProfileQuery q) {
        Optional<String> period = period(q.from(), q.to());
        if (period.isEmpty() || q.asAt().isBefore(q.to()) || !built()) {
            return Optional.empty();
        }
        long queued = queued();
        if (queued > PAGE_REFRESH_LIMIT) {
            return Optional.empty();
        }
        if (queued > 0 && !refreshUnlessRebuilding()) {
            return Optional.empty(); // a page does not wait for a rebuild
        }
        String area =
                q.area() == null || q.area().isBlank() ? ALL_AREAS : q.area().strip();
        Map<String, Long> cells = new HashMap<>();
        jdbc.sql(
                        """
                        SELECT cell, n FROM stat_missing_count, unnest(cells, counts) AS c(cell, n)
                        WHERE area = ? AND period = ?""")
                .params(area, period.get())
                .query(rs -> {
                    cells.put(rs.getString("cell"), rs.getLong("n"));
                });
        return Optional.of(MissingStatistics.figures(cells));
    }

    private long queued() {
        return jdbc.sql("SELECT count(*) FROM stat_dirty_record")
                .query(Long.class)
                .single();
    }

    void countBatch(int children) {
        this.countBatch = children;
    }

    /** Whether the counts are built with this version's rule. */
    boolean built() {
        return AggregateState.builtAt(jdbc, NAME, VERSION).isPresent();
    }

    /**
     * Keeps the counts current: builds them when they are missing or of another version, or when so much is queued
     * (a relink of everything, a bulk load) that counting everything again is quicker; else applies the queue.
     */
    @Scheduled(
            fixedDelayString = "${sightline.statistics.refresh:5s}",
            initialDelayString = "${sightline.statistics.refresh:5s}")
    void poll() {
        try {
            if (built() && queued() <= REBUILD_QUEUE) {
                refresh();
            } else {
                rebuild(Progress.NONE);
            }
        } catch (RuntimeException e) {
            LOG.warn("statistics refresh failed; the queue keeps its rows for the next one: {}", e.getMessage());
        }
    }

    /** Recounts the children of every queued record, a batch a transaction; returns the records applied. */
    public long refresh() {
        long applied = 0;
        while (true) {
            Integer n = tx.execute(s -> {
                lock();
                return refreshBatch();
            });
            if (n == null || n == 0) {
                return applied;
            }
            applied += n;
        }
    }

    /** As {@link #refresh()}, unless a rebuild is running: then false at once. */
    private boolean refreshUnlessRebuilding() {
        while (true) {
            Integer n = tx.execute(s -> {
                if (!jdbc.sql("SELECT pg_try_advisory_xact_lock(hashtext('stat_missing_rebuild'))")
                        .query(Boolean.class)
                        .single()) {
                    return -1;
                }
                lock();
                return refreshBatch();
            });
            if (n == null || n < 0) {
                return false;
            }
            if (n == 0) {
                return true;
            }
        }
    }

    private int refreshBatch() {
        if (!built()) {
            return 0; // a rebuild is due, and will count everything queued
        }
        List<Long> records = jdbc.sql(
                        """
                DELETE FROM stat_dirty_record WHERE id IN (
                  SELECT id FROM stat_dirty_record ORDER BY id LIMIT ? FOR UPDATE SKIP LOCKED)
                RETURNING record_id""")
                .param(BATCH)
                .query(Long.class)
                .list();
        if (records.isEmpty()) {
            return 0;
        }
        Long[] ids = new LinkedHashSet<>(records).toArray(Long[]::new);
        Set<Long> children = new TreeSet<>();
        children.addAll(jdbc.sql("SELECT coalesce(identity_id, -id) FROM person_record WHERE id = ANY(?)")
                .param(ids)
                .query(Long.class)
                .list());
        children.addAll(jdbc.sql("SELECT child FROM stat_missing_record WHERE record_id = ANY(?)")
                .param(ids)
                .query(Long.class)
                .list());
        Delta delta = new Delta();
        recount(children, delta);
        apply(delta);
        return records.size();
    }

    /**
     * Counts everything again from the records, in one transaction: empties the counts, streams every episode once,
     * and writes what it counted with COPY (pages compute from the records meanwhile).
     */
    public void rebuild(Progress progress) {
        tx.executeWithoutResult(s -> {
            jdbc.sql("SELECT pg_advisory_xact_lock(hashtext('stat_missing_rebuild'))")
                    .query()
                    .singleRow();
            lock();
            jdbc.sql("DELETE FROM stat_dirty_record").update();
            jdbc.sql("TRUNCATE stat_missing_count, stat_missing_child, stat_missing_record")
                    .update();
            // The rebuild reads every row through a cursor: plan for all of them (hash joins and one sort), not for
            // the first tenth, which is what PostgreSQL assumes of a cursor.
            jdbc.sql("SET LOCAL cursor_tuple_fraction = 1.0").update();
            // Compiling the plan (JIT) took half a second of a million children's read and saved nothing.
            jdbc.sql("SET LOCAL jit = off").update();
            Delta delta = new Delta();
            if (progress != Progress.NONE) { // a scan of every episode, only for someone watching
                progress.total(jdbc.sql("SELECT count(DISTINCT person_record_id) FROM missing_episode")
                        .query(Long.class)
                        .single());
            }
            long t0 = System.nanoTime();
            long children = count("true", Map.of(), delta, progress, true);
            long t1 = System.nanoTime();
            long cells;
            try (CopyIn out = new CopyIn(dataSource, "stat_missing_count (area, period, cells, counts)")) {
                // Array literals: cell names hold letters, digits and | / _ only, so need no quoting.
                delta.totals((area, period, counts) -> {
                    StringJoiner names = new StringJoiner(",", "{", "}");
                    StringJoiner ns = new StringJoiner(",", "{", "}");
                    for (int i = 0; i < counts.length; i++) {
                        if (counts[i] != 0) {
                            names.add(MissingStatistics.CELL_NAMES.get(i));
                            ns.add(Long.toString(counts[i]));
                        }
                    }
                    out.line()
                            .append(area)
                            .append('\t')
                            .append(period)
                            .append('\t')
                            .append(names)
                            .append('\t')
                            .append(ns);
                });
                cells = out.lines();
            }
            long t2 = System.nanoTime();
            AggregateState.built(jdbc, NAME, VERSION, clock.instant());
            progress.done(String.format(
                    java.util.Locale.ROOT,
                    "missing-episode counts rebuilt: %d children with episodes, %d areas and periods; counted and kept in"
                            + " %.1f s, counts written in %.1f s",
                    children,
                    cells,
                    (t1 - t0) / 1e9,
                    (t2 - t1) / 1e9));
        });
    }

    /**
     * One refresh or rebuild at a time (others wait): each reads what the one before it wrote. A rebuild also holds
     * {@code stat_missing_rebuild}, so a page can tell it is running and compute from the records instead of waiting.
     */
    private void lock() {
        jdbc.sql("SELECT pg_advisory_xact_lock(hashtext('stat_missing'))")
                .query()
                .singleRow();
    }

    /** Recounts the given children: what they contribute now, minus what they contributed at the last count. */
    private void recount(Set<Long> children, Delta delta) {
        Long[] identities = children.stream().filter(c -> c > 0).toArray(Long[]::new);
        Long[] records = children.stream().filter(c -> c < 0).map(c -> -c).toArray(Long[]::new);
        Map<Long, List<Counted>> before = new HashMap<>();
        jdbc.sql("SELECT child, input FROM stat_missing_child WHERE child = ANY(?)")
                .param(children.toArray(Long[]::new))
                .query(rs -> {
                    before.put(rs.getLong("child"), decode(rs.getBytes("input")));
                });
        before.values().forEach(rows -> contribute(rows, -1, delta));
        jdbc.sql("DELETE FROM stat_missing_child WHERE child = ANY(?)")
                .param(children.toArray(Long[]::new))
                .update();
        jdbc.sql("DELETE FROM stat_missing_record WHERE child = ANY(?)")
                .param(children.toArray(Long[]::new))
                .update();
        count(
                """
                pr.id IN (SELECT id FROM person_record WHERE identity_id = ANY(:identities)
                          UNION ALL SELECT id FROM person_record WHERE identity_id IS NULL AND id = ANY(:records))""",
                Map.of("identities", identities, "records", records),
                delta,
                Progress.NONE,
                false);
    }

    /**
     * Counts the children of the episodes {@code where} selects, adds what they contribute to {@code delta} and keeps
     * it for the next recount; returns the children counted. The episodes stream past in child order (a cursor, so a
     * rebuild does not hold every episode at once); a rebuild hands each few hundred children to a worker per core
     * while it reads on (counting is most of its time), a refresh counts its few children as it reads. What is kept is
     * written once the stream is read.
     */
    private long count(String where, Map<String, ?> params, Delta delta, Progress progress, boolean emptied) {
        Map<Long, List<String>> areas = agencyAreas();
        Part counted;
        try (Counting counting =
                emptied ? new Counting(Math.max(2, Runtime.getRuntime().availableProcessors())) : new Counting(delta)) {
            List<Long> batchChildren = new ArrayList<>();
            List<List<Counted>> batchRows = new ArrayList<>();
            List<Counted> current = new ArrayList<>();
            long[] child = {Long.MIN_VALUE};
            long[] records = {0};
            Runnable submit = () -> {
                counting.submit(List.copyOf(batchChildren), List.copyOf(batchRows));
                batchChildren.clear();
                batchRows.clear();
                progress.update(records[0]);
            };
            Runnable flush = () -> {
                if (current.isEmpty()) {
                    return;
                }
                batchChildren.add(child[0]);
                batchRows.add(List.copyOf(current));
                records[0] +=
                        current.stream().map(c -> c.row().recordId()).distinct().count();
                current.clear();
                if (batchChildren.size() >= countBatch) {
                    submit.run();
                }
            };
            MissingStatistics.rows(streaming, where, params, (id, row) -> {
                if (id != child[0]) {
                    flush.run();
                    child[0] = id;
                }
                current.add(new Counted(row, areas.getOrDefault(row.agencyId(), List.of())));
            });
            flush.run();
            submit.run();
            counted = counting.finish();
        }
        if (counted.delta != delta) {
            delta.addAll(counted.delta);
        }
        List<Long> children = counted.children;
        List<byte[]> inputs = counted.inputs;
        List<Long> keptRecords = counted.records;
        List<Long> owners = counted.owners;
        if (emptied) {
            // A rebuild's tables are empty: COPY is several times quicker than inserts for a million rows.
            try (BinaryCopyIn out = new BinaryCopyIn(dataSource, "stat_missing_child (child, input)")) {
                for (int i = 0; i < children.size(); i++) {
                    out.row(2).int8(children.get(i)).bytea(inputs.get(i));
                }
            }
            try (BinaryCopyIn out = new BinaryCopyIn(dataSource, "stat_missing_record (record_id, child)")) {
                for (int i = 0; i < keptRecords.size(); i++) {
                    out.row(2).int8(keptRecords.get(i)).int8(owners.get(i));
                }
            }
            return children.size();
        }
        for (int i = 0; i < children.size(); i += WRITE_CHUNK) {
            int to = Math.min(children.size(), i + WRITE_CHUNK);
            jdbc.sql("INSERT INTO stat_missing_child (child, input)"
                            + " SELECT * FROM unnest(CAST(? AS bigint[]), CAST(? AS bytea[]))")
                    .params(
                            children.subList(i, to).toArray(Long[]::new),
                            inputs.subList(i, to).toArray(byte[][]::new))
                    .update();
        }
        for (int i = 0; i < keptRecords.size(); i += WRITE_CHUNK) {
            int to = Math.min(keptRecords.size(), i + WRITE_CHUNK);
            jdbc.sql("INSERT INTO stat_missing_record (record_id, child)"
                            + " SELECT * FROM unnest(CAST(? AS bigint[]), CAST(? AS bigint[]))"
                            + " ON CONFLICT (record_id) DO UPDATE SET child = EXCLUDED.child")
                    .params(
                            keptRecords.subList(i, to).toArray(Long[]::new),
                            owners.subList(i, to).toArray(Long[]::new))
                    .update();
        }
        return children.size();
    }

    /**
     * Adds {@code sign} times what one child's episodes contribute to each area and period they fall in. A child's
     * areas are grouped once by which of its agencies' area lists hold them (one group for most children; for a child
     * of a police force and an authority, the force's own areas, the authority's, and those both share such as the
     * region): in a period, each group holds the episodes of those lists. Each distinct set of episodes is counted
     * once (a child's episodes of a month are often its quarter's and year's too) and added once for all the areas
     * of a group. Small arrays and linear scans rather than maps: a child has a few episodes, and a rebuild counts
     * hundreds of thousands of children.
     */
    private static void contribute(List<Counted> rows, int sign, Delta delta) {
        int n = rows.size();
        List<List<String>> lists = new ArrayList<>(2);
        int[] listOf = new int[n];
        int[] periods = new int[4 * n];
        BitSet[] inPeriod = new BitSet[4 * n];
        int distinct = 0;
        for (int i = 0; i < n; i++) {
            Counted c = rows.get(i);
            int l = 0;
            while (l < lists.size()
                    && lists.get(l) != c.areas()
                    && !lists.get(l).equals(c.areas())) {
                l++;
            }
            if (l == lists.size()) {
                lists.add(c.areas());
            }
            listOf[i] = l;
            for (int period : periodIds(LocalDate.ofInstant(c.row().reported(), Profiles.LONDON))) {
                int k = 0;
                while (k < distinct && periods[k] != period) {
                    k++;
                }
                if (k == distinct) {
                    periods[distinct] = period;
                    inPeriod[distinct++] = new BitSet(n);
                }
                inPeriod[k].set(i);
            }
        }
        // The groups of areas, each as an area list's index with the episodes that count towards it (null: all).
        List<Integer> groups = new ArrayList<>();
        List<BitSet> heldBy = new ArrayList<>();
        if (lists.size() == 1) {
            groups.add(areaList(lists.get(0)));
            heldBy.add(null);
        } else if (lists.size() > 1) {
            Map<BitSet, List<String>> bySignature = new HashMap<>();
            for (List<String> list : lists) {
                for (String area : list) {
                    BitSet signature = new BitSet(lists.size());
                    for (int l = 0; l < lists.size(); l++) {
                        signature.set(l, lists.get(l).contains(area));
                    }
                    List<String> group = bySignature.computeIfAbsent(signature, k -> new ArrayList<>());
                    if (!group.contains(area)) {
                        group.add(area);
                    }
                }
            }
            bySignature.forEach((signature, areas) -> {
                areas.sort(null);
                groups.add(areaList(areas));
                BitSet episodes = new BitSet(n);
                for (int i = 0; i < n; i++) {
                    episodes.set(i, signature.get(listOf[i]));
                }
                heldBy.add(episodes);
            });
        }
        Parts parts = new Parts(rows);
        List<BitSet> sets = new ArrayList<>();
        List<Cells> counted = new ArrayList<>();
        for (int k = 0; k < distinct; k++) {
            for (int g = 0; g < groups.size(); g++) {
                BitSet set = inPeriod[k];
                if (heldBy.get(g) != null) {
                    set = (BitSet) set.clone();
                    set.and(heldBy.get(g));
                    if (set.isEmpty()) {
                        continue;
                    }
                }
                int j = sets.indexOf(set);
                if (j < 0) {
                    sets.add(set);
                    counted.add(parts.count(set));
                    j = sets.size() - 1;
                }
                delta.add(groups.get(g), periods[k], counted.get(j), sign);
            }
        }
    }

    /**
     * The counting rule's parts for all of one child's episodes, each worked out once: each record's cells, the
     * incidents and theirs. A set of the child's episodes (those of a period, of a group of areas) counts as the rule
     * counts it directly: when no incident has episodes both in and out of the set, the set's incidents are the
     * incidents wholly inside it (the rule joins episodes only through others of the same incident), so its cells are
     * theirs and its records' added up; an incident the set splits may group differently on its own, and such a set
     * is counted directly.
     */
    static final class Parts {

        private final List<MissingStatistics.Row> episodes = new ArrayList<>();
        private final Cells[] own;
        private final BitSet[] members;
        private final Cells[] ofIncident;

        Parts(List<Counted> rows) {
            rows.forEach(c -> episodes.add(c.row()));
            own = new Cells[episodes.size()];
            for (int i = 0; i < own.length; i++) {
                long[] cells = new long[MissingStatistics.CELL_NAMES.size()];
                MissingStatistics.episode(episodes.get(i), cells);
                own[i] = Cells.of(cells);
            }
            List<List<Integer>> incidents = MissingStatistics.incidents(episodes);
            members = new BitSet[incidents.size()];
            ofIncident = new Cells[incidents.size()];
            for (int k = 0; k < members.length; k++) {
                members[k] = new BitSet(own.length);
                incidents.get(k).forEach(members[k]::set);
                long[] cells = new long[MissingStatistics.CELL_NAMES.size()];
                MissingStatistics.incident(episodes, incidents.get(k), cells);
                ofIncident[k] = Cells.of(cells);
            }
        }

        Cells count(BitSet set) {
            long[] cells = new long[MissingStatistics.CELL_NAMES.size()];
            int whole = 0;
            for (int k = 0; k < members.length; k++) {
                if (!members[k].intersects(set)) {
                    continue;
                }
                BitSet outside = (BitSet) members[k].clone();
                outside.andNot(set);
                if (!outside.isEmpty()) {
                    return direct(set);
                }
                ofIncident[k].addTo(cells, 1);
                whole++;
            }
            for (int i = set.nextSetBit(0); i >= 0; i = set.nextSetBit(i + 1)) {
                own[i].addTo(cells, 1);
            }
            MissingStatistics.child(whole, cells);
            return Cells.of(cells);
        }

        private Cells direct(BitSet set) {
            List<MissingStatistics.Row> in = new ArrayList<>(set.cardinality());
            for (int i = set.nextSetBit(0); i >= 0; i = set.nextSetBit(i + 1)) {
                in.add(episodes.get(i));
            }
            long[] cells = new long[MissingStatistics.CELL_NAMES.size()];
            MissingStatistics.count(in, cells);
            return Cells.of(cells);
        }
    }

    /** What one worker counted: its additions, and each child's kept input and records. */
    private static final class Part {

        final Delta delta;
        final List<Long> children = new ArrayList<>();
        final List<byte[]> inputs = new ArrayList<>();
        final List<Long> records = new ArrayList<>();
        final List<Long> owners = new ArrayList<>();

        Part(Delta delta) {
            this.delta = delta;
        }

        void count(long child, List<Counted> rows) {
            contribute(rows, 1, delta);
            children.add(child);
            inputs.add(encode(rows));
            rows.stream().map(c -> c.row().recordId()).distinct().forEach(r -> {
                records.add(r);
                owners.add(child);
            });
        }

        void addAll(Part other) {
            delta.addAll(other.delta);
            children.addAll(other.children);
            inputs.addAll(other.inputs);
            records.addAll(other.records);
            owners.addAll(other.owners);
        }
    }

    /**
     * Children counted on the calling thread into one delta, or by workers each into its own (taken in at the end, so
     * the workers share nothing but the read-only areas); a bounded number of batches wait, so memory stays flat.
     */
    private static final class Counting implements AutoCloseable {

        private final ExecutorService pool;
        private final Semaphore waiting;
        private final List<Part> parts = new ArrayList<>();
        /** Each worker's part (none on the calling thread). */
        private final ThreadLocal<Part> part;

        private final AtomicReference<RuntimeException> failure = new AtomicReference<>();

        /** Counts on the calling thread, into {@code delta}. */
        Counting(Delta delta) {
            parts.add(new Part(delta));
            this.part = null;
            this.pool = null;
            this.waiting = null;
        }

        Counting(int workers) {
            CustomizableThreadFactory threads = new CustomizableThreadFactory("statistics-count-");
            threads.setDaemon(true);
            this.pool = Executors.newFixedThreadPool(workers, threads);
            this.waiting = new Semaphore(2 * workers);
            this.part = ThreadLocal.withInitial(() -> {
                Part p = new Part(new Delta());
                synchronized (parts) {
                    parts.add(p);
                }
                return p;
            });
        }

        void submit(List<Long> children, List<List<Counted>> rows) {
            if (pool == null) {
                count(parts.get(0), children, rows);
                return;
            }
            waiting.acquireUninterruptibly();
            pool.execute(() -> {
                try {
                    count(part.get(), children, rows);
                } catch (RuntimeException e) {
                    failure.compareAndSet(null, e);
                } finally {
                    waiting.release();
                }
            });
        }

        private static void count(Part into, List<Long> children, List<List<Counted>> rows) {
            for (int i = 0; i < children.size(); i++) {
                into.count(children.get(i), rows.get(i));
            }
        }

        /** Stops the workers when the reading failed (after {@link #finish()}, they have stopped already). */
        @Override
        public void close() {
            if (pool != null) {
                pool.shutdownNow();
            }
        }

        /** Waits for the workers; everything counted, in one part. */
        Part finish() {
            if (pool != null) {
                pool.shutdown();
                try {
                    if (!pool.awaitTermination(1, TimeUnit.HOURS)) {
                        throw new IllegalStateException("counting the missing-episode figures did not finish");
                    }
                } catch (InterruptedException e) {
                    pool.shutdownNow();
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("counting the missing-episode figures was interrupted", e);
                }
                if (failure.get() != null) {
                    throw failure.get();
                }
            }
            if (parts.isEmpty()) {
                return new Part(new Delta());
            }
            Part all = parts.get(0);
            parts.subList(1, parts.size()).forEach(all::addAll);
            return all;
        }
    }

    /**
     * Counts to add, gathered by the areas that share them and the period, so a child's contribution is added once
     * rather than once per area; {@link #totals} spreads them over each area.
     */
    static final class Delta {

        /**
         * Counts by cell index, by period id, by area list ({@link #AREA_LISTS} index). Not one map keyed by both
         * packed into a long: a long's hash folds its halves together, so lists and periods collided by thousands.
         */
        private final List<Map<Integer, long[]>> groups = new ArrayList<>();

        private final List<Delta> absorbed = new ArrayList<>();

        /** Adds {@code sign} times the cells to the areas of a list ({@link #areaList}'s index) for a period. */
        void add(int list, int period, Cells cells, int sign) {
            while (groups.size() <= list) {
                groups.add(null);
            }
            Map<Integer, long[]> byPeriod = groups.get(list);
            if (byPeriod == null) {
                byPeriod = new HashMap<>();
                groups.set(list, byPeriod);
            }
            cells.addTo(byPeriod.computeIfAbsent(period, k -> new long[MissingStatistics.CELL_NAMES.size()]), sign);
        }

        /** Takes in what another delta gathered (a worker's): kept beside this one and added up in {@link #totals}. */
        void addAll(Delta other) {
            absorbed.add(other);
            absorbed.addAll(other.absorbed);
        }

        /** Each area's and period's totals, by cell index, when any is not zero. */
        void totals(Total each) {
            Map<String, Map<Integer, long[]>> totals = new HashMap<>();
            List<Delta> all = new ArrayList<>(absorbed);
            all.add(this);
            for (Delta delta : all) {
                for (int list = 0; list < delta.groups.size(); list++) {
                    Map<Integer, long[]> byPeriod = delta.groups.get(list);
                    if (byPeriod == null) {
                        continue;
                    }
                    for (String area : AREA_LISTS.get(list)) {
                        Map<Integer, long[]> ofArea = totals.computeIfAbsent(area, a -> new HashMap<>());
                        byPeriod.forEach((period, counts) -> {
                            long[] sum = ofArea.computeIfAbsent(period, p -> new long[counts.length]);
                            for (int i = 0; i < counts.length; i++) {
                                sum[i] += counts[i];
                            }
                        });
                    }
                }
            }
            totals.forEach((area, byPeriod) -> byPeriod.forEach((period, counts) -> {
                if (Arrays.stream(counts).anyMatch(n -> n != 0)) {
                    each.accept(area, periodKey(period), counts);
                }
            }));
        }

        interface Total {
            void accept(String area, String period, long[] counts);
        }
    }

    /**
     * Area lists by index, shared by every count: a delta keys its counts by a list's index rather than hashing the
     * list each time. Lists are agencies' areas and the unions a child's agencies make: a few thousand at most.
     */
    private static final List<List<String>> AREA_LISTS = new CopyOnWriteArrayList<>();

    private static final Map<List<String>, Integer> AREA_LIST_INDEX = new ConcurrentHashMap<>();

    static int areaList(List<String> areas) {
        Integer i = AREA_LIST_INDEX.get(areas);
        if (i != null) {
            return i;
        }
        synchronized (AREA_LISTS) {
            return AREA_LIST_INDEX.computeIfAbsent(List.copyOf(areas), k -> {
                AREA_LISTS.add(k);
                return AREA_LISTS.size() - 1;
            });
        }
    }

    /** One counted set of episodes' non-zero cells, by index: made once, added to every area and period holding it. */
    record Cells(int[] index, long[] n) {

        static Cells of(long[] cells) {
            int size = 0;
            for (long c : cells) {
                size += c != 0 ? 1 : 0;
            }
            int[] index = new int[size];
            long[] n = new long[size];
            for (int i = 0, k = 0; i < cells.length; i++) {
                if (cells[i] != 0) {
                    index[k] = i;
                    n[k++] = cells[i];
                }
            }
            return new Cells(index, n);
        }

        void addTo(long[] cells, int sign) {
            for (int k = 0; k < index.length; k++) {
                cells[index[k]] += sign * n[k];
            }
        }
    }

    /**
     * Adds a refresh's differences to the kept counts: each area and period's row is taken out, added to and put back
     * with its non-zero cells (none left, no row), in one statement a few thousand cells at a time.
     */
    private void apply(Delta delta) {
        List<String> areas = new ArrayList<>();
        List<String> periods = new ArrayList<>();
        List<String> cells = new ArrayList<>();
        List<Long> counts = new ArrayList<>();
        delta.totals((area, period, n) -> {
            for (int i = 0; i < n.length; i++) {
                if (n[i] != 0) {
                    areas.add(area);
                    periods.add(period);
                    cells.add(MissingStatistics.CELL_NAMES.get(i));
                    counts.add(n[i]);
                }
            }
        });
        for (int i = 0; i < counts.size(); i += WRITE_CHUNK) {
            int to = Math.min(counts.size(), i + WRITE_CHUNK);
            jdbc.sql(
                            """
                    WITH d AS (
                      SELECT * FROM unnest(CAST(? AS text[]), CAST(? AS text[]), CAST(? AS text[]), CAST(? AS bigint[]))
                                    AS d(area, period, cell, n)),
                    old AS (
                      DELETE FROM stat_missing_count k USING (SELECT DISTINCT area, period FROM d) t
                      WHERE k.area = t.area AND k.period = t.period
                      RETURNING k.area, k.period, k.cells, k.counts),
                    summed AS (
                      SELECT area, period, cell, sum(n) AS n FROM (
                        SELECT area, period, cell, n FROM d
                        UNION ALL
                        SELECT o.area, o.period, c.cell, c.n FROM old o, unnest(o.cells, o.counts) AS c(cell, n)) x
                      GROUP BY area, period, cell HAVING sum(n) <> 0)
                    INSERT INTO stat_missing_count (area, period, cells, counts)
                    SELECT area, period, array_agg(cell ORDER BY cell), array_agg(CAST(n AS bigint) ORDER BY cell)
                    FROM summed GROUP BY area, period""")
                    .params(
                            areas.subList(i, to).toArray(String[]::new),
                            periods.subList(i, to).toArray(String[]::new),
                            cells.subList(i, to).toArray(String[]::new),
                            counts.subList(i, to).toArray(Long[]::new))
                    .update();
        }
    }

    private Map<Long, List<String>> agencyAreas() {
        Map<Long, List<String>> areas = new HashMap<>();
        jdbc.sql("SELECT agency_id, area FROM statistics_agency_area ORDER BY agency_id, area")
                .query(rs -> {
                    areas.computeIfAbsent(rs.getLong("agency_id"), k -> new ArrayList<>())
                            .add(rs.getString("area"));
                });
        areas.replaceAll((agency, list) -> List.copyOf(list)); // sorted and shared: a delta's keys
        return areas;
    }

    /** {@link #periodIds} of the days seen (a few thousand), made once: a rebuild files millions of episodes. */
    private static final Map<LocalDate, int[]> PERIODS = new ConcurrentHashMap<>();

    /**
     * The standard periods a day falls in, as ids: its month, calendar quarter, financial year and calendar year (the
     * kind in the high bits, a count of months, quarters or years below).
     */
    static int[] periodIds(LocalDate day) {
        int[] ids = PERIODS.get(day);
        if (ids == null) {
            int fy = day.getMonthValue() >= 4 ? day.getYear() : day.getYear() - 1;
            ids = new int[] {
                day.getYear() * 12 + day.getMonthValue() - 1,
                1 << 20 | day.getYear() * 4 + (day.getMonthValue() - 1) / 3,
                2 << 20 | fy,
                3 << 20 | day.getYear()
            };
            PERIODS.put(day, ids);
        }
        return ids;
    }

    /** A period id's key, as pages ask for it: {@code M2024-05}, {@code Q2024-2}, {@code FY2024}, {@code Y2024}. */
    static String periodKey(int id) {
        int value = id & 0xF_FFFF;
        return switch (id >>> 20) {
            case 0 -> "M" + YearMonth.of(value / 12, value % 12 + 1);
            case 1 -> "Q" + value / 4 + "-" + (value % 4 + 1);
            case 2 -> "FY" + value;
            default -> "Y" + value;
        };
    }

    /** The standard periods' keys a day falls in: its month, calendar quarter, financial year and calendar year. */
    static List<String> periods(LocalDate day) {
        return Arrays.stream(periodIds(day))
                .mapToObj(MissingAggregate::periodKey)
                .toList();
    }

    /**
     * {@link #periods} in SQL: rows {@code (key, end)} for the standard periods the London day {@code day} (a date
     * expression) falls in, where {@code end} is the instant the period ends (midnight in London after its last day),
     * for a {@code VALUES} list.
     */
    static String periodRows(String day) {
        return """
                ('M' || to_char(%1$s, 'YYYY-MM'),
                 (date_trunc('month', CAST(%1$s AS timestamp)) + interval '1 month') AT TIME ZONE 'Europe/London'),
                ('Q' || to_char(%1$s, 'YYYY') || '-' || to_char(%1$s, 'Q'),
                 (date_trunc('quarter', CAST(%1$s AS timestamp)) + interval '3 months') AT TIME ZONE 'Europe/London'),
                ('FY' || to_char(%1$s - interval '3 months', 'YYYY'),
                 (date_trunc('year', %1$s - interval '3 months') + interval '15 months') AT TIME ZONE 'Europe/London'),
                ('Y' || to_char(%1$s, 'YYYY'),
                 (date_trunc('year', CAST(%1$s AS timestamp)) + interval '1 year') AT TIME ZONE 'Europe/London')"""
                .formatted(day);
    }

    /** The standard period exactly from {@code from} to {@code to} (both inclusive), if it is one. */
    static Optional<String> period(LocalDate from, LocalDate to) {
        if (from == null || to == null || from.getDayOfMonth() != 1) {
            return Optional.empty();
        }
        if (to.equals(from.plusMonths(1).minusDays(1))) {
            return Optional.of(periods(from).get(0));
        }
        if ((from.getMonthValue() - 1) % 3 == 0 && to.equals(from.plusMonths(3).minusDays(1))) {
            return Optional.of(periods(from).get(1));
        }
        if (from.getMonth() == Month.APRIL && to.equals(from.plusYears(1).minusDays(1))) {
            return Optional.of(periods(from).get(2));
        }
        if (from.getMonth() == Month.JANUARY && to.equals(from.plusYears(1).minusDays(1))) {
            return Optional.of(periods(from).get(3));
        }
        return Optional.empty();
    }

    /** An episode as counted, with the areas its agency counted towards at the time. */
    record Counted(MissingStatistics.Row row, List<String> areas) {}

    /**
     * A child's kept input, compact (a rebuild writes a few hundred thousand, so their size is much of its time): its
     * distinct area lists and its distinct texts (agency kinds and codes) once, then each episode with the indexes of
     * its list and texts, whole numbers as variable-length, and times as microseconds (what PostgreSQL keeps), each
     * after the first as a difference from the episode's start.
     */
    static byte[] encode(List<Counted> rows) {
        Map<List<String>, Integer> lists = new LinkedHashMap<>();
        // Texts are few a child (an agency kind and a handful of codes): a list searched is quicker than a map.
        List<String> texts = new ArrayList<>();
        texts.add(null); // index 0
        for (Counted c : rows) {
            lists.putIfAbsent(c.areas(), lists.size());
            MissingStatistics.Row r = c.row();
            for (String t : new String[] {r.agencyType(), r.from(), r.category(), r.grade(), r.interview()}) {
                if (!texts.contains(t)) {
                    texts.add(t);
                }
            }
        }
        Packed out = new Packed(48 * rows.size() + 64);
        out.varint(lists.size());
        for (List<String> areas : lists.keySet()) {
            out.varint(areas.size());
            areas.forEach(out::text);
        }
        out.varint(texts.size() - 1);
        texts.subList(1, texts.size()).forEach(out::text);
        out.varint(rows.size());
        for (Counted c : rows) {
            MissingStatistics.Row r = c.row();
            out.varint(r.recordId());
            out.varint(r.agencyId());
            for (String t : new String[] {r.agencyType(), r.from(), r.category(), r.grade(), r.interview()}) {
                out.varint(texts.indexOf(t));
            }
            long start = micros(r.start());
            out.varint(zigzag(start));
            out.varint(r.found() == null ? 0 : zigzag(micros(r.found()) - start) + 1);
            out.varint(r.interviewAt() == null ? 0 : zigzag(micros(r.interviewAt()) - start) + 1);
            out.varint(r.reported() == null ? 0 : zigzag(micros(r.reported()) - start) + 1);
            out.varint(r.finders().size());
            for (long f : r.finders()) {
                out.varint(f);
            }
            out.varint(lists.get(c.areas()));
        }
        return out.bytes();
    }

    static List<Counted> decode(byte[] input) {
        Packed in = new Packed(input);
        List<List<String>> lists = new ArrayList<>();
        for (long l = in.varint(); l > 0; l--) {
            String[] areas = new String[(int) in.varint()];
            for (int a = 0; a < areas.length; a++) {
                areas[a] = in.text();
            }
            lists.add(List.of(areas));
        }
        List<String> texts = new ArrayList<>();
        texts.add(null);
        for (long t = in.varint(); t > 0; t--) {
            texts.add(in.text());
        }
        int n = (int) in.varint();
        List<Counted> rows = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            long record = in.varint();
            long agency = in.varint();
            String[] t = new String[5];
            for (int k = 0; k < t.length; k++) {
                t[k] = texts.get((int) in.varint());
            }
            long start = unzigzag(in.varint());
            Instant[] after = new Instant[3];
            for (int k = 0; k < after.length; k++) {
                long v = in.varint();
                after[k] = v == 0 ? null : instant(start + unzigzag(v - 1));
            }
            List<Long> finders = new ArrayList<>();
            for (long f = in.varint(); f > 0; f--) {
                finders.add(in.varint());
            }
            rows.add(new Counted(
                    new MissingStatistics.Row(
                            record,
                            agency,
                            t[0],
                            instant(start),
                            after[0],
                            t[1],
                            t[2],
                            t[3],
                            t[4],
                            after[1],
                            List.copyOf(finders),
                            after[2]),
                    lists.get((int) in.varint())));
        }
        return rows;
    }

    private static long micros(Instant t) {
        return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1_000);
    }

    private static Instant instant(long micros) {
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000L);
    }

    private static long zigzag(long v) {
        return v << 1 ^ v >> 63;
    }

    private static long unzigzag(long v) {
        return v >>> 1 ^ -(v & 1);
    }

    /**
     * Whole numbers seven bits a byte, low first, the high bit saying more follow (ids and differences are mostly
     * small), and texts as their UTF-8 length and bytes, in a plain array: a rebuild writes tens of millions of bytes,
     * and a stream's per-byte call is locked.
     */
    private static final class Packed {

        private byte[] buf;
        private int pos;

        Packed(int capacity) {
            buf = new byte[capacity];
        }

        Packed(byte[] input) {
            buf = input;
        }

        void varint(long v) {
            if (pos + 10 > buf.length) {
                buf = Arrays.copyOf(buf, 2 * buf.length + 10);
            }
            while ((v & ~0x7FL) != 0) {
                buf[pos++] = (byte) (v & 0x7F | 0x80);
                v >>>= 7;
            }
            buf[pos++] = (byte) v;
        }

        void text(String t) {
            byte[] utf8 = t.getBytes(StandardCharsets.UTF_8);
            varint(utf8.length);
            if (pos + utf8.length > buf.length) {
                buf = Arrays.copyOf(buf, 2 * buf.length + utf8.length);
            }
            System.arraycopy(utf8, 0, buf, pos, utf8.length);
            pos += utf8.length;
        }

        byte[] bytes() {
            return Arrays.copyOf(buf, pos);
        }

        long varint() {
            long v = 0;
            for (int shift = 0; ; shift += 7) {
                byte b = buf[pos++];
                v |= (long) (b & 0x7F) << shift;
                if (b >= 0) {
                    return v;
                }
            }
        }

        String text() {
            int length = (int) varint();
            String t = new String(buf, pos, length, StandardCharsets.UTF_8);
            pos += length;
            return t;
        }
    }
}
