package org.sightline.person;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.sightline.access.AgencyScope;
import org.sightline.access.SightlineUser;
import org.sightline.audit.AuditEntry;
import org.sightline.audit.AuditLog;
import org.sightline.shared.InvalidRequestException;
import org.sightline.shared.Like;
import org.sightline.web.RenderedPages;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Search and read of person records, always within the user's agency scope, and always audited.
 * Reads run in read-write transactions because the audit entry is written with them.
 */
@Service
public class PersonRecordService {

    public static final int SEARCH_LIMIT = 50;

    /**
     * Most records a search looks at, in the order it shows them. A broad search (a year of birth alone, a common
     * family name at national scale) would otherwise check the visibility of tens of thousands of records.
     */
    static final int CANDIDATE_LIMIT = 1000;

    /** At most {@link #SEARCH_LIMIT} records; {@code limited}: more may match than are shown (narrow the search). */
    public record SearchResults(List<PersonRecordSummary> records, boolean limited) {}

    private final JdbcClient jdbc;
    private final AgencyScope scope;
    private final AuditLog audit;
    private final PersonRecords people;
    private final Clock clock;
    private final RenderedPages pages;

    PersonRecordService(
            JdbcClient jdbc,
            AgencyScope scope,
            AuditLog audit,
            PersonRecords people,
            Clock clock,
            RenderedPages pages) {
        this.pages = pages;
        this.jdbc = jdbc;
        this.scope = scope;
        this.audit = audit;
        this.people = people;
        this.clock = clock;
    }

    /**
     * The records a search may show, by internal id: the visible ones of {@code :ids}, own agency's first. Its text
     * never changes, so PostgreSQL plans it once per connection; with the criteria in it, planning the visibility
     * rules took longer than running them (docs/benchmarks.md, "The search API"). Agency and identity are looked up
     * for the rows shown only (a join hashed every agency at each search).
     */
    private static final String VISIBLE_SEARCH_RESULTS_SQL =
            """
            SELECT pr.public_id, pr.record_ref, pr.given_name, pr.family_name, pr.dob_year, pr.dob_month, pr.dob_day,
                   pr.sex, (SELECT a.name FROM agency a WHERE a.id = pr.agency_id) AS agency_name,
                   pr.agency_id = :agencyId AS own,
                   (SELECT i.public_id FROM identity i WHERE i.id = pr.identity_id) AS identity_public_id
            FROM person_record pr
            WHERE pr.id = ANY(:ids) AND """
                    + AgencyScope.VISIBLE_RECORD_SQL
                    + " ORDER BY own DESC, lower(pr.family_name), lower(pr.given_name), pr.id LIMIT "
                    + SEARCH_LIMIT;

    @Transactional
    public SearchResults search(SightlineUser user, SearchCriteria criteria) {
        if (criteria.isEmpty()) {
            throw new IllegalArgumentException("search needs a name or a date of birth");
        }
        // First the records matching the criteria (name prefixes use the pattern indexes of V0950) in the order they
        // are shown, at most CANDIDATE_LIMIT of them, then which of those this user may see.
        StringBuilder matches = new StringBuilder();
        var params = new java.util.HashMap<String, Object>();
        if (!SearchCriteria.blank(criteria.givenName())) {
            matches.append(" AND lower(pr.given_name) LIKE :given");
            params.put("given", likePrefix(criteria.givenName()));
        }
        PartialDate dob = criteria.dateOfBirth();
        if (dob.year() != null) {
            matches.append(" AND pr.dob_year = :year");
            params.put("year", dob.year());
        }
        if (dob.month() != null) {
            matches.append(" AND (pr.dob_month IS NULL OR pr.dob_month = :month)");
            params.put("month", dob.month());
        }
        if (dob.day() != null) {
            matches.append(" AND (pr.dob_day IS NULL OR pr.dob_day = :day)");
            params.put("day", dob.day());
        }
        String sql;
        String columns = "SELECT pr.id, pr.agency_id = :agencyId AS own, lower(pr.family_name) AS family_key,"
                + " lower(pr.given_name) AS given_key";
        if (SearchCriteria.blank(criteria.familyName())) {
            sql = columns + " FROM person_record pr WHERE true" + matches;
        } else {
            // The family name, or an alias containing it; each branch applies the other criteria to the record.
            sql = columns + " FROM person_record pr WHERE lower(pr.family_name) LIKE :family" + matches
                    + " UNION " + columns
                    + " FROM person_alias al JOIN person_record pr ON pr.id = al.person_record_id"
                    + " WHERE lower(al.full_name) LIKE :aliasFamily" + matches;
            params.put("family", likePrefix(criteria.familyName()));
            params.put(
                    "aliasFamily", Like.containing(criteria.familyName().trim().toLowerCase()));
        }
        sql += " ORDER BY own DESC, family_key, given_key, id LIMIT " + (CANDIDATE_LIMIT + 1);
        params.put("agencyId", user.agencyId());
        List<Long> candidates =
                jdbc.sql(sql).params(params).query((rs, n) -> rs.getLong("id")).list();
        boolean moreCandidates = candidates.size() > CANDIDATE_LIMIT;
        Long[] ids = candidates.stream().limit(CANDIDATE_LIMIT).toArray(Long[]::new);
        List<PersonRecordSummary> results = ids.length == 0
                ? List.of()
                : jdbc.sql(VISIBLE_SEARCH_RESULTS_SQL)
                        .params(scope.sqlParams(user))
                        .param("ids", ids)
                        .query((rs, n) -> summary(rs))
                        .list();
        audit.record(AuditEntry.of(user.username(), user.agencyCode(), "SEARCH", "person_record", null)
                .withDetails(criteria.describe() + ";results=" + results.size()));
        return new SearchResults(results, moreCandidates || results.size() >= SEARCH_LIMIT);
    }

