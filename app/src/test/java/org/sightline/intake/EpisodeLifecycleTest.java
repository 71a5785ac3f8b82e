package org.sightline.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.sightline.intake.EpisodeAction.ACCEPT_RETURN_INTERVIEW;
import static org.sightline.intake.EpisodeAction.CLOSE;
import static org.sightline.intake.EpisodeAction.COMPLETE_RETURN_INTERVIEW;
import static org.sightline.intake.EpisodeAction.DECLINE_RETURN_INTERVIEW;
import static org.sightline.intake.EpisodeAction.GRADE;
import static org.sightline.intake.EpisodeAction.OFFER_RETURN_INTERVIEW;
import static org.sightline.intake.EpisodeAction.RECORD_FOUND;
import static org.sightline.intake.EpisodeAction.SAFE_AND_WELL;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sightline.intake.EpisodeLifecycle.State;
import org.sightline.shared.ConflictException;

/** Every (state, action) pair: the legal ones land where the table says, every other one is refused with a reason. */
class EpisodeLifecycleTest {

    private static final State REPORTED = State.of("reported", "not_offered");
    private static final State GRADED = State.of("graded", "not_offered");
    private static final State FOUND = State.of("found", "not_offered");
    private static final State CHECKED = State.of("safe_and_well_checked", "not_offered");
    private static final State OFFERED = State.of("return_interview", "offered");
    private static final State ACCEPTED = State.of("return_interview", "accepted");
    private static final State DECLINED = State.of("return_interview", "declined");
    private static final State COMPLETED = State.of("return_interview", "completed");
    private static final State CLOSED_COMPLETED = State.of("closed", "completed");
    private static final State CLOSED_DECLINED = State.of("closed", "declined");

    private static final List<State> ALL_STATES = List.of(
            REPORTED,
            GRADED,
            FOUND,
            CHECKED,
            OFFERED,
            ACCEPTED,
            DECLINED,
            COMPLETED,
            CLOSED_COMPLETED,
            CLOSED_DECLINED);

    /** The whole legal table; anything not here must be refused. */
    private static final Map<State, Map<EpisodeAction, State>> LEGAL = new LinkedHashMap<>();

    static {
        LEGAL.put(REPORTED, Map.of(GRADE, GRADED));
        LEGAL.put(GRADED, Map.of(GRADE, GRADED, RECORD_FOUND, FOUND));
        LEGAL.put(FOUND, Map.of(GRADE, FOUND, SAFE_AND_WELL, CHECKED));
        LEGAL.put(CHECKED, Map.of(GRADE, CHECKED, OFFER_RETURN_INTERVIEW, OFFERED));
        LEGAL.put(
                OFFERED, Map.of(GRADE, OFFERED, ACCEPT_RETURN_INTERVIEW, ACCEPTED, DECLINE_RETURN_INTERVIEW, DECLINED));
        LEGAL.put(
                ACCEPTED,
                Map.of(GRADE, ACCEPTED, COMPLETE_RETURN_INTERVIEW, COMPLETED, DECLINE_RETURN_INTERVIEW, DECLINED));
        LEGAL.put(DECLINED, Map.of(GRADE, DECLINED, OFFER_RETURN_INTERVIEW, OFFERED, CLOSE, CLOSED_DECLINED));
        LEGAL.put(COMPLETED, Map.of(GRADE, COMPLETED, CLOSE, CLOSED_COMPLETED));
        LEGAL.put(CLOSED_COMPLETED, Map.of());
        LEGAL.put(CLOSED_DECLINED, Map.of());
    }

    @Test
    void everyLegalTransitionLandsInTheExpectedState() {
        int checked = 0;
        for (State from : ALL_STATES) {
            for (Map.Entry<EpisodeAction, State> legal : LEGAL.get(from).entrySet()) {
                assertThat(EpisodeLifecycle.apply(from, legal.getKey()))
                        .as(from + " + " + legal.getKey())
                        .isEqualTo(legal.getValue());
                checked++;
            }
        }
        assertThat(checked).isEqualTo(18);
    }

    @Test
    void everyOtherTransitionIsRefusedAsIllegalWithAReason() {
        int refused = 0;
        for (State from : ALL_STATES) {
            for (EpisodeAction action : EpisodeAction.values()) {
                if (LEGAL.get(from).containsKey(action)) {
                    continue;
                }
                assertThatThrownBy(() -> EpisodeLifecycle.apply(from, action))
                        .as(from + " + " + action)
                        .isInstanceOf(ConflictException.class)
                        .satisfies(
                                e -> assertThat(((ConflictException) e).rule()).isEqualTo("illegal-transition"))
                        .hasMessageStartingWith("Cannot ")
                        .hasMessageContaining(from.toString());
                refused++;
            }
        }
        assertThat(refused).isEqualTo(ALL_STATES.size() * EpisodeAction.values().length - 18);
    }

    @Test
    void allowedActionsMatchTheTable() {
        for (State from : ALL_STATES) {
            assertThat(EpisodeLifecycle.allowed(from))
                    .as(from.toString())
                    .isEqualTo(
                            LEGAL.get(from).keySet().isEmpty()
                                    ? java.util.EnumSet.noneOf(EpisodeAction.class)
                                    : java.util.EnumSet.copyOf(LEGAL.get(from).keySet()));
        }
    }

    @Test
    void messagesSayWhatToDoFirst() {
        assertThatThrownBy(() -> EpisodeLifecycle.apply(REPORTED, RECORD_FOUND))
                .hasMessage("Cannot record the child found while the episode is reported. Grade the risk first.");
        assertThatThrownBy(() -> EpisodeLifecycle.apply(OFFERED, CLOSE))
                .hasMessageContaining("return interview offered")
                .hasMessageContaining("accepted or declined");
        assertThatThrownBy(() -> EpisodeLifecycle.apply(CLOSED_COMPLETED, GRADE))
                .hasMessageContaining("A closed episode cannot change.");
    }

