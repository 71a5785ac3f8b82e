package org.sightline.linkage.score;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.sightline.linkage.block.BlockingRule;
import org.sightline.linkage.block.CandidatePairs;
import org.sightline.linkage.compare.Comparison;
import org.sightline.linkage.compare.ComparisonSpec;
import org.sightline.linkage.model.LinkType;
import org.sightline.linkage.normalise.PreparedRecord;

/**
 * Unsupervised training, deterministic for a seed.
 * <ul>
 *   <li>u: level frequencies over random pairs (seeded sampling);</li>
 *   <li>m: expectation-maximisation with u held fixed, one session per blocking rule over the pairs that rule
 *       produced, leaving out the comparisons on the rule's own fields (inside a block they agree by construction);
 *       each m is the mean of the sessions that estimated it;</li>
 *   <li>prior: candidate pairs exact on every comparison of a deterministic rule, divided by the assumed recall, over
 *       all possible pairs.</li>
 * </ul>
 */
public final class Trainer {
    private static final double MIN_PROBABILITY = 1e-6;
    /** Pairs per EM session above which a deterministic sample is used. */
    static final long MAX_EM_PAIRS = 2_000_000;
    /** Fixed number of u-sampling chunks (independent of the thread count, for determinism). */
    static final int U_CHUNKS = 8;

    private Trainer() {}

    /** u per comparison and level from random pairs (single thread). */
    public static double[][] estimateU(
            List<Comparison> comps, PreparedRecord[] recs, LinkType type, int samples, long seed) {
        return estimateU(comps, recs, type, samples, seed, 1);
    }

    /**
     * u per comparison and level from random pairs. The sample is drawn in {@link #U_CHUNKS} fixed chunks, each with
     * its own generator split from the seed, so the result is the same whatever the number of threads.
     */
    public static double[][] estimateU(
            List<Comparison> comps, PreparedRecord[] recs, LinkType type, int samples, long seed, int threads) {
        int n = recs.length;
        int nc = comps.size();
        long[][][] partial = new long[U_CHUNKS][nc][];
        if (n >= 2) {
            long possible = (long) n * (n - 1) / 2;
            int want = (int) Math.min(samples, possible);
            boolean crossOnly = type == LinkType.LINK_ONLY;
            SplittableRandom root = new SplittableRandom(seed);
            SplittableRandom[] rnds = new SplittableRandom[U_CHUNKS];
            for (int k = 0; k < U_CHUNKS; k++) {
                rnds[k] = root.split();
            }
            Runnable[] work = new Runnable[U_CHUNKS];
            for (int k = 0; k < U_CHUNKS; k++) {
                int chunk = k;
                int quota = (int) ((long) want * (k + 1) / U_CHUNKS - (long) want * k / U_CHUNKS);
                work[k] = () -> {
                    long[][] counts = new long[nc][];
                    for (int c = 0; c < nc; c++) {
                        counts[c] = new long[comps.get(c).levelCount()];
                    }
                    SplittableRandom rnd = rnds[chunk];
                    int drawn = 0;
                    long attempts = 0;
                    while (drawn < quota && attempts < (long) quota * 20) {
                        attempts++;
                        int i = rnd.nextInt(n);
                        int j = rnd.nextInt(n);
                        if (i == j || (crossOnly && recs[i].source() == recs[j].source())) {
                            continue;
                        }
                        for (int c = 0; c < nc; c++) {
                            counts[c][comps.get(c).level(recs[i], recs[j])]++;
                        }
                        drawn++;
                    }
                    partial[chunk] = counts;
                };
            }
            runAll(work, threads);
        }
        double[][] u = new double[nc][];
        for (int c = 0; c < nc; c++) {
            double[] counts = new double[comps.get(c).levelCount()];
            for (long[][] p : partial) {
                if (p[c] != null) {
                    for (int l = 0; l < counts.length; l++) {
                        counts[l] += p[c][l];
                    }
                }
            }
            u[c] = normaliseNonNull(counts, 0.1);
        }
        return u;
    }

