package org.sightline.importexport;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.sightline.importexport.ImportService.ImportRequest;
import org.sightline.support.ChildJvm;
import org.sightline.support.IntegrationTest;
import org.sightline.support.TestData;
import org.sightline.support.TestDatabase;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Kill-and-retry: the CLI import runs in a child JVM against the suite's database and is killed (SIGKILL) once
 * some batches have committed; importing the same file again must leave every row exactly once.
 */
@IntegrationTest
class ImportKillRetryTest {

    @Autowired
    TestData data;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    ImportService imports;

    private long committedRows(String agency) {
        return jdbc.sql("SELECT count(*) FROM person_record pr JOIN agency a ON a.id = pr.agency_id WHERE a.code = ?")
                .param(agency)
                .query(Long.class)
                .single();
    }

    @Test
    void killedImportRunAgainLeavesEveryRowExactlyOnce() throws Exception {
        String agency = data.agency("police_force");
        Path file = GeneratedFiles.forAgency(GeneratedFiles.population(4000), "person_records.csv", agency);
        long rows = Files.readAllLines(file).stream()
                .skip(1)
                .map(l -> l.split(",", 2)[0])
                .distinct()
                .count();

        Process child = ChildJvm.start(
                Files.createTempFile("import-child", ".log"),
                List.of(),
                "org.sightline.SightlineMain",
                TestDatabase.command(
                        "import",
                        "--agency",
                        agency,
                        "--kind",
                        "person-records",
                        "--batch-size",
                        "25",
                        file.toString()));
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (committedRows(agency) < 100 && child.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        child.destroyForcibly();
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        long before = committedRows(agency);
        assertThat(before)
                .as("killed after some batches committed, before the end")
                .isBetween(1L, rows - 1);
        String status = jdbc.sql(
                        "SELECT r.status FROM import_run r JOIN agency a ON a.id = r.agency_id WHERE a.code = ?")
                .param(agency)
                .query(String.class)
                .single();
        assertThat(status).as("the killed run never finished").isEqualTo("running");
        long counted = jdbc.sql(
                        "SELECT r.imported FROM import_run r JOIN agency a ON a.id = r.agency_id WHERE a.code = ?")
                .param(agency)
                .query(Long.class)
                .single();
        assertThat(counted).as("run counters commit with their batches").isEqualTo(before);

        ImportReport again;
        try (InputStream in = Files.newInputStream(file)) {
            again = imports.importNow(
                    new ImportRequest(
                            agency, "person-records", null, file.getFileName().toString(), "tester", 500, null),
                    in,
                    n -> {});
        }
        assertThat(again.quarantined()).isZero();
        assertThat(again.unchanged()).isEqualTo(before);
        assertThat(again.imported()).isEqualTo(rows - before);
        assertThat(committedRows(agency)).isEqualTo(rows);
        assertThat(jdbc.sql(
                                """
                SELECT count(*) FROM person_alias pa JOIN person_record pr ON pr.id = pa.person_record_id
                JOIN agency a ON a.id = pr.agency_id WHERE a.code = ?
                GROUP BY pa.person_record_id, pa.full_name HAVING count(*) > 1""")
                        .param(agency)
                        .query(Long.class)
                        .list())
                .as("no duplicated child rows either")
                .isEmpty();
    }
}
