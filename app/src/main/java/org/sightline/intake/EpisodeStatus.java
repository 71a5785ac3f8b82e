package org.sightline.intake;

/** {@code missing_episode.status}: where an episode stands in its lifecycle. */
enum EpisodeStatus {
    REPORTED,
    GRADED,
    FOUND,
    SAFE_AND_WELL_CHECKED,
    RETURN_INTERVIEW,
    CLOSED;

    String code() {
        return name().toLowerCase();
    }

    static EpisodeStatus ofCode(String code) {
        return valueOf(code.toUpperCase());
    }
}
