package org.sightline.alert;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.sightline.access.ChildRelationships;
import org.sightline.alert.ChildFacts.Incident;
import org.sightline.audit.AuditEntry;
import org.sightline.audit.AuditLog;
import org.sightline.shared.ClockConfiguration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Evaluates every rule on one child and writes what fired: an alert once per cause (the database's unique cause key
 * decides, so two processes evaluating the same child raise it once), routed to every agency that must act, each of
 * which gains a relationship with the child ({@link ChildRelationships#grantForAlert}, audited). A later evaluation
 * that finds a new agency that must act (a merge, a new placement) adds it to the existing alert.
 */
@Component
class AlertEvaluator {

    static final String ACTOR = "sightline-alerts";

    private final JdbcClient jdbc;
    private final ChildRelationships relationships;
    private final AuditLog audit;
    private final AlertProperties properties;
    private final AlertMail mail;

    AlertEvaluator(
            JdbcClient jdbc,
            ChildRelationships relationships,
            AuditLog audit,
            AlertProperties properties,
            AlertMail mail) {
        this.properties = properties;
        this.mail = mail;
        this.jdbc = jdbc;
        this.relationships = relationships;
        this.audit = audit;
    }

    /** Pure: what the enabled rules say about these facts. */
    static List<Finding> findings(ChildFacts facts, RuleSettings settings) {
        List<Finding> out = new ArrayList<>();
        for (Rule rule : Rules.ALL) {
            if (settings.enabled(rule, facts)) {
                out.addAll(rule.evaluate(facts, settings));
            }
        }
        return out;
    }

    /** Every agency's id by its code (a few hundred rows), read once per batch for routing to authorities. */
    Map<String, Long> agencyIds() {
        Map<String, Long> byCode = new HashMap<>();
        jdbc.sql("SELECT code, id FROM agency").query(rs -> {
            byCode.put(rs.getString(1), rs.getLong(2));
        });
        return byCode;
    }

    /**
     * Evaluates the child with the settings in force on its facts, loaded in this transaction for the worker's whole
     * batch ({@link FactsLoader#loadAll}); {@code agencyByCode} from {@link #agencyIds()}. Returns how many alerts
     * were newly raised.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    int evaluate(long identityId, ChildFacts f, AlertSettings.Current settings, Map<String, Long> agencyByCode) {
        Instant now = f.now();
        if (f.records().isEmpty()) {
            return 0;
        }
        long anchor = f.records().get(0).id();
        List<Finding> findings = findings(f, settings.settings());
        jdbc.sql(
                        "DELETE FROM alert_undecided WHERE person_record_id IN (SELECT id FROM person_record WHERE identity_id = ?)")
                .param(identityId)
                .update();
        int raised = 0;
        Instant oldest = now.minus(java.time.Duration.ofDays(properties.maxAgeDays()));
        for (Finding finding : findings) {
            if (finding.outcome() == Finding.Outcome.UNDECIDED) {
                jdbc.sql(
                                """
                        INSERT INTO alert_undecided (person_record_id, rule, message_key, message_args, evaluated_at)
                        VALUES (?, ?, ?, ?, ?) ON CONFLICT (person_record_id, rule) DO UPDATE
                        SET message_key = EXCLUDED.message_key, message_args = EXCLUDED.message_args""")
                        .params(
                                anchor,
                                finding.rule(),
                                finding.messageKey(),
                                finding.args().toArray(String[]::new),
                                Timestamp.from(now))
                        .update();
            } else if (finding.occurredAt() == null || !finding.occurredAt().isBefore(oldest)) {
                raised += raise(identityId, anchor, f, finding, now, settings.version(), agencyByCode);
            }
        }
        return raised;
    }

    private int raise(
            long identityId,
            long anchor,
            ChildFacts f,
            Finding finding,
            Instant now,
            int settingsVersion,
            Map<String, Long> agencyByCode) {
        record Alert(long id, UUID publicId) {}
        Alert created = jdbc.sql(
                        """
                INSERT INTO alert (cause_key, rule, person_record_id, weight, message_key, message_args, occurred_at,
                                   raised_at, settings_version)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (cause_key) DO NOTHING RETURNING id, public_id""")
                .params(
                        finding.causeKey(),
                        finding.rule(),
                        anchor,
                        finding.weight(),
                        finding.messageKey(),
                        finding.args().toArray(String[]::new),
                        Timestamp.from(finding.occurredAt() == null ? now : finding.occurredAt()),
                        Timestamp.from(now),
                        settingsVersion)
                .query((rs, n) -> new Alert(rs.getLong(1), rs.getObject(2, UUID.class)))
                .optional()
                .orElse(null);
        Alert alert = created != null
                ? created
                : jdbc.sql("SELECT id, public_id FROM alert WHERE cause_key = ?")
                        .param(finding.causeKey())
                        .query((rs, n) -> new Alert(rs.getLong(1), rs.getObject(2, UUID.class)))
                        .single();
        int routed = 0;
        for (Map.Entry<Long, Set<String>> to :
                recipientsByCode(f, finding, agencyByCode).entrySet()) {
            int added = jdbc.sql(
                            """
                    INSERT INTO alert_recipient (alert_id, agency_id, reasons, state_at) VALUES (?, ?, ?, ?)
                    ON CONFLICT (alert_id, agency_id) DO NOTHING""")
                    .params(alert.id(), to.getKey(), to.getValue().toArray(String[]::new), Timestamp.from(now))
                    .update();
            if (added > 0) {
                routed++;
                relationships.grantForAlert(
                        to.getKey(), identityId, alert.publicId().toString(), ACTOR);
                if (mail.enabled()) {
                    jdbc.sql("SELECT code, name FROM agency WHERE id = ?")
                            .param(to.getKey())
                            .query((rs, n) -> new String[] {rs.getString(1), rs.getString(2)})
                            .optional()
                            .ifPresent(a -> mail.alertWaiting(a[0], a[1], alert.publicId()));
                }
            }
        }
        if (created != null || routed > 0) {
            audit.record(AuditEntry.of(
                            ACTOR,
                            null,
                            created != null ? "ALERT_RAISED" : "ALERT_ROUTED",
                            "alert",
                            alert.publicId().toString())
                    .withDetails("rule=" + finding.rule() + ";recipients=" + routed));
        }
        return created != null ? 1 : 0;
    }

    /**
     * Every agency that must act, with why: the reporting force and the force where found (of the incident the
     * finding is about, else the child's latest), the responsible authority, the host authority and the care provider
     * of a current placement, a care provider that recorded the incident, and the agency that recorded the fact.
     */
    static Map<Long, Set<String>> recipientsByCode(ChildFacts f, Finding finding, Map<String, Long> agencyByCode) {
        Map<Long, Set<String>> to = new LinkedHashMap<>();
        List<Incident> incidents = f.incidents();
        List<Incident> about = incidents.stream()
                .filter(i ->
                        i.records().stream().anyMatch(e -> finding.episodeIds().contains(e.id())))
                .toList();
        if (about.isEmpty() && !incidents.isEmpty()) {
            about = List.of(incidents.stream()
                    .max(Comparator.comparing(Incident::start))
                    .orElseThrow());
        }
        for (Incident i : about) {
            for (ChildFacts.Episode e : i.records()) {
                if ("police_force".equals(e.agencyType())) {
                    add(to, e.agencyId(), "reporting_force");
                }
                if ("care_provider".equals(e.agencyType())) {
                    add(to, e.agencyId(), "care_provider");
                }
                if (e.foundByForceId() != null) {
                    add(to, e.foundByForceId(), "found_force");
                }
            }
        }
        if ("found-outside-force".equals(finding.rule())) {
            finding.agencyIds().forEach(a -> add(to, a, "found_force"));
        } else {
            finding.agencyIds().forEach(a -> add(to, a, "recorded_by"));
        }
        for (ChildFacts.Rec r : f.records()) {
            Long responsible = r.responsibleAuthority() == null ? null : agencyByCode.get(r.responsibleAuthority());
            if (responsible != null) {
                add(to, responsible, "responsible_authority");
            } else if ("local_authority".equals(r.agencyType()) && "looked_after".equals(r.careStatus())) {
                add(to, r.agencyId(), "responsible_authority");
            }
        }
        LocalDate today = LocalDate.ofInstant(f.now(), ClockConfiguration.DISPLAY_ZONE);
        for (ChildFacts.Placement p : f.placements()) {
            if (!p.currentOn(today)) {
                continue;
            }
            Long host = p.hostAuthority() == null ? null : agencyByCode.get(p.hostAuthority());
            if (host != null) {
                add(to, host, "host_authority");
            }
            if ("care_provider".equals(p.holderType())) {
                add(to, p.holderAgencyId(), "care_provider");
            }
        }
        return to;
    }

    private static void add(Map<Long, Set<String>> to, long agency, String reason) {
        to.computeIfAbsent(agency, k -> new LinkedHashSet<>()).add(reason);
    }
}
