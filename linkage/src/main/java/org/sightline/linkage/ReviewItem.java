package org.sightline.linkage;

/**
 * A pair for human review: its weight is in the uncertain band, or the cluster guard or a constraint refused it.
 *
 * @param reason {@code uncertain}, {@code weak_cluster_link}, {@code cannot_link} or {@code override_conflict}
 */
public record ReviewItem(String idA, String idB, double weight, double probability, String reason) {}
