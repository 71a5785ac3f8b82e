package org.sightline.ssda903;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.sightline.ssda903.ExportBuilder.Child;
import org.sightline.ssda903.ExportBuilder.Episode;
import org.sightline.ssda903.ExportBuilder.Note;
import org.sightline.ssda903.ExportBuilder.Period;
import org.sightline.ssda903.ExportBuilder.Placement;
import org.sightline.ssda903.Ssda903Tables.MissingRow;
import org.sightline.ssda903.Ssda903Tables.RuleFailure;

/** Inconsistent agency data is reconciled (and reported) so that the return passes the rules. */
class ExportBuilderTest {

    private static final CollectionYear YEAR = new CollectionYear(2025);
    private static final LocalDate DOB = LocalDate.of(2008, 6, 15);

    private static LocalDate d(String iso) {
        return LocalDate.parse(iso);
    }

    private static Child child(List<Episode> episodes, boolean derived, Period... periods) {
        return new Child("C9", "2", DOB, "WBRI", "", "", null, episodes, derived, List.of(periods));
    }

    private static Episode episode(String decom, String dec, String rec) {
        return new Episode(d(decom), "S", "C2", "N1", "U1", "PR1", dec == null ? null : d(dec), rec, "", "", "", "");
    }

    private static ExportBuilder.Result build(CollectionYear year, Child c) {
        ExportBuilder.Result result = ExportBuilder.build(year, List.of(c));
        List<MissingRow> previous =
                ExportBuilder.build(year.previous(), List.of(c)).data().missing();
        assertThat(new MissingRulesValidator(year, result.data(), previous).validate())
                .isEmpty();
        return result;
    }

