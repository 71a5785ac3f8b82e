package org.sightline.ssda903;

import java.time.LocalDate;

/**
 * An SSDA903 collection year, named as the DfE names it: by the year in which the collection ENDS. Collection
 * year 2025 runs from 1 April 2024 to 31 March 2025 inclusive.
 */
public record CollectionYear(int endYear) {

    public CollectionYear {
        if (endYear < 1992 || endYear > 2100) {
            throw new IllegalArgumentException("year must be the year the collection ends, 1992 to 2100");
        }
    }

    public static CollectionYear parse(String text) {
        try {
            return new CollectionYear(Integer.parseInt(text == null ? "" : text.strip()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("year must be four digits: the year the collection ends, e.g. 2025");
        }
    }

    /** 1 April of the previous calendar year. */
    public LocalDate start() {
        return LocalDate.of(endYear - 1, 4, 1);
    }

    /** 31 March of {@link #endYear()}. */
    public LocalDate end() {
        return LocalDate.of(endYear, 3, 31);
    }

    public CollectionYear previous() {
        return new CollectionYear(endYear - 1);
    }

    /** "2024 to 2025": how people say it. */
    public String label() {
        return (endYear - 1) + " to " + endYear;
    }
}
