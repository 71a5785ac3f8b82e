package org.sightline.operation;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.sightline.shared.TerminalProgress;
import org.sightline.ssda903.CollectionYear;
import org.sightline.ssda903.Ssda903ImportService;
import org.sightline.ssda903.Ssda903ImportService.ImportReport;
import org.springframework.context.ConfigurableApplicationContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** Imports an authority's SSDA903 files; refused rows are listed and quarantined. Exit 0 clean, 4 with refused rows ({@link ExitCode}). */
@Command(
        name = "ssda903-import",
        mixinStandardHelpOptions = true,
        description =
                "Import SSDA903 Header, Episodes and Missing CSV files of a local authority. Re-importing creates nothing new.")
public final class Ssda903ImportCommand implements Callable<Integer> {

    @Mixin
    DatabaseOptions database = new DatabaseOptions();

    @Option(names = "--authority", required = true, description = "ONS code or DfE 3-digit LA number")
    String authority;

    @Option(names = "--year", required = true, description = "Collection year named by the year it ends, e.g. 2025")
    String year;

    @Option(names = "--header", description = "Header CSV")
    Path header;

    @Option(names = "--episodes", description = "Episodes CSV")
    Path episodes;

    @Option(names = "--missing", description = "Missing CSV")
    Path missing;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        CollectionYear collection;
        try {
            collection = CollectionYear.parse(year);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--year: " + e.getMessage());
        }
        if (header == null && episodes == null && missing == null) {
            throw new ParameterException(spec.commandLine(), "give at least one of --header, --episodes, --missing");
        }
        for (var p : new Object[][] {{"--header", header}, {"--episodes", episodes}, {"--missing", missing}}) {
            if (p[1] != null && !Files.isRegularFile((Path) p[1])) {
                throw new ParameterException(spec.commandLine(), p[0] + ": " + p[1] + " is not a readable file");
            }
        }
        Starting.say(spec, "checking the database");
        TerminalProgress progress = new TerminalProgress("ssda903-import");
        try (BatchStart start = database.startBatch();
                InputStream h = open(header);
                InputStream e = open(episodes);
                InputStream m = open(missing)) {
            Starting.say(spec, "starting");
            ConfigurableApplicationContext context = start.context();
            ImportReport report = context.getBean(Ssda903ImportService.class)
                    .importAsOperator(
                            "cli:" + System.getProperty("user.name", "operator"),
                            authority,
                            collection,
                            new Ssda903ImportService.Files(h, e, m));
            var o = spec.commandLine().getOut();
            report.files()
                    .forEach(f -> o.printf(
                            "%s: %d received = %d created + %d updated + %d unchanged + %d quarantined"
                                    + " (import run %s)%n",
                            f.file(),
                            f.received(),
                            f.created(),
                            f.updated(),
                            f.unchanged(),
                            f.quarantined(),
                            report.runs().get(f.file())));
            report.errors()
                    .forEach(err -> o.printf(
                            "  refused %s line %d CHILD %s: %s%n",
                            err.file(), err.line(), err.child(), String.join("; ", err.errors())));
            report.notices()
                    .forEach(n -> o.printf(
                            "  note %s%s%s: %s%n",
                            n.file(),
                            n.line() > 0 ? " line " + n.line() : "",
                            n.child().isEmpty() ? "" : " CHILD " + n.child(),
                            n.text()));
            report.ruleTotals()
                    .forEach((rule, n) ->
                            o.printf("  DfE rule %s: %d row(s) break it (kept; see the report)%n", rule, n));
            report.ruleFailures()
                    .forEach(f -> o.printf(
                            "    rule %s %s line %d CHILD %s field %s: %s%n",
                            f.rule(), f.table(), f.line(), f.child(), f.field(), f.description()));
            if (!report.rulesChecked()) {
                o.println("  DfE rules not checked: they need the Header and Episodes files of the year together");
            }
            if (!report.clean()) {
                o.println("  quarantined rows can be corrected and imported again on each run's page, /imports/RUN");
            }
            progress.done(report.clean() ? "imported" : report.errors().size() + " row(s) quarantined");
            return report.clean() ? ExitCode.OK : ExitCode.DATA;
        }
    }

    private static InputStream open(Path p) throws IOException {
        return p == null ? null : Files.newInputStream(p);
    }
}
