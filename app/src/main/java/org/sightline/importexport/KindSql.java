package org.sightline.importexport;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Set-based persist SQL per kind, over a staging table {@code s} holding the new and changed rows of one batch
 * in standard columns (text, canonical form); {@code s.target_id} is the id of the row a changed row replaces
 * and empty for a new one (classified under the import's advisory lock, so a plain INSERT cannot conflict with
 * another import). Each statement pair is: update the changed rows by primary key (keeping the previous
 * version in import_history), then insert the new ones. Parameters: :agency, :run, :actor, :now, :today.
 */
final class KindSql {

    private static final String TS = "::timestamptz";

    final String table;
    final String refColumn;
    /** For person records and adults: the history statement only (their capability writes the rows). */
    final String update;

    final String insert;

    private KindSql(String table, String refColumn, String update, String insert) {
        this.table = table;
        this.refColumn = refColumn;
        this.update = update;
        this.insert = insert;
    }

    static KindSql of(ImportKind kind) {
        return switch (kind) {
            case PERSON_RECORDS -> person();
            case MISSING_EPISODES -> episode();
            case CONCERNS -> concern();
            case ADULTS_OF_CONCERN -> adults();
            case LOCATIONS -> network(
                    ImportKind.LOCATIONS,
                    "location",
                    "location_ref",
                    Map.of(
                            "kind",
                            "s.kind",
                            "name",
                            nz("name"),
                            "postcode",
                            "upper(" + nz("postcode") + ")",
                            "area_code",
                            nz("area_code")));
            case VEHICLES -> network(
                    ImportKind.VEHICLES,
                    "vehicle",
                    "vehicle_ref",
                    Map.of(
                            "registration", "upper(" + nz("registration") + ")",
                            "make", nz("make"),
                            "colour", nz("colour")));
            case PHONES -> network(ImportKind.PHONES, "phone", "phone_ref", Map.of("number", nz("number")));
            case ASSOCIATIONS -> associations();
        };
    }

    /** A kind of association end: the table and reference column it resolves in, and how messages name it. */
    record End(String table, String refColumn, String noun, String importKind) {}

    /** The association ends a file may name, each resolved within the importing agency's own rows. */
    static final Map<String, End> END = Map.of(
            "person_record", new End("person_record", "record_ref", "person record", "person-records"),
            "adult", new End("adult_of_concern", "adult_ref", "adult of concern", "adults-of-concern"),
            "location", new End("location", "location_ref", "location", "locations"),
            "vehicle", new End("vehicle", "vehicle_ref", "vehicle", "vehicles"),
            "phone", new End("phone", "phone_ref", "phone", "phones"));

    /** The id of the agency's row an end names (NULL if none: the pipeline quarantines those rows first, E1016). */
    private static String endId(String end) {
        StringBuilder sql = new StringBuilder("CASE s." + end + "_kind");
        END.forEach((kind, e) -> sql.append(" WHEN '")
                .append(kind)
                .append("' THEN (SELECT id FROM ")
                .append(e.table())
                .append(" WHERE agency_id = :agency AND ")
                .append(e.refColumn())
                .append(" = s.")
                .append(end)
                .append("_ref)"));
        return sql.append(" END").toString();
    }

    /**
     * Locations, vehicles and phones: the importing agency's own rows, held by it as an agency records them on the
     * network pages (a location is matched to its place by the table's trigger, whatever writes it).
     */
    private static KindSql network(ImportKind kind, String table, String refColumn, Map<String, String> values) {
        Map<String, String> e = new LinkedHashMap<>(new java.util.TreeMap<>(values));
        e.put("content_hash", "s.hash");
        String update =
                """
                WITH changed AS (
                  SELECT s.* FROM stage s JOIN %1$s t ON t.id = s.target_id WHERE t.content_hash IS DISTINCT FROM s.hash),
                %2$s,
                upd AS (
                  UPDATE %1$s t SET
                    %3$s,
                    updated_at = :now, version = t.version + 1
                  FROM changed s WHERE t.id = s.target_id RETURNING t.id)
                SELECT count(*) FROM upd"""
                        .formatted(table, history(kind, table, refColumn, ""), set(e));
        String insert =
                """
                WITH inserted AS (
                  INSERT INTO %1$s (agency_id, %2$s, %3$s, created_at, updated_at)
                  SELECT :agency, s.%2$s, %4$s, :now, :now FROM stage s WHERE s.target_id IS NULL
                  RETURNING id)
                SELECT count(*) FROM inserted"""
                        .formatted(table, refColumn, String.join(", ", e.keySet()), String.join(", ", e.values()));
        return new KindSql(table, refColumn, update, insert);
    }

