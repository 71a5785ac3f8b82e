package org.sightline.statistics;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.sightline.shared.Progress;
import org.sightline.support.IntegrationTest;
import org.sightline.support.TestData;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The pre-aggregated missing-episode counts agree exactly with the figures computed from the records, for every
 * standard period and every area a random multi-agency fixture touches, after each kind of change the triggers must
 * catch (new episodes, finds, a record moving to another identity or losing it, a deleted episode, an agency moved to
 * another area) and after a rebuild. The figures from the records filter by SQL; the counts key each episode by its
 * agency's areas and its London reporting day in Java, so a slip in either shows as a difference.
 */
@IntegrationTest
class MissingAggregateTest {

    private static final int YEAR = 1987; // no other test uses it, so the fixture is alone in its periods

    @Autowired
    TestData data;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    MissingStatistics missing;

    @Autowired
    MissingAggregate aggregate;

    private final Random random = new Random(987);
    private final List<String> agencies = new ArrayList<>();
    private final List<Long> records = new ArrayList<>();
    private final List<Long> episodes = new ArrayList<>();
    private final List<Long> identities = new ArrayList<>();

    private String agency(String type, String area) {
        String code = data.agency(type, area);
        agencies.add(code);
        return code;
    }

    private long record(String agency, Long identity) {
        long id = jdbc.sql(
                        """
                INSERT INTO person_record (agency_id, record_ref, identity_id, given_name, family_name)
                SELECT id, ?, ?, 'Testchild', 'Aggregate' FROM agency WHERE code = ? RETURNING id""")
                .params(TestData.unique("REC"), identity, agency)
                .query(Long.class)
                .single();
        records.add(id);
        return id;
    }

    /**
     * A random instant of the year; a third of them late on a month's last day by UTC, which in summer is the next
     * month (and on 31 March the next financial year) in London, where periods are counted.
     */
    private Instant someTime() {
        if (random.nextInt(3) == 0) {
            LocalDate last =
                    LocalDate.of(YEAR, 1 + random.nextInt(11), 1).plusMonths(1).minusDays(1);
            return last.atTime(23, random.nextInt(60)).toInstant(java.time.ZoneOffset.UTC);
        }
        return LocalDate.of(YEAR, 1, 1)
                .atStartOfDay(java.time.ZoneOffset.UTC)
                .toInstant()
                .plus(Duration.ofMinutes(random.nextInt(364 * 24 * 60)));
    }

    private long episode(long record, Instant start) {
        Instant found = random.nextInt(5) == 0 ? null : start.plus(Duration.ofHours(1 + random.nextInt(200)));
        String[] from = {"home", "care", "other"};
        String[] interview = {"not_offered", "offered", "declined", "completed"};
        long id = jdbc.sql(
                        """
                INSERT INTO missing_episode (agency_id, person_record_id, episode_ref, reported_at, last_seen_at,
                                             found_at, missing_from, category, current_risk_grade,
                                             return_interview_status, return_interview_at)
                SELECT pr.agency_id, pr.id, ?, ?, ?, ?, ?, ?, ?, ?, ? FROM person_record pr WHERE pr.id = ?
                RETURNING id""")
                .params(
                        TestData.unique("EP"),
                        Timestamp.from(
                                random.nextBoolean() ? start : start.plus(Duration.ofMinutes(random.nextInt(90)))),
                        random.nextBoolean() ? Timestamp.from(start) : null,
                        found == null ? null : Timestamp.from(found),
                        from[random.nextInt(from.length)],
                        random.nextInt(4) == 0 ? "away" : "missing",
                        random.nextBoolean() ? "high" : random.nextBoolean() ? "medium" : null,
                        interview[random.nextInt(interview.length)],
                        found != null && random.nextBoolean()
                                ? Timestamp.from(found.plus(Duration.ofHours(random.nextInt(120))))
                                : null,
                        record)
                .query(Long.class)
                .single();
        episodes.add(id);
        return id;
    }

    private void foundBy(long episode, String force) {
        jdbc.sql(
                        """
                INSERT INTO episode_event (episode_id, event_type, occurred_at, recorded_at, recorded_by, recorded_by_agency)
                SELECT ?, 'found', now(), now(), 'tester', name FROM agency WHERE code = ?""")
                .params(episode, force)
                .update();
    }

