package org.sightline.linkage.cluster;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Groups records into identities from scored links, strongest link first, without chaining.
 *
 * <p>Two singletons join when their link reaches the match weight. Two clusters with three or more records between
 * them join only if at least {@code minCrossLinkRatio} of all their cross pairs (scored on demand, sampled beyond
 * 2,500 pairs) reach the fracture weight, in the spirit of the MoJ Core Person Record's rule that a cluster is valid
 * only while its records stay connected above the fracture threshold. So one strong but lonely link cannot merge two
 * established identities; such links are returned as refused, for human review. Must-links merge first and
 * unconditionally (unless they conflict with a cannot-link); cannot-links are never crossed.
 */
public final class Clusterer {
    /** Scores any two records (by index) on demand. */
    @FunctionalInterface
    public interface PairScorer {
        double weight(int a, int b);
    }

    /** A link the guard or a constraint refused. */
    public record Refusal(int a, int b, double weight, String reason) {}

    /** Cluster number per record (dense, in order of first record) and the refused links. */
    public record Result(int[] clusterOf, int clusterCount, List<Refusal> refused) {}

    private static final int MAX_CROSS_PAIRS = 2500;

    private final double matchWeight;
    private final double fractureWeight;
    private final double minCrossLinkRatio;

    public Clusterer(double matchWeight, double fractureWeight, double minCrossLinkRatio) {
        this.matchWeight = matchWeight;
        this.fractureWeight = fractureWeight;
        this.minCrossLinkRatio = minCrossLinkRatio;
    }

    /**
     * @param n         number of records
     * @param a         first record of each link
     * @param b         second record of each link
     * @param weight    weight of each link (only those at or above the match weight are used)
     * @param mustLink  pairs {a, b} to merge regardless of score
     * @param cannotLink pairs {a, b} never to put in one cluster
     */
    public Result cluster(
            int n, int[] a, int[] b, double[] weight, List<int[]> mustLink, List<int[]> cannotLink, PairScorer scorer) {
        int[] parent = new int[n];
        int[][] members = new int[n][];
        int[] size = new int[n];
        for (int i = 0; i < n; i++) {
            parent[i] = i;
            members[i] = new int[] {i};
            size[i] = 1;
        }
        Map<Integer, List<Integer>> cannot = new HashMap<>();
        for (int[] p : cannotLink) {
            cannot.computeIfAbsent(p[0], k -> new ArrayList<>()).add(p[1]);
            cannot.computeIfAbsent(p[1], k -> new ArrayList<>()).add(p[0]);
        }
        List<Refusal> refused = new ArrayList<>();
        for (int[] p : mustLink) {
            int ra = find(parent, p[0]);
            int rb = find(parent, p[1]);
            if (ra == rb) {
                continue;
            }
            if (conflict(parent, members, size, ra, rb, cannot)) {
                refused.add(new Refusal(p[0], p[1], Double.POSITIVE_INFINITY, "override_conflict"));
                continue;
            }
            union(parent, members, size, ra, rb);
        }
        // Strongest first; ties by link index (deterministic). Primitive keys: no boxing for millions of links.
        int k = 0;
        for (int i = 0; i < a.length; i++) {
            if (weight[i] >= matchWeight) {
                k++;
            }
        }
        long[] keys = new long[k];
        k = 0;
        for (int i = 0; i < a.length; i++) {
            if (weight[i] >= matchWeight) {
                int bits = Float.floatToIntBits((float) weight[i]);
                int ascending = bits >= 0 ? bits : bits ^ 0x7FFFFFFF; // int order = float order
                long descending = (long) Integer.MAX_VALUE - ascending; // 0 .. 2^32-1, strongest smallest
                keys[k++] = (descending << 31) | i;
            }
        }
        Arrays.sort(keys);
        int[] edges = new int[k];
        for (int i = 0; i < k; i++) {
            edges[i] = (int) (keys[i] & 0x7FFFFFFFL);
        }
        for (int e : edges) {
            int ra = find(parent, a[e]);
            int rb = find(parent, b[e]);
            if (ra == rb) {
                continue;
            }
            if (conflict(parent, members, size, ra, rb, cannot)) {
                refused.add(new Refusal(a[e], b[e], weight[e], "cannot_link"));
                continue;
            }
            if (size[ra] + size[rb] > 2 && !supported(members[ra], size[ra], members[rb], size[rb], scorer)) {
                refused.add(new Refusal(a[e], b[e], weight[e], "weak_cluster_link"));
                continue;
            }
            union(parent, members, size, ra, rb);
        }
        int[] clusterOf = new int[n];
        int[] idOfRoot = new int[n];
        Arrays.fill(idOfRoot, -1);
        int next = 0;
        for (int i = 0; i < n; i++) {
            int r = find(parent, i);
            if (idOfRoot[r] < 0) {
                idOfRoot[r] = next++;
            }
            clusterOf[i] = idOfRoot[r];
        }
        return new Result(clusterOf, next, List.copyOf(refused));
    }

    private boolean supported(int[] ma, int sa, int[] mb, int sb, PairScorer scorer) {
        long total = (long) sa * sb;
        int step = (int) Math.max(1, total / MAX_CROSS_PAIRS);
        int seen = 0;
        int ok = 0;
        for (long t = 0; t < total; t += step) {
            int x = ma[(int) (t / sb)];
            int y = mb[(int) (t % sb)];
            seen++;
            if (scorer.weight(x, y) >= fractureWeight) {
                ok++;
            }
        }
        return ok >= minCrossLinkRatio * seen;
    }

    private static boolean conflict(
            int[] parent, int[][] members, int[] size, int ra, int rb, Map<Integer, List<Integer>> cannot) {
        if (cannot.isEmpty()) {
            return false;
        }
        int small = size[ra] <= size[rb] ? ra : rb;
        int other = small == ra ? rb : ra;
        for (int i = 0; i < size[small]; i++) {
            List<Integer> partners = cannot.get(members[small][i]);
            if (partners != null) {
                for (int p : partners) {
                    if (find(parent, p) == other) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private static int find(int[] parent, int x) {
        while (parent[x] != x) {
            parent[x] = parent[parent[x]];
            x = parent[x];
        }
        return x;
    }

    private static void union(int[] parent, int[][] members, int[] size, int ra, int rb) {
        int big = size[ra] >= size[rb] ? ra : rb;
        int small = big == ra ? rb : ra;
        parent[small] = big;
        if (members[big].length < size[big] + size[small]) {
            members[big] = Arrays.copyOf(members[big], Math.max(size[big] + size[small], members[big].length * 2));
        }
        System.arraycopy(members[small], 0, members[big], size[big], size[small]);
        size[big] += size[small];
        members[small] = null;
        size[small] = 0;
    }
}
