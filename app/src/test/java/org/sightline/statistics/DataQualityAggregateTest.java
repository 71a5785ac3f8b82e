package org.sightline.statistics;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.sightline.support.IntegrationTest;
import org.sightline.support.TestData;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The data-quality figures kept per agency agree exactly with the figures computed from the records, for the standard
 * periods, all time and another period, for every area a random multi-agency fixture touches, after each kind of change
 * the triggers must catch: facts edited (also on a record another agency raised a concern about), episodes added,
 * edited, moved to another agency and deleted, concerns deleted, an agency's kind changed, a record deleted; and after
 * a rebuild. The kept timeliness keys episodes by period in SQL, the figures from the records filter by timestamps, so
 * a slip in either shows as a difference.
 */
@IntegrationTest
class DataQualityAggregateTest {

    private static final int YEAR = 1986; // no other test uses it, so the fixture is alone in its periods

    @Autowired
    TestData data;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    DataQuality quality;

    private final Random random = new Random(986);
    private final List<String> agencies = new ArrayList<>();
    private final List<Long> records = new ArrayList<>();
    private final List<Long> episodes = new ArrayList<>();
    private final List<Long> concerns = new ArrayList<>();

    private String agency(String type, String area) {
        String code = data.agency(type, area);
        agencies.add(code);
        return code;
    }

    private static <T> T pick(Random random, List<T> from) {
        return from.get(random.nextInt(from.size()));
    }

    private long record(String agency) {
        List<String> tri = List.of("yes", "no", "not_known", "not_recorded");
        long id = jdbc.sql(
                        """
                INSERT INTO person_record (agency_id, record_ref, given_name, family_name, sex, dob_year,
                                           ethnicity_status, care_status, cp_plan, known_to_social_care,
                                           reported_missing, responsible_authority)
                SELECT id, ?, 'Testchild', 'Quality', ?, ?, ?, ?, CAST(? AS tri_state), CAST(? AS tri_state),
                       CAST(? AS tri_state), ? FROM agency WHERE code = ? RETURNING id""")
                .params(
                        TestData.unique("REC"),
                        pick(random, List.of("female", "male", "not_known", "not_recorded")),
                        random.nextInt(4) == 0 ? null : 2000 + random.nextInt(10),
                        pick(random, List.of("not_known", "not_recorded", "refused")),
                        pick(random, List.of("looked_after", "not_looked_after", "not_known", "not_recorded")),
                        pick(random, tri),
                        pick(random, tri),
                        pick(random, tri),
                        random.nextBoolean() ? null : pick(random, agencies),
                        agency)
                .query(Long.class)
                .single();
        records.add(id);
        return id;
    }

    /** A random instant of the year; a third of them late on a month's last day by UTC (the next month in London). */
    private Instant someTime() {
        if (random.nextInt(3) == 0) {
            LocalDate last =
                    LocalDate.of(YEAR, 1 + random.nextInt(11), 1).plusMonths(1).minusDays(1);
            return last.atTime(23, random.nextInt(60)).toInstant(ZoneOffset.UTC);
        }
        return LocalDate.of(YEAR, 1, 1)
                .atStartOfDay(ZoneOffset.UTC)
                .toInstant()
                .plus(Duration.ofMinutes(random.nextInt(364 * 24 * 60)));
    }

    private void episode(long record, String agency) {
        Instant seen = someTime();
        Instant found = random.nextInt(4) == 0 ? null : seen.plus(Duration.ofHours(1 + random.nextInt(200)));
        long id = jdbc.sql(
                        """
                INSERT INTO missing_episode (agency_id, person_record_id, episode_ref, reported_at, last_seen_at,
                                             found_at, return_interview_status, return_interview_at)
                SELECT a.id, ?, ?, ?, ?, ?, ?, ? FROM agency a WHERE a.code = ? RETURNING id""")
                .params(
                        record,
                        TestData.unique("EP"),
                        Timestamp.from(seen.plus(Duration.ofMinutes(random.nextInt(600)))),
                        random.nextInt(3) == 0 ? null : Timestamp.from(seen),
                        found == null ? null : Timestamp.from(found),
                        pick(random, List.of("not_offered", "offered", "declined", "completed")),
                        found != null && random.nextBoolean()
                                ? Timestamp.from(found.plus(Duration.ofHours(random.nextInt(120))))
                                : null,
                        agency)
                .query(Long.class)
                .single();
        episodes.add(id);
    }

    private void concern(long record, String agency) {
        concerns.add(jdbc.sql(
                        """
                INSERT INTO exploitation_concern (agency_id, person_record_id, concern_ref, raised_at)
                SELECT id, ?, ?, ? FROM agency WHERE code = ? RETURNING id""")
                .params(record, TestData.unique("CON"), Timestamp.from(someTime()), agency)
                .query(Long.class)
                .single());
    }

