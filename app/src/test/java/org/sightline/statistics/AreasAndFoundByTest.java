package org.sightline.statistics;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sightline.support.IntegrationTest;
import org.sightline.support.TestData;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Regions, countries and England and Wales select the agencies whose area lies in them (by the shipped reference
 * data), found inside or outside the home force is counted per found incident, and the offline report of every table
 * kind carries the page's figures. Each fixture uses a year no other test uses, so the counts are exact.
 */
@IntegrationTest
class AreasAndFoundByTest {

    @Autowired
    TestData data;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    Profiles profiles;

    @Autowired
    MissingStatistics missing;

    @Autowired
    TableReports tables;

    @Autowired
    ReportWriter writer;

    @Autowired
    ObjectMapper json;

    @Autowired
    StatisticsPages pages;

    @Autowired
    Reports reports;

    private String record(String agency, long identity) {
        String ref = TestData.unique("REC");
        jdbc.sql(
                        """
                INSERT INTO person_record (agency_id, record_ref, identity_id, given_name, family_name)
                SELECT id, ?, ?, 'Testchild', 'Areal' FROM agency WHERE code = ?""")
                .params(ref, identity, agency)
                .update();
        return ref;
    }

    /** {@code n} children, each with one record at the agency and a concern it raised in 1991. */
    private void victims(String agency, int n) {
        for (int i = 0; i < n; i++) {
            String ref = record(agency, data.identity());
            jdbc.sql(
                            """
                    INSERT INTO exploitation_concern (agency_id, person_record_id, concern_ref, raised_at)
                    SELECT a.id, pr.id, ?, TIMESTAMPTZ '1991-06-01 10:00Z'
                    FROM agency a JOIN person_record pr ON pr.agency_id = a.id AND pr.record_ref = ? WHERE a.code = ?""")
                    .params(TestData.unique("CON"), ref, agency)
                    .update();
        }
    }

    private long victimsIn(String area) {
        LocalDate from = LocalDate.of(1991, 1, 1);
        LocalDate to = LocalDate.of(1991, 12, 31);
        return profiles.profile(ProfileKind.VICTIM, new ProfileQuery(area, from, to, to))
                .subjects();
    }

    @Test
    void regionsCountriesAndEnglandAndWalesTakeTheAgenciesWhoseAreaLiesInThem() {
        // Hartlepool (E06000001) and Northumbria's force area (E23000007) are in the North East (E12000001); the City
        // of London (E09000001) in London (E12000007); the Isle of Anglesey (W06000001) in Wales.
        String hartlepool = data.agency("local_authority", "E06000001");
        String northumbria = data.agency("police_force", "E23000007");
        String city = data.agency("local_authority", "E09000001");
        String anglesey = data.agency("local_authority", "W06000001");
        String provider = data.agency("care_provider", "E06000001");
        victims(hartlepool, 3);
        victims(northumbria, 2);
        victims(provider, 1);
        victims(city, 4);
        victims(anglesey, 5);
        assertThat(victimsIn("E12000001")).isEqualTo(3 + 2 + 1);
        assertThat(victimsIn("E12000007")).isEqualTo(4);
        assertThat(victimsIn("E12000002")).isZero();
        assertThat(victimsIn("E92000001")).isEqualTo(3 + 2 + 1 + 4);
        assertThat(victimsIn("W92000004")).isEqualTo(5);
        assertThat(victimsIn("K04000001")).isEqualTo(3 + 2 + 1 + 4 + 5);
        assertThat(victimsIn("E06000001")).isEqualTo(3 + 1);
        assertThat(victimsIn("E23000007")).isEqualTo(2);
        assertThat(victimsIn(provider)).isEqualTo(1);
        assertThat(victimsIn(null)).isEqualTo(15);
        // The page names the area chosen.
        assertThat(pages.areaName("E12000001")).isEqualTo("North East");
        assertThat(pages.areaName("W92000004")).isEqualTo("Wales");
        assertThat(pages.areaName("E23000007")).isEqualTo("Northumbria Police");
        assertThat(pages.areaName("E06000001")).isEqualTo("Hartlepool");
        assertThat(pages.areaName(provider)).isEqualTo("Test agency " + provider);
        assertThat(pages.areaName("E12000099")).isNull();
    }

    private long episode(String agency, String recordRef, String start, String found) {
        return jdbc.sql(
                        """
                INSERT INTO missing_episode (agency_id, person_record_id, episode_ref, reported_at, last_seen_at, found_at)
                SELECT a.id, pr.id, ?, CAST(? AS timestamptz), CAST(? AS timestamptz), CAST(? AS timestamptz)
                FROM agency a JOIN person_record pr ON pr.agency_id = a.id AND pr.record_ref = ? WHERE a.code = ?
                RETURNING id""")
                .params(TestData.unique("EP"), start, start, found, recordRef, agency)
                .query(Long.class)
                .single();
    }

    private void foundBy(long episode, String force) {
        jdbc.sql(
                        """
                INSERT INTO episode_event (episode_id, event_type, occurred_at, recorded_at, recorded_by, recorded_by_agency)
                SELECT ?, 'found', now(), now(), 'tester', name FROM agency WHERE code = ?""")
                .params(episode, force)
                .update();
    }

