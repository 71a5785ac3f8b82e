package org.sightline.statistics;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * Issue 9 part 8: the reconciliation of a standard period read from rows kept per authority and child
 * ({@code stat_recon_child}), so a page groups a few thousand rows instead of joining every looked-after child's
 * episodes. The rows follow {@link Reconciliation}'s rule: kept for as at the period's last day (an episode still
 * missing then is timed to the end of that day) and for as at any later day (the period ended a day or more before,
 * so an episode still missing has been missing over 24 hours, and one found after the as-at day was too). A period
 * whose as-at day falls inside it, and any other period, are computed from the records. Triggers queue the children a
 * change touches ({@code stat_dirty_child}); a refresh before each page and every few seconds counts them again.
 */
@Service
public class ReconciliationAggregate extends ChildRowsAggregate {

    static final String NAME = "reconciliation";
    /** The rule's version: change it when {@link Reconciliation}'s rule or the periods change. */
    static final int VERSION = 1;

    /**
     * Each authority's looked-after children (%1$s selects their records) and their episodes over 24 hours by period,
     * by the authority or by police, as at any later day and as at the period's last day (a subset: over 24 hours
     * then is over 24 hours later too, so only episodes over 24 hours by a later day are read). A row only for
     * children counted by either.
     */
    private static final String ROWS =
            """
            WITH recs AS (%1$s),
            lac AS (
              SELECT a.id AS la_id, r.child FROM recs r
              JOIN agency a ON a.id = r.agency_id AND a.agency_type = 'local_authority' WHERE r.care_status = 'looked_after'
              UNION
              SELECT a.id, r.child FROM recs r JOIN agency a ON a.code = r.responsible_authority
              WHERE a.agency_type = 'local_authority'),
            ep AS (
              SELECT r.child, e.agency_id, a.agency_type = 'police_force' AS police, e.found_at, s.start,
                     CAST(s.start AT TIME ZONE 'Europe/London' AS date) AS day
              FROM missing_episode e JOIN recs r ON r.id = e.person_record_id JOIN agency a ON a.id = e.agency_id
              CROSS JOIN LATERAL (SELECT coalesce(e.last_seen_at, e.reported_at) AS start) s
              WHERE r.child IN (SELECT child FROM lac)
                AND (e.found_at IS NULL OR e.found_at - s.start > interval '24 hours')),
            periods AS (
              SELECT d.day, p.period, p.period_end
              FROM (SELECT DISTINCT day FROM ep) d CROSS JOIN LATERAL (VALUES %2$s) p(period, period_end)),
            timed AS (
              SELECT ep.*, p.period,
                     least(coalesce(ep.found_at, p.period_end), p.period_end) - ep.start > interval '24 hours' AS at_end
              FROM ep JOIN periods p ON p.day = ep.day)
            SELECT t.period, lac.la_id, lac.child,
                   bool_or(t.agency_id = lac.la_id), bool_or(t.police),
                   count(*) FILTER (WHERE t.agency_id = lac.la_id), count(*) FILTER (WHERE t.police),
                   min(t.start) FILTER (WHERE t.agency_id = lac.la_id OR t.police),
                   bool_or(t.at_end AND t.agency_id = lac.la_id), bool_or(t.at_end AND t.police),
                   count(*) FILTER (WHERE t.at_end AND t.agency_id = lac.la_id),
                   count(*) FILTER (WHERE t.at_end AND t.police),
                   min(t.start) FILTER (WHERE t.at_end AND (t.agency_id = lac.la_id OR t.police))
            FROM lac JOIN timed t ON t.child = lac.child
            GROUP BY t.period, lac.la_id, lac.child
            HAVING bool_or(t.agency_id = lac.la_id OR t.police)""";

    private static final String RECORDS =
            "SELECT pr.id, pr.agency_id, pr.care_status, pr.responsible_authority, coalesce(pr.identity_id, -pr.id) AS child"
                    + " FROM person_record pr";

    ReconciliationAggregate(JdbcClient jdbc, PlatformTransactionManager transactions, Clock clock) {
        super(jdbc, transactions, clock, NAME, VERSION, "stat_dirty_child");
    }

    /** Which kept rows answer the query: its standard period and variant, or empty when it must be computed. */
    private Optional<Object[]> key(ProfileQuery q) {
        Optional<String> period = MissingAggregate.period(q.from(), q.to());
        if (period.isEmpty() || q.asAt().isBefore(q.to()) || !current()) {
            return Optional.empty();
        }
        return Optional.of(new Object[] {period.get(), q.asAt().equals(q.to())});
    }

    /** The kept rows of the query's period and variant, as {@link Reconciliation}'s {@code per}. */
    private static final String KEPT = Reconciliation.AUTHORITIES
            + """
            per AS (
              SELECT la_id, child, by_authority, by_police, authority_episodes, police_episodes, first_start
              FROM stat_recon_child WHERE period = :period AND NOT :atEnd
              UNION ALL
              SELECT la_id, child, end_by_authority, end_by_police, end_authority_episodes, end_police_episodes,
                     end_first_start
              FROM stat_recon_child WHERE period = :period AND :atEnd AND (end_by_authority OR end_by_police))
            """;

    private static Map<String, Object> params(ProfileQuery q, Object[] key) {
        Map<String, Object> p = Profiles.params(q);
        p.put("period", key[0]);
        p.put("atEnd", key[1]);
        return p;
    }

    /** The lines from the kept rows, if {@link #key} allows. */
    Optional<List<Reconciliation.Line>> lines(ProfileQuery q) {
        return key(q).map(k -> Reconciliation.lines(jdbc, KEPT, params(q, k)));
    }

    /** The children behind one authority's row and group from the kept rows, if {@link #key} allows. */
    Optional<List<Reconciliation.Child>> children(ProfileQuery q, String authority, Reconciliation.Group group) {
        return key(q).map(k -> Reconciliation.children(jdbc, KEPT, params(q, k), authority, group));
    }

    @Override
    protected long writeAll() {
        jdbc.sql("TRUNCATE stat_recon_child").update();
        jdbc.sql("SET LOCAL work_mem = '256MB'").update(); // group every child's periods in memory
        return jdbc.sql("INSERT INTO stat_recon_child " + everyChild()).update();
    }

    /** The rows of every child (the rebuild's query). */
    static String everyChild() {
        return ROWS.formatted(RECORDS, MissingAggregate.periodRows(day()));
    }

    /** The period keys are worked out once per day episodes started on, not once per episode (a third of a rebuild). */
    private static String day() {
        return "d.day";
    }

    @Override
    protected void rewrite(Long[] children) {
        jdbc.sql("DELETE FROM stat_recon_child WHERE child = ANY(?)")
                .param(children)
                .update();
        jdbc.sql("INSERT INTO stat_recon_child "
                        + ROWS.formatted(
                                RECORDS + " WHERE pr.identity_id = ANY(:identities) UNION ALL " + RECORDS
                                        + " WHERE pr.identity_id IS NULL AND pr.id = ANY(:records)",
                                MissingAggregate.periodRows(day())))
                .param("identities", identities(children))
                .param("records", records(children))
                .update();
    }
}
