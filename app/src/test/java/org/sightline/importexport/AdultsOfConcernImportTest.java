package org.sightline.importexport;

import static org.assertj.core.api.Assertions.assertThat;

import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.NamedCsvRecord;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.sightline.access.Roles;
import org.sightline.access.SightlineUser;
import org.sightline.access.UserAccounts;
import org.sightline.importexport.ImportService.ImportRequest;
import org.sightline.support.IntegrationTest;
import org.sightline.support.TestData;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The generator's adults_of_concern.csv imports as written, into the network capability's adults: every count is
 * checked against the file as read here, blanks stay not recorded, a re-import changes nothing, and a bad row is
 * quarantined with its field named and imports once corrected.
 */
@IntegrationTest
class AdultsOfConcernImportTest {

    @Autowired
    ImportService imports;

    @Autowired
    TestData data;

    @Autowired
    UserAccounts accounts;

    @Autowired
    JdbcClient jdbc;

    private ImportReport run(String agency, Path file) throws IOException {
        try (var in = Files.newInputStream(file)) {
            return imports.importNow(
                    new ImportRequest(agency, "adults-of-concern", null, "adults_of_concern.csv", "tester", 50, null),
                    in,
                    n -> {});
        }
    }

    private Map<String, Long> stored(String agency, String expression) {
        Map<String, Long> counts = new TreeMap<>();
        jdbc.sql("SELECT " + expression + ", count(*) FROM adult_of_concern t JOIN agency a ON a.id = t.agency_id"
                        + " WHERE a.code = ? GROUP BY 1")
                .param(agency)
                .query((rs, n) -> counts.put(rs.getString(1), rs.getLong(2)))
                .list();
        return counts;
    }

    @Test
    void importsTheGeneratorsFileAsWritten() throws IOException {
        Path population = GeneratedFiles.population(3000);
        String agency = data.agency("police_force");
        Path file = GeneratedFiles.forAgency(population, "adults_of_concern.csv", agency);

        // The file's own figures, read here without the import code.
        Map<String, Long> sex = new TreeMap<>();
        Map<String, Long> dobPrecision = new TreeMap<>();
        Map<String, Long> ethnicity = new TreeMap<>();
        long rows = 0;
        try (CsvReader<NamedCsvRecord> csv = CsvReader.builder().ofNamedCsvRecord(file)) {
            assertThat(csv.stream().findFirst().orElseThrow().getHeader())
                    .containsExactly(
                            "adult_ref",
                            "agency_code",
                            "given_name",
                            "family_name",
                            "dob",
                            "sex",
                            "ethnicity_code",
                            "ethnicity_scheme");
        }
        try (CsvReader<NamedCsvRecord> csv = CsvReader.builder().ofNamedCsvRecord(file)) {
            for (NamedCsvRecord r : csv) {
                rows++;
                sex.merge(r.getField("sex").isEmpty() ? "not_recorded" : r.getField("sex"), 1L, Long::sum);
                String dob = r.getField("dob");
                dobPrecision.merge(
                        dob.isEmpty() ? "none" : dob.length() == 4 ? "year" : dob.length() == 7 ? "month" : "day",
                        1L,
                        Long::sum);
                ethnicity.merge(r.getField("ethnicity_code").isEmpty() ? "not_recorded" : "recorded", 1L, Long::sum);
            }
        }
        assertThat(rows).isGreaterThanOrEqualTo(10);

        ImportReport first = run(agency, file);
        assertThat(first.status()).isEqualTo("completed");
        assertThat(first.received()).isEqualTo(rows);
        assertThat(first.imported()).isEqualTo(rows);
        assertThat(first.quarantined()).isZero();
        assertThat(stored(agency, "sex")).isEqualTo(sex);
        assertThat(stored(
                        agency,
                        "CASE WHEN dob_year IS NULL THEN 'none' WHEN dob_month IS NULL THEN 'year'"
                                + " WHEN dob_day IS NULL THEN 'month' ELSE 'day' END"))
                .isEqualTo(dobPrecision);
        assertThat(stored(agency, "ethnicity_status")).isEqualTo(ethnicity);

        // The same file again changes nothing.
        ImportReport again = run(agency, file);
        assertThat(again.unchanged()).isEqualTo(rows);
        assertThat(again.imported() + again.updated()).isZero();
        assertThat(stored(agency, "'all'")).containsEntry("all", rows);
    }

    @Test
    void blanksStayNotRecordedAndBadRowsAreQuarantinedThenReplayed() throws IOException {
        String agency = data.agency("police_force");
        String text =
                """
                adult_ref,agency_code,given_name,family_name,dob,sex,ethnicity_code,ethnicity_scheme
                A1,%1$s,Adam,Testadult,1980-03-04,male,A2,POLICE_SDE
                A2,%1$s,,,,,,
                A3,%1$s,Carl,Testadult,1979-13,x,,
                A4,%1$s,Dan,Testadult,1985,unknown,IC1,POLICE_ODE
                """
                        .formatted(agency);
        Path file = Files.createTempFile("adults", ".csv");
        Files.writeString(file, text, StandardCharsets.UTF_8);
        ImportReport report = run(agency, file);
        assertThat(report.imported()).isEqualTo(3);
        assertThat(report.quarantined()).isEqualTo(1);

        record Adult(String given, Integer year, Integer month, String sex, String ethnicity, String status) {}
        Map<String, Adult> adults = new TreeMap<>();
        jdbc.sql(
                        """
                SELECT adult_ref, given_name, dob_year, dob_month, sex, ethnicity_code, ethnicity_status
                FROM adult_of_concern t JOIN agency a ON a.id = t.agency_id WHERE a.code = ?""")
                .param(agency)
                .query((rs, n) -> adults.put(
                        rs.getString(1),
                        new Adult(
                                rs.getString(2),
                                rs.getObject(3, Integer.class),
                                rs.getObject(4, Integer.class),
                                rs.getString(5),
                                rs.getString(6),
                                rs.getString(7))))
                .list();
        assertThat(adults)
                .containsEntry("A1", new Adult("Adam", 1980, 3, "male", "A2", "recorded"))
                .containsEntry("A2", new Adult(null, null, null, "not_recorded", null, "not_recorded"))
                .containsEntry("A4", new Adult("Dan", 1985, null, "not_known", "IC1", "recorded"))
                .doesNotContainKey("A3");

        SightlineUser supervisor = accounts.loadUserByUsername(data.user(agency, Roles.SUPERVISOR));
        List<QuarantinedRow> held = imports.quarantine(supervisor, report.id(), 10);
        assertThat(held).hasSize(1);
        assertThat(held.get(0).errors())
                .extracting(RowError::code, RowError::column)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("E1003", "dob"),
                        org.assertj.core.groups.Tuple.tuple("E1004", "sex"));
        QuarantinedRow replayed = imports.correctAndReplay(
                supervisor,
                report.id(),
                held.get(0).id(),
                Map.of("dob", "1979-12", "sex", "male"),
                held.get(0).version());
        assertThat(replayed.status()).isEqualTo("replayed");
        assertThat(stored(agency, "adult_ref || ':' || coalesce(dob_year || '-' || dob_month, '')"))
                .containsEntry("A3:1979-12", 1L);
        assertThat(imports.report(supervisor, report.id()).imported()).isEqualTo(4);
    }
}
