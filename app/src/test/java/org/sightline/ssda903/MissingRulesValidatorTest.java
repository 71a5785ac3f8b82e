package org.sightline.ssda903;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.sightline.ssda903.Ssda903Tables.EpisodeRow;
import org.sightline.ssda903.Ssda903Tables.HeaderRow;
import org.sightline.ssda903.Ssda903Tables.MissingRow;
import org.sightline.ssda903.Ssda903Tables.Return;
import org.sightline.ssda903.Ssda903Tables.RuleFailure;

/**
 * Each Missing-table rule with one fixture that passes and one that fails (synthetic children only). Collection
 * year 2025 = 1 April 2024 to 31 March 2025. Child "C1" is born 15/06/2008 and looked after from 01/05/2024.
 */
class MissingRulesValidatorTest {

    private static final CollectionYear YEAR = new CollectionYear(2025);

    private final List<HeaderRow> header =
            new ArrayList<>(List.of(new HeaderRow(2, "C1", "2", "15/06/2008", "WBRI", "", "", "")));
    private final List<EpisodeRow> episodes = new ArrayList<>(List.of(episode("01/05/2024", "", "")));
    private final List<MissingRow> missing = new ArrayList<>();

    private static EpisodeRow episode(String decom, String dec, String rec) {
        return new EpisodeRow(2, "C1", decom, "S", "C2", "N1", "U1", "PR1", dec, rec, "", "", "", "");
    }

    private void missing(String type, String start, String end) {
        missing.add(new MissingRow(missing.size() + 2, "C1", "15/06/2008", type, start, end));
    }

    private List<RuleFailure> failures(String rule) {
        return failures(rule, null);
    }

    private List<RuleFailure> failures(String rule, List<MissingRow> previous) {
        return new MissingRulesValidator(YEAR, new Return(header, episodes, missing), previous)
                .validate().stream().filter(f -> f.rule().equals(rule)).toList();
    }

    @Test
    void aCleanReturnBreaksNoRule() {
        missing("M", "03/06/2024", "04/06/2024");
        missing("A", "04/06/2024", "");
        assertThat(new MissingRulesValidator(YEAR, new Return(header, episodes, missing), List.of()).validate())
                .isEmpty();
    }

    @Test
    void rule1004StartMustBeARealDate() {
        missing("M", "3/6/2024", "04/06/2024");
        assertThat(failures("1004")).isEmpty();
        missing("M", "31/02/2024", "");
        assertThat(failures("1004")).singleElement().satisfies(f -> {
            assertThat(f.child()).isEqualTo("C1");
            assertThat(f.line()).isEqualTo(3);
            assertThat(f.field()).isEqualTo("MIS_START");
        });
    }

    @Test
    void rule1005EndMustBeARealDate() {
        missing("M", "03/06/2024", "");
        assertThat(failures("1005")).isEmpty();
        missing("M", "05/06/2024", "2024-06-06");
        assertThat(failures("1005")).extracting(RuleFailure::line).containsExactly(3);
    }

    @Test
    void rule1006TypeIsMOrA() {
        missing("a", "03/06/2024", "04/06/2024");
        assertThat(failures("1006")).isEmpty();
        missing("X", "05/06/2024", "06/06/2024");
        assertThat(failures("1006")).extracting(RuleFailure::line).containsExactly(3);
    }

    @Test
    void rule564TypeNeedsAStart() {
        missing("M", "03/06/2024", "");
        assertThat(failures("564")).isEmpty();
        missing("M", "", "");
        assertThat(failures("564")).extracting(RuleFailure::line).containsExactly(3);
    }

    @Test
    void rule565StartNeedsAType() {
        missing("A", "03/06/2024", "");
        assertThat(failures("565")).isEmpty();
        missing("", "05/06/2024", "");
        assertThat(failures("565")).extracting(RuleFailure::line).containsExactly(3);
    }

    @Test
    void rule566EndNeedsAType() {
        missing("M", "03/06/2024", "04/06/2024");
        assertThat(failures("566")).isEmpty();
        missing(" ", "", "06/06/2024");
        assertThat(failures("566")).extracting(RuleFailure::line).containsExactly(3);
    }

    @Test
    void rule567EndNotBeforeStart() {
        missing("M", "03/06/2024", "03/06/2024");
        assertThat(failures("567")).isEmpty();
        missing("M", "10/06/2024", "09/06/2024");
        assertThat(failures("567")).extracting(RuleFailure::line).containsExactly(3);
    }

    @Test
    void rule570StartNotAfterTheYear() {
        missing("M", "31/03/2025", "");
        assertThat(failures("570")).isEmpty();
        missing("M", "01/04/2025", "");
        assertThat(failures("570")).extracting(RuleFailure::line).containsExactly(3);
    }

    @Test
    void rule571EndWithinTheYear() {
        missing("M", "30/03/2024", "01/04/2024");
        missing("M", "30/03/2025", "31/03/2025");
        assertThat(failures("571")).isEmpty();
        missing("M", "30/03/2024", "31/03/2024");
        missing("M", "31/03/2025", "01/04/2025");
        assertThat(failures("571")).extracting(RuleFailure::line).containsExactly(4, 5);
    }

