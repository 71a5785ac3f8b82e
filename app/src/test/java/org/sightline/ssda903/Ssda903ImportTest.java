package org.sightline.ssda903;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.sightline.ssda903.Ssda903ExportService.ExportReport;
import org.sightline.ssda903.Ssda903ImportService.FileCounts;
import org.sightline.ssda903.Ssda903ImportService.ImportReport;
import org.sightline.support.IntegrationTest;
import org.sightline.support.TestData;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Files as an authority sends them: imported once, re-imported with nothing new, bad rows quarantined, exported back. */
@IntegrationTest
class Ssda903ImportTest {

    static final String HEADER =
            """
            CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB
            T1001,1,14/02/2009,WBRI,,0,
            T1002,2,03/11/2010,NOBT,,,
            T1003,3,01/01/2010,WBRI,,,
            """;
    static final String EPISODES =
            """
            CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN
            T1001,01/05/2024,S,C2,N1,U1,PR1,01/09/2024,X1,,,,
            T1001,01/09/2024,P,C2,N1,K2,PR4,,,CARPL,,,
            T1002,10/06/2024,S,V2,N4,U4,PR1,,,,,,
            T1002,99/06/2024,S,V2,N4,U4,PR1,,,,,,
            """;
    static final String MISSING =
            """
            CHILD,DOB,MISSING,MIS_START,MIS_END
            T1001,14/02/2009,M,03/06/2024,04/06/2024
            T1001,14/02/2009,A,20/08/2024,01/09/2024
            T1002,03/11/2010,M,15/03/2025,
            T1002,03/11/2010,X,16/03/2025,
            T9999,03/11/2010,M,16/03/2025,
            """;

    @Autowired
    Ssda903ImportService imports;

    @Autowired
    Ssda903ExportService exports;

    @Autowired
    TestData data;

    @Autowired
    JdbcClient jdbc;

    private static InputStream in(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
    }

    private ImportReport run(String la) {
        return imports.importAsOperator(
                "test",
                la,
                new CollectionYear(2025),
                new Ssda903ImportService.Files(in(HEADER), in(EPISODES), in(MISSING)));
    }

    @Test
    void importsOnceQuarantinesBadRowsAndExportsBack() {
        String la = data.agency("local_authority");
        ImportReport first = run(la);
        assertThat(first.files())
                .containsExactly(
                        new FileCounts("header", 3, 2, 0, 0, 1),
                        new FileCounts("episodes", 4, 3, 0, 0, 1),
                        new FileCounts("missing", 5, 3, 0, 0, 2));
        assertThat(first.errors())
                .anySatisfy(e -> {
                    assertThat(e.file()).isEqualTo("header");
                    assertThat(e.line()).isEqualTo(4);
                    assertThat(e.errors()).containsExactly("SEX: must be one of 1/2");
                })
                .anySatisfy(e -> {
                    assertThat(e.file()).isEqualTo("missing");
                    assertThat(e.line()).isEqualTo(5);
                    assertThat(e.errors()).containsExactly("MISSING: must be M or A (1006)");
                })
                .anySatisfy(e -> assertThat(e.errors()).containsExactly("CHILD: not in the Header (INT04)"))
                .anySatisfy(e -> assertThat(e.errors()).containsExactly("DECOM: not a real date dd/mm/yyyy"));

        ImportReport again = run(la);
        assertThat(again.files())
                .containsExactly(
                        new FileCounts("header", 3, 0, 0, 2, 1),
                        new FileCounts("episodes", 4, 0, 0, 3, 1),
                        new FileCounts("missing", 5, 0, 0, 3, 2));
        long agency = jdbc.sql("SELECT id FROM agency WHERE code = ?")
                .param(la)
                .query(Long.class)
                .single();
        // Each file of each import is a run of the import pipeline, its refused rows in that run's quarantine.
        assertThat(jdbc.sql(
                                """
                SELECT r.kind || ' ' || count(*) FROM import_quarantine q JOIN import_run r ON r.id = q.run_id
                WHERE r.agency_id = ? AND r.public_id = ANY(?) GROUP BY r.kind ORDER BY r.kind""")
                        .params(agency, again.runs().values().toArray(java.util.UUID[]::new))
                        .query(String.class)
                        .list())
                .containsExactly("ssda903-episodes 1", "ssda903-header 1", "ssda903-missing 2");
        assertThat(jdbc.sql("SELECT count(*) FROM import_run WHERE agency_id = ? AND kind LIKE 'ssda903-%'")
                        .param(agency)
                        .query(Long.class)
                        .single())
                .isEqualTo(6);
        assertThat(jdbc.sql("SELECT count(*) FROM missing_episode WHERE agency_id = ?")
                        .param(agency)
                        .query(Long.class)
                        .single())
                .isEqualTo(3);
        // The Missing table says nothing of return interviews: not recorded, never "not offered" (issue 9).
        assertThat(jdbc.sql("SELECT DISTINCT return_interview_status FROM missing_episode WHERE agency_id = ?")
                        .param(agency)
                        .query(String.class)
                        .list())
                .containsExactly("not_recorded");

        ExportReport report = exports.exportAsOperator("test", la, new CollectionYear(2025));
        assertThat(report.failures()).isEmpty();
        assertThat(Ssda903ExportService.csv(report.data(), "missing"))
                .isEqualTo(
                        """
                CHILD,DOB,MISSING,MIS_START,MIS_END\r
                T1001,14/02/2009,M,03/06/2024,04/06/2024\r
                T1001,14/02/2009,A,20/08/2024,01/09/2024\r
                T1002,03/11/2010,M,15/03/2025,\r
                """);
        assertThat(Ssda903ExportService.csv(report.data(), "header")).contains("T1001,1,14/02/2009,WBRI,,0,\r\n");
        assertThat(Ssda903ExportService.csv(report.data(), "episodes"))
                .contains("T1001,01/05/2024,S,C2,N1,U1,PR1,01/09/2024,X1,,,,\r\n");
    }

