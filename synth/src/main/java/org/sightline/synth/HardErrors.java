package org.sightline.synth;

import java.util.Locale;

/**
 * The {@code --errors hard} profile: errors on top of the default ones, for testing linkage where blocking fields are
 * missing or garbled (synth/README.md, "Error profiles"). Drawn from a stream of their own, so the default profile's
 * output stays byte-identical.
 */
final class HardErrors {

    private HardErrors() {}

    static final double FAMILY_MISSING = 0.10;
    static final double DOB_MISSING = 0.20;
    /** Of the birth dates still recorded: a day or month that no calendar has (day 32-79, month 13-19). */
    static final double DOB_IMPOSSIBLE = 0.06;

    static final double GIVEN_TRUNCATED = 0.05;
    static final double FAMILY_TRUNCATED = 0.03;
    /** Given and family names exchanged (on top of the default profile's swaps). */
    static final double NAMES_REORDERED = 0.05;
    /** Share of care providers and of police forces that hold only a full name, in the given_name column. */
    static final double FULL_NAME_ONLY_AGENCY = 0.3;

    // person_records.csv columns (Table.PERSON_RECORDS)
    private static final int GIVEN = 2;
    private static final int MIDDLE = 3;
    private static final int FAMILY = 4;
    private static final int DOB = 6;

    /** True when this agency's system has one name field (the same for every record of the agency). */
    static boolean fullNameOnly(long seed, RefData.Agency agency) {
        if (agency.la()) {
            return false;
        }
        return new Rnd(Rnd.mix(seed, 31, agency.code().hashCode())).chance(FULL_NAME_ONLY_AGENCY);
    }

    /** Applies the hard errors to one person record row in place. */
    static void apply(Rnd rnd, String[] row, boolean fullNameOnly) {
        String given = row[GIVEN];
        String family = row[FAMILY];
        if (rnd.chance(GIVEN_TRUNCATED) && given.strip().length() > 4) {
            given = given.strip().substring(0, rnd.between(3, 4));
        }
        if (rnd.chance(FAMILY_TRUNCATED) && family.strip().length() > 4) {
            family = family.strip().substring(0, rnd.between(3, 4));
        }
        if (rnd.chance(NAMES_REORDERED)) {
            String t = given;
            given = family;
            family = t;
        }
        if (rnd.chance(FAMILY_MISSING)) {
            family = "";
        }
        if (fullNameOnly) {
            // one name field: "Given Middle Family", or "FAMILY, Given Middle" as some case systems print it
            String middle = row[MIDDLE];
            boolean familyFirst = rnd.chance(0.3) && !family.isBlank();
            StringBuilder b = new StringBuilder();
            if (familyFirst) {
                b.append(family.toUpperCase(Locale.ROOT)).append(", ").append(given.strip());
                if (!middle.isBlank()) {
                    b.append(' ').append(middle);
                }
            } else {
                b.append(given.strip());
                if (!middle.isBlank()) {
                    b.append(' ').append(middle);
                }
                if (!family.isBlank()) {
                    b.append(' ').append(family.strip());
                }
            }
            given = b.toString().strip();
            family = "";
            row[MIDDLE] = "";
        }
        row[GIVEN] = given;
        row[FAMILY] = family;
        String dob = row[DOB];
        if (rnd.chance(DOB_MISSING)) {
            row[DOB] = "";
        } else if (dob.length() == 10 && rnd.chance(DOB_IMPOSSIBLE)) {
            row[DOB] = rnd.chance(0.7)
                    ? dob.substring(0, 8) + rnd.between(32, 79)
                    : dob.substring(0, 5) + rnd.between(13, 19) + dob.substring(7);
        }
    }
}
