package org.sightline.operation;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.sightline.SightlineMain;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Production: the web application on an external PostgreSQL. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Serve Sightline on an external PostgreSQL (--db-url or the usual Spring settings).")
public final class ServeCommand implements Callable<Integer>, SightlineMain.ServerCommand {

    @Mixin
    DatabaseOptions database = new DatabaseOptions();

    @Option(names = "--port", description = "HTTP port (default: server.port or 8080)")
    Integer port;

    @Override
    public Integer call() {
        String configured = System.getenv("SERVER_PORT");
        Ports.requireFree(null, port != null ? port : configured != null && configured.matches("\\d{1,5}")
                ? Integer.parseInt(configured) : 8080);
        List<String> args = new ArrayList<>(database.requiredSpringArguments());
        if (port != null) {
            args.add("--server.port=" + port);
        }
        SpringLauncher.start(args, true);
        return 0;
    }
}
