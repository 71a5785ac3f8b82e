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
import org.sightline.statistics.TableReports;
import org.springframework.context.ConfigurableApplicationContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Offline figures (issue 9 part 7, docs/statistics.md): the profiles, missing statistics, the police–authority
 * reconciliation or data quality for an area and period, written as JSON, CSV or HTML. Suppressed for publication
 * unless {@code --exact}, which needs {@code --as} naming an enabled supervisor's account (the role entitled to see the
 * children behind the figures); every report is audited, an exact one as REPORT_EXACT under that account. Exit 0 when
 * written, 2 for bad options.
 */
@Command(
        name = "report",
        mixinStandardHelpOptions = true,
        description = "Write statistics for an area and period (victim-profile, adult-profile, missing-statistics, "
                + "reconciliation, data-quality) as json, csv or html; counts of 1 to 4 are suppressed as [c] unless "
                + "--exact --as SUPERVISOR.")
public final class ReportCommand implements Callable<Integer> {

    @Mixin
    DatabaseOptions database = new DatabaseOptions();

    static final List<String> KINDS =
            List.of("victim-profile", "adult-profile", "missing-statistics", "reconciliation", "data-quality");

    @Option(
            names = "--kind",
            required = true,
            description = "victim-profile, adult-profile, missing-statistics, reconciliation or data-quality")
    String kind;

    @Option(
            names = "--area",
            description = "Agency or area code (force area, authority, region E12000001-E12000009), E92000001 England, "
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

    @Option(
            names = "--exact",
            description = "Exact counts without disclosure control (needs --as; audited; not for publication)")
    boolean exact;

    @Option(
            names = "--as",
            paramLabel = "USERNAME",
            description = "The account the report is made for: with --exact, an enabled supervisor's account")
    String as;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        var err = spec.commandLine().getErr();
        if (!KINDS.contains(kind)) {
            err.println("sightline report: --kind must be one of " + String.join(", ", KINDS));
            return 2;
        }
        ProfileKind profileKind = ProfileKind.fromCode(kind).orElse(null);
        if (exact && (as == null || as.isBlank())) {
            err.println("sightline report: --exact needs --as naming an enabled supervisor's account "
                    + "(unsuppressed figures are for those entitled to see the children)");
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
        BatchStart start;
        try {
            start = database.startBatch();
        } catch (IllegalArgumentException e) {
            err.println("sightline report: " + e.getMessage());
            return 2;
        }
        try (start) {
            ConfigurableApplicationContext context = start.context();
            LocalDate at = asAtDate != null
                    ? asAtDate
                    : toDate != null
                            ? toDate
                            : LocalDate.now(context.getBean(Clock.class).withZone(ZoneId.of("Europe/London")));
            String actor = "cli";
            String agency = null;
            if (as != null && !as.isBlank()) {
                var account = context.getBean(Reports.class).entitled(as.strip(), exact);
                if (account.isEmpty()) {
                    err.println("sightline report: --as " + as.strip() + " is not an enabled account"
                            + (exact ? " with the supervisor role, which --exact needs" : ""));
                    return 2;
                }
                actor = account.get().username();
                agency = account.get().agencyCode();
            }
            ProfileQuery query = new ProfileQuery(area, fromDate, toDate, at);
            if (profileKind == null) {
                TableReports.TableReport report =
                        context.getBean(TableReports.class).report(kind, query, exact, actor, agency);
                try (Writer w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
                    context.getBean(ReportWriter.class).write(report, format, w);
                }
                spec.commandLine()
                        .getOut()
                        .printf(
                                "%s: %d tables written to %s%s%n",
                                kind,
                                report.tables().size(),
                                out,
                                exact
                                        ? " (exact, not for publication)"
                                        : report.suppressed() ? " (counts of 1 to 4 suppressed)" : "");
                return 0;
            }
            PublishedProfile profile = context.getBean(Reports.class).profile(profileKind, query, exact, actor, agency);
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
