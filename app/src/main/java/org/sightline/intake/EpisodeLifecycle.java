package org.sightline.intake;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.sightline.shared.ConflictException;

/**
 * The one place that decides which step may follow which. An episode's state is its status plus, once the return
 * interview has started, that interview's progress:
 * <pre>
 * reported ─grade→ graded ─found→ found ─safe&amp;well→ safe_and_well_checked ─offer→ return_interview(offered)
 * return_interview: offered ─accept→ accepted ─complete→ completed;  offered|accepted ─decline→ declined ─offer→ offered
 * return_interview(completed|declined) ─close→ closed
 * </pre>
 * Grading is allowed in any open state (re-grading appends to the history; only reported→graded changes status).
 * A child must be graded before being recorded found: APP requires every report to be risk-assessed.
 * <p>
 * A return interview's outcome may be recorded in one save ({@link #steps}): "completed" from safe and well checked
 * is offer, accept, complete, each a transition of this table.
 */
final class EpisodeLifecycle {

    record State(EpisodeStatus status, ReturnInterviewStatus returnInterview) {

        static State of(String status, String returnInterview) {
            return new State(EpisodeStatus.ofCode(status), ReturnInterviewStatus.ofCode(returnInterview));
        }

        @Override
        public String toString() {
            return status == EpisodeStatus.RETURN_INTERVIEW
                    ? "return interview " + returnInterview.code().replace('_', ' ')
                    : status.code().replace('_', ' ');
        }
    }

    private EpisodeLifecycle() {}

    /** The state after {@code action}, or {@link IllegalStep} (rule illegal-transition) saying why not. */
    static State apply(State from, EpisodeAction action) {
        State to = next(from, action);
        if (to == null) {
            throw new IllegalStep(from, action);
        }
        return to;
    }

    /**
     * The transitions that reach {@code target} from {@code from}: {@code [target]} when it follows directly,
     * otherwise the shortest run of return interview steps ending in it (offer, accept, complete). Refused as
     * {@link #apply} refuses when none does.
     */
    static List<EpisodeAction> steps(State from, EpisodeAction target) {
        if (!target.path().equals("return-interview")) {
            apply(from, target);
            return List.of(target);
        }
        for (List<EpisodeAction> run : List.of(
                List.of(target),
                List.of(EpisodeAction.OFFER_RETURN_INTERVIEW, target),
                List.of(EpisodeAction.ACCEPT_RETURN_INTERVIEW, target),
                List.of(EpisodeAction.OFFER_RETURN_INTERVIEW, EpisodeAction.ACCEPT_RETURN_INTERVIEW, target))) {
            State state = from;
            for (EpisodeAction action : run) {
                state = state == null ? null : next(state, action);
            }
            if (state != null) {
                return run;
            }
        }
        throw new IllegalStep(from, target);
    }

    /** State after each of {@code actions} in turn. */
    static State applyAll(State from, List<EpisodeAction> actions) {
        State state = from;
        for (EpisodeAction action : actions) {
            state = apply(state, action);
        }
        return state;
    }

    /**
     * What must happen before {@code action} can be taken, for a refusal in plain words: grade, found,
     * safe-and-well, interview-finished; already (the episode has moved past it); closed.
     */
    static String requirement(State from, EpisodeAction action) {
        EpisodeStatus s = from.status();
        if (s == EpisodeStatus.CLOSED) {
            return "closed";
        }
        EpisodeStatus needed =
                switch (action) {
                    case GRADE -> EpisodeStatus.REPORTED;
                    case RECORD_FOUND -> EpisodeStatus.GRADED;
                    case SAFE_AND_WELL -> EpisodeStatus.FOUND;
                    case OFFER_RETURN_INTERVIEW,
                            ACCEPT_RETURN_INTERVIEW,
                            DECLINE_RETURN_INTERVIEW,
                            COMPLETE_RETURN_INTERVIEW -> EpisodeStatus.SAFE_AND_WELL_CHECKED;
                    case CLOSE -> EpisodeStatus.RETURN_INTERVIEW;
                };
        if (s.ordinal() < needed.ordinal()) {
            return switch (s) {
                case REPORTED -> "grade";
                case GRADED -> "found";
                case FOUND -> "safe-and-well";
                default -> "interview-finished";
            };
        }
        return action == EpisodeAction.CLOSE ? "interview-finished" : "already";
    }

    /** A step that does not follow from the episode's state; says what must happen first. */
    static final class IllegalStep extends ConflictException {

        private final String requirement;
        private final EpisodeAction action;

