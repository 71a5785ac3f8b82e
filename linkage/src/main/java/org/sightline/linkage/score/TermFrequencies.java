package org.sightline.linkage.score;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
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

    @SuppressWarnings("unchecked")
    public TermFrequencies(List<Comparison> comparisons) {
        this.comparisons = List.copyOf(comparisons);
        counts = new Map[comparisons.size()];
        totals = new long[comparisons.size()];
        for (int c = 0; c < counts.length; c++) {
            counts[c] = comparisons.get(c).termFrequency() ? new HashMap<>() : null;
        }
    }

    public void add(PreparedRecord r) {
        change(r, 1);
    }

    public void remove(PreparedRecord r) {
        change(r, -1);
    }

    private void change(PreparedRecord r, int delta) {
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
    public double frequency(int c, String value) {
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