    private void foundAt(long episode, String force) {
        long place = jdbc.sql(
                        """
                INSERT INTO location (agency_id, location_ref, kind, name, postcode)
                SELECT id, ?, 'flat', 'Flat 9', 'ZZ1 1ZZ' FROM agency WHERE code = ? RETURNING id""")
                .params(TestData.unique("LOC"), force)
                .query(Long.class)
                .single();
        jdbc.sql(
                        """
                INSERT INTO association (agency_id, from_kind, from_id, to_kind, to_id, association_type)
                SELECT id, 'episode', ?, 'location', ?, 'found_at' FROM agency WHERE code = ?""")
                .params(episode, place, force)
                .update();
    }

    /** Every standard period of the year and each area the fixture touches agree with the figures from the records. */
    private void assertAgrees(String when, List<String> areas) {
        List<LocalDate[]> periods = StandardPeriods.of(YEAR);
        long compared = 0;
        for (String area : areas) {
            for (LocalDate[] p : periods) {
                ProfileQuery q = new ProfileQuery(area, p[0], p[1], p[1]);
                Optional<MissingStatistics.Figures> counted = aggregate.figures(q);
                assertThat(counted).as("%s: counts for %s %s", when, area, p[0]).isPresent();
                assertThat(counted.get())
                        .as("%s: %s %s to %s", when, area, p[0], p[1])
                        .isEqualTo(missing.figures(q));
                compared += counted.get().records();
            }
        }
        assertThat(compared)
                .as("the fixture has episodes in the periods compared")
                .isPositive();
    }

    @Test
    void countsAgreeWithTheRecordsThroughEveryKindOfChangeAndARebuild() {
        aggregate.rebuild(Progress.NONE);
        String areaA = TestData.unique("AREA");
        String areaB = TestData.unique("AREA");
        String forceA = agency("police_force", areaA);
        String forceB = agency("police_force", areaB);
        String authorityA = agency("local_authority", areaA);
        String provider = agency("care_provider", areaB);
        // Children held by one to three agencies, some records not yet resolved to an identity, several episodes a
        // child, so incidents join agencies' records and repeat children exist.
        for (int c = 0; c < 40; c++) {
            Long identity = random.nextInt(6) == 0 ? null : data.identity();
            if (identity != null) {
                identities.add(identity);
            }
            int held = identity == null ? 1 : 1 + random.nextInt(3);
            List<String> by = new ArrayList<>(agencies);
            java.util.Collections.shuffle(by, random);
            for (int r = 0; r < held; r++) {
                long record = record(by.get(r), identity);
                Instant start = someTime();
                for (int e = random.nextInt(3); e >= 0; e--) {
                    long episode = episode(record, start);
                    if (random.nextInt(3) == 0) {
                        foundBy(episode, random.nextBoolean() ? forceA : forceB);
                    }
                    start = random.nextBoolean() ? someTime() : start.plus(Duration.ofHours(random.nextInt(30)));
                }
            }
        }
        List<String> areas = new ArrayList<>(List.of(areaA, areaB, ProfileQuery.ENGLAND_AND_WALES));
        areas.addAll(agencies);
        assertAgrees("built", areas);

        // New episodes and finds (found by a force, found at a force's place).
        for (int i = 0; i < 15; i++) {
            long episode = episode(records.get(random.nextInt(records.size())), someTime());
            if (i % 2 == 0) {
                foundAt(episode, i % 4 == 0 ? forceA : forceB);
            } else {
                foundBy(episodes.get(random.nextInt(episodes.size())), forceB);
            }
        }
        assertAgrees("after new episodes and finds", areas);

        // Records moved to another identity (a merge), and records losing theirs (a split).
        for (int i = 0; i < 8; i++) {
            jdbc.sql("UPDATE person_record SET identity_id = ? WHERE id = ?")
                    .params(
                            identities.get(random.nextInt(identities.size())),
                            records.get(random.nextInt(records.size())))
                    .update();
        }
        for (int i = 0; i < 4; i++) {
            jdbc.sql("UPDATE person_record SET identity_id = NULL WHERE id = ?")
                    .param(records.get(random.nextInt(records.size())))
                    .update();
        }
        assertAgrees("after merges and splits", areas);

        // Edited and deleted episodes.
        for (int i = 0; i < 6; i++) {
            jdbc.sql("UPDATE missing_episode SET found_at = reported_at + interval '3 days' WHERE id = ?")
                    .param(episodes.get(random.nextInt(episodes.size())))
                    .update();
        }
        for (int i = 0; i < 4; i++) {
            long episode = episodes.remove(random.nextInt(episodes.size()));
            jdbc.sql("DELETE FROM episode_event WHERE episode_id = ?")
                    .param(episode)
                    .update();
            jdbc.sql("DELETE FROM association WHERE from_kind = 'episode' AND from_id = ?")
                    .param(episode)
                    .update();
            jdbc.sql("DELETE FROM missing_episode WHERE id = ?").param(episode).update();
        }
        assertAgrees("after edits and deletions", areas);

        // A care provider moves to another area: its episodes count there now, and no longer where they did.
        jdbc.sql("UPDATE agency SET area_code = ? WHERE code = ?")
                .params(areaA, provider)
                .update();
        assertAgrees("after an agency moved", areas);

        // A rebuild from nothing gives the counts the changes were applied to, with its workers handed a child at a
        // time, so each counts some and their counts are added up.
        List<String> before = cells();
        aggregate.countBatch(1);
        try {
            aggregate.rebuild(Progress.NONE);
        } finally {
            aggregate.countBatch(MissingAggregate.COUNT_BATCH);
        }
        assertThat(cells()).isEqualTo(before);
        assertAgrees("after a rebuild", areas);
    }

