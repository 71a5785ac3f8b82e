package org.sightline.operation;

import de.siegmar.fastcsv.writer.CsvWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.sightline.reference.PostcodeCentroids;
import org.sightline.shared.InvalidRequestException;
import org.sightline.shared.TerminalProgress;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * Loads postcode positions for the hotspot map (docs/networks.md): the ONS Postcode Directory as published, or any
 * CSV with postcode, latitude and longitude. Refused rows are named (the first {@value PostcodeCentroids#NAMED}) and
 * counted by rule; exit 0 when every row loaded, 4 when some were refused.
 */
@Command(
        name = "centroids-import",
        mixinStandardHelpOptions = true,
        description = "Load postcode and postcode-district positions for the hotspot map from a CSV "
                + "(postcode or pcds, latitude or lat, longitude or long); a re-run changes nothing.")
public final class CentroidsImportCommand implements Callable<Integer> {

    @Mixin
    DatabaseOptions database = new DatabaseOptions();

    @Parameters(index = "0", paramLabel = "FILE", description = "The CSV file (UTF-8)")
    Path file;

    @Option(
            names = "--source",
            required = true,
            paramLabel = "TEXT",
            description = "Where the positions come from, shown under the map (e.g. \"ONS Postcode Directory, "
                    + "February 2026, OGL v3\")")
    String source;

    @Option(
            names = "--refused",
            paramLabel = "FILE",
            description = "Where to keep every refused row, as read, with its line and why (default: "
                    + "FILE's name with .refused.csv, in the working folder; written only when a row is refused)")
    Path refusedFile;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        if (source.isBlank()) {
            throw new ParameterException(spec.commandLine(), "--source must say where the positions come from");
        }
        if (!ImportCommand.readableCsv(spec, file)) {
            return ExitCode.DATA;
        }
        PrintWriter err = spec.commandLine().getErr();
        Starting.say(spec, "checking the database");
        try (BatchStart start = database.startBatch();
                Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            Starting.say(spec, "starting");
            TerminalProgress progress = new TerminalProgress("centroids");
            progress.total(ImportCommand.estimateRows(file));
            PostcodeCentroids.Result result;
            Path keep = refusedFile != null
                    ? refusedFile
                    : Path.of(file.getFileName().toString().replaceFirst("(?i)\\.csv$", "") + ".refused.csv");
            try (RefusedRows kept = new RefusedRows(keep)) {
                result = start.context()
                        .getBean(PostcodeCentroids.class)
                        .load(reader, source, "cli:centroids-import", progress, kept::write);
            } catch (InvalidRequestException e) {
                err.println("sightline centroids-import: " + file.getFileName() + ": "
                        + e.violations().stream().map(v -> v.message()).collect(Collectors.joining("; ")));
                return ExitCode.DATA;
            }
            for (PostcodeCentroids.Problem p : result.refused()) {
                err.printf("line %d: %s: %s%n", p.line(), p.field(), p.message());
            }
            long refused = result.refusedBy().values().stream()
                    .mapToLong(Long::longValue)
                    .sum();
            if (refused > result.refused().size()) {
                err.printf(
                        "… and %,d more refused rows; all refused rows by rule:%n",
                        refused - result.refused().size());
                for (Map.Entry<String, Long> e : result.refusedBy().entrySet()) {
                    err.printf("  %,d  %s%n", e.getValue(), e.getKey());
                }
            }
            if (refused > 0) {
                err.println("every refused row is kept, as read, in " + keep);
            }
            spec.commandLine()
                    .getOut()
                    .printf(
                            "%d rows: %d loaded, %d unchanged, %d refused%n",
                            result.rows(), result.loaded(), result.unchanged(), refused);
            return refused > 0 ? ExitCode.DATA : ExitCode.OK;
        }
    }

    /** The refused rows' file, opened at the first one: line, column, why, then the row's own fields. */
    private static final class RefusedRows implements AutoCloseable {
        private final Path path;
        private CsvWriter csv;

        RefusedRows(Path path) {
            this.path = path;
        }

        void write(PostcodeCentroids.Refused r) {
            try {
                if (csv == null) {
                    csv = CsvWriter.builder().build(path, StandardCharsets.UTF_8);
                    csv.writeRecord("line", "column", "why", "fields as read");
                }
                List<String> row = new ArrayList<>(List.of(
                        String.valueOf(r.problem().line()),
                        r.problem().field(),
                        r.problem().message()));
                row.addAll(r.fields());
                csv.writeRecord(row); // as read, to be corrected and loaded again: not neutralised
            } catch (IOException e) {
                throw new EnvironmentException("cannot write the refused rows to " + path + ": " + e.getMessage(), e);
            }
        }

        @Override
        public void close() throws IOException {
            if (csv != null) {
                csv.close();
            }
        }
    }
}
