package org.sightline.operation;

import java.io.PrintWriter;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.sightline.retention.RetentionDue;
import org.sightline.shared.CsvCells;
import org.springframework.context.ConfigurableApplicationContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The records due for retention review (docs/operations.md, "Retention and erasure"), on stdout as text or CSV: type,
 * agency, public id, last activity, review date and why. No record's contents; the listing is audited. Exit 0, or 2
 * for bad options.
 */
@Command(
        name = "retention-due",
        mixinStandardHelpOptions = true,
        description =
                "List the records due for retention review (type, agency, public id, dates, why), as text or csv.")
public final class RetentionDueCommand implements Callable<Integer> {

    static final List<String> FORMATS = List.of("text", "csv");

    @Mixin
    DatabaseOptions database = new DatabaseOptions();

    @Option(names = "--format", defaultValue = "text", description = "text (default) or csv")
    String format;

    @Option(names = "--as-at", description = "List what is due on this day, yyyy-mm-dd (default: today, London)")
    String asAt;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        var err = spec.commandLine().getErr();
        if (!FORMATS.contains(format)) {
            err.println("sightline retention-due: --format must be one of " + String.join(", ", FORMATS));
            return 2;
        }
        LocalDate day;
        try {
            day = asAt == null || asAt.isBlank() ? null : LocalDate.parse(asAt.strip());
        } catch (DateTimeParseException e) {
            err.println("sightline retention-due: --as-at must be a date written yyyy-mm-dd");
            return 2;
        }
        BatchStart start;
        try {
            start = database.startBatch();
        } catch (IllegalArgumentException e) {
            err.println("sightline retention-due: " + e.getMessage());
            return 2;
        }
        try (start) {
            ConfigurableApplicationContext context = start.context();
            LocalDate at = day != null
                    ? day
                    : LocalDate.now(context.getBean(Clock.class).withZone(ZoneId.of("Europe/London")));
            List<RetentionDue.Due> due = context.getBean(RetentionDue.class).all(at, "cli");
            write(due, at, spec.commandLine().getOut());
            return 0;
        }
    }

    private void write(List<RetentionDue.Due> due, LocalDate at, PrintWriter out) {
        if ("csv".equals(format)) {
            out.println("record_type,agency_code,public_id,last_activity,review_date,basis");
            for (RetentionDue.Due d : due) {
                out.println(String.join(
                        ",",
                        CsvCells.neutralise(List.of(
                                        d.type().code(),
                                        d.agencyCode(),
                                        d.publicId().toString(),
                                        d.lastActivity() == null
                                                ? ""
                                                : d.lastActivity().toString(),
                                        d.reviewDate().toString(),
                                        d.basis()))
                                .stream()
                                .map(RetentionDueCommand::quoted)
                                .toList()));
            }
            out.flush();
            return;
        }
        Map<String, Integer> byType = new TreeMap<>();
        for (RetentionDue.Due d : due) {
            byType.merge(d.type().code(), 1, Integer::sum);
            out.printf(
                    "%-16s %-12s %s  last activity %-10s  review %s  (%s)%n",
                    d.type().code(),
                    d.agencyCode(),
                    d.publicId(),
                    d.lastActivity() == null ? "not known" : d.lastActivity(),
                    d.reviewDate(),
                    d.basis());
        }
        out.printf("%d records due for review on %s%s%n", due.size(), at, due.isEmpty() ? "" : " " + byType);
        out.flush();
    }

    /** A CSV field: quoted when it holds a comma, quote or line break. */
    private static String quoted(String value) {
        return value.matches(".*[,\"\\r\\n].*") ? '"' + value.replace("\"", "\"\"") + '"' : value;
    }
}