    // ------------------------------------------------------------ return interview in one save

    @Test
    void aCompletedInterviewIsRecordedFromSafeAndWellInOneRunOfLegalSteps() {
        assertThat(EpisodeLifecycle.steps(CHECKED, COMPLETE_RETURN_INTERVIEW))
                .containsExactly(OFFER_RETURN_INTERVIEW, ACCEPT_RETURN_INTERVIEW, COMPLETE_RETURN_INTERVIEW);
        assertThat(EpisodeLifecycle.applyAll(CHECKED, EpisodeLifecycle.steps(CHECKED, COMPLETE_RETURN_INTERVIEW)))
                .isEqualTo(COMPLETED);
        assertThat(EpisodeLifecycle.steps(OFFERED, COMPLETE_RETURN_INTERVIEW))
                .containsExactly(ACCEPT_RETURN_INTERVIEW, COMPLETE_RETURN_INTERVIEW);
        assertThat(EpisodeLifecycle.steps(ACCEPTED, COMPLETE_RETURN_INTERVIEW))
                .containsExactly(COMPLETE_RETURN_INTERVIEW);
        assertThat(EpisodeLifecycle.steps(CHECKED, ACCEPT_RETURN_INTERVIEW))
                .containsExactly(OFFER_RETURN_INTERVIEW, ACCEPT_RETURN_INTERVIEW);
        assertThat(EpisodeLifecycle.steps(CHECKED, DECLINE_RETURN_INTERVIEW))
                .containsExactly(OFFER_RETURN_INTERVIEW, DECLINE_RETURN_INTERVIEW);
        // Declined, then the child agrees later: offered again, accepted, completed.
        assertThat(EpisodeLifecycle.steps(DECLINED, COMPLETE_RETURN_INTERVIEW))
                .containsExactly(OFFER_RETURN_INTERVIEW, ACCEPT_RETURN_INTERVIEW, COMPLETE_RETURN_INTERVIEW);
    }

    @Test
    void everyRunOfStepsIsMadeOfLegalTransitionsOnly() {
        for (State from : ALL_STATES) {
            for (EpisodeAction target : EpisodeAction.values()) {
                List<EpisodeAction> run;
                try {
                    run = EpisodeLifecycle.steps(from, target);
                } catch (ConflictException refused) {
                    continue;
                }
                State state = from;
                for (EpisodeAction step : run) {
                    assertThat(LEGAL.get(state)).as(from + " via " + run).containsKey(step);
                    state = LEGAL.get(state).get(step);
                }
                assertThat(run.get(run.size() - 1)).isEqualTo(target);
            }
        }
    }

    @Test
    void stepsOutsideTheReturnInterviewAreNeverCombined() {
        assertThatThrownBy(() -> EpisodeLifecycle.steps(GRADED, CLOSE)).isInstanceOf(ConflictException.class);
        assertThatThrownBy(() -> EpisodeLifecycle.steps(CHECKED, CLOSE)).isInstanceOf(ConflictException.class);
        assertThatThrownBy(() -> EpisodeLifecycle.steps(REPORTED, RECORD_FOUND)).isInstanceOf(ConflictException.class);
    }

    @Test
    void refusalsSayInPlainWordsWhatMustHappenFirst() {
        assertThatThrownBy(() -> EpisodeLifecycle.steps(GRADED, COMPLETE_RETURN_INTERVIEW))
                .isInstanceOf(EpisodeLifecycle.IllegalStep.class)
                .hasMessageContaining("Record that the child has been found before recording a return interview.")
                .satisfies(e -> assertThat(((EpisodeLifecycle.IllegalStep) e).messageKey())
                        .isEqualTo("intake.refusal.found.return-interview"));
        assertThatThrownBy(() -> EpisodeLifecycle.steps(FOUND, OFFER_RETURN_INTERVIEW))
                .hasMessageContaining("Record the safe and well check before recording a return interview.")
                .satisfies(e -> assertThat(((EpisodeLifecycle.IllegalStep) e).messageKey())
                        .isEqualTo("intake.refusal.safe-and-well.return-interview"));
        assertThat(EpisodeLifecycle.requirement(REPORTED, RECORD_FOUND)).isEqualTo("grade");
        assertThat(EpisodeLifecycle.requirement(OFFERED, CLOSE)).isEqualTo("interview-finished");
        assertThat(EpisodeLifecycle.requirement(COMPLETED, COMPLETE_RETURN_INTERVIEW))
                .isEqualTo("already");
        assertThat(EpisodeLifecycle.requirement(CLOSED_DECLINED, GRADE)).isEqualTo("closed");
    }

    @Test
    void everyRefusalHasItsTextInTheBundle() throws java.io.IOException {
        java.util.Properties bundle = new java.util.Properties();
        try (var in = getClass().getResourceAsStream("/i18n/intake.properties")) {
            bundle.load(new java.io.InputStreamReader(in, java.nio.charset.StandardCharsets.UTF_8));
        }
        int refusals = 0;
        for (State from : ALL_STATES) {
            for (EpisodeAction action : EpisodeAction.values()) {
                if (!LEGAL.get(from).containsKey(action)) {
                    String key = new EpisodeLifecycle.IllegalStep(from, action).messageKey();
                    assertThat(bundle.getProperty(key))
                            .as(from + " + " + action + ": " + key)
                            .isNotBlank();
                    refusals++;
                }
            }
        }
        assertThat(refusals).isPositive();
    }
}
