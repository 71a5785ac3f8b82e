package org.sightline.importexport;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.sightline.importexport.ImportService.ImportRequest;
import org.sightline.support.IntegrationTest;
import org.sightline.support.TestData;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * What the figures depend on survives the import (issue 9): the person records' reported_missing column keeps yes,
 * no and not known apart from a blank (not recorded), and a blank episode field is stored as not recorded, never as
 * "other" or "not offered".
 */
@IntegrationTest
class NotRecordedImportTest {

    @Autowired
    ImportService imports;

    @Autowired
    TestData data;

    @Autowired
    JdbcClient jdbc;

    private ImportReport run(String agency, String kind, String text) {
        return imports.importNow(
                new ImportRequest(agency, kind, null, "t.csv", "tester", 10, null),
                new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)),
                n -> {});
    }

    private Map<String, String> column(String table, String ref, String column, String agency) {
        Map<String, String> values = new TreeMap<>();
        jdbc.sql("SELECT t." + ref + ", t." + column + "::text FROM " + table
                        + " t JOIN agency a ON a.id = t.agency_id WHERE a.code = ?")
                .param(agency)
                .query((rs, n) -> values.put(rs.getString(1), rs.getString(2)))
                .list();
        return values;
    }

    @Test
    void reportedMissingAndBlankEpisodeFieldsStayApart() {
        String agency = data.agency("local_authority");
        ImportReport people = run(
                agency,
                "person-records",
                """
                record_ref,given_name,family_name,dob,reported_missing
                P1,Ann,Testrecord,2011-01-01,yes
                P2,Bea,Testrecord,2011-01-02,NO
                P3,Cat,Testrecord,2011-01-03,not_known
                P4,Dot,Testrecord,2011-01-04,
                P5,Eve,Testrecord,2011-01-05,maybe
                """);
        assertThat(people.imported()).isEqualTo(4);
        assertThat(people.quarantined()).isEqualTo(1);
        assertThat(column("person_record", "record_ref", "reported_missing", agency))
                .isEqualTo(Map.of("P1", "yes", "P2", "no", "P3", "not_known", "P4", "not_recorded"));

        ImportReport episodes = run(
                agency,
                "missing-episodes",
                """
                episode_ref,record_ref,reported_at,missing_from,category,return_interview
                E1,P1,2024-01-01T10:00:00Z,,,
                E2,P1,2024-02-01T10:00:00Z,care,away,offered
                """);
        assertThat(episodes.imported()).isEqualTo(2);
        assertThat(column("missing_episode", "episode_ref", "missing_from", agency))
                .isEqualTo(Map.of("E1", "not_recorded", "E2", "care"));
        assertThat(column("missing_episode", "episode_ref", "category", agency))
                .isEqualTo(Map.of("E1", "not_recorded", "E2", "away"));
        assertThat(column("missing_episode", "episode_ref", "return_interview_status", agency))
                .isEqualTo(Map.of("E1", "not_recorded", "E2", "offered"));
    }
}
