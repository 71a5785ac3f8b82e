package org.sightline.synth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class GenerateCommandTest {

    record Run(int exit, String err, String out) {}

    static Run run(String... args) {
        CommandLine cl = GenerateCommand.commandLine();
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err));
        StringWriter out = new StringWriter();
        cl.setOut(new PrintWriter(out));
        int exit = cl.execute(args);
        return new Run(exit, err.toString(), out.toString());
    }

    @Test
    void writesTheFilesAndASummary(@TempDir Path tmp) {
        Path out = tmp.resolve("out");
        Run r = run("--children", "300", "--seed", "3", "--out", out.toString());
        assertThat(r.exit()).isZero();
        assertThat(out.resolve("person_records.csv")).exists();
        assertThat(out.resolve("truth/children.csv")).exists();
        // The summary is the command's result: stdout, so it can be redirected apart from the progress on stderr.
        assertThat(r.out()).contains("generated 300 children").contains("person_records.csv");
        assertThat(r.err()).doesNotContain("generated 300 children");
    }

    @Test
    void badOptionsGetOneClearLineAndExitCode2(@TempDir Path tmp) throws IOException {
        assertBad(
                run("--children", "0", "--out", tmp.resolve("a").toString()),
                "--children must be between 1 and 10,000,000");
        assertBad(
                run("--children", "10000001", "--out", tmp.resolve("a").toString()),
                "--children must be between 1 and 10,000,000");
        assertBad(run("--children", "lots", "--out", tmp.resolve("a").toString()), "--children");
        assertBad(run("--out", tmp.resolve("a").toString()), "--children");
        assertBad(run("--children", "10"), "--out");
        assertBad(
                run("--children", "10", "--seed", "x", "--out", tmp.resolve("a").toString()), "--seed");
        assertBad(
                run(
                        "--children",
                        "10",
                        "--reference-date",
                        "30/06/2025",
                        "--out",
                        tmp.resolve("a").toString()),
                "--reference-date must be a date as YYYY-MM-DD");
        Path full = tmp.resolve("full");
        Files.createDirectories(full);
        Files.writeString(full.resolve("keep.txt"), "x");
        assertBad(run("--children", "10", "--out", full.toString()), "is not empty; use --force");
        assertThat(run("--children", "10", "--out", full.toString(), "--force").exit())
                .isZero();
        assertThat(full.resolve("keep.txt")).exists();
        Path file = tmp.resolve("file.txt");
        Files.writeString(file, "x");
        assertBad(run("--children", "10", "--out", file.toString()), "--out must be a directory");
    }

    private static void assertBad(Run r, String message) {
        assertThat(r.exit()).as(r.err()).isEqualTo(2);
        assertThat(r.err()).contains(message).doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(r.err().lines().count()).isLessThanOrEqualTo(2);
    }
}
