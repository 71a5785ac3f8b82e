package org.sightline.linkage;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.sightline.linkage.block.BlockingRule;
import org.sightline.linkage.block.BlockingRuleSpec;
import org.sightline.linkage.compare.Comparison;
import org.sightline.linkage.compare.ComparisonSpec;
import org.sightline.linkage.model.FieldSpec;
import org.sightline.linkage.model.LinkType;
import org.sightline.linkage.score.Guard;

/**
 * Everything the engine needs to link records: fields, comparisons, blocking rules, training and thresholds.
 * Immutable; {@link Builder#build()} validates everything and fails fast with a {@link LinkageConfigException} that
 * names the bad setting. Defaults are strict and documented on each builder method.
 *
 * <p>Weights are in bits (log2 of the likelihood ratio). A pair links when its match weight is at least
 * {@link #matchWeight()}; pairs from {@link #reviewWeight()} up to the match weight, and links the cluster guard
 * refused, go to human review.
 */
public final class LinkageConfig {
    private final List<FieldSpec> fields;
    private final List<ComparisonSpec> comparisonSpecs;
    private final List<Comparison> comparisons;
    private final List<BlockingRuleSpec> blockingSpecs;
    private final List<BlockingRule> blockingRules;
    private final LinkType linkType;
    private final int maxBlockSize;
    private final int window;
    private final long seed;
    private final int uSamplePairs;
    private final int emMaxIterations;
    private final List<List<String>> priorRules;
    private final double priorRecall;
    private final @Nullable Double fixedPrior;
    private final double matchWeight;
    private final double reviewWeight;
    private final double fractureWeight;
    private final double onlineMatchWeight;
    private final double minCrossLinkRatio;
    private final int threads;
    private final List<Guard.Spec> guardSpecs;
    private final List<Guard> guards;
    private final List<List<String>> jointTfSpecs;
    private final int[][] jointTf;