    @Test
    void foundInsideOrOutsideTheHomeForceIsCountedPerFoundIncident() throws Exception {
        String area = TestData.unique("AREA");
        String home = data.agency("police_force", area);
        String other = data.agency("police_force", TestData.unique("AREA"));
        String authority = data.agency("local_authority", area);
        String s = "1992-03-01 18:00Z";
        String f = "1992-03-02 09:00Z";
        // Found by the home force, twice; and one child whose authority record of the same incident comes first.
        for (int i = 0; i < 2; i++) {
            long child = data.identity();
            foundBy(episode(home, record(home, child), s, f), home);
        }
        long both = data.identity();
        episode(authority, record(authority, both), "1992-03-01 17:00Z", f);
        foundBy(episode(home, record(home, both), s, f), home);
        // Found by another force: its find is recorded on the home force's episode, or on its own record.
        for (int i = 0; i < 3; i++) {
            long child = data.identity();
            foundBy(episode(home, record(home, child), s, f), other);
        }
        // Found, nobody recorded which force found the child (4), and found with only an authority record (1).
        for (int i = 0; i < 4; i++) {
            episode(home, record(home, data.identity()), s, f);
        }
        episode(authority, record(authority, data.identity()), s, f);
        // Still missing: not a found incident.
        episode(home, record(home, data.identity()), s, null);

        LocalDate from = LocalDate.of(1992, 1, 1);
        LocalDate to = LocalDate.of(1992, 12, 31);
        ProfileQuery q = new ProfileQuery(area, from, to, to);
        Map<String, Long> expected = new LinkedHashMap<>();
        expected.put("INSIDE_HOME_FORCE", 3L);
        expected.put("OUTSIDE_HOME_FORCE", 3L);
        expected.put("HOME_FORCE_NOT_KNOWN", 1L);
        expected.put("FINDING_FORCE_NOT_RECORDED", 4L);
        MissingStatistics.Figures figures = missing.figures(q);
        assertThat(figures.foundBy()).containsExactlyEntriesOf(expected);
        assertThat(figures.incidents()).isEqualTo(12);

        // The offline report carries the same figures: exact, and published with 1 to 4 hidden.
        StringWriter exact = new StringWriter();
        writer.write(tables.report("missing-statistics", q, true, "tester", null), "json", exact);
        JsonNode root = json.readTree(exact.toString());
        assertThat(root.get("kind").asString()).isEqualTo("missing-statistics");
        assertThat(root.get("suppressed").asBoolean()).isFalse();
        assertThat(root.get("overview").get("incidents").asLong()).isEqualTo(12);
        assertThat(root.get("overview").get("children").asLong()).isEqualTo(12);
        expected.forEach(
                (code, n) -> assertThat(root.get("found").get(code).get("count").asLong())
                        .as(code)
                        .isEqualTo(n));
        assertThat(root.get("found").get("TOTAL").get("count").asLong()).isEqualTo(11);
        assertThat(root.get("found").get("OUTSIDE_HOME_FORCE").get("percent").asDouble())
                .isEqualTo(27.3);

        StringWriter published = new StringWriter();
        writer.write(tables.report("missing-statistics", q, false, "tester", null), "json", published);
        JsonNode pub = json.readTree(published.toString());
        assertThat(pub.get("suppressed").asBoolean()).isTrue();
        expected.keySet().forEach(code -> assertThat(
                        pub.get("found").get(code).get("count").asString())
                .as(code)
                .isEqualTo("[c]"));
        assertThat(pub.get("found").get("TOTAL").get("count").asLong()).isEqualTo(11);

        StringWriter csv = new StringWriter();
        writer.write(tables.report("missing-statistics", q, true, "tester", null), "csv", csv);
        assertThat(csv.toString())
                .startsWith("table,row_code,row,column_code,column,value\r\n")
                .contains("found,OUTSIDE_HOME_FORCE,Found by another force,count,Count,3\r\n");
    }

    @Test
    void everyTableKindIsWrittenAsJsonCsvAndHtml() throws Exception {
        ProfileQuery q = new ProfileQuery(
                TestData.unique("AREA"),
                LocalDate.of(1993, 1, 1),
                LocalDate.of(1993, 12, 31),
                LocalDate.of(1993, 12, 31));
        for (String kind : List.of("missing-statistics", "reconciliation", "data-quality")) {
            for (String format : List.of("json", "csv", "html")) {
                // Written to a file as the command writes it (a file's writer must stay open until flushed).
                Path file = Files.createTempFile("report", "." + format);
                try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                    writer.write(tables.report(kind, q, false, "tester", null), format, out);
                }
                String text = Files.readString(file);
                Files.delete(file);
                assertThat(text).as(kind + " " + format).isNotBlank();
                if ("json".equals(format)) {
                    assertThat(json.readTree(text).get("kind").asString()).isEqualTo(kind);
                }
            }
        }
        Path file = Files.createTempFile("report", ".json");
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            writer.write(reports.profile(ProfileKind.VICTIM, q, false, "tester", null), "json", out);
        }
        assertThat(json.readTree(Files.readString(file)).get("children").asLong())
                .isZero();
        Files.delete(file);
    }
}
