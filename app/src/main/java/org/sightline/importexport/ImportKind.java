package org.sightline.importexport;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The standard layouts (docs/csv-format.md): one file each, the columns {@code generate} writes. Each kind
 * names its row reference (the idempotency key within the agency) and its columns in standard order.
 */
public enum ImportKind {
    PERSON_RECORDS(
            "person-records",
            "record_ref",
            List.of(
                    Column.text("record_ref", true),
                    Column.text("agency_code", false),
                    Column.text("given_name", false),
                    Column.text("middle_names", false),
                    Column.text("family_name", false),
                    Column.text("aliases", false),
                    new Column("dob", Column.Type.PARTIAL_DATE, false, List.of()),
                    Column.code("sex", "male", "female", "unknown"),
                    Column.text("ethnicity_code", false),
                    Column.code("ethnicity_scheme", "DFE", "POLICE_SDE", "POLICE_ODE", "ONS2021"),
                    Column.text("address_line", false),
                    Column.text("postcode", false),
                    Column.text("upn", false),
                    Column.text("local_child_id", false),
                    Column.code("care_status", "looked_after", "not_looked_after", "not_known"),
                    Column.text("responsible_authority", false),
                    Column.code("cp_plan", "yes", "no", "not_known"),
                    Column.code("known_to_social_care", "yes", "no", "not_known"),
                    Column.instant("recorded_at", false),
                    Column.code("reported_missing", "yes", "no", "not_known"))),

    MISSING_EPISODES(
            "missing-episodes",
            "episode_ref",
            List.of(
                    Column.text("episode_ref", true),
                    Column.text("agency_code", false),
                    Column.text("record_ref", true),
                    Column.instant("reported_at", true),
                    Column.instant("last_seen_at", false),
                    Column.text("last_seen_place", false),
                    Column.text("last_seen_postcode", false),
                    Column.code("missing_from", "home", "care", "other"),
                    Column.code("category", "missing", "away"),
                    Column.code("risk_grade", "very_low", "low", "medium", "high", "absent"),
                    Column.instant("found_at", false),
                    Column.text("found_place", false),
                    Column.text("found_postcode", false),
                    Column.code("found_by", "police", "carer", "family", "self", "other"),
                    Column.instant("safe_and_well_at", false),
                    Column.code("return_interview", "not_offered", "offered", "accepted", "declined", "completed"),
                    Column.instant("return_interview_at", false))),

    CONCERNS(
            "concerns",
            "concern_ref",
            List.of(
                    Column.text("concern_ref", true),
                    Column.text("agency_code", false),
                    Column.text("record_ref", true),
                    // When the concern arose, as far as the source knows: a date-time, a day, a month, a year,
                    // not_known; blank = not recorded.
                    new Column("raised_at", Column.Type.DATE_OR_INSTANT, false, List.of()),
                    Column.code(
                            "raised_by_role",
                            "police_officer",
                            "social_worker",
                            "teacher",
                            "health_practitioner",
                            "youth_worker",
                            "missing_coordinator",
                            "foster_carer",
                            "residential_care_worker"),
                    new Column(
                            "indicators",
                            Column.Type.CODES,
                            false,
                            List.of(
                                    "missing_repeat",
                                    "older_associate",
                                    "unknown_callers",
                                    "gifts_money",
                                    "phone_internet",
                                    "substance_misuse",
                                    "school_absence",
                                    "self_harm",
                                    "sexual_health",
                                    "peers_exploited",
                                    "cars_unknown_adults",
                                    "hotels_parties",
                                    "taxi_takeaway",
                                    "out_of_area",
                                    "disclosure",
                                    "injuries",
                                    "recruiting_peers",
                                    "abduction")),
                    Column.code("outcome", "no_further_action", "referral", "strategy_meeting", "investigation"))),

    /** The generator's adults_of_concern.csv: adults an agency holds as of concern (written by the network capability). */
    ADULTS_OF_CONCERN(
            "adults-of-concern",
            "adult_ref",
            List.of(
                    Column.text("adult_ref", true),
                    Column.text("agency_code", false),
                    Column.text("given_name", false),
                    Column.text("family_name", false),
                    new Column("dob", Column.Type.PARTIAL_DATE, false, List.of()),
                    Column.code("sex", "male", "female", "unknown"),
                    Column.text("ethnicity_code", false),
                    Column.code("ethnicity_scheme", "DFE", "POLICE_SDE", "POLICE_ODE", "ONS2021"))),

    /** The generator's locations.csv: places the importing agency records (written into the network's locations). */
    LOCATIONS(
            "locations",
            "location_ref",
            List.of(
                    Column.text("location_ref", true),
                    new Column(
                            "kind",
                            Column.Type.CODE,
                            true,
                            List.of("address", "hotel", "takeaway", "park", "car_park", "station", "other")),
                    Column.text("name", false),
                    Column.text("postcode", false),
                    Column.text("area_code", false))),