    /** The fixture's non-zero counts, as text. */
    private List<String> cells() {
        return jdbc.sql(
                        """
                SELECT area || ' ' || period || ' ' || cell || ' ' || n
                FROM stat_missing_count, unnest(cells, counts) AS c(cell, n)
                WHERE n <> 0 AND period LIKE '%' || ? || '%' ORDER BY 1""")
                .param(Integer.toString(YEAR))
                .query(String.class)
                .list();
    }

    @Test
    void aPageComputesFromTheRecordsWhileARebuildRunsAndReadsTheCountsAfterIt() throws Exception {
        aggregate.rebuild(Progress.NONE);
        String force = agency("police_force", TestData.unique("AREA"));
        LocalDate end = LocalDate.of(YEAR, 5, 31);
        ProfileQuery may = new ProfileQuery(force, LocalDate.of(YEAR, 5, 1), end, end);
        // Another session holds both of a running rebuild's locks, taken before the episode is recorded: the scheduled
        // refresh then waits as it would behind a rebuild, instead of applying the episode before the page looks.
        try (java.sql.Connection other = java.sql.DriverManager.getConnection(
                org.sightline.support.TestDatabase.url(),
                org.sightline.support.TestDatabase.user(),
                org.sightline.support.TestDatabase.password())) {
            other.setAutoCommit(false);
            try (java.sql.Statement sql = other.createStatement()) {
                sql.execute("SELECT pg_advisory_xact_lock(hashtext('stat_missing_rebuild'))");
                sql.execute("SELECT pg_advisory_xact_lock(hashtext('stat_missing'))");
            }
            long record = record(force, data.identity());
            episode(
                    record,
                    LocalDate.of(YEAR, 5, 10)
                            .atStartOfDay(java.time.ZoneOffset.UTC)
                            .toInstant());
            assertThat(aggregate.figures(may))
                    .as("not read while a rebuild runs")
                    .isEmpty();
            assertThat(missing.figures(may).records()).isEqualTo(1);
            other.rollback();
        }
        assertThat(aggregate.figures(may))
                .hasValueSatisfying(f -> assertThat(f.records()).isEqualTo(1));
    }

    @Test
    void onlyStandardPeriodsWhollyBeforeTheAsAtDateAreReadFromTheCounts() {
        assertThat(MissingAggregate.period(LocalDate.of(2024, 4, 1), LocalDate.of(2025, 3, 31)))
                .contains("FY2024");
        assertThat(MissingAggregate.period(LocalDate.of(2024, 1, 1), LocalDate.of(2024, 12, 31)))
                .contains("Y2024");
        assertThat(MissingAggregate.period(LocalDate.of(2024, 7, 1), LocalDate.of(2024, 9, 30)))
                .contains("Q2024-3");
        assertThat(MissingAggregate.period(LocalDate.of(2024, 2, 1), LocalDate.of(2024, 2, 29)))
                .contains("M2024-02");
        assertThat(MissingAggregate.period(LocalDate.of(2024, 2, 1), LocalDate.of(2024, 4, 30)))
                .isEmpty();
        assertThat(MissingAggregate.period(LocalDate.of(2024, 4, 2), LocalDate.of(2025, 3, 31)))
                .isEmpty();
        assertThat(MissingAggregate.periods(LocalDate.of(2025, 3, 31)))
                .containsExactly("M2025-03", "Q2025-1", "FY2024", "Y2025");
        ProfileQuery asAtInside =
                new ProfileQuery(null, LocalDate.of(YEAR, 1, 1), LocalDate.of(YEAR, 12, 31), LocalDate.of(YEAR, 6, 30));
        assertThat(aggregate.figures(asAtInside)).isEmpty();
    }
}
