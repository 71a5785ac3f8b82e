package org.sightline.statistics;

import java.time.LocalDate;

/**
 * Which children a figure covers. {@code area}: an agency code, or an area code agencies carry (a police force area,
 * an authority), a region ({@code E12000001}-{@code E12000009}), {@code E92000001} England, {@code W92000004} Wales, {@code K04000001} England and Wales, or null
 * for all. The period (dates inclusive, Europe/London) selects concerns raised in it; ages are at {@code asAt}.
 */
public record ProfileQuery(String area, LocalDate from, LocalDate to, LocalDate asAt) {

    public static final String ENGLAND = "E92000001";
    public static final String WALES = "W92000004";
    public static final String ENGLAND_AND_WALES = "K04000001";
}
