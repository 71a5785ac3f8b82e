package org.sightline.operation;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Database settings shared by every command that needs PostgreSQL. Without options the usual Spring
 * settings apply (SPRING_DATASOURCE_URL, application.properties); {@code --demo} uses the demo's
 * embedded database in the per-user data folder ({@link DemoFolder#defaultDirectory()}), so it joins the demo
 * whichever folder the command is run from.
 */
public final class DatabaseOptions {

    @Option(
            names = "--db-url",
            description = "JDBC URL of an external PostgreSQL, e.g. jdbc:postgresql://db:5432/sightline")
    String url;

    @Option(names = "--db-user", description = "Database user")
    String user;

    @Option(
            names = "--db-password",
            description = "Database password (prefer the SPRING_DATASOURCE_PASSWORD environment variable)")
    String password;

    @Option(
            names = "--demo",
            description = "Use the demo's embedded database: the running demo's server, or started if none runs")
    boolean demo;

    @Option(
            names = "--data-dir",
            description = "The demo's data folder (default: $SIGHTLINE_DATA_DIR, else ~/.sightline/data)")
    Path dataDirectory;

    @Option(
            names = "--new",
            description = "With --demo: create a new demo database in the data folder if it holds none")
    boolean createNew;

    @Option(
            names = "--db-recovery-limit",
            paramLabel = "SECONDS",
            defaultValue = DemoFolder.RECOVERY_LIMIT_DEFAULT,
            description = "With --demo: longest wait for its database to recover after a crash, while it keeps "
                    + "recovering (default: $SIGHTLINE_DB_RECOVERY_LIMIT, else ${DEFAULT-VALUE})")
    long recoveryLimit;

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    @Option(
            names = "--audit-key-file",
            description = "File of the keys that seal the audit log (KEY_ID:BASE64 lines); "
                    + "or SIGHTLINE_AUDIT_KEYFILE. Not needed with --demo")
    Path auditKeyFile;

    @Option(
            names = "--audit-checkpoint-file",
            description = "Append-only file of audit chain checkpoints (default: "
                    + "audit-checkpoints.log beside the key file); or SIGHTLINE_AUDIT_CHECKPOINTFILE")
    Path auditCheckpointFile;

    private String jdbcUrl;
    private String jdbcUser;
    private String jdbcPassword;
    /** The demo's database, when this command has to start it: chosen in {@link #springArguments()}, started later. */
    private Runnable startEmbedded;

    /**
     * Spring arguments for a command that needs a database, refusing clearly when none is given (no URL, no
     * SPRING_DATASOURCE_URL, no --demo) instead of letting Spring fail on a missing DataSource, and when it cannot be
     * reached (one line, exit 3) before Spring spends seconds starting.
     */
    List<String> requiredSpringArguments() {
        List<String> args = springArguments();
        ready();
        return args;
    }

    /**
     * A batch command's application, built on another thread while this one starts the demo's database if it has
     * to and checks that the database answers: about a second of the 3 a small command takes. The same refusals as
     * {@link #requiredSpringArguments()} are thrown here; a database already at this jar's schema skips Flyway.
     */
    BatchStart startBatch() {
        BatchStart start = new BatchStart(springArguments());
        try {
            start.databaseReady(ready());
            return start;
        } catch (RuntimeException e) {
            start.close();
            throw e;
        }
    }

    /** Starts the demo's database if this command has to, and connects: whether its schema is this jar's. */
    private boolean ready() {
        if (jdbcUrl == null) {
            throw new IllegalArgumentException("no database given: use --db-url jdbc:postgresql://HOST:PORT/DB "
                    + "(or SPRING_DATASOURCE_URL), or --demo for the demo's embedded one");
        }
        if (startEmbedded != null) {
            startEmbedded.run();
            startEmbedded = null;
        }
        try (Connection connection = connect()) {
            return SchemaVersion.upToDate(connection);
        } catch (SQLException e) {
            throw new EnvironmentException(
                    "cannot reach the database at " + jdbcUrl + (jdbcUser == null ? "" : " as " + jdbcUser) + ": "
                            + e.getMessage().lines().findFirst().orElse(""),
                    e);
        }
    }

    /** A plain JDBC connection to the chosen database, for the checks a command makes before Spring starts. */
    Connection connect() throws SQLException {
        DriverManager.setLoginTimeout(5);
        return DriverManager.getConnection(jdbcUrl, jdbcUser, jdbcPassword == null ? "" : jdbcPassword);
    }

    /**
     * Spring arguments that point the application at the chosen database. The demo's database, when no process runs
     * it, gets its port here and is started by {@link #ready()}.
     */
    List<String> springArguments() {
        List<String> args = new ArrayList<>();
        if (demo) {
            if (url != null) {
                throw new IllegalArgumentException("--demo and --db-url cannot be used together");
            }
            Path folder = dataDirectory == null ? DemoFolder.defaultDirectory() : dataDirectory;
            Path cluster = DemoFolder.cluster(folder);
            jdbcUrl = EmbeddedDatabase.runningIn(cluster).orElseGet(() -> {
                if (!DemoFolder.holdsDatabase(folder) && !createNew) {
                    throw new IllegalArgumentException("no demo database in " + folder.toAbsolutePath()
                            + ": start 'sightline demo' first, point --data-dir at another demo's folder, "
                            + "or add --new to create an empty one there");
                }
                PrintWriter err = command == null
                        ? new PrintWriter(System.err, true)
                        : command.commandLine().getErr();
                String name = command == null ? "sightline" : "sightline " + command.name();
                if (DemoFolder.holdsDatabase(folder) && !Files.exists(DemoFolder.passwordFile(folder))) {
                    // A folder from before passwords: starting it sets the password Spring is then given.
                    return DemoFolder.startDatabase(folder, 0, recoveryLimit, err, name)
                            .jdbcUrl();
                }
                DemoFolder.password(folder); // a new database's, generated now for Spring's arguments
                int port = EmbeddedDatabase.freePort();
                startEmbedded = () -> DemoFolder.startDatabase(folder, port, recoveryLimit, err, name);
                return EmbeddedDatabase.url(port);
            });
            jdbcUser = EmbeddedDatabase.APP_ROLE;
            jdbcPassword = Files.exists(DemoFolder.passwordFile(folder)) ? DemoFolder.password(folder) : null;
            args.addAll(DemoFolder.springArguments(folder, jdbcUrl));
        } else {
            jdbcUrl = url != null
                    ? url
                    : System.getenv("SPRING_DATASOURCE_URL") != null
                            ? System.getenv("SPRING_DATASOURCE_URL")
                            : System.getProperty("spring.datasource.url");
            jdbcUser = user != null ? user : System.getenv("SPRING_DATASOURCE_USERNAME");
            jdbcPassword = password != null ? password : System.getenv("SPRING_DATASOURCE_PASSWORD");
            if (url != null) {
                if (!url.startsWith("jdbc:postgresql:")) {
                    throw new IllegalArgumentException(
                            "--db-url must be a PostgreSQL JDBC URL starting jdbc:postgresql:");
                }
                args.add("--spring.datasource.url=" + url);
            }
            if (user != null) {
                args.add("--spring.datasource.username=" + user);
            }
            if (password != null) {
                args.add("--spring.datasource.password=" + password);
            }
            if (auditKeyFile != null) {
                args.add("--sightline.audit.key-file=" + auditKeyFile.toAbsolutePath());
            }
            if (auditCheckpointFile != null) {
                args.add("--sightline.audit.checkpoint-file=" + auditCheckpointFile.toAbsolutePath());
            }
        }
        return args;
    }
}
