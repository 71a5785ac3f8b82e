package org.sightline.linkage.score;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.sightline.linkage.compare.Comparison;

/**
 * A guard: a fixed weight added when a pair's comparison levels fall in a stated combination. Fellegi-Sunter assumes
 * the comparisons are independent given match status; some combinations break that badly, e.g. twins (same family
 * name, date of birth and address, different given names) look like a strong match field by field. A guard states
 * the combination and how much weight (bits, usually negative) it carries, in the spirit of the MoJ Core Person
 * Record's twins rule. Immutable.
 */
public final class Guard {
    /**
     * A guard as written in a profile.
     *
     * @param name   shown in explanations as {@code guard:name}
     * @param when   comparison name to the level labels that satisfy it; all must hold
     * @param weight bits added when the guard applies
     * @param ignore comparisons whose terms count 0 when the guard applies (evidence already counted by another,
     *               e.g. the postcode once the full address agrees)
     */
    public record Spec(String name, Map<String, List<String>> when, double weight, List<String> ignore) {
        public Spec {
            Objects.requireNonNull(name, "name");
            when = Map.copyOf(new LinkedHashMap<>(when));
            ignore = ignore == null ? List.of() : List.copyOf(ignore);
        }

        public Spec(String name, Map<String, List<String>> when, double weight) {
            this(name, when, weight, List.of());
        }
    }

    private final String name;
    private final int[] comparisons;
    private final int[] levelMasks;
    private final double weight;
    private final int ignoreMask;

    private Guard(String name, int[] comparisons, int[] levelMasks, double weight, int ignoreMask) {
        this.name = name;
        this.ignoreMask = ignoreMask;
        this.comparisons = comparisons;
        this.levelMasks = levelMasks;
        this.weight = weight;
    }

    /** Compiles a spec; throws IllegalArgumentException naming the unknown comparison or level. */
    public static Guard compile(Spec spec, List<Comparison> comps) {
        if (spec.when().isEmpty()) {
            throw new IllegalArgumentException("guard '" + spec.name() + "': 'when' names no comparison");
        }
        if (!Double.isFinite(spec.weight())) {
            throw new IllegalArgumentException("guard '" + spec.name() + "': weight must be a number");
        }
        List<int[]> parts = new ArrayList<>();
        for (Map.Entry<String, List<String>> e : spec.when().entrySet()) {
            int c = -1;
            for (int i = 0; i < comps.size(); i++) {
                if (comps.get(i).name().equals(e.getKey())) {
                    c = i;
                }
            }
            if (c < 0) {
                throw new IllegalArgumentException(
                        "guard '" + spec.name() + "': unknown comparison '" + e.getKey() + "'");
            }
            int mask = 0;
            for (String label : e.getValue()) {
                int l = comps.get(c).levelOf(label.strip().toLowerCase(Locale.ROOT));
                if (l < 0) {
                    throw new IllegalArgumentException("guard '" + spec.name() + "': comparison '" + e.getKey()
                            + "' has no level '" + label + "'");
                }
                mask |= 1 << l;
            }
            if (mask == 0) {
                throw new IllegalArgumentException(
                        "guard '" + spec.name() + "': comparison '" + e.getKey() + "' lists no levels");
            }
            parts.add(new int[] {c, mask});
        }
        int ignore = 0;
        for (String name : spec.ignore()) {
            int c = -1;
            for (int i = 0; i < comps.size(); i++) {
                if (comps.get(i).name().equals(name)) {
                    c = i;
                }
            }
            if (c < 0) {
                throw new IllegalArgumentException(
                        "guard '" + spec.name() + "': ignore names unknown comparison '" + name + "'");
            }
            ignore |= 1 << c;
        }
        if (ignore == 0 && spec.weight() == 0) {
            throw new IllegalArgumentException(
                    "guard '" + spec.name() + "': needs a non-zero weight or an ignore list");
        }
        int[] cs = new int[parts.size()];
        int[] ms = new int[parts.size()];
        for (int i = 0; i < cs.length; i++) {
            cs[i] = parts.get(i)[0];
            ms[i] = parts.get(i)[1];
        }
        return new Guard(spec.name(), cs, ms, spec.weight(), ignore);
    }

    public String name() {
        return name;
    }

    public double weight() {
        return weight;
    }

    /** Bit c set for each comparison whose term the guard sets to 0. */
    public int ignoreMask() {
        return ignoreMask;
    }

    /** True when every condition holds for the comparison pattern. */
    public boolean applies(long pattern) {
        for (int i = 0; i < comparisons.length; i++) {
            if ((levelMasks[i] & (1 << FellegiSunterModel.level(pattern, comparisons[i]))) == 0) {
                return false;
            }
        }
        return true;
    }
}
