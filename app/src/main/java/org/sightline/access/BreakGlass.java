package org.sightline.access;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.sightline.audit.AuditEntry;
import org.sightline.audit.AuditLog;
import org.sightline.shared.ConflictException;
import org.sightline.shared.InvalidRequestException;
import org.sightline.shared.NotFoundException;
import org.sightline.shared.Violation;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Break glass: a user whose agency has no relationship with a child gives a reason from a fixed list and in their own
 * words, and gets access to the child's records for a limited time (default 24 hours,
 * {@code sightline.access.break-glass-hours}). Every grant is audited with its reason and listed for the agency's
 * supervisors, who mark it reviewed with a note. Expired grants open nothing ({@link AgencyScope} compares with the
 * clock).
 */
@Service
public class BreakGlass {

    /** The reasons offered; their texts are in the access bundle ({@code breakglass.reason.*}). */
    public static final List<String> REASONS = List.of("risk_to_life", "missing_now", "safeguarding_emergency");

    static final int TEXT_MAX = 1000;

    private final JdbcClient jdbc;
    private final AuditLog audit;
    private final AgencyScope scope;
    private final Clock clock;
    private final Duration lasting;

    @Autowired
    BreakGlass(
            JdbcClient jdbc,
            AuditLog audit,
            AgencyScope scope,
            Clock clock,
            @Value("${sightline.access.break-glass-hours:24}") long hours) {
        this.jdbc = jdbc;
        this.audit = audit;
        this.scope = scope;
        this.clock = clock;
        this.lasting = Duration.ofHours(hours);
    }

    /** How long a grant lasts, in hours. */
    public long hours() {
        return lasting.toHours();
    }

    /** A grant as the supervisors' list shows it (no child's details: the reference of the record it is anchored on). */
    public record Grant(
            UUID publicId,
            UUID childId,
            String recordRef,
            String recordAgency,
            String grantedTo,
            String reasonCode,
            String reasonText,
            Instant grantedAt,
            Instant expiresAt,
            boolean active,
            String reviewedBy,
            Instant reviewedAt,
            String reviewNote,
            int version) {}

    /** Opens the child's records to the user until the grant expires; returns the grant's public id. */
    @Transactional
    public Grant open(SightlineUser user, UUID childId, String reason, String details) {
        List<Violation> violations = new ArrayList<>();
        if (reason == null || !REASONS.contains(reason)) {
            violations.add(new Violation("reason", "required", "choose the reason from the list: " + REASONS));
        }
        if (details == null || details.isBlank()) {
            violations.add(new Violation("details", "required", "say in your own words why you need access now"));
        } else if (details.strip().length() > TEXT_MAX) {
            violations.add(new Violation("details", "length", "must be " + TEXT_MAX + " characters or fewer"));
        }
        if (!violations.isEmpty()) {
            throw new InvalidRequestException(violations);
        }
        Long anchor = childId == null
                ? null
                : jdbc.sql(
                                """
                SELECT min(pr.id) FROM identity i JOIN person_record pr ON pr.identity_id = i.id WHERE i.public_id = ?""")
                        .param(childId)
                        .query(Long.class)
                        .optional()
                        .orElse(null);
        if (anchor == null) {
            throw new NotFoundException("child");
        }
        Instant now = clock.instant();
        UUID grant = jdbc.sql(
                        """
                INSERT INTO child_relationship (person_record_id, agency_id, user_public_id, kind, reason_code, reason_text,
                                                granted_by, granted_at, expires_at)
                VALUES (?, ?, ?, 'break_glass', ?, ?, ?, ?, ?) RETURNING public_id""")
                .params(
                        anchor,
                        user.agencyId(),
                        user.publicId(),
                        reason,
                        details.strip(),
                        user.username(),
                        Timestamp.from(now),
                        Timestamp.from(now.plus(lasting)))
                .query(UUID.class)
                .single();
        audit.record(AuditEntry.of(user.username(), user.agencyCode(), "BREAK_GLASS", "identity", childId.toString())
                .withReason(reason + ": " + details.strip())
                .withDetails("grant=" + grant + ";expires=" + now.plus(lasting)));
        return get(user.agencyId(), grant);
    }

    /** The user's grant for the child that is still running, if any. */
    public Instant activeUntil(SightlineUser user, UUID childId) {
        return jdbc.sql(
                        """
                SELECT max(g.expires_at) FROM child_relationship g
                JOIN person_record pr ON pr.id = g.person_record_id JOIN identity i ON i.id = pr.identity_id
                WHERE i.public_id = ? AND g.kind = 'break_glass' AND g.user_public_id = ? AND g.expires_at > ?""")
                .params(childId, user.publicId(), Timestamp.from(clock.instant()))
                .query(Timestamp.class)
                .optional()
                .map(Timestamp::toInstant)
                .orElse(null); // max() of none: null
    }

    /** The agency's break-glass grants, unreviewed first, newest first: the supervisors' list. */
    @Transactional
    public List<Grant> forSupervisors(SightlineUser supervisor) {
        List<Grant> grants = jdbc.sql(SELECT + " WHERE g.agency_id = ? AND g.kind = 'break_glass'"
                        + " ORDER BY g.reviewed_at IS NOT NULL, g.granted_at DESC, g.id DESC LIMIT 200")
                .params(Timestamp.from(clock.instant()), supervisor.agencyId())
                .query((rs, n) -> map(rs))
                .list();
        audit.record(AuditEntry.of(supervisor.username(), supervisor.agencyCode(), "LIST", "break_glass", null)
                .withDetails("shown=" + grants.size()));
        return grants;
    }

