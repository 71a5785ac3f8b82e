package org.sightline.concern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import org.junit.jupiter.api.Test;
import org.sightline.concern.ConcernStatus.Action;
import org.sightline.shared.ConflictException;

/** raised → screened (again) → closed; nothing leaves closed; an outcome needs a screening first. */
class ConcernLifecycleTest {

    @Test
    void legalTransitions() {
        assertThat(ConcernStatus.RAISED.after(Action.SCREEN)).isEqualTo(ConcernStatus.SCREENED);
        assertThat(ConcernStatus.SCREENED.after(Action.SCREEN)).isEqualTo(ConcernStatus.SCREENED);
        assertThat(ConcernStatus.SCREENED.after(Action.RECORD_OUTCOME)).isEqualTo(ConcernStatus.CLOSED);
        assertThat(ConcernStatus.RAISED.after(Action.LINK)).isEqualTo(ConcernStatus.RAISED);
        assertThat(ConcernStatus.SCREENED.after(Action.LINK)).isEqualTo(ConcernStatus.SCREENED);
    }

    @Test
    void anOutcomeBeforeAnyScreeningIsRefused() {
        assertThatThrownBy(() -> ConcernStatus.RAISED.after(Action.RECORD_OUTCOME))
                .isInstanceOf(ConflictException.class)
                .hasMessage("cannot go from raised to closed")
                .extracting(e -> ((ConflictException) e).rule())
                .isEqualTo("illegal-transition");
    }

    @Test
    void nothingChangesAClosedConcern() {
        for (Action a : Action.values()) {
            assertThat(ConcernStatus.CLOSED.allows(a)).as(a.name()).isFalse();
            assertThatThrownBy(() -> ConcernStatus.CLOSED.after(a))
                    .isInstanceOf(ConflictException.class)
                    .hasMessageStartingWith("cannot go from closed to ");
        }
    }

    @Test
    void youngestPossibleAgeIsUsedForPartialDatesOfBirth() {
        LocalDate on = LocalDate.of(2025, 6, 30);
        assertThat(ConcernService.youngestAge(2011, 6, 30, on)).isEqualTo(14);
        assertThat(ConcernService.youngestAge(2011, 7, 1, on)).isEqualTo(13);
        // Born some time in 2011: could be 13 (born after 30 June), so 13.
        assertThat(ConcernService.youngestAge(2011, null, null, on)).isEqualTo(13);
        // June 2011: at the latest 30 June, so 14 today.
        assertThat(ConcernService.youngestAge(2011, 6, null, on)).isEqualTo(14);
        assertThat(ConcernService.youngestAge(null, null, null, on)).isNull();
    }
}
