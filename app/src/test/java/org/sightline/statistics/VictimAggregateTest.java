package org.sightline.statistics;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
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
 * The victims' profile from the kept rows agrees exactly with the profile gathered from the records — every count,
 * the records, the conflicts listed and the unplaced — for two areas, periods with and without ends and as-at dates
 * either side of birthdays and episode reports, after each kind of change the triggers must catch: facts edited, a
 * concern raised on a child who had none, one moved to another record, re-dated, moved to another agency and one
 * deleted, episodes added, re-dated and
 * deleted, a record joining a child, records merged into another child and split off, a record deleted; and a rebuild
 * writes the rows the refreshes left. The fixture's facts are random, so every dimension has known, not known, not
 * recorded and conflicting values.
 */
@IntegrationTest
class VictimAggregateTest {

    private static final int YEAR = 1986; // concerns in no other test's year, so the periods hold the fixture alone

    @Autowired
    TestData data;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    Profiles profiles;

    @Autowired
    VictimAggregate kept;

    private final Random random = new Random(986);
    private final List<String> agencies = new ArrayList<>();
    private final List<Long> records = new ArrayList<>();
    private final List<Long> concerns = new ArrayList<>();
    private final List<Long> episodes = new ArrayList<>();
    private final List<Long> identities = new ArrayList<>();

    private String agency(String type, String area) {
        String code = data.agency(type, area);
        agencies.add(code);
        return code;
    }

    private <T> T any(List<T> values) {
        return values.get(random.nextInt(values.size()));
    }

    private long record(String agency, Long identity) {
        String status = any(List.of("recorded", "recorded", "recorded", "refused", "not_known", "not_recorded"));
        String[] ethnicity = any(List.of(
                new String[] {"DFE", "WBRI"},
                new String[] {"DFE", "BAFR"},
                new String[] {"POLICE_SDE", "W1"},
                new String[] {"POLICE_SDE", "W3"},
                new String[] {"POLICE_ODE", "IC3"}));
        Integer year = random.nextInt(8) == 0 ? null : 1970 + random.nextInt(3);
        Integer month = year == null || random.nextInt(4) == 0 ? null : 1 + random.nextInt(12);
        Integer day = month == null || random.nextInt(3) == 0 ? null : 1 + random.nextInt(28);
        long id = jdbc.sql(
                        """
                INSERT INTO person_record (agency_id, record_ref, identity_id, given_name, family_name, sex,
                                           ethnicity_status, ethnicity_scheme, ethnicity_code, dob_year, dob_month,
                                           dob_day, care_status, cp_plan, known_to_social_care, reported_missing)
                SELECT id, ?, ?, 'Testchild', 'Victimkept', ?, ?, ?, ?, ?, ?, ?, ?, CAST(? AS tri_state),
                       CAST(? AS tri_state), CAST(? AS tri_state)
                FROM agency WHERE code = ? RETURNING id""")
                .params(
                        TestData.unique("VIC"),
                        identity,
                        any(List.of("female", "female", "male", "not_known", "not_recorded")),
                        status,
                        status.equals("recorded") ? ethnicity[0] : null,
                        status.equals("recorded") ? ethnicity[1] : null,
                        year,
                        month,
                        day,
                        any(List.of("looked_after", "not_looked_after", "not_known", "not_recorded")),
                        tri(),
                        tri(),
                        tri(),
                        agency)
                .query(Long.class)
                .single();
        records.add(id);
        return id;
    }

    private String tri() {
        return any(List.of("yes", "no", "not_known", "not_recorded"));
    }

    /** A concern raised in the year, at a time, or known only to its month, its year, or not at all. */
    private void concern(long record) {
        String agency = any(agencies);
        int precision = random.nextInt(6);
        Instant at = LocalDate.of(YEAR, 1, 1)
                .atStartOfDay(Profiles.LONDON)
                .toInstant()
                .plus(Duration.ofMinutes(random.nextInt(364 * 24 * 60)));
        concerns.add(jdbc.sql(
                        """
                INSERT INTO exploitation_concern (agency_id, person_record_id, concern_ref, raised_at, raised_precision,
                                                  raised_year, raised_month)
                SELECT id, ?, ?, ?, ?, ?, ? FROM agency WHERE code = ? RETURNING id""")
                .params(
                        record,
                        TestData.unique("CON"),
                        precision < 3 ? Timestamp.from(at) : null,
                        precision < 3 ? "time" : precision == 3 ? "month" : precision == 4 ? "year" : "not_known",
                        precision == 3 || precision == 4 ? YEAR : null,
                        precision == 3 ? 1 + random.nextInt(12) : null,
                        agency)
                .query(Long.class)
                .single());
    }

