package org.sightline.operation;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.sightline.importexport.FileSignature;
import org.sightline.importexport.ImportError;
import org.sightline.importexport.ImportKind;
import org.sightline.importexport.ImportReport;
import org.sightline.importexport.ImportService;
import org.sightline.importexport.ImportService.ImportRequest;
import org.sightline.shared.InvalidRequestException;
import org.sightline.shared.TerminalProgress;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * Imports one CSV file for an agency through the same pipeline as the web and API. Exit 0 when every row is in,
 * 4 when some rows were quarantined or the file could not be read to its end (E1000; the rows before that are
 * kept; run it again once fixed), 2 for bad usage (unknown kind, agency or profile; unreadable path), 3 when the
 * database cannot be reached ({@link ExitCode}).
 */
@Command(
        name = "import",
        mixinStandardHelpOptions = true,
        description = "Import a CSV file (standard layout, or the agency's mapping profile) with validation, "
                + "quarantine and a report. Re-running the same file changes nothing.")
public final class ImportCommand implements Callable<Integer> {

    @Mixin
    DatabaseOptions database = new DatabaseOptions();

    @ArgGroup(exclusive = true, multiplicity = "1")
    Owner owner;

    /** Whose rows: one agency for the whole file, or a column naming each row's agency. */
    static final class Owner {
        @Option(
                names = "--agency",
                required = true,
                description = "Code of the agency the file belongs to, e.g. E23000001")
        String agency;

        @Option(
                names = "--agency-column",
                required = true,
                paramLabel = "COLUMN",
                description = "A column naming each row's agency (e.g. agency_code): a file of several agencies' rows, "
                        + "each imported under its own agency with the same checks and one report per agency")
        String column;
    }

    @Option(
            names = "--kind",
            required = true,
            description =
                    "person-records, missing-episodes, concerns, adults-of-concern, locations, vehicles, phones or "
                            + "associations (import the rows an association names before the associations)")
    String kind;

    @Option(
            names = "--profile",
            description = "Name of the agency's saved mapping profile (default: the standard layout)")
    String profile;