    private void assertAgrees(String when, List<String> areas) {
        List<LocalDate[]> periods = new ArrayList<>();
        periods.add(new LocalDate[] {null, null});
        periods.add(new LocalDate[] {LocalDate.of(YEAR, 2, 10), LocalDate.of(YEAR, 8, 20)}); // not a standard one
        periods.addAll(StandardPeriods.of(YEAR));
        long episodesCompared = 0;
        long failuresCompared = 0;
        for (String area : areas) {
            for (LocalDate[] p : periods) {
                ProfileQuery q = new ProfileQuery(area, p[0], p[1], LocalDate.of(YEAR + 2, 1, 1));
                DataQuality.Report kept = quality.report(q);
                DataQuality.Report computed = quality.computed(q);
                assertThat(kept.timedChecksAt())
                        .as("%s: read from the kept counts", when)
                        .isNotNull();
                assertThat(computed.timedChecksAt()).isNull();
                String what = when + ": " + area + " " + p[0] + " to " + p[1];
                assertThat(kept.completeness()).as(what).isEqualTo(computed.completeness());
                assertThat(kept.timeliness()).as(what).isEqualTo(computed.timeliness());
                assertThat(kept.checkFailures()).as(what).isEqualTo(computed.checkFailures());
                if (p[0] == null) { // the median, against PostgreSQL's
                    for (DataQuality.Timeliness t : kept.timeliness()) {
                        assertThat(t.medianReportDelayHours())
                                .as("%s, %s median", what, t.code())
                                .isEqualTo(jdbc.sql(
                                                """
                                        SELECT percentile_cont(0.5) WITHIN GROUP (
                                                 ORDER BY extract(epoch FROM e.reported_at - e.last_seen_at) / 3600)
                                        FROM missing_episode e JOIN agency a ON a.id = e.agency_id
                                        WHERE a.code = ? AND e.last_seen_at IS NOT NULL""")
                                        .param(t.code())
                                        .query(Double.class)
                                        .single());
                    }
                }
                episodesCompared += computed.timeliness().stream()
                        .mapToLong(DataQuality.Timeliness::episodes)
                        .sum();
                failuresCompared += computed.checkFailures().values().stream()
                        .mapToLong(m ->
                                m.values().stream().mapToLong(Long::longValue).sum())
                        .sum();
            }
        }
        assertThat(episodesCompared)
                .as("the fixture has episodes in the periods compared")
                .isPositive();
        assertThat(failuresCompared).as("the fixture fails checks").isPositive();
    }

    @Test
    void keptFiguresAgreeWithTheRecordsThroughEveryKindOfChangeAndARebuild() {
        quality.rebuild();
        String areaA = TestData.unique("AREA");
        String areaB = TestData.unique("AREA");
        String forceA = agency("police_force", areaA);
        String forceB = agency("police_force", areaB);
        String authorityA = agency("local_authority", areaA);
        String authorityB = agency("local_authority", areaB);
        for (int c = 0; c < 60; c++) {
            long record = record(pick(random, agencies));
            for (int e = random.nextInt(3); e > 0; e--) {
                episode(record, random.nextInt(4) == 0 ? pick(random, agencies) : agencyOf(record));
            }
            if (random.nextInt(3) == 0) {
                concern(record, pick(random, agencies)); // often another agency's record
            }
        }
        // A record of force A with its sex recorded, about which authority B raised a concern.
        long concerned = record(forceA);
        jdbc.sql("UPDATE person_record SET sex = 'female' WHERE id = ?")
                .param(concerned)
                .update();
        concern(concerned, authorityB);
        List<String> areas = new ArrayList<>(List.of(areaA, areaB));
        areas.addAll(agencies);
        assertAgrees("built", areas);

        // Only that record's sex is edited: authority B's DQ006 changes, though none of its rows did.
        jdbc.sql("UPDATE person_record SET sex = 'not_recorded' WHERE id = ?")
                .param(concerned)
                .update();
        assertAgrees("after another agency's record lost its sex", areas);

        // Facts edited.
        for (int i = 0; i < 12; i++) {
            jdbc.sql("UPDATE person_record SET sex = ?, dob_year = ?, care_status = ? WHERE id = ?")
                    .params(
                            pick(random, List.of("female", "not_recorded")),
                            random.nextBoolean() ? null : 2005,
                            pick(random, List.of("looked_after", "not_recorded")),
                            pick(random, records))
                    .update();
        }
        assertAgrees("after facts edited", areas);

        // Episodes added, edited, moved to another agency, deleted; concerns deleted.
        for (int i = 0; i < 15; i++) {
            long record = pick(random, records);
            episode(record, agencyOf(record));
        }
        for (int i = 0; i < 6; i++) {
            jdbc.sql(
                            """
                    UPDATE missing_episode SET found_at = reported_at + interval '80 hours',
                           return_interview_status = 'completed', return_interview_at = reported_at + interval '90 hours'
                    WHERE id = ?""")
                    .param(pick(random, episodes))
                    .update();
        }
        jdbc.sql("UPDATE missing_episode SET agency_id = (SELECT id FROM agency WHERE code = ?) WHERE id = ?")
                .params(authorityB, pick(random, episodes))
                .update();
        for (int i = 0; i < 4; i++) {
            jdbc.sql("DELETE FROM missing_episode WHERE id = ?")
                    .param(episodes.remove(random.nextInt(episodes.size())))
                    .update();
        }
        jdbc.sql("DELETE FROM exploitation_concern WHERE id = ?")
                .param(concerns.remove(concerns.size() - 1))
                .update();
        assertAgrees("after episodes and concerns changed", areas);

        // A force becomes an authority (return interviews are an authority's duty, DQ002), a record is deleted.
        jdbc.sql("UPDATE agency SET agency_type = 'local_authority' WHERE code = ?")
                .param(forceB)
                .update();
        long gone = records.stream()
                .filter(r -> jdbc.sql("SELECT count(*) FROM missing_episode WHERE person_record_id = ?")
                                .param(r)
                                .query(Long.class)
                                .single()
                        == 0)
                .filter(r -> jdbc.sql("SELECT count(*) FROM exploitation_concern WHERE person_record_id = ?")
                                .param(r)
                                .query(Long.class)
                                .single()
                        == 0)
                .findFirst()
                .orElseThrow();
        jdbc.sql("DELETE FROM person_record WHERE id = ?").param(gone).update();
        assertAgrees("after an agency's kind changed and a record was deleted", areas);

        // A rebuild from nothing gives the figures the changes were applied to.
        List<String> before = kept();
        quality.rebuild();
        assertThat(kept()).isEqualTo(before);
        assertAgrees("after a rebuild", areas);
    }

