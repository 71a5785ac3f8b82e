package org.sightline.person;

/** What a user searched by; at least a family name or a year of birth. */
public record SearchCriteria(String givenName, String familyName, PartialDate dateOfBirth) {

    public boolean isEmpty() {
        return blank(familyName) && blank(givenName) && dateOfBirth.isUnknown();
    }

    /** For the audit trail: which fields were used, not their values' meaning. */
    public String describe() {
        return "given=" + nullToEmpty(givenName) + ";family=" + nullToEmpty(familyName) + ";dob="
                + dateOfBirth.display();
    }

    static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s.trim();
    }
}
