package org.sightline.alert;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.sightline.access.SightlineUser;
import org.sightline.audit.AuditEntry;
import org.sightline.audit.AuditLog;
import org.sightline.shared.ConflictException;
import org.sightline.shared.InvalidRequestException;
import org.sightline.shared.NotFoundException;
import org.sightline.shared.Violation;
import org.springframework.context.MessageSource;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * An agency's alerts: the inbox, one alert with its explanation, and its states — new, acknowledged, actioned (with
 * a note of what was done) or dismissed (with a reason from {@link #DISMISS_REASONS} and words of the user's own).
 * Each agency works its own copy ({@code alert_recipient}); an alert another agency received is "not found" here,
 * exactly as one that does not exist. Every list, view and change is audited.
 */
@Service
public class AlertInbox {

    public static final List<String> STATES = List.of("new", "acknowledged", "actioned", "dismissed");
    public static final List<String> DISMISS_REASONS =
            List.of("already_known", "wrong_child", "not_our_case", "facts_wrong", "other");
    static final int ROWS = 200;
    static final int NOTE_MAX = 2000;

    private final JdbcClient jdbc;
    private final AuditLog audit;
    private final MessageSource messages;
    private final Clock clock;

    AlertInbox(JdbcClient jdbc, AuditLog audit, MessageSource messages, Clock clock) {
        this.jdbc = jdbc;
        this.audit = audit;
        this.messages = messages;
        this.clock = clock;
    }

    /** One alert as the inbox lists it; {@code explanation} resolved from the bundle. */
    public record Row(
            UUID publicId,
            String rule,
            String explanation,
            Instant raisedAt,
            String state,
            List<String> reasons,
            UUID child,
            String childName) {}

    public record Inbox(List<Row> rows, int total) {}

    /** New and acknowledged alerts of the user's agency, for the home page. */
    public record Counts(int fresh, int acknowledged) {}

    public record Recipient(String agencyName, List<String> reasons, String state) {}

    public record History(Instant at, String actor, String toState, String note, String dismissReason) {}

    public record Detail(
            UUID publicId,
            String rule,
            String explanation,
            Instant occurredAt,
            Instant raisedAt,
            UUID child,
            String childName,
            String state,
            List<String> reasons,
            String stateBy,
            Instant stateAt,
            String note,
            String dismissReason,
            int version,
            List<Recipient> recipients,
            List<History> history,
            List<String> undecided) {
        public boolean open() {
            return "new".equals(state) || "acknowledged".equals(state);
        }
    }

    /**
     * An alert about a child as the child's chronology shows it: the rule in plain words, its explanation, when it
     * was raised, the agencies it went to, and its state for the viewer's agency (null when it did not go to it).
     */
    public record AboutChild(
            UUID publicId,
            String ruleName,
            String explanation,
            Instant raisedAt,
            List<String> routedTo,
            String state) {}

    /** The child's name as the user's own agency records it where it does, else as any record of the child does. */
    private static final String CHILD_NAME =
            """
            (SELECT nullif(trim(coalesce(x.given_name, '') || ' ' || coalesce(x.family_name, '')), '')
             FROM person_record x WHERE x.identity_id = anchor.identity_id OR x.id = anchor.id
             ORDER BY (x.agency_id = :agencyId) DESC, (x.given_name IS NULL AND x.family_name IS NULL), x.id LIMIT 1)""";

    @Transactional
    public Inbox list(SightlineUser user, String state, String rule) {
        String s = knownState(state);
        String r = knownRule(rule);
        int[] total = {0};
        List<Row> rows = jdbc.sql(
                        """
                SELECT a.public_id, a.rule, a.message_key, a.message_args, a.raised_at, r.state, r.reasons,
                       i.public_id AS child, %s AS child_name, count(*) OVER () AS total
                FROM alert_recipient r JOIN alert a ON a.id = r.alert_id
                JOIN person_record anchor ON anchor.id = a.person_record_id
                LEFT JOIN identity i ON i.id = anchor.identity_id
                WHERE r.agency_id = :agencyId AND (:state = '' OR r.state = :state) AND (:rule = '' OR a.rule = :rule)
                ORDER BY a.raised_at DESC, a.id DESC LIMIT %d"""
                                .formatted(CHILD_NAME, ROWS))
                .param("agencyId", user.agencyId())
                .param("state", s)
                .param("rule", r)
                .query((rs, n) -> {
                    total[0] = rs.getInt("total");
                    return new Row(
                            rs.getObject("public_id", UUID.class),
                            rs.getString("rule"),
                            explain(rs),
                            instant(rs, "raised_at"),
                            rs.getString("state"),
                            strings(rs.getArray("reasons")),
                            rs.getObject("child", UUID.class),
                            rs.getString("child_name"));
                })
                .list();
        audit.record(AuditEntry.of(user.username(), user.agencyCode(), "LIST", "alert", null)
                .withDetails("state=" + s + ";rule=" + r + ";shown=" + rows.size()));
        return new Inbox(rows, total[0]);
    }

    /** A filter value from the request when it is one of ours, else "" (all): never SQL or text from the request. */
    static String knownState(String state) {
        return state != null && STATES.contains(state) ? state : "";
    }

    static String knownRule(String rule) {
        return rule != null && Rules.byCode(rule) != null ? rule : "";
    }

    /**
     * Every alert raised about the identity, newest first, for the child's page: the caller has already decided the
     * user may see the child's full picture and audits that view, so this read is not audited again.
     */
    @Transactional(readOnly = true)
    public List<AboutChild> aboutChild(long identityId, long viewerAgencyId) {
        return jdbc.sql(
                        """
                SELECT a.public_id, a.rule, a.message_key, a.message_args, a.raised_at,
                       ARRAY(SELECT ag.name FROM alert_recipient r JOIN agency ag ON ag.id = r.agency_id
                             WHERE r.alert_id = a.id ORDER BY ag.name) AS routed_to,
                       (SELECT r.state FROM alert_recipient r WHERE r.alert_id = a.id AND r.agency_id = :agency) AS state
                FROM person_record anchor JOIN alert a ON a.person_record_id = anchor.id
                WHERE anchor.identity_id = :identity ORDER BY a.raised_at DESC, a.id DESC""")
                .param("identity", identityId)
                .param("agency", viewerAgencyId)
                .query((rs, n) -> new AboutChild(
                        rs.getObject("public_id", UUID.class),
                        messages.getMessage(
                                "alert.rule." + rs.getString("rule") + ".name",
                                null,
                                rs.getString("rule"),
                                LocaleContextHolder.getLocale()),
                        explain(rs),
                        instant(rs, "raised_at"),
                        strings(rs.getArray("routed_to")),
                        rs.getString("state")))
                .list();
    }

    @Transactional(readOnly = true)
    public Counts counts(SightlineUser user) {
        return jdbc.sql(
                        """
                SELECT count(*) FILTER (WHERE state = 'new'), count(*) FILTER (WHERE state = 'acknowledged')
                FROM alert_recipient WHERE agency_id = ? AND state IN ('new', 'acknowledged')""")
                .param(user.agencyId())
                .query((rs, n) -> new Counts(rs.getInt(1), rs.getInt(2)))
                .single();
    }

    @Transactional(noRollbackFor = NotFoundException.class)
    public Detail view(SightlineUser user, UUID alertId) {
        Detail d = load(user, alertId);
        audit.record(AuditEntry.of(user.username(), user.agencyCode(), "VIEW", "alert", alertId.toString()));
        return d;
    }

    @Transactional(noRollbackFor = NotFoundException.class)
    public void acknowledge(SightlineUser user, UUID alertId, Integer version) {
        move(user, alertId, version, List.of("new"), "acknowledged", null, null);
    }

    @Transactional(noRollbackFor = NotFoundException.class)
    public void action(SightlineUser user, UUID alertId, Integer version, String note) {
        String n = note == null ? "" : note.strip();
        if (n.isEmpty()) {
            throw new InvalidRequestException("note", "required", "enter what was done");
        }
        if (n.length() > NOTE_MAX) {
            throw new InvalidRequestException("note", "tooLong", "must be 2,000 characters or fewer");
        }
        move(user, alertId, version, List.of("new", "acknowledged"), "actioned", n, null);
    }

    @Transactional(noRollbackFor = NotFoundException.class)
    public void dismiss(SightlineUser user, UUID alertId, Integer version, String reason, String text) {
        List<Violation> v = new ArrayList<>();
        String t = text == null ? "" : text.strip();
        if (reason == null || !DISMISS_REASONS.contains(reason)) {
            v.add(new Violation("reason", "required", "choose one of " + DISMISS_REASONS));
        }
        if ("other".equals(reason) && t.isEmpty()) {
            v.add(new Violation("text", "required", "explain the reason when it is 'other'"));
        }
        if (t.length() > NOTE_MAX) {
            v.add(new Violation("text", "tooLong", "must be 2,000 characters or fewer"));
        }
        if (!v.isEmpty()) {
            throw new InvalidRequestException(v);
        }
        move(user, alertId, version, List.of("new", "acknowledged"), "dismissed", t.isEmpty() ? null : t, reason);
    }

    private void move(
            SightlineUser user,
            UUID alertId,
            Integer version,
            List<String> from,
            String to,
            String note,
            String reason) {
        record Mine(long id, String state, int version) {}
        Mine mine = jdbc.sql(
                        """
                SELECT r.id, r.state, r.version FROM alert_recipient r JOIN alert a ON a.id = r.alert_id
                WHERE a.public_id = ? AND r.agency_id = ? FOR UPDATE OF r""")
                .params(alertId, user.agencyId())
                .query((rs, n) -> new Mine(rs.getLong(1), rs.getString(2), rs.getInt(3)))
                .optional()
                .orElseThrow(() -> refused(user, alertId));
        if (version == null || version != mine.version()) {
            throw ConflictException.staleVersion("The alert");
        }
        if (!from.contains(mine.state())) {
            throw ConflictException.illegalTransition(mine.state(), to);
        }
        Instant now = clock.instant();
        jdbc.sql(
                        """
                UPDATE alert_recipient SET state = ?, state_at = ?, state_by = ?, note = coalesce(?, note),
                       dismiss_reason = ?, version = version + 1 WHERE id = ?""")
                .params(to, Timestamp.from(now), user.displayName(), note, reason, mine.id())
                .update();
        jdbc.sql(
                        """
                INSERT INTO alert_recipient_history (recipient_id, occurred_at, actor, from_state, to_state, note,
                                                     dismiss_reason) VALUES (?, ?, ?, ?, ?, ?, ?)""")
                .params(mine.id(), Timestamp.from(now), user.displayName(), mine.state(), to, note, reason)
                .update();
        audit.record(AuditEntry.of(
                        user.username(),
                        user.agencyCode(),
                        "ALERT_" + to.toUpperCase(Locale.ROOT),
                        "alert",
                        alertId.toString())
                .withDetails("from=" + mine.state() + (reason == null ? "" : ";reason=" + reason)));
    }

    private NotFoundException refused(SightlineUser user, UUID alertId) {
        audit.record(AuditEntry.of(user.username(), user.agencyCode(), "VIEW_REFUSED", "alert", alertId.toString()));
        return new NotFoundException("alert");
    }

    private Detail load(SightlineUser user, UUID alertId) {
        record Head(long alertId, long recipientId, long anchor, Detail detail) {}
        Head head = jdbc.sql(
                        """
                SELECT a.id AS alert_id, r.id AS recipient_id, anchor.id AS anchor, a.public_id, a.rule, a.message_key,
                       a.message_args, a.occurred_at, a.raised_at, i.public_id AS child, %s AS child_name, r.state,
                       r.reasons, r.state_by, r.state_at, r.note, r.dismiss_reason, r.version
                FROM alert a JOIN alert_recipient r ON r.alert_id = a.id AND r.agency_id = :agencyId
                JOIN person_record anchor ON anchor.id = a.person_record_id
                LEFT JOIN identity i ON i.id = anchor.identity_id WHERE a.public_id = :alert"""
                                .formatted(CHILD_NAME))
                .param("agencyId", user.agencyId())
                .param("alert", alertId)
                .query((rs, n) -> new Head(
                        rs.getLong("alert_id"),
                        rs.getLong("recipient_id"),
                        rs.getLong("anchor"),
                        new Detail(
                                rs.getObject("public_id", UUID.class),
                                rs.getString("rule"),
                                explain(rs),
                                instant(rs, "occurred_at"),
                                instant(rs, "raised_at"),
                                rs.getObject("child", UUID.class),
                                rs.getString("child_name"),
                                rs.getString("state"),
                                strings(rs.getArray("reasons")),
                                rs.getString("state_by"),
                                instant(rs, "state_at"),
                                rs.getString("note"),
                                rs.getString("dismiss_reason"),
                                rs.getInt("version"),
                                List.of(),
                                List.of(),
                                List.of())))
                .optional()
                .orElseThrow(() -> refused(user, alertId));
        List<Recipient> recipients = jdbc.sql(
                        """
                SELECT ag.name, r.reasons, r.state FROM alert_recipient r JOIN agency ag ON ag.id = r.agency_id
                WHERE r.alert_id = ? ORDER BY ag.name""")
                .param(head.alertId())
                .query((rs, n) -> new Recipient(rs.getString(1), strings(rs.getArray(2)), rs.getString(3)))
                .list();
        List<History> history = jdbc.sql(
                        """
                SELECT occurred_at, actor, to_state, note, dismiss_reason FROM alert_recipient_history
                WHERE recipient_id = ? ORDER BY id""")
                .param(head.recipientId())
                .query((rs, n) -> new History(
                        instant(rs, "occurred_at"), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5)))
                .list();
        List<String> undecided = jdbc.sql(
                        """
                SELECT u.message_key, u.message_args FROM alert_undecided u JOIN person_record x ON x.id = u.person_record_id
                JOIN person_record anchor ON anchor.id = ?
                WHERE x.identity_id = anchor.identity_id OR x.id = anchor.id ORDER BY u.rule""")
                .param(head.anchor())
                .query((rs, n) -> explain(rs))
                .list();
        Detail d = head.detail();
        return new Detail(
                d.publicId(),
                d.rule(),
                d.explanation(),
                d.occurredAt(),
                d.raisedAt(),
                d.child(),
                d.childName(),
                d.state(),
                d.reasons(),
                d.stateBy(),
                d.stateAt(),
                d.note(),
                d.dismissReason(),
                d.version(),
                recipients,
                history,
                undecided);
    }

    private String explain(ResultSet rs) throws SQLException {
        Locale locale = LocaleContextHolder.getLocale();
        Object[] args = Words.inLanguage(strings(rs.getArray("message_args")).toArray(), locale);
        return messages.getMessage(rs.getString("message_key"), args, locale);
    }

    private static List<String> strings(Array array) throws SQLException {
        return array == null ? List.of() : List.of((String[]) array.getArray());
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }
}
