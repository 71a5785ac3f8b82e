package org.sightline.operation;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.sightline.importexport.ImportKind;
import org.sightline.importexport.ImportReport;
import org.sightline.importexport.ImportService;
import org.sightline.importexport.ImportService.ImportRequest;
import org.sightline.shared.InvalidRequestException;
import org.sightline.shared.TerminalProgress;
import org.springframework.context.ConfigurableApplicationContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * Imports one CSV file for an agency through the same pipeline as the web and API. Exit 0 when every row is in,
 * 4 when some rows were quarantined, 2 for bad usage (unknown kind, agency or profile; unreadable path), 1 when
 * the file could not be read to its end (the rows before that are kept; run it again once fixed).
 */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = "Import a CSV file (standard layout, or the agency's mapping profile) with validation, "
                + "quarantine and a report. Re-running the same file changes nothing.")
public final class ImportCommand implements Callable<Integer> {

    @Mixin
    DatabaseOptions database = new DatabaseOptions();

    @Option(names = "--agency", required = true, description = "Code of the agency the file belongs to, e.g. E23000001")
    String agency;

    @Option(names = "--kind", required = true, description = "person-records, missing-episodes or concerns")
    String kind;

    @Option(names = "--profile", description = "Name of the agency's saved mapping profile (default: the standard layout)")
    String profile;

    @Option(names = "--batch-size", defaultValue = "10000", description = "Rows committed together (default: ${DEFAULT-VALUE})")
    int batchSize;

    @Option(names = "--dry-run", description = "Validate and count only; write nothing")
    boolean dryRun;

    @Parameters(index = "0", paramLabel = "FILE", description = "The CSV file (UTF-8)")
    Path file;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter out = spec.commandLine().getOut();
        if (ImportKind.fromCode(kind).isEmpty()) {
            err.println("sightline import: --kind must be one of " + ImportKind.codes());
            return 2;
        }
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            err.println("sightline import: FILE " + file + " is not a readable file");
            return 2;
        }
        if (batchSize < 1 || batchSize > 100_000) {
            err.println("sightline import: --batch-size must be 1 to 100,000");
            return 2;
        }
        List<String> args;
        try {
            args = database.requiredSpringArguments();
        } catch (IllegalArgumentException e) {
            err.println("sightline import: " + e.getMessage());
            return 2;
        }
        long estimated = estimateRows(file);
        try (ConfigurableApplicationContext context = SpringLauncher.start(args, false);
             InputStream in = Files.newInputStream(file)) {
            ImportService imports = context.getBean(ImportService.class);
            ImportRequest request = new ImportRequest(agency, kind, profile, file.getFileName().toString(), "cli",
                    batchSize, (int) Math.min(Integer.MAX_VALUE, estimated));
            TerminalProgress progress = new TerminalProgress("import " + kind);
            progress.total(estimated);
            if (dryRun) {
                var preview = imports.preview(request, in);
                progress.done("dry run, nothing written");
                out.printf("would import %d, update %d, leave %d unchanged, quarantine %d of %d rows received%n",
                        preview.imported(), preview.updated(), preview.unchanged(), preview.quarantined(), preview.received());
                preview.errorsByCode().forEach((code, n) -> out.printf("  %s: %d%n", code, n));
                preview.firstErrors().stream().limit(20).forEach(e -> out.printf("  line %d %s %s: %s%n",
                        e.line(), e.code(), e.column() == null ? "" : e.column(), e.message()));
                if (preview.fileError() != null) {
                    out.println(preview.fileError());
                    return 1;
                }
                return preview.quarantined() == 0 ? 0 : 4;
            }
            ImportReport report = imports.importNow(request, in, progress.asConsumer());
            progress.done(report.status() + ": " + report.received() + " rows received");
            out.printf("import %s %s: received %d = imported %d + updated %d + unchanged %d + quarantined %d%n",
                    report.id(), report.status(), report.received(), report.imported(), report.updated(),
                    report.unchanged(), report.quarantined());
            report.errorsByCode().forEach((code, n) -> out.printf("  %s: %d%n", code, n));
            if (report.fileError() != null) {
                out.println(report.fileError());
                return 1;
            }
            return report.quarantined() == 0 ? 0 : 4;
        } catch (InvalidRequestException e) {
            e.violations().forEach(v -> err.println("sightline import: --" + v.field() + " " + v.message()));
            return 2;
        } catch (IOException e) {
            err.println("sightline import: cannot read " + file);
            return 2;
        }
    }

    /** Lines in the file minus the header: a quick estimate for time left (quoted line breaks make it high). */
    private static long estimateRows(Path file) {
        long lines = 0;
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n = in.read(buffer); n > 0; n = in.read(buffer)) {
                for (int i = 0; i < n; i++) {
                    if (buffer[i] == '\n') {
                        lines++;
                    }
                }
            }
        } catch (IOException e) {
            return 0;
        }
        return Math.max(0, lines - 1);
    }
}
