package org.sightline.linkage.model;

/** Which record pairs are candidates. */
public enum LinkType {
    /** Pairs within one collection of records (every source together). */
    DEDUPE,
    /** Only pairs whose records come from different sources (e.g. FEBRL4 file A against file B). */
    LINK_ONLY,
    /** Pairs within and across sources. */
    LINK_AND_DEDUPE
}