    @Test
    void overlappingAndOpenPeriodsAreMergedAndReported() {
        Child c = child(
                List.of(episode("2024-05-01", null, "")),
                false,
                new Period("A", d("2024-06-01"), d("2024-06-05")),
                new Period("M", d("2024-06-03"), d("2024-06-04")),
                new Period("A", d("2024-07-01"), null),
                new Period("A", d("2024-07-10"), d("2024-07-11")));
        ExportBuilder.Result r = build(YEAR, c);
        assertThat(r.data().missing())
                .extracting(MissingRow::missing, MissingRow::misStart, MissingRow::misEnd)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("M", "01/06/2024", "05/06/2024"),
                        org.assertj.core.groups.Tuple.tuple("A", "01/07/2024", ""));
        assertThat(r.notes()).contains(new Note("C9", "merged", 2));
    }

    @Test
    void aPeriodEndsWithItsEpisodeAndOnlyPeriodsFromCareCount() {
        Child c = child(
                List.of(episode("2024-05-01", "2024-08-01", "X1"), episode("2024-08-01", "2024-12-01", "E13")),
                false,
                new Period("M", d("2024-04-20"), d("2024-04-21")), // from home, before care
                new Period("M", d("2024-07-30"), null), // still open when the placement changed
                new Period("M", d("2024-11-30"), d("2024-12-10")), // still missing when care ended
                new Period("M", d("2025-01-05"), d("2025-01-06"))); // after care ended
        ExportBuilder.Result r = build(YEAR, c);
        assertThat(r.data().missing())
                .extracting(MissingRow::misStart, MissingRow::misEnd)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("30/07/2024", "01/08/2024"),
                        org.assertj.core.groups.Tuple.tuple("30/11/2024", "01/12/2024"));
        assertThat(r.notes()).contains(new Note("C9", "not-in-care", 2), new Note("C9", "ended-with-episode", 2));
    }

    @Test
    void theYearEndBlanksLaterDatesAndLastYearsOpenPeriodReappearsWithItsStart() {
        Child c = child(
                List.of(episode("2023-05-01", "2025-06-01", "E13")),
                false,
                new Period("M", d("2024-03-20"), d("2024-04-02")),
                new Period("A", d("2025-03-30"), d("2025-04-03")));
        ExportBuilder.Result last = build(YEAR.previous(), c);
        assertThat(last.data().missing()).extracting(MissingRow::misEnd).containsExactly("");
        ExportBuilder.Result r = build(YEAR, c);
        assertThat(r.data().missing())
                .extracting(MissingRow::misStart, MissingRow::misEnd)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("20/03/2024", "02/04/2024"),
                        org.assertj.core.groups.Tuple.tuple("30/03/2025", ""));
        assertThat(r.data().episodes().get(0).dec()).isEmpty();
        assertThat(r.data().episodes().get(0).rec()).isEmpty();
    }

    @Test
    void aPeriodBeforeTheRecordedBirthIsWithheldAndReported() {
        Child c = child(
                List.of(episode("2008-06-01", null, "")),
                false,
                new Period("M", d("2008-06-10"), d("2008-06-11")),
                new Period("M", d("2024-06-10"), d("2024-06-11")));
        ExportBuilder.Result r = build(YEAR, c);
        assertThat(r.data().missing()).hasSize(1);
        assertThat(r.notes()).contains(new Note("C9", "before-birth", 1));
    }

    @Test
    void derivedEpisodesChainPlacementsAndRecordE8WhenMissingAtEighteen() {
        List<Note> notes = new ArrayList<>();
        List<Episode> episodes = ExportBuilder.fromPlacements(
                List.of(
                        new Placement(d("2024-05-01"), d("2024-09-01"), "U1", "AB1 2CD"),
                        new Placement(d("2024-08-20"), DOB.plusYears(18), "K2", null)),
                "C9",
                notes);
        assertThat(episodes)
                .extracting(Episode::rne, Episode::dec, Episode::rec)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("S", d("2024-08-20"), "X1"),
                        org.assertj.core.groups.Tuple.tuple("P", DOB.plusYears(18), ""));
        assertThat(notes).containsExactly(new Note("C9", "placement-overlap", 1));
        Child c = child(episodes, true, new Period("M", DOB.plusYears(18).minusDays(3), null));
        ExportBuilder.Result r = build(new CollectionYear(2027), c);
        assertThat(r.data().episodes()).extracting(e -> e.rec()).containsExactly("E8");
        assertThat(r.notes()).contains(new Note("C9", "rec-e8", 1));
    }

    private static Episode episode(
            String decom, String rne, String ls, String place, String dec, String rec, String reasonPlaceChange) {
        return new Episode(
                d(decom), rne, ls, "N1", place, "PR1", dec == null ? null : d(dec), rec, reasonPlaceChange, "", "", "");
    }

    @Test
    void anAdultStillRecordedAsLookedAfterIsWithheldAndReportedNeverExported() {
        // As Surrey 2024/2025 was seen: born 28/11/2000, placed from 26/10/2019 with no end; 21 before the year began.
        Child adult = new Child(
                "C7",
                "1",
                d("2000-11-28"),
                "WBRI",
                "",
                "",
                null,
                List.of(episode("2019-10-26", "S", "C2", "U1", null, "", "")),
                false,
                List.of(new Period("M", d("2024-05-01"), d("2024-05-02"))));
        ExportBuilder.Result r =
                ExportBuilder.build(YEAR, List.of(adult, child(List.of(episode("2024-05-01", null, "")), false)));
        assertThat(r.data().header()).extracting(h -> h.child()).containsExactly("C9");
        assertThat(r.data().episodes()).extracting(e -> e.child()).containsExactly("C9");
        assertThat(r.data().missing()).isEmpty();
        assertThat(r.withheld())
                .extracting(RuleFailure::rule, RuleFailure::child, RuleFailure::line)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("351", "C7", 0));
    }

    @Test
    void careOpenPastTheEighteenthBirthdayIsWithheldUnlessSection205InACommunityHome() {
        // 18 on 10/01/2025, still placed at 31 March 2025.
        Child open = new Child(
                "C8",
                "2",
                d("2007-01-10"),
                "WBRI",
                "",
                "",
                null,
                List.of(
                        episode("2023-05-01", "S", "C2", "U1", "2024-06-01", "X1", ""),
                        episode("2024-06-01", "P", "C2", "U4", null, "", "CARPL")),
                false,
                List.of());
        ExportBuilder.Result r = ExportBuilder.build(YEAR, List.of(open));
        assertThat(r.withheld())
                .extracting(RuleFailure::rule, RuleFailure::table)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("359", "Episodes"));
        assertThat(r.data().episodes()).extracting(e -> e.decom()).containsExactly("01/05/2023");
        Child v2 = new Child(
                "C8",
                "2",
                d("2007-01-10"),
                "WBRI",
                "",
                "",
                null,
                List.of(episode("2024-06-01", "S", "V2", "K2", null, "", "")),
                false,
                List.of());
        assertThat(ExportBuilder.build(YEAR, List.of(v2)).withheld()).isEmpty();
        // The year before, still 17 at 31 March 2024: nothing is withheld.
        assertThat(ExportBuilder.build(YEAR.previous(), List.of(open)).withheld())
                .isEmpty();
    }

    @Test
    void careStartedAtEighteenIsWithheld() {
        Child c = new Child(
                "C6",
                "1",
                d("2006-05-01"),
                "WBRI",
                "",
                "",
                null,
                List.of(episode("2024-05-01", "S", "V2", "K2", "2024-06-01", "E8", "")),
                false,
                List.of());
        ExportBuilder.Result r = ExportBuilder.build(YEAR, List.of(c));
        assertThat(r.withheld()).extracting(RuleFailure::rule).containsExactly("352");
        assertThat(r.data().header()).isEmpty();
    }

    @Test
    void everyHeldFieldGoesOutAsHeldAndOnlyAnEndAfterTheYearIsBlanked() {
        Child c = new Child(
                "C5",
                "2",
                DOB,
                "WBRI",
                "",
                "",
                null,
                List.of(
                        episode("2024-05-01", "S", "C2", "U1", "2024-06-01", "X1", ""),
                        episode(
                                "2024-06-01",
                                "P",
                                "C2",
                                "U4",
                                null,
                                "E13",
                                "CARPL"), // REC without DEC: kept (a rule says so)
                        episode("2025-03-01", "P", "C2", "U4", "2025-04-01", "E13", "ALLEG")), // ends after the year
                false,
                List.of());
        ExportBuilder.Result r = ExportBuilder.build(YEAR, List.of(c));
        assertThat(r.data().episodes())
                .extracting(e -> e.dec(), e -> e.rec(), e -> e.reasonPlaceChange())
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("01/06/2024", "X1", ""),
                        org.assertj.core.groups.Tuple.tuple("", "E13", "CARPL"),
                        org.assertj.core.groups.Tuple.tuple("", "", "ALLEG"));
    }

    @Test
    void aHeaderChildWithoutEpisodesIsExportedInItsHeaderYearOnly() {
        Child c = new Child("C4", "1", DOB, "WBRI", "", "", null, List.of(), false, List.of(), java.util.Set.of(2025));
        assertThat(ExportBuilder.build(YEAR, List.of(c)).data().header())
                .extracting(h -> h.child())
                .containsExactly("C4");
        assertThat(ExportBuilder.build(YEAR.previous(), List.of(c)).data().header())
                .isEmpty();
    }

    @Test
    void periodsSentInAMissingTableGoOutAsSentNotReconciled() {
        Child c = child(
                List.of(episode("2024-05-01", "2024-08-01", "E13")),
                false,
                new Period("M", d("2024-07-30"), null, true), // open past the episode's end
                new Period("A", d("2024-07-31"), d("2024-08-02"), true), // overlaps it
                new Period("M", d("2024-04-20"), d("2024-04-21"), true)); // before care
        ExportBuilder.Result r = ExportBuilder.build(YEAR, List.of(c));
        assertThat(r.data().missing())
                .extracting(MissingRow::missing, MissingRow::misStart, MissingRow::misEnd)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("M", "20/04/2024", "21/04/2024"),
                        org.assertj.core.groups.Tuple.tuple("M", "30/07/2024", ""),
                        org.assertj.core.groups.Tuple.tuple("A", "31/07/2024", "02/08/2024"));
        assertThat(r.notes()).isEmpty();
    }
}