    @Test
    void aLaterReturnThatEndsAPeriodOrAnEpisodeUpdatesItInsteadOfDroppingTheChange() {
        String la = data.agency("local_authority");
        run(la);
        String header = HEADER.replace("T1002,2,03/11/2010,NOBT,,,", "T1002,2,03/11/2010,NOBT,A123456789012,,");
        String episodes = EPISODES.replace(
                "T1002,10/06/2024,S,V2,N4,U4,PR1,,,,,,", "T1002,10/06/2024,S,V2,N4,U4,PR1,20/03/2025,E11,,,,");
        String missing = MISSING.replace("T1002,03/11/2010,M,15/03/2025,", "T1002,03/11/2010,M,15/03/2025,17/03/2025");
        ImportReport later = imports.importAsOperator(
                "test",
                la,
                new CollectionYear(2025),
                new Ssda903ImportService.Files(in(header), in(episodes), in(missing)));
        assertThat(later.files())
                .containsExactly(
                        new FileCounts("header", 3, 0, 1, 1, 1),
                        new FileCounts("episodes", 4, 0, 1, 2, 1),
                        new FileCounts("missing", 5, 0, 1, 2, 2));
        long agency = jdbc.sql("SELECT id FROM agency WHERE code = ?")
                .param(la)
                .query(Long.class)
                .single();
        assertThat(jdbc.sql(
                                """
                SELECT to_char(p.mis_end, 'DD/MM/YYYY') FROM ssda903_missing_period p JOIN missing_episode e
                ON e.id = p.missing_episode_id WHERE e.agency_id = ? AND e.episode_ref = 'SSDA903-T1002-2025-03-15'""")
                        .param(agency)
                        .query(String.class)
                        .single())
                .isEqualTo("17/03/2025");
        assertThat(jdbc.sql("SELECT rec FROM care_episode WHERE agency_id = ? AND child = 'T1002'")
                        .param(agency)
                        .query(String.class)
                        .single())
                .isEqualTo("E11");
        assertThat(jdbc.sql("SELECT upn FROM person_record WHERE agency_id = ? AND record_ref = 'T1002'")
                        .param(agency)
                        .query(String.class)
                        .single())
                .isEqualTo("A123456789012");
    }

    @Test
    void aFileWithoutTheDfeColumnsIsRefusedWithItsName() {
        String la = data.agency("local_authority");
        assertThatThrownBy(() -> imports.importAsOperator(
                        "test",
                        la,
                        new CollectionYear(2025),
                        new Ssda903ImportService.Files(in("CHILD,SEX\nA,1\n"), null, null)))
                .isInstanceOf(Ssda903FileException.class)
                .hasMessage("header line 1: the header row lacks column(s) DOB, ETHNIC, UPN, MOTHER, MC_DOB");
        assertThatThrownBy(() -> imports.importAsOperator(
                        "test",
                        la,
                        new CollectionYear(2025),
                        new Ssda903ImportService.Files(
                                new ByteArrayInputStream(new byte[] {(byte) 0xC3, 0x28}), null, null)))
                .hasMessageContaining("not UTF-8");
    }
}
