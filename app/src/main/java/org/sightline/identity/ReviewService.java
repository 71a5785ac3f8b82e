package org.sightline.identity;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
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
 * The supervisor's queue of uncertain identity matches. A decision keeps who, when and why; "same child" merges the
 * two identities at once, and both kinds are fed to every later relink as constraints, so a decided pair never
 * comes back as undecided. A supervisor sees only pairs where one record is their agency's; a "same child" that
 * joins two agencies' records waits for a supervisor of the other agency to confirm it.
 */
@Service
public class ReviewService {

    static final int PAGE_SIZE = 20;

    /** A pair is in the user's queue when one of its two records is their agency's. */
    private static final String IN_SCOPE = " (a.agency_id = :agencyId OR b.agency_id = :agencyId)";

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

    public record Side(
            long agencyId,
            String agencyName,
            String recordRef,
            String givenName,
            String familyName,
            PartialDate dateOfBirth,
            String sex,
            String postcode) {

        public String name() {
            return ((givenName == null ? "" : givenName) + " " + (familyName == null ? "" : familyName)).strip();
        }
    }

    /** Who did something to the pair, when and why (a proposal or a decision). */
    public record Act(String by, String agencyName, Instant at, String rationale) {}

    public record Review(
            UUID publicId,
            Side a,
            Side b,
            double probability,
            String reason,
            String evidence,
            String status,
            Instant createdAt,
            Act proposal,
            Act decision,
            int version) {

        /** Whether a detail differs between the two records, for the side-by-side view (shown in words). */
        public boolean differs(String field) {
            return switch (field) {
                case "name" -> !a.name().equalsIgnoreCase(b.name());
                case "dob" -> !a.dateOfBirth().equals(b.dateOfBirth());
                case "sex" -> !java.util.Objects.equals(a.sex(), b.sex());
                case "postcode" -> !normalised(a.postcode()).equals(normalised(b.postcode()));
                default -> throw new IllegalArgumentException(field);
            };
        }

        /** Open, with a "same child" proposal waiting for the other agency. */
        public boolean awaitingConfirmation() {
            return "open".equals(status) && proposal != null;
        }

        /** The agency whose supervisor must confirm the proposal. */
        public String confirmingAgencyName() {
            return proposal == null
                    ? null
                    : proposal.agencyName().equals(a.agencyName()) ? b.agencyName() : a.agencyName();
        }

        private static String normalised(String postcode) {
            return postcode == null ? "" : postcode.replace(" ", "").toUpperCase(java.util.Locale.ROOT);
        }
    }

    /** Filters of the queue; null or blank means any. */
    public record Filter(String state, String agency, String band, String age) {

        static final List<String> STATES = List.of("open", "awaiting", "decided");
        static final List<String> BANDS = List.of("high", "medium", "low");
        static final List<String> AGES = List.of("week", "month", "older");

        public Filter {
            // List.of(...).contains(null) throws: unknown or absent values mean "any" (state: waiting for a decision).
            state = state != null && STATES.contains(state) ? state : "open";
            agency = agency == null || agency.isBlank() ? null : agency.strip();
            band = band != null && BANDS.contains(band) ? band : null;
            age = age != null && AGES.contains(age) ? age : null;
        }
    }

    public record Page(List<Review> reviews, long total, int page, int pages, List<AgencyOption> agencies) {}

    public record AgencyOption(String code, String name) {}

    /** What a decision did: linked at once, kept apart, or waiting for the other agency's supervisor. */
    public enum Outcome {
        MUST_LINK,
        CANNOT_LINK,
        AWAITING_OTHER_AGENCY
    }