    /** One of the agency's grants; another agency's answers "not found", and the refusal is audited. */
    @Transactional
    public Grant forReview(SightlineUser supervisor, UUID grantId) {
        Grant grant = get(supervisor.agencyId(), grantId);
        if (grant == null) {
            refuseIfExists(supervisor, grantId);
            throw new NotFoundException("break glass");
        }
        audit.record(AuditEntry.of(
                supervisor.username(), supervisor.agencyCode(), "VIEW", "break_glass", grantId.toString()));
        return grant;
    }

    @Transactional
    public void review(SightlineUser supervisor, UUID grantId, String note, int version) {
        Grant grant = forReview(supervisor, grantId);
        if (note == null || note.isBlank() || note.strip().length() > TEXT_MAX) {
            throw new InvalidRequestException(
                    "note", "required", "give your review note, up to " + TEXT_MAX + " characters");
        }
        if (grant.reviewedAt() != null) {
            throw ConflictException.illegalTransition("reviewed", "reviewed");
        }
        int updated = jdbc.sql(
                        """
                UPDATE child_relationship SET reviewed_by = ?, reviewed_at = ?, review_note = ?, version = version + 1
                WHERE public_id = ? AND version = ? AND reviewed_at IS NULL""")
                .params(supervisor.username(), Timestamp.from(clock.instant()), note.strip(), grantId, version)
                .update();
        if (updated == 0) {
            throw ConflictException.staleVersion("This access");
        }
        audit.record(AuditEntry.of(
                        supervisor.username(),
                        supervisor.agencyCode(),
                        "BREAK_GLASS_REVIEWED",
                        "break_glass",
                        grantId.toString())
                .withReason(note.strip()));
    }

    /** The records of the child the user may now open (after break glass): agency, reference and link. */
    public record OpenRecord(UUID publicId, String agencyName, String recordRef) {}

    @Transactional
    public List<OpenRecord> openRecords(SightlineUser user, UUID childId) {
        List<OpenRecord> records = jdbc.sql(
                        """
                SELECT pr.public_id, a.name, pr.record_ref FROM person_record pr JOIN agency a ON a.id = pr.agency_id
                JOIN identity i ON i.id = pr.identity_id
                WHERE i.public_id = :child AND """
                                + AgencyScope.VISIBLE_RECORD_SQL + " ORDER BY a.name, pr.id")
                .params(scope.sqlParams(user))
                .param("child", childId)
                .query((rs, n) -> new OpenRecord(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3)))
                .list();
        audit.record(AuditEntry.of(user.username(), user.agencyCode(), "LIST", "person_record", null)
                .withDetails("child=" + childId + ";shown=" + records.size()));
        return records;
    }

    private void refuseIfExists(SightlineUser user, UUID grantId) {
        boolean exists = jdbc.sql("SELECT EXISTS (SELECT 1 FROM child_relationship WHERE public_id = ?)")
                .param(grantId)
                .query(Boolean.class)
                .single();
        if (exists) {
            audit.recordRefusal(AuditEntry.of(
                    user.username(), user.agencyCode(), "VIEW_REFUSED", "break_glass", grantId.toString()));
        }
    }

    private Grant get(long agencyId, UUID grantId) {
        return jdbc.sql(SELECT + " WHERE g.agency_id = ? AND g.public_id = ?")
                .params(Timestamp.from(clock.instant()), agencyId, grantId)
                .query((rs, n) -> map(rs))
                .optional()
                .orElse(null);
    }

    private static final String SELECT =
            """
            SELECT g.public_id, i.public_id AS child_id, pr.record_ref, a.name AS record_agency,
                   coalesce(u.display_name, g.granted_by) AS granted_to, g.reason_code, g.reason_text, g.granted_at,
                   g.expires_at, g.expires_at > ? AS active, coalesce(ru.display_name, g.reviewed_by) AS reviewed_by,
                   g.reviewed_at, g.review_note, g.version
            FROM child_relationship g JOIN person_record pr ON pr.id = g.person_record_id
            JOIN agency a ON a.id = pr.agency_id LEFT JOIN identity i ON i.id = pr.identity_id
            LEFT JOIN app_user u ON u.username = g.granted_by LEFT JOIN app_user ru ON ru.username = g.reviewed_by""";

    private static Grant map(ResultSet rs) throws SQLException {
        return new Grant(
                rs.getObject("public_id", UUID.class),
                rs.getObject("child_id", UUID.class),
                rs.getString("record_ref"),
                rs.getString("record_agency"),
                rs.getString("granted_to"),
                rs.getString("reason_code"),
                rs.getString("reason_text"),
                instant(rs.getTimestamp("granted_at")),
                instant(rs.getTimestamp("expires_at")),
                rs.getBoolean("active"),
                rs.getString("reviewed_by"),
                instant(rs.getTimestamp("reviewed_at")),
                rs.getString("review_note"),
                rs.getInt("version"));
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
