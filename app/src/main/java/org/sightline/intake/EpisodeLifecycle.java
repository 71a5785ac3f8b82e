package org.sightline.intake;

import java.util.EnumSet;
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

    private EpisodeLifecycle() {
    }

    /** The state after {@code action}, or {@link ConflictException} (rule illegal-transition) saying why not. */
    static State apply(State from, EpisodeAction action) {
        State to = next(from, action);
        if (to == null) {
            throw new ConflictException("illegal-transition", "Cannot " + describe(action) + " while the episode is "
                    + from + ". " + hint(from));
        }
        return to;
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
            case GRADE -> s == EpisodeStatus.CLOSED ? null
                    : s == EpisodeStatus.REPORTED ? new State(EpisodeStatus.GRADED, ri) : from;
            case RECORD_FOUND -> s == EpisodeStatus.GRADED ? new State(EpisodeStatus.FOUND, ri) : null;
            case SAFE_AND_WELL -> s == EpisodeStatus.FOUND ? new State(EpisodeStatus.SAFE_AND_WELL_CHECKED, ri) : null;
            case OFFER_RETURN_INTERVIEW -> s == EpisodeStatus.SAFE_AND_WELL_CHECKED
                    || s == EpisodeStatus.RETURN_INTERVIEW && ri == ReturnInterviewStatus.DECLINED
                    ? new State(EpisodeStatus.RETURN_INTERVIEW, ReturnInterviewStatus.OFFERED) : null;
            case ACCEPT_RETURN_INTERVIEW -> s == EpisodeStatus.RETURN_INTERVIEW && ri == ReturnInterviewStatus.OFFERED
                    ? new State(s, ReturnInterviewStatus.ACCEPTED) : null;
            case DECLINE_RETURN_INTERVIEW -> s == EpisodeStatus.RETURN_INTERVIEW
                    && (ri == ReturnInterviewStatus.OFFERED || ri == ReturnInterviewStatus.ACCEPTED)
                    ? new State(s, ReturnInterviewStatus.DECLINED) : null;
            case COMPLETE_RETURN_INTERVIEW -> s == EpisodeStatus.RETURN_INTERVIEW && ri == ReturnInterviewStatus.ACCEPTED
                    ? new State(s, ReturnInterviewStatus.COMPLETED) : null;
            case CLOSE -> s == EpisodeStatus.RETURN_INTERVIEW
                    && (ri == ReturnInterviewStatus.COMPLETED || ri == ReturnInterviewStatus.DECLINED)
                    ? new State(EpisodeStatus.CLOSED, ri) : null;
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

    private static String hint(State from) {
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
