package org.sightline.importexport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The parse stage on its own: what it reads, and the structural faults that must fail a file, not hide rows. */
class CsvRowsTest {

    /** A header and {@code rows} data rows of three fields; {@code strayQuoteOnRow} (1-based, 0 = none) opens a quote. */
    private static String file(int rows, int strayQuoteOnRow) {
        StringBuilder s = new StringBuilder("ref,name,town\n");
        for (int r = 1; r <= rows; r++) {
            s.append("R")
                    .append(r)
                    .append(',')
                    .append(r == strayQuoteOnRow ? "\"Ann" : "Ann")
                    .append(",Testtown\n");
        }
        return s.toString();
    }

    private static List<CsvRows.Row> readAll(String text) {
        List<CsvRows.Row> out = new ArrayList<>();
        try (CsvRows rows = new CsvRows(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)))) {
            for (CsvRows.Row row = rows.next(); row != null; row = rows.next()) {
                out.add(row);
            }
        }
        return out;
    }

    @Test
    void aStrayQuoteFailsTheFileNamingTheLineWhereItOpened() {
        // Row 10 is on line 11 (the header is line 1). Without the check the parser returns 10 rows, the last one
        // swallowing the 90 that follow.
        assertThatThrownBy(() -> readAll(file(100, 10)))
                .isInstanceOf(CsvRows.UnreadableFileException.class)
                .hasMessageContaining("opened on line 11")
                .satisfies(e ->
                        assertThat(((CsvRows.UnreadableFileException) e).line()).isEqualTo(11));
    }

    @Test
    void aStrayQuoteInAnEarlierFieldIsPlacedOnItsOwnLine() {
        // A legitimate two-line address in field 2, then a quote opened in field 3 of the same row: the quote opened on
        // the row's second line.
        String text = "ref,address,town\nR1,\"1 Test Street\nTesttown\",\"Testshire\n" + "R2,x,y\n".repeat(20);
        assertThatThrownBy(() -> readAll(text)).hasMessageContaining("opened on line 3");
    }

    @Test
    void multiLineFieldsWithinTheLimitRead() {
        String address = "\"" + "line\n".repeat(CsvRows.MAX_LINE_BREAKS_PER_FIELD) + "end\"";
        List<CsvRows.Row> rows = readAll("ref,address\nR1," + address + "\nR2,plain\n");
        assertThat(rows).extracting(CsvRows.Row::line).containsExactly(2L, 2L + CsvRows.MAX_LINE_BREAKS_PER_FIELD + 1);
        assertThat(rows.get(0).fields()[1]).hasLineCount(CsvRows.MAX_LINE_BREAKS_PER_FIELD + 1);
    }

    @Test
    void aFileWithoutStrayQuotesReadsEveryRow() {
        assertThat(readAll(file(100, 0))).hasSize(100);
    }
}
