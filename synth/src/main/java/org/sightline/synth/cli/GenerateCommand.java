package org.sightline.synth.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.sightline.synth.GenerationSummary;
import org.sightline.synth.Generator;
import org.sightline.synth.SynthConfig;
import org.sightline.synth.Table;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code generate --children N --seed S --out DIR}: writes a synthetic population as documented CSV.
 * Usable on its own ({@link #main}) or as a subcommand of the application's command line.
 */
@Command(
        name = "generate",
        mixinStandardHelpOptions = true,
        description = "Generate a seeded synthetic population (agency records with realistic errors, "
                + "missing episodes, placements, exploitation networks) as CSV, with the truth in DIR/truth/.")
public class GenerateCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(
            names = "--children",
            required = true,
            paramLabel = "N",
            description = "Number of children, 1 to 10,000,000.")
    int children;

    @Option(
            names = "--seed",
            paramLabel = "S",
            defaultValue = "1",
            description = "Random seed; the same seed and size give byte-identical output (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory.")
    Path out;

    @Option(
            names = "--force",
            description = "Write into a non-empty output directory, replacing files of the same names.")
    boolean force;

    @Option(
            names = "--reference-date",
            paramLabel = "YYYY-MM-DD",
            description = "The population's 'today' (default: ${DEFAULT-VALUE}).",
            defaultValue = "2025-06-30")
    String referenceDate;

    @Option(
            names = "--errors",
            paramLabel = "PROFILE",
            defaultValue = "default",
            description = "Error profile of the agency records: default, or hard (missing family names and birth "
                    + "dates, impossible dates, truncated and reordered names, full-name-only agencies; "
                    + "see synth/README.md).")
    String errors;

    @Option(
            names = "--threads",
            paramLabel = "T",
            description = "Worker threads, 1 to 64 (default: up to 2). " + "Changes speed only, never the output.")
    @Nullable
    Integer threads;

    public GenerateCommand() {}

    @Override
    public Integer call() {
        if (children < 1 || children > SynthConfig.MAX_CHILDREN) {
            throw new ParameterException(
                    spec.commandLine(), "--children must be between 1 and 10,000,000 (was " + children + ")");
        }
        LocalDate date;
        try {
            date = LocalDate.parse(referenceDate);
        } catch (java.time.format.DateTimeParseException e) {
            throw new ParameterException(
                    spec.commandLine(), "--reference-date must be a date as YYYY-MM-DD (was '" + referenceDate + "')");
        }
        if (date.getYear() < 2000 || date.getYear() > 2100) {
            throw new ParameterException(
                    spec.commandLine(), "--reference-date must be between 2000 and 2100 (was " + referenceDate + ")");
        }
        if (threads != null && (threads < 1 || threads > 64)) {
            throw new ParameterException(
                    spec.commandLine(), "--threads must be between 1 and 64 (was " + threads + ")");
        }
        SynthConfig.Errors errorProfile =
                switch (errors.strip().toLowerCase(java.util.Locale.ROOT)) {
                    case "default" -> SynthConfig.Errors.DEFAULT;
                    case "hard" -> SynthConfig.Errors.HARD;
                    default -> throw new ParameterException(
                            spec.commandLine(), "--errors must be default or hard (was '" + errors + "')");
                };
        checkOutputDirectory();
        SynthConfig config =
                SynthConfig.of(children, seed).withReferenceDate(date).withErrors(errorProfile);
        if (threads != null) {
            config = config.withThreads(threads);
        }
        PrintWriter err = spec.commandLine().getErr();
        ConsoleProgress progress = new ConsoleProgress(err, System.console() != null);
        GenerationSummary summary;
        try {
            summary = new Generator(config).writeCsv(out, progress);
        } catch (IOException e) {
            progress.done();
            err.println("generate: cannot write to " + out + ": " + e.getMessage());
            err.flush();
            return 3; // the environment (README "Exit codes")
        }
        progress.done();
        // Progress goes to stderr, the result to stdout, so `generate ... > summary.txt` keeps just the summary.
        printSummary(spec.commandLine().getOut(), summary);
        return 0;
    }

    private void checkOutputDirectory() {
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw new ParameterException(spec.commandLine(), "--out must be a directory (" + out + " is a file)");
        }
        if (Files.isDirectory(out) && !force) {
            try (Stream<Path> entries = Files.list(out)) {
                if (entries.findAny().isPresent()) {
                    throw new ParameterException(
                            spec.commandLine(), "--out directory " + out + " is not empty; use --force to overwrite");
                }
            } catch (IOException e) {
                throw new ParameterException(
                        spec.commandLine(), "--out directory " + out + " cannot be read: " + e.getMessage());
            }
        }
    }

    private void printSummary(PrintWriter out, GenerationSummary summary) {
        out.printf(
                "generated %,d children (seed %d) into %s in %.1f s%n",
                children, seed, this.out, summary.elapsed().toMillis() / 1000.0);
        for (Table t : Table.values()) {
            out.printf("  %-28s %,12d rows%n", t.fileName(), summary.rows(t));
        }
        out.flush();
    }

    /** A command line for this command with one-line error messages and exit code 2 for bad options. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new GenerateCommand());
        cl.setParameterExceptionHandler(GenerateCommand::badOptions);
        return cl;
    }

    /** Prints "generate: message" and a hint, no usage dump or stack trace; returns exit code 2. */
    public static int badOptions(ParameterException e, String[] args) {
        CommandLine cl = e.getCommandLine();
        PrintWriter err = cl.getErr();
        err.println(cl.getCommandName() + ": " + e.getMessage());
        err.println("Try '" + cl.getCommandName() + " --help' for more information.");
        err.flush();
        return cl.getCommandSpec().exitCodeOnInvalidInput();
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }
}