    @Test
    void rule574PeriodsNeitherOverlapNorStartWhileOneIsOpen() {
        missing("M", "03/06/2024", "05/06/2024");
        missing("M", "05/06/2024", "");
        assertThat(failures("574")).isEmpty();

        missing.clear();
        missing("M", "10/06/2024", "12/06/2024");
        missing("A", "03/06/2024", "11/06/2024"); // overlaps the next period in start order
        missing("M", "20/06/2024", "");
        missing("M", "25/06/2024", "26/06/2024"); // starts while the previous is open
        assertThat(failures("574")).extracting(RuleFailure::line).containsExactly(2, 5);
    }

    @Test
    void rule575OpenPeriodInsideAnEndedEpisode() {
        episodes.set(0, episode("01/05/2024", "01/08/2024", "X1"));
        episodes.add(episode("01/08/2024", "", ""));
        missing("M", "01/08/2024", ""); // starts the day the first episode ended: the second one's
        assertThat(failures("575")).isEmpty();
        missing("M", "10/07/2024", "");
        assertThat(failures("575")).extracting(RuleFailure::line).containsExactly(3);
    }

    @Test
    void rule576OpenPeriodCarriedForwardWithTheSameStart() {
        List<MissingRow> lastYear = List.of(new MissingRow(2, "C1", "15/06/2008", "M", "20/03/2024", ""));
        missing("M", "20/03/2024", "02/04/2024");
        assertThat(failures("576", lastYear)).isEmpty();
        missing.clear();
        missing("M", "21/03/2024", "02/04/2024");
        assertThat(failures("576", lastYear)).singleElement().satisfies(f -> {
            assertThat(f.line()).isEqualTo(2);
            assertThat(f.table()).contains("previous");
        });
        assertThat(new MissingRulesValidator(YEAR, new Return(header, episodes, missing), null).notChecked())
                .containsExactly("576");
    }

    @Test
    void rule577NoOpenPeriodOnceCareHasEnded() {
        episodes.set(0, episode("01/05/2024", "01/09/2024", "X1")); // care continues
        missing("M", "10/08/2024", "");
        episodes.add(episode("01/09/2024", "", ""));
        assertThat(failures("577")).isEmpty();
        episodes.set(1, episode("01/09/2024", "01/12/2024", "E13"));
        assertThat(failures("577")).extracting(RuleFailure::line).containsExactly(2);
    }

    @Test
    void rule578NoPeriodStartsAfterCareEnded() {
        episodes.set(0, episode("01/05/2024", "01/09/2024", "E13"));
        missing("M", "01/09/2024", "01/09/2024");
        assertThat(failures("578")).isEmpty();
        missing("M", "02/09/2024", "03/09/2024");
        assertThat(failures("578")).extracting(RuleFailure::line).containsExactly(3);
    }

    @Test
    void rule580MissingAtEighteenNeedsReasonE8() {
        episodes.set(0, episode("01/05/2024", "15/06/2026", "E8"));
        missing("M", "10/06/2026", "15/06/2026");
        assertThat(failures("580")).isEmpty();
        episodes.set(0, episode("01/05/2024", "15/06/2026", "E13"));
        assertThat(failures("580")).extracting(RuleFailure::field).containsExactly("REC");
    }

    @Test
    void rule586NoPeriodBeforeBirth() {
        missing("M", "15/06/2008", "16/06/2008");
        assertThat(failures("586")).isEmpty();
        missing("M", "14/06/2008", "16/06/2008");
        assertThat(failures("586")).extracting(RuleFailure::line).containsExactly(3);
    }

    @Test
    void ruleInt04ChildMustBeInTheHeader() {
        missing("M", "03/06/2024", "");
        assertThat(failures("INT04")).isEmpty();
        missing.add(new MissingRow(3, "C404", "15/06/2008", "M", "03/06/2024", ""));
        assertThat(failures("INT04")).singleElement().satisfies(f -> assertThat(f.child())
                .isEqualTo("C404"));
    }

    @Test
    void ruleInt13DobAgreesWithTheHeader() {
        missing.add(new MissingRow(2, "C1", "15/6/2008", "M", "03/06/2024", ""));
        assertThat(failures("INT13")).isEmpty();
        missing.add(new MissingRow(3, "C1", "16/06/2008", "M", "05/06/2024", ""));
        assertThat(failures("INT13")).extracting(RuleFailure::line).containsExactly(3);
    }

    @Test
    void everyListedRuleHasAMethodAndTheShippedListMatches() throws Exception {
        try (var in = getClass().getResourceAsStream("/refdata/ssda903_missing_validation_rules.csv")) {
            List<String> shipped = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)
                    .lines()
                    .skip(1)
                    .map(l -> l.substring(0, l.indexOf(',')))
                    .toList();
            assertThat(MissingRulesValidator.RULES).containsExactlyInAnyOrderElementsOf(shipped);
        }
    }
}
