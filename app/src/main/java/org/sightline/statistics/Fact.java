package org.sightline.statistics;

import java.util.Set;
import java.util.TreeSet;

/**
 * One fact about one identity, gathered across its records by the most-informative rule: a known value beats not
 * known, and not known beats not recorded; two different known values are {@link #CONFLICTING}, never resolved here
 * (they are listed for correction instead).
 */
final class Fact {

    static final String NOT_KNOWN = "NOT_KNOWN";
    static final String NOT_RECORDED = "NOT_RECORDED";
    static final String CONFLICTING = "CONFLICTING";

    private final Set<String> known = new TreeSet<>();
    private boolean notKnown;

    /** A record's value: a known code, {@link #NOT_KNOWN}, or {@link #NOT_RECORDED} / null. */
    Fact add(String value) {
        if (value == null || NOT_RECORDED.equals(value)) {
            return this;
        }
        if (NOT_KNOWN.equals(value)) {
            notKnown = true;
        } else {
            known.add(value);
        }
        return this;
    }

    boolean has(String value) {
        return known.contains(value);
    }

    /** The known values, for the conflicts list. */
    Set<String> known() {
        return known;
    }

    String result() {
        if (known.size() > 1) {
            return CONFLICTING;
        }
        if (known.size() == 1) {
            return known.iterator().next();
        }
        return notKnown ? NOT_KNOWN : NOT_RECORDED;
    }

    static boolean isUnknown(String code) {
        return NOT_KNOWN.equals(code) || NOT_RECORDED.equals(code) || CONFLICTING.equals(code);
    }
}
