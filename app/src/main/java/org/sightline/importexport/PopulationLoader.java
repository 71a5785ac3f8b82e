package org.sightline.importexport;

import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.sightline.audit.AuditEntry;
import org.sightline.audit.AuditLog;
import org.sightline.person.PersonRecords;
import org.sightline.shared.Progress;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Loads a whole population in the standard layout (the files {@code generate} writes, documented in
 * docs/csv-format.md) in one transaction: each file is streamed with COPY into a staging table shaped by
 * its header, then moved into the model with set-based SQL. Rows already present (same agency and
 * reference) are left alone, so loading twice adds nothing. This is the fast path for trusted bulk data
 * (demo, benchmarks); agency files with row-level validation and quarantine go through the import pipeline.
 * Person records are written by the person capability as a bulk load: the caller relinks identities straight
 * after (IdentityResolver.relinkAll), which also rebuilds the online index.
 */
@Service
public class PopulationLoader {

    private static final Pattern COLUMN = Pattern.compile("[a-z][a-z0-9_]{0,62}");

    private final DataSource dataSource;
    private final AuditLog audit;

    private final PersonRecords people;

    PopulationLoader(DataSource dataSource, AuditLog audit, PersonRecords people) {
        this.people = people;
        this.dataSource = dataSource;
        this.audit = audit;
    }

    public record Summary(Map<String, Long> rowsByTable) {}