    /** How to answer the record page: drawn already for this viewer ({@link Kept}), or to be drawn ({@link ToDraw}). */
    public sealed interface Page permits Kept, ToDraw {}

    /** A page drawn earlier for the same viewer from the same rows; this view is audited like a drawn one. */
    public record Kept(RenderedPages.Page page) implements Page {}

    /** The record to draw, and the key to keep the drawing under (null: not to be kept). */
    public record ToDraw(PersonRecordView record, RenderedPages.Key key) implements Page {}

    /**
     * The record page, from {@link RenderedPages} when nothing it shows has changed since the viewer last saw it: one
     * query checks access and fingerprints the rows the page reads (with which of the child's other records this
     * user may see), then the view is audited as usual. Otherwise as {@link #view}.
     */
    @Transactional
    public Page page(SightlineUser user, UUID publicId, Locale locale, boolean keep) {
        RenderedPages.Key key = null;
        if (keep) {
            Stamp stamp = jdbc.sql(FINGERPRINT_SQL)
                    .params(scope.sqlParams(user))
                    .param("publicId", publicId)
                    .query((rs, n) -> new Stamp(rs.getBoolean("visible"), rs.getString("fingerprint")))
                    .single();
            if (stamp.visible()) {
                key = new RenderedPages.Key(
                        "record", publicId, stamp.fingerprint(), RenderedPages.viewer(user), locale);
                RenderedPages.Page kept = pages.get(key).orElse(null);
                if (kept != null) {
                    audit.record(AuditEntry.of(
                            user.username(), user.agencyCode(), "VIEW", "person_record", publicId.toString()));
                    return new Kept(kept);
                }
            }
        }
        return new ToDraw(view(user, publicId), key);
    }

    private record Stamp(boolean visible, String fingerprint) {}

    /**
     * Every row the record page shows, by id and {@code xmin} (the transaction that last wrote it), and which of the
     * child's other records the user may see: any change to one changes the fingerprint. Agencies by the counter every
     * write to them moves (V0920). {@code RecordPageCacheTest} fails when the page reads a table this does not cover.
     */
    static final String FINGERPRINT_SQL =
            """
            WITH self AS (SELECT id, identity_id, xmin::text AS x FROM person_record WHERE public_id = :publicId)
            SELECT EXISTS (SELECT 1 FROM self JOIN person_record pr ON pr.id = self.id WHERE\s"""
                    + AgencyScope.VISIBLE_RECORD_SQL
                    + """
                    ) AS visible,
                   md5(concat_ws('|',
                       (SELECT id || ':' || x FROM self),
                       (SELECT i.id || ':' || i.xmin::text FROM identity i WHERE i.id = (SELECT identity_id FROM self)),
                       (SELECT string_agg(t.id || ':' || t.xmin::text, ',' ORDER BY t.id) FROM person_alias t
                        WHERE t.person_record_id = (SELECT id FROM self)),
                       (SELECT string_agg(t.id || ':' || t.xmin::text, ',' ORDER BY t.id) FROM person_address t
                        WHERE t.person_record_id = (SELECT id FROM self)),
                       (SELECT string_agg(pr.id || ':' || pr.xmin::text || ':' || (\s"""
                    + AgencyScope.VISIBLE_RECORD_SQL
                    + """
                    ), ',' ORDER BY pr.id)
                        FROM person_record pr WHERE pr.identity_id = (SELECT identity_id FROM self)),
                       (SELECT string_agg(l.id || ':' || l.xmin::text, ',' ORDER BY l.id) FROM identity_link l
                        WHERE l.identity_id = (SELECT identity_id FROM self)),
                       (SELECT string_agg(t.id || ':' || t.xmin::text, ',' ORDER BY t.id) FROM missing_episode t
                        WHERE t.person_record_id = (SELECT id FROM self)),
                       (SELECT string_agg(t.id || ':' || t.xmin::text, ',' ORDER BY t.id) FROM exploitation_concern t
                        WHERE t.person_record_id = (SELECT id FROM self)),
                       (SELECT version FROM agency_version))) AS fingerprint""";

