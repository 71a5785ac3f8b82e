package org.sightline.ssda903;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.sightline.shared.CsvCells;
import org.sightline.ssda903.Ssda903Tables.EpisodeRow;
import org.sightline.ssda903.Ssda903Tables.HeaderRow;
import org.sightline.ssda903.Ssda903Tables.MissingRow;
import org.sightline.ssda903.Ssda903Tables.Return;

/** Exported cells that a spreadsheet would run as formulas are written as text; ordinary values are unchanged. */
class CsvInjectionTest {

    @Test
    void formulaPrefixesAreNeutralisedInEveryTable() {
        Return data = new Return(
                List.of(new HeaderRow(
                        2, "=HYPERLINK(\"http://x\")", "1", "01/02/2010", "WBRI", "+A123", "@SUM(1)", "")),
                List.of(new EpisodeRow(2, "C1", "01/04/2024", "S", "C2", "N1", "-2+3", "PR1", "", "", "", "", "", "")),
                List.of(new MissingRow(2, "C1", "01/02/2010", "M", "02/05/2024", "\t=1")));
        assertThat(Ssda903ExportService.csv(data, "header"))
                .contains("\"'=HYPERLINK(\"\"http://x\"\")\"")
                .contains(",'+A123,'@SUM(1),")
                .contains("01/02/2010,WBRI");
        assertThat(Ssda903ExportService.csv(data, "episodes"))
                .contains(",'-2+3,")
                .contains("C1,01/04/2024,S,C2,N1");
        assertThat(Ssda903ExportService.csv(data, "missing")).contains("'\t=1");
    }

    @Test
    void onlyTheFirstCharacterDecides() {
        assertThat(CsvCells.neutralise("a=b")).isEqualTo("a=b");
        assertThat(CsvCells.neutralise("")).isEmpty();
        assertThat(CsvCells.neutralise((String) null)).isNull();
        assertThat(CsvCells.neutralise("-")).isEqualTo("'-");
    }
}