    private void episode(long record) {
        episodes.add(jdbc.sql(
                        """
                INSERT INTO missing_episode (agency_id, person_record_id, episode_ref, reported_at)
                SELECT id, ?, ?, ? FROM agency WHERE code = ? RETURNING id""")
                .params(record, TestData.unique("EP"), Timestamp.from(someDay()), any(agencies))
                .query(Long.class)
                .single());
    }

    private Instant someDay() {
        return LocalDate.of(YEAR, 1, 1)
                .atStartOfDay(Profiles.LONDON)
                .toInstant()
                .plus(Duration.ofMinutes(random.nextInt(364 * 24 * 60)));
    }

    private void assertAgrees(String when, List<String> areas) {
        List<LocalDate[]> periods = new ArrayList<>(StandardPeriods.of(YEAR));
        periods.add(new LocalDate[] {null, null});
        periods.add(new LocalDate[] {LocalDate.of(YEAR, 2, 14), LocalDate.of(YEAR, 9, 3)}); // not a standard one
        long counted = 0;
        long conflicts = 0;
        long differsByAsAt = 0;
        for (String area : areas) {
            for (LocalDate[] p : periods) {
                Profile previous = null;
                for (LocalDate asAt : List.of(LocalDate.of(YEAR, 3, 31), LocalDate.of(YEAR, 11, 30))) {
                    ProfileQuery q = new ProfileQuery(area, p[0], p[1], asAt);
                    String what = when + ": " + area + " " + p[0] + " to " + p[1] + " as at " + asAt;
                    Profile computed = profiles.computedVictims(q);
                    assertThat(profiles.keptVictims(q)).as(what).contains(computed);
                    counted += computed.subjects();
                    conflicts += computed.conflicts().size();
                    if (previous != null && !previous.dimensions().equals(computed.dimensions())) {
                        differsByAsAt++;
                    }
                    previous = computed;
                }
            }
        }
        assertThat(counted).as("the fixture has victims").isPositive();
        assertThat(conflicts).as("the fixture has conflicts to list").isPositive();
        assertThat(differsByAsAt)
                .as("age bands and reported missing move with the as-at date")
                .isPositive();
    }

