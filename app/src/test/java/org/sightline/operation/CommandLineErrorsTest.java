package org.sightline.operation;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sightline.SightlineMain;
import picocli.CommandLine;

/**
 * Every refusal the README promises is one line on stderr (plus "see --help" for usage) and the documented exit
 * code: 2 usage, 3 environment, 4 data. None of these cases starts Spring or a database.
 */
class CommandLineErrorsTest {

    record Run(int exit, List<String> err, String out) {}

    static Run run(String... args) {
        StringWriter err = new StringWriter();
        StringWriter out = new StringWriter();
        CommandLine cli = SightlineMain.commandLine();
        cli.setErr(new PrintWriter(err));
        cli.setOut(new PrintWriter(out));
        int exit = cli.execute(args);
        return new Run(exit, err.toString().lines().toList(), out.toString());
    }

    @Test
    void aWrongOptionIsOneLineThenWhereToLookNotTheUsage() {
        Run r = run("import", "--agnecy", "E23000001", "--kind", "person-records", "x.csv");
        assertThat(r.exit()).isEqualTo(ExitCode.USAGE);
        assertThat(r.err())
                .containsExactly("sightline import: Unknown option: '--agnecy'", "see 'sightline import --help'");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void aMissingRequiredOptionIsNamed() {
        Run r = run("import", "--kind", "person-records", "x.csv");
        assertThat(r.exit()).isEqualTo(ExitCode.USAGE);
        assertThat(r.err())
                .containsExactly(
                        "sightline import: Missing required argument (specify one of these): "
                                + "(--agency=<agency> | --agency-column=COLUMN)",
                        "see 'sightline import --help'");
    }

    @Test
    void aTwoDigitCollectionYearIsUsageNotAFailure(@TempDir Path tmp) {
        Run r = run("ssda903-export", "--authority", "E10000012", "--year", "25", "--out", tmp.toString(), "--demo");
        assertThat(r.exit()).isEqualTo(ExitCode.USAGE);
        assertThat(r.err()).hasSize(2);
        assertThat(r.err().get(0)).startsWith("sightline ssda903-export: --year: ");
        assertThat(r.err().get(1)).isEqualTo("see 'sightline ssda903-export --help'");
    }

    @Test
    void demoChildrenOutOfRangeIsAUsageErrorAndZeroIsAllowed(@TempDir Path data) throws IOException {
        Run r = run("demo", "--children", "-1", "--data-dir", data.toString());
        assertThat(r.exit()).isEqualTo(ExitCode.USAGE);
        assertThat(r.err().get(0))
                .isEqualTo("sightline demo: --children must be between 0 (agencies and demo users "
                        + "only) and 1,000,000");
        // 0 passes the check: with the port taken, the next thing said is the port, not the number of children.
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
            Run zero = run(
                    "demo",
                    "--children",
                    "0",
                    "--port",
                    String.valueOf(taken.getLocalPort()),
                    "--data-dir",
                    data.toString());
            assertThat(zero.exit()).isEqualTo(ExitCode.ENVIRONMENT);
            assertThat(zero.err().get(0)).contains("is in use");
        }
    }

    @Test
    void aPortInUseIsReportedBeforeAnythingStarts(@TempDir Path data) throws IOException {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
            int port = taken.getLocalPort();
            Run r = run("demo", "--port", String.valueOf(port), "--data-dir", data.toString());
            assertThat(r.exit()).isEqualTo(ExitCode.ENVIRONMENT);
            assertThat(r.err())
                    .containsExactly("sightline demo: port " + port + " on 127.0.0.1 is in use (is a demo or "
                            + "another server running?): stop it or choose another with --port");
        }
        assertThat(data).isEmptyDirectory();
    }

    @Test
    void anUnreachableDatabaseIsOneLineWithoutAStackTrace() throws IOException {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        String url = "jdbc:postgresql://localhost:" + closed + "/sightline";
        Run r = run("verify-audit", "--db-url", url, "--db-user", "nobody");
        assertThat(r.exit()).isEqualTo(ExitCode.ENVIRONMENT);
        assertThat(r.err()).hasSize(2);
        assertThat(r.err().get(0)).isEqualTo("verify-audit: checking the database ...");
        assertThat(r.err().get(1))
                .startsWith("sightline verify-audit: cannot reach the database at " + url + " as nobody: ")
                .contains("refused");
    }

    @Test
    void aSpreadsheetIsRefusedAsE1000NamingWhatItIsBeforeAnythingStarts(@TempDir Path tmp) throws IOException {
        Path xlsx = tmp.resolve("children.xlsx");
        // A real .xlsx starts as a ZIP archive: local file header signature PK\3\4.
        Files.write(xlsx, new byte[] {0x50, 0x4B, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00, 0x08, 0x00});
        Path empty = tmp.resolve("no-demo");
        Run r = run(
                "import",
                "--demo",
                "--data-dir",
                empty.toString(),
                "--agency",
                "E23000001",
                "--kind",
                "person-records",
                xlsx.toString());
        assertThat(r.exit()).isEqualTo(ExitCode.DATA);
        assertThat(r.err())
                .containsExactly(
                        "sightline import: E1000 line 1: the file is an Excel workbook (.xlsx), "
                                + "OpenDocument spreadsheet (.ods) or other ZIP archive, not CSV: save it as CSV UTF-8 and import again");
        assertThat(empty).doesNotExist();
    }

    @Test
    void demoWithoutADemoDatabaseSaysSoInsteadOfCreatingOne(@TempDir Path tmp) throws IOException {
        Path csv = tmp.resolve("people.csv");
        Files.writeString(csv, "record_id\n1\n");
        Path folder = tmp.resolve("elsewhere");
        Run r = run(
                "import",
                "--demo",
                "--data-dir",
                folder.toString(),
                "--agency",
                "E23000001",
                "--kind",
                "person-records",
                csv.toString());
        assertThat(r.exit()).isEqualTo(ExitCode.USAGE);
        assertThat(r.err())
                .last()
                .asString()
                .isEqualTo("sightline import: no demo database in " + folder.toAbsolutePath()
                        + ": start 'sightline demo' first, point --data-dir at another demo's folder, or add --new to create an "
                        + "empty one there");
        assertThat(folder.resolve("postgres")).doesNotExist();
    }
}
