package org.sightline.linkage.score;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
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

    private Trainer() {
    }

    /** u per comparison and level from random pairs. */
    public static double[][] estimateU(List<Comparison> comps, PreparedRecord[] recs, LinkType type, int samples,
                                       long seed) {
        int n = recs.length;
        double[][] counts = new double[comps.size()][];
        for (int c = 0; c < comps.size(); c++) {
            counts[c] = new double[comps.get(c).levelCount()];
        }
        if (n >= 2) {
            SplittableRandom rnd = new SplittableRandom(seed);
            long possible = (long) n * (n - 1) / 2;
            int want = (int) Math.min(samples, possible);
            boolean crossOnly = type == LinkType.LINK_ONLY;
            int drawn = 0;
            int attempts = 0;
            while (drawn < want && attempts < want * 20) {
                attempts++;
                int i = rnd.nextInt(n);
                int j = rnd.nextInt(n);
                if (i == j || (crossOnly && recs[i].source() == recs[j].source())) {
                    continue;
                }
                for (int c = 0; c < comps.size(); c++) {
                    counts[c][comps.get(c).level(recs[i], recs[j])]++;
                }
                drawn++;
            }
        }
        double[][] u = new double[comps.size()][];
        for (int c = 0; c < comps.size(); c++) {
            u[c] = normaliseNonNull(counts[c], 0.1);
        }
        return u;
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
    public record MResult(double[][] m, List<String> sessions) {
    }

    public static MResult estimateM(List<Comparison> comps, List<ComparisonSpec> specs, List<BlockingRule> rules,
                                    CandidatePairs pairs, double[][] u, int maxIterations) {
        int nc = comps.size();
        double[][] init = initialM(comps);
        applyFixed(comps, specs, init, true);
        double[][] sum = new double[nc][];
        int[] sessions = new int[nc];
        for (int c = 0; c < nc; c++) {
            sum[c] = new double[comps.get(c).levelCount()];
        }
        List<String> trace = new ArrayList<>();
        for (int r = 0; r < rules.size(); r++) {
            boolean[] active = new boolean[nc];
            int activeCount = 0;
            for (int c = 0; c < nc; c++) {
                Comparison comp = comps.get(c);
                boolean blocked = rules.get(r).fields().contains(comp.field())
                        || (comp.swapField() >= 0 && rules.get(r).fields().contains(comp.swapField()));
                active[c] = !blocked;
                if (active[c]) {
                    activeCount++;
                }
            }
            long mask = 0;
            for (int c = 0; c < nc; c++) {
                if (active[c]) {
                    mask |= 0xFL << (4 * c);
                }
            }
            Map<Long, long[]> agg = new HashMap<>();
            long total = 0;
            for (int i = 0; i < pairs.size(); i++) {
                if ((pairs.agreeingRules(i) & (1L << r)) != 0) {
                    agg.computeIfAbsent(pairs.pattern(i) & mask, k -> new long[1])[0]++;
                    total++;
                }
            }
            if (activeCount < 2 || total < 50) {
                trace.add(String.format(Locale.ROOT, "rule %s: skipped (%d pairs, %d comparisons free)",
                        rules.get(r).name(), total, activeCount));
                continue;
            }
            long[] patterns = agg.keySet().stream().mapToLong(Long::longValue).sorted().toArray();
            long[] counts = new long[patterns.length];
            for (int p = 0; p < patterns.length; p++) {
                counts[p] = agg.get(patterns[p])[0];
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
            trace.add(String.format(Locale.ROOT, "rule %s: %d pairs, %d patterns, %d iterations, share matching %.4f",
                    rules.get(r).name(), total, patterns.length, it, lambda));
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
    public static void applyFixed(List<Comparison> comps, List<ComparisonSpec> specs, double[][] target,
                                  boolean mOrU) {
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
    public static double estimatePrior(List<Comparison> comps, List<List<String>> rules, double recall,
                                       CandidatePairs pairs, double possiblePairs) {
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

    static String format(double[] x) {
        return Arrays.toString(x);
    }
}
