package org.sightline.intake;

/** {@code missing_episode.return_interview_status}: the independent return interview's progress. */
enum ReturnInterviewStatus {
    /** Imported from a file that left it blank. */
    NOT_RECORDED,
    NOT_OFFERED,
    OFFERED,
    ACCEPTED,
    DECLINED,
    COMPLETED;

    String code() {
        return name().toLowerCase();
    }

    static ReturnInterviewStatus ofCode(String code) {
        return valueOf(code.toUpperCase());
    }
}
