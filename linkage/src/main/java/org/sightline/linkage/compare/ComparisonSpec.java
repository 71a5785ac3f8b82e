package org.sightline.linkage.compare;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * How one field is compared: the ordered agreement levels (best first; a null level and an "else" level are added
 * around them), an optional second field for given/family-name swaps, term-frequency adjustment of the exact level,
 * and optionally fixed m/u values per level (which training then leaves alone).
 *
 * <p>Level names: {@code exact}, {@code swapped}, {@code nickname}, {@code phonetic}, {@code initial}, {@code token},
 * {@code jw:T} (Jaro-Winkler &ge; T), {@code lev:K} (Levenshtein &le; K), and for dates {@code dm_swap},
 * {@code typo}, {@code same_month_year}, {@code within_year}, {@code same_year}; for UK postcodes
 * {@code sector}, {@code district}, {@code area}; for e-mail {@code local_part}.
 *
 * @param name      unique name, shown in explanations
 * @param field     the field compared
 * @param levels    level names in order, or null for the defaults of the field's type
 * @param swapWith  the other name field for the {@code swapped} level, or null
 * @param tf        term-frequency adjustment of the exact level; null = the type's default
 * @param fixed     level name to fixed {m, u}; either may be NaN to leave it estimated
 * @param aliasWith a field holding other names of the record (e.g. aliases, any separator) for the {@code alias}
 *                  level: it holds when one record's value appears as whole words in the other's alias field
 */
public record ComparisonSpec(
        String name,
        String field,
        @Nullable List<String> levels,
        @Nullable String swapWith,
        @Nullable Boolean tf,
        Map<String, double[]> fixed,
        @Nullable String aliasWith) {
    public ComparisonSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(field, "field");
        levels = levels == null ? null : List.copyOf(levels);
        fixed = fixed == null ? Map.of() : Map.copyOf(fixed);
    }

    public ComparisonSpec(
            String name,
            String field,
            @Nullable List<String> levels,
            @Nullable String swapWith,
            @Nullable Boolean tf,
            Map<String, double[]> fixed) {
        this(name, field, levels, swapWith, tf, fixed, null);
    }

    public static ComparisonSpec of(String field) {
        return new ComparisonSpec(field, field, null, null, null, Map.of());
    }
}
