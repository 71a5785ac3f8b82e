package org.sightline.linkage.score;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.sightline.linkage.compare.Comparison;
import org.sightline.linkage.normalise.PreparedRecord;

/**
 * Trained Fellegi-Sunter parameters: per comparison and level, m = P(level | match) and u = P(level | non-match);
 * the prior probability that two random records match. Match weight = log2(prior odds) + sum of log2(m/u) over
 * comparisons (the null level adds 0), with the exact level's u replaced by the value's term frequency where the
 * comparison is TF-adjusted. Immutable.
 */
public final class FellegiSunterModel {
    /** Weight is never pushed beyond these bounds by term frequency (guards against one rare value dominating). */
    private static final double MAX_TF_ADJUSTMENT = 12;

    private final List<Comparison> comparisons;
    private final double[][] m;
    private final double[][] u;
    private final double[][] w;
    private final double prior;
    private final double priorWeight;
    private final List<Guard> guards;
    private final int[][] jointTf;
    /** Per comparison: the earlier comparison it forms a mutual swap pair with, else -1. */
    private final int[] swapTwin;

    private final int[] swappedLevel;

    public FellegiSunterModel(List<Comparison> comparisons, double[][] m, double[][] u, double prior) {
        this(comparisons, m, u, prior, List.of());
    }

    public FellegiSunterModel(
            List<Comparison> comparisons, double[][] m, double[][] u, double prior, List<Guard> guards) {
        this(comparisons, m, u, prior, guards, new int[0][]);
    }

    /** @param jointTf groups of comparison indexes weighed by the joint frequency of their values (see config) */
    public FellegiSunterModel(
            List<Comparison> comparisons,
            double[][] m,
            double[][] u,
            double prior,
            List<Guard> guards,
            int[][] jointTf) {
        this.comparisons = List.copyOf(comparisons);
        this.guards = List.copyOf(guards);
        this.jointTf = new int[jointTf.length][];
        for (int g = 0; g < jointTf.length; g++) {
            this.jointTf[g] = jointTf[g].clone();
        }
        int nc = comparisons.size();
        swapTwin = new int[nc];
        swappedLevel = new int[nc];
        for (int c = 0; c < nc; c++) {
            swapTwin[c] = -1;
            swappedLevel[c] = comparisons.get(c).levelOf("swapped");
            Comparison cc = comparisons.get(c);
            for (int d = 0; d < c && cc.swapField() >= 0; d++) {
                Comparison dd = comparisons.get(d);
                if (dd.field() == cc.swapField() && dd.swapField() == cc.field()) {
                    swapTwin[c] = d;
                }
            }
        }
        this.m = deepCopy(m);
        this.u = deepCopy(u);
        this.prior = prior;
        this.priorWeight = log2(prior / (1 - prior));
        w = new double[m.length][];
        for (int c = 0; c < m.length; c++) {
            w[c] = new double[m[c].length];
            for (int l = 1; l < m[c].length; l++) {
                w[c][l] = log2(m[c][l] / u[c][l]);
            }
        }
    }

    private static double[][] deepCopy(double[][] x) {
        double[][] y = new double[x.length][];
        for (int i = 0; i < x.length; i++) {
            y[i] = x[i].clone();
        }
        return y;
    }

