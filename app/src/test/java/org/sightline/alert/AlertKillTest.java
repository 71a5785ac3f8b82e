package org.sightline.alert;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.sightline.importexport.ImportService;
import org.sightline.importexport.ImportService.ImportRequest;
import org.sightline.support.ChildJvm;
import org.sightline.support.IntegrationTest;
import org.sightline.support.TestData;
import org.sightline.support.TestDatabase;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * No alert is lost when the process is killed between the change and its evaluation: the import command runs in a
 * child JVM with evaluation off and is killed (SIGKILL) once some batches of missing episodes have committed. Every
 * committed episode's outbox row committed with it; this process's worker then raises exactly the alerts an
 * independent SQL count expects (children under 13 at the episode's start), and draining again raises none.
 */
@IntegrationTest
class AlertKillTest {

    static final int CHILDREN = 600;

    @Autowired
    TestData data;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    ImportService imports;

    @Autowired
    AlertWorker worker;

    private long committedEpisodes(String agency) {
        return jdbc.sql("SELECT count(*) FROM missing_episode e JOIN agency a ON a.id = e.agency_id WHERE a.code = ?")
                .param(agency)
                .query(Long.class)
                .single();
    }

    @Test
    void episodesCommittedBeforeAKillAreEvaluatedAfterwardsEachOnce() throws Exception {
        String agency = data.agency("police_force");
        Path people = Files.createTempFile("alert-people", ".csv");
        Path episodes = Files.createTempFile("alert-episodes", ".csv");
        LocalDate today = LocalDate.now();
        Instant reported = Instant.now().minus(Duration.ofDays(2)).truncatedTo(ChronoUnit.SECONDS);
        List<String> p = new ArrayList<>(List.of("record_ref,given_name,family_name,dob,sex"));
        List<String> e = new ArrayList<>(List.of("episode_ref,record_ref,reported_at,missing_from,category"));
        for (int i = 0; i < CHILDREN; i++) {
            // Distinct children (no two records alike); ages 9 to 16, so about half are under 13.
            LocalDate dob = today.minusYears(9 + i % 8).minusDays(17 + (i * 37) % 300);
            p.add("R" + i + "," + TestData.unique("Kit").replace("-", "") + ","
                    + TestData.unique("Vale").replace("-", "") + "," + dob + ",female");
            e.add("E" + i + ",R" + i + "," + reported.plusSeconds(i) + ",home,missing");
        }
        Files.write(people, p);
        Files.write(episodes, e);
        try (InputStream in = Files.newInputStream(people)) {
            imports.importNow(
                    new ImportRequest(agency, "person-records", null, "people.csv", "tester", 500, null), in, n -> {});
        }
        worker.drain(); // the people alone raise nothing; start from an empty outbox for this agency
        worker.pause(true);
        try {
            Process child = ChildJvm.start(
                    Files.createTempFile("alert-child", ".log"),
                    List.of("-Dsightline.alerts.enabled=false"),
                    "org.sightline.SightlineMain",
                    TestDatabase.command(
                            "import",
                            "--agency",
                            agency,
                            "--kind",
                            "missing-episodes",
                            "--batch-size",
                            "10",
                            episodes.toString()));
            long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
            while (committedEpisodes(agency) < 60 && child.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            child.destroyForcibly();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
            long committed = committedEpisodes(agency);
            assertThat(committed)
                    .as("killed after some batches, before the end")
                    .isBetween(1L, CHILDREN - 1L);
            assertThat(jdbc.sql(
                                    """
                    SELECT count(*) FROM missing_episode e JOIN agency a ON a.id = e.agency_id WHERE a.code = ?
                      AND NOT EXISTS (SELECT 1 FROM alert_outbox o WHERE o.subject_kind = 'person_record'
                                      AND o.subject_id = e.person_record_id)""")
                            .param(agency)
                            .query(Long.class)
                            .single())
                    .as("every committed episode left its outbox row")
                    .isZero();
            assertThat(alerts(agency)).as("nothing evaluated yet").isZero();

            worker.drain();

            long expected = jdbc.sql(
                            """
                    SELECT count(*) FROM missing_episode e JOIN person_record pr ON pr.id = e.person_record_id
                    JOIN agency a ON a.id = e.agency_id
                    WHERE a.code = ? AND date_part('year', age((e.reported_at AT TIME ZONE 'Europe/London')::date,
                                                              make_date(pr.dob_year, pr.dob_month, pr.dob_day))) < 13""")
                    .param(agency)
                    .query(Long.class)
                    .single();
            assertThat(expected).isPositive();
            assertThat(alerts(agency))
                    .as("one under-13 alert per committed episode of a child under 13")
                    .isEqualTo(expected);
            worker.timePass();
            jdbc.sql(
                            """
                    INSERT INTO alert_outbox (subject_kind, subject_id) SELECT 'person_record', pr.id
                    FROM person_record pr JOIN agency a ON a.id = pr.agency_id WHERE a.code = ?""")
                    .param(agency)
                    .update();
            assertThat(worker.drain())
                    .as("evaluated again after a restart: nothing twice")
                    .isZero();
            assertThat(alerts(agency)).isEqualTo(expected);
        } finally {
            worker.pause(false);
        }
    }

    private long alerts(String agency) {
        return jdbc.sql(
                        """
                SELECT count(*) FROM alert al JOIN person_record pr ON pr.id = al.person_record_id
                JOIN agency a ON a.id = pr.agency_id WHERE a.code = ? AND al.rule = 'under-13'""")
                .param(agency)
                .query(Long.class)
                .single();
    }
}
