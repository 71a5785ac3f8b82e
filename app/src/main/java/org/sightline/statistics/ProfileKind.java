package org.sightline.statistics;

import java.util.Arrays;
import java.util.Optional;

/** The profile reports: who is counted, and what the count is called in the output. */
public enum ProfileKind {
    VICTIM("victim-profile", "children"),
    ADULT("adult-profile", "adults");

    private final String code;
    private final String subjectKey;

    ProfileKind(String code, String subjectKey) {
        this.code = code;
        this.subjectKey = subjectKey;
    }

    public String code() {
        return code;
    }

    /** The JSON key of the number counted: {@code children} or {@code adults}. */
    public String subjectKey() {
        return subjectKey;
    }

    public static Optional<ProfileKind> fromCode(String code) {
        return Arrays.stream(values()).filter(k -> k.code.equals(code)).findFirst();
    }
}