    /**
     * Associations: both ends resolved within the importing agency (the pipeline has quarantined the rows whose ends do
     * not resolve), recorded by whoever runs the import. The insert fires the alert outbox trigger like any other
     * writer's. The reference is the whole link, so a changed row can only differ in what the hash covers besides it.
     */
    private static KindSql associations() {
        String update =
                """
                WITH changed AS (
                  SELECT s.* FROM stage s JOIN association t ON t.id = s.target_id WHERE t.content_hash IS DISTINCT FROM s.hash),
                %s,
                upd AS (
                  UPDATE association t SET content_hash = s.hash, updated_at = :now, version = t.version + 1
                  FROM changed s WHERE t.id = s.target_id RETURNING t.id)
                SELECT count(*) FROM upd"""
                        .formatted(history(ImportKind.ASSOCIATIONS, "association", "link_ref", ""));
        String insert =
                """
                WITH inserted AS (
                  INSERT INTO association (agency_id, link_ref, from_kind, from_id, to_kind, to_id, association_type,
                                           observed_at, recorded_by, content_hash, created_at, updated_at)
                  SELECT :agency, s.ref, s.from_kind, %s, s.to_kind, %s, s.association_type, %s, :actor, s.hash, :now, :now
                  FROM stage s WHERE s.target_id IS NULL
                  RETURNING id)
                SELECT count(*) FROM inserted"""
                        .formatted(endId("from"), endId("to"), ts("observed_at"));
        return new KindSql("association", "link_ref", update, insert);
    }

    private static String nz(String column) {
        return "nullif(s." + column + ", '')";
    }

    private static String ts(String column) {
        return nz(column) + TS;
    }

    private static String set(Map<String, String> exprs) {
        return exprs.entrySet().stream()
                .map(e -> e.getKey() + " = " + e.getValue())
                .collect(Collectors.joining(",\n    "));
    }

    private static String history(ImportKind kind, String table, String refColumn, String extra) {
        return """
                hist AS (
                  INSERT INTO import_history (kind, agency_id, target_id, row_ref, previous, import_run_id, changed_by, changed_at)
                  SELECT '%s', t.agency_id, t.id, t.%s, to_jsonb(t)%s, :run, :actor, :now
                  FROM %s t JOIN changed s ON s.target_id = t.id)"""
                .formatted(kind.code(), refColumn, extra, table);
    }

    /**
     * Person records are written by the person capability ({@code PersonRecords.writeStaged}); this kind keeps only
     * the history of the rows a batch changes, written before they change.
     */
    private static KindSql person() {
        String history =
                """
                INSERT INTO import_history (kind, agency_id, target_id, row_ref, previous, import_run_id, changed_by, changed_at)
                SELECT '%s', t.agency_id, t.id, t.record_ref, to_jsonb(t)
                       || jsonb_build_object('aliases', (SELECT coalesce(jsonb_agg(pa.full_name ORDER BY pa.id), '[]'::jsonb)
                                                          FROM person_alias pa WHERE pa.person_record_id = t.id),
                                             'address', (SELECT (array_agg(to_jsonb(ad) ORDER BY ad.id DESC))[1]
                                                         FROM person_address ad WHERE ad.person_record_id = t.id AND ad.is_current)),
                       :run, :actor, :now
                FROM person_record t JOIN stage s ON s.target_id = t.id
                WHERE t.content_hash IS DISTINCT FROM s.hash"""
                        .formatted(ImportKind.PERSON_RECORDS.code());
        return new KindSql("person_record", "record_ref", history, null);
    }

    /**
     * Adults of concern are written by the network capability ({@code AdultsOfConcern.writeStaged}); this kind keeps
     * only the history of the rows a batch changes, written before they change.
     */
    private static KindSql adults() {
        String history =
                """
                INSERT INTO import_history (kind, agency_id, target_id, row_ref, previous, import_run_id, changed_by, changed_at)
                SELECT '%s', t.agency_id, t.id, t.adult_ref, to_jsonb(t), :run, :actor, :now
                FROM adult_of_concern t JOIN stage s ON s.target_id = t.id
                WHERE t.content_hash IS DISTINCT FROM s.hash"""
                        .formatted(ImportKind.ADULTS_OF_CONCERN.code());
        return new KindSql("adult_of_concern", "adult_ref", history, null);
    }

    /** Whether another capability writes this kind's rows from the staging table (only the history is written here). */
    static boolean writtenElsewhere(ImportKind kind) {
        return kind == ImportKind.PERSON_RECORDS || kind == ImportKind.ADULTS_OF_CONCERN;
    }