    private String agencyOf(long record) {
        return jdbc.sql("SELECT a.code FROM agency a JOIN person_record pr ON pr.agency_id = a.id WHERE pr.id = ?")
                .param(record)
                .query(String.class)
                .single();
    }

    /** The fixture's kept rows, as text. */
    private List<String> kept() {
        return jdbc.sql(
                        """
                SELECT a.code || ' ' || k.measure || ' ' || k.n FROM stat_quality_count k JOIN agency a ON a.id = k.agency_id
                WHERE a.code = ANY(?)
                UNION ALL
                SELECT a.code || ' ' || t.period || ' ' || t.episodes || ' ' || coalesce(t.median_delay::text, '-')
                       || ' ' || t.found || ' ' || t.within72
                FROM stat_quality_timeliness t JOIN agency a ON a.id = t.agency_id WHERE a.code = ANY(?)
                ORDER BY 1""")
                .params(agencies.toArray(String[]::new), agencies.toArray(String[]::new))
                .query(String.class)
                .list();
    }

    /** An episode of the record found {@code hours} ago, with no return interview. */
    private void foundHoursAgo(long record, String agency, int hours) {
        jdbc.sql(
                        """
                INSERT INTO missing_episode (agency_id, person_record_id, episode_ref, reported_at, found_at,
                                             return_interview_status)
                SELECT id, ?, ?, now() - interval '80 hours', now() - make_interval(hours => ?), 'not_offered'
                FROM agency WHERE code = ?""")
                .params(record, TestData.unique("EP"), hours, agency)
                .update();
    }

    @Test
    void checksThatDependOnTheTimeAreCountedAgainWhenDue() {
        quality.rebuild();
        String authority = agency("local_authority", TestData.unique("AREA"));
        long record = record(authority);
        // Found 71 hours ago with no return interview: DQ002 fails it only once 72 hours have passed.
        foundHoursAgo(record, authority, 71);
        ProfileQuery q = new ProfileQuery(authority, null, null, LocalDate.now());
        assertThat(quality.report(q).checkFailures().get("DQ002")).isEmpty();
        jdbc.sql("UPDATE missing_episode SET found_at = now() - interval '73 hours' WHERE person_record_id = ?")
                .param(record)
                .update();
        assertThat(quality.report(q).checkFailures().get("DQ002"))
                .as("an edit is counted at once")
                .containsEntry(authority, 1L);
        // The clock alone moves another episode past 72 hours: counted again when due, not before.
        long other = record(authority);
        foundHoursAgo(other, authority, 73);
        // As if the change had been counted before 72 hours (only this agency's row: others' stay queued).
        jdbc.sql("DELETE FROM stat_dirty_agency WHERE agency_id = (SELECT id FROM agency WHERE code = ?)")
                .param(authority)
                .update();
        jdbc.sql("UPDATE stat_quality_count SET n = 1 WHERE measure = 'check:DQ002'"
                        + " AND agency_id = (SELECT id FROM agency WHERE code = ?)")
                .param(authority)
                .update();
        assertThat(quality.report(q).checkFailures().get("DQ002")).containsEntry(authority, 1L);
        quality.poll();
        assertThat(quality.report(q).checkFailures().get("DQ002"))
                .as("not due yet")
                .containsEntry(authority, 1L);
        jdbc.sql(
                        "UPDATE stat_aggregate_state SET built_at = built_at - interval '16 minutes' WHERE name LIKE 'quality:%'")
                .update();
        quality.poll();
        DataQuality.Report due = quality.report(q);
        assertThat(due.checkFailures().get("DQ002")).containsEntry(authority, 2L);
        assertThat(due.timedChecksAt()).isAfter(Instant.now().minus(Duration.ofMinutes(1)));
    }
}