    /** The refusal is audited too, in a transaction of its own. */
    @Transactional
    public PersonRecordView view(SightlineUser user, UUID publicId) {
        Long id = jdbc.sql("SELECT id FROM person_record WHERE public_id = ?")
                .param(publicId)
                .query(Long.class)
                .optional()
                .orElseThrow(RecordNotFoundException::new);
        if (!scope.canSeePersonRecord(user, id)) {
            audit.recordRefusal(AuditEntry.of(
                    user.username(), user.agencyCode(), "VIEW_REFUSED", "person_record", publicId.toString()));
            throw new RecordNotFoundException();
        }
        PersonRecordView view = jdbc.sql(
                        """
                SELECT pr.*, a.name AS agency_name, a.agency_type, i.public_id AS identity_public_id,
                       e.label AS ethnicity_label
                FROM person_record pr JOIN agency a ON a.id = pr.agency_id
                LEFT JOIN identity i ON i.id = pr.identity_id
                LEFT JOIN ref_ethnicity e ON e.scheme = pr.ethnicity_scheme AND e.code = pr.ethnicity_code
                WHERE pr.id = ?""")
                .param(id)
                .query((rs, n) -> view(rs, user, id))
                .single();
        audit.record(AuditEntry.of(user.username(), user.agencyCode(), "VIEW", "person_record", publicId.toString()));
        return view;
    }

    private PersonRecordView view(ResultSet rs, SightlineUser user, long id) throws SQLException {
        Long identityId = (Long) rs.getObject("identity_id");
        return new PersonRecordView(
                rs.getObject("public_id", UUID.class),
                rs.getString("record_ref"),
                rs.getString("agency_name"),
                rs.getString("agency_type"),
                rs.getString("given_name"),
                rs.getString("middle_names"),
                rs.getString("family_name"),
                dob(rs),
                rs.getString("sex"),
                rs.getString("ethnicity_code"),
                rs.getString("ethnicity_scheme"),
                rs.getString("ethnicity_label"),
                rs.getString("ethnicity_status"),
                rs.getString("upn"),
                rs.getString("local_child_id"),
                rs.getString("care_status"),
                rs.getString("responsible_authority"),
                rs.getString("cp_plan"),
                rs.getString("known_to_social_care"),
                rs.getString("reported_missing"),
                instant(rs.getTimestamp("recorded_at")),
                rs.getObject("identity_public_id", UUID.class),
                aliases(id),
                addresses(id),
                linked(user, id),
                identityId == null ? List.of() : scope.otherHolders(user, identityId),
                episodes(id),
                concerns(id));
    }

    static final List<String> TRI_STATE = List.of("yes", "no", "not_known", "not_recorded");

    /**
     * Records whether the child was ever reported missing, as the user's agency knows it. Only the agency that holds
     * the record changes it; any other record answers "not found", as on reading.
     */
    @Transactional
    public PersonRecordView setReportedMissing(SightlineUser user, UUID publicId, String value) {
        if (value == null || !TRI_STATE.contains(value)) {
            throw new InvalidRequestException(
                    "reportedMissing", "one-of", "must be one of " + String.join(", ", TRI_STATE));
        }
        Long id = jdbc.sql("SELECT id FROM person_record WHERE public_id = ? AND agency_id = ?")
                .params(publicId, user.agencyId())
                .query(Long.class)
                .optional()
                .orElse(null);
        if (id == null) {
            audit.recordRefusal(AuditEntry.of(
                    user.username(), user.agencyCode(), "UPDATE_REFUSED", "person_record", publicId.toString()));
            throw new RecordNotFoundException();
        }
        if (people.setReportedMissing(id, value, clock.instant())) {
            audit.record(
                    AuditEntry.of(user.username(), user.agencyCode(), "UPDATE", "person_record", publicId.toString())
                            .withDetails("reportedMissing=" + value));
        }
        return view(user, publicId);
    }

