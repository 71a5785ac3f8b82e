package org.sightline.linkage.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run that cannot fit says so early with the -Xmx it needs (exit 2), and memory that runs out all the same ends in
 * one line (exit 3), never a stack trace. Runs {@code link} in a child JVM with a small heap.
 */
class MemoryLimitTest {
    private static final String PROFILE =
            """
            name: big_block
            csv: {id_column: id}
            fields:
              - {name: given_name, column: first, type: given_name}
              - {name: dob, column: born, type: date}
            comparisons:
              - {field: given_name}
              - {field: dob}
            blocking:
              max_block_size: 100000000
              rules:
                - {name: dob, keys: [dob]}
            training:
              u_sample_pairs: 5000
              prior: {probability: 0.001}
            """;

    @TempDir
    Path dir;

    private record Run(int code, String err) {}

    private Run link(String xmx, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                xmx,
                "-cp",
                System.getProperty("java.class.path"),
                LinkCommand.class.getName()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd)
                .redirectError(dir.resolve("err.txt").toFile())
                .redirectOutput(dir.resolve("out.txt").toFile())
                .start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), Files.readString(dir.resolve("err.txt"), StandardCharsets.UTF_8));
    }

    private Path people(int n) throws IOException {
        StringBuilder b = new StringBuilder("id,first,born\n");
        for (int i = 0; i < n; i++) {
            b.append('r').append(i).append(",name").append(i).append(",2010-01-01\n");
        }
        Path p = dir.resolve("people-" + n + ".csv");
        Files.writeString(p, b);
        return p;
    }

    @Test
    void aRunThatCannotFitIsRefusedBeforePairsAreMadeWithTheHeapItNeeds() throws Exception {
        Path profile = Files.writeString(dir.resolve("p.yaml"), PROFILE);
        // one block of 20,000 records: 199,990,000 pairs, about 7 GB
        Run r = link(
                "-Xmx96m",
                "--quiet",
                "--profile",
                profile.toString(),
                "--input",
                people(20_000).toString(),
                "--out",
                dir.resolve("out").toString());
        assertThat(r.code()).as(r.err()).isEqualTo(2);
        assertThat(r.err().strip().lines()).hasSize(1);
        String line = r.err().strip();
        assertThat(line)
                .startsWith("link: about ")
                .contains("candidate pairs need about")
                .doesNotContain("Exception");
        // independently: n(n-1)/2 pairs at no less than 25 bytes each
        long pairs = 20_000L * 19_999 / 2;
        long reported = Long.parseLong(
                line.replaceAll(".*about ([0-9,]+) candidate pairs.*", "$1").replace(",", ""));
        assertThat(reported).isBetween(pairs * 9 / 10, pairs * 11 / 10);
        int gb = Integer.parseInt(line.replaceAll(".*-Xmx(\\d+)g.*", "$1"));
        assertThat(gb).isGreaterThanOrEqualTo((int) (pairs * 25 / (1L << 30)));
        assertThat(Files.exists(dir.resolve("out/pairs.csv"))).isFalse();
    }

    @Test
    void memoryThatRunsOutAllTheSameEndsInOneLine() throws Exception {
        Path profile = Files.writeString(dir.resolve("p.yaml"), PROFILE.replace("max_block_size: 100000000", ""));
        // reading 400,000 records does not fit in 24 MB: no estimate can help there
        Run r = link(
                "-Xmx24m",
                "--quiet",
                "--profile",
                profile.toString(),
                "--input",
                people(400_000).toString(),
                "--out",
                dir.resolve("out").toString());
        assertThat(r.code()).as(r.err()).isEqualTo(3);
        assertThat(r.err().strip())
                .startsWith("link: ran out of memory")
                .contains("-Xmx")
                .doesNotContain("\tat ");
        assertThat(r.err().strip().lines()).hasSize(1);
    }
}
