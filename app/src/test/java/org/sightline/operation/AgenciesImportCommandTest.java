package org.sightline.operation;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sightline.support.IntegrationTest;
import org.sightline.support.TestData;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** agencies-import against the suite's database: rows applied one by one, refusals named by line and column. */
@IntegrationTest
class AgenciesImportCommandTest {

    @Autowired
    JdbcClient jdbc;

    @Test
    void appliesAReferenceFileAndNamesEachRefusedRow(@TempDir Path tmp) throws IOException {
        String code = TestData.unique("CMD").toUpperCase();
        Path file = tmp.resolve("agencies.csv");
        Files.writeString(
                file,
                "code,name,kind,ofsted_urn\n" + code + ",Test homes " + code + ",care_provider,\n" + code
                        + "-2,Test force " + code + ",police_force,1234567\n");
        ImportCommandTest.Run r = ImportCommandTest.run("agencies-import", file.toString());
        assertThat(r.exit()).isEqualTo(ExitCode.DATA);
        assertThat(r.out())
                .contains("2 rows: 1 created, 0 renamed, 0 closed, 0 renamed and closed, 0 unchanged, 1 refused");
        assertThat(r.err()).contains("line 3: ofsted_urn: only care providers have an Ofsted URN");
        assertThat(jdbc.sql("SELECT agency_type FROM agency WHERE code = ?")
                        .param(code)
                        .query(String.class)
                        .single())
                .isEqualTo("care_provider");
        assertThat(jdbc.sql("SELECT count(*) FROM audit_event WHERE actor = 'cli:agencies-import' AND action = "
                                + "'AGENCY_CREATED' AND details LIKE ?")
                        .param("code=" + code + ";%")
                        .query(Integer.class)
                        .single())
                .isEqualTo(1);

        Path good = tmp.resolve("again.csv");
        Files.writeString(good, "code,name,kind\n" + code + ",Test homes " + code + ",care_provider\n");
        ImportCommandTest.Run again = ImportCommandTest.run("agencies-import", good.toString());
        assertThat(again.exit()).isEqualTo(ExitCode.OK);
        assertThat(again.out())
                .contains("1 rows: 0 created, 0 renamed, 0 closed, 0 renamed and closed, 1 unchanged, 0 refused");
    }
}
