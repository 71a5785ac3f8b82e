package org.sightline.operation;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.sightline.shared.TerminalProgress;
import org.sightline.ssda903.CollectionYear;
import org.sightline.ssda903.Ssda903ExportService;
import org.sightline.ssda903.Ssda903ExportService.ExportReport;
import org.sightline.ssda903.Ssda903ExportService.Failure;
import org.springframework.context.ConfigurableApplicationContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Writes an authority's SSDA903 Header, Episodes and Missing CSVs and prints the DfE rule report. Exit 0 when every
 * checked rule passes (or --allow-failures), 4 otherwise ({@link ExitCode}): a return the DfE would refuse must not
 * look finished.
 */
@Command(
        name = "ssda903-export",
        mixinStandardHelpOptions = true,
        description = "Export SSDA903 Header, Episodes and Missing for a local authority and collection year, "
                + "with the report of every DfE validation rule Sightline checks.")
public final class Ssda903ExportCommand implements Callable<Integer> {

    @Mixin
    DatabaseOptions database = new DatabaseOptions();

    @Option(names = "--authority", required = true, description = "ONS code (e.g. E10000012) or DfE 3-digit LA number")
    String authority;

    @Option(
            names = "--year",
            required = true,
            description = "Collection year named by the year it ENDS: 2025 = 1 April 2024 to 31 March 2025")
    String year;

    @Option(names = "--out", required = true, description = "Folder for header.csv, episodes.csv and missing.csv")
    Path out;

    @Option(names = "--allow-failures", description = "Exit 0 even when rules fail (the failures are still printed)")
    boolean allowFailures;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        CollectionYear collection;
        try {
            collection = CollectionYear.parse(year);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--year: " + e.getMessage());
        }
        if (java.nio.file.Files.isRegularFile(out)) {
            throw new ParameterException(spec.commandLine(), "--out: " + out + " is a file; give a folder");
        }
        Starting.say(spec, "checking the database");
        try (BatchStart start = database.startBatch()) {
            Starting.say(spec, "starting");
            TerminalProgress progress = new TerminalProgress("ssda903-export");
            ConfigurableApplicationContext context = start.context();
            ExportReport report = context.getBean(Ssda903ExportService.class)
                    .exportAsOperator("cli:" + System.getProperty("user.name", "operator"), authority, collection);
            var paths = Ssda903ExportService.write(report.data(), out);
            var o = spec.commandLine().getOut();
            o.printf(
                    "%s (%s), collection year %s: Header %d, Episodes %d, Missing %d rows%n",
                    report.authority().name(),
                    report.authority().code(),
                    collection.label(),
                    report.headerRows(),
                    report.episodeRows(),
                    report.missingRows());
            paths.forEach(p -> o.println("  wrote " + p));
            report.noteTotals().forEach((kind, n) -> o.printf("  adjusted: %s x%d (see docs/ssda903.md)%n", kind, n));
            report.notChecked().forEach(r -> o.println("  rule " + r + " not checked"));
            for (Failure f : report.failures()) {
                if (f.withheld()) {
                    o.printf(
                            "  WITHHELD %s %s CHILD %s field %s: %s (correct the record)%n",
                            f.rule(), f.table(), f.child(), f.field(), f.description());
                } else {
                    o.printf(
                            "  FAIL %s %s line %d CHILD %s field %s: %s%n",
                            f.rule(), f.table(), f.line(), f.child(), f.field(), f.description());
                }
            }
            o.println(
                    report.passes()
                            ? "OK: every checked DfE rule passes"
                            : report.failures().size() + " rule failure(s)" + (allowFailures ? " (allowed)" : ""));
            progress.done(report.passes() ? "passes" : report.failures().size() + " failures");
            return report.passes() || allowFailures ? ExitCode.OK : ExitCode.DATA;
        }
    }
}