    @Option(
            names = "--batch-size",
            defaultValue = "10000",
            description = "Rows committed together (default: ${DEFAULT-VALUE})")
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
        if (ImportKind.fromCode(kind).isEmpty()) {
            throw new ParameterException(spec.commandLine(), "--kind must be one of " + ImportKind.codes());
        }
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new ParameterException(spec.commandLine(), "FILE " + file + " is not a readable file");
        }
        if (batchSize < 1 || batchSize > 100_000) {
            throw new ParameterException(spec.commandLine(), "--batch-size must be 1 to 100,000");
        }
        String notCsv = notCsv(file);
        if (notCsv != null) {
            err.println("sightline import: " + ImportError.E1000.name() + " line 1: " + notCsv);
            return ExitCode.DATA;
        }
        Starting.say(spec, "checking the database");
        try (BatchStart start = database.startBatch()) {
            return importFile(start, err);
        }
    }

    private int importFile(BatchStart start, PrintWriter err) {
        if (owner.agency != null) {
            if (!knownAgencies(List.of(owner.agency)).contains(owner.agency)) {
                throw new ParameterException(spec.commandLine(), "--agency " + owner.agency + ": " + UNKNOWN_AGENCY);
            }
            long estimated = estimateRows(file);
            return importParts(start, List.of(new AgencySplit.Part(owner.agency, file, estimated)), false);
        }
        Starting.say(spec, "splitting " + file.getFileName() + " by its " + owner.column + " column");
        AgencySplit split;
        try {
            split = AgencySplit.split(file, owner.column);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        } catch (AgencySplit.Unreadable e) {
            err.println("sightline import: " + ImportError.E1000.name() + ": " + e.getMessage());
            return ExitCode.DATA;
        }
        try (split) {
            int exit = ExitCode.OK;
            PrintWriter out = spec.commandLine().getOut();
            if (!split.linesWithoutAgency().isEmpty()) {
                out.printf(
                        "%d row(s) name no agency in %s and were not imported: line(s) %s%n",
                        split.linesWithoutAgency().size(), owner.column, lines(split.linesWithoutAgency()));
                exit = ExitCode.DATA;
            }
            var known = knownAgencies(split.parts().keySet());
            List<AgencySplit.Part> parts = new ArrayList<>();
            for (AgencySplit.Part part : split.parts().values()) {
                if (known.contains(part.agency())) {
                    parts.add(part);
                } else {
                    out.printf("agency %s: %d row(s) not imported: %s%n", part.agency(), part.rows(), UNKNOWN_AGENCY);
                    exit = ExitCode.DATA;
                }
            }
            out.flush();
            return parts.isEmpty() ? exit : Math.max(exit, importParts(start, parts, true));
        }
    }

    private static final String UNKNOWN_AGENCY =
            "no active agency has this code (codes are ONS codes, e.g. E23000001 " + "for the Metropolitan Police)";

    /** Imports each part under its agency in the one application; one report per part. */
    private int importParts(BatchStart start, List<AgencySplit.Part> parts, boolean perAgency) {
        PrintWriter out = spec.commandLine().getOut();
        long rows = parts.stream().mapToLong(AgencySplit.Part::rows).sum();
        Starting.say(
                spec, "starting (about " + rows + " rows" + (perAgency ? ", " + parts.size() + " agencies" : "") + ")");
        int exit = ExitCode.OK;
        ImportService imports = start.context().getBean(ImportService.class);
        for (AgencySplit.Part part : parts) {
            String prefix = perAgency ? "agency " + part.agency() + ": " : "";
            try (InputStream in = Files.newInputStream(part.file())) {
                exit = Math.max(exit, importOne(imports, part, in, prefix, out));
            } catch (InvalidRequestException e) {
                throw new ParameterException(
                        spec.commandLine(),
                        e.violations().stream()
                                .map(v -> "--" + v.field() + " " + v.message())
                                .collect(Collectors.joining("; ")));
            } catch (IOException e) {
                throw new EnvironmentException("cannot read " + part.file() + ": " + e.getMessage(), e);
            }
        }
        return exit;
    }

    private int importOne(
            ImportService imports, AgencySplit.Part part, InputStream in, String prefix, PrintWriter out) {
        ImportRequest request = new ImportRequest(
                part.agency(), kind, profile, file.getFileName().toString(), "cli", batchSize, (int)
                        Math.min(Integer.MAX_VALUE, part.rows()));
        TerminalProgress progress = new TerminalProgress(prefix + "import " + kind);
        progress.total(part.rows());
        if (dryRun) {
            var preview = imports.preview(request, in);
            progress.done("dry run, nothing written");
            out.printf(
                    "%swould import %d, update %d, leave %d unchanged, quarantine %d of %d rows received%n",
                    prefix,
                    preview.imported(),
                    preview.updated(),
                    preview.unchanged(),
                    preview.quarantined(),
                    preview.received());
            preview.errorsByCode().forEach((code, n) -> out.printf("  %s: %d%n", code, n));
            preview.firstErrors().stream()
                    .limit(20)
                    .forEach(e -> out.printf(
                            "  line %d %s %s: %s%n",
                            e.line(), e.code(), e.column() == null ? "" : e.column(), e.message()));
            if (preview.fileError() != null) {
                out.println(prefix + preview.fileError());
            }
            out.flush();
            return preview.fileError() == null && preview.quarantined() == 0 ? ExitCode.OK : ExitCode.DATA;
        }
        ImportReport report = imports.importNow(request, in, progress.asConsumer());
        progress.done(report.status() + ": " + report.received() + " rows received");
        out.printf(
                "%simport %s %s: received %d = imported %d + updated %d + unchanged %d + quarantined %d%n",
                prefix,
                report.id(),
                report.status(),
                report.received(),
                report.imported(),
                report.updated(),
                report.unchanged(),
                report.quarantined());
        report.errorsByCode().forEach((code, n) -> out.printf("  %s: %d%n", code, n));
        if (report.fileError() != null) {
            out.println(prefix + report.fileError());
        }
        out.flush();
        return report.fileError() == null && report.quarantined() == 0 ? ExitCode.OK : ExitCode.DATA;
    }

    private static String lines(List<Long> lines) {
        String shown = lines.stream().limit(20).map(String::valueOf).collect(Collectors.joining(", "));
        return lines.size() > 20 ? shown + ", ..." : shown;
    }

    /**
     * Which of {@code codes} are active agencies, asked before the application is used so an unknown agency costs a
     * second. A
     * database not yet migrated (a new demo) has no agencies table yet: every code passes and the service checks.
     */
    private java.util.Set<String> knownAgencies(java.util.Collection<String> codes) {
        try (Connection c = database.connect();
                PreparedStatement ps = c.prepareStatement("SELECT code FROM agency WHERE active AND code = ANY(?)")) {
            ps.setArray(1, c.createArrayOf("text", codes.toArray()));
            java.util.Set<String> known = new java.util.HashSet<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    known.add(rs.getString(1));
                }
            }
            return known;
        } catch (SQLException e) {
            if ("42P01".equals(e.getSQLState())) { // undefined table: a new database, migrated when Spring starts
                return new java.util.HashSet<>(codes);
            }
            throw new EnvironmentException("cannot read agencies from the database: " + e.getMessage(), e);
        }
    }

    /** What the file is when it is plainly not CSV (an .xlsx, a PDF), checked before anything starts. */
    /**
     * For the reference-file commands: a FILE that is not a readable file is a usage error (exit 2); one that is not
     * CSV is refused in one line naming the command, and false is returned (the caller exits 4).
     */
    static boolean readableCsv(CommandSpec spec, Path file) {
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new ParameterException(spec.commandLine(), "FILE " + file + " is not a readable file");
        }
        String notCsv = notCsv(file);
        if (notCsv != null) {
            spec.commandLine().getErr().println("sightline " + spec.name() + ": line 1: " + notCsv);
            return false;
        }
        return true;
    }

    static String notCsv(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(FileSignature.LENGTH);
            return FileSignature.nonCsv(head, head.length)
                    .map(FileSignature::message)
                    .orElse(null);
        } catch (IOException e) {
            throw new EnvironmentException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** Lines in the file minus the header: a quick estimate for time left (quoted line breaks make it high). */
    static long estimateRows(Path file) {
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
