package org.sightline.network;

import java.time.Instant;
import java.util.UUID;

/** What the network service returns to other capabilities. */
public final class NetworkViews {

    private NetworkViews() {}

    /** A stored entity: its row id (for associations), public id and reference. */
    public record Entity(EntityKind kind, long id, UUID publicId, String ref) {}

    /** An adult, place, vehicle or phone linked to something, with the link. */
    public record Linked(
            UUID associationId,
            String kind,
            String type,
            UUID targetId,
            String targetRef,
            String description,
            String heldBy,
            Instant linkedAt) {}

    /** Something that can be linked, as offered in a chooser. */
    public record Linkable(UUID id, String kind, String ref, String description, String heldBy) {}
}
