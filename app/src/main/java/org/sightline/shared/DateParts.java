package org.sightline.shared;

/** A date that may be partial (year only, year and month, or full), as agencies hold dates of birth. */
public interface DateParts {

    Integer year();

    Integer month();

    Integer day();
}
