package org.sightline.statistics;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.sightline.shared.Disclosure;

/** Primary and secondary suppression, and the age bands of partial dates of birth. */
class DisclosureTest {

    @Test
    void oneSmallCountTakesTheNextSmallestWithIt() {
        // total 20 = 3 + 10 + 7: hiding 3 alone, 20 - 10 - 7 would give it back.
        boolean[] hidden = Disclosure.suppress(new long[] {20, 3, 10, 7}, List.of(new int[] {0, 1, 2, 3}));
        assertThat(hidden).containsExactly(false, true, false, true);
    }

    @Test
    void zeroIsPublishedAndTwoSmallCountsNeedNothingMore() {
        boolean[] hidden = Disclosure.suppress(new long[] {30, 2, 4, 0, 24}, List.of(new int[] {0, 1, 2, 3, 4}));
        assertThat(hidden).containsExactly(false, true, true, false, false);
    }

    @Test
    void aSmallTotalHidesItsCells() {
        boolean[] hidden = Disclosure.suppress(new long[] {3, 3, 0}, List.of(new int[] {0, 1, 2}));
        assertThat(hidden).containsExactly(true, true, false);
    }

    /**
     * A table of authorities by outcome with row and column totals (the reconciliation shape): after suppression no
     * row or column shows exactly one hidden cell, so no hidden value is a total minus published cells; and every
     * count from 1 to 4 is hidden. Checked over random tables.
     */
    @Test
    void tablesWithRowAndColumnTotalsNeverLeaveOneHiddenCellInALine() {
        Random random = new Random(5);
        for (int run = 0; run < 500; run++) {
            int rows = 2 + random.nextInt(4);
            int cols = 2 + random.nextInt(3);
            long[][] cell = new long[rows + 1][cols + 1];
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < cols; c++) {
                    cell[r][c] = random.nextInt(3) == 0 ? random.nextInt(5) : random.nextInt(40);
                    cell[r][cols] += cell[r][c];
                    cell[rows][c] += cell[r][c];
                    cell[rows][cols] += cell[r][c];
                }
            }
            long[] values = new long[(rows + 1) * (cols + 1)];
            List<int[]> groups = new ArrayList<>();
            for (int r = 0; r <= rows; r++) {
                int[] g = new int[cols + 1];
                for (int c = 0; c <= cols; c++) {
                    values[r * (cols + 1) + c] = cell[r][c];
                    g[c] = r * (cols + 1) + c;
                }
                groups.add(g);
            }
            for (int c = 0; c <= cols; c++) {
                int[] g = new int[rows + 1];
                for (int r = 0; r <= rows; r++) {
                    g[r] = r * (cols + 1) + c;
                }
                groups.add(g);
            }
            boolean[] hidden = Disclosure.suppress(values, groups);
            for (int i = 0; i < values.length; i++) {
                if (values[i] >= 1 && values[i] <= 4) {
                    assertThat(hidden[i]).isTrue();
                }
            }
            for (int[] g : groups) {
                int n = 0;
                for (int i : g) {
                    n += hidden[i] ? 1 : 0;
                }
                assertThat(n).isNotEqualTo(1);
            }
        }
    }

    @Test
    void partialDatesOfBirthGiveABandOnlyWhenEveryPossibleDateFallsInIt() {
        LocalDate asAt = LocalDate.of(2025, 3, 31);
        int[] lower = {0, 12, 14, 16, 18};
        List<String> bands = Profiles.VICTIM_BANDS;
        assertThat(Profiles.ageBand(2010, 6, 1, asAt, lower, bands)).isEqualTo("14-15"); // 14
        assertThat(Profiles.ageBand(2010, null, null, asAt, lower, bands)).isEqualTo("14-15"); // 14 or 15
        assertThat(Profiles.ageBand(2011, null, null, asAt, lower, bands)).isEqualTo("NOT_KNOWN"); // 13 or 14
        assertThat(Profiles.ageBand(2011, 2, null, asAt, lower, bands)).isEqualTo("14-15"); // 14
        assertThat(Profiles.ageBand(2011, 4, null, asAt, lower, bands)).isEqualTo("12-13"); // 13
        assertThat(Profiles.ageBand(null, null, null, asAt, lower, bands)).isEqualTo("NOT_RECORDED");
        assertThat(Profiles.ageBand(2026, null, null, asAt, lower, bands)).isEqualTo("NOT_KNOWN");
    }
}
