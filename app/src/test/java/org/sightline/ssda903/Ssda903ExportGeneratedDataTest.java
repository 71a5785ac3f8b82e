package org.sightline.ssda903;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.sightline.importexport.PopulationLoader;
import org.sightline.shared.TerminalProgress;
import org.sightline.ssda903.Ssda903ExportService.ExportReport;
import org.sightline.ssda903.Ssda903ExportService.Failure;
import org.sightline.ssda903.Ssda903Tables.Return;
import org.sightline.support.IntegrationTest;
import org.sightline.synth.Generator;
import org.sightline.synth.ProgressListener;
import org.sightline.synth.SynthConfig;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A generated population (placements and missing episodes of looked-after children, with all their recording
 * noise) loaded as the demo loads it: the export of every busy authority must pass every checked rule (the
 * Missing-table rules, with 576 against the previous year, and the Header and Episodes rules such as 101, 144, 145)
 * but the age rules that withhold care past 18.
 */
@IntegrationTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class Ssda903ExportGeneratedDataTest {

    @Autowired
    PopulationLoader loader;

    @Autowired
    Ssda903ExportService exports;

    @Autowired
    JdbcClient jdbc;

    List<String> authorities;

    @BeforeAll
    void load(@TempDir Path dir) throws Exception {
        new Generator(SynthConfig.of(4_000, 903)).writeCsv(dir, ProgressListener.NONE);
        loader.load(dir, "test", new TerminalProgress("test-load"));
        // The authorities with the most looked-after children who went missing from care.
        authorities = jdbc.sql(
                        """
                SELECT a.code FROM missing_episode me JOIN agency a ON a.id = me.agency_id
                JOIN person_record pr ON pr.id = me.person_record_id
                WHERE a.agency_type = 'local_authority' AND pr.care_status = 'looked_after' AND me.missing_from = 'care'
                GROUP BY a.code ORDER BY count(*) DESC, a.code LIMIT 5""")
                .query(String.class)
                .list();
        assertThat(authorities).hasSize(5);
    }

    @Test
    void everyRulePassesOnGeneratedDataForTwoYears(@TempDir Path out) throws Exception {
        int missingRows = 0;
        java.util.Set<String> seen = new java.util.TreeSet<>();
        for (String la : authorities) {
            for (int year : new int[] {2024, 2025}) {
                ExportReport report = exports.exportAsOperator("test", la, new CollectionYear(year));
                // The Missing table is built from agency data and must pass every rule.
                assertThat(report.failures())
                        .filteredOn(f -> f.table().startsWith("Missing"))
                        .as("Missing-table failures for %s %d", la, year)
                        .isEmpty();
                // Placements carry the legal status and category of need the authority recorded, and its record
                // the child's sex: 101, 144 and 145 pass. Only the age rules may withhold care that should have
                // ended (the generator's children age out of care on their 18th birthday, in mid-year).
                for (Failure f : report.failures()) {
                    assertThat(f.withheld())
                            .as(
                                    "%s %s line %d %s %s",
                                    f.rule(),
                                    f.table(),
                                    f.line(),
                                    f.field(),
                                    f.withheld() ? "" : value(report.data(), f))
                            .isTrue();
                    assertThat(f.rule()).isIn("351", "352", "359");
                }
                assertThat(report.data().episodes())
                        .as("episodes with LS and CIN")
                        .isNotEmpty()
                        .allSatisfy(e -> assertThat(List.of(e.ls(), e.cin())).doesNotContain(""));
                seen.addAll(report.failures().stream().map(Failure::rule).toList());
                assertThat(report.notChecked()).isEmpty();
                assertThat(report.headerRows()).isPositive();
                missingRows += report.missingRows();
            }
        }
        assertThat(missingRows).as("the check must see real Missing rows").isGreaterThan(20);
        System.out.println("generated-data rules failing: " + seen);

        ExportReport report = exports.exportAsOperator("test", authorities.get(0), new CollectionYear(2025));
        List<Path> files = Ssda903ExportService.write(report.data(), out);
        assertThat(Files.readAllLines(files.get(0)).get(0)).isEqualTo("CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB");
        assertThat(Files.readAllLines(files.get(1)).get(0))
                .isEqualTo(
                        "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN");
        List<String> missing = Files.readAllLines(files.get(2));
        assertThat(missing.get(0)).isEqualTo("CHILD,DOB,MISSING,MIS_START,MIS_END");
        assertThat(missing.subList(1, missing.size()))
                .allMatch(l ->
                        l.matches("[^,]+,(\\d\\d/\\d\\d/\\d{4})?,[MA],\\d\\d/\\d\\d/\\d{4},(\\d\\d/\\d\\d/\\d{4})?"));
    }

    /** The value of the failing field in the exported row. */
    static String value(Return data, Failure f) {
        List<String> columns;
        List<String> values;
        switch (f.table()) {
            case "Header" -> {
                columns = Ssda903Tables.HEADER_COLUMNS;
                values = data.header().get(f.line() - 2).values();
            }
            case "Episodes" -> {
                columns = Ssda903Tables.EPISODE_COLUMNS;
                values = data.episodes().get(f.line() - 2).values();
            }
            default -> throw new AssertionError("unexpected table " + f.table());
        }
        return values.get(columns.indexOf(f.field()));
    }

    @Test
    void theAuthorityCanBeNamedByItsDfeNumber() {
        String number = jdbc.sql("SELECT la_number FROM ref_local_authority WHERE ons_code = ? AND valid_to IS NULL")
                .param(authorities.get(0))
                .query(String.class)
                .single();
        ExportReport report = exports.exportAsOperator("test", number, new CollectionYear(2025));
        assertThat(report.authority().code()).isEqualTo(authorities.get(0));
    }
}