    @Test
    void keptRowsAgreeWithTheRecordsThroughEveryKindOfChangeAndARebuild() {
        String areaA = TestData.unique("AREA");
        String areaB = TestData.unique("AREA");
        agency("police_force", areaA);
        agency("local_authority", areaA);
        agency("police_force", areaB);
        agency("care_provider", areaB);
        kept.rebuild();
        for (int c = 0; c < 60; c++) {
            Long identity = random.nextInt(6) == 0 ? null : data.identity();
            if (identity != null) {
                identities.add(identity);
            }
            List<String> by = new ArrayList<>(agencies);
            Collections.shuffle(by, random);
            for (int r = identity == null ? 1 : 1 + random.nextInt(3); r > 0; r--) {
                long record = record(by.get(r), identity);
                if (random.nextInt(3) == 0) {
                    concern(record);
                }
                for (int e = random.nextInt(3); e > 0; e--) {
                    episode(record);
                }
            }
        }
        List<String> areas = List.of(areaA, areaB);
        assertAgrees("built", areas);

        // Facts edited; a concern for a child who had none, one moved to another record, one deleted.
        // Each fact on its own, so that a trigger missing one column shows.
        List<String[]> edits = List.of(
                new String[] {"sex = ?", "male"},
                new String[] {"ethnicity_status = 'recorded', ethnicity_scheme = 'DFE', ethnicity_code = ?", "BAFR"},
                new String[] {"dob_year = ?", "1972"},
                new String[] {"dob_month = ?", "6"},
                new String[] {"dob_day = CASE WHEN dob_month IS NULL THEN NULL ELSE ? END", "15"},
                new String[] {"care_status = ?", "looked_after"},
                new String[] {"cp_plan = CAST(? AS tri_state)", "yes"},
                new String[] {"known_to_social_care = CAST(? AS tri_state)", "no"},
                new String[] {"reported_missing = CAST(? AS tri_state)", "yes"});
        for (String[] edit : edits) {
            List<Long> victims = victimRecords();
            for (int i = 0; i < 3; i++) {
                Object value = edit[1].matches("\\d+") ? (Object) Integer.valueOf(edit[1]) : edit[1];
                jdbc.sql("UPDATE person_record SET " + edit[0] + " WHERE id = ?")
                        .params(value, any(victims))
                        .update();
            }
        }
        concern(any(records));
        jdbc.sql("UPDATE exploitation_concern SET person_record_id = ? WHERE id = ?")
                .params(any(records), any(concerns))
                .update();
        jdbc.sql("DELETE FROM exploitation_concern WHERE id = ?")
                .param(concerns.remove(random.nextInt(concerns.size())))
                .update();
        for (int i = 0; i < 4; i++) {
            jdbc.sql("UPDATE exploitation_concern SET raised_at = ? WHERE id = ?")
                    .params(Timestamp.from(someDay()), any(concerns))
                    .update();
            jdbc.sql("UPDATE exploitation_concern SET agency_id = (SELECT id FROM agency WHERE code = ?) WHERE id = ?")
                    .params(any(agencies), any(concerns))
                    .update();
        }
        assertAgrees("after facts and concerns changed", areas);

        // Episodes added, re-dated, deleted.
        for (int i = 0; i < 10; i++) {
            episode(any(records));
        }
        jdbc.sql("UPDATE missing_episode SET reported_at = ? WHERE id = ?")
                .params(Timestamp.from(someDay()), any(episodes))
                .update();
        jdbc.sql("DELETE FROM missing_episode WHERE id = ?")
                .param(episodes.remove(random.nextInt(episodes.size())))
                .update();
        assertAgrees("after episodes changed", areas);

        // A record joining a child; merges and splits; a record deleted with its concerns and episodes.
        record(any(agencies), any(identities));
        for (int i = 0; i < 6; i++) {
            jdbc.sql("UPDATE person_record SET identity_id = ? WHERE id = ?")
                    .params(any(identities), any(records))
                    .update();
        }
        for (int i = 0; i < 3; i++) {
            jdbc.sql("UPDATE person_record SET identity_id = NULL WHERE id = ?")
                    .param(any(records))
                    .update();
        }
        long gone = records.remove(random.nextInt(records.size()));
        jdbc.sql("DELETE FROM exploitation_concern WHERE person_record_id = ?")
                .param(gone)
                .update();
        jdbc.sql("DELETE FROM missing_episode WHERE person_record_id = ?")
                .param(gone)
                .update();
        jdbc.sql("DELETE FROM person_record WHERE id = ?").param(gone).update();
        assertAgrees("after merges, splits and a deletion", areas);

        List<String> before = rows();
        kept.rebuild();
        assertThat(rows()).as("a rebuild writes what the refreshes kept").isEqualTo(before);
    }

    /** The fixture's records of children with a concern. */
    private List<Long> victimRecords() {
        return jdbc.sql(
                        """
                SELECT pr.id FROM person_record pr
                WHERE pr.family_name = 'Victimkept' AND coalesce(pr.identity_id, -pr.id) IN (
                  SELECT coalesce(v.identity_id, -v.id) FROM exploitation_concern c
                  JOIN person_record v ON v.id = c.person_record_id)
                ORDER BY pr.id""")
                .query(Long.class)
                .list();
    }

    /** The fixture's kept rows, as text. */
    private List<String> rows() {
        return jdbc.sql(
                        """
                SELECT k::text FROM stat_victim_child k
                WHERE k.child IN (SELECT coalesce(identity_id, -id) FROM person_record WHERE family_name = 'Victimkept')
                ORDER BY 1""")
                .query(String.class)
                .list();
    }
}