    @Transactional
    public Page list(SightlineUser user, Filter filter, int requestedPage) {
        StringBuilder where = new StringBuilder(" WHERE").append(IN_SCOPE);
        Map<String, Object> params = new HashMap<>();
        params.put("agencyId", user.agencyId());
        where.append(
                switch (filter.state()) {
                    case "awaiting" -> " AND r.status = 'open' AND r.proposed_by IS NOT NULL";
                    case "decided" -> " AND r.status <> 'open'";
                    default -> " AND r.status = 'open'";
                });
        if (filter.agency() != null) {
            where.append(" AND (aa.code = :agency OR ba.code = :agency)");
            params.put("agency", filter.agency());
        }
        if (filter.band() != null) {
            where.append(
                    switch (filter.band()) {
                        case "high" -> " AND r.probability >= 0.7";
                        case "medium" -> " AND r.probability >= 0.3 AND r.probability < 0.7";
                        default -> " AND r.probability < 0.3";
                    });
        }
        if (filter.age() != null) {
            Instant now = clock.instant();
            params.put("weekAgo", Timestamp.from(now.minus(Duration.ofDays(7))));
            params.put("monthAgo", Timestamp.from(now.minus(Duration.ofDays(30))));
            where.append(
                    switch (filter.age()) {
                        case "week" -> " AND r.created_at >= :weekAgo";
                        case "month" -> " AND r.created_at < :weekAgo AND r.created_at >= :monthAgo";
                        default -> " AND r.created_at < :monthAgo";
                    });
        }
        long total = jdbc.sql("SELECT count(*)" + FROM + where)
                .params(params)
                .query(Long.class)
                .single();
        int pages = (int) Math.max(1, (total + PAGE_SIZE - 1) / PAGE_SIZE);
        int page = Math.min(Math.max(1, requestedPage), pages);
        String order =
                "decided".equals(filter.state()) ? " ORDER BY r.decided_at DESC, r.id" : " ORDER BY r.created_at, r.id";
        List<Review> reviews = jdbc.sql(SELECT + FROM + where + order + " LIMIT " + PAGE_SIZE + " OFFSET "
                        + (long) (page - 1) * PAGE_SIZE)
                .params(params)
                .query((rs, n) -> map(rs))
                .list();
        List<AgencyOption> agencies = jdbc.sql(
                        """
                SELECT DISTINCT ag.code, ag.name FROM identity_review r
                JOIN person_record a ON a.id = r.record_a JOIN person_record b ON b.id = r.record_b
                JOIN agency ag ON ag.id IN (a.agency_id, b.agency_id)
                WHERE ag.id <> :agencyId AND"""
                                + IN_SCOPE + " ORDER BY ag.name")
                .param("agencyId", user.agencyId())
                .query((rs, n) -> new AgencyOption(rs.getString(1), rs.getString(2)))
                .list();
        audit.record(AuditEntry.of(user.username(), user.agencyCode(), "LIST", "identity_review", null)
                .withDetails(
                        "state=" + filter.state() + ";page=" + page + ";shown=" + reviews.size() + ";total=" + total));
        return new Page(reviews, total, page, pages, agencies);
    }

    /** Open pairs in the user's queue (the first page, any filter). */
    @Transactional
    public List<Review> open(SightlineUser user) {
        return list(user, new Filter("open", null, null, null), 1).reviews();
    }

    /** One pair in the user's queue; another agency's pair answers "not found", and the refusal is audited. */
    @Transactional
    public Review get(SightlineUser user, UUID publicId) {
        Review review = find(user, publicId);
        audit.record(AuditEntry.of(user.username(), user.agencyCode(), "VIEW", "identity_review", publicId.toString()));
        return review;
    }

    private Review find(SightlineUser user, UUID publicId) {
        Review review = jdbc.sql(SELECT + FROM + " WHERE r.public_id = :publicId AND" + IN_SCOPE)
                .param("publicId", publicId)
                .param("agencyId", user.agencyId())
                .query((rs, n) -> map(rs))
                .optional()
                .orElse(null);
        if (review == null) {
            boolean exists = jdbc.sql("SELECT EXISTS (SELECT 1 FROM identity_review WHERE public_id = ?)")
                    .param(publicId)
                    .query(Boolean.class)
                    .single();
            if (exists) {
                audit.recordRefusal(AuditEntry.of(
                        user.username(), user.agencyCode(), "VIEW_REFUSED", "identity_review", publicId.toString()));
            }
            throw new NotFoundException("review");
        }
        return review;
    }

