package org.sightline.ssda903;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sightline.SightlineMain;
import org.sightline.support.IntegrationTest;
import org.sightline.support.TestData;
import org.sightline.support.TestDatabase;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import picocli.CommandLine;

/**
 * {@code ssda903-import} through the import pipeline: each file's counts name its import run, refused and held rows
 * are listed with their coded causes and the exit code is 4 (data); the run holds them in its quarantine.
 */
@IntegrationTest
class Ssda903ImportCommandTest {

    @Autowired
    TestData data;

    @Autowired
    JdbcClient jdbc;

    @Test
    void refusedRowsAreListedWithTheirRunAndTheExitCodeSaysData(@TempDir Path dir) throws Exception {
        String la = data.agency("local_authority");
        Path header = Files.writeString(
                dir.resolve("header.csv"),
                "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\nK1,1,13/06/2010,WBRI,,,\nK2,1,13/06/2010,WBRI,,2,\n");
        Path episodes = Files.writeString(
                dir.resolve("episodes.csv"),
                "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN\n"
                        + "K1,01/05/2024,S,C2,N1,U1,PR1,,,,,,\nK2,01/05/2024,S,C2,N1,U1,PR1,,,,,,\n");
        CommandLine cli = SightlineMain.commandLine();
        StringWriter text = new StringWriter();
        cli.setOut(new PrintWriter(text));
        int exit = cli.execute(
                "ssda903-import",
                "--db-url",
                TestDatabase.url(),
                "--db-user",
                TestDatabase.appUser(),
                "--db-password",
                TestDatabase.password(),
                "--authority",
                la,
                "--year",
                "2025",
                "--header",
                header.toString(),
                "--episodes",
                episodes.toString());
        assertThat(exit).isEqualTo(4);
        String runs = String.join(
                ",",
                jdbc.sql(
                                """
                SELECT r.kind || '=' || r.public_id FROM import_run r JOIN agency a ON a.id = r.agency_id
                WHERE a.code = ? ORDER BY r.id""")
                        .param(la)
                        .query(String.class)
                        .list());
        assertThat(runs).startsWith("ssda903-header=").contains(",ssda903-episodes=");
        String headerRun = runs.substring("ssda903-header=".length(), runs.indexOf(','));
        assertThat(text.toString())
                .contains("header: 2 received = 1 created + 0 updated + 0 unchanged + 1 quarantined (import run "
                        + headerRun + ")")
                .contains("episodes: 2 received = 1 created + 0 updated + 0 unchanged + 1 quarantined")
                .contains("refused header line 3 CHILD K2: MOTHER: must be one of 0/1")
                .contains(
                        "refused episodes line 3 CHILD K2: CHILD: the Header row for CHILD K2 was refused: MOTHER: must be one of 0/1")
                .contains("quarantined rows can be corrected and imported again on each run's page");
    }
}
