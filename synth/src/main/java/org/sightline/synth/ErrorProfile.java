package org.sightline.synth;

/**
 * Rates of the errors applied to each agency record, per record, before the agency-type factor.
 * synth/README.md documents these; change both together. Rates are probabilities that a record
 * shows the error (where it can apply: a nickname needs a known nickname, a day/month swap needs a
 * day of 12 or less).
 */
final class ErrorProfile {

    private ErrorProfile() {}

    // Given name
    static final double GIVEN_NICKNAME = 0.08;
    static final double GIVEN_SPELLING = 0.04;
    static final double GIVEN_TYPO = 0.03;
    static final double GIVEN_MISSING = 0.003;
    // Family name
    static final double FAMILY_TYPO = 0.03;
    static final double FAMILY_SPELLING = 0.03;
    static final double FAMILY_CHANGED = 0.015;
    /** For a double-barrelled surname: record holds only one part, or a space instead of the hyphen. */
    static final double DOUBLE_BARREL_VARIANT = 0.5;

    static final double NAME_SWAP = 0.015;
    // Middle names (truth has them for about 55% of children)
    static final double MIDDLE_AS_INITIAL = 0.2;
    // Date of birth
    static final double DOB_MISSING = 0.015;
    static final double DOB_YEAR_MONTH = 0.015;
    static final double DOB_YEAR_ONLY = 0.01;
    static final double DOB_DAY_MONTH_SWAP = 0.02;
    static final double DOB_DIGIT = 0.02;
    static final double DOB_YEAR_OFF_BY_ONE = 0.01;
    // Sex
    static final double SEX_WRONG = 0.003;
    static final double SEX_UNKNOWN = 0.01;
    // Address
    static final double ADDRESS_STALE = 0.10;
    static final double POSTCODE_MISSING = 0.08;
    static final double POSTCODE_TYPO = 0.01;
    // Formatting
    static final double UPPERCASE_FAMILY = 0.15;
    static final double STRAY_WHITESPACE = 0.005;
    // Aliases
    static final double ALIASES = 0.04;

    /** Multiplier on the error rates by agency type: police records are made in a hurry, providers know the child. */
    static double factor(String agencyKind) {
        return switch (agencyKind) {
            case "police_force" -> 1.3;
            case "local_authority" -> 0.8;
            default -> 0.7;
        };
    }
}
