package org.sightline.statistics;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.sightline.support.IntegrationTest;
import org.sightline.support.TestData;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The reconciliation kept per authority and child agrees exactly with the one computed from the records, for every
 * standard period of a random multi-agency fixture, as at the period's last day and at later days, line by line and
 * child by child, after each kind of change the triggers must catch: episodes added, found (across 24 hours), moved and
 * deleted; a child coming into or leaving an authority's care; a record naming another responsible authority; records
 * merged into another child and split off; a record deleted; an authority's code changed (a rebuild); and after a
 * rebuild. The kept rows time episodes by period in one query, the computed figures filter by the query's dates, so a
 * slip in either shows as a difference.
 */
@IntegrationTest
class ReconciliationAggregateTest {

    private static final int YEAR = 1985; // no other test uses it, so the fixture is alone in its periods

    @Autowired
    TestData data;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    Reconciliation reconciliation;

    @Autowired
    ReconciliationAggregate kept;

    private final Random random = new Random(985);
    private final List<String> agencies = new ArrayList<>();
    private final List<String> authorities = new ArrayList<>();
    private final List<Long> records = new ArrayList<>();
    private final List<Long> episodes = new ArrayList<>();
    private final List<Long> identities = new ArrayList<>();

    private String agency(String type, String area) {
        String code = data.agency(type, area);
        agencies.add(code);
        if (type.equals("local_authority")) {
            authorities.add(code);
        }
        return code;
    }

    private long record(String agency, Long identity) {
        boolean authority = authorities.contains(agency);
        long id = jdbc.sql(
                        """
                INSERT INTO person_record (agency_id, record_ref, identity_id, given_name, family_name, care_status,
                                           responsible_authority)
                SELECT id, ?, ?, 'Testchild', 'Reconcile', ?, ? FROM agency WHERE code = ? RETURNING id""")
                .params(
                        TestData.unique("REC"),
                        identity,
                        authority && random.nextInt(3) > 0 ? "looked_after" : "not_recorded",
                        !authority && random.nextBoolean() ? authorities.get(random.nextInt(authorities.size())) : null,
                        agency)
                .query(Long.class)
                .single();
        records.add(id);
        return id;
    }

    /**
     * A start in the year: a third of them in the last hours of a month by London time, so that an episode still
     * missing, or found after the month ended, is timed differently as at the month's last day and later.
     */
    private Instant someStart() {
        if (random.nextInt(3) == 0) {
            LocalDate last = LocalDate.of(YEAR, 1 + random.nextInt(12), 1).plusMonths(1);
            return last.atStartOfDay(Profiles.LONDON)
                    .toInstant()
                    .minus(Duration.ofMinutes(1 + random.nextInt(30 * 60)));
        }
        return LocalDate.of(YEAR, 1, 1)
                .atStartOfDay(ZoneOffset.UTC)
                .toInstant()
                .plus(Duration.ofMinutes(random.nextInt(364 * 24 * 60)));
    }

    private void episode(long record, String agency) {
        Instant start = someStart();
        Instant found = random.nextInt(4) == 0 ? null : start.plus(Duration.ofHours(random.nextInt(60)));
        boolean lastSeen = random.nextBoolean();
        episodes.add(jdbc.sql(
                        """
                INSERT INTO missing_episode (agency_id, person_record_id, episode_ref, reported_at, last_seen_at, found_at)
                SELECT id, ?, ?, ?, ?, ? FROM agency WHERE code = ? RETURNING id""")
                .params(
                        record,
                        TestData.unique("EP"),
                        Timestamp.from(lastSeen ? start.plus(Duration.ofHours(2)) : start),
                        lastSeen ? Timestamp.from(start) : null,
                        found == null ? null : Timestamp.from(found),
                        agency)
                .query(Long.class)
                .single());
    }

    private void assertAgrees(String when, List<String> areas) {
        List<LocalDate[]> periods = StandardPeriods.of(YEAR);
        long children = 0;
        long differsByAsAt = 0;
        for (String area : areas) {
            for (LocalDate[] p : periods) {
                List<Reconciliation.Line> previous = null;
                for (LocalDate asAt : List.of(p[1], p[1].plusDays(1), p[1].plusDays(40))) {
                    ProfileQuery q = new ProfileQuery(area, p[0], p[1], asAt);
                    String what = when + ": " + area + " " + p[0] + " to " + p[1] + " as at " + asAt;
                    List<Reconciliation.Line> computed = reconciliation.computedLines(q);
                    assertThat(kept.lines(q)).as(what).contains(computed);
                    for (Reconciliation.Line line : computed) {
                        for (Reconciliation.Group g : Reconciliation.Group.values()) {
                            List<Reconciliation.Child> listed = reconciliation.computedChildren(q, line.code(), g);
                            assertThat(kept.children(q, line.code(), g))
                                    .as("%s, %s %s", what, line.code(), g)
                                    .contains(listed);
                            children += listed.size();
                        }
                    }
                    if (previous != null && !previous.equals(computed)) {
                        differsByAsAt++;
                    }
                    previous = computed;
                }
            }
        }
        assertThat(children).as("the fixture has children to reconcile").isPositive();
        assertThat(differsByAsAt)
                .as("some periods differ as at their last day and later")
                .isPositive();
    }