    /** The generator's vehicles.csv: vehicles the importing agency records. */
    VEHICLES(
            "vehicles",
            "vehicle_ref",
            List.of(
                    Column.text("vehicle_ref", true),
                    Column.text("registration", false),
                    Column.text("make", false),
                    Column.text("colour", false))),

    /** The generator's phones.csv: phones the importing agency records. */
    PHONES("phones", "phone_ref", List.of(Column.text("phone_ref", true), Column.text("number", false))),

    /**
     * The generator's associations.csv: typed links between the importing agency's own person records, adults of
     * concern, locations, vehicles and phones, each end named by its kind and the agency's reference. A link has no
     * reference of its own: the whole link (ends, type, when observed) is its reference, so a re-import adds nothing.
     */
    ASSOCIATIONS(
            "associations",
            null,
            List.of(
                    Column.text("agency_code", false),
                    new Column("from_kind", Column.Type.CODE, true, List.of("person_record", "adult")),
                    Column.text("from_ref", true),
                    new Column(
                            "to_kind",
                            Column.Type.CODE,
                            true,
                            List.of("person_record", "adult", "location", "vehicle", "phone")),
                    Column.text("to_ref", true),
                    new Column(
                            "association_type",
                            Column.Type.CODE,
                            true,
                            List.of(
                                    "seen_with",
                                    "frequents",
                                    "found_at",
                                    "contacted_by",
                                    "seen_in",
                                    "drives",
                                    "uses_phone")),
                    Column.instant("observed_at", false)));

    /** The columns that make up an association's reference, in order (see {@link #rowRef}). */
    private static final List<String> LINK_COLUMNS =
            List.of("from_kind", "from_ref", "to_kind", "to_ref", "association_type", "observed_at");

    /** Longest value accepted in any cell; longer ones are quarantined (E1009), never truncated. */
    public static final int MAX_VALUE_LENGTH = 2_000;

    private final String code;
    private final String refColumn;
    private final List<Column> columns;

    ImportKind(String code, String refColumn, List<Column> columns) {
        this.code = code;
        this.refColumn = refColumn;
        this.columns = columns;
    }

    public String code() {
        return code;
    }

    /** The column holding the row's reference; null for associations, whose reference is the whole link. */
    public String refColumn() {
        return refColumn;
    }

    /** How the reference is named in messages (a duplicate in the file, E1007). */
    String refLabel() {
        return refColumn != null ? refColumn : "link (" + String.join(", ", LINK_COLUMNS) + ")";
    }

    /**
     * The row's reference from its canonical values: its reference column, or for an association the link's columns
     * as a JSON array (unambiguous whatever the references hold, and readable where a quarantined row is listed).
     */
    String rowRef(String[] values) {
        if (refColumn != null) {
            return values[indexOf(refColumn)];
        }
        StringBuilder ref = new StringBuilder("[");
        for (String column : LINK_COLUMNS) {
            String value = values[indexOf(column)];
            ref.append(ref.length() > 1 ? "," : "")
                    .append('"')
                    .append(value == null ? "" : value.replace("\\", "\\\\").replace("\"", "\\\""))
                    .append('"');
        }
        return ref.append(']').toString();
    }

    public List<Column> columns() {
        return columns;
    }

    public int indexOf(String column) {
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).name().equals(column)) {
                return i;
            }
        }
        return -1;
    }

    /** Whether rows of this kind belong to a person record of the agency (looked up by record_ref). */
    boolean referencesPersonRecord() {
        return this == MISSING_EPISODES || this == CONCERNS;
    }

    public static Optional<ImportKind> fromCode(String code) {
        return Arrays.stream(values()).filter(k -> k.code.equals(code)).findFirst();
    }

    public static String codes() {
        return String.join(", ", Arrays.stream(values()).map(ImportKind::code).toList());
    }

    /** One standard column: its type, whether a value is required, and the allowed codes for code columns. */
    public record Column(String name, Type type, boolean required, List<String> codes) {

        public enum Type {
            TEXT,
            CODE,
            CODES,
            PARTIAL_DATE,
            INSTANT,
            DATE_OR_INSTANT
        }

        static Column text(String name, boolean required) {
            return new Column(name, Type.TEXT, required, List.of());
        }

        static Column instant(String name, boolean required) {
            return new Column(name, Type.INSTANT, required, List.of());
        }

        static Column code(String name, String... codes) {
            return new Column(name, Type.CODE, false, List.of(codes));
        }
    }
}
