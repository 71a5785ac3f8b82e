package org.sightline.statistics;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.sightline.shared.Disclosure;

/**
 * A profile as it is shown or written: every count with its percentage of the children (or adults) counted, and,
 * when suppressed, disclosure control applied ({@link Disclosure}): each dimension's cells are tied to the total, so a
 * dimension never shows exactly one suppressed cell.
 */
public record PublishedProfile(
        Profile profile,
        boolean suppressed,
        Cell subjects,
        Cell records,
        Map<String, List<Row>> dimensions,
        Cell unplaced) {

    /** A count, or hidden by disclosure control. */
    public record Cell(long value, boolean hidden) {

        /** The count as published: the number, or "[c]". */
        public String text() {
            return hidden ? Disclosure.SUPPRESSED : Long.toString(value);
        }
    }

    /** One code of a dimension: its count and its percentage of the total (one decimal; "[c]" when hidden). */
    public record Row(String code, Cell count, String percent) {

        public boolean unknown() {
            return Fact.isUnknown(code);
        }
    }

    public static PublishedProfile of(Profile p, boolean suppress) {
        List<Long> values = new ArrayList<>();
        values.add(p.subjects());
        values.add(p.records());
        List<int[]> groups = new ArrayList<>();
        for (Map<String, Long> dimension : p.dimensions().values()) {
            int[] group = new int[dimension.size() + 1];
            group[0] = 0;
            int i = 1;
            for (long v : dimension.values()) {
                group[i++] = values.size();
                values.add(v);
            }
            groups.add(group);
        }
        // Those a period could not place are a count of their own, tied to no published total: primary suppression
        // only.
        int unplaced = values.size();
        values.add(p.unplaced());
        long[] all = values.stream().mapToLong(Long::longValue).toArray();
        boolean[] hidden = suppress ? Disclosure.suppress(all, groups) : new boolean[all.length];
        Map<String, List<Row>> dims = new LinkedHashMap<>();
        int index = 2;
        for (Map.Entry<String, Map<String, Long>> d : p.dimensions().entrySet()) {
            List<Row> rows = new ArrayList<>();
            for (Map.Entry<String, Long> c : d.getValue().entrySet()) {
                boolean h = hidden[index++];
                rows.add(new Row(
                        c.getKey(),
                        new Cell(c.getValue(), h),
                        h || hidden[0] ? Disclosure.SUPPRESSED : percent(c.getValue(), p.subjects())));
            }
            dims.put(d.getKey(), List.copyOf(rows));
        }
        return new PublishedProfile(
                p,
                suppress,
                new Cell(p.subjects(), hidden[0]),
                new Cell(p.records(), hidden[1]),
                dims,
                new Cell(p.unplaced(), hidden[unplaced]));
    }

    /** Percentage to one decimal place, half up; "0.0" of nothing. */
    static String percent(long part, long whole) {
        if (whole == 0) {
            return "0.0";
        }
        return BigDecimal.valueOf(part * 100L)
                .divide(BigDecimal.valueOf(whole), 1, RoundingMode.HALF_UP)
                .toPlainString();
    }
}
