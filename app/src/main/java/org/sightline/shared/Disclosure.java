package org.sightline.shared;

import java.util.List;

/**
 * Statistical disclosure control for published figures (PRODUCT.md C7, issue 9 part 5), shared by statistics and network flows. Primary suppression: a
 * count from 1 to 4 is not published. Secondary suppression: cells are grouped by the sums a reader can see (a
 * dimension's cells with its total, a table's row or column with its total); while a group has exactly one
 * suppressed cell, its value could be recovered by subtraction, so the smallest other cell of the group (a non-zero
 * one first) is suppressed too, until no group has exactly one. Zero is published: it reveals no one.
 */
public final class Disclosure {

    public static final int LARGEST_SUPPRESSED = 4;
    /** How a suppressed count is shown (ONS and GSS convention). */
    public static final String SUPPRESSED = "[c]";

    private Disclosure() {}

    static boolean primary(long value) {
        return value >= 1 && value <= LARGEST_SUPPRESSED;
    }

    /**
     * Which cells to suppress.
     *
     * @param values the counts
     * @param groups sets of cell indices that a published sum ties together, the total itself being a member
     */
    public static boolean[] suppress(long[] values, List<int[]> groups) {
        boolean[] out = new boolean[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = primary(values[i]);
        }
        boolean changed = true;
        while (changed) {
            changed = false;
            for (int[] group : groups) {
                int suppressed = 0;
                for (int i : group) {
                    suppressed += out[i] ? 1 : 0;
                }
                if (suppressed != 1) {
                    continue;
                }
                int pick = -1;
                for (int i : group) {
                    if (!out[i] && (pick < 0 || smaller(values[i], values[pick]))) {
                        pick = i;
                    }
                }
                if (pick >= 0) {
                    out[pick] = true;
                    changed = true;
                }
            }
        }
        return out;
    }

    /** Non-zero cells first (suppressing a zero hides little), then the smallest. */
    private static boolean smaller(long a, long b) {
        if ((a == 0) != (b == 0)) {
            return b == 0;
        }
        return a < b;
    }
}
