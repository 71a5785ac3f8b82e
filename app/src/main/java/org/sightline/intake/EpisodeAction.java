package org.sightline.intake;

import java.util.Locale;

/** What a user can do to an episode. The path segment names the web form and the API sub-resource. */
enum EpisodeAction {
    GRADE("grade"),
    RECORD_FOUND("found"),
    SAFE_AND_WELL("safe-and-well"),
    OFFER_RETURN_INTERVIEW("return-interview"),
    ACCEPT_RETURN_INTERVIEW("return-interview"),
    DECLINE_RETURN_INTERVIEW("return-interview"),
    COMPLETE_RETURN_INTERVIEW("return-interview"),
    CLOSE("close");

    private final String path;

    EpisodeAction(String path) {
        this.path = path;
    }

    String path() {
        return path;
    }

    /** Message-key suffix and API name, e.g. {@code record_found}. */
    String code() {
        return name().toLowerCase(Locale.ROOT);
    }
}
