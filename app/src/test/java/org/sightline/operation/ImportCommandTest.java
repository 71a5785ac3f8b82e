package org.sightline.operation;

import static org.assertj.core.api.Assertions.assertThat;

import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sightline.SightlineMain;
import org.sightline.importexport.ImportReport;
import org.sightline.importexport.ImportService;
import org.sightline.importexport.ImportService.ImportRequest;
import org.sightline.support.IntegrationTest;
import org.sightline.support.TestData;
import org.sightline.support.TestDatabase;
import org.sightline.synth.Generator;
import org.sightline.synth.ProgressListener;
import org.sightline.synth.SynthConfig;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import picocli.CommandLine;

/** The import command against the suite's (migrated) database: refusals that come before Spring starts. */
@IntegrationTest
class ImportCommandTest {

    @Autowired
    ImportService imports;

    @Autowired
    TestData data;

    @Autowired
    JdbcClient jdbc;

    record Run(int exit, List<String> err, String out) {}

    static Run run(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(1, TestDatabase.commandOptions());
        StringWriter err = new StringWriter();
        StringWriter out = new StringWriter();
        CommandLine cli = SightlineMain.commandLine();
        cli.setErr(new PrintWriter(err));
        cli.setOut(new PrintWriter(out));
        int exit = cli.execute(all.toArray(String[]::new));
        return new Run(exit, err.toString().lines().toList(), out.toString());
    }

    @Test
    void anUnknownAgencyIsRefusedBeforeTheApplicationStarts(@TempDir Path tmp) throws IOException {
        Path csv = tmp.resolve("people.csv");
        Files.writeString(csv, "record_id\n1\n");
        Run r = run("import", "--agency", "X99999999", "--kind", "person-records", csv.toString());
        assertThat(r.exit()).isEqualTo(ExitCode.USAGE);
        // Only the database check ran: the "starting" line that precedes Spring never came.
        assertThat(r.err())
                .containsExactly(
                        "import: checking the database ...",
                        "sightline import: --agency X99999999: no active agency has this code (codes are ONS codes, "
                                + "e.g. E23000001 for the Metropolitan Police)",
                        "see 'sightline import --help'");
    }

    @Test
    void oneFileOfSeveralAgenciesIsImportedUnderEachAgencyWithOneReportEach(@TempDir Path tmp) throws IOException {
        new Generator(SynthConfig.of(80, 915)).writeCsv(tmp, ProgressListener.NONE);
        Path file = tmp.resolve("person_records.csv");
        // The file's rows per agency, read independently of the command.
        Map<String, List<String>> refs = new TreeMap<>();
        try (CsvReader<CsvRecord> reader = CsvReader.builder().ofCsvRecord(file)) {
            List<String> header = null;
            for (CsvRecord row : reader) {
                if (header == null) {
                    header = row.getFields();
                    continue;
                }
                refs.computeIfAbsent(row.getField(header.indexOf("agency_code")), a -> new ArrayList<>())
                        .add(row.getField(header.indexOf("record_ref")));
            }
        }
        assertThat(refs).as("the generated file holds several agencies' rows").hasSizeGreaterThan(3);

        Run r = run("import", "--agency-column", "agency_code", "--kind", "person-records", file.toString());

        assertThat(r.exit()).as(r.out()).isIn(ExitCode.OK, ExitCode.DATA);
        Pattern reportLine = Pattern.compile(
                "^agency (\\S+): (?:import \\S+ (\\w+): received (\\d+) = imported (\\d+) "
                        + "\\+ updated (\\d+) \\+ unchanged (\\d+) \\+ quarantined (\\d+)|(\\d+) row\\(s\\) not imported: .*)$");
        Map<String, Long> received = new TreeMap<>();
        long kept = 0;
        for (String line : r.out().lines().toList()) {
            Matcher m = reportLine.matcher(line);
            if (m.matches()) {
                assertThat(received).as("one report per agency").doesNotContainKey(m.group(1));
                received.put(m.group(1), Long.parseLong(m.group(3) != null ? m.group(3) : m.group(8)));
                if (m.group(3) != null) {
                    kept += Long.parseLong(m.group(4)) + Long.parseLong(m.group(5)) + Long.parseLong(m.group(6));
                }
            }
        }
        Map<String, Long> expected = new TreeMap<>();
        refs.forEach((agency, list) -> expected.put(agency, (long) list.size()));
        assertThat(received).as(r.out()).isEqualTo(expected);
        // Each row under its own agency: none refused as another agency's (E1006), as when the file was imported whole.
        assertThat(r.out()).doesNotContain("E1006");
        long stored = 0;
        for (var e : refs.entrySet()) {
            stored += jdbc.sql("SELECT count(*) FROM person_record pr JOIN agency a ON a.id = pr.agency_id "
                            + "WHERE a.code = ? AND pr.record_ref = ANY(?)")
                    .params(e.getKey(), e.getValue().toArray(String[]::new))
                    .query(Long.class)
                    .single();
        }
        assertThat(stored)
                .as("rows now held under their own agency")
                .isEqualTo(kept)
                .isPositive();
    }

    @Test
    void aSpreadsheetUploadedThroughTheServiceFailsAsE1000NamingItsType() {
        String agency = data.agency("local_authority");
        byte[] pdf = "%PDF-1.7\n%âãÏÓ\n1 0 obj".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        ImportReport report = imports.importNow(
                new ImportRequest(agency, "person-records", null, "children.pdf", "tester", 100, null),
                new ByteArrayInputStream(pdf),
                n -> {});
        assertThat(report.status()).isEqualTo("failed");
        assertThat(report.fileError())
                .isEqualTo("E1000 line 1: the file is a PDF document, not CSV: save it as CSV "
                        + "UTF-8 and import again");
        assertThat(report.received()).isZero();
    }
}
