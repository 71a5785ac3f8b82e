package org.sightline;

import org.sightline.linkage.cli.LinkCommand;
import org.sightline.operation.AuditKeyCommand;
import org.sightline.operation.DemoCommand;
import org.sightline.operation.ImportCommand;
import org.sightline.operation.RelinkCommand;
import org.sightline.operation.ReportCommand;
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
@Command(name = "sightline", mixinStandardHelpOptions = true, version = "Sightline 0.1",
        description = "Brings missing and sexually exploited children into sight across agencies.",
        subcommands = {DemoCommand.class, ServeCommand.class, GenerateCommand.class, ImportCommand.class,
                LinkCommand.class, RelinkCommand.class, VerifyAuditCommand.class, AuditKeyCommand.class,
                Ssda903ExportCommand.class,
                Ssda903ImportCommand.class, ReportCommand.class})
public final class SightlineMain implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        CommandLine cli = commandLine();
        int exit = cli.execute(args);
        // demo and serve leave the web server running; everything else ends here.
        CommandLine.ParseResult parsed = cli.getParseResult();
        boolean server = parsed != null && parsed.subcommand() != null
                && parsed.subcommand().commandSpec().userObject() instanceof ServerCommand;
        if (exit != 0 || !server) {
            System.exit(exit);
        }
    }

    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new SightlineMain());
        cli.setExecutionExceptionHandler(new FriendlyErrors());
        return cli;
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** Marker for commands that keep a server running after {@code call()} returns. */
    public interface ServerCommand {
    }

    /** A failed command prints one clear line, not a stack trace; the trace is there with --debug in the logs. */
    static final class FriendlyErrors implements CommandLine.IExecutionExceptionHandler {
        @Override
        public int handleExecutionException(Exception ex, CommandLine cmd, CommandLine.ParseResult parsed) {
            Throwable cause = ex;
            while (cause.getCause() != null && cause.getMessage() == null) {
                cause = cause.getCause();
            }
            cmd.getErr().println(cmd.getColorScheme().errorText("sightline " + cmd.getCommandName() + ": "
                    + (cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage())));
            return 1;
        }
    }
}