    static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }

    public List<Comparison> comparisons() {
        return comparisons;
    }

    public double m(int c, int level) {
        return m[c][level];
    }

    public double u(int c, int level) {
        return u[c][level];
    }

    /** log2(m/u) of a level, before any term-frequency adjustment; 0 for the null level. */
    public double levelWeight(int c, int level) {
        return w[c][level];
    }

    /** Probability that two random records match. */
    public double prior() {
        return prior;
    }

    public double priorWeight() {
        return priorWeight;
    }

    /** The comparison pattern of two records: 4 bits per comparison, comparison c in bits 4c..4c+3. */
    public long pattern(PreparedRecord a, PreparedRecord b) {
        return pattern(comparisons, a, b);
    }

    public static long pattern(List<Comparison> comparisons, PreparedRecord a, PreparedRecord b) {
        long p = 0;
        for (int c = 0; c < comparisons.size(); c++) {
            p |= ((long) comparisons.get(c).level(a, b)) << (4 * c);
        }
        return p;
    }

    public static int level(long pattern, int c) {
        return (int) ((pattern >>> (4 * c)) & 0xF);
    }

    /**
     * True when comparison c is the second of a mutual swap pair (given/family name) and both are at "swapped": one
     * swap is one piece of evidence, so only the first comparison counts it.
     */
    private boolean swapCountedElsewhere(long pattern, int c, int l) {
        int d = swapTwin[c];
        return d >= 0 && l == swappedLevel[c] && level(pattern, d) == swappedLevel[d];
    }

    /** Match weight (bits) of a pattern for records a, b. */
    public double weight(long pattern, PreparedRecord a, @Nullable TermFrequencies tf) {
        double s = priorWeight;
        int ignored = 0;
        for (Guard g : guards) {
            if (g.applies(pattern)) {
                s += g.weight();
                ignored |= g.ignoreMask();
            }
        }
        for (int c = 0; c < w.length; c++) {
            int l = level(pattern, c);
            if ((ignored & (1 << c)) != 0 || swapCountedElsewhere(pattern, c, l)) {
                continue;
            }
            s += w[c][l];
            if (l != 0
                    && l == comparisons.get(c).exactLevel()
                    && tf != null
                    && comparisons.get(c).termFrequency()) {
                s += tfAdjustment(c, l, a, tf);
            }
        }
        for (int g = 0; g < jointTf.length; g++) {
            s += jointAdjustment(g, pattern, ignored, a, tf);
        }
        return s;
    }

    public List<Guard> guards() {
        return guards;
    }

    public int[][] jointTf() {
        int[][] out = new int[jointTf.length][];
        for (int g = 0; g < out.length; g++) {
            out[g] = jointTf[g].clone();
        }
        return out;
    }

    private double tfAdjustment(int c, int l, PreparedRecord a, TermFrequencies tf) {
        double f = tf.frequency(c, a.value(comparisons.get(c).field()));
        if (f <= 0) {
            return 0;
        }
        double adj = log2(u[c][l] / f);
        return Math.max(-MAX_TF_ADJUSTMENT, Math.min(MAX_TF_ADJUSTMENT, adj));
    }

    /**
     * When every comparison of joint group g agrees exactly (and counts), the separate TF terms assumed the values
     * independent: replace their product of frequencies by the joint frequency. Capped like single TF.
     */
    private double jointAdjustment(int g, long pattern, int ignored, PreparedRecord a, @Nullable TermFrequencies tf) {
        if (tf == null) {
            return 0;
        }
        double product = 1;
        for (int c : jointTf[g]) {
            int l = level(pattern, c);
            if (l == 0 || l != comparisons.get(c).exactLevel() || (ignored & (1 << c)) != 0) {
                return 0;
            }
            double f = tf.frequency(c, a.value(comparisons.get(c).field()));
            if (f <= 0) {
                return 0;
            }
            product *= f;
        }
        double fj = tf.jointFrequency(g, a);
        if (fj <= 0) {
            return 0;
        }
        return Math.max(-MAX_TF_ADJUSTMENT, Math.min(MAX_TF_ADJUSTMENT, log2(product / fj)));
    }

    public double weight(PreparedRecord a, PreparedRecord b, @Nullable TermFrequencies tf) {
        return weight(pattern(a, b), a, tf);
    }

    /** Each comparison's level and weight for records a, b. */
    public Explanation explain(PreparedRecord a, PreparedRecord b, @Nullable TermFrequencies tf) {
        long p = pattern(a, b);
        List<Explanation.Term> terms = new ArrayList<>();
        double s = priorWeight;
        int ignored = 0;
        List<String> ignoredBy = new ArrayList<>();
        for (int c = 0; c < w.length; c++) {
            ignoredBy.add(null);
        }
        for (Guard g : guards) {
            if (g.applies(p)) {
                ignored |= g.ignoreMask();
                for (int c = 0; c < w.length; c++) {
                    if ((g.ignoreMask() & (1 << c)) != 0 && ignoredBy.get(c) == null) {
                        ignoredBy.set(c, "ignored by guard " + g.name());
                    }
                }
            }
        }
        for (int c = 0; c < w.length; c++) {
            Comparison comp = comparisons.get(c);
            int l = level(p, c);
            if ((ignored & (1 << c)) != 0) {
                terms.add(new Explanation.Term(comp.name(), comp.label(l), 0, 0, ignoredBy.get(c)));
                continue;
            }
            if (swapCountedElsewhere(p, c, l)) {
                terms.add(new Explanation.Term(
                        comp.name(),
                        comp.label(l),
                        0,
                        0,
                        "counted with " + comparisons.get(swapTwin[c]).name()));
                continue;
            }
            double adj = l != 0 && l == comp.exactLevel() && tf != null && comp.termFrequency()
                    ? tfAdjustment(c, l, a, tf)
                    : 0;
            terms.add(new Explanation.Term(comp.name(), comp.label(l), w[c][l], adj, null));
            s += w[c][l] + adj;
        }
        for (int g = 0; g < jointTf.length; g++) {
            double adj = jointAdjustment(g, p, ignored, a, tf);
            if (adj != 0) {
                StringBuilder name = new StringBuilder("tf:");
                for (int k = 0; k < jointTf[g].length; k++) {
                    name.append(k > 0 ? "+" : "")
                            .append(comparisons.get(jointTf[g][k]).name());
                }
                terms.add(new Explanation.Term(name.toString(), "joint", 0, adj, "joint term frequency"));
                s += adj;
            }
        }
        for (Guard g : guards) {
            if (g.applies(p) && g.weight() != 0) {
                terms.add(new Explanation.Term("guard:" + g.name(), "applies", g.weight(), 0, "guard"));
                s += g.weight();
            }
        }
        return new Explanation(priorWeight, terms, s, probability(s));
    }

    /** Match probability of a weight: 2^w / (1 + 2^w). */
    public static double probability(double weight) {
        double o = Math.pow(2, weight);
        return Double.isInfinite(o) ? 1.0 : o / (1 + o);
    }
}
