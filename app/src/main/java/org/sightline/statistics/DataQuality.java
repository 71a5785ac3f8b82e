package org.sightline.statistics;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.ObjectMapper;

/**
 * Issue 9 part 4: completeness of the reportable fields by agency, timeliness (report delay, return interviews within
 * 72 hours), rows waiting in import quarantine, and the checks defined as data in {@code statistics/checks.json}
 * (SQL and text, versioned with the application: a new check needs no Java). Checks run in a read-only transaction.
 */
@Service
public class DataQuality {

    /** A check as the file defines it. */
    public record Check(String code, String title, String description, String sql) {}

    record CheckFile(String version, String about, List<Check> checks) {}

    /** Per agency: records held and, per field, how many have it recorded (anything but "not recorded"). */
    public record Completeness(String code, String name, long records, Map<String, Long> recorded) {}

    /** Per agency: episodes, the median hours from last seen to reported, and return interviews within 72 hours. */
    public record Timeliness(
            String code,
            String name,
            boolean authority,
            long episodes,
            Double medianReportDelayHours,
            long found,
            long interviewWithin72Hours,
            long quarantined) {}

    /** Fields of completeness, in order: the column of person_record and the SQL that says it is recorded. */
    static final Map<String, String> FIELDS = new LinkedHashMap<>();

    static {
        FIELDS.put("sex", "pr.sex <> 'not_recorded'");
        FIELDS.put("dob", "pr.dob_year IS NOT NULL");
        FIELDS.put("ethnicity", "pr.ethnicity_status <> 'not_recorded'");
        FIELDS.put("care_status", "pr.care_status <> 'not_recorded'");
        FIELDS.put("cp_plan", "pr.cp_plan <> 'not_recorded'");
        FIELDS.put("known_to_social_care", "pr.known_to_social_care <> 'not_recorded'");
        FIELDS.put("reported_missing", "pr.reported_missing <> 'not_recorded'");
    }

    private final JdbcClient jdbc;
    private final Clock clock;
    private final CheckFile checks;

    DataQuality(JdbcClient jdbc, ObjectMapper json, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
        try (InputStream in = DataQuality.class.getResourceAsStream("/statistics/checks.json")) {
            this.checks = json.readValue(in, CheckFile.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String checksVersion() {
        return checks.version();
    }

    public List<Check> checks() {
        return checks.checks();
    }

    @Transactional(readOnly = true)
    public List<Completeness> completeness(ProfileQuery q) {
        StringBuilder cols = new StringBuilder();
        FIELDS.forEach((f, sql) -> cols.append(", count(*) FILTER (WHERE ")
                .append(sql)
                .append(") AS ")
                .append(f));
        return jdbc.sql("SELECT a.code, a.name, count(*) AS records" + cols
                        + """
                 FROM person_record pr JOIN agency a ON a.id = pr.agency_id
                WHERE %s GROUP BY a.code, a.name ORDER BY a.name, a.code"""
                                .formatted(Profiles.AREA_SQL))
                .params(Profiles.params(q))
                .query((rs, n) -> {
                    Map<String, Long> recorded = new LinkedHashMap<>();
                    for (String f : FIELDS.keySet()) {
                        recorded.put(f, rs.getLong(f));
                    }
                    return new Completeness(rs.getString(1), rs.getString(2), rs.getLong(3), recorded);
                })
                .list();
    }

    @Transactional(readOnly = true)
    public List<Timeliness> timeliness(ProfileQuery q) {
        return jdbc.sql(
                        """
                SELECT a.code, a.name, a.agency_type = 'local_authority' AS authority, count(e.id) AS episodes,
                       percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM e.reported_at - e.last_seen_at) / 3600)
                           FILTER (WHERE e.last_seen_at IS NOT NULL) AS median_delay,
                       count(e.found_at) AS found,
                       count(*) FILTER (WHERE e.return_interview_status IN ('completed', 'declined')
                                        AND e.return_interview_at <= e.found_at + interval '72 hours') AS within72,
                       (SELECT count(*) FROM import_quarantine iq JOIN import_run ir ON ir.id = iq.run_id
                        WHERE ir.agency_id = a.id AND iq.status = 'quarantined') AS quarantined
                FROM agency a JOIN missing_episode e ON e.agency_id = a.id
                WHERE %s AND (CAST(:from AS timestamptz) IS NULL OR e.reported_at >= :from)
                  AND (CAST(:to AS timestamptz) IS NULL OR e.reported_at < :to)
                GROUP BY a.id, a.code, a.name, a.agency_type ORDER BY a.name, a.code"""
                                .formatted(Profiles.AREA_SQL))
                .params(Profiles.params(q))
                .query((rs, n) -> new Timeliness(
                        rs.getString(1),
                        rs.getString(2),
                        rs.getBoolean(3),
                        rs.getLong(4),
                        (Double) rs.getObject(5),
                        rs.getLong(6),
                        rs.getLong(7),
                        rs.getLong(8)))
                .list();
    }

    /** Each check's failures by agency code, for the agencies of the area (agencies with none are left out). */
    @Transactional(readOnly = true)
    public Map<String, Map<String, Long>> checkFailures(ProfileQuery q) {
        Map<Long, String> agencies = new HashMap<>();
        jdbc.sql("SELECT a.id, a.code FROM agency a WHERE " + Profiles.AREA_SQL)
                .params(Profiles.params(q))
                .query(rs -> {
                    agencies.put(rs.getLong(1), rs.getString(2));
                });
        Map<String, Map<String, Long>> out = new LinkedHashMap<>();
        for (Check c : checks.checks()) {
            Map<String, Long> byAgency = new LinkedHashMap<>();
            jdbc.sql(c.sql()).param("now", Timestamp.from(clock.instant())).query(rs -> {
                String code = agencies.get(rs.getLong("agency_id"));
                if (code != null && rs.getLong("failures") > 0) {
                    byAgency.put(code, rs.getLong("failures"));
                }
            });
            out.put(c.code(), byAgency);
        }
        return out;
    }
}
