package org.sightline.operation;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.sightline.SightlineMain;
import org.springframework.context.ConfigurableApplicationContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The quick start: an embedded PostgreSQL kept in a data folder, a generated population, demo users, and the
 * web server on localhost. A second start reuses the folder and is quicker.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Start Sightline on an embedded PostgreSQL with a synthetic population and demo users.")
public final class DemoCommand implements Callable<Integer>, SightlineMain.ServerCommand {

    @Option(names = "--data-dir", defaultValue = "sightline-data", description = "Folder kept between runs (default: ${DEFAULT-VALUE})")
    Path dataDirectory;

    @Option(names = "--port", defaultValue = "8080", description = "HTTP port (default: ${DEFAULT-VALUE})")
    int port;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to listen on (default: ${DEFAULT-VALUE}, this machine only)")
    String host;

    @Option(names = "--children", defaultValue = "20000", description = "Children in the generated population (default: ${DEFAULT-VALUE})")
    int children;

    @Option(names = "--seed", defaultValue = "2011", description = "Generator seed (default: ${DEFAULT-VALUE})")
    long seed;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (children < 1 || children > 1_000_000) {
            throw new IllegalArgumentException("--children must be between 1 and 1,000,000");
        }
        long started = System.nanoTime();
        EmbeddedDatabase database = EmbeddedDatabase.start(DemoFolder.cluster(dataDirectory));
        List<String> args = new ArrayList<>(DemoFolder.springArguments(dataDirectory, database.jdbcUrl()));
        args.add("--server.port=" + port);
        args.add("--server.address=" + host);
        ConfigurableApplicationContext context = SpringLauncher.start(args, true);
        DemoSetup.Result result = context.getBean(DemoSetup.class)
                .prepare(dataDirectory.toAbsolutePath(), children, seed);
        var out = spec.commandLine().getOut();
        out.println();
        out.printf("Sightline demo ready in %.1f s at http://%s:%d/%n", (System.nanoTime() - started) / 1e9,
                "127.0.0.1".equals(host) ? "localhost" : host, port);
        out.printf("Population: %s%n", result.population());
        if (result.linkingInBackground()) {
            out.println("Linking records into identities in the background; \"same child\" links appear when it finishes.");
        }
        out.println("Sign in as (synthetic demo accounts; passwords are kept in " + result.credentialsFile() + "):");
        result.users().forEach(u -> out.printf("  %-16s %-22s password %-14s %s%n", u.role(), u.username(), u.password(),
                u.agencyName()));
        out.flush();
        return 0;
    }
}