    private static Map<String, String> episodeExpressions() {
        Map<String, String> e = new LinkedHashMap<>();
        e.put("person_record_id", "s.person_record_id");
        e.put(
                "status",
                "CASE WHEN nullif(s.found_at, '') IS NULL THEN CASE WHEN nullif(s.risk_grade, '') IS NULL THEN 'reported' ELSE 'graded' END "
                        + "WHEN s.return_interview IN ('completed', 'declined') THEN 'closed' "
                        + "WHEN s.return_interview IN ('offered', 'accepted') THEN 'return_interview' "
                        + "WHEN nullif(s.safe_and_well_at, '') IS NOT NULL THEN 'safe_and_well_checked' ELSE 'found' END");
        e.put("reported_at", "s.reported_at" + TS);
        e.put("last_seen_at", ts("last_seen_at"));
        e.put("last_seen_place", nz("last_seen_place"));
        e.put("last_seen_postcode", nz("last_seen_postcode"));
        e.put("missing_from", "coalesce(" + nz("missing_from") + ", 'not_recorded')");
        e.put("category", "coalesce(" + nz("category") + ", 'not_recorded')");
        e.put("current_risk_grade", nz("risk_grade"));
        e.put("found_at", ts("found_at"));
        e.put("found_place", nz("found_place"));
        e.put("found_postcode", nz("found_postcode"));
        e.put("found_by", nz("found_by"));
        e.put("safe_and_well_at", ts("safe_and_well_at"));
        e.put("return_interview_status", "coalesce(" + nz("return_interview") + ", 'not_recorded')");
        e.put("return_interview_at", ts("return_interview_at"));
        e.put(
                "closed_at",
                "CASE WHEN s.return_interview IN ('completed', 'declined') THEN coalesce(" + ts("return_interview_at")
                        + ", " + ts("found_at") + ") END");
        e.put("content_hash", "s.hash");
        return e;
    }

    private static final String CODE_LIST = "CASE WHEN %1$s < TIMESTAMPTZ '2013-04-01 00:00Z' THEN 'ACPO-2010' "
            + "WHEN %1$s < TIMESTAMPTZ '2017-01-01 00:00Z' THEN 'ACPO-2013' ELSE 'APP' END";

    private static final String EPISODE_STEPS =
            "ARRAY['reported', 'graded', 'found', 'safe_and_well_checked', 'return_interview', 'closed']";
    private static final String INTERVIEW_STEPS =
            "ARRAY['not_recorded', 'not_offered', 'offered', 'accepted', 'declined', 'completed']";

    /** Of the stored value and the file's, the one further along the list: an update never moves a step back. */
    private static String furthest(String steps, String stored, String incoming) {
        return "CASE WHEN coalesce(array_position(" + steps + ", " + stored + "), 0) >= coalesce(array_position("
                + steps + ", " + incoming + "), 0) THEN " + stored + " ELSE " + incoming + " END";
    }

    /**
     * A re-imported episode updates what the agency's file says but never erases progress recorded in Sightline
     * since (a grading, the found details, a return interview, a closure): steps only move forward, and a blank in
     * the file keeps what is stored.
     */
    private static Map<String, String> episodeUpdateExpressions(Map<String, String> e) {
        Map<String, String> u = new LinkedHashMap<>(e);
        u.put("status", furthest(EPISODE_STEPS, "t.status", "(" + e.get("status") + ")"));
        u.put(
                "return_interview_status",
                furthest(INTERVIEW_STEPS, "t.return_interview_status", e.get("return_interview_status")));
        for (String kept : new String[] {"missing_from", "category"}) {
            u.put(kept, "coalesce(" + nz(kept) + ", t." + kept + ")");
        }
        for (String kept : new String[] {
            "current_risk_grade",
            "found_at",
            "found_place",
            "found_postcode",
            "found_by",
            "safe_and_well_at",
            "return_interview_at",
            "closed_at"
        }) {
            u.put(kept, "coalesce(" + e.get(kept) + ", t." + kept + ")");
        }
        return u;
    }

