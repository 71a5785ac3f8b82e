package org.sightline.identity;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.sql.Timestamp;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.sightline.access.AgencyScope;
import org.sightline.access.SightlineUser;
import org.sightline.audit.AuditEntry;
import org.sightline.audit.AuditLog;
import org.sightline.person.PartialDate;
import org.sightline.person.PersonRecords;
import org.sightline.shared.ConflictException;
import org.sightline.shared.InvalidRequestException;
import org.sightline.shared.NotFoundException;
import org.sightline.shared.Violation;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The supervisor's queue of uncertain identity matches. A decision keeps its rationale; "same child" merges the
 * two identities at once, and both kinds are fed to every later relink as constraints.
 */
@Service
public class ReviewService {

    /** A pair is in the user's queue when their agency may see at least one of its two records. */
    private static final String IN_SCOPE = " EXISTS (SELECT 1 FROM person_record pr WHERE pr.id IN (r.record_a, r.record_b) AND "
            + AgencyScope.VISIBLE_RECORD_SQL + ")";

    private final JdbcClient jdbc;
    private final AuditLog audit;
    private final Clock clock;
    private final PersonRecords people;
    private final OnlineResolution online;

    ReviewService(JdbcClient jdbc, AuditLog audit, Clock clock, PersonRecords people, OnlineResolution online) {
        this.people = people;
        this.online = online;
        this.jdbc = jdbc;
        this.audit = audit;
        this.clock = clock;
    }

    public record Side(String agencyName, String recordRef, String givenName, String familyName, PartialDate dateOfBirth,
                       String sex, String postcode) {
    }

    public record Review(UUID publicId, Side a, Side b, double probability, String reason, List<String> evidence,
                         String status, String rationale, int version) {
    }

    @Transactional
    public List<Review> open(SightlineUser user) {
        List<Review> reviews = jdbc.sql(select() + " WHERE r.status = 'open' AND" + IN_SCOPE
                        + " ORDER BY r.probability DESC, r.id LIMIT 50")
                .param("agencyId", user.agencyId()).param("agencyCode", user.agencyCode())
                .query((rs, n) -> map(rs)).list();
        audit.record(AuditEntry.of(user.username(), user.agencyCode(), "LIST", "identity_review", null)
                .withDetails("shown=" + reviews.size()));
        return reviews;
    }

    @Transactional
    public Review get(SightlineUser user, UUID publicId) {
        Review review = jdbc.sql(select() + " WHERE r.public_id = :publicId AND" + IN_SCOPE)
                .param("publicId", publicId).param("agencyId", user.agencyId()).param("agencyCode", user.agencyCode())
                .query((rs, n) -> map(rs)).optional().orElseThrow(() -> new NotFoundException("review"));
        audit.record(AuditEntry.of(user.username(), user.agencyCode(), "VIEW", "identity_review", publicId.toString()));
        return review;
    }

    @Transactional
    public void decide(SightlineUser user, UUID publicId, String decision, String rationale, int version) {
        Review review = get(user, publicId);
        List<Violation> violations = new java.util.ArrayList<>();
        if (!"must_link".equals(decision) && !"cannot_link".equals(decision)) {
            violations.add(new Violation("decision", "required", "choose whether these records are the same child"));
        }
        if (rationale == null || rationale.isBlank() || rationale.length() > 2000) {
            violations.add(new Violation("rationale", "required", "give the reason for your decision, up to 2000 characters"));
        }
        if (!violations.isEmpty()) {
            throw new InvalidRequestException(violations);
        }
        if (!"open".equals(review.status())) {
            throw ConflictException.illegalTransition(review.status(), decision);
        }
        int updated = jdbc.sql("""
                UPDATE identity_review SET status = ?, rationale = ?, decided_by = ?, decided_at = ?, version = version + 1
                WHERE public_id = ? AND version = ?""")
                .params(decision, rationale.strip(), user.username(), Timestamp.from(clock.instant()), publicId, version)
                .update();
        if (updated == 0) {
            throw ConflictException.staleVersion("This review");
        }
        if ("must_link".equals(decision)) {
            merge(publicId);
        }
        audit.record(AuditEntry.of(user.username(), user.agencyCode(), "DECIDE", "identity_review", publicId.toString())
                .withDetails("decision=" + decision));
    }

