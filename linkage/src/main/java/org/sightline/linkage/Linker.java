package org.sightline.linkage;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.sightline.linkage.block.Blocker;
import org.sightline.linkage.block.CandidatePairs;
import org.sightline.linkage.cluster.Clusterer;
import org.sightline.linkage.compare.Comparison;
import org.sightline.linkage.model.LinkType;
import org.sightline.linkage.model.Record;
import org.sightline.linkage.normalise.NicknameTable;
import org.sightline.linkage.normalise.PreparedRecord;
import org.sightline.linkage.normalise.Preparer;
import org.sightline.linkage.score.FellegiSunterModel;
import org.sightline.linkage.score.TermFrequencies;
import org.sightline.linkage.score.Trainer;

/**
 * The batch engine: prepare, block, train (u from random pairs, m by EM, prior from deterministic rules), score,
 * cluster. Thread-safe and stateless between runs; the same config, records (in the same order) and seed give the
 * same result whatever the thread count.
 *
 * <pre>{@code
 * LinkageConfig config = Profile.load(Path.of("febrl.yaml")).config();
 * LinkResult result = new Linker(config).link(records);
 * result.clusterId(0);                 // identity of the first record
 * result.explain(result.pair(0));      // why a pair scored what it did
 * }</pre>
 */
public final class Linker {
    private final LinkageConfig config;
    private final NicknameTable nicknames;

    public Linker(LinkageConfig config) {
        this(config, NicknameTable.shipped());
    }

    public Linker(LinkageConfig config, NicknameTable nicknames) {
        this.config = config;
        this.nicknames = nicknames;
    }

    public LinkageConfig config() {
        return config;
    }

    public LinkResult link(List<Record> records) {
        return link(records, Constraints.NONE, ProgressListener.NONE);
    }

    /**
     * Links the records.
     *
     * @throws RecordException      when a value breaks its field's rules (e.g. a date that does not fit)
     * @throws LinkageConfigException when the records cannot be linked as configured (e.g. link_only with one source)
     */
    public LinkResult link(List<Record> records, Constraints constraints, ProgressListener progress) {
        long t0 = System.nanoTime();
        int n = records.size();
        Map<String, Integer> sources = new LinkedHashMap<>();
        Map<String, Integer> byId = new HashMap<>(n * 2);
        int[] sourceOf = new int[n];
        for (int i = 0; i < n; i++) {
            Record r = records.get(i);
            Integer known = sources.putIfAbsent(r.source(), sources.size());
            sourceOf[i] = known != null ? known : sources.size() - 1;
            if (byId.put(r.id(), i) != null) {
                throw new RecordException(
                        i, r.id(), RecordException.ID_FIELD, "the id is used by more than one record");
            }
        }
        if (config.linkType() == LinkType.LINK_ONLY && sources.size() < 2 && n > 0) {
            throw new LinkageConfigException(
                    "link_type link_only needs records from at least two sources, got " + sources.size());
        }
        progress.progress("prepare", 0.0);
        Preparer preparer = new Preparer(config.fields(), nicknames);
        PreparedRecord[] recs = new PreparedRecord[n];
        parallel(n, (from, to) -> {
            for (int i = from; i < to; i++) {
                Record r = records.get(i);
                try {
                    recs[i] = preparer.prepare(r, sourceOf[i]);
                } catch (Preparer.BadValueException e) {
                    throw new RecordException(i, r.id(), e.field(), e.getMessage());
                }
            }
        });
        List<Comparison> comps = config.comparisons();
        TermFrequencies tf = new TermFrequencies(comps, config.jointTf());
        tf.addAll(recs, config.threads());
        progress.progress("block", 0.05);
        Blocker blocker = new Blocker(
                config.blockingRules(), config.linkType(), config.maxBlockSize(), config.window(), config.threads());
        int rules = config.blockingRules().size();
        Blocker.Result blocked = blocker.generate(
                recs,
                (i, j) -> FellegiSunterModel.pattern(comps, recs[i], recs[j]),
                r -> progress.progress("block", 0.05 + 0.6 * r / rules),
                estimate -> checkMemory(estimate, n));
        CandidatePairs pairs = blocked.pairs();
        long tBlocked = System.nanoTime();

        progress.progress("train", 0.65);
        double[][] u = Trainer.estimateU(
                comps, recs, config.linkType(), config.uSamplePairs(), config.seed(), config.threads());
        Trainer.applyFixed(comps, config.comparisonSpecs(), u, false);
        Trainer.MResult mres = Trainer.estimateM(
                comps, config.comparisonSpecs(), config.blockingRules(), pairs, u, config.emMaxIterations());
        double prior = config.fixedPrior() != null
                ? config.fixedPrior()
                : Trainer.estimatePrior(
                        comps, config.priorRules(), config.priorRecall(), pairs, possiblePairs(recs, sources.size()));
        FellegiSunterModel model = new FellegiSunterModel(comps, mres.m(), u, prior, config.guards(), config.jointTf());

        progress.progress("score", 0.75);
        float[] weights = new float[pairs.size()];
        parallel(pairs.size(), (from, to) -> {
            for (int i = from; i < to; i++) {
                weights[i] = (float) model.weight(pairs.pattern(i), recs[pairs.a(i)], tf);
            }
        });
        List<int[]> must = resolve(constraints.mustLink(), byId, "must-link");
        List<int[]> cannot = resolve(constraints.cannotLink(), byId, "cannot-link");
        // Constraints act as weights too, so a pair's score says what a human decided.
        progress.progress("cluster", 0.85);
        // only links at or above the match weight can join records: pass just those
        int links = 0;
        for (float x : weights) {
            if (x >= config.matchWeight()) {
                links++;
            }
        }
        int[] a = new int[links];
        int[] b = new int[links];
        double[] w = new double[links];
        links = 0;
        for (int i = 0; i < pairs.size(); i++) {
            if (weights[i] >= config.matchWeight()) {
                a[links] = pairs.a(i);
                b[links] = pairs.b(i);
                w[links++] = weights[i];
            }
        }
        Clusterer clusterer = new Clusterer(config.matchWeight(), config.fractureWeight(), config.minCrossLinkRatio());
        Clusterer.Result clusters =
                clusterer.cluster(n, a, b, w, must, cannot, (x, y) -> model.weight(recs[x], recs[y], tf));
        progress.progress("done", 1.0);
        long t1 = System.nanoTime();
        return new LinkResult(
                config,
                records,
                recs,
                model,
                tf,
                pairs,
                weights,
                blocked.rules(),
                blocked.recordsWithoutPair(),
                clusters,
                mres.sessions(),
                (tBlocked - t0) / 1e9,
                (t1 - t0) / 1e9);
    }

