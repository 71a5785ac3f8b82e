package org.sightline;

import org.sightline.linkage.cli.LinkCommand;
import org.sightline.operation.AgenciesImportCommand;
import org.sightline.operation.AuditKeyCommand;
import org.sightline.operation.CentroidsImportCommand;
import org.sightline.operation.DemoCommand;
import org.sightline.operation.EnvironmentException;
import org.sightline.operation.ExitCode;
import org.sightline.operation.ImportCommand;
import org.sightline.operation.Quiet;
import org.sightline.operation.RelinkCommand;
import org.sightline.operation.ReportCommand;
import org.sightline.operation.RetentionDueCommand;
import org.sightline.operation.ServeCommand;
import org.sightline.operation.Ssda903ExportCommand;
import org.sightline.operation.Ssda903ImportCommand;
import org.sightline.operation.VerifyAuditCommand;
import org.sightline.synth.cli.GenerateCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The one entry point of {@code sightline.jar}. Offline commands (generate, link) run as plain Java;
 * only the commands that need the database or the web server start Spring.
 */
@Command(
        name = "sightline",
        mixinStandardHelpOptions = true,
        version = "Sightline 0.1",
        description = "Brings missing and sexually exploited children into sight across agencies.",
        subcommands = {
            DemoCommand.class,
            ServeCommand.class,
            GenerateCommand.class,
            ImportCommand.class,
            LinkCommand.class,
            RelinkCommand.class,
            VerifyAuditCommand.class,
            AuditKeyCommand.class,
            Ssda903ExportCommand.class,
            Ssda903ImportCommand.class,
            ReportCommand.class,
            RetentionDueCommand.class,
            AgenciesImportCommand.class,
            CentroidsImportCommand.class
        })
public final class SightlineMain implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        Quiet.beforeSpring();
        CommandLine cli = commandLine();
        int exit = cli.execute(args);
        // demo and serve leave the web server running; everything else ends here.
        CommandLine.ParseResult parsed = cli.getParseResult();
        boolean server = parsed != null
                && parsed.subcommand() != null
                && parsed.subcommand().commandSpec().userObject() instanceof ServerCommand;
        if (exit != 0 || !server) {
            System.exit(exit);
        }
    }

    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new SightlineMain());
        cli.setParameterExceptionHandler(new UsageErrors());
        cli.setExecutionExceptionHandler(new FriendlyErrors());
        return cli;
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** Marker for commands that keep a server running after {@code call()} returns. */
    public interface ServerCommand {}

    /** A wrong option: the one line naming it and where to look, not the whole usage (exit 2). */
    static final class UsageErrors implements CommandLine.IParameterExceptionHandler {
        @Override
        public int handleParseException(CommandLine.ParameterException ex, String[] args) {
            CommandLine cmd = ex.getCommandLine();
            String name = cmd.getCommandSpec().qualifiedName();
            String message = ex.getMessage().replaceFirst("^Error: ", "");
            // picocli checks required options first, or lists what followed a misspelt option as unmatched too;
            // the misspelt option is the real mistake, so name it alone.
            String unknown = unknownOption(cmd, args);
            if (unknown != null) {
                message = "Unknown option: '" + unknown + "'";
            }
            cmd.getErr().println(cmd.getColorScheme().errorText(name + ": " + message));
            cmd.getErr().println("see '" + name + " --help'");
            cmd.getErr().flush();
            return ExitCode.USAGE;
        }

        /** The first argument that looks like an option the command does not have (values of options skipped). */
        private static String unknownOption(CommandLine cmd, String[] args) {
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                if ("--".equals(arg)) {
                    return null;
                }
                if (!arg.startsWith("-") || arg.length() < 2 || arg.matches("-\\d.*")) {
                    continue;
                }
                String name = arg.split("=", 2)[0];
                CommandLine.Model.OptionSpec option = cmd.getCommandSpec().findOption(name);
                if (option == null) {
                    return name;
                }
                if (!arg.contains("=") && option.arity().min() > 0) {
                    i++; // its value, which may itself start with "-"
                }
            }
            return null;
        }
    }

    /**
     * A failed command prints one clear line, not a stack trace, and an exit code saying whose problem it is:
     * 2 bad usage, 3 the environment (database, port, files), 1 anything else. SIGHTLINE_DEBUG=true adds the trace.
     */
    static final class FriendlyErrors implements CommandLine.IExecutionExceptionHandler {
        @Override
        public int handleExecutionException(Exception ex, CommandLine cmd, CommandLine.ParseResult parsed) {
            int exit = exitCode(ex);
            Throwable shown = exit == ExitCode.ENVIRONMENT && !(ex instanceof EnvironmentException) ? root(ex) : ex;
            while (shown.getCause() != null && shown.getMessage() == null) {
                shown = shown.getCause();
            }
            String message = shown.getMessage() == null ? shown.getClass().getSimpleName() : shown.getMessage();
            cmd.getErr()
                    .println(cmd.getColorScheme()
                            .errorText(cmd.getCommandSpec().qualifiedName() + ": "
                                    + message.lines().findFirst().orElse("")));
            if ("true".equals(System.getenv("SIGHTLINE_DEBUG"))) {
                ex.printStackTrace(cmd.getErr());
            }
            cmd.getErr().flush();
            return exit;
        }

        static int exitCode(Throwable ex) {
            if (ex instanceof EnvironmentException) {
                return ExitCode.ENVIRONMENT;
            }
            if (ex instanceof IllegalArgumentException) {
                return ExitCode.USAGE;
            }
            for (Throwable t = ex; t != null; t = t.getCause()) {
                if (t instanceof java.sql.SQLException
                        || t instanceof java.io.IOException
                        || t instanceof java.io.UncheckedIOException
                        || t instanceof EnvironmentException
                        || t instanceof org.springframework.dao.DataAccessResourceFailureException) {
                    return ExitCode.ENVIRONMENT;
                }
            }
            return ExitCode.FAULT;
        }

        private static Throwable root(Throwable ex) {
            Throwable t = ex;
            while (t.getCause() != null && t.getCause() != t) {
                t = t.getCause();
            }
            return t;
        }
    }
}
