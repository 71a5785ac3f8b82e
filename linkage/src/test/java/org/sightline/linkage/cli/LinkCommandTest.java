package org.sightline.linkage.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class LinkCommandTest {
    private static final String PROFILE =
            """
            name: test
            csv: {id_column: id}
            fields:
              - {name: given_name, column: first, type: given_name}
              - {name: family_name, column: last, type: family_name}
              - {name: dob, column: born, type: date, format: dd/MM/yyyy}
            comparisons:
              - {field: given_name}
              - {field: family_name}
              - {field: dob}
            blocking:
              rules:
                - {name: dob, keys: [dob]}
                - {name: family, keys: [family_name]}
            training:
              u_sample_pairs: 5000
              prior: {rules: [[given_name, family_name, dob]]}
            """;

    @TempDir
    Path dir;

    private record Run(int code, String out, String err) {}

    private Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new LinkCommand());
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    private Path write(String name, String text) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    private static String csv(int people) {
        StringBuilder b = new StringBuilder("id,first,last,born,person\n");
        String[] g = {"amy", "ben", "cara", "dev", "eli", "fay", "gus"};
        String[] f = {"ash", "bell", "cole", "dean", "eve", "ford", "gray", "hart"};
        for (int i = 0; i < people; i++) {
            String born = String.format("%02d/%02d/20%02d", 1 + i % 28, 1 + i % 12, i % 15);
            b.append("r")
                    .append(i)
                    .append(',')
                    .append(g[i % 7])
                    .append(',')
                    .append(f[i % 8])
                    .append(',')
                    .append(born)
                    .append(",P")
                    .append(i)
                    .append('\n');
            if (i % 2 == 0) {
                b.append("s")
                        .append(i)
                        .append(',')
                        .append(g[i % 7])
                        .append("h,")
                        .append(f[i % 8])
                        .append(',')
                        .append(born)
                        .append(",P")
                        .append(i)
                        .append('\n');
            }
        }
        return b.toString();
    }

    @Test
    void linksAndWritesEveryFileWithEvaluation() throws Exception {
        Path profile = write("p.yaml", PROFILE);
        Path input = write("in.csv", csv(200));
        Path out = dir.resolve("out");
        Run r = run(
                "--quiet",
                "--profile",
                profile.toString(),
                "--input",
                input.toString(),
                "--out",
                out.toString(),
                "--truth-column",
                "person",
                "--truth-pattern",
                "P(\\d+)");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(Files.readString(out.resolve("clusters.csv"))).startsWith("id,cluster_id");
        assertThat(Files.readString(out.resolve("pairs.csv"))).startsWith("id_a,id_b,weight,probability,given_name");
        String json = Files.readString(out.resolve("evaluation.json"));
        for (String k :
                new String[] {"precision", "recall", "f1", "pairs_completeness", "candidate_pairs", "seconds"}) {
            assertThat(json).contains("\"" + k + "\":");
        }
        assertThat(r.out()).contains("F1");
    }

    @Test
    void missingColumnNamesFileLineAndColumn() throws Exception {
        Path profile = write("p.yaml", PROFILE);
        Path input = write("in.csv", "id,first,surname,born\nr1,amy,ash,01/01/2010\n");
        Run r = run("--profile", profile.toString(), "--input", input.toString(), "--out", dir.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err())
                .contains("in.csv line 1")
                .contains("missing column 'last'")
                .doesNotContain("Exception");
    }

    @Test
    void badDateNamesTheLineAndColumn() throws Exception {
        Path profile = write("p.yaml", PROFILE);
        Path input = write("in.csv", "id,first,last,born\nr1,amy,ash,01/01/2010\nr2,ben,bell,2010-01-01\n");
        Run r = run("--profile", profile.toString(), "--input", input.toString(), "--out", dir.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err())
                .contains("in.csv line 3")
                .contains("column born")
                .contains("dd/MM/yyyy")
                .doesNotContain("at org.");
    }

    @Test
    void badProfileNamesTheSetting() throws Exception {
        Path profile = write("p.yaml", PROFILE.replace("keys: [dob]", "keys: [\"year(birth)\"]"));
        Path input = write("in.csv", csv(5));
        Run r = run("--profile", profile.toString(), "--input", input.toString(), "--out", dir.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("p.yaml").contains("blocking rule 'dob'").contains("unknown field 'birth'");

        Path typo = write("q.yaml", PROFILE.replace("csv: {id_column: id}", "csv: {id_column: id, sep: ';'}"));
        Run r2 = run("--profile", typo.toString(), "--input", input.toString(), "--out", dir.toString());
        assertThat(r2.code()).isEqualTo(2);
        assertThat(r2.err()).contains("csv: unknown setting 'sep'");

        Path broken = write("r.yaml", "name: [unclosed\n");
        Run r3 = run("--profile", broken.toString(), "--input", input.toString(), "--out", dir.toString());
        assertThat(r3.code()).isEqualTo(2);
        assertThat(r3.err()).contains("not valid YAML");
    }

    @Test
    void wrongFieldCountNamesTheLine() throws Exception {
        Path profile = write("p.yaml", PROFILE);
        Path input = write("in.csv", "id,first,last,born\nr1,amy,ash,01/01/2010\nr2,ben\n");
        Run r = run("--profile", profile.toString(), "--input", input.toString(), "--out", dir.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("line 3").contains("expected 4 fields");
    }

    @Test
    void missingOptionIsUsageError() {
        Run r = run("--input", "x.csv");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--profile");
    }
}