    /**
     * Heap a run still needs per candidate pair: the pair itself, its weight, a share of the links passed to
     * clustering (16 bytes each, rarely a third of the pairs) and the block being filled.
     */
    static final long BYTES_PER_PAIR = CandidatePairs.BYTES_PER_PAIR + 4 + 6;

    /** Heap per record after blocking: clustering's union-find and ids, the evaluation's maps. */
    static final long BYTES_PER_RECORD = 160;

    /**
     * Refuses a run whose pairs would not fit, before any pair is made: the heap in use now (records, blocks) plus
     * what the estimated pairs and the rest of the run need, against {@link Runtime#maxMemory()}. The heap in use
     * is measured again after a collection before refusing, so garbage does not count.
     */
    private static void checkMemory(long estimatedPairs, int n) {
        Runtime rt = Runtime.getRuntime();
        long rest = estimatedPairs * BYTES_PER_PAIR + (long) n * BYTES_PER_RECORD;
        long max = rt.maxMemory();
        if (max == Long.MAX_VALUE) {
            return;
        }
        // 15% headroom: a collector needs room to work in
        long needed = (long) ((rt.totalMemory() - rt.freeMemory() + rest) * 1.15);
        if (needed > max) {
            System.gc(); // only when close: measure the live heap rather than live + garbage
            needed = (long) ((rt.totalMemory() - rt.freeMemory() + rest) * 1.15);
            if (needed > max) {
                throw new NotEnoughMemoryException(estimatedPairs, needed, max);
            }
        }
    }

    private double possiblePairs(PreparedRecord[] recs, int sourceCount) {
        double n = recs.length;
        if (config.linkType() != LinkType.LINK_ONLY) {
            return n * (n - 1) / 2;
        }
        long[] per = new long[sourceCount];
        for (PreparedRecord r : recs) {
            per[r.source()]++;
        }
        double same = 0;
        for (long c : per) {
            same += (double) c * (c - 1) / 2;
        }
        return n * (n - 1) / 2 - same;
    }

    private static List<int[]> resolve(List<Constraints.Pair> pairs, Map<String, Integer> byId, String kind) {
        List<int[]> out = new ArrayList<>();
        for (Constraints.Pair p : pairs) {
            Integer x = byId.get(p.a());
            Integer y = byId.get(p.b());
            if (x == null || y == null) {
                throw new LinkageConfigException(
                        kind + " constraint names unknown record id '" + (x == null ? p.a() : p.b()) + "'");
            }
            out.add(new int[] {x, y});
        }
        return out;
    }

    @FunctionalInterface
    private interface Range {
        void run(int from, int to);
    }

    private void parallel(int n, Range body) {
        int threads = config.threads();
        if (threads == 1 || n < 20_000) {
            body.run(0, n);
            return;
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "sightline-linker");
            t.setDaemon(true);
            return t;
        });
        try {
            int chunks = threads * 4;
            List<Future<?>> fs = new ArrayList<>();
            for (int c = 0; c < chunks; c++) {
                int from = (int) ((long) n * c / chunks);
                int to = (int) ((long) n * (c + 1) / chunks);
                fs.add(pool.submit(() -> body.run(from, to)));
            }
            for (Future<?> f : fs) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Error err) {
                throw err; // an OutOfMemoryError stays one, for the caller to report
            }
            throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }
}
