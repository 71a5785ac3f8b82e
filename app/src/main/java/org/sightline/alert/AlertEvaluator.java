package org.sightline.alert;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
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
 * Evaluates every rule on a child ({@link #decide}, in memory) and writes what fired for a batch of children at once
 * ({@link #write}): an alert once per cause (the database's unique cause key decides, so two processes evaluating the
 * same child raise it once), routed to every agency that must act, each of which gains a relationship with the child
 * ({@link ChildRelationships#grantForAlerts}, audited). A later evaluation that finds a new agency that must act (a
 * merge, a new placement) adds it to the existing alert.
 */
@Component
class AlertEvaluator {

    static final String ACTOR = "sightline-alerts";
    private static final ObjectMapper JSON = new ObjectMapper();

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
     * One child's evaluation, decided in memory: the rows its undecided findings become (one per rule, the last
     * kept) and the fired findings recent enough to raise an alert. {@code anchor}: the child's first record, on which
     * alerts and undecided rows hang.
     */
    record Decision(long identityId, long anchor, ChildFacts facts, List<Finding> undecided, List<Finding> fired) {}

    /** What the enabled rules decide about the child; null for an identity without records (nothing to anchor). */
    Decision decide(long identityId, ChildFacts f, RuleSettings settings) {
        if (f.records().isEmpty()) {
            return null;
        }
        Instant oldest = f.now().minus(java.time.Duration.ofDays(properties.maxAgeDays()));
        Map<String, Finding> undecided = new LinkedHashMap<>();
        List<Finding> fired = new ArrayList<>();
        for (Finding finding : findings(f, settings)) {
            if (finding.outcome() == Finding.Outcome.UNDECIDED) {
                undecided.put(finding.rule(), finding);
            } else if (finding.occurredAt() == null || !finding.occurredAt().isBefore(oldest)) {
                fired.add(finding);
            }
        }
        return new Decision(identityId, f.records().get(0).id(), f, List.copyOf(undecided.values()), fired);
    }

    /**
     * Writes what the decisions say, with a fixed number of statements however many children: each child's undecided
     * rows replaced; each alert raised once per cause (the database's unique cause key decides, so two processes
     * evaluating the same child raise it once); each agency that must act and is not yet a recipient added, granted a
     * relationship with the child and, when mail is on, told an alert is waiting. A re-evaluation that finds nothing
     * new writes nothing but the undecided rows. Returns how many alerts were newly raised.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    int write(List<Decision> decisions, int settingsVersion, Map<String, Long> agencyByCode, Instant now) {
        if (decisions.isEmpty()) {
            return 0;
        }
        replaceUndecided(decisions, now);
        // Each cause once, with the child it was found on (a cause names facts of one child).
        Map<String, Decision> childOf = new TreeMap<>();
        Map<String, Finding> byCause = new TreeMap<>();
        for (Decision d : decisions) {
            for (Finding finding : d.fired()) {
                if (byCause.putIfAbsent(finding.causeKey(), finding) == null) {
                    childOf.put(finding.causeKey(), d);
                }
            }
        }
        if (byCause.isEmpty()) {
            return 0;
        }
        Map<String, Alert> alerts = existingAlerts(byCause.keySet());
        List<Finding> absent = byCause.values().stream()
                .filter(f -> !alerts.containsKey(f.causeKey()))
                .toList();
        Map<String, Alert> created = createAlerts(absent, childOf, settingsVersion, now);
        alerts.putAll(created);
        // Any that another process created since the look-up above.
        alerts.putAll(existingAlerts(absent.stream()
                .map(Finding::causeKey)
                .filter(cause -> !created.containsKey(cause))
                .toList()));
        // Every agency that must act and is not yet a recipient.
        List<Long> alertIds = new ArrayList<>();
        List<Long> agencyIds = new ArrayList<>();
        List<String> reasons = new ArrayList<>();
        Map<Long, String> causeOfAlert = new HashMap<>();
        for (Map.Entry<String, Finding> cause : byCause.entrySet()) {
            Alert alert = alerts.get(cause.getKey());
            causeOfAlert.put(alert.id(), cause.getKey());
            for (Map.Entry<Long, Set<String>> to : recipientsByCode(
                            childOf.get(cause.getKey()).facts(), cause.getValue(), agencyByCode)
                    .entrySet()) {
                if (!alert.recipients().contains(to.getKey())) {
                    alertIds.add(alert.id());
                    agencyIds.add(to.getKey());
                    reasons.add(json(to.getValue()));
                }
            }
        }
        Map<String, Integer> routed = new HashMap<>();
        List<ChildRelationships.AlertGrant> grants = new ArrayList<>();
        List<long[]> told = new ArrayList<>();
        if (!alertIds.isEmpty()) {
            jdbc.sql(
                            """
                    INSERT INTO alert_recipient (alert_id, agency_id, reasons, state_at)
                    SELECT u.alert_id, u.agency_id, ARRAY(SELECT jsonb_array_elements_text(u.reasons)), ?
                    FROM unnest(?::bigint[], ?::bigint[], ?::jsonb[]) AS u(alert_id, agency_id, reasons)
                    ORDER BY u.alert_id, u.agency_id
                    ON CONFLICT (alert_id, agency_id) DO NOTHING RETURNING alert_id, agency_id""")
                    .params(
                            Timestamp.from(now),
                            alertIds.toArray(Long[]::new),
                            agencyIds.toArray(Long[]::new),
                            reasons.toArray(String[]::new))
                    .query((rs, n) -> new long[] {rs.getLong(1), rs.getLong(2)})
                    .list()
                    .forEach(added -> {
                        String cause = causeOfAlert.get(added[0]);
                        routed.merge(cause, 1, Integer::sum);
                        Decision child = childOf.get(cause);
                        grants.add(new ChildRelationships.AlertGrant(
                                added[1],
                                child.identityId(),
                                child.anchor(),
                                alerts.get(cause).publicId().toString()));
                        told.add(added);
                    });
        }
        relationships.grantForAlerts(grants, ACTOR);
        Set<String> raised = created.keySet();
        List<AuditEntry> entries = new ArrayList<>();
        for (String cause : byCause.keySet()) {
            int recipients = routed.getOrDefault(cause, 0);
            if (raised.contains(cause) || recipients > 0) {
                entries.add(AuditEntry.of(
                                ACTOR,
                                null,
                                raised.contains(cause) ? "ALERT_RAISED" : "ALERT_ROUTED",
                                "alert",
                                alerts.get(cause).publicId().toString())
                        .withDetails("rule=" + byCause.get(cause).rule() + ";recipients=" + recipients));
            }
        }
        audit.recordAll(entries);
        if (mail.enabled() && !told.isEmpty()) {
            Map<Long, String[]> agencies = new HashMap<>();
            jdbc.sql("SELECT id, code, name FROM agency").query(rs -> {
                agencies.put(rs.getLong(1), new String[] {rs.getString(2), rs.getString(3)});
            });
            for (long[] added : told) {
                String[] a = agencies.get(added[1]);
                mail.alertWaiting(
                        a[0], a[1], alerts.get(causeOfAlert.get(added[0])).publicId());
            }
        }
        return raised.size();
    }

    /** An alert as stored, with the agencies it already goes to. */
    private record Alert(long id, UUID publicId, Set<Long> recipients) {}

    /**
     * Each cause looked up through the unique index (lateral, fenced by OFFSET 0): for a batch's thousand causes the
     * planner otherwise scanned every alert, comparing each with the whole list (0.1 s a batch at 60,000 alerts).
     */
    private Map<String, Alert> existingAlerts(Collection<String> causes) {
        Map<String, Alert> out = new HashMap<>();
        if (causes.isEmpty()) {
            return out;
        }
        jdbc.sql(
                        """
                SELECT a.cause_key, a.id, a.public_id, r.agency_id FROM unnest(?::text[]) AS k(cause_key)
                CROSS JOIN LATERAL (SELECT * FROM alert a WHERE a.cause_key = k.cause_key OFFSET 0) a
                LEFT JOIN alert_recipient r ON r.alert_id = a.id""")
                .param(causes.toArray(String[]::new))
                .query(rs -> {
                    long id = rs.getLong(2);
                    UUID publicId = rs.getObject(3, UUID.class);
                    Alert alert = out.computeIfAbsent(rs.getString(1), k -> new Alert(id, publicId, new HashSet<>()));
                    long agency = rs.getLong(4);
                    if (!rs.wasNull()) {
                        alert.recipients().add(agency);
                    }
                });
        return out;
    }

    /** Inserts the alerts; returns those this statement created (not those another process did), by cause. */
    private Map<String, Alert> createAlerts(
            List<Finding> findings, Map<String, Decision> childOf, int settingsVersion, Instant now) {
        Map<String, Alert> out = new HashMap<>();
        if (findings.isEmpty()) {
            return out;
        }
        jdbc.sql(
                        """
                INSERT INTO alert (cause_key, rule, person_record_id, weight, message_key, message_args, occurred_at,
                                   raised_at, settings_version)
                SELECT u.cause_key, u.rule, u.anchor, u.weight, u.message_key,
                       ARRAY(SELECT jsonb_array_elements_text(u.args)), u.occurred_at, ?, ?
                FROM unnest(?::text[], ?::text[], ?::bigint[], ?::int[], ?::text[], ?::jsonb[], ?::timestamptz[])
                     AS u(cause_key, rule, anchor, weight, message_key, args, occurred_at)
                ORDER BY u.cause_key
                ON CONFLICT (cause_key) DO NOTHING RETURNING cause_key, id, public_id""")
                .params(
                        Timestamp.from(now),
                        settingsVersion,
                        findings.stream().map(Finding::causeKey).toArray(String[]::new),
                        findings.stream().map(Finding::rule).toArray(String[]::new),
                        findings.stream()
                                .map(f -> childOf.get(f.causeKey()).anchor())
                                .toArray(Long[]::new),
                        findings.stream().map(Finding::weight).toArray(Integer[]::new),
                        findings.stream().map(Finding::messageKey).toArray(String[]::new),
                        findings.stream().map(f -> json(f.args())).toArray(String[]::new),
                        findings.stream()
                                .map(f -> Timestamp.from(f.occurredAt() == null ? now : f.occurredAt()))
                                .toArray(Timestamp[]::new))
                .query(rs -> {
                    out.put(rs.getString(1), new Alert(rs.getLong(2), rs.getObject(3, UUID.class), new HashSet<>()));
                });
        return out;
    }

    /** The children's undecided rows replaced by what this evaluation could not decide, in two statements. */
    private void replaceUndecided(List<Decision> decisions, Instant now) {
        jdbc.sql(
                        """
                DELETE FROM alert_undecided WHERE person_record_id IN (
                    SELECT id FROM person_record WHERE identity_id = ANY(?))""")
                .param(decisions.stream().map(Decision::identityId).toArray(Long[]::new))
                .update();
        List<Decision> with = decisions.stream()
                .filter(d -> !d.undecided().isEmpty())
                .sorted(Comparator.comparingLong(Decision::anchor))
                .toList();
        if (with.isEmpty()) {
            return;
        }
        List<Long> anchors = new ArrayList<>();
        List<String> rules = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        List<String> args = new ArrayList<>();
        for (Decision d : with) {
            for (Finding finding : d.undecided()) {
                anchors.add(d.anchor());
                rules.add(finding.rule());
                keys.add(finding.messageKey());
                args.add(json(finding.args()));
            }
        }
        jdbc.sql(
                        """
                INSERT INTO alert_undecided (person_record_id, rule, message_key, message_args, evaluated_at)
                SELECT u.anchor, u.rule, u.message_key, ARRAY(SELECT jsonb_array_elements_text(u.args)), ?
                FROM unnest(?::bigint[], ?::text[], ?::text[], ?::jsonb[]) AS u(anchor, rule, message_key, args)
                ON CONFLICT (person_record_id, rule) DO UPDATE
                SET message_key = EXCLUDED.message_key, message_args = EXCLUDED.message_args,
                    evaluated_at = EXCLUDED.evaluated_at""")
                .params(
                        Timestamp.from(now),
                        anchors.toArray(Long[]::new),
                        rules.toArray(String[]::new),
                        keys.toArray(String[]::new),
                        args.toArray(String[]::new))
                .update();
    }

    /** A list of words as a JSON array: how one row's text[] travels inside an array parameter. */
    private static String json(Collection<String> words) {
        try {
            return JSON.writeValueAsString(words);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Every agency that must act, with why: the reporting force and the force where found (of the incident the
     * finding is about, else the child's latest), the responsible authority, the host authority and the care provider
     * of a current placement, a care provider that recorded the incident, and the agency that recorded the fact.
     */
    static Map<Long, Set<String>> recipientsByCode(ChildFacts f, Finding finding, Map<String, Long> agencyByCode) {
        Map<Long, Set<String>> to = new LinkedHashMap<>();
        List<Incident> incidents = f.incidents();
        Set<Long> episodes = Set.copyOf(finding.episodeIds());
        List<Incident> about = incidents.stream()
                .filter(i -> i.records().stream().anyMatch(e -> episodes.contains(e.id())))
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