    private List<String> aliases(long id) {
        return jdbc.sql("SELECT full_name FROM person_alias WHERE person_record_id = ? ORDER BY id")
                .param(id)
                .query(String.class)
                .list();
    }

    private List<PersonRecordView.Address> addresses(long id) {
        return jdbc.sql(
                        """
                SELECT address_line, postcode, is_current FROM person_address WHERE person_record_id = ?
                ORDER BY is_current DESC, id""")
                .param(id)
                .query((rs, n) -> new PersonRecordView.Address(rs.getString(1), rs.getString(2), rs.getBoolean(3)))
                .list();
    }

    /** Other records of the same identity that the user may see, with the link evidence where it is direct. */
    private List<PersonRecordView.LinkedRecord> linked(SightlineUser user, long id) {
        return jdbc.sql(
                        """
                SELECT pr.public_id, pr.record_ref, pr.given_name, pr.family_name, pr.dob_year, pr.dob_month, pr.dob_day,
                       pr.sex, a.name AS agency_name, pr.agency_id = :agencyId AS own, l.probability, l.evidence,
                       (SELECT i.public_id FROM identity i WHERE i.id = pr.identity_id) AS identity_public_id
                FROM person_record self
                JOIN person_record pr ON pr.identity_id = self.identity_id AND pr.id <> self.id
                JOIN agency a ON a.id = pr.agency_id
                LEFT JOIN identity_link l ON l.record_a = least(self.id, pr.id) AND l.record_b = greatest(self.id, pr.id)
                WHERE self.id = :id AND """
                                + AgencyScope.VISIBLE_RECORD_SQL + " ORDER BY a.name, pr.id")
                .params(scope.sqlParams(user))
                .param("id", id)
                .query((rs, n) -> new PersonRecordView.LinkedRecord(
                        summary(rs), (Double) rs.getObject("probability"), rs.getString("evidence")))
                .list();
    }

    private List<PersonRecordView.EpisodeLine> episodes(long id) {
        return jdbc.sql(
                        """
                SELECT e.public_id, e.episode_ref, a.name, e.reported_at, e.missing_from, e.category, e.current_risk_grade,
                       e.found_at, e.status
                FROM missing_episode e JOIN agency a ON a.id = e.agency_id
                WHERE e.person_record_id = ? ORDER BY e.reported_at DESC""")
                .param(id)
                .query((rs, n) -> new PersonRecordView.EpisodeLine(
                        rs.getObject(1, UUID.class),
                        rs.getString(2),
                        rs.getString(3),
                        instant(rs.getTimestamp(4)),
                        rs.getString(5),
                        rs.getString(6),
                        rs.getString(7),
                        instant(rs.getTimestamp(8)),
                        rs.getString(9)))
                .list();
    }

    private List<PersonRecordView.ConcernLine> concerns(long id) {
        return jdbc.sql(
                        """
                SELECT c.public_id, c.concern_ref, a.name, c.raised_at, c.status, c.outcome, c.raised_precision,
                       c.raised_year, c.raised_month, c.raised_day
                FROM exploitation_concern c JOIN agency a ON a.id = c.agency_id
                WHERE c.person_record_id = ? ORDER BY c.raised_from DESC NULLS LAST, c.id DESC""")
                .param(id)
                .query((rs, n) -> new PersonRecordView.ConcernLine(
                        rs.getObject(1, UUID.class),
                        rs.getString(2),
                        rs.getString(3),
                        instant(rs.getTimestamp(4)),
                        rs.getString(5),
                        rs.getString(6),
                        rs.getString(7),
                        new PartialDate(
                                rs.getObject(8, Integer.class),
                                rs.getObject(9, Integer.class),
                                rs.getObject(10, Integer.class))))
                .list();
    }

    private static PersonRecordSummary summary(ResultSet rs) throws SQLException {
        return new PersonRecordSummary(
                rs.getObject("public_id", UUID.class),
                rs.getString("record_ref"),
                rs.getString("given_name"),
                rs.getString("family_name"),
                dob(rs),
                rs.getString("sex"),
                rs.getString("agency_name"),
                rs.getBoolean("own"),
                rs.getObject("identity_public_id", UUID.class));
    }

    static PartialDate dob(ResultSet rs) throws SQLException {
        return new PartialDate((Integer) rs.getObject("dob_year"), (Integer) rs.getObject("dob_month"), (Integer)
                rs.getObject("dob_day"));
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }

    private static String likePrefix(String s) {
        return Like.escape(s.trim().toLowerCase()) + "%";
    }
}
