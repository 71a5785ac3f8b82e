package org.sightline.statistics;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
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
                row(13, 3, List.of(), true),
                new MissingAggregate.Counted( // reported before its start, found before 1970: differences below zero
                        new MissingStatistics.Row(
                                9_000_000_000L,
                                2,
                                "local_authority",
                                T,
                                Instant.parse("1969-12-31T23:59:59.999999Z"),
                                "home",
                                "away",
                                "NOT_KNOWN",
                                "declined",
                                null,
                                List.of(),
                                T.minusSeconds(86_400)),
                        authority));

        List<MissingAggregate.Counted> back = MissingAggregate.decode(MissingAggregate.encode(rows));

        assertThat(back).isEqualTo(rows);
        assertThat(back.get(2).areas())
                .as("rows of one area list share it, as a rebuild's do")
                .isSameAs(back.get(0).areas());
    }

    private static MissingAggregate.Cells cells(Map<String, Long> named) {
        long[] cells = new long[MissingStatistics.CELL_NAMES.size()];
        named.forEach((name, n) -> cells[MissingStatistics.CELL_NAMES.indexOf(name)] = n);
        return MissingAggregate.Cells.of(cells);
    }

    @Test
    void periodIdsReadBackAsTheirKeys() {
        // Days either side of a financial year's and a calendar year's turn, and the year's last day in London.
        assertThat(MissingAggregate.periods(LocalDate.of(2025, 3, 31)))
                .containsExactly("M2025-03", "Q2025-1", "FY2024", "Y2025");
        assertThat(MissingAggregate.periods(LocalDate.of(2025, 4, 1)))
                .containsExactly("M2025-04", "Q2025-2", "FY2025", "Y2025");
        assertThat(MissingAggregate.periods(LocalDate.of(2024, 12, 31)))
                .containsExactly("M2024-12", "Q2024-4", "FY2024", "Y2024");
        assertThat(MissingAggregate.periods(LocalDate.of(2025, 1, 1)))
                .containsExactly("M2025-01", "Q2025-1", "FY2024", "Y2025");
        assertThat(java.util.Arrays.stream(MissingAggregate.periodIds(LocalDate.of(2024, 12, 31)))
                        .distinct()
                        .count())
                .as("four different ids")
                .isEqualTo(4);
    }

    @Test
    void cellNamesAreTheNamesTheFiguresRead() {
        long[] cells = new long[MissingStatistics.CELL_NAMES.size()];
        java.util.Arrays.fill(cells, 1);
        MissingStatistics.Figures f = MissingStatistics.figures(MissingStatistics.named(cells));
        // Every code of every table the page shows has a cell: a name spelt differently would read as 0.
        assertThat(f.records() + f.incidents() + f.children() + f.repeatChildren())
                .isEqualTo(4);
        assertThat(f.durations().values()).containsOnly(1L).hasSize(MissingStatistics.DURATIONS.size());
        assertThat(f.from().values()).containsOnly(1L).hasSize(MissingStatistics.FROM.size());
        assertThat(f.grades().values()).containsOnly(1L).hasSize(MissingStatistics.GRADES.size());
        assertThat(f.interviews().values()).containsOnly(1L).hasSize(MissingStatistics.INTERVIEWS.size());
        assertThat(f.foundBy().values()).containsOnly(1L).hasSize(MissingStatistics.FOUND_BY.size());
        f.categories().values().forEach(byType -> assertThat(byType.values())
                .containsOnly(1L)
                .hasSize(MissingStatistics.AGENCY_TYPES.size()));
    }

    @Test
    void anySetOfAChildsEpisodesCountsFromTheRulesPartsAsTheRuleCountsIt() {
        // Random children of up to three agencies, episodes hours to days apart (so incidents join agencies' records
        // and some straddle a set's edge), and random sets of their episodes: the parts worked out once for the child
        // must give, for every set, what the rule gives counting that set alone.
        java.util.Random random = new java.util.Random(20261204);
        String[] from = {"home", "care", "other", null};
        String[] interviews = {"completed", "declined", "offered", "not_offered", null};
        int split = 0;
        for (int child = 0; child < 2_000; child++) {
            List<MissingAggregate.Counted> rows = new ArrayList<>();
            Instant start = T;
            for (int e = 1 + random.nextInt(7); e > 0; e--) {
                long agency = 1 + random.nextInt(3);
                start = start.plusSeconds(3_600L * random.nextInt(60));
                Instant found = random.nextInt(5) == 0 ? null : start.plusSeconds(3_600L * (1 + random.nextInt(100)));
                rows.add(new MissingAggregate.Counted(
                        new MissingStatistics.Row(
                                100 + agency,
                                agency,
                                agency == 1 ? "police_force" : agency == 2 ? "local_authority" : "care_provider",
                                start,
                                found,
                                from[random.nextInt(from.length)],
                                random.nextBoolean() ? "missing" : "away",
                                random.nextBoolean() ? "high" : null,
                                interviews[random.nextInt(interviews.length)],
                                found == null ? null : found.plusSeconds(3_600L * random.nextInt(100)),
                                random.nextInt(3) == 0 ? List.of((long) 1 + random.nextInt(2)) : List.of(),
                                start),
                        List.of("A")));
            }
            MissingAggregate.Parts parts = new MissingAggregate.Parts(rows);
            List<MissingStatistics.Row> episodes =
                    rows.stream().map(MissingAggregate.Counted::row).toList();
            List<List<Integer>> incidents = MissingStatistics.incidents(episodes);
            for (int s = 0; s < 5; s++) {
                java.util.BitSet set = new java.util.BitSet();
                List<MissingStatistics.Row> in = new ArrayList<>();
                for (int i = 0; i < rows.size(); i++) {
                    if (random.nextInt(3) > 0) {
                        set.set(i);
                        in.add(episodes.get(i));
                    }
                }
                if (in.isEmpty()) {
                    continue;
                }
                long[] expected = new long[MissingStatistics.CELL_NAMES.size()];
                MissingStatistics.count(in, expected);
                long[] actual = new long[MissingStatistics.CELL_NAMES.size()];
                parts.count(set).addTo(actual, 1);
                assertThat(MissingStatistics.named(actual))
                        .as("child %d, episodes %s", child, set)
                        .isEqualTo(MissingStatistics.named(expected));
                split += incidents.stream()
                                .anyMatch(g -> g.stream().anyMatch(set::get)
                                        && !g.stream().allMatch(set::get))
                        ? 1
                        : 0;
            }
        }
        assertThat(split).as("sets that split an incident (counted directly)").isGreaterThan(100);
    }

    @Test
    void totalsAddUpEveryDeltaTakenIn() {
        MissingAggregate.Delta first = new MissingAggregate.Delta();
        MissingAggregate.Delta second = new MissingAggregate.Delta();
        MissingAggregate.Delta third = new MissingAggregate.Delta();
        int fy2024 = MissingAggregate.periodIds(LocalDate.of(2024, 5, 1))[2];
        first.add(
                MissingAggregate.areaList(new ArrayList<>(List.of("A", "E"))),
                fy2024,
                cells(Map.of("head|records", 2L)),
                1);
        second.add(
                MissingAggregate.areaList(new ArrayList<>(List.of("B", "E"))),
                fy2024,
                cells(Map.of("head|records", 3L)),
                1);
        third.add(
                MissingAggregate.areaList(new ArrayList<>(List.of("A"))),
                fy2024,
                cells(Map.of("head|records", 5L, "head|children", 1L)),
                1);
        third.add(
                MissingAggregate.areaList(new ArrayList<>(List.of("B"))),
                fy2024,
                cells(Map.of("head|children", 1L)),
                -1);
        first.add(
                MissingAggregate.areaList(new ArrayList<>(List.of("E"))), fy2024, cells(Map.of("head|repeat", 1L)), -1);
        third.add(
                MissingAggregate.areaList(new ArrayList<>(List.of("E"))),
                fy2024,
                cells(Map.of("head|repeat", 1L)),
                1); // nets to 0: not written
        second.addAll(third); // a worker's part taken into another's, then into the caller's
        first.addAll(second);

        List<String> totals = new ArrayList<>();
        first.totals((area, period, counts) -> {
            for (int i = 0; i < counts.length; i++) {
                if (counts[i] != 0) {
                    totals.add(area + " " + period + " " + MissingStatistics.CELL_NAMES.get(i) + " " + counts[i]);
                }
            }
        });

        assertThat(totals)
                .containsExactlyInAnyOrder(
                        "A FY2024 head|records 7",
                        "A FY2024 head|children 1",
                        "B FY2024 head|records 3",
                        "B FY2024 head|children -1",
                        "E FY2024 head|records 5");
    }
}
