package org.sightline.linkage.block;

import java.util.List;
import java.util.Objects;

/**
 * A blocking rule: records whose keys are all equal become candidate pairs. Key expressions: {@code field},
 * {@code first(field,N)}, {@code last(field,N)}, {@code soundex(field)}, {@code metaphone(field)} (Double Metaphone of
 * a name field), {@code nickname(field)} (nickname group, else the name), {@code year(field)}, {@code month(field)}
 * (year and month), {@code monthday(field)}, {@code outcode(field)}, {@code sorted(field1,field2)}
 * (swap-invariant pair). {@code train = false} keeps the rule out of m estimation: a rule whose blocks hold mostly
 * related non-matches (a household address: siblings) would teach EM that a household is an identity.
 */
public record BlockingRuleSpec(String name, List<String> keys, boolean train) {
    public BlockingRuleSpec {
        Objects.requireNonNull(name, "name");
        keys = List.copyOf(keys);
    }

    public BlockingRuleSpec(String name, List<String> keys) {
        this(name, keys, true);
    }

    public static BlockingRuleSpec of(String name, String... keys) {
        return new BlockingRuleSpec(name, List.of(keys));
    }
}
