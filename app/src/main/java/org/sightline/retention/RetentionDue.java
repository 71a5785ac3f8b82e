package org.sightline.retention;

import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.sightline.audit.AuditEntry;
import org.sightline.audit.AuditLog;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Review dates computed from the data, in one query for every type (the rules are {@link RetentionProperties}):
 * <ul>
 *   <li>person record: the later of the child's 25th birthday (75th when looked after) and 6 years after the last
 *       activity of the record, its episodes (and their events and gradings), its concerns (screenings, history)
 *       and its links;
 *   <li>missing episode, concern: the later of the child's birthday rule and 6 (10) years after its own last activity;
 *   <li>import run: 90 days after it ran or a quarantined row was last corrected;
 *   <li>adult of concern: 6 years after it was recorded or last linked.
 * </ul>
 * A partial date of birth counts from the latest day it can be, and 29 February from 1 March in a common year, so a
 * record is never due early. An administrator's "keep until" moves the date on. Dates are London days.
 */
@Service
public class RetentionDue {

    private final JdbcClient jdbc;
    private final RetentionProperties settings;
    private final AuditLog audit;

    RetentionDue(JdbcClient jdbc, RetentionProperties settings, AuditLog audit) {
        this.jdbc = jdbc;
        this.settings = settings;
        this.audit = audit;
    }

    /**
     * A record with its review date. {@code basis}: age (the birthday rule decided), activity, kept (an administrator's
     * date), or no_birth_date (a child's record whose date of birth is not recorded: the activity rule alone).
     */
    public record Due(
            RecordType type,
            long id,
            UUID publicId,
            String agencyCode,
            String agencyName,
            LocalDate lastActivity,
            LocalDate ageDate,
            LocalDate keepUntil,
            LocalDate reviewDate,
            String basis) {}

    record Count(RecordType type, String agencyCode, String agencyName, long count) {}

    record Page(List<Due> rows, long total, int page, int pages) {}

    private static final String LOCAL = "AT TIME ZONE 'Europe/London')::date";

    /** Every record with its review date; callers filter. */
    static final String ALL =
            """
            WITH link AS (
                SELECT from_kind AS kind, from_id AS id, greatest(created_at, observed_at) AS at FROM association
                UNION ALL SELECT to_kind, to_id, greatest(created_at, observed_at) FROM association),
            link_at AS (SELECT kind, id, max(at) AS at FROM link GROUP BY kind, id),
            child AS (
                SELECT p.id, retention_birthday(p.dob_year, p.dob_month, p.dob_day,
                           CASE WHEN p.care_status = 'looked_after' THEN :lookedAfterAge ELSE :childAge END) AS birthday
                FROM person_record p),
            episode AS (
                SELECT e.id, e.public_id, e.agency_id, e.person_record_id,
                       greatest(e.updated_at,
                                (SELECT max(v.recorded_at) FROM episode_event v WHERE v.episode_id = e.id),
                                (SELECT max(g.graded_at) FROM risk_grading g WHERE g.episode_id = e.id),
                                (SELECT l.at FROM link_at l WHERE l.kind = 'episode' AND l.id = e.id)) AS active_at
                FROM missing_episode e),
            concern AS (
                SELECT c.id, c.public_id, c.agency_id, c.person_record_id,
                       greatest(c.updated_at,
                                (SELECT max(s.assessed_at) FROM screening s WHERE s.concern_id = c.id),
                                (SELECT max(h.occurred_at) FROM concern_history h WHERE h.concern_id = c.id),
                                (SELECT l.at FROM link_at l WHERE l.kind = 'concern' AND l.id = c.id)) AS active_at
                FROM exploitation_concern c),
            candidate AS (
                SELECT 'person_record' AS record_type, p.id, p.public_id, p.agency_id, c.birthday AS age_date,
                       (greatest(p.updated_at, ep.at, co.at, l.at) %1$s AS last_activity, :personYears AS years
                FROM person_record p JOIN child c ON c.id = p.id
                LEFT JOIN (SELECT person_record_id, max(active_at) AS at FROM episode GROUP BY 1) ep
                       ON ep.person_record_id = p.id
                LEFT JOIN (SELECT person_record_id, max(active_at) AS at FROM concern GROUP BY 1) co
                       ON co.person_record_id = p.id
                LEFT JOIN link_at l ON l.kind = 'person_record' AND l.id = p.id
                UNION ALL
                SELECT 'missing_episode', e.id, e.public_id, e.agency_id, c.birthday, (e.active_at %1$s, :episodeYears
                FROM episode e JOIN child c ON c.id = e.person_record_id
                UNION ALL
                SELECT 'concern', x.id, x.public_id, x.agency_id, c.birthday, (x.active_at %1$s, :concernYears
                FROM concern x JOIN child c ON c.id = x.person_record_id
                UNION ALL
                SELECT 'import_run', r.id, r.public_id, r.agency_id, NULL,
                       (greatest(r.started_at, r.finished_at,
                                 (SELECT max(q.resolved_at) FROM import_quarantine q WHERE q.run_id = r.id)) %1$s, NULL
                FROM import_run r
                UNION ALL
                SELECT 'adult', a.id, a.public_id, a.agency_id, NULL, (greatest(a.created_at, l.at) %1$s, :adultYears
                FROM adult_of_concern a LEFT JOIN link_at l ON l.kind = 'adult' AND l.id = a.id),
            kept AS (
                SELECT record_type, record_id, max(keep_until) AS keep_until FROM retention_review
                GROUP BY record_type, record_id),
            dated AS (
                SELECT c.*, k.keep_until,
                       CASE WHEN c.years IS NULL THEN c.last_activity + :importRunDays
                            ELSE retention_add_years(c.last_activity, c.years) END AS activity_date
                FROM candidate c LEFT JOIN kept k ON k.record_type = c.record_type AND k.record_id = c.id)
            SELECT d.record_type, d.id, d.public_id, a.code, a.name, d.last_activity, d.age_date, d.keep_until,
                   greatest(d.age_date, d.activity_date, d.keep_until) AS review_date,
                   CASE WHEN d.keep_until IS NOT NULL AND d.keep_until >= greatest(d.age_date, d.activity_date) THEN 'kept'
                        WHEN d.age_date IS NOT NULL AND d.age_date >= d.activity_date THEN 'age'
                        WHEN d.age_date IS NULL AND d.record_type IN ('person_record', 'missing_episode', 'concern')
                             THEN 'no_birth_date'
                        ELSE 'activity' END AS basis
            FROM dated d JOIN agency a ON a.id = d.agency_id
            """
                    .formatted(LOCAL);

