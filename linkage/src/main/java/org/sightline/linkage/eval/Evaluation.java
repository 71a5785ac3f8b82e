package org.sightline.linkage.eval;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.sightline.linkage.LinkResult;
import org.sightline.linkage.model.LinkType;

/**
 * Pairwise accuracy of a run against a ground-truth entity key per record. {@code precision/recall/f1} score the
 * identities (clusters): every pair of records in one cluster is a predicted link, and recall counts all true pairs,
 * including those blocking never offered. {@code pairPrecision/pairRecall/pairF1} score the thresholded pairs before
 * clustering. With link_only, only pairs across sources count.
 */
public record Evaluation(
        int records,
        int clusters,
        long truePairs,
        long predictedPairs,
        long truePositives,
        double precision,
        double recall,
        double f1,
        long thresholdPairs,
        long thresholdTruePositives,
        double pairPrecision,
        double pairRecall,
        double pairF1,
        long candidatePairs,
        long candidateTruePairs,
        double pairsCompleteness,
        List<RuleCompleteness> rules,
        double seconds) {

    /** What the blocking rules achieved, cumulatively in rule order. */
    public record RuleCompleteness(String rule, long newPairs, long newTruePairs, double cumulativeCompleteness) {}

    public static Evaluation of(LinkResult r, List<@Nullable String> truth) {
        int n = r.recordCount();
        if (truth.size() != n) {
            throw new IllegalArgumentException("truth has " + truth.size() + " entries for " + n + " records");
        }
        boolean crossOnly = r.config().linkType() == LinkType.LINK_ONLY;
        int[] entity = new int[n];
        Map<String, Integer> ids = new HashMap<>();
        for (int i = 0; i < n; i++) {
            @Nullable String t = truth.get(i);
            entity[i] = t == null ? -1 - i : ids.computeIfAbsent(t, k -> ids.size());
        }
        long truePairs = pairsIn(n, i -> entity[i] < 0 ? Long.MIN_VALUE + i : entity[i], r, crossOnly);
        long predicted = pairsIn(n, i -> r.cluster(i), r, crossOnly);
        long tp = pairsIn(
                n, i -> entity[i] < 0 ? Long.MIN_VALUE + i : ((long) r.cluster(i) << 32) | entity[i], r, crossOnly);
        long cand = r.candidatePairCount();
        long candTrue = 0;
        long thr = 0;
        long thrTrue = 0;
        int rules = r.blockingReport().size();
        long[] ruleNew = new long[rules];
        long[] ruleTrue = new long[rules];
        double match = r.config().matchWeight();
        for (int p = 0; p < cand; p++) {
            var pair = r.pair(p);
            boolean same = entity[pair.a()] >= 0 && entity[pair.a()] == entity[pair.b()];
            ruleNew[r.pairRule(p)]++;
            if (same) {
                candTrue++;
                ruleTrue[r.pairRule(p)]++;
            }
            if (pair.weight() >= match) {
                thr++;
                if (same) {
                    thrTrue++;
                }
            }
        }
        List<RuleCompleteness> rc = new ArrayList<>();
        long cum = 0;
        for (int k = 0; k < rules; k++) {
            cum += ruleTrue[k];
            rc.add(new RuleCompleteness(
                    r.blockingReport().get(k).rule(), ruleNew[k], ruleTrue[k], ratio(cum, truePairs)));
        }
        double p = ratio(tp, predicted);
        double rec = ratio(tp, truePairs);
        double pp = ratio(thrTrue, thr);
        double pr = ratio(thrTrue, truePairs);
        return new Evaluation(
                n,
                r.clusterCount(),
                truePairs,
                predicted,
                tp,
                p,
                rec,
                f1(p, rec),
                thr,
                thrTrue,
                pp,
                pr,
                f1(pp, pr),
                cand,
                candTrue,
                ratio(candTrue, truePairs),
                List.copyOf(rc),
                r.seconds());
    }

    private record KeySource(long key, int source) {}

    private interface Key {
        long of(int i);
    }

    /** Pairs of records sharing a key (across sources only, when asked). */
    private static long pairsIn(int n, Key key, LinkResult r, boolean crossOnly) {
        Map<Long, long[]> groups = new HashMap<>();
        // keyed by (key, source) itself: a packed k * 31 + source collided once there were more than 31 sources
        Map<KeySource, long[]> groupsBySource = new HashMap<>(); // stays empty unless crossOnly
        for (int i = 0; i < n; i++) {
            long k = key.of(i);
            groups.computeIfAbsent(k, x -> new long[1])[0]++;
            if (crossOnly) {
                groupsBySource.computeIfAbsent(new KeySource(k, r.sourceIndex(i)), x -> new long[1])[0]++;
            }
        }
        long pairs = 0;
        for (long[] c : groups.values()) {
            pairs += c[0] * (c[0] - 1) / 2;
        }
        if (crossOnly) {
            for (long[] c : groupsBySource.values()) {
                pairs -= c[0] * (c[0] - 1) / 2;
            }
        }
        return pairs;
    }

    private static double ratio(long a, long b) {
        return b == 0 ? 0 : (double) a / b;
    }

    private static double f1(double p, double r) {
        return p + r == 0 ? 0 : 2 * p * r / (p + r);
    }

    /** The evaluation as a JSON object. */
    public String toJson() {
        StringBuilder b = new StringBuilder("{\n");
        kv(b, "precision", precision);
        kv(b, "recall", recall);
        kv(b, "f1", f1);
        kv(b, "pairs_completeness", pairsCompleteness);
        kv(b, "candidate_pairs", candidatePairs);
        kv(b, "seconds", seconds);
        kv(b, "records", records);
        kv(b, "clusters", clusters);
        kv(b, "true_pairs", truePairs);
        kv(b, "predicted_pairs", predictedPairs);
        kv(b, "true_positives", truePositives);
        kv(b, "threshold_pairs", thresholdPairs);
        kv(b, "pair_precision", pairPrecision);
        kv(b, "pair_recall", pairRecall);
        kv(b, "pair_f1", pairF1);
        kv(b, "candidate_true_pairs", candidateTruePairs);
        b.append("  \"blocking\": [");
        for (int i = 0; i < rules.size(); i++) {
            RuleCompleteness c = rules.get(i);
            b.append(i == 0 ? "\n" : ",\n")
                    .append(String.format(
                            Locale.ROOT,
                            "    {\"rule\": \"%s\", \"new_pairs\": %d, \"new_true_pairs\": %d, \"cumulative_completeness\": %.6f}",
                            c.rule().replace("\\", "\\\\").replace("\"", "\\\""),
                            c.newPairs(),
                            c.newTruePairs(),
                            c.cumulativeCompleteness()));
        }
        b.append("\n  ]\n}\n");
        return b.toString();
    }

    private static void kv(StringBuilder b, String k, double v) {
        b.append("  \"")
                .append(k)
                .append("\": ")
                .append(String.format(Locale.ROOT, "%.6f", v))
                .append(",\n");
    }

    private static void kv(StringBuilder b, String k, long v) {
        b.append("  \"").append(k).append("\": ").append(v).append(",\n");
    }

    @Override
    public String toString() {
        return String.format(
                Locale.ROOT,
                "precision %.4f recall %.4f F1 %.4f (pairs before clustering: P %.4f "
                        + "R %.4f F1 %.4f); pairs completeness %.4f over %,d candidate pairs; %.1f s",
                precision,
                recall,
                f1,
                pairPrecision,
                pairRecall,
                pairF1,
                pairsCompleteness,
                candidatePairs,
                seconds);
    }
}
