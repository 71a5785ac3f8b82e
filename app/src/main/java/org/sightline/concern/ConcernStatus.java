package org.sightline.concern;

import java.util.Locale;
import org.sightline.shared.ConflictException;

/**
 * The concern lifecycle: raised → screened (screening again keeps it screened) → closed with an outcome. Links
 * may be added until it is closed. Anything else is refused as an illegal transition.
 */
enum ConcernStatus {
    RAISED,
    SCREENED,
    CLOSED;

    /** What can be done to a concern. */
    enum Action {
        SCREEN,
        LINK,
        RECORD_OUTCOME
    }

    String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    static ConcernStatus of(String code) {
        return valueOf(code.toUpperCase(Locale.ROOT));
    }

    boolean allows(Action action) {
        return switch (action) {
            case SCREEN, LINK -> this != CLOSED;
            case RECORD_OUTCOME -> this == SCREENED;
        };
    }

    /** The status after the action, or {@link ConflictException} naming both ends. */
    ConcernStatus after(Action action) {
        if (!allows(action)) {
            throw ConflictException.illegalTransition(code(), target(action));
        }
        return switch (action) {
            case SCREEN -> SCREENED;
            case LINK -> this;
            case RECORD_OUTCOME -> CLOSED;
        };
    }

    private static String target(Action action) {
        return switch (action) {
            case SCREEN -> "screened";
            case LINK -> "linked";
            case RECORD_OUTCOME -> "closed";
        };
    }
}