    @Transactional
    public Outcome decide(SightlineUser user, UUID publicId, String decision, String rationale, int version) {
        Review review = find(user, publicId);
        List<Violation> violations = new java.util.ArrayList<>();
        if (!"must_link".equals(decision) && !"cannot_link".equals(decision)) {
            violations.add(new Violation("decision", "required", "choose whether these records are the same child"));
        }
        if (rationale == null || rationale.isBlank() || rationale.length() > 2000) {
            violations.add(
                    new Violation("rationale", "required", "give the reason for your decision, up to 2000 characters"));
        }
        if (!violations.isEmpty()) {
            throw new InvalidRequestException(violations);
        }
        if (!"open".equals(review.status())) {
            throw ConflictException.illegalTransition(review.status(), decision);
        }
        if (review.version() != version) {
            throw ConflictException.staleVersion("This review");
        }
        Timestamp now = Timestamp.from(clock.instant());
        boolean twoAgencies = review.a().agencyId() != review.b().agencyId();
        if ("must_link".equals(decision) && twoAgencies && review.proposal() == null) {
            // Joining two agencies' records may open one agency's records to the other: the other agency confirms.
            int updated = jdbc.sql(
                            """
                    UPDATE identity_review SET proposed_by = ?, proposed_agency_id = ?, proposed_at = ?,
                           proposed_rationale = ?, version = version + 1
                    WHERE public_id = ? AND version = ? AND status = 'open'""")
                    .params(user.username(), user.agencyId(), now, rationale.strip(), publicId, version)
                    .update();
            if (updated == 0) {
                throw ConflictException.staleVersion("This review");
            }
            audit.record(AuditEntry.of(
                            user.username(), user.agencyCode(), "PROPOSE_LINK", "identity_review", publicId.toString())
                    .withDetails("awaiting=other agency"));
            return Outcome.AWAITING_OTHER_AGENCY;
        }
        if ("must_link".equals(decision) && twoAgencies && proposedByOwnAgency(publicId, user)) {
            throw new ConflictException(
                    "awaiting-other-agency",
                    "a supervisor of the other agency must confirm this link; your agency has proposed it already");
        }
        int updated = jdbc.sql(
                        """
                UPDATE identity_review SET status = ?, rationale = ?, decided_by = ?, decided_agency_id = ?, decided_at = ?,
                       version = version + 1
                WHERE public_id = ? AND version = ? AND status = 'open'""")
                .params(decision, rationale.strip(), user.username(), user.agencyId(), now, publicId, version)
                .update();
        if (updated == 0) {
            throw ConflictException.staleVersion("This review");
        }
        if ("must_link".equals(decision)) {
            merge(publicId);
        }
        audit.record(AuditEntry.of(user.username(), user.agencyCode(), "DECIDE", "identity_review", publicId.toString())
                .withDetails("decision=" + decision + (review.proposal() != null ? ";confirms=proposal" : "")));
        return "must_link".equals(decision) ? Outcome.MUST_LINK : Outcome.CANNOT_LINK;
    }

    private boolean proposedByOwnAgency(UUID publicId, SightlineUser user) {
        return jdbc.sql("SELECT proposed_agency_id = ? FROM identity_review WHERE public_id = ?")
                .params(user.agencyId(), publicId)
                .query(Boolean.class)
                .single();
    }

    /**
     * Moves every record of the second identity into the first and keeps the supervisor's link as evidence. The
     * online index applies the moves once this commits (a supervisor's must-link is honoured by later resolutions).
     */
    private void merge(UUID publicId) {
        var ids = jdbc.sql(
                        """
                SELECT a.id, b.id, a.identity_id, b.identity_id FROM identity_review r
                JOIN person_record a ON a.id = r.record_a JOIN person_record b ON b.id = r.record_b
                WHERE r.public_id = ?""")
                .param(publicId)
                .query((rs, n) ->
                        new Long[] {rs.getLong(1), rs.getLong(2), (Long) rs.getObject(3), (Long) rs.getObject(4)})
                .single();
        Long keep = ids[2] != null ? ids[2] : ids[3];
        if (keep == null) {
            keep = jdbc.sql("INSERT INTO identity DEFAULT VALUES RETURNING id")
                    .query(Long.class)
                    .single();
        }
        List<Long> moved = new java.util.ArrayList<>();
        for (int side = 0; side < 2; side++) {
            Long current = ids[2 + side];
            if (current == null) {
                people.assignIdentities(new long[] {ids[side]}, new long[] {keep});
                moved.add(ids[side]);
            } else if (!current.equals(keep)) {
                moved.addAll(people.moveIdentity(current, keep));
                jdbc.sql("UPDATE identity_link SET identity_id = ? WHERE identity_id = ?")
                        .params(keep, current)
                        .update();
                jdbc.sql("DELETE FROM identity WHERE id = ?").param(current).update();
            }
        }
        jdbc.sql(
                        """
                INSERT INTO identity_link (identity_id, record_a, record_b, weight, probability, evidence, source)
                SELECT ?, record_a, record_b, weight, probability, 'supervisor decision: same child', 'supervisor'
                FROM identity_review WHERE public_id = ?""")
                .params(keep, publicId)
                .update();
        online.logChanged(moved, false);
    }

