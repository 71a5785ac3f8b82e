package org.sightline.network;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * What an end of an association is (the {@code association.from_kind / to_kind} codes). Children appear through their
 * records, missing episodes and exploitation concerns; adults of concern, places, vehicles and phones are the network
 * entities this package holds.
 */
public enum EntityKind {
    PERSON_RECORD("person_record", null, null, null),
    EPISODE("episode", null, null, null),
    CONCERN("concern", null, null, null),
    ADULT("adult", "adult_of_concern", "adult_ref", "WAD"),
    LOCATION("location", "location", "location_ref", "WLO"),
    VEHICLE("vehicle", "vehicle", "vehicle_ref", "WVE"),
    PHONE("phone", "phone", "phone_ref", "WPH");

    /** The entities that can be linked to a child, a concern or each other, in the order offered. */
    public static final List<EntityKind> ENTITIES = List.of(ADULT, LOCATION, VEHICLE, PHONE);
    /** Their codes, as forms and the API name them. */
    public static final List<String> ENTITY_CODES =
            ENTITIES.stream().map(EntityKind::code).toList();

    private final String code;
    private final String table;
    private final String refColumn;
    private final String refPrefix;

    EntityKind(String code, String table, String refColumn, String refPrefix) {
        this.code = code;
        this.table = table;
        this.refColumn = refColumn;
        this.refPrefix = refPrefix;
    }

    public String code() {
        return code;
    }

    String table() {
        return table;
    }

    String refColumn() {
        return refColumn;
    }

    String refPrefix() {
        return refPrefix;
    }

    public boolean isEntity() {
        return table != null;
    }

    /** True for the ends that stand for a child: a record, an episode or a concern. */
    public boolean isChildEnd() {
        return table == null;
    }

    public static Optional<EntityKind> of(String code) {
        return Arrays.stream(values()).filter(k -> k.code.equals(code)).findFirst();
    }

    /** An entity kind (adult, location, vehicle, phone) from its code, if it is one. */
    public static Optional<EntityKind> entity(String code) {
        return of(code).filter(EntityKind::isEntity);
    }

    /** The association types a child or concern may have with an entity of this kind; the first is the default. */
    public List<String> linkTypes() {
        return switch (this) {
            case ADULT -> List.of("seen_with");
            case LOCATION -> List.of("frequents", "found_at");
            case VEHICLE -> List.of("seen_in");
            case PHONE -> List.of("contacted_by");
            default -> List.of();
        };
    }

    public String defaultType() {
        return linkTypes().get(0);
    }

    /** Adults are held by the agency that recorded them; places, vehicles and phones may be on the national register. */
    String visibleSql() {
        return this == ADULT ? "e.agency_id = :agencyId" : "(e.agency_id = :agencyId OR a.agency_type = 'national')";
    }
}
