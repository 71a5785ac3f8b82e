package org.sightline.linkage;

import java.util.ArrayList;
import java.util.List;
import org.sightline.linkage.block.Blocker;
import org.sightline.linkage.block.CandidatePairs;
import org.sightline.linkage.cluster.Clusterer;
import org.sightline.linkage.model.Record;
import org.sightline.linkage.normalise.PreparedRecord;
import org.sightline.linkage.score.Explanation;
import org.sightline.linkage.score.FellegiSunterModel;
import org.sightline.linkage.score.TermFrequencies;

/**
 * The outcome of a batch run: every candidate pair with its weight, the identities (clusters), the review queue,
 * the trained model and the blocking report. Read-only.
 */
public final class LinkResult {
    private final LinkageConfig config;
    private final List<Record> records;
    private final PreparedRecord[] prepared;
    private final FellegiSunterModel model;
    private final TermFrequencies tf;
    private final CandidatePairs pairs;
    private final float[] weights;
    private final List<Blocker.RuleStats> blocking;
    private final int recordsWithoutPair;
    private final Clusterer.Result clusters;
    private final List<String> trainingLog;
    private final double blockingSeconds;
    private final double seconds;

    LinkResult(
            LinkageConfig config,
            List<Record> records,
            PreparedRecord[] prepared,
            FellegiSunterModel model,
            TermFrequencies tf,
            CandidatePairs pairs,
            float[] weights,
            List<Blocker.RuleStats> blocking,
            int recordsWithoutPair,
            Clusterer.Result clusters,
            List<String> trainingLog,
            double blockingSeconds,
            double seconds) {
        this.config = config;
        this.records = records;
        this.prepared = prepared;
        this.model = model;
        this.tf = tf;
        this.pairs = pairs;
        this.weights = weights;
        this.blocking = blocking;
        this.recordsWithoutPair = recordsWithoutPair;
        this.clusters = clusters;
        this.trainingLog = trainingLog;
        this.blockingSeconds = blockingSeconds;
        this.seconds = seconds;
    }

    public int recordCount() {
        return prepared.length;
    }

    public String recordId(int i) {
        return prepared[i].id();
    }

    /** The source of record i as given in the input. */
    public String source(int i) {
        return records.get(i).source();
    }

    public int sourceIndex(int i) {
        return prepared[i].source();
    }

    /** Cluster number (0-based, dense, in order of first record) of record i. */
    public int cluster(int i) {
        return clusters.clusterOf()[i];
    }

    /** A stable, readable identity id for record i: "c" plus the cluster number. */
    public String clusterId(int i) {
        return "c" + clusters.clusterOf()[i];
    }

    public int clusterCount() {
        return clusters.clusterCount();
    }

    /** Number of candidate pairs scored. */
    public int candidatePairCount() {
        return pairs.size();
    }

    public ScoredPair pair(int i) {
        int x = pairs.a(i);
        int y = pairs.b(i);
        double w = weights[i];
        return new ScoredPair(x, y, prepared[x].id(), prepared[y].id(), w, FellegiSunterModel.probability(w));
    }

    /** Weight of candidate pair i (bits). */
    public double weight(int i) {
        return weights[i];
    }

    /** Index of the blocking rule that produced candidate pair i. */
    public int pairRule(int i) {
        return pairs.rule(i);
    }

    /** Each comparison's level and weight for a pair (any two records, candidate or not). */
    public Explanation explain(ScoredPair p) {
        return model.explain(prepared[p.a()], prepared[p.b()], tf);
    }

    public Explanation explain(int a, int b) {
        return model.explain(prepared[a], prepared[b], tf);
    }

    /** The level labels of candidate pair i, one per comparison (cheap: read from the stored pattern). */
    public String[] levels(int i) {
        long p = pairs.pattern(i);
        String[] out = new String[config.comparisons().size()];
        for (int c = 0; c < out.length; c++) {
            out[c] = config.comparisons().get(c).label(FellegiSunterModel.level(p, c));
        }
        return out;
    }

    /**
     * Pairs for human review: candidate pairs in the uncertain band [review weight, match weight) whose records ended
     * in different identities, and links the cluster guard or a constraint refused.
     */
    public List<ReviewItem> reviewQueue() {
        List<ReviewItem> out = new ArrayList<>();
        for (Clusterer.Refusal r : clusters.refused()) {
            out.add(new ReviewItem(
                    prepared[r.a()].id(),
                    prepared[r.b()].id(),
                    r.weight(),
                    FellegiSunterModel.probability(r.weight()),
                    r.reason()));
        }
        int[] c = clusters.clusterOf();
        for (int i = 0; i < pairs.size(); i++) {
            double w = weights[i];
            if (w >= config.reviewWeight() && w < config.matchWeight() && c[pairs.a(i)] != c[pairs.b(i)]) {
                out.add(new ReviewItem(
                        prepared[pairs.a(i)].id(),
                        prepared[pairs.b(i)].id(),
                        w,
                        FellegiSunterModel.probability(w),
                        "uncertain"));
            }
        }
        return out;
    }

    public FellegiSunterModel model() {
        return model;
    }

    public TermFrequencies termFrequencies() {
        return tf;
    }

    /** Candidate pairs each blocking rule added. */
    /** Records in no candidate pair under any rule (label-free recall risk: they can only stay alone). */
    public int recordsWithoutPair() {
        return recordsWithoutPair;
    }

    public List<Blocker.RuleStats> blockingReport() {
        return blocking;
    }

    /** One line per EM session. */
    public List<String> trainingLog() {
        return trainingLog;
    }

    public LinkageConfig config() {
        return config;
    }

    public double blockingSeconds() {
        return blockingSeconds;
    }

    /** Wall time of the whole run. */
    public double seconds() {
        return seconds;
    }
}