    private JdbcClient.StatementSpec sql(String wrapped) {
        return jdbc.sql(wrapped)
                .param("childAge", settings.childAge())
                .param("lookedAfterAge", settings.lookedAfterAge())
                .param("personYears", settings.personYears())
                .param("episodeYears", settings.episodeYears())
                .param("concernYears", settings.concernYears())
                .param("importRunDays", settings.importRunDays())
                .param("adultYears", settings.adultYears());
    }

    private static final String DUE_FILTER =
            " WHERE review_date <= :asAt AND (:type = '' OR record_type = :type) AND (:agency = '' OR code = :agency)";

    /** Records due by {@code asAt}, by type and agency. */
    @Transactional(readOnly = true)
    List<Count> counts(LocalDate asAt) {
        return sql("SELECT record_type, code, name, count(*) FROM (" + ALL + ") due" + DUE_FILTER
                        + " GROUP BY record_type, code, name ORDER BY record_type, name, code")
                .param("asAt", asAt)
                .param("type", "")
                .param("agency", "")
                .query((rs, n) -> new Count(
                        RecordType.fromCode(rs.getString(1)).orElseThrow(),
                        rs.getString(2),
                        rs.getString(3),
                        rs.getLong(4)))
                .list();
    }

    /**
     * One page (from 1) of the records due, oldest review date first; {@code type} and {@code agency} may be null.
     * {@code counts} are {@link #counts} of the same day, from which the total is taken (one pass over the data less).
     */
    @Transactional(readOnly = true)
    Page page(LocalDate asAt, RecordType type, String agency, int page, int size, List<Count> counts) {
        String typeCode = type == null ? "" : type.code();
        String agencyCode = agency == null ? "" : agency;
        long total = counts.stream()
                .filter(c -> type == null || c.type() == type)
                .filter(c -> agency == null || c.agencyCode().equals(agency))
                .mapToLong(Count::count)
                .sum();
        int pages = (int) Math.max(1, (total + size - 1) / size);
        int current = Math.max(1, Math.min(page, pages));
        List<Due> rows = sql("SELECT * FROM (" + ALL + ") due" + DUE_FILTER
                        + " ORDER BY review_date, record_type, id LIMIT :size OFFSET :offset")
                .param("asAt", asAt)
                .param("type", typeCode)
                .param("agency", agencyCode)
                .param("size", size)
                .param("offset", (long) (current - 1) * size)
                .query((rs, n) -> due(rs))
                .list();
        return new Page(rows, total, current, pages);
    }

    /** Every record due by {@code asAt} (oldest first), for the command; the listing is audited. */
    @Transactional
    public List<Due> all(LocalDate asAt, String actor) {
        List<Due> rows = sql("SELECT * FROM (" + ALL + ") due" + DUE_FILTER + " ORDER BY review_date, record_type, id")
                .param("asAt", asAt)
                .param("type", "")
                .param("agency", "")
                .query((rs, n) -> due(rs))
                .list();
        audit.record(AuditEntry.of(actor, null, "RETENTION_LIST", "retention", null)
                .withDetails("as_at=" + asAt + ";due=" + rows.size()));
        return rows;
    }

    /** One record with its review date, due or not. */
    @Transactional(readOnly = true)
    Optional<Due> find(RecordType type, UUID publicId) {
        return sql("SELECT * FROM (" + ALL + ") due WHERE record_type = :type AND public_id = :publicId")
                .param("type", type.code())
                .param("publicId", publicId)
                .query((rs, n) -> due(rs))
                .optional();
    }

    private static Due due(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new Due(
                RecordType.fromCode(rs.getString("record_type")).orElseThrow(),
                rs.getLong("id"),
                rs.getObject("public_id", UUID.class),
                rs.getString("code"),
                rs.getString("name"),
                rs.getObject("last_activity", LocalDate.class),
                rs.getObject("age_date", LocalDate.class),
                rs.getObject("keep_until", LocalDate.class),
                rs.getObject("review_date", LocalDate.class),
                rs.getString("basis"));
    }
}