    private static KindSql episode() {
        Map<String, String> e = episodeExpressions();
        String update =
                """
                WITH changed AS (
                  SELECT t.current_risk_grade AS old_grade, s.* FROM stage s JOIN missing_episode t ON t.id = s.target_id
                  WHERE t.content_hash IS DISTINCT FROM s.hash),
                %s,
                upd AS (
                  UPDATE missing_episode t SET
                    %s,
                    updated_at = :now, version = t.version + 1
                  FROM changed s WHERE t.id = s.target_id RETURNING t.id),
                regraded AS (
                  INSERT INTO risk_grading (episode_id, grade_code, code_list_version, rationale, graded_by, graded_at)
                  SELECT s.target_id, s.risk_grade, %s, 'imported', :actor, :now FROM changed s
                  WHERE nullif(s.risk_grade, '') IS NOT NULL AND s.risk_grade IS DISTINCT FROM s.old_grade)
                SELECT count(*) FROM upd"""
                        .formatted(
                                history(ImportKind.MISSING_EPISODES, "missing_episode", "episode_ref", ""),
                                set(episodeUpdateExpressions(e)),
                                CODE_LIST.formatted("s.reported_at::timestamptz"));
        String insert =
                """
                WITH inserted AS (
                  INSERT INTO missing_episode (agency_id, episode_ref, %s, created_at, updated_at)
                  SELECT :agency, s.episode_ref, %s, :now, :now FROM stage s WHERE s.target_id IS NULL
                  RETURNING id, reported_at, current_risk_grade),
                graded AS (
                  INSERT INTO risk_grading (episode_id, grade_code, code_list_version, rationale, graded_by, graded_at)
                  SELECT id, current_risk_grade, %s, 'imported', :actor, reported_at FROM inserted
                  WHERE current_risk_grade IS NOT NULL)
                SELECT count(*) FROM inserted"""
                        .formatted(
                                String.join(", ", e.keySet()),
                                String.join(", ", e.values()),
                                CODE_LIST.formatted("reported_at"));
        return new KindSql("missing_episode", "episode_ref", update, insert);
    }

    private static KindSql concern() {
        Map<String, String> e = new LinkedHashMap<>();
        e.put("person_record_id", "s.person_record_id");
        // The concern's date as far as the file knows it (ConcernDate): an instant, or the parts of a day, a month or a
        // year, or not known; blank (NULL in the COPY) = not recorded. The table's trigger derives the rest.
        String partial = "s.raised_at ~ '^[0-9]{4}(-[0-9]{2}){0,2}$'";
        e.put("raised_at", "CASE WHEN position(':' in s.raised_at) > 0 THEN s.raised_at" + TS + " END");
        e.put(
                "raised_precision",
                "CASE WHEN coalesce(s.raised_at, '') = '' THEN 'not_recorded' WHEN s.raised_at = 'not_known' THEN 'not_known' "
                        + "WHEN position(':' in s.raised_at) > 0 THEN 'time' WHEN length(s.raised_at) = 10 THEN 'day' "
                        + "WHEN length(s.raised_at) = 7 THEN 'month' ELSE 'year' END");
        e.put("raised_year", "CASE WHEN " + partial + " THEN split_part(s.raised_at, '-', 1)::int END");
        e.put("raised_month", "CASE WHEN " + partial + " THEN nullif(split_part(s.raised_at, '-', 2), '')::int END");
        e.put("raised_day", "CASE WHEN " + partial + " THEN nullif(split_part(s.raised_at, '-', 3), '')::int END");
        e.put("raised_by", nz("raised_by_role"));
        e.put("indicators", "coalesce(string_to_array(nullif(s.indicators, ''), '|'), '{}')");
        e.put("outcome", nz("outcome"));
        e.put("content_hash", "s.hash");
        String update =
                """
                WITH changed AS (
                  SELECT s.* FROM stage s JOIN exploitation_concern t ON t.id = s.target_id
                  WHERE t.content_hash IS DISTINCT FROM s.hash),
                %s,
                upd AS (
                  UPDATE exploitation_concern t SET
                    %s,
                    status = CASE WHEN nullif(s.outcome, '') IS NOT NULL THEN 'closed'
                                  WHEN t.status = 'screened' THEN 'screened' ELSE 'raised' END,
                    updated_at = :now, version = t.version + 1
                  FROM changed s WHERE t.id = s.target_id RETURNING t.id)
                SELECT count(*) FROM upd"""
                        .formatted(history(ImportKind.CONCERNS, "exploitation_concern", "concern_ref", ""), set(e));
        String insert =
                """
                WITH inserted AS (
                  INSERT INTO exploitation_concern (agency_id, concern_ref, %s, status, created_at, updated_at)
                  SELECT :agency, s.concern_ref, %s, CASE WHEN nullif(s.outcome, '') IS NULL THEN 'raised' ELSE 'closed' END,
                         :now, :now FROM stage s WHERE s.target_id IS NULL
                  RETURNING id)
                SELECT count(*) FROM inserted"""
                        .formatted(String.join(", ", e.keySet()), String.join(", ", e.values()));
        return new KindSql("exploitation_concern", "concern_ref", update, insert);
    }
}
