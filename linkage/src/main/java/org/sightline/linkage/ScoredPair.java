package org.sightline.linkage;

/** A scored candidate pair: record indexes and ids, match weight (bits) and probability. */
public record ScoredPair(int a, int b, String idA, String idB, double weight, double probability) {}
