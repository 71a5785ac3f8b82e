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
        List<MissingRow> previous = ExportBuilder.build(year.previous(), List.of(c)).data().missing();
        assertThat(new MissingRulesValidator(year, result.data(), previous).validate()).isEmpty();
        return result;
    }

    @Test
    void overlappingAndOpenPeriodsAreMergedAndReported() {
        Child c = child(List.of(episode("2024-05-01", null, "")), false,
                new Period("A", d("2024-06-01"), d("2024-06-05")),
                new Period("M", d("2024-06-03"), d("2024-06-04")),
                new Period("A", d("2024-07-01"), null),
                new Period("A", d("2024-07-10"), d("2024-07-11")));
        ExportBuilder.Result r = build(YEAR, c);
        assertThat(r.data().missing()).extracting(MissingRow::missing, MissingRow::misStart, MissingRow::misEnd)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("M", "01/06/2024", "05/06/2024"),
                        org.assertj.core.groups.Tuple.tuple("A", "01/07/2024", ""));
        assertThat(r.notes()).contains(new Note("C9", "merged", 2));
    }

    @Test
    void aPeriodEndsWithItsEpisodeAndOnlyPeriodsFromCareCount() {
        Child c = child(List.of(episode("2024-05-01", "2024-08-01", "X1"), episode("2024-08-01", "2024-12-01", "E13")),
                false,
                new Period("M", d("2024-04-20"), d("2024-04-21")),     // from home, before care
                new Period("M", d("2024-07-30"), null),                // still open when the placement changed
                new Period("M", d("2024-11-30"), d("2024-12-10")),     // still missing when care ended
                new Period("M", d("2025-01-05"), d("2025-01-06")));    // after care ended
        ExportBuilder.Result r = build(YEAR, c);
        assertThat(r.data().missing()).extracting(MissingRow::misStart, MissingRow::misEnd)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("30/07/2024", "01/08/2024"),
                        org.assertj.core.groups.Tuple.tuple("30/11/2024", "01/12/2024"));
        assertThat(r.notes()).contains(new Note("C9", "not-in-care", 2), new Note("C9", "ended-with-episode", 2));
    }

    @Test
    void theYearEndBlanksLaterDatesAndLastYearsOpenPeriodReappearsWithItsStart() {
        Child c = child(List.of(episode("2023-05-01", "2025-06-01", "E13")), false,
                new Period("M", d("2024-03-20"), d("2024-04-02")),
                new Period("A", d("2025-03-30"), d("2025-04-03")));
        ExportBuilder.Result last = build(YEAR.previous(), c);
        assertThat(last.data().missing()).extracting(MissingRow::misEnd).containsExactly("");
        ExportBuilder.Result r = build(YEAR, c);
        assertThat(r.data().missing()).extracting(MissingRow::misStart, MissingRow::misEnd)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("20/03/2024", "02/04/2024"),
                        org.assertj.core.groups.Tuple.tuple("30/03/2025", ""));
        assertThat(r.data().episodes().get(0).dec()).isEmpty();
        assertThat(r.data().episodes().get(0).rec()).isEmpty();
    }

    @Test
    void aPeriodBeforeTheRecordedBirthIsWithheldAndReported() {
        Child c = child(List.of(episode("2008-06-01", null, "")), false, new Period("M", d("2008-06-10"), d("2008-06-11")),
                new Period("M", d("2024-06-10"), d("2024-06-11")));
        ExportBuilder.Result r = build(YEAR, c);
        assertThat(r.data().missing()).hasSize(1);
        assertThat(r.notes()).contains(new Note("C9", "before-birth", 1));
    }

    @Test
    void derivedEpisodesChainPlacementsAndRecordE8WhenMissingAtEighteen() {
        List<Note> notes = new ArrayList<>();
        List<Episode> episodes = ExportBuilder.fromPlacements(List.of(
                new Placement(d("2024-05-01"), d("2024-09-01"), "U1", "AB1 2CD"),
                new Placement(d("2024-08-20"), DOB.plusYears(18), "K2", null)), "C9", notes);
        assertThat(episodes).extracting(Episode::rne, Episode::dec, Episode::rec)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("S", d("2024-08-20"), "X1"),
                        org.assertj.core.groups.Tuple.tuple("P", DOB.plusYears(18), ""));
        assertThat(notes).containsExactly(new Note("C9", "placement-overlap", 1));
        Child c = child(episodes, true, new Period("M", DOB.plusYears(18).minusDays(3), null));
        ExportBuilder.Result r = build(new CollectionYear(2027), c);
        assertThat(r.data().episodes()).extracting(e -> e.rec()).containsExactly("E8");
        assertThat(r.notes()).contains(new Note("C9", "rec-e8", 1));
    }
}
