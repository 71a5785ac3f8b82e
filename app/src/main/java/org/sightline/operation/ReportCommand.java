package org.sightline.operation;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.concurrent.Callable;
import org.sightline.statistics.ProfileKind;
import org.sightline.statistics.ProfileQuery;
import org.sightline.statistics.PublishedProfile;
import org.sightline.statistics.ReportWriter;
import org.sightline.statistics.Reports;
import org.springframework.context.ConfigurableApplicationContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Offline figures (issue 9 part 7, docs/statistics.md): a profile for an area and period written as JSON, CSV or HTML.
 * Suppressed for publication unless {@code --exact}; an exact report is audited. Exit 0 when written, 2 for bad
 * options.
 */
@Command(
        name = "report",
        mixinStandardHelpOptions = true,
        description = "Write statistics for an area and period (victim-profile, adult-profile) as json, csv or html; "
                + "counts of 1 to 4 are suppressed as [c] unless --exact.")
public final class ReportCommand implements Callable<Integer> {

    @Mixin
    DatabaseOptions database = new DatabaseOptions();

    @Option(names = "--kind", required = true, description = "victim-profile or adult-profile")
    String kind;

    @Option(
            names = "--area",
            description = "Agency or area code (force area, authority), E92000001 England, "
                    + "W92000004 Wales, K04000001 England and Wales; default all")
    String area;

    @Option(names = "--from", description = "First day of the period, yyyy-mm-dd (default: no start)")
    String from;

    @Option(names = "--to", description = "Last day of the period, yyyy-mm-dd (default: no end)")
    String to;

    @Option(names = "--as-at", description = "Date ages are taken at, yyyy-mm-dd (default: --to, or today)")
    String asAt;

    @Option(names = "--format", required = true, description = "json, csv or html")
    String format;

    @Option(names = "--out", required = true, description = "File to write (replaced if it exists)")
    Path out;

    @Option(names = "--exact", description = "Exact counts without disclosure control (audited; not for publication)")
    boolean exact;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        var err = spec.commandLine().getErr();
        ProfileKind profileKind = ProfileKind.fromCode(kind).orElse(null);
        if (profileKind == null) {
            err.println("sightline report: --kind must be one of victim-profile, adult-profile");
            return 2;
        }
        if (!ReportWriter.FORMATS.contains(format)) {
            err.println("sightline report: --format must be one of " + String.join(", ", ReportWriter.FORMATS));
            return 2;
        }
        if (out.getParent() != null && !Files.isDirectory(out.toAbsolutePath().getParent())) {
            err.println("sightline report: --out " + out + " is not in an existing folder");
            return 2;
        }
        LocalDate fromDate;
        LocalDate toDate;
        LocalDate asAtDate;
        try {
            fromDate = date(from);
            toDate = date(to);
            asAtDate = date(asAt);
        } catch (DateTimeParseException e) {
            err.println("sightline report: --from, --to and --as-at must be dates written yyyy-mm-dd");
            return 2;
        }
        if (fromDate != null && toDate != null && toDate.isBefore(fromDate)) {
            err.println("sightline report: --to must not be before --from");
            return 2;
        }
        List<String> args;
        try {
            args = database.requiredSpringArguments();
        } catch (IllegalArgumentException e) {
            err.println("sightline report: " + e.getMessage());
            return 2;
        }
        try (ConfigurableApplicationContext context = SpringLauncher.start(args, false)) {
            LocalDate at = asAtDate != null
                    ? asAtDate
                    : toDate != null
                            ? toDate
                            : LocalDate.now(context.getBean(Clock.class).withZone(ZoneId.of("Europe/London")));
            PublishedProfile profile = context.getBean(Reports.class)
                    .profile(profileKind, new ProfileQuery(area, fromDate, toDate, at), exact, "cli", null);
            try (Writer w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
                context.getBean(ReportWriter.class).write(profile, format, w);
            }
            spec.commandLine()
                    .getOut()
                    .printf(
                            "%s: %s %s counted from %s records, written to %s%s%n",
                            kind,
                            profile.subjects().text(),
                            profileKind.subjectKey(),
                            profile.records().text(),
                            out,
                            exact ? " (exact, not for publication)" : " (counts of 1 to 4 suppressed)");
            return 0;
        } catch (IOException e) {
            err.println("sightline report: cannot write " + out);
            return 2;
        }
    }

    private static LocalDate date(String value) {
        return value == null || value.isBlank() ? null : LocalDate.parse(value.strip());
    }
}
