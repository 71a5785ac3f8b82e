package org.sightline.synth;

import java.util.List;

/**
 * The tables the generator writes, in the synth output contract's names and column order.
 * Agency tables hold what agencies would see; {@link #truth()} tables hold the true identities and
 * networks and must never be loaded next to the agency data as if an agency held them.
 */
public enum Table {
    AGENCIES("agencies.csv", false, "agency_code", "agency_type", "name", "area_code"),
    PERSON_RECORDS(
            "person_records.csv",
            false,
            "record_ref",
            "agency_code",
            "given_name",
            "middle_names",
            "family_name",
            "aliases",
            "dob",
            "sex",
            "ethnicity_code",
            "ethnicity_scheme",
            "address_line",
            "postcode",
            "upn",
            "local_child_id",
            "care_status",
            "responsible_authority",
            "cp_plan",
            "known_to_social_care",
            "recorded_at"),
    MISSING_EPISODES(
            "missing_episodes.csv",
            false,
            "episode_ref",
            "agency_code",
            "record_ref",
            "reported_at",
            "last_seen_at",
            "last_seen_place",
            "last_seen_postcode",
            "missing_from",
            "category",
            "risk_grade",
            "found_at",
            "found_place",
            "found_postcode",
            "found_by",
            "safe_and_well_at",
            "return_interview",
            "return_interview_at"),
    CONCERNS(
            "concerns.csv",
            false,
            "concern_ref",
            "agency_code",
            "record_ref",
            "raised_at",
            "raised_by_role",
            "indicators",
            "outcome"),
    ADULTS_OF_CONCERN(
            "adults_of_concern.csv",
            false,
            "adult_ref",
            "agency_code",
            "given_name",
            "family_name",
            "dob",
            "sex",
            "ethnicity_code",
            "ethnicity_scheme"),
    LOCATIONS("locations.csv", false, "location_ref", "kind", "name", "postcode", "area_code"),
    /** Invented positions of the invented postcode districts, for the hotspot map; not real places. */
    POSTCODE_DISTRICTS("postcode_districts.csv", false, "postcode", "latitude", "longitude"),
    VEHICLES("vehicles.csv", false, "vehicle_ref", "registration", "make", "colour"),
    PHONES("phones.csv", false, "phone_ref", "number"),
    ASSOCIATIONS(
            "associations.csv",
            false,
            "agency_code",
            "from_kind",
            "from_ref",
            "to_kind",
            "to_ref",
            "association_type",
            "observed_at"),
    PLACEMENTS(
            "placements.csv",
            false,
            "agency_code",
            "record_ref",
            "placement_start",
            "placement_end",
            "placement_la",
            "placement_postcode",
            "placement_type",
            "legal_status",
            "category_of_need"),
    TRUTH_CHILDREN(
            "truth/children.csv",
            true,
            "child_id",
            "given_name",
            "family_name",
            "dob",
            "sex",
            "ethnicity_code",
            "home_la",
            "home_force",
            "looked_after",
            "network_id"),
    TRUTH_RECORDS("truth/record_truth.csv", true, "agency_code", "record_ref", "child_id"),
    TRUTH_NETWORKS("truth/networks.csv", true, "network_id", "adult_refs", "location_refs", "child_ids");

    private final String fileName;
    private final boolean truth;
    private final List<String> columns;

    Table(String fileName, boolean truth, String... columns) {
        this.fileName = fileName;
        this.truth = truth;
        this.columns = List.of(columns);
    }

    /** Path of the CSV file relative to the output directory, e.g. {@code truth/children.csv}. */
    public String fileName() {
        return fileName;
    }

    /** True for ground-truth tables, which no agency holds. */
    public boolean truth() {
        return truth;
    }

    /** Column names in CSV order; every row passed to a sink has exactly this many values. */
    public List<String> columns() {
        return columns;
    }
}
