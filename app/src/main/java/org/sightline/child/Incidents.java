package org.sightline.child;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One incident, many records: police, the responsible authority and the care provider each record the same
 * missing period with their own references and slightly different times. Two episodes of one child are the same
 * incident when different agencies recorded them and either their starts (last seen, else reported) are within
 * {@link #SAME_START} of each other, or one starts while the other's child was still missing (between its start
 * and its found time). Episodes of one agency are never merged: that agency says they are two. The relation is
 * closed transitively, so three agencies' records of one period make one incident.
 */
public final class Incidents {

    static final Duration SAME_START = Duration.ofHours(24);

    /** What the rule needs of an episode. {@code found} is null while the child is missing. */
    public record Span(long agencyId, Instant start, Instant found) {}

    private Incidents() {}

    static boolean sameIncident(Span a, Span b) {
        if (a.agencyId() == b.agencyId()) {
            return false;
        }
        // Within SAME_START either way, without Duration.abs (BigDecimal arithmetic, hot in a statistics rebuild).
        if (!b.start().isAfter(a.start().plus(SAME_START))
                && !a.start().isAfter(b.start().plus(SAME_START))) {
            return true;
        }
        return within(b.start(), a) || within(a.start(), b);
    }

    private static boolean within(Instant t, Span s) {
        return s.found() != null && !t.isBefore(s.start()) && !t.isAfter(s.found());
    }

    /** Groups of indexes into {@code spans}, each group in start order, groups newest first. */
    public static List<List<Integer>> group(List<Span> spans) {
        int n = spans.size();
        int[] parent = new int[n];
        for (int i = 0; i < n; i++) {
            parent[i] = i;
        }
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                if (sameIncident(spans.get(i), spans.get(j))) {
                    parent[root(parent, i)] = root(parent, j);
                }
            }
        }
        Map<Integer, List<Integer>> groups = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            groups.computeIfAbsent(root(parent, i), k -> new ArrayList<>()).add(i);
        }
        Comparator<Integer> byStart = Comparator.comparing(i -> spans.get(i).start());
        List<List<Integer>> result = new ArrayList<>();
        for (List<Integer> g : groups.values()) {
            g.sort(byStart);
            result.add(g);
        }
        result.sort(
                Comparator.comparing((List<Integer> g) -> spans.get(g.get(0)).start())
                        .reversed());
        return result;
    }

    private static int root(int[] parent, int i) {
        while (parent[i] != i) {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        return i;
    }
}
