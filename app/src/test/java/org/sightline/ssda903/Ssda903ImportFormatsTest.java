package org.sightline.ssda903;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.sightline.ssda903.Ssda903ImportService.FileCounts;
import org.sightline.ssda903.Ssda903ImportService.ImportReport;
import org.sightline.ssda903.Ssda903ImportService.Notice;
import org.sightline.support.IntegrationTest;
import org.sightline.support.TestData;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Files as they really arrive: month-first or mixed dates (refused whole, never swapped), yyyy-mm-dd (converted),
 * duplicate keys (refused naming both lines), lower-case codes and 1.0 integers (accepted and said so), and a
 * refused Header row whose Episodes name the real cause. Also: authorities through time.
 */
@IntegrationTest
class Ssda903ImportFormatsTest {

    static final String EPISODES_HEAD =
            "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN\n";
    static final String HEADER_HEAD = "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\n";

    @Autowired
    Ssda903ImportService imports;

    @Autowired
    Ssda903ExportService exports;

    @Autowired
    TestData data;

    @Autowired
    JdbcClient jdbc;

    private static InputStream in(String s) {
        return s == null ? null : new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
    }

    private ImportReport run(String la, String header, String episodes) {
        return imports.importAsOperator(
                "test", la, new CollectionYear(2025), new Ssda903ImportService.Files(in(header), in(episodes), null));
    }

    private long records(String la) {
        return jdbc.sql("SELECT count(*) FROM person_record pr JOIN agency a ON a.id = pr.agency_id WHERE a.code = ?")
                .param(la)
                .query(Long.class)
                .single();
    }

    @Test
    void aMonthFirstFileIsRefusedWholeNeverSwapped() {
        String la = data.agency("local_authority");
        String header = HEADER_HEAD + "T1,1,05/06/2006,WBRI,,,\nT2,2,05/13/2006,WBRI,,,\n";
        assertThatThrownBy(() -> run(la, header, null))
                .isInstanceOf(Ssda903FileException.class)
                .hasMessage("header: dates are month first (mm/dd/yyyy): line 3 DOB has a month above 12 when read as "
                        + "dd/mm/yyyy. SSDA903 dates are dd/mm/yyyy: save the file with dates as dd/mm/yyyy or "
                        + "yyyy-mm-dd and import again; nothing was imported");
        assertThat(records(la)).isZero();
    }

    @Test
    void aFileWhoseDatesContradictEachOtherOrMixFormatsIsRefused() {
        String la = data.agency("local_authority");
        assertThatThrownBy(() -> run(la, HEADER_HEAD + "T1,1,13/06/2006,WBRI,,,\nT2,2,05/13/2006,WBRI,,,\n", null))
                .hasMessageContaining("dates are inconsistent: line 2 DOB can only be day first (dd/mm/yyyy) but "
                        + "line 3 DOB can only be month first");
        assertThatThrownBy(() -> run(la, HEADER_HEAD + "T1,1,2006-06-13,WBRI,,,\nT2,2,05/10/2006,WBRI,,,\n", null))
                .hasMessageContaining(
                        "dates are written two ways (yyyy-mm-dd at line 2 DOB, dd/mm/yyyy at line 3 DOB)");
        assertThat(records(la)).isZero();
    }

    @Test
    void isoDatesAreReadAsDatesAndSaidSo() {
        String la = data.agency("local_authority");
        ImportReport report = run(
                la, HEADER_HEAD + "T1,1,2010-06-13,WBRI,,,\n", EPISODES_HEAD + "T1,2024-05-01,S,C2,N1,U1,PR1,,,,,,\n");
        assertThat(report.errors()).isEmpty();
        assertThat(report.notices())
                .extracting(Notice::text)
                .contains("dates are written yyyy-mm-dd: read as such and held as dates");
        var export = exports.exportAsOperator("test", la, new CollectionYear(2025));
        assertThat(Ssda903ExportService.csv(export.data(), "header")).contains("T1,1,13/06/2010,WBRI,,,");
        assertThat(Ssda903ExportService.csv(export.data(), "episodes")).contains("T1,01/05/2024,S,C2,N1,U1,PR1,,,,,,");
    }