    private LinkageConfig(Builder b) {
        fields = List.copyOf(b.fields);
        comparisonSpecs = List.copyOf(b.comparisons);
        blockingSpecs = List.copyOf(b.blocking);
        linkType = b.linkType;
        maxBlockSize = b.maxBlockSize;
        window = b.window;
        seed = b.seed;
        uSamplePairs = b.uSamplePairs;
        emMaxIterations = b.emMaxIterations;
        priorRules = b.priorRules.stream().map(List::copyOf).toList();
        priorRecall = b.priorRecall;
        fixedPrior = b.fixedPrior;
        matchWeight = b.matchWeight;
        reviewWeight = b.reviewWeight;
        fractureWeight = b.fractureWeight;
        onlineMatchWeight = b.onlineMatchWeight != null ? b.onlineMatchWeight : b.matchWeight;
        minCrossLinkRatio = b.minCrossLinkRatio;
        threads = b.threads;

        if (fields.isEmpty()) {
            throw new LinkageConfigException("fields: at least one field is required");
        }
        Set<String> names = new HashSet<>();
        for (FieldSpec f : fields) {
            if (!names.add(f.name())) {
                throw new LinkageConfigException("fields: '" + f.name() + "' is declared twice");
            }
        }
        if (comparisonSpecs.isEmpty()) {
            throw new LinkageConfigException("comparisons: at least one comparison is required");
        }
        if (comparisonSpecs.size() > 16) {
            throw new LinkageConfigException("comparisons: at most 16 are supported, got " + comparisonSpecs.size());
        }
        List<Comparison> cs = new ArrayList<>();
        Set<String> cnames = new HashSet<>();
        for (ComparisonSpec s : comparisonSpecs) {
            if (!cnames.add(s.name())) {
                throw new LinkageConfigException("comparisons: '" + s.name() + "' is declared twice");
            }
            try {
                cs.add(Comparison.compile(s, fields));
            } catch (IllegalArgumentException e) {
                throw new LinkageConfigException("comparisons: " + e.getMessage());
            }
        }
        comparisons = List.copyOf(cs);
        if (blockingSpecs.isEmpty()) {
            throw new LinkageConfigException("blocking: at least one blocking rule is required");
        }
        List<BlockingRule> rules = new ArrayList<>();
        Set<String> rnames = new HashSet<>();
        for (BlockingRuleSpec s : blockingSpecs) {
            if (!rnames.add(s.name())) {
                throw new LinkageConfigException("blocking: rule '" + s.name() + "' is declared twice");
            }
            try {
                rules.add(BlockingRule.compile(s, fields));
            } catch (IllegalArgumentException e) {
                throw new LinkageConfigException("blocking: " + e.getMessage());
            }
        }
        if (rules.size() > 60) {
            throw new LinkageConfigException("blocking: at most 60 rules are supported");
        }
        blockingRules = List.copyOf(rules);
        guardSpecs = List.copyOf(b.guards);
        List<Guard> gs = new ArrayList<>();
        Set<String> gnames = new HashSet<>();
        for (Guard.Spec g : guardSpecs) {
            if (!gnames.add(g.name())) {
                throw new LinkageConfigException("guards: '" + g.name() + "' is declared twice");
            }
            try {
                gs.add(Guard.compile(g, comparisons));
            } catch (IllegalArgumentException e) {
                throw new LinkageConfigException("guards: " + e.getMessage());
            }
        }
        guards = List.copyOf(gs);
        jointTfSpecs = b.jointTf.stream().map(List::copyOf).toList();
        jointTf = new int[jointTfSpecs.size()][];
        for (int g = 0; g < jointTf.length; g++) {
            List<String> group = jointTfSpecs.get(g);
            if (group.size() < 2) {
                throw new LinkageConfigException("joint_tf: a group needs at least two comparisons, got " + group);
            }
            jointTf[g] = new int[group.size()];
            for (int k = 0; k < group.size(); k++) {
                String name = group.get(k);
                int idx = -1;
                for (int c = 0; c < cs.size(); c++) {
                    if (cs.get(c).name().equals(name)) {
                        idx = c;
                    }
                }
                if (idx < 0) {
                    throw new LinkageConfigException("joint_tf: unknown comparison '" + name + "'");
                }
                if (!cs.get(idx).termFrequency() || cs.get(idx).exactLevel() < 0) {
                    throw new LinkageConfigException("joint_tf: comparison '" + name
                            + "' needs an exact level with term frequencies (tf: true)");
                }
                jointTf[g][k] = idx;
            }
        }
        for (List<String> rule : priorRules) {
            if (rule.isEmpty()) {
                throw new LinkageConfigException("training.prior.rules: a rule lists no comparisons");
            }
            for (String c : rule) {
                Comparison comp = cs.stream()
                        .filter(x -> x.name().equals(c))
                        .findFirst()
                        .orElseThrow(() ->
                                new LinkageConfigException("training.prior.rules: unknown comparison '" + c + "'"));
                if (comp.exactLevel() < 0) {
                    throw new LinkageConfigException("training.prior.rules: comparison '" + c + "' has no exact level");
                }
            }
        }
        check(maxBlockSize >= 2, "blocking.max_block_size must be at least 2, got " + maxBlockSize);
        check(
                window >= 2 && window < maxBlockSize,
                "blocking.window must be at least 2 and below max_block_size, got " + window);
        check(uSamplePairs >= 1000, "training.u_sample_pairs must be at least 1000, got " + uSamplePairs);
        check(emMaxIterations >= 1, "training.em_max_iterations must be at least 1");
        check(priorRecall > 0 && priorRecall <= 1, "training.prior.recall must be in (0, 1], got " + priorRecall);
        check(
                fixedPrior == null || (fixedPrior > 0 && fixedPrior < 1),
                "training.prior.probability must be in (0, 1), got " + fixedPrior);
        check(
                reviewWeight <= matchWeight,
                "thresholds.review_weight (" + reviewWeight + ") must not exceed thresholds.match_weight ("
                        + matchWeight + ")");
        check(
                fractureWeight <= matchWeight,
                "thresholds.fracture_weight (" + fractureWeight + ") must not exceed thresholds.match_weight ("
                        + matchWeight + ")");
        check(
                onlineMatchWeight >= reviewWeight,
                "thresholds.online_match_weight (" + onlineMatchWeight
                        + ") must not be below thresholds.review_weight (" + reviewWeight + ")");
        check(
                minCrossLinkRatio >= 0 && minCrossLinkRatio <= 1,
                "clustering.min_cross_link_ratio must be in [0, 1], got " + minCrossLinkRatio);
        check(threads >= 1 && threads <= 256, "threads must be 1 to 256, got " + threads);
        if (priorRules.isEmpty() && fixedPrior == null) {
            throw new LinkageConfigException("training.prior: give deterministic rules or a fixed probability");
        }
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new LinkageConfigException(message);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding every setting of this config, to change a few (e.g. threads) and build again. */
    public Builder toBuilder() {
        Builder b = new Builder();
        fields.forEach(b::field);
        comparisonSpecs.forEach(b::comparison);
        blockingSpecs.forEach(b::blockingRule);
        priorRules.forEach(b::priorRule);
        guardSpecs.forEach(b::guard);
        jointTfSpecs.forEach(b::jointTf);
        return b.linkType(linkType)
                .maxBlockSize(maxBlockSize)
                .window(window)
                .seed(seed)
                .uSamplePairs(uSamplePairs)
                .emMaxIterations(emMaxIterations)
                .priorRecall(priorRecall)
                .fixedPrior(fixedPrior)
                .matchWeight(matchWeight)
                .reviewWeight(reviewWeight)
                .fractureWeight(fractureWeight)
                .onlineMatchWeight(onlineMatchWeight)
                .minCrossLinkRatio(minCrossLinkRatio)
                .threads(threads);
    }

    public List<FieldSpec> fields() {
        return fields;
    }

    public int fieldIndex(String name) {
        for (int i = 0; i < fields.size(); i++) {
            if (fields.get(i).name().equals(name)) {
                return i;
            }
        }
        return -1;
    }

    public List<ComparisonSpec> comparisonSpecs() {
        return comparisonSpecs;
    }

    public List<Comparison> comparisons() {
        return comparisons;
    }

    public List<BlockingRuleSpec> blockingSpecs() {
        return blockingSpecs;
    }

    public List<BlockingRule> blockingRules() {
        return blockingRules;
    }

    public LinkType linkType() {
        return linkType;
    }

    public int maxBlockSize() {
        return maxBlockSize;
    }

    public int window() {
        return window;
    }

    public long seed() {
        return seed;
    }

    public int uSamplePairs() {
        return uSamplePairs;
    }

    public int emMaxIterations() {
        return emMaxIterations;
    }

    public List<List<String>> priorRules() {
        return priorRules;
    }

    public double priorRecall() {
        return priorRecall;
    }

    /** A fixed probability that two random records match, or null to estimate it from the prior rules. */
    public @Nullable Double fixedPrior() {
        return fixedPrior;
    }

    public double matchWeight() {
        return matchWeight;
    }

    public double reviewWeight() {
        return reviewWeight;
    }

    public double fractureWeight() {
        return fractureWeight;
    }

    /**
     * The weight at which a record resolved on its own, as it arrives ({@code OnlineIndex} users), joins an identity;
     * below it, down to the review weight, the pair goes to review. Higher than the batch match weight because one
     * record at a time cannot wait for a stronger partner: the batch links strongest first, so a weak link is used
     * only once each side has found its better matches, while online a weak link is the only link there is when it
     * comes. Defaults to the match weight.
     */
    public double onlineMatchWeight() {
        return onlineMatchWeight;
    }

    public double minCrossLinkRatio() {
        return minCrossLinkRatio;
    }

    public int threads() {
        return threads;
    }

    /** Guards (fixed weights for combinations of levels), in profile order. */
    public List<Guard> guards() {
        return guards;
    }

    public List<Guard.Spec> guardSpecs() {
        return guardSpecs;
    }

    /** Groups of comparisons (indexes) whose exact agreement is weighed by the joint frequency of their values. */
    public int[][] jointTf() {
        int[][] out = new int[jointTf.length][];
        for (int g = 0; g < out.length; g++) {
            out[g] = jointTf[g].clone();
        }
        return out;
    }

    public List<List<String>> jointTfSpecs() {
        return jointTfSpecs;
    }

    /** Builder; every setter documents its default. */
    public static final class Builder {
        private final List<FieldSpec> fields = new ArrayList<>();
        private final List<ComparisonSpec> comparisons = new ArrayList<>();
        private final List<BlockingRuleSpec> blocking = new ArrayList<>();
        private final List<Guard.Spec> guards = new ArrayList<>();
        private final List<List<String>> jointTf = new ArrayList<>();
        private LinkType linkType = LinkType.DEDUPE;
        private int maxBlockSize = 1000;
        private int window = 30;
        private long seed = 42;
        private int uSamplePairs = 1_000_000;
        private int emMaxIterations = 30;
        private final List<List<String>> priorRules = new ArrayList<>();
        private double priorRecall = 0.7;
        private @Nullable Double fixedPrior;
        private double matchWeight = 0;
        private double reviewWeight = -6;
        private double fractureWeight = -6;
        private @Nullable Double onlineMatchWeight;
        private double minCrossLinkRatio = 0.5;
        private int threads = Math.max(1, Math.min(8, Runtime.getRuntime().availableProcessors()));

        private Builder() {}

        public Builder field(FieldSpec f) {
            fields.add(Objects.requireNonNull(f));
            return this;
        }

        public Builder comparison(ComparisonSpec c) {
            comparisons.add(Objects.requireNonNull(c));
            return this;
        }

        public Builder blockingRule(BlockingRuleSpec r) {
            blocking.add(Objects.requireNonNull(r));
            return this;
        }

        /** Adds a guard: a fixed weight for a combination of comparison levels (e.g. twins); none by default. */
        public Builder guard(Guard.Spec g) {
            guards.add(Objects.requireNonNull(g));
            return this;
        }

        /**
         * Weigh exact agreement on all these comparisons by how often their values occur together, not by the product
         * of their separate frequencies (given and family names are not independent: "muhammad ahmed" is far more
         * common than "muhammad" times "ahmed" suggests). None by default.
         */
        public Builder jointTf(List<String> comparisonNames) {
            jointTf.add(List.copyOf(comparisonNames));
            return this;
        }

        /** Default {@link LinkType#DEDUPE}. */
        public Builder linkType(LinkType t) {
            linkType = Objects.requireNonNull(t);
            return this;
        }

        /**
         * Blocks larger than this (default 1000) are not compared all-to-all: their records are sorted by name and
         * each is compared with its next {@code window - 1} neighbours (sorted neighbourhood), so one common key
         * cannot blow up the pair count.
         */
        public Builder maxBlockSize(int n) {
            maxBlockSize = n;
            return this;
        }

        /** Sorted-neighbourhood window inside oversized blocks; default 30. */
        public Builder window(int n) {
            window = n;
            return this;
        }

        /** Seed for random-pair sampling; default 42. Same seed and input give the same result. */
        public Builder seed(long s) {
            seed = s;
            return this;
        }

        /** Random pairs sampled to estimate u; default 1,000,000. */
        public Builder uSamplePairs(int n) {
            uSamplePairs = n;
            return this;
        }

        /** Default 30. */
        public Builder emMaxIterations(int n) {
            emMaxIterations = n;
            return this;
        }

        /**
         * A deterministic rule for the prior: candidate pairs exact on all these comparisons are counted as matches,
         * divided by the assumed recall.
         */
        public Builder priorRule(List<String> comparisonNames) {
            priorRules.add(List.copyOf(comparisonNames));
            return this;
        }

        /** Assumed recall of the prior rules; default 0.7. */
        public Builder priorRecall(double r) {
            priorRecall = r;
            return this;
        }

        /** Fix the probability that two random records match instead of estimating it; default none. */
        public Builder fixedPrior(@Nullable Double p) {
            fixedPrior = p;
            return this;
        }

        /** Link at this match weight (bits) or above; default 0 (probability 0.5). */
        public Builder matchWeight(double w) {
            matchWeight = w;
            return this;
        }

        /** Pairs from here up to the match weight go to human review; default -6. */
        public Builder reviewWeight(double w) {
            reviewWeight = w;
            return this;
        }

        /**
         * A cross link at or above this weight counts as support when two multi-record clusters merge; default -6.
         */
        /** See {@link LinkageConfig#onlineMatchWeight()}; null (the default) means the match weight. */
        public Builder onlineMatchWeight(@Nullable Double w) {
            onlineMatchWeight = w;
            return this;
        }

        public Builder fractureWeight(double w) {
            fractureWeight = w;
            return this;
        }

        /**
         * Two clusters with more than one record between them merge only when at least this share of their cross
         * pairs reach the fracture weight (default 0.5); a single strong link cannot chain them together.
         */
        public Builder minCrossLinkRatio(double r) {
            minCrossLinkRatio = r;
            return this;
        }

        /** Worker threads for blocking and scoring; default the number of processors (at most 8). */
        public Builder threads(int n) {
            threads = n;
            return this;
        }

        public LinkageConfig build() {
            return new LinkageConfig(this);
        }
    }
}
