package org.sightline.alert;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.sightline.access.SightlineUser;
import org.sightline.audit.AuditEntry;
import org.sightline.audit.AuditLog;
import org.sightline.shared.InvalidRequestException;
import org.sightline.shared.Violation;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.ObjectMapper;

/**
 * The rules' settings as versioned data: the newest stored version, else the configuration's (version 0). Saving
 * adds a version (audited) and queues every open case for re-evaluation through the outbox, in the same transaction.
 */
@Service
class AlertSettings {

    /** The settings in force and their version. */
    record Current(int version, RuleSettings settings) {}

    record Version(int version, String changedBy, Instant changedAt, String note) {}

    /** The page's form: a value per threshold, rules on, per rule the areas (authority codes) where it is off. */
    record Form(
            String repeatCount,
            String repeatWindowDays,
            String lookedAfterHours,
            String placeOtherChildren,
            String returnInterviewHours,
            String screeningBands,
            String underAge,
            List<String> enabled,
            Map<String, String> offInAreas,
            String note) {}

    private final JdbcClient jdbc;
    private final AlertProperties properties;
    private final ObjectMapper json;
    private final AuditLog audit;
    private final Clock clock;

    AlertSettings(JdbcClient jdbc, AlertProperties properties, ObjectMapper json, AuditLog audit, Clock clock) {
        this.jdbc = jdbc;
        this.properties = properties;
        this.json = json;
        this.audit = audit;
        this.clock = clock;
    }

    Current current() {
        return jdbc.sql("SELECT version, settings::text FROM alert_settings ORDER BY version DESC LIMIT 1")
                .query((rs, n) -> new Current(rs.getInt(1), json.readValue(rs.getString(2), RuleSettings.class)))
                .optional()
                .orElseGet(() -> new Current(0, properties.settings()));
    }

    @Transactional(readOnly = true)
    List<Version> history() {
        return jdbc.sql("SELECT version, changed_by, changed_at, note FROM alert_settings ORDER BY version DESC")
                .query((rs, n) -> new Version(
                        rs.getInt(1), rs.getString(2), rs.getTimestamp(3).toInstant(), rs.getString(4)))
                .list();
    }

    /** Checks the form, stores a new version, queues open cases; returns the new version. */
    @Transactional
    int save(SightlineUser user, Form form) {
        List<Violation> v = new ArrayList<>();
        int repeatCount = number(v, "repeatCount", form.repeatCount(), 2, 20);
        int repeatWindow = number(v, "repeatWindowDays", form.repeatWindowDays(), 7, 730);
        int lac = number(v, "lookedAfterHours", form.lookedAfterHours(), 1, 720);
        int place = number(v, "placeOtherChildren", form.placeOtherChildren(), 1, 50);
        int ri = number(v, "returnInterviewHours", form.returnInterviewHours(), 1, 720);
        int age = number(v, "underAge", form.underAge(), 1, 18);
        Set<String> bands = new LinkedHashSet<>();
        for (String b : (form.screeningBands() == null ? "" : form.screeningBands()).split(",")) {
            if (!b.isBlank()) {
                bands.add(b.strip());
            }
        }
        if (bands.isEmpty() || bands.stream().anyMatch(b -> !b.matches("[a-z_]{1,40}"))) {
            v.add(new Violation("screeningBands", "bands", "band ids separated by commas, e.g. significant,high"));
        }
        String note = form.note() == null ? "" : form.note().strip();
        if (note.isEmpty() || note.length() > 1000) {
            v.add(new Violation("note", "required", "say why the settings change, in at most 1,000 characters"));
        }
        Set<String> disabled = new LinkedHashSet<>();
        Map<String, Set<String>> offInAreas = new LinkedHashMap<>();
        for (Rule rule : Rules.ALL) {
            if (form.enabled() == null || !form.enabled().contains(rule.code())) {
                disabled.add(rule.code());
            }
            String areas = form.offInAreas() == null ? null : form.offInAreas().get(rule.code());
            Set<String> codes = new LinkedHashSet<>();
            for (String code : (areas == null ? "" : areas).split(",")) {
                if (!code.isBlank()) {
                    codes.add(code.strip());
                }
            }
            if (!codes.isEmpty()) {
                long known = jdbc.sql("SELECT count(*) FROM agency WHERE code = ANY(?)")
                        .param(codes.toArray(String[]::new))
                        .query(Long.class)
                        .single();
                if (known != codes.size()) {
                    v.add(new Violation(
                            "offInAreas-" + rule.code(),
                            "unknown-area",
                            "give agency codes of authorities, separated by commas"));
                }
                offInAreas.put(rule.code(), codes);
            }
        }
        if (!v.isEmpty()) {
            throw new InvalidRequestException(v);
        }
        RuleSettings settings =
                new RuleSettings(disabled, repeatCount, repeatWindow, lac, place, ri, bands, age, offInAreas);
        jdbc.sql("LOCK TABLE alert_settings IN EXCLUSIVE MODE").update();
        int version = jdbc.sql("SELECT coalesce(max(version), 0) + 1 FROM alert_settings")
                .query(Integer.class)
                .single();
        jdbc.sql(
                        """
                INSERT INTO alert_settings (version, settings, note, changed_by, changed_at)
                VALUES (?, CAST(? AS jsonb), ?, ?, ?)""")
                .params(
                        version,
                        json.writeValueAsString(settings),
                        note,
                        user.username(),
                        Timestamp.from(clock.instant()))
                .update();
        int queued = reevaluateOpenCases();
        audit.record(AuditEntry.of(
                        user.username(),
                        user.agencyCode(),
                        "ALERT_SETTINGS_CHANGED",
                        "alert_settings",
                        Integer.toString(version))
                .withDetails("queued=" + queued));
        return version;
    }

    /**
     * Open cases: children missing now, with an open concern, found within the return-interview window, or with an
     * alert some agency has not closed. Their records go to the outbox, so the new settings apply to them.
     */
    int reevaluateOpenCases() {
        return jdbc.sql(
                        """
                INSERT INTO alert_outbox (subject_kind, subject_id)
                SELECT DISTINCT 'person_record', person_record_id FROM (
                    SELECT e.person_record_id FROM missing_episode e
                    WHERE e.status <> 'closed' OR e.found_at IS NULL OR e.found_at > now() - interval '30 days'
                    UNION SELECT c.person_record_id FROM exploitation_concern c WHERE c.status <> 'closed'
                    UNION SELECT a.person_record_id FROM alert a
                    WHERE EXISTS (SELECT 1 FROM alert_recipient r WHERE r.alert_id = a.id
                                  AND r.state IN ('new', 'acknowledged'))) open""")
                .update();
    }

    private static int number(List<Violation> v, String field, String value, int min, int max) {
        try {
            int n = Integer.parseInt(value == null ? "" : value.strip());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        v.add(new Violation(field, "range", "a whole number from " + min + " to " + max));
        return 0;
    }
}
