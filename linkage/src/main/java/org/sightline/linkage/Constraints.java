package org.sightline.linkage;

import java.util.List;

/**
 * Human decisions that override the model: must-link pairs always end in one identity (unless that breaks a
 * cannot-link, which is then reported as an override conflict); cannot-link pairs never do. Pairs are record ids.
 */
public record Constraints(List<Pair> mustLink, List<Pair> cannotLink) {
    public static final Constraints NONE = new Constraints(List.of(), List.of());

    public Constraints {
        mustLink = List.copyOf(mustLink);
        cannotLink = List.copyOf(cannotLink);
    }

    /** Two record ids. */
    public record Pair(String a, String b) {}
}
