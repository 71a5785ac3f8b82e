package org.sightline.operation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.sightline.support.IntegrationTest;
import org.sightline.support.TestData;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** {@code retention-due} lists what is due on a day as CSV, with the dates worked out by hand, and audits the listing. */
@IntegrationTest
class RetentionDueCommandTest {

    @Autowired
    TestData data;

    @Autowired
    JdbcClient jdbc;

    @Test
    void listsTheRecordsDueAsCsv() {
        String agency = data.agency("police_force");
        // Born 1 March 2001, last changed 2012: due on the 25th birthday, 1 March 2026.
        UUID due = data.personRecord(agency, "Test", "Child", 2001, 3, 1, null);
        // Born 2008: 25th birthday in 2033, after the day asked about.
        UUID notDue = data.personRecord(agency, "Test", "Child", 2008, 3, 1, null);
        jdbc.sql("UPDATE person_record SET updated_at = '2012-06-30T23:30:00Z' WHERE public_id IN (?, ?)")
                .params(due, notDue)
                .update();
        long listedBefore = jdbc.sql(
                        "SELECT count(*) FROM audit_event WHERE action = 'RETENTION_LIST' AND actor = 'cli'")
                .query(Long.class)
                .single();

        ImportCommandTest.Run r = ImportCommandTest.run("retention-due", "--format", "csv", "--as-at", "2030-01-01");

        assertThat(r.exit()).as(String.join("\n", r.err())).isEqualTo(ExitCode.OK);
        List<String> lines = r.out().lines().toList();
        assertThat(lines.get(0)).isEqualTo("record_type,agency_code,public_id,last_activity,review_date,basis");
        // 23:30 UTC on 30 June is 1 July in London.
        assertThat(lines).contains("person_record," + agency + "," + due + ",2012-07-01,2026-03-01,age");
        assertThat(r.out()).doesNotContain(notDue.toString());
        assertThat(jdbc.sql("SELECT count(*) FROM audit_event WHERE action = 'RETENTION_LIST' AND actor = 'cli'")
                        .query(Long.class)
                        .single())
                .isEqualTo(listedBefore + 1);
    }

    @Test
    void refusesAnUnknownFormatAndABadDateWithOneLine() {
        ImportCommandTest.Run format = ImportCommandTest.run("retention-due", "--format", "pdf");
        assertThat(format.exit()).isEqualTo(ExitCode.USAGE);
        assertThat(format.err()).containsExactly("sightline retention-due: --format must be one of text, csv");
        ImportCommandTest.Run date = ImportCommandTest.run("retention-due", "--as-at", "1/1/2030");
        assertThat(date.exit()).isEqualTo(ExitCode.USAGE);
        assertThat(date.err()).containsExactly("sightline retention-due: --as-at must be a date written yyyy-mm-dd");
    }
}