        IllegalStep(State from, EpisodeAction action) {
            super(
                    "illegal-transition",
                    "Cannot " + describe(action) + " while the episode is " + from + ". " + hint(from, action));
            this.requirement = requirement(from, action);
            this.action = action;
        }

        /** Message key of the refusal on pages: {@code intake.refusal.<requirement>.<step>}. */
        String messageKey() {
            return switch (requirement) {
                case "closed", "already" -> "intake.refusal." + requirement;
                default -> "intake.refusal." + requirement + "." + action.path();
            };
        }
    }

    static Set<EpisodeAction> allowed(State from) {
        Set<EpisodeAction> allowed = EnumSet.noneOf(EpisodeAction.class);
        for (EpisodeAction action : EpisodeAction.values()) {
            if (next(from, action) != null) {
                allowed.add(action);
            }
        }
        return allowed;
    }

    private static State next(State from, EpisodeAction action) {
        EpisodeStatus s = from.status();
        ReturnInterviewStatus ri = from.returnInterview();
        return switch (action) {
            case GRADE -> s == EpisodeStatus.CLOSED
                    ? null
                    : s == EpisodeStatus.REPORTED ? new State(EpisodeStatus.GRADED, ri) : from;
            case RECORD_FOUND -> s == EpisodeStatus.GRADED ? new State(EpisodeStatus.FOUND, ri) : null;
            case SAFE_AND_WELL -> s == EpisodeStatus.FOUND ? new State(EpisodeStatus.SAFE_AND_WELL_CHECKED, ri) : null;
            case OFFER_RETURN_INTERVIEW -> s == EpisodeStatus.SAFE_AND_WELL_CHECKED
                            || s == EpisodeStatus.RETURN_INTERVIEW && ri == ReturnInterviewStatus.DECLINED
                    ? new State(EpisodeStatus.RETURN_INTERVIEW, ReturnInterviewStatus.OFFERED)
                    : null;
            case ACCEPT_RETURN_INTERVIEW -> s == EpisodeStatus.RETURN_INTERVIEW && ri == ReturnInterviewStatus.OFFERED
                    ? new State(s, ReturnInterviewStatus.ACCEPTED)
                    : null;
            case DECLINE_RETURN_INTERVIEW -> s == EpisodeStatus.RETURN_INTERVIEW
                            && (ri == ReturnInterviewStatus.OFFERED || ri == ReturnInterviewStatus.ACCEPTED)
                    ? new State(s, ReturnInterviewStatus.DECLINED)
                    : null;
            case COMPLETE_RETURN_INTERVIEW -> s == EpisodeStatus.RETURN_INTERVIEW
                            && ri == ReturnInterviewStatus.ACCEPTED
                    ? new State(s, ReturnInterviewStatus.COMPLETED)
                    : null;
            case CLOSE -> s == EpisodeStatus.RETURN_INTERVIEW
                            && (ri == ReturnInterviewStatus.COMPLETED || ri == ReturnInterviewStatus.DECLINED)
                    ? new State(EpisodeStatus.CLOSED, ri)
                    : null;
        };
    }

    private static String describe(EpisodeAction action) {
        return switch (action) {
            case GRADE -> "grade the risk";
            case RECORD_FOUND -> "record the child found";
            case SAFE_AND_WELL -> "record the safe and well check";
            case OFFER_RETURN_INTERVIEW -> "offer a return interview";
            case ACCEPT_RETURN_INTERVIEW -> "record the return interview accepted";
            case DECLINE_RETURN_INTERVIEW -> "record the return interview declined";
            case COMPLETE_RETURN_INTERVIEW -> "record the return interview completed";
            case CLOSE -> "close the episode";
        };
    }

    private static String hint(State from, EpisodeAction action) {
        if (from.status() != EpisodeStatus.CLOSED
                && action.path().equals("return-interview")
                && from.status().ordinal() < EpisodeStatus.SAFE_AND_WELL_CHECKED.ordinal()) {
            return switch (from.status()) {
                case FOUND -> "Record the safe and well check before recording a return interview.";
                default -> "Record that the child has been found before recording a return interview.";
            };
        }
        return switch (from.status()) {
            case REPORTED -> "Grade the risk first.";
            case GRADED -> "Record the child found first.";
            case FOUND -> "Record the safe and well check first.";
            case SAFE_AND_WELL_CHECKED -> "Offer the return interview first.";
            case RETURN_INTERVIEW -> switch (from.returnInterview()) {
                case OFFERED -> "Record whether the child accepted or declined the interview first.";
                case ACCEPTED -> "Record the interview completed or declined first.";
                default -> "The return interview is finished; the episode can be closed.";
            };
            case CLOSED -> "A closed episode cannot change.";
        };
    }
}