    /**
     * Moves every record of the second identity into the first and keeps the supervisor's link as evidence. The
     * online index applies the moves once this commits (a supervisor's must-link is honoured by later resolutions).
     */
    private void merge(UUID publicId) {
        var ids = jdbc.sql("""
                SELECT a.id, b.id, a.identity_id, b.identity_id FROM identity_review r
                JOIN person_record a ON a.id = r.record_a JOIN person_record b ON b.id = r.record_b
                WHERE r.public_id = ?""").param(publicId)
                .query((rs, n) -> new Long[] {rs.getLong(1), rs.getLong(2), (Long) rs.getObject(3), (Long) rs.getObject(4)})
                .single();
        Long keep = ids[2] != null ? ids[2] : ids[3];
        if (keep == null) {
            keep = jdbc.sql("INSERT INTO identity DEFAULT VALUES RETURNING id").query(Long.class).single();
        }
        List<Long> moved = new java.util.ArrayList<>();
        for (int side = 0; side < 2; side++) {
            Long current = ids[2 + side];
            if (current == null) {
                people.assignIdentities(new long[] {ids[side]}, new long[] {keep});
                moved.add(ids[side]);
            } else if (!current.equals(keep)) {
                moved.addAll(people.moveIdentity(current, keep));
                jdbc.sql("UPDATE identity_link SET identity_id = ? WHERE identity_id = ?").params(keep, current).update();
                jdbc.sql("DELETE FROM identity WHERE id = ?").param(current).update();
            }
        }
        jdbc.sql("""
                INSERT INTO identity_link (identity_id, record_a, record_b, weight, probability, evidence, source)
                SELECT ?, record_a, record_b, weight, probability, 'supervisor decision: same child', 'supervisor'
                FROM identity_review WHERE public_id = ?""").params(keep, publicId).update();
        online.logChanged(moved, false);
    }

    private static String select() {
        return """
                SELECT r.public_id, r.probability, r.reason, r.evidence, r.status, r.rationale, r.version,
                       aa.name AS a_agency, a.record_ref AS a_ref, a.given_name AS a_given, a.family_name AS a_family,
                       a.dob_year AS a_year, a.dob_month AS a_month, a.dob_day AS a_day, a.sex AS a_sex,
                       (SELECT postcode FROM person_address WHERE person_record_id = a.id ORDER BY is_current DESC, id LIMIT 1) AS a_postcode,
                       ba.name AS b_agency, b.record_ref AS b_ref, b.given_name AS b_given, b.family_name AS b_family,
                       b.dob_year AS b_year, b.dob_month AS b_month, b.dob_day AS b_day, b.sex AS b_sex,
                       (SELECT postcode FROM person_address WHERE person_record_id = b.id ORDER BY is_current DESC, id LIMIT 1) AS b_postcode
                FROM identity_review r
                JOIN person_record a ON a.id = r.record_a JOIN agency aa ON aa.id = a.agency_id
                JOIN person_record b ON b.id = r.record_b JOIN agency ba ON ba.id = b.agency_id
                """;
    }

    private static Review map(ResultSet rs) throws SQLException {
        String evidence = rs.getString("evidence");
        return new Review(rs.getObject("public_id", UUID.class), side(rs, "a_"), side(rs, "b_"),
                rs.getDouble("probability"), rs.getString("reason"),
                evidence == null ? List.of() : Arrays.stream(evidence.split(";")).map(String::strip).toList(),
                rs.getString("status"), rs.getString("rationale"), rs.getInt("version"));
    }

    private static Side side(ResultSet rs, String p) throws SQLException {
        return new Side(rs.getString(p + "agency"), rs.getString(p + "ref"), rs.getString(p + "given"),
                rs.getString(p + "family"), new PartialDate((Integer) rs.getObject(p + "year"),
                (Integer) rs.getObject(p + "month"), (Integer) rs.getObject(p + "day")), rs.getString(p + "sex"),
                rs.getString(p + "postcode"));
    }
}