    @Test
    void duplicateKeysWithDifferentValuesAreRefusedNamingBothLinesAndAReimportChangesNothing() {
        String la = data.agency("local_authority");
        String header = HEADER_HEAD + "T1,1,13/06/2006,WBRI,,,\nT2,2,14/06/2006,WBRI,,,\nT1,1,13/06/2006,WIRI,,,\n"
                + "T2,2,14/06/2006,WBRI,,,\n";
        ImportReport first = run(la, header, null);
        assertThat(first.files()).containsExactly(new FileCounts("header", 4, 1, 0, 1, 2));
        assertThat(first.rulesChecked())
                .as("no Episodes file: the DfE rules cannot be checked")
                .isFalse();
        assertThat(first.errors())
                .extracting(e -> e.line() + " " + e.errors())
                .containsExactly(
                        "2 [CHILD: the same CHILD as line(s) 4 with different values]",
                        "4 [CHILD: the same CHILD as line(s) 2 with different values]");
        assertThat(first.errors())
                .flatExtracting(e -> e.problems())
                .extracting(p -> p.code())
                .containsOnly("E1007");
        assertThat(first.notices())
                .extracting(Notice::line, Notice::text)
                .contains(org.assertj.core.groups.Tuple.tuple(5, "the same row as line 3: read once"));
        ImportReport again = run(la, header, null);
        assertThat(again.files()).containsExactly(new FileCounts("header", 4, 0, 0, 2, 2));
    }

    @Test
    void lowerCaseCodesAndDecimalIntegersAreAcceptedAndReported() {
        String la = data.agency("local_authority");
        ImportReport report = run(
                la,
                HEADER_HEAD + "T1,2.0,13/06/2010,wbri,,1.0,\n",
                EPISODES_HEAD + "T1,01/05/2024,s,c2,n1,u1,pr1,,,,,,\n");
        assertThat(report.errors()).isEmpty();
        assertThat(report.files()).extracting(FileCounts::created).containsExactly(1, 1);
        assertThat(report.notices())
                .extracting(Notice::text)
                .contains(
                        "ETHNIC: 1 lower-case code(s) read as upper case, as the DfE codes are",
                        "MOTHER: 1 value(s) written as a decimal (e.g. 1.0) read as the whole number",
                        "SEX: 1 value(s) written as a decimal (e.g. 1.0) read as the whole number",
                        "RNE: 1 lower-case code(s) read as upper case, as the DfE codes are");
        var export = exports.exportAsOperator("test", la, new CollectionYear(2025));
        assertThat(Ssda903ExportService.csv(export.data(), "header")).contains("T1,2,13/06/2010,WBRI,,1,");
        assertThat(Ssda903ExportService.csv(export.data(), "episodes")).contains("T1,01/05/2024,S,C2,N1,U1,PR1,,,,,,");
    }

    @Test
    void episodesOfARefusedHeaderRowNameTheRealCause() {
        String la = data.agency("local_authority");
        ImportReport report = run(
                la,
                HEADER_HEAD + "7201,1,13/06/2006,WBRI,,2,\n",
                EPISODES_HEAD + "7201,01/05/2024,S,C2,N1,U1,PR1,,,,,,\n9999,01/05/2024,S,C2,N1,U1,PR1,,,,,,\n");
        assertThat(report.errors())
                .extracting(e -> e.file() + " " + e.errors())
                .containsExactly(
                        "header [MOTHER: must be one of 0/1]",
                        "episodes [CHILD: the Header row for CHILD 7201 was refused: MOTHER: must be one of 0/1]",
                        "episodes [CHILD: not in the Header (INT)]");
        // Held (E1015) naming the refused Header row, not "unknown" (E1005) as the child without a Header row is.
        assertThat(report.errors())
                .extracting(e -> e.problems().get(0).code())
                .containsExactly("E1004", "E1015", "E1005");
    }

