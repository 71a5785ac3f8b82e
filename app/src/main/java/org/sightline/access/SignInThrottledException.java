package org.sightline.access;

import java.io.Serial;
import java.time.Duration;
import java.time.Instant;
import org.springframework.security.core.AuthenticationException;

/** Too many failed sign-ins for the account name or from the source: refused without checking the password. */
final class SignInThrottledException extends AuthenticationException {

    @Serial
    private static final long serialVersionUID = 1L;

    private final Instant until;
    private final Instant at;

    SignInThrottledException(Instant until, Instant at) {
        super("too many sign-in attempts");
        this.until = until;
        this.at = at;
    }

    Instant until() {
        return until;
    }

    /** Whole seconds until the lock ends, at least one (for Retry-After). */
    long retryAfterSeconds() {
        Duration left = Duration.between(at, until);
        return Math.max(1, left.getSeconds() + (left.getNano() > 0 ? 1 : 0));
    }

    /** Whole minutes until the lock ends, at least one (for the sign-in page). */
    long retryAfterMinutes() {
        return (retryAfterSeconds() + 59) / 60;
    }
}