    private static final String SELECT =
            """
            SELECT r.public_id, r.probability, r.reason, r.evidence, r.status, r.rationale, r.version, r.created_at,
                   r.proposed_by, pu.display_name AS proposed_name, pa.name AS proposed_agency, r.proposed_at,
                   r.proposed_rationale, r.decided_by, du.display_name AS decided_name, da.name AS decided_agency,
                   r.decided_at,
                   a.agency_id AS a_agency_id, aa.name AS a_agency, a.record_ref AS a_ref, a.given_name AS a_given,
                   a.family_name AS a_family, a.dob_year AS a_year, a.dob_month AS a_month, a.dob_day AS a_day,
                   a.sex AS a_sex,
                   (SELECT postcode FROM person_address WHERE person_record_id = a.id ORDER BY is_current DESC, id LIMIT 1) AS a_postcode,
                   b.agency_id AS b_agency_id, ba.name AS b_agency, b.record_ref AS b_ref, b.given_name AS b_given,
                   b.family_name AS b_family, b.dob_year AS b_year, b.dob_month AS b_month, b.dob_day AS b_day,
                   b.sex AS b_sex,
                   (SELECT postcode FROM person_address WHERE person_record_id = b.id ORDER BY is_current DESC, id LIMIT 1) AS b_postcode
            """;

    private static final String FROM =
            """
             FROM identity_review r
            JOIN person_record a ON a.id = r.record_a JOIN agency aa ON aa.id = a.agency_id
            JOIN person_record b ON b.id = r.record_b JOIN agency ba ON ba.id = b.agency_id
            LEFT JOIN agency pa ON pa.id = r.proposed_agency_id LEFT JOIN agency da ON da.id = r.decided_agency_id
            LEFT JOIN app_user pu ON pu.username = r.proposed_by LEFT JOIN app_user du ON du.username = r.decided_by
            """;

    private static Review map(ResultSet rs) throws SQLException {
        Act proposal = rs.getString("proposed_by") == null
                ? null
                : new Act(
                        coalesce(rs.getString("proposed_name"), rs.getString("proposed_by")),
                                rs.getString("proposed_agency"),
                        instant(rs.getTimestamp("proposed_at")), rs.getString("proposed_rationale"));
        Act decision = rs.getString("decided_by") == null
                ? null
                : new Act(
                        coalesce(rs.getString("decided_name"), rs.getString("decided_by")),
                                rs.getString("decided_agency"),
                        instant(rs.getTimestamp("decided_at")), rs.getString("rationale"));
        return new Review(
                rs.getObject("public_id", UUID.class),
                side(rs, "a_"),
                side(rs, "b_"),
                rs.getDouble("probability"),
                rs.getString("reason"),
                rs.getString("evidence"),
                rs.getString("status"),
                instant(rs.getTimestamp("created_at")),
                proposal,
                decision,
                rs.getInt("version"));
    }

    private static String coalesce(String a, String b) {
        return a != null ? a : b;
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }

    private static Side side(ResultSet rs, String p) throws SQLException {
        return new Side(
                rs.getLong(p + "agency_id"),
                rs.getString(p + "agency"),
                rs.getString(p + "ref"),
                rs.getString(p + "given"),
                rs.getString(p + "family"),
                new PartialDate((Integer) rs.getObject(p + "year"), (Integer) rs.getObject(p + "month"), (Integer)
                        rs.getObject(p + "day")),
                rs.getString(p + "sex"),
                rs.getString(p + "postcode"));
    }
}
