package org.sightline.shared;

/**
 * The request is well formed but conflicts with the current state: a stale version (optimistic locking) or an
 * illegal lifecycle transition. Answered 409 with the reason.
 */
public class ConflictException extends RuntimeException {

    private final String rule;

    public ConflictException(String rule, String message) {
        super(message);
        this.rule = rule;
    }

    public static ConflictException staleVersion(String what) {
        return new ConflictException(
                "stale-version",
                what + " was changed by someone else since you read it; " + "read it again and reapply your change");
    }

    public static ConflictException illegalTransition(String from, String to) {
        return new ConflictException("illegal-transition", "cannot go from " + from + " to " + to);
    }

    public String rule() {
        return rule;
    }
}
