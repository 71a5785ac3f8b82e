package org.sightline.linkage.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClustererTest {
    /** Two tight groups of five (0-4, 5-9) with strong links inside; between them only 4-5 is strong. */
    private static double weight(int x, int y) {
        boolean sameGroup = (x < 5) == (y < 5);
        if (sameGroup) {
            return 20;
        }
        return (Math.min(x, y) == 4 && Math.max(x, y) == 5) ? 8 : -20;
    }

    @Test
    void oneStrongLinkDoesNotMergeTwoClusters() {
        List<int[]> edges = new ArrayList<>();
        for (int x = 0; x < 10; x++) {
            for (int y = x + 1; y < 10; y++) {
                if (weight(x, y) >= 0) {
                    edges.add(new int[] {x, y});
                }
            }
        }
        int[] a = edges.stream().mapToInt(e -> e[0]).toArray();
        int[] b = edges.stream().mapToInt(e -> e[1]).toArray();
        double[] w = edges.stream().mapToDouble(e -> weight(e[0], e[1])).toArray();
        Clusterer.Result r =
                new Clusterer(0, -6, 0.5).cluster(10, a, b, w, List.of(), List.of(), ClustererTest::weight);
        assertThat(r.clusterCount()).isEqualTo(2);
        assertThat(r.refused()).singleElement().satisfies(x -> {
            assertThat(x.reason()).isEqualTo("weak_cluster_link");
            assertThat(x.a()).isEqualTo(4);
        });
        // Plain connected components would have chained them:
        Clusterer.Result chained =
                new Clusterer(0, -6, 0.0).cluster(10, a, b, w, List.of(), List.of(), ClustererTest::weight);
        assertThat(chained.clusterCount()).isEqualTo(1);
    }

    @Test
    void cannotLinkIsNeverCrossedAndMustLinkAlwaysJoins() {
        int[] a = {0, 1};
        int[] b = {1, 2};
        double[] w = {30, 30};
        Clusterer.Result r = new Clusterer(0, -6, 0.5)
                .cluster(4, a, b, w, List.<int[]>of(new int[] {2, 3}), List.<int[]>of(new int[] {0, 2}), (x, y) -> 30);
        assertThat(r.clusterOf()[0]).isEqualTo(r.clusterOf()[1]);
        assertThat(r.clusterOf()[2]).isNotEqualTo(r.clusterOf()[0]);
        assertThat(r.clusterOf()[2]).isEqualTo(r.clusterOf()[3]);
    }
}
