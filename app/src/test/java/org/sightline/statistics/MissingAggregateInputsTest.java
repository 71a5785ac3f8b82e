package org.sightline.statistics;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a rebuild keeps per child and how its workers' counts are added up, without a database. */
class MissingAggregateInputsTest {

    private static final Instant T = Instant.parse("2024-05-01T09:30:00.123456Z");

    private static MissingAggregate.Counted row(long record, long agency, List<String> areas, boolean found) {
        return new MissingAggregate.Counted(
                new MissingStatistics.Row(
                        record,
                        agency,
                        agency == 1 ? "police_force" : "local_authority",
                        T,
                        found ? T.plusSeconds(7_200) : null,
                        found ? "care" : null,
                        "missing",
                        agency == 1 ? "high" : null,
                        found ? "completed" : null,
                        found ? T.plusSeconds(86_400) : null,
                        found ? List.of(1L, 40L) : List.of(),
                        T.plusSeconds(60)),
                areas);
    }

    @Test
    void aChildsInputReadsBackAsWritten() {
        List<String> force = List.of("E12000008", "E23000001", "E92000001", "K04000001");
        List<String> authority = List.of("E09000001", "E12000007", "E92000001", "K04000001");
        List<MissingAggregate.Counted> rows = List.of(
                row(11, 1, force, true),
                row(12, 2, authority, false),
                row(11, 1, force, false),
                row(13, 3, List.of(), true));

        List<MissingAggregate.Counted> back = MissingAggregate.decode(MissingAggregate.encode(rows));

        assertThat(back).isEqualTo(rows);
        assertThat(back.get(2).areas())
                .as("rows of one area list share it, as a rebuild's do")
                .isSameAs(back.get(0).areas());
    }

    @Test
    void totalsAddUpEveryDeltaTakenIn() {
        MissingAggregate.Delta first = new MissingAggregate.Delta();
        MissingAggregate.Delta second = new MissingAggregate.Delta();
        MissingAggregate.Delta third = new MissingAggregate.Delta();
        first.add(
                new ArrayList<>(List.of("A", "E")), "FY2024", MissingAggregate.Cells.of(Map.of("head|records", 2L)), 1);
        second.add(
                new ArrayList<>(List.of("B", "E")), "FY2024", MissingAggregate.Cells.of(Map.of("head|records", 3L)), 1);
        third.add(
                new ArrayList<>(List.of("A")),
                "FY2024",
                MissingAggregate.Cells.of(Map.of("head|records", 5L, "head|children", 1L)),
                1);
        third.add(new ArrayList<>(List.of("B")), "FY2024", MissingAggregate.Cells.of(Map.of("head|children", 1L)), -1);
        first.add(new ArrayList<>(List.of("E")), "FY2024", MissingAggregate.Cells.of(Map.of("head|repeat", 1L)), -1);
        third.add(
                new ArrayList<>(List.of("E")),
                "FY2024",
                MissingAggregate.Cells.of(Map.of("head|repeat", 1L)),
                1); // nets to 0: not written
        second.addAll(third); // a worker's part taken into another's, then into the caller's
        first.addAll(second);

        List<String> totals = new ArrayList<>();
        first.totals((area, period, cell, n) -> totals.add(area + " " + period + " " + cell + " " + n));

        assertThat(totals)
                .containsExactlyInAnyOrder(
                        "A FY2024 head|records 7",
                        "A FY2024 head|children 1",
                        "B FY2024 head|records 3",
                        "B FY2024 head|children -1",
                        "E FY2024 head|records 5");
    }
}
