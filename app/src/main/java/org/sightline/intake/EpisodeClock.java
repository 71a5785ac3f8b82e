package org.sightline.intake;

import java.time.Duration;
import java.time.Instant;

/**
 * The two clocks practice measures an episode by, computed from instants so they stay exact across the clock
 * changes (a return interview due 72 hours after a Saturday-morning find is due at the same UTC instant whatever
 * the wall clock did on Sunday).
 *
 * @param returnInterviewDueAt found + 72 hours, or null while the child is missing
 * @param returnInterview      where the 72-hour duty stands now
 * @param missingFor           from last seen (or the report, when last seen is unknown) to found, or to now
 * @param over24Hours          missing for more than 24 hours (the DfE and UKMPU measure)
 */
public record EpisodeClock(
        Instant returnInterviewDueAt,
        ReturnInterviewClock returnInterview,
        Duration missingFor,
        boolean over24Hours,
        boolean stillMissing) {

    /** The statutory return-interview window; the home page's work lists count against it too. */
    public static final Duration RETURN_INTERVIEW_WITHIN = Duration.ofHours(72);

    static final Duration LONG_EPISODE = Duration.ofHours(24);

    enum ReturnInterviewClock {
        /** The child has not been found yet: the clock has not started. */
        NOT_STARTED,
        DUE,
        OVERDUE,
        COMPLETED_IN_TIME,
        COMPLETED_LATE,
        /** The child declined: the offer was made, there is nothing left to be late for. */
        DECLINED,
        /** The episode was closed without the clock running (should not happen through the lifecycle). */
        NOT_APPLICABLE
    }

    static EpisodeClock of(
            Instant reportedAt,
            Instant lastSeenAt,
            Instant foundAt,
            ReturnInterviewStatus interview,
            Instant interviewCompletedAt,
            Instant now) {
        Instant start = lastSeenAt != null ? lastSeenAt : reportedAt;
        Instant end = foundAt != null ? foundAt : now;
        Duration missing = end.isBefore(start) ? Duration.ZERO : Duration.between(start, end);
        Instant due = foundAt == null ? null : foundAt.plus(RETURN_INTERVIEW_WITHIN);
        ReturnInterviewClock state;
        if (due == null) {
            state = ReturnInterviewClock.NOT_STARTED;
        } else if (interview == ReturnInterviewStatus.COMPLETED) {
            state = interviewCompletedAt != null && interviewCompletedAt.isAfter(due)
                    ? ReturnInterviewClock.COMPLETED_LATE
                    : ReturnInterviewClock.COMPLETED_IN_TIME;
        } else if (interview == ReturnInterviewStatus.DECLINED) {
            state = ReturnInterviewClock.DECLINED;
        } else {
            state = now.isAfter(due) ? ReturnInterviewClock.OVERDUE : ReturnInterviewClock.DUE;
        }
        return new EpisodeClock(due, state, missing, missing.compareTo(LONG_EPISODE) > 0, foundAt == null);
    }

    /** Whole hours missing, for display ("missing for 27 hours"). */
    long missingHours() {
        return missingFor.toHours();
    }

    boolean overdue() {
        return returnInterview == ReturnInterviewClock.OVERDUE;
    }
}
