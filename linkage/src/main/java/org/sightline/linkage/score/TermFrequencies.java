package org.sightline.linkage.score;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.sightline.linkage.compare.Comparison;
import org.sightline.linkage.normalise.PreparedRecord;

/**
 * How often each value of a term-frequency-adjusted field occurs, so that agreeing on a common surname weighs less
 * than agreeing on a rare one. Not thread-safe for writes: the batch builds it once, the online index guards it.
 */
public final class TermFrequencies {
    private final List<Comparison> comparisons;
    private final Map<String, Integer>[] counts;
    private final long[] totals;
    /** Joint counts below this are not used (see {@link #jointFrequency}). */
    static final int MIN_JOINT_COUNT = 10;

    private final int[][] joint;
    private final Map<String, Integer>[] jointCounts;
    private final long[] jointTotals;

    public TermFrequencies(List<Comparison> comparisons) {
        this(comparisons, new int[0][]);
    }

    /** @param joint groups of comparison indexes whose values are also counted together */
    @SuppressWarnings("unchecked")
    public TermFrequencies(List<Comparison> comparisons, int[][] joint) {
        this.comparisons = List.copyOf(comparisons);
        this.joint = joint;
        jointCounts = new Map[joint.length];
        jointTotals = new long[joint.length];
        for (int g = 0; g < joint.length; g++) {
            jointCounts[g] = new HashMap<>();
        }
        counts = new Map[comparisons.size()];
        totals = new long[comparisons.size()];
        for (int c = 0; c < counts.length; c++) {
            counts[c] = comparisons.get(c).termFrequency() ? new HashMap<>() : null;
        }
    }

    /** Adds many records, one thread per group of comparisons (each comparison's counts are its own). */
    public void addAll(PreparedRecord[] recs, int threads) {
        List<Integer> adjusted = new java.util.ArrayList<>();
        for (int c = 0; c < counts.length; c++) {
            if (counts[c] != null) {
                adjusted.add(c);
            }
        }
        int items = adjusted.size() + joint.length;
        java.util.stream.IntStream work = java.util.stream.IntStream.range(0, items);
        java.util.function.IntConsumer one = k -> {
            if (k >= adjusted.size()) {
                int g = k - adjusted.size();
                long t = 0;
                for (PreparedRecord r : recs) {
                    String key = jointKey(g, r);
                    if (key != null) {
                        jointCounts[g].merge(key, 1, Integer::sum);
                        t++;
                    }
                }
                jointTotals[g] += t;
                return;
            }
            int c = adjusted.get(k);
            int field = comparisons.get(c).field();
            Map<String, Integer> m = counts[c];
            long t = 0;
            for (PreparedRecord r : recs) {
                String v = r.value(field);
                if (v != null) {
                    m.merge(v, 1, Integer::sum);
                    t++;
                }
            }
            totals[c] += t;
        };
        if (threads <= 1) {
            work.forEach(one);
            return;
        }
        Thread[] ts = new Thread[Math.min(threads, Math.max(1, items))];
        for (int w = 0; w < ts.length; w++) {
            int ww = w;
            ts[w] = new Thread(
                    () -> {
                        for (int k = ww; k < items; k += ts.length) {
                            one.accept(k);
                        }
                    },
                    "sightline-tf");
            ts[w].start();
        }
        for (Thread t : ts) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
    }

    public void add(PreparedRecord r) {
        change(r, 1);
    }

    public void remove(PreparedRecord r) {
        change(r, -1);
    }

    private @Nullable String jointKey(int g, PreparedRecord r) {
        StringBuilder b = new StringBuilder(32);
        for (int c : joint[g]) {
            String v = r.value(comparisons.get(c).field());
            if (v == null) {
                return null;
            }
            b.append(v).append('\u001f');
        }
        return b.toString();
    }

    /**
     * Relative frequency of record r's combination of values in joint group g; 0 (no adjustment) when the
     * combination occurs fewer than {@link #MIN_JOINT_COUNT} times.
     */
    public double jointFrequency(int g, PreparedRecord r) {
        if (g >= joint.length || jointTotals[g] == 0) {
            return 0;
        }
        String key = jointKey(g, r);
        if (key == null) {
            return 0;
        }
        Integer k = jointCounts[g].get(key);
        if (k == null || k < MIN_JOINT_COUNT) {
            return 0; // a rare combination's count is mostly one person's several records: no evidence of co-occurrence
        }
        return k / (double) jointTotals[g];
    }

    private void change(PreparedRecord r, int delta) {
        for (int g = 0; g < joint.length; g++) {
            String key = jointKey(g, r);
            if (key != null) {
                jointCounts[g].merge(key, delta, (x, y) -> x + y == 0 ? null : x + y);
                jointTotals[g] += delta;
            }
        }
        for (int c = 0; c < counts.length; c++) {
            if (counts[c] != null) {
                String v = r.value(comparisons.get(c).field());
                if (v != null) {
                    counts[c].merge(v, delta, (x, y) -> x + y == 0 ? null : x + y);
                    totals[c] += delta;
                }
            }
        }
    }

    /** Relative frequency of {@code value} in comparison c's field; at least 1/total; 0 when c is not adjusted. */
    public double frequency(int c, @Nullable String value) {
        Map<String, Integer> m = counts[c];
        if (m == null || totals[c] == 0) {
            return 0;
        }
        Integer k = m.get(value);
        return Math.max(1, k == null ? 0 : k) / (double) totals[c];
    }

    /** Number of records with a value in comparison c's field. */
    public long total(int c) {
        return totals[c];
    }
}
