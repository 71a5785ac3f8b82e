package org.sightline.ssda903;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.sightline.access.Roles;
import org.sightline.access.SightlineUser;
import org.sightline.access.UserAccounts;
import org.sightline.importexport.ImportReport;
import org.sightline.importexport.ImportService;
import org.sightline.importexport.QuarantinedRow;
import org.sightline.ssda903.Ssda903ImportService.FileCounts;
import org.sightline.support.IntegrationTest;
import org.sightline.support.TestData;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * SSDA903 files through the one import pipeline: each file is an import run whose refused rows wait in its quarantine
 * to be corrected and replayed like any other import's, held rows included, and large files go in batches.
 */
@IntegrationTest
class Ssda903PipelineTest {

    static final String HEADER_HEAD = "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\n";
    static final String EPISODES_HEAD = Ssda903ImportFormatsTest.EPISODES_HEAD;

    @Autowired
    Ssda903ImportService ssda903;

    @Autowired
    ImportService imports;

    @Autowired
    Ssda903ExportService exports;

    @Autowired
    UserAccounts accounts;

    @Autowired
    TestData data;

    @Autowired
    JdbcClient jdbc;

    private static InputStream in(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aRefusedHeaderRowIsCorrectedAndReplayedAndThenItsHeldEpisodeGoesIn() {
        String la = data.agency("local_authority");
        SightlineUser worker = accounts.loadUserByUsername(data.user(la, Roles.SOCIAL_WORKER));
        var report = ssda903.importFor(
                worker,
                new CollectionYear(2025),
                new Ssda903ImportService.Files(
                        in(HEADER_HEAD + "7201,1,13/06/2010,WBRI,,2,\n"),
                        in(EPISODES_HEAD + "7201,01/05/2024,S,C2,N1,U1,PR1,,,,,,\n"),
                        null));
        UUID headerRun = report.runs().get("header");
        UUID episodesRun = report.runs().get("episodes");
        ImportReport header = imports.report(worker, headerRun);
        assertThat(header.kind()).isEqualTo("ssda903-header");
        assertThat(header.errorsByCode()).containsExactlyEntriesOf(Map.of("E1004", 1L));
        assertThat(imports.report(worker, episodesRun).errorsByCode()).containsExactlyEntriesOf(Map.of("E1015", 1L));

        // Replaying the held row first changes nothing: its Header row is still refused, and now "not in the Header".
        QuarantinedRow held = imports.quarantine(worker, episodesRun, 10).get(0);
        QuarantinedRow stillHeld = imports.correctAndReplay(worker, episodesRun, held.id(), Map.of(), held.version());
        assertThat(stillHeld.status()).isEqualTo("quarantined");
        assertThat(stillHeld.errors())
                .extracting(e -> e.code() + " " + e.column() + ": " + e.message())
                .containsExactly("E1005 CHILD: not in the Header (INT)");

        QuarantinedRow bad = imports.quarantine(worker, headerRun, 10).get(0);
        assertThat(bad.raw()).containsEntry("MOTHER", "2").containsEntry("CHILD", "7201");
        assertThat(imports.quarantineForm(worker, headerRun, bad.id()).fields())
                .filteredOn(f -> f.hasErrors())
                .extracting(f -> f.column())
                .containsExactly("MOTHER");
        QuarantinedRow fixed =
                imports.correctAndReplay(worker, headerRun, bad.id(), Map.of("MOTHER", "0"), bad.version());
        assertThat(fixed.status()).isEqualTo("replayed");
        assertThat(fixed.outcome()).isEqualTo("imported");
        ImportReport after = imports.report(worker, headerRun);
        assertThat(List.of(after.received(), after.imported(), after.quarantined()))
                .containsExactly(1L, 1L, 0L);

        QuarantinedRow episode =
                imports.correctAndReplay(worker, episodesRun, held.id(), Map.of(), stillHeld.version());
        assertThat(episode.status()).isEqualTo("replayed");
        assertThat(episode.outcome()).isEqualTo("imported");
        var export = exports.exportAsOperator("test", la, new CollectionYear(2025));
        assertThat(Ssda903ExportService.csv(export.data(), "header")).contains("7201,1,13/06/2010,WBRI,,0,");
        assertThat(Ssda903ExportService.csv(export.data(), "episodes"))
                .contains("7201,01/05/2024,S,C2,N1,U1,PR1,,,,,,");
    }

    @Test
    void aFileLargerThanABatchGoesInBatchesAndAReimportChangesNothing() {
        String la = data.agency("local_authority");
        int children = Ssda903ImportService.BATCH_SIZE + 17;
        StringBuilder header = new StringBuilder(HEADER_HEAD);
        for (int i = 0; i < children; i++) {
            header.append("B").append(i).append(',').append(1 + i % 2).append(",13/06/2010,WBRI,,,\n");
            if (i == Ssda903ImportService.BATCH_SIZE / 2) {
                // One bad row in the first batch, quarantined without stopping the others.
                header.append("B-bad,7,13/06/2010,WBRI,,,\n");
            }
        }
        var first = ssda903.importAsOperator(
                "test",
                la,
                new CollectionYear(2025),
                new Ssda903ImportService.Files(in(header.toString()), null, null));
        assertThat(first.files()).containsExactly(new FileCounts("header", children + 1, children, 0, 0, 1));
        assertThat(jdbc.sql(
                                "SELECT count(*) FROM person_record pr JOIN agency a ON a.id = pr.agency_id WHERE a.code = ?")
                        .param(la)
                        .query(Long.class)
                        .single())
                .isEqualTo(children);
        assertThat(jdbc.sql(
                                """
                SELECT count(*) FROM audit_event WHERE action = 'IMPORT_BATCH' AND subject_id = ?""")
                        .param(first.runs().get("header").toString())
                        .query(Long.class)
                        .single())
                .isEqualTo(2);
        var again = ssda903.importAsOperator(
                "test",
                la,
                new CollectionYear(2025),
                new Ssda903ImportService.Files(in(header.toString()), null, null));
        assertThat(again.files()).containsExactly(new FileCounts("header", children + 1, 0, 0, children, 1));
    }
}
