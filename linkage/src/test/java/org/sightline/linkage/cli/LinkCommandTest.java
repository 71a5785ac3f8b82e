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

    private static final String AGENCY_PROFILE =
            PROFILE.replace("csv: {id_column: id}", "csv: {id_columns: [agency, ref], source_column: agency}");

    /** Two agencies using the same references: ids are unique only with the agency. */
    private static String agencyCsv() {
        return "agency,ref,first,last,born,person\n"
                + "A1,R1,amy,ash,01/01/2010,P1\n"
                + "A1,R2,ben,bell,02/02/2011,P2\n"
                + "B2,R1,amy,ash,01/01/2010,P1\n"
                + "B2,R2,cara,cole,03/03/2012,P3\n";
    }

    @Test
    void compositeIdsJoinAgencyAndReference() throws Exception {
        Path profile = write("p.yaml", AGENCY_PROFILE);
        Path input = write("in.csv", agencyCsv());
        Path out = dir.resolve("out");
        Run r = run("--quiet", "--profile", profile.toString(), "--input", input.toString(), "--out", out.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(Files.readAllLines(out.resolve("clusters.csv")))
                .extracting(l -> l.split(",")[0])
                .containsExactly("id", "A1/R1", "A1/R2", "B2/R1", "B2/R2");
    }

    @Test
    void repeatedIdNamesTheRealColumnBothLinesAndTheFix() throws Exception {
        Path profile = write("p.yaml", AGENCY_PROFILE.replace("id_columns: [agency, ref]", "id_column: ref"));
        // the repeat is on line 4; a later line must not be read first
        Path input = write("in.csv", agencyCsv() + "B2,R3,bad,row\n");
        Run r = run("--profile", profile.toString(), "--input", input.toString(), "--out", dir.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err())
                .contains("in.csv line 4, column ref: id 'R1' is already used by")
                .contains("in.csv line 2")
                .contains("use csv.id_columns: [agency, ref]")
                .doesNotContain("column id")
                .doesNotContain("expected 6 fields");

        Path composite = write("q.yaml", AGENCY_PROFILE);
        Path twice = write("twice.csv", agencyCsv() + "A1,R2,ben,bell,02/02/2011,P2\n");
        Run r2 = run("--profile", composite.toString(), "--input", twice.toString(), "--out", dir.toString());
        assertThat(r2.code()).isEqualTo(2);
        assertThat(r2.err()).contains("twice.csv line 6, columns agency + ref: id 'A1/R2' is already used by");

        Path empty = write("empty.csv", "agency,ref,first,last,born,person\nA1,,amy,ash,01/01/2010,P1\n");
        Run r3 = run("--profile", composite.toString(), "--input", empty.toString(), "--out", dir.toString());
        assertThat(r3.code()).isEqualTo(2);
        assertThat(r3.err()).contains("empty.csv line 2, column ref: empty, and it is part of the record id");
    }

    @Test
    void idColumnAndIdColumnsAreExclusive() throws Exception {
        Path profile =
                write("p.yaml", PROFILE.replace("csv: {id_column: id}", "csv: {id_column: id, id_columns: [a, b]}"));
        Path input = write("in.csv", csv(5));
        Run r = run("--profile", profile.toString(), "--input", input.toString(), "--out", dir.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("either id_column").contains("or id_columns");
    }

    @Test
    void truthFileIsJoinedOnTheIdColumns() throws Exception {
        Path profile = write("p.yaml", AGENCY_PROFILE);
        Path input = write("in.csv", agencyCsv());
        // truth in its own file, in another order and with a record not in the input
        Path truth = write("truth.csv", "ref,agency,child\nR2,B2,C3\nR1,B2,C1\nR9,A1,C9\nR1,A1,C1\nR2,A1,C2\n");
        Path out = dir.resolve("out");
        Run r = run(
                "--quiet",
                "--profile",
                profile.toString(),
                "--input",
                input.toString(),
                "--out",
                out.toString(),
                "--truth-file",
                truth.toString(),
                "--truth-column",
                "child");
        assertThat(r.code()).as(r.err()).isZero();
        // one true pair (A1/R1, B2/R1); with the truth misjoined there would be none (every child apart) or more
        String json = Files.readString(out.resolve("evaluation.json"));
        assertThat(json).contains("\"records\": 4,").contains("\"true_pairs\": 1,");

        Run r2 = run(
                "--profile",
                profile.toString(),
                "--input",
                input.toString(),
                "--out",
                out.toString(),
                "--truth-file",
                truth.toString());
        assertThat(r2.code()).isEqualTo(2);
        assertThat(r2.err()).contains("--truth-file needs --truth-column");
    }

    @Test
    void missingOptionIsUsageError() {
        Run r = run("--input", "x.csv");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--profile");
    }
}
