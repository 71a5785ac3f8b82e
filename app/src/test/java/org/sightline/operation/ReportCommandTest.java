package org.sightline.operation;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sightline.SightlineMain;
import picocli.CommandLine;

/** Bad options of {@code report} get one line naming the option and the rule, exit 2, before any database is touched. */
class ReportCommandTest {

    @TempDir
    Path dir;

    private record Run(int exit, String err) {}

    private Run run(String... args) {
        CommandLine cli = SightlineMain.commandLine();
        StringWriter err = new StringWriter();
        cli.setErr(new PrintWriter(err));
        cli.setOut(new PrintWriter(new StringWriter()));
        return new Run(cli.execute(args), err.toString());
    }

    @Test
    void refusesUnknownKindFormatAndDatesWithOneLine() {
        String out = dir.resolve("r.json").toString();
        Run kind = run("report", "--kind", "everything", "--format", "json", "--out", out);
        assertThat(kind.exit()).isEqualTo(2);
        assertThat(kind.err())
                .isEqualTo("sightline report: --kind must be one of victim-profile, adult-profile, "
                        + "missing-statistics, reconciliation, data-quality" + System.lineSeparator());
        Run exact = run("report", "--kind", "reconciliation", "--format", "json", "--exact", "--out", out);
        assertThat(exact.exit()).isEqualTo(2);
        assertThat(exact.err()).contains("--exact needs --as naming an enabled supervisor's account");
        Run format = run("report", "--kind", "victim-profile", "--format", "pdf", "--out", out);
        assertThat(format.exit()).isEqualTo(2);
        assertThat(format.err()).contains("--format must be one of json, csv, html");
        Run date = run("report", "--kind", "victim-profile", "--format", "json", "--from", "31/03/2025", "--out", out);
        assertThat(date.exit()).isEqualTo(2);
        assertThat(date.err()).contains("must be dates written yyyy-mm-dd");
        Run order = run(
                "report",
                "--kind",
                "adult-profile",
                "--format",
                "csv",
                "--from",
                "2025-04-01",
                "--to",
                "2025-03-31",
                "--out",
                out);
        assertThat(order.exit()).isEqualTo(2);
        assertThat(order.err()).contains("--to must not be before --from");
        Run folder = run(
                "report",
                "--kind",
                "adult-profile",
                "--format",
                "csv",
                "--out",
                dir.resolve("no/such/folder/r.csv").toString());
        assertThat(folder.exit()).isEqualTo(2);
        assertThat(folder.err()).contains("is not in an existing folder");
    }
}