    private static void runAll(Runnable[] work, int threads) {
        if (threads <= 1) {
            for (Runnable r : work) {
                r.run();
            }
            return;
        }
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "sightline-u-sample");
            t.setDaemon(true);
            return t;
        });
        try {
            List<java.util.concurrent.Future<?>> fs = new ArrayList<>();
            for (Runnable r : work) {
                fs.add(pool.submit(r));
            }
            for (java.util.concurrent.Future<?> f : fs) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof Error err) {
                throw err; // an OutOfMemoryError stays one, for the caller to report
            }
            throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    /** Probabilities over levels 1..k (level 0 "null" carries no weight), with a small pseudo-count. */
    static double[] normaliseNonNull(double[] counts, double pseudo) {
        double[] p = new double[counts.length];
        double total = 0;
        for (int l = 1; l < counts.length; l++) {
            total += counts[l] + pseudo;
        }
        for (int l = 1; l < counts.length; l++) {
            p[l] = Math.max(MIN_PROBABILITY, (counts[l] + pseudo) / total);
        }
        p[0] = 1;
        return p;
    }

    /** Initial m: mass decreasing geometrically from the best level, 5% on "else". */
    public static double[][] initialM(List<Comparison> comps) {
        double[][] m = new double[comps.size()][];
        for (int c = 0; c < comps.size(); c++) {
            int k = comps.get(c).levelCount();
            m[c] = new double[k];
            m[c][0] = 1;
            double mass = 0.95;
            double sum = 0;
            double[] raw = new double[k];
            for (int l = 1; l < k - 1; l++) {
                raw[l] = Math.pow(0.35, l - 1);
                sum += raw[l];
            }
            for (int l = 1; l < k - 1; l++) {
                m[c][l] = mass * raw[l] / sum;
            }
            m[c][k - 1] = k == 2 ? 1 : 0.05;
        }
        return m;
    }

    /** Result of EM: m per comparison/level and, per session, a short trace for the log. */
    public record MResult(double[][] m, List<String> sessions) {}

    public static MResult estimateM(
            List<Comparison> comps,
            List<ComparisonSpec> specs,
            List<BlockingRule> rules,
            CandidatePairs pairs,
            double[][] u,
            int maxIterations) {
        int nc = comps.size();
        double[][] init = initialM(comps);
        applyFixed(comps, specs, init, true);
        double[][] sum = new double[nc][];
        int[] sessions = new int[nc];
        for (int c = 0; c < nc; c++) {
            sum[c] = new double[comps.get(c).levelCount()];
        }
        List<String> trace = new ArrayList<>();
        int nr = rules.size();
        long[] masks = new long[nr];
        boolean[][] actives = new boolean[nr][];
        int[] activeCounts = new int[nr];
        for (int r = 0; r < nr; r++) {
            actives[r] = new boolean[nc];
            for (int c = 0; c < nc; c++) {
                Comparison comp = comps.get(c);
                boolean blocked = rules.get(r).fields().contains(comp.field())
                        || (comp.swapField() >= 0 && rules.get(r).fields().contains(comp.swapField()));
                actives[r][c] = !blocked;
                if (!blocked) {
                    activeCounts[r]++;
                    masks[r] |= 0xFL << (4 * c);
                }
            }
        }
        // One pass over the pairs for all sessions, counting (masked) patterns in primitive maps. Beyond
        // MAX_EM_PAIRS pairs per session a deterministic sample (by pair index) is counted: EM only needs the
        // pattern distribution, and counting all pairs at a million records costs seconds for nothing.
        long[] perRule = new long[nr];
        for (int i = 0; i < pairs.size(); i++) {
            long agree = pairs.agreeingRules(i);
            while (agree != 0) {
                int r = Long.numberOfTrailingZeros(agree);
                agree &= agree - 1;
                if (r < nr) {
                    perRule[r]++;
                }
            }
        }
        long[] keepBelow = new long[nr];
        for (int r = 0; r < nr; r++) {
            keepBelow[r] = perRule[r] <= MAX_EM_PAIRS
                    ? Long.MAX_VALUE
                    : (long) ((double) MAX_EM_PAIRS / perRule[r] * (1L << 31));
        }
        LongCounts[] aggs = new LongCounts[nr];
        long[] totals = new long[nr];
        for (int r = 0; r < nr; r++) {
            aggs[r] = new LongCounts();
        }
        for (int i = 0; i < pairs.size(); i++) {
            long agree = pairs.agreeingRules(i);
            long h = -1;
            while (agree != 0) {
                int r = Long.numberOfTrailingZeros(agree);
                agree &= agree - 1;
                if (r >= nr || !rules.get(r).train()) {
                    continue;
                }
                if (keepBelow[r] != Long.MAX_VALUE) {
                    if (h < 0) {
                        h = mix(i) & 0x7FFFFFFFL;
                    }
                    if (h >= keepBelow[r]) {
                        continue;
                    }
                }
                aggs[r].add(pairs.pattern(i) & masks[r]);
                totals[r]++;
            }
        }
        for (int r = 0; r < nr; r++) {
            boolean[] active = actives[r];
            int activeCount = activeCounts[r];
            long total = totals[r];
            if (!rules.get(r).train()) {
                trace.add("rule " + rules.get(r).name() + ": not used for training (train: false)");
                continue;
            }
            if (activeCount < 2 || total < 50) {
                trace.add(String.format(
                        Locale.ROOT,
                        "rule %s: skipped (%d pairs, %d comparisons free)",
                        rules.get(r).name(),
                        total,
                        activeCount));
                continue;
            }
            long[] patterns = aggs[r].keysSorted();
            long[] counts = new long[patterns.length];
            for (int p = 0; p < patterns.length; p++) {
                counts[p] = aggs[r].get(patterns[p]);
            }
            double[][] m = new double[nc][];
            for (int c = 0; c < nc; c++) {
                m[c] = init[c].clone();
            }
            double lambda = 0.3;
            int it = 0;
            double change = 1;
            for (; it < maxIterations && change > 1e-5; it++) {
                double[][] mc = new double[nc][];
                for (int c = 0; c < nc; c++) {
                    mc[c] = new double[m[c].length];
                }
                double matched = 0;
                for (int p = 0; p < patterns.length; p++) {
                    double lm = Math.log(lambda);
                    double lu = Math.log(1 - lambda);
                    for (int c = 0; c < nc; c++) {
                        if (active[c]) {
                            int l = FellegiSunterModel.level(patterns[p], c);
                            if (l != 0) {
                                lm += Math.log(m[c][l]);
                                lu += Math.log(u[c][l]);
                            }
                        }
                    }
                    double post = 1 / (1 + Math.exp(lu - lm));
                    double wgt = post * counts[p];
                    matched += wgt;
                    for (int c = 0; c < nc; c++) {
                        if (active[c]) {
                            mc[c][FellegiSunterModel.level(patterns[p], c)] += wgt;
                        }
                    }
                }
                change = 0;
                for (int c = 0; c < nc; c++) {
                    if (!active[c]) {
                        continue;
                    }
                    double[] next = normaliseNonNull(mc[c], 1e-3);
                    for (int l = 1; l < next.length; l++) {
                        change = Math.max(change, Math.abs(next[l] - m[c][l]));
                    }
                    m[c] = next;
                }
                applyFixed(comps, specs, m, true);
                lambda = Math.min(1 - 1e-9, Math.max(1e-9, matched / total));
            }
            for (int c = 0; c < nc; c++) {
                if (active[c]) {
                    for (int l = 1; l < m[c].length; l++) {
                        sum[c][l] += m[c][l];
                    }
                    sessions[c]++;
                }
            }
            trace.add(String.format(
                    Locale.ROOT,
                    "rule %s: %d pairs%s, %d patterns, %d iterations, share matching %.4f",
                    rules.get(r).name(),
                    total,
                    total < perRule[r] ? " (sampled from " + perRule[r] + ")" : "",
                    patterns.length,
                    it,
                    lambda));
        }
        double[][] m = new double[nc][];
        for (int c = 0; c < nc; c++) {
            if (sessions[c] == 0) {
                m[c] = init[c].clone();
                trace.add("comparison " + comps.get(c).name() + ": not estimated by any rule, initial m kept");
            } else {
                m[c] = new double[sum[c].length];
                m[c][0] = 1;
                for (int l = 1; l < m[c].length; l++) {
                    m[c][l] = sum[c][l] / sessions[c];
                }
            }
        }
        applyFixed(comps, specs, m, true);
        return new MResult(m, List.copyOf(trace));
    }

    /** Overwrites m (mOrU = true) or u with the values the profile fixed. */
    public static void applyFixed(List<Comparison> comps, List<ComparisonSpec> specs, double[][] target, boolean mOrU) {
        for (int c = 0; c < comps.size(); c++) {
            for (Map.Entry<String, double[]> e : specs.get(c).fixed().entrySet()) {
                int l = comps.get(c).levelOf(e.getKey().strip().toLowerCase(Locale.ROOT));
                double v = e.getValue()[mOrU ? 0 : 1];
                if (l > 0 && !Double.isNaN(v)) {
                    target[c][l] = v;
                }
            }
        }
    }

    /** Prior from deterministic rules over the candidate pairs. */
    public static double estimatePrior(
            List<Comparison> comps,
            List<List<String>> rules,
            double recall,
            CandidatePairs pairs,
            double possiblePairs) {
        List<long[]> masks = new ArrayList<>(); // {mask, wanted}
        for (List<String> rule : rules) {
            long mask = 0;
            long want = 0;
            for (String name : rule) {
                for (int c = 0; c < comps.size(); c++) {
                    if (comps.get(c).name().equals(name)) {
                        mask |= 0xFL << (4 * c);
                        want |= ((long) comps.get(c).exactLevel()) << (4 * c);
                    }
                }
            }
            masks.add(new long[] {mask, want});
        }
        long hits = 0;
        for (int i = 0; i < pairs.size(); i++) {
            long p = pairs.pattern(i);
            for (long[] mw : masks) {
                if ((p & mw[0]) == mw[1]) {
                    hits++;
                    break;
                }
            }
        }
        double lambda = Math.max(1, hits) / recall / Math.max(1, possiblePairs);
        return Math.min(0.5, Math.max(1e-12, lambda));
    }

    private static long mix(long x) {
        x = (x ^ (x >>> 33)) * 0xff51afd7ed558ccdL;
        x = (x ^ (x >>> 33)) * 0xc4ceb9fe1a85ec53L;
        return x ^ (x >>> 33);
    }

    /** Counts per long key: open addressing, no boxing. */
    static final class LongCounts {
        private long[] keys = new long[1024];
        private long[] counts = new long[1024];
        private boolean[] used = new boolean[1024];
        private int size;

        void add(long k) {
            int mask = keys.length - 1;
            int i = (int) mix(k) & mask;
            while (used[i]) {
                if (keys[i] == k) {
                    counts[i]++;
                    return;
                }
                i = (i + 1) & mask;
            }
            used[i] = true;
            keys[i] = k;
            counts[i] = 1;
            if (++size * 2 > keys.length) {
                grow();
            }
        }

        long get(long k) {
            int mask = keys.length - 1;
            int i = (int) mix(k) & mask;
            while (used[i]) {
                if (keys[i] == k) {
                    return counts[i];
                }
                i = (i + 1) & mask;
            }
            return 0;
        }

        long[] keysSorted() {
            long[] out = new long[size];
            int n = 0;
            for (int i = 0; i < keys.length; i++) {
                if (used[i]) {
                    out[n++] = keys[i];
                }
            }
            Arrays.sort(out);
            return out;
        }

        private void grow() {
            long[] ok = keys;
            long[] oc = counts;
            boolean[] ou = used;
            keys = new long[ok.length * 2];
            counts = new long[ok.length * 2];
            used = new boolean[ok.length * 2];
            int mask = keys.length - 1;
            for (int j = 0; j < ok.length; j++) {
                if (ou[j]) {
                    int i = (int) mix(ok[j]) & mask;
                    while (used[i]) {
                        i = (i + 1) & mask;
                    }
                    used[i] = true;
                    keys[i] = ok[j];
                    counts[i] = oc[j];
                }
            }
        }
    }

    static String format(double[] x) {
        return Arrays.toString(x);
    }
}
