package org.sightline.statistics;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.Month;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
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
 * 1 April, a calendar year) read from counts kept per area code, period and cell ({@code stat_missing_cell}), so a
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
     * layout change (2: each child's area lists written once).
     */
    static final int VERSION = 2;

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
        jdbc.sql("SELECT cell, n FROM stat_missing_cell WHERE area = ? AND period = ?")
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
            jdbc.sql("TRUNCATE stat_missing_cell, stat_missing_child, stat_missing_record")
                    .update();
            // The rebuild reads every row through a cursor: plan for all of them (hash joins and one sort), not for
            // the first tenth, which is what PostgreSQL assumes of a cursor.
            jdbc.sql("SET LOCAL cursor_tuple_fraction = 1.0").update();
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
            try (CopyIn out = new CopyIn(dataSource, "stat_missing_cell (area, period, cell, n)")) {
                delta.totals((area, period, cell, n) -> out.line()
                        .append(area)
                        .append('\t')
                        .append(period)
                        .append('\t')
                        .append(cell)
                        .append('\t')
                        .append(n));
                cells = out.lines();
            }
            long t2 = System.nanoTime();
            AggregateState.built(jdbc, NAME, VERSION, clock.instant());
            progress.done(String.format(
                    java.util.Locale.ROOT,
                    "missing-episode counts rebuilt: %d children with episodes, %d cells; counted and kept in %.1f s,"
                            + " cells written in %.1f s",
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
            HexFormat hex = HexFormat.of();
            try (CopyIn out = new CopyIn(dataSource, "stat_missing_child (child, input)")) {
                for (int i = 0; i < children.size(); i++) {
                    hex.formatHex(out.line().append(children.get(i)).append("\t\\\\x"), inputs.get(i));
                }
            }
            try (CopyIn out = new CopyIn(dataSource, "stat_missing_record (record_id, child)")) {
                for (int i = 0; i < keptRecords.size(); i++) {
                    out.line().append(keptRecords.get(i)).append('\t').append(owners.get(i));
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
     * episodes are mostly one agency's, so most of its areas (the agency, its area, region, country) hold the same
     * episodes for a period: each distinct set of episodes is counted once, and added once for all the areas holding
     * it.
     */
    private static void contribute(List<Counted> rows, int sign, Delta delta) {
        Map<String, BitSet> byPeriod = new HashMap<>();
        List<String> shared = rows.isEmpty() ? List.of() : rows.get(0).areas();
        boolean oneAreaList = true;
        for (int i = 0; i < rows.size(); i++) {
            Counted c = rows.get(i);
            oneAreaList &= c.areas() == shared || c.areas().equals(shared);
            for (String period : PERIODS.computeIfAbsent(
                    LocalDate.ofInstant(c.row().reported(), Profiles.LONDON), MissingAggregate::periods)) {
                byPeriod.computeIfAbsent(period, k -> new BitSet()).set(i);
            }
        }
        Map<BitSet, Cells> counted = new HashMap<>();
        BiConsumer<BitSet, Map.Entry<List<String>, String>> add = (set, where) -> {
            Cells cells = counted.computeIfAbsent(set, k -> {
                Map<String, Long> m = new HashMap<>();
                List<MissingStatistics.Row> episodes = new ArrayList<>(k.cardinality());
                for (int i = k.nextSetBit(0); i >= 0; i = k.nextSetBit(i + 1)) {
                    episodes.add(rows.get(i).row());
                }
                MissingStatistics.count(episodes, m);
                return Cells.of(m);
            });
            delta.add(where.getKey(), where.getValue(), cells, sign);
        };
        for (Map.Entry<String, BitSet> p : byPeriod.entrySet()) {
            if (oneAreaList) { // the usual child: every area holds all its episodes of the period
                add.accept(p.getValue(), Map.entry(shared, p.getKey()));
                continue;
            }
            Map<String, BitSet> byArea = new HashMap<>();
            BitSet inPeriod = p.getValue();
            for (int i = inPeriod.nextSetBit(0); i >= 0; i = inPeriod.nextSetBit(i + 1)) {
                for (String area : rows.get(i).areas()) {
                    byArea.computeIfAbsent(area, k -> new BitSet()).set(i);
                }
            }
            Map<BitSet, List<String>> areasHolding = new HashMap<>();
            byArea.forEach((area, set) ->
                    areasHolding.computeIfAbsent(set, k -> new ArrayList<>()).add(area));
            areasHolding.forEach((set, areas) -> {
                areas.sort(null);
                add.accept(set, Map.entry(areas, p.getKey()));
            });
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

        /** Sorted areas → period → counts by cell index. */
        private final Map<List<String>, Map<String, Counts>> groups = new HashMap<>();

        private final List<Delta> absorbed = new ArrayList<>();

        void add(List<String> areas, String period, Cells cells, int sign) {
            Map<String, Counts> byPeriod = groups.get(areas);
            if (byPeriod == null) {
                byPeriod = new HashMap<>();
                groups.put(List.copyOf(areas), byPeriod);
            }
            byPeriod.computeIfAbsent(period, k -> new Counts()).add(cells, sign);
        }

        /** Takes in what another delta gathered (a worker's): kept beside this one and added up in {@link #totals}. */
        void addAll(Delta other) {
            absorbed.add(other);
            absorbed.addAll(other.absorbed);
        }

        /** Each area's, period's and cell's non-zero total. */
        void totals(Total each) {
            Map<String, Map<String, Counts>> totals = new HashMap<>();
            List<Delta> all = new ArrayList<>(absorbed);
            all.add(this);
            all.forEach(delta -> delta.groups.forEach((areas, byPeriod) -> {
                for (String area : areas) {
                    Map<String, Counts> ofArea = totals.computeIfAbsent(area, k -> new HashMap<>());
                    byPeriod.forEach((period, counts) ->
                            ofArea.computeIfAbsent(period, k -> new Counts()).addAll(counts));
                }
            }));
            totals.forEach((area, byPeriod) -> byPeriod.forEach((period, counts) -> {
                for (int i = 0; i < counts.n.length; i++) {
                    if (counts.n[i] != 0) {
                        each.accept(area, period, CELL_NAMES.get(i), counts.n[i]);
                    }
                }
            }));
        }

        interface Total {
            void accept(String area, String period, String cell, long n);
        }
    }

    /** Counts by cell index, growing as new cells are named. */
    private static final class Counts {

        long[] n = new long[Math.max(16, CELL_NAMES.size())];

        private void ensure(int index) {
            if (index >= n.length) {
                n = Arrays.copyOf(n, Math.max(index + 1, 2 * n.length));
            }
        }

        void add(Cells cells, int sign) {
            for (int k = 0; k < cells.index().length; k++) {
                ensure(cells.index()[k]);
                n[cells.index()[k]] += sign * cells.n()[k];
            }
        }

        void addAll(Counts other) {
            ensure(other.n.length - 1);
            for (int i = 0; i < other.n.length; i++) {
                n[i] += other.n[i];
            }
        }
    }

    /** Cell names as indexes, shared by every count: a rebuild adds each child's cells to arrays, not maps. */
    private static final Map<String, Integer> CELL_INDEX = new ConcurrentHashMap<>();

    private static final List<String> CELL_NAMES = new CopyOnWriteArrayList<>();

    /** One counted set of episodes' cells, by index: made once, added to every area and period holding the set. */
    record Cells(int[] index, long[] n) {

        static Cells of(Map<String, Long> cells) {
            int[] index = new int[cells.size()];
            long[] n = new long[cells.size()];
            int k = 0;
            for (Map.Entry<String, Long> e : cells.entrySet()) {
                index[k] = cellIndex(e.getKey());
                n[k++] = e.getValue();
            }
            return new Cells(index, n);
        }

        private static int cellIndex(String name) {
            Integer i = CELL_INDEX.get(name);
            if (i != null) {
                return i;
            }
            synchronized (CELL_NAMES) {
                return CELL_INDEX.computeIfAbsent(name, k -> {
                    CELL_NAMES.add(k);
                    return CELL_NAMES.size() - 1;
                });
            }
        }
    }

    private void apply(Delta delta) {
        List<String> areas = new ArrayList<>();
        List<String> periods = new ArrayList<>();
        List<String> cells = new ArrayList<>();
        List<Long> counts = new ArrayList<>();
        delta.totals((area, period, cell, n) -> {
            areas.add(area);
            periods.add(period);
            cells.add(cell);
            counts.add(n);
        });
        for (int i = 0; i < counts.size(); i += WRITE_CHUNK) {
            int to = Math.min(counts.size(), i + WRITE_CHUNK);
            jdbc.sql(
                            """
                    INSERT INTO stat_missing_cell (area, period, cell, n)
                    SELECT * FROM unnest(CAST(? AS text[]), CAST(? AS text[]), CAST(? AS text[]), CAST(? AS bigint[]))
                    ON CONFLICT (area, period, cell) DO UPDATE SET n = stat_missing_cell.n + EXCLUDED.n""")
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

    /** {@link #periods} of the days seen (a few thousand), made once: a rebuild files millions of episodes. */
    private static final Map<LocalDate, List<String>> PERIODS = new ConcurrentHashMap<>();

    /** The standard periods a day falls in: its month, calendar quarter, financial year and calendar year. */
    static List<String> periods(LocalDate day) {
        int fy = day.getMonthValue() >= 4 ? day.getYear() : day.getYear() - 1;
        return List.of(
                "M" + YearMonth.from(day),
                "Q" + day.getYear() + "-" + ((day.getMonthValue() - 1) / 3 + 1),
                "FY" + fy,
                "Y" + day.getYear());
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
     * A child's kept input: its distinct area lists once (most children have one), then each episode with the index
     * of its list.
     */
    static byte[] encode(List<Counted> rows) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(80 * rows.size());
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            Map<List<String>, Integer> lists = new LinkedHashMap<>();
            rows.forEach(c -> lists.putIfAbsent(c.areas(), lists.size()));
            out.writeInt(lists.size());
            for (List<String> areas : lists.keySet()) {
                out.writeInt(areas.size());
                for (String a : areas) {
                    out.writeUTF(a);
                }
            }
            out.writeInt(rows.size());
            for (Counted c : rows) {
                MissingStatistics.Row r = c.row();
                out.writeLong(r.recordId());
                out.writeLong(r.agencyId());
                text(out, r.agencyType());
                instant(out, r.start());
                instant(out, r.found());
                text(out, r.from());
                text(out, r.category());
                text(out, r.grade());
                text(out, r.interview());
                instant(out, r.interviewAt());
                out.writeInt(r.finders().size());
                for (long f : r.finders()) {
                    out.writeLong(f);
                }
                instant(out, r.reported());
                out.writeInt(lists.get(c.areas()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static List<Counted> decode(byte[] input) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(input))) {
            List<List<String>> lists = new ArrayList<>();
            for (int l = in.readInt(); l > 0; l--) {
                String[] areas = new String[in.readInt()];
                for (int a = 0; a < areas.length; a++) {
                    areas[a] = in.readUTF();
                }
                lists.add(List.of(areas));
            }
            int n = in.readInt();
            List<Counted> rows = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                long record = in.readLong();
                long agency = in.readLong();
                String type = text(in);
                Instant start = instant(in);
                Instant found = instant(in);
                String from = text(in);
                String category = text(in);
                String grade = text(in);
                String interview = text(in);
                Instant interviewAt = instant(in);
                List<Long> finders = new ArrayList<>();
                for (int f = in.readInt(); f > 0; f--) {
                    finders.add(in.readLong());
                }
                Instant reported = instant(in);
                rows.add(new Counted(
                        new MissingStatistics.Row(
                                record,
                                agency,
                                type,
                                start,
                                found,
                                from,
                                category,
                                grade,
                                interview,
                                interviewAt,
                                List.copyOf(finders),
                                reported),
                        lists.get(in.readInt())));
            }
            return rows;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void text(DataOutputStream out, String s) throws IOException {
        out.writeBoolean(s != null);
        if (s != null) {
            out.writeUTF(s);
        }
    }

    private static String text(DataInputStream in) throws IOException {
        return in.readBoolean() ? in.readUTF() : null;
    }

    private static void instant(DataOutputStream out, Instant t) throws IOException {
        out.writeBoolean(t != null);
        if (t != null) {
            out.writeLong(t.getEpochSecond());
            out.writeInt(t.getNano());
        }
    }

    private static Instant instant(DataInputStream in) throws IOException {
        return in.readBoolean() ? Instant.ofEpochSecond(in.readLong(), in.readInt()) : null;
    }
}
