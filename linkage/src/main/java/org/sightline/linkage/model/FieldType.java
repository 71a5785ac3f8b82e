package org.sightline.linkage.model;

/** What a field holds; decides how it is normalised and which comparison levels it gets by default. */
public enum FieldType {
    /** A given (first) name: lower-cased, accents and punctuation removed; nickname groups and phonetic code kept. */
    GIVEN_NAME,
    /** A family name (surname): as {@link #GIVEN_NAME} without nicknames. */
    FAMILY_NAME,
    /**
     * A whole name in one value (one column, or several joined: given, middle and family names): titles and
     * suffixes removed, "FAMILY, Given" turned to "given family"; compared as a set of words in any order.
     */
    FULL_NAME,
    /** A date of birth or other date; stored as digits yyyymmdd, yyyymm or yyyy (partial dates keep their precision). */
    DATE,
    /** A UK postcode: upper-cased without spaces so that sector and district can be derived. */
    POSTCODE,
    /** An e-mail address: lower-cased and trimmed. */
    EMAIL,
    /** Free text such as an address line or town: lower-cased, punctuation removed, spaces collapsed. */
    TEXT,
    /** A code or identifier compared only for equality after trimming (sex, state, street number). */
    CODE
}