    @Test
    void keptRowsAgreeWithTheRecordsThroughEveryKindOfChangeAndARebuild() {
        String areaA = TestData.unique("AREA");
        String areaB = TestData.unique("AREA");
        String forceA = agency("police_force", areaA);
        String forceB = agency("police_force", areaB);
        String authorityA = agency("local_authority", areaA);
        String authorityB = agency("local_authority", areaB);
        agency("care_provider", areaB);
        kept.rebuild();
        for (int c = 0; c < 50; c++) {
            Long identity = random.nextInt(6) == 0 ? null : data.identity();
            if (identity != null) {
                identities.add(identity);
            }
            List<String> by = new ArrayList<>(agencies);
            Collections.shuffle(by, random);
            for (int r = identity == null ? 1 : 1 + random.nextInt(3); r > 0; r--) {
                String agency = by.get(r);
                long record = record(agency, identity);
                for (int e = random.nextInt(4); e > 0; e--) {
                    episode(record, agency);
                }
            }
        }
        List<String> areas = new ArrayList<>(List.of(areaA, areaB, authorityA, authorityB));
        assertAgrees("built", areas);

        // Episodes added, found later or sooner (across 24 hours), moved to another agency, deleted.
        for (int i = 0; i < 20; i++) {
            long record = records.get(random.nextInt(records.size()));
            episode(record, agencies.get(random.nextInt(agencies.size())));
        }
        for (int i = 0; i < 10; i++) {
            jdbc.sql(
                            "UPDATE missing_episode SET found_at = coalesce(last_seen_at, reported_at) + CAST(? AS interval) WHERE id = ?")
                    .params(
                            random.nextBoolean()
                                    ? Duration.ofHours(23).toString()
                                    : Duration.ofHours(25).toString(),
                            episodes.get(random.nextInt(episodes.size())))
                    .update();
        }
        jdbc.sql("UPDATE missing_episode SET found_at = NULL WHERE id = ?")
                .param(episodes.get(random.nextInt(episodes.size())))
                .update();
        jdbc.sql("UPDATE missing_episode SET agency_id = (SELECT id FROM agency WHERE code = ?) WHERE id = ?")
                .params(forceB, episodes.get(random.nextInt(episodes.size())))
                .update();
        for (int i = 0; i < 4; i++) {
            jdbc.sql("DELETE FROM missing_episode WHERE id = ?")
                    .param(episodes.remove(random.nextInt(episodes.size())))
                    .update();
        }
        assertAgrees("after episodes changed", areas);

        // Into and out of care, another responsible authority.
        for (int i = 0; i < 8; i++) {
            jdbc.sql("UPDATE person_record SET care_status = ? WHERE id = ?")
                    .params(
                            random.nextBoolean() ? "looked_after" : "not_looked_after",
                            records.get(random.nextInt(records.size())))
                    .update();
            jdbc.sql("UPDATE person_record SET responsible_authority = ? WHERE id = ?")
                    .params(random.nextBoolean() ? authorityA : null, records.get(random.nextInt(records.size())))
                    .update();
        }
        assertAgrees("after care and responsibility changed", areas);

        // Merges and splits; a record deleted with its episodes.
        for (int i = 0; i < 6; i++) {
            jdbc.sql("UPDATE person_record SET identity_id = ? WHERE id = ?")
                    .params(
                            identities.get(random.nextInt(identities.size())),
                            records.get(random.nextInt(records.size())))
                    .update();
        }
        for (int i = 0; i < 3; i++) {
            jdbc.sql("UPDATE person_record SET identity_id = NULL WHERE id = ?")
                    .param(records.get(random.nextInt(records.size())))
                    .update();
        }
        long gone = records.remove(random.nextInt(records.size()));
        jdbc.sql("DELETE FROM missing_episode WHERE person_record_id = ?")
                .param(gone)
                .update();
        jdbc.sql("DELETE FROM person_record WHERE id = ?").param(gone).update();
        assertAgrees("after merges, splits and a deletion", areas);

        // An authority's new code: records naming the old one no longer count towards it; the rows are rebuilt.
        jdbc.sql("UPDATE agency SET code = ? WHERE code = ?")
                .params(authorityA + "-N", authorityA)
                .update();
        assertThat(kept.built()).as("an authority's code changed: rebuild").isFalse();
        LocalDate may = LocalDate.of(YEAR, 5, 1);
        assertThat(kept.lines(new ProfileQuery(areaA, may, may.plusMonths(1).minusDays(1), may.plusMonths(1))))
                .as("computed from the records meanwhile")
                .isEmpty();
        kept.poll();
        areas.set(2, authorityA + "-N");
        assertAgrees("after an authority's code changed", areas);

        List<String> before = rows();
        kept.rebuild();
        assertThat(rows()).isEqualTo(before);
    }

    /** The fixture's kept rows, as text. */
    private List<String> rows() {
        return jdbc.sql(
                        """
                SELECT concat_ws(' ', k.period, a.code, k.child, k.by_authority, k.by_police, k.authority_episodes,
                                 k.police_episodes, k.first_start, k.end_by_authority, k.end_by_police,
                                 k.end_authority_episodes, k.end_police_episodes, k.end_first_start)
                FROM stat_recon_child k JOIN agency a ON a.id = k.la_id
                WHERE k.period LIKE '%' || ? || '%' ORDER BY 1""")
                .param(Integer.toString(YEAR))
                .query(String.class)
                .list();
    }
}