    @Transactional
    public Summary load(Path directory, String actor, Progress progress) {
        Connection connection = DataSourceUtils.getConnection(dataSource);
        Map<String, Long> counts = new LinkedHashMap<>();
        List<String> files = List.of(
                "agencies",
                "person_records",
                "placements",
                "missing_episodes",
                "concerns",
                "adults_of_concern",
                "locations",
                "vehicles",
                "phones",
                "associations",
                "postcode_districts");
        progress.total(files.size());
        int done = 0;
        try (Statement sql = connection.createStatement()) {
            for (String file : files) {
                Path csv = directory.resolve(file + ".csv");
                if (Files.exists(csv)) {
                    stage(connection, sql, "stage_" + file, csv);
                    if ("placements".equals(file)) {
                        // Files generated before legal status and category of need were added load as "not recorded".
                        sql.execute("ALTER TABLE stage_placements ADD COLUMN IF NOT EXISTS legal_status text, "
                                + "ADD COLUMN IF NOT EXISTS category_of_need text");
                    }
                    counts.put(file, "person_records".equals(file) ? people.writePopulationStage() : move(sql, file));
                }
                progress.update(++done);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("loading " + directory + " failed: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + directory + " failed", e);
        }
        audit.record(AuditEntry.of(
                        actor,
                        null,
                        "BULK_LOAD",
                        "population",
                        directory.getFileName().toString())
                .withDetails(counts.toString()));
        progress.done("loaded " + counts);
        return new Summary(counts);
    }

    /** A temporary all-text table with the file's own columns, filled by COPY straight from the file. */
    private static void stage(Connection connection, Statement sql, String table, Path csv)
            throws IOException, SQLException {
        List<String> header;
        try (CsvReader<CsvRecord> reader = CsvReader.builder().ofCsvRecord(csv)) {
            header = reader.stream()
                    .findFirst()
                    .map(CsvRecord::getFields)
                    .orElseThrow(
                            () -> new IllegalArgumentException(csv.getFileName() + " is empty: it needs a header row"));
        }
        StringBuilder ddl =
                new StringBuilder("CREATE TEMP TABLE ").append(table).append(" (");
        for (int i = 0; i < header.size(); i++) {
            String column = header.get(i).strip();
            if (!COLUMN.matcher(column).matches()) {
                throw new IllegalArgumentException(csv.getFileName() + " line 1: column name '" + column
                        + "' must be lower-case letters, digits and underscores");
            }
            ddl.append(i == 0 ? "" : ", ").append(column).append(" text");
        }
        sql.execute("DROP TABLE IF EXISTS " + table);
        sql.execute(ddl.append(") ON COMMIT DROP").toString());
        try (Reader reader = new BufferedReader(Files.newBufferedReader(csv, StandardCharsets.UTF_8), 1 << 16)) {
            connection
                    .unwrap(PGConnection.class)
                    .getCopyAPI()
                    .copyIn("COPY " + table + " FROM STDIN WITH (FORMAT csv, HEADER true)", reader);
        }
        sql.execute("ANALYZE " + table);
    }

    private static long move(Statement sql, String file) throws SQLException {
        String statement =
                switch (file) {
                    case "agencies" -> """
                    INSERT INTO agency (code, agency_type, name, area_code)
                    SELECT agency_code, agency_type, name, nullif(area_code, '') FROM stage_agencies
                    ON CONFLICT (code) DO NOTHING""";
                    case "person_records" -> null; // written by the person capability (see load)
                    case "placements" -> """
                    INSERT INTO person_placement (person_record_id, placement_start, placement_end, host_authority,
                        postcode, placement_type, legal_status, category_of_need)
                    SELECT pr.id, s.placement_start::date, nullif(s.placement_end, '')::date, nullif(s.placement_la, ''),
                           nullif(s.placement_postcode, ''), nullif(s.placement_type, ''), nullif(s.legal_status, ''),
                           nullif(s.category_of_need, '')
                    FROM stage_placements s JOIN agency a ON a.code = s.agency_code
                    JOIN person_record pr ON pr.agency_id = a.id AND pr.record_ref = s.record_ref
                    WHERE NOT EXISTS (SELECT 1 FROM person_placement p WHERE p.person_record_id = pr.id
                                      AND p.placement_start = s.placement_start::date)""";
                    case "missing_episodes" -> """
                    WITH inserted AS (
                      INSERT INTO missing_episode (agency_id, person_record_id, episode_ref, status, reported_at,
                          last_seen_at, last_seen_place, last_seen_postcode, missing_from, category, current_risk_grade,
                          found_at, found_place, found_postcode, found_by, safe_and_well_at, return_interview_status,
                          return_interview_at, closed_at)
                      SELECT a.id, pr.id, s.episode_ref,
                             CASE WHEN nullif(s.found_at, '') IS NULL THEN 'graded'
                                  WHEN s.return_interview IN ('completed', 'declined') THEN 'closed'
                                  WHEN nullif(s.safe_and_well_at, '') IS NOT NULL THEN 'safe_and_well_checked'
                                  ELSE 'found' END,
                             s.reported_at::timestamptz, nullif(s.last_seen_at, '')::timestamptz,
                             nullif(s.last_seen_place, ''), nullif(s.last_seen_postcode, ''),
                             CASE WHEN s.missing_from IN ('home', 'care', 'other') THEN s.missing_from ELSE 'not_recorded' END,
                             CASE WHEN s.category IN ('missing', 'away') THEN s.category ELSE 'not_recorded' END,
                             nullif(s.risk_grade, ''), nullif(s.found_at, '')::timestamptz, nullif(s.found_place, ''),
                             nullif(s.found_postcode, ''), nullif(s.found_by, ''), nullif(s.safe_and_well_at, '')::timestamptz,
                             CASE WHEN s.return_interview IN ('not_offered', 'offered', 'accepted', 'declined', 'completed')
                                  THEN s.return_interview ELSE 'not_recorded' END,
                             nullif(s.return_interview_at, '')::timestamptz,
                             CASE WHEN s.return_interview IN ('completed', 'declined')
                                  THEN coalesce(nullif(s.return_interview_at, '')::timestamptz, nullif(s.found_at, '')::timestamptz) END
                      FROM stage_missing_episodes s JOIN agency a ON a.code = s.agency_code
                      JOIN person_record pr ON pr.agency_id = a.id AND pr.record_ref = s.record_ref
                      ON CONFLICT (agency_id, episode_ref) DO NOTHING
                      RETURNING id, reported_at, current_risk_grade),
                    graded AS (
                      INSERT INTO risk_grading (episode_id, grade_code, code_list_version, rationale, graded_by, graded_at)
                      SELECT id, current_risk_grade,
                             CASE WHEN reported_at < TIMESTAMPTZ '2013-04-01 00:00Z' THEN 'ACPO-2010'
                                  WHEN reported_at < TIMESTAMPTZ '2017-01-01 00:00Z' THEN 'ACPO-2013' ELSE 'APP' END,
                             NULL, 'bulk load', reported_at
                      FROM inserted WHERE current_risk_grade IS NOT NULL)
                    SELECT count(*) FROM inserted""";
                    case "concerns" -> """
                    INSERT INTO exploitation_concern (agency_id, person_record_id, concern_ref, status, raised_at, raised_by,
                        indicators, outcome)
                    SELECT a.id, pr.id, s.concern_ref,
                           CASE WHEN nullif(s.outcome, '') IS NULL THEN 'raised' ELSE 'closed' END,
                           s.raised_at::timestamptz, nullif(s.raised_by_role, ''),
                           coalesce(string_to_array(nullif(s.indicators, ''), '|'), '{}'),
                           CASE WHEN s.outcome IN ('no_further_action', 'referral', 'strategy_meeting', 'investigation')
                                THEN s.outcome END
                    FROM stage_concerns s JOIN agency a ON a.code = s.agency_code
                    JOIN person_record pr ON pr.agency_id = a.id AND pr.record_ref = s.record_ref
                    ON CONFLICT (agency_id, concern_ref) DO NOTHING""";
                    case "adults_of_concern" -> """
                    INSERT INTO adult_of_concern (agency_id, adult_ref, given_name, family_name, dob_year, dob_month, dob_day,
                        sex, ethnicity_code, ethnicity_scheme, ethnicity_status)
                    SELECT a.id, s.adult_ref, nullif(s.given_name, ''), nullif(s.family_name, ''),
                           nullif(split_part(s.dob, '-', 1), '')::int, nullif(split_part(s.dob, '-', 2), '')::int,
                           nullif(split_part(s.dob, '-', 3), '')::int,
                           CASE s.sex WHEN 'male' THEN 'male' WHEN 'female' THEN 'female'
                                      WHEN 'unknown' THEN 'not_known' ELSE 'not_recorded' END,
                           nullif(s.ethnicity_code, ''), nullif(s.ethnicity_scheme, ''),
                           CASE WHEN coalesce(s.ethnicity_code, '') = '' THEN 'not_recorded'
                                WHEN s.ethnicity_code = 'REFU' THEN 'refused'
                                WHEN s.ethnicity_code = 'NOBT' THEN 'not_known' ELSE 'recorded' END
                    FROM stage_adults_of_concern s JOIN agency a ON a.code = s.agency_code
                    ON CONFLICT (agency_id, adult_ref) DO NOTHING""";
                    case "locations" -> """
                    INSERT INTO location (agency_id, location_ref, kind, name, postcode, area_code)
                    SELECT a.id, s.location_ref, s.kind, nullif(s.name, ''), nullif(s.postcode, ''), nullif(s.area_code, '')
                    FROM stage_locations s JOIN agency a ON a.code = s.area_code
                    ON CONFLICT (agency_id, location_ref) DO NOTHING""";
                    case "vehicles" -> """
                    INSERT INTO vehicle (agency_id, vehicle_ref, registration, make, colour)
                    SELECT (SELECT id FROM agency WHERE agency_type = 'national' ORDER BY id LIMIT 1), s.vehicle_ref,
                           nullif(s.registration, ''), nullif(s.make, ''), nullif(s.colour, '')
                    FROM stage_vehicles s
                    ON CONFLICT (agency_id, vehicle_ref) DO NOTHING""";
                    case "phones" -> """
                    INSERT INTO phone (agency_id, phone_ref, number)
                    SELECT (SELECT id FROM agency WHERE agency_type = 'national' ORDER BY id LIMIT 1), s.phone_ref,
                           nullif(s.number, '')
                    FROM stage_phones s
                    ON CONFLICT (agency_id, phone_ref) DO NOTHING""";
                    case "associations" -> """
                    INSERT INTO association (agency_id, from_kind, from_id, to_kind, to_id, association_type, observed_at)
                    SELECT a.id, s.from_kind, f.id, s.to_kind, t.id, s.association_type, nullif(s.observed_at, '')::timestamptz
                    FROM stage_associations s JOIN agency a ON a.code = s.agency_code
                    CROSS JOIN LATERAL (SELECT """
                            + refLookup("s.from_kind", "s.from_ref")
                            + """
                        ) f(id)
                    CROSS JOIN LATERAL (SELECT """
                            + refLookup("s.to_kind", "s.to_ref")
                            + """
                        ) t(id)
                    WHERE f.id IS NOT NULL AND t.id IS NOT NULL""";
                        // Invented positions for the invented districts: the demo's hotspot map (reference data).
                    case "postcode_districts" -> """
                    INSERT INTO postcode_centroid (code, latitude, longitude, source)
                    SELECT network_postcode_norm(postcode), latitude::float8, longitude::float8,
                           'Invented positions of the generated population''s postcode districts (not real places)'
                    FROM stage_postcode_districts
                    ON CONFLICT (code) DO NOTHING""";
                    default -> throw new IllegalArgumentException("no loader for " + file);
                };
        if (statement.stripLeading().startsWith("WITH")) {
            try (var rs = sql.executeQuery(statement)) {
                rs.next();
                return rs.getLong(1);
            }
        }
        return sql.executeUpdate(statement);
    }

    /** Resolves a reference of a given kind to its row id; person records are looked up within the agency. */
    private static String refLookup(String kind, String ref) {
        return " CASE " + kind
                + " WHEN 'person_record' THEN (SELECT id FROM person_record WHERE agency_id = a.id AND record_ref = "
                + ref + ")"
                + " WHEN 'adult' THEN (SELECT id FROM adult_of_concern WHERE adult_ref = " + ref + " LIMIT 1)"
                + " WHEN 'location' THEN (SELECT id FROM location WHERE location_ref = " + ref + " LIMIT 1)"
                + " WHEN 'vehicle' THEN (SELECT id FROM vehicle WHERE vehicle_ref = " + ref + " LIMIT 1)"
                + " WHEN 'phone' THEN (SELECT id FROM phone WHERE phone_ref = " + ref + " LIMIT 1) END";
    }
}
