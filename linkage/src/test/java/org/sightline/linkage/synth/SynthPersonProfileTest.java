package org.sightline.linkage.synth;

import static org.assertj.core.api.Assertions.assertThat;

import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sightline.linkage.cli.LinkCommand;
import org.sightline.synth.cli.GenerateCommand;
import picocli.CommandLine;

/**
 * The shipped person profile reads synth's files as they are: person_records.csv, whose record_ref repeats across
 * agencies, linked with {@code link} and scored against truth/record_truth.csv, the F1 counted here from the two files
 * (not from the engine's own evaluation).
 */
class SynthPersonProfileTest {
    @TempDir
    Path dir;

    @Test
    void shippedProfileLinksSynthOutputAsItIs() throws Exception {
        Path pop = dir.resolve("pop");
        CommandLine generate = new CommandLine(new GenerateCommand());
        generate.setOut(new PrintWriter(new StringWriter()));
        generate.setErr(new PrintWriter(new StringWriter()));
        int gen = generate.execute("--children", "10000", "--seed", "7", "--out", pop.toString(), "--threads", "1");
        assertThat(gen).isZero();
        Path records = pop.resolve("person_records.csv");
        Path truthFile = pop.resolve("truth/record_truth.csv");

        // the condition that broke the old profile: the same record_ref in two agencies
        Set<String> refs = new HashSet<>();
        boolean repeated = false;
        for (CsvRecord row : CsvReader.builder().ofCsvRecord(records)) {
            repeated |= !refs.add(row.getField(0));
        }
        assertThat(repeated).as("seed 7 repeats a record_ref across agencies").isTrue();

        Path out = dir.resolve("out");
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new LinkCommand());
        cl.setErr(new PrintWriter(err));
        cl.setOut(new PrintWriter(new StringWriter()));
        int code = cl.execute(
                "--quiet",
                "--profile",
                profile().toString(),
                "--input",
                records.toString(),
                "--out",
                out.toString(),
                "--truth-file",
                truthFile.toString(),
                "--truth-column",
                "child_id");
        assertThat(code).as(err.toString()).isZero();

        Map<String, String> child = new HashMap<>();
        boolean header = true;
        for (CsvRecord row : CsvReader.builder().ofCsvRecord(truthFile)) {
            if (!header) {
                child.put(row.getField(0) + "/" + row.getField(1), row.getField(2));
            }
            header = false;
        }
        Map<String, String> cluster = new HashMap<>();
        header = true;
        for (CsvRecord row : CsvReader.builder().ofCsvRecord(out.resolve("clusters.csv"))) {
            if (!header) {
                cluster.put(row.getField(0), row.getField(1));
            }
            header = false;
        }
        assertThat(cluster.keySet()).isEqualTo(child.keySet());
        long truePairs = pairs(count(child.values()));
        long predicted = pairs(count(cluster.values()));
        Map<String, Integer> both = new HashMap<>();
        for (var e : cluster.entrySet()) {
            both.merge(e.getValue() + "|" + child.get(e.getKey()), 1, Integer::sum);
        }
        long tp = 0;
        for (int c : both.values()) {
            tp += (long) c * (c - 1) / 2;
        }
        double precision = (double) tp / predicted;
        double recall = (double) tp / truePairs;
        double f1 = 2 * precision * recall / (precision + recall);
        assertThat(truePairs).isGreaterThan(1000);
        assertThat(f1).as("P %.4f R %.4f", precision, recall).isGreaterThanOrEqualTo(0.95);
        assertThat(Files.readString(out.resolve("evaluation.json")))
                .contains(String.format(java.util.Locale.ROOT, "\"true_pairs\": %d,", truePairs));
    }

    private static Map<String, Integer> count(Iterable<String> keys) {
        Map<String, Integer> m = new HashMap<>();
        for (String k : keys) {
            m.merge(k, 1, Integer::sum);
        }
        return m;
    }

    private static long pairs(Map<String, Integer> groups) {
        long p = 0;
        for (int c : groups.values()) {
            p += (long) c * (c - 1) / 2;
        }
        return p;
    }

    static Path profile() {
        Path p = Path.of("profiles", "sightline_person.yaml");
        return Files.exists(p) ? p : Path.of("linkage/profiles", "sightline_person.yaml");
    }
}
