package org.sightline.operation;

import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
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
 * The quick start: an embedded PostgreSQL kept in the per-user data folder, a generated population, demo users, and
 * the web server on localhost. A second start reuses the folder and is quicker.
 */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = "Start Sightline on an embedded PostgreSQL with a synthetic population and demo users.")
public final class DemoCommand implements Callable<Integer>, SightlineMain.ServerCommand {

    @Option(
            names = "--data-dir",
            description = "Folder kept between runs (default: $SIGHTLINE_DATA_DIR, else ~/.sightline/data)")
    Path dataDirectory;

    @Option(names = "--port", defaultValue = "8080", description = "HTTP port (default: ${DEFAULT-VALUE})")
    int port;

    @Option(
            names = "--host",
            defaultValue = "127.0.0.1",
            description = "Address to listen on (default: ${DEFAULT-VALUE}, this machine only)")
    String host;

    @Option(
            names = "--children",
            defaultValue = "20000",
            description = "Children in the generated population; 0 for agencies and demo users only, to try "
                    + "Sightline on your own files (default: ${DEFAULT-VALUE})")
    int children;

    @Option(names = "--seed", defaultValue = "2011", description = "Generator seed (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(
            names = "--db-recovery-limit",
            paramLabel = "SECONDS",
            defaultValue = DemoFolder.RECOVERY_LIMIT_DEFAULT,
            description = "Longest wait for the database to recover after a crash, while it keeps recovering "
                    + "(default: $SIGHTLINE_DB_RECOVERY_LIMIT, else ${DEFAULT-VALUE})")
    long recoveryLimit;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (children < 0 || children > 1_000_000) {
            throw new IllegalArgumentException(
                    "--children must be between 0 (agencies and demo users only) and 1,000,000");
        }
        Ports.requireFree(host, port);
        long started = System.nanoTime();
        PrintWriter err = spec.commandLine().getErr();
        Path folder = (dataDirectory == null ? DemoFolder.defaultDirectory() : dataDirectory).toAbsolutePath();
        Path cluster = DemoFolder.cluster(folder);
        if (EmbeddedDatabase.runningIn(cluster).isPresent()) {
            throw new EnvironmentException("the demo database in " + folder + " is in use by another Sightline "
                    + "process (a demo, or a command given --demo): use that demo, stop it, or give another "
                    + "--data-dir");
        }
        step(
                err,
                DemoFolder.holdsDatabase(folder)
                        ? "starting the database in " + folder
                        : "creating a new demo database in " + folder
                                + " (kept between runs; delete the folder to start afresh)");
        EmbeddedDatabase database = DemoFolder.startDatabase(folder, 0, recoveryLimit, err, "sightline demo");
        List<String> args = new ArrayList<>(DemoFolder.springArguments(folder, database.jdbcUrl()));
        args.add("--server.port=" + port);
        args.add("--server.address=" + host);
        // The terminal shows the demo's progress, its address and sign-ins, and warnings; the full log is in the
        // folder.
        args.add("--logging.threshold.console=WARN");
        args.add("--logging.file.name=" + folder.resolve("sightline.log"));
        // Springdoc's advice to switch its pages off in production does not apply to a local demo.
        args.add("--logging.level.org.springdoc.core.events.SpringDocAppInitializer=ERROR");
        step(err, "migrating the database and starting the web server");
        ConfigurableApplicationContext context = SpringLauncher.startServer(args);
        DemoSetup.Result result = context.getBean(DemoSetup.class).prepare(folder, children, seed, m -> step(err, m));
        String address = "http://" + ("127.0.0.1".equals(host) ? "localhost" : host) + ":" + port + "/";
        awaitAnswer(address);
        var out = spec.commandLine().getOut();
        out.println();
        out.printf("Sightline demo ready in %.1f s at %s%n", (System.nanoTime() - started) / 1e9, address);
        out.printf("Population: %s%n", result.population());
        if (result.linkingInBackground()) {
            out.println(
                    "Linking records into identities in the background; \"same child\" links appear when it finishes.");
        }
        out.println("Sign in as (synthetic demo accounts; passwords are kept in " + result.credentialsFile() + "):");
        result.users()
                .forEach(u -> out.printf(
                        "  %-16s %-22s password %-14s %s%n", u.role(), u.username(), u.password(), u.agencyName()));
        out.flush();
        return 0;
    }

    private static void step(PrintWriter err, String message) {
        err.println("sightline demo: " + message + " ...");
        err.flush();
    }

    /** The sign-ins are printed once the sign-in page answers, so the first one a user tries works. */
    private static void awaitAnswer(String address) {
        HttpClient client =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create(address + "login"))
                .timeout(Duration.ofSeconds(5))
                .build();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            try {
                if (client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() < 500) {
                    return;
                }
            } catch (java.io.IOException e) {
                // not answering yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new EnvironmentException("the web server does not answer at " + address);
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
