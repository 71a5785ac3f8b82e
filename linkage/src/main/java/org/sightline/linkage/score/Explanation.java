package org.sightline.linkage.score;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Why a pair scored what it did: the prior, then each comparison's level and weight (bits). The weights add up to
 * {@link #matchWeight()}. Shown to reviewers ("waterfall"); carries level labels, never field values.
 */
public record Explanation(double priorWeight, List<Term> terms, double matchWeight, double probability) {
    public Explanation {
        terms = List.copyOf(terms);
    }

    /**
     * One comparison's contribution.
     *
     * @param comparison   comparison name
     * @param level        level label (e.g. "exact", "jw:0.92", "null", "else")
     * @param weight       log2(m/u) of the level
     * @param tfAdjustment term-frequency adjustment added to the weight (0 unless an exact match on a TF field)
     * @param override     a note when a constraint or guard replaced the weight, else null
     */
    public record Term(String comparison, String level, double weight, double tfAdjustment, @Nullable String override) {
        public double total() {
            return weight + tfAdjustment;
        }
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder(String.format("prior %+.2f", priorWeight));
        for (Term t : terms) {
            b.append(String.format("; %s=%s %+.2f", t.comparison(), t.level(), t.total()));
        }
        return b.append(String.format(" => %.2f bits, p=%.6f", matchWeight, probability))
                .toString();
    }
}