    @Test
    void rowsThatBreakDfeRulesAreKeptReportedPerRuleAndStored() {
        String la = data.agency("local_authority");
        // Born 28/11/2000, looked after since 2019 (aged 18) with no end: 351 (over 21), 352 (started at 18 or
        // over) and 359 (open past 18).
        ImportReport report = run(
                la, HEADER_HEAD + "C7,1,28/11/2000,WBRI,,,\n", EPISODES_HEAD + "C7,26/10/2019,S,C2,N1,U1,PR1,,,,,,\n");
        assertThat(report.errors()).isEmpty();
        assertThat(report.ruleTotals())
                .containsExactlyInAnyOrderEntriesOf(java.util.Map.of("351", 1, "352", 1, "359", 1));
        assertThat(report.rulesChecked()).isTrue();
        assertThat(report.rulesNotChecked()).containsExactly("576");
        assertThat(report.ruleFailures()).anySatisfy(f -> {
            assertThat(f.rule()).isEqualTo("359");
            assertThat(f.table()).isEqualTo("Episodes");
            assertThat(f.line()).isEqualTo(2);
            assertThat(f.description()).contains("18th birthday");
        });
        assertThat(jdbc.sql(
                                """
                SELECT string_agg(rule_code, ',' ORDER BY rule_code) FROM ssda903_rule_failure f
                JOIN agency a ON a.id = f.agency_id WHERE a.code = ? AND collection_year = 2025""")
                        .param(la)
                        .query(String.class)
                        .single())
                .isEqualTo("351,352,359");
        // The export never shows that care as open: the child is withheld and the failure reported.
        var export = exports.exportAsOperator("test", la, new CollectionYear(2025));
        assertThat(export.headerRows()).isZero();
        assertThat(export.passes()).isFalse();
        assertThat(export.failures())
                .extracting(f -> f.rule() + " " + f.withheld())
                .containsExactly("351 true");
    }

    @Test
    void authoritiesAreAcceptedForTheYearsTheyExistedAndSuccessorsNamedAfter() {
        ImportReport cumbria = imports.importAsOperator(
                "test",
                "909",
                new CollectionYear(2018),
                new Ssda903ImportService.Files(in(HEADER_HEAD + "K1,1,13/06/2006,WBRI,,,\n"), null, null));
        assertThat(cumbria.authority().code()).isEqualTo("E10000006");
        assertThat(cumbria.authority().name()).isEqualTo("Cumbria");
        assertThat(cumbria.files()).extracting(FileCounts::created).containsExactly(1);
        assertThat(exports.exportAsOperator("test", "E10000006", new CollectionYear(2023))
                        .authority()
                        .code())
                .isEqualTo("E10000006");
        assertThatThrownBy(() -> exports.exportAsOperator("test", "909", new CollectionYear(2025)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--authority: Cumbria (E10000006, 909) existed from 01/01/2009 to 31/03/2023, not in "
                        + "collection year 2025 (01/04/2024 to 31/03/2025); for later years use its successor(s): "
                        + "Cumberland (E06000063, 942), Westmorland and Furness (E06000064, 943)");
        // One DfE number, two authorities: the year decides.
        assertThat(exports.exportAsOperator("test", "815", new CollectionYear(2020))
                        .authority()
                        .code())
                .isEqualTo("E10000023");
        assertThat(exports.exportAsOperator("test", "815", new CollectionYear(2025))
                        .authority()
                        .code())
                .isEqualTo("E06000065");
        assertThatThrownBy(() -> exports.exportAsOperator("test", "E06000063", new CollectionYear(2023)))
                .hasMessageContaining(
                        "Cumberland (E06000063, 942) existed from 01/04/2023, not in collection year 2023");
    }
}
