package org.sightline.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The numbers a long list links to (GOV.UK pattern: first, last, neighbours, ellipses) and each page's address. */
class PaginationTest {

    @Test
    void farFromBothEndsTheNeighboursShowWithAnEllipsisEachSide() {
        assertThat(Pagination.numbers(10, 37)).containsExactly(1, null, 9, 10, 11, null, 37);
    }

    @Test
    void nearTheStartOrWithFewPagesEveryNumberNeededShowsAndNoEllipsisStandsForNothing() {
        assertThat(Pagination.numbers(1, 1)).containsExactly(1);
        assertThat(Pagination.numbers(1, 3)).containsExactly(1, 2, 3);
        assertThat(Pagination.numbers(2, 5)).containsExactly(1, 2, 3, null, 5);
        assertThat(Pagination.numbers(3, 5)).containsExactly(1, 2, 3, 4, 5);
        assertThat(Pagination.numbers(5, 5)).containsExactly(1, null, 4, 5);
    }

    @Test
    void everyPageBetweenTheEndsIsWithinOneOfTheCurrentOrElided() {
        for (int pages = 1; pages <= 40; pages++) {
            for (int current = 1; current <= pages; current++) {
                var numbers = Pagination.numbers(current, pages);
                int c = current;
                int n = pages;
                // Counted independently: every page shown or stood for by exactly one ellipsis, in order.
                assertThat(numbers.stream().filter(p -> p != null).toList())
                        .isSorted()
                        .allMatch(p -> p == 1 || p == n || Math.abs(p - c) <= 1);
                assertThat(Arrays.asList(numbers.toArray()))
                        .as("no two ellipses together")
                        .doesNotContainSequence(null, null);
            }
        }
    }

    @Test
    void theAddressKeepsTheFiltersEncodedAndLeavesOutBlankOnes() {
        Pagination p = Pagination.of(2, 5, "/admin/agencies", "q", "St Helens & Knowsley", "type", " ", "x", null);
        assertThat(p.href(3)).isEqualTo("/admin/agencies?q=St%20Helens%20%26%20Knowsley&page=3");
        assertThat(Pagination.of(1, 2, "/identity-reviews").href(2)).isEqualTo("/identity-reviews?page=2");
        assertThatThrownBy(() -> Pagination.of(1, 2, "/x", "q")).isInstanceOf(IllegalArgumentException.class);
    }
}
