package org.sightline.operation;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A real PostgreSQL started from the binaries shipped on Maven Central (zonky). Used by {@code demo}
 * with a data folder kept between runs, and by the test suite with a throw-away folder.
 * It runs initdb only when the folder holds no cluster yet, so a second demo start reuses the data.
 */
public final class EmbeddedDatabase implements AutoCloseable {

    /**
     * The role the application connects as: it may add and read audit entries but never change or remove them
     * (V0580). The superuser {@code postgres} owns the tables and runs the migrations.
     */
    public static final String APP_ROLE = "sightline_app";

    public static final String OWNER = "postgres";

    private final EmbeddedPostgres postgres;

    private EmbeddedDatabase(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    /** Starts (or reuses) a cluster in {@code dataDirectory}; a null folder means a fresh temporary one. */
    public static EmbeddedDatabase start(Path dataDirectory) {
        return start(dataDirectory, 0);
    }

    /** As {@link #start(Path)}, on a given port (0: any free one), e.g. to restart a stopped server where it was. */
    public static EmbeddedDatabase start(Path dataDirectory, int port) {
        return start(dataDirectory, port, null);
    }

    /** As {@link #start(Path)}, with initdb's and the server's output appended to {@code log} instead of the console. */
    public static EmbeddedDatabase start(Path dataDirectory, Path log) {
        return start(dataDirectory, 0, log);
    }

    private static EmbeddedDatabase start(Path dataDirectory, int port, Path log) {
        try {
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setServerConfig("max_connections", "100")
                    .setServerConfig("shared_buffers", "256MB")
                    .setServerConfig("fsync", dataDirectory == null ? "off" : "on")
                    .setServerConfig("synchronous_commit", "off")
                    .setServerConfig("timezone", "UTC");
            if (port != 0) {
                builder.setPort(port);
            }
            if (log != null) {
                Files.createDirectories(log.getParent());
                builder.setOutputRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()))
                        .setErrorRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()));
            }
            if (dataDirectory != null) {
                Files.createDirectories(dataDirectory);
                builder.setDataDirectory(dataDirectory).setCleanDataDirectory(false);
            }
            EmbeddedDatabase database = new EmbeddedDatabase(builder.start());
            database.ensureAppRole();
            return database;
        } catch (IOException | IllegalStateException e) {
            throw new EnvironmentException(
                    "could not start the embedded PostgreSQL in " + dataDirectory + ": " + e.getMessage()
                            + (log == null ? "" : " (its log: " + log + ")"),
                    e);
        }
    }

    /**
     * The JDBC URL of a server already running on {@code dataDirectory} (a demo started in another terminal), read
     * from PostgreSQL's own postmaster.pid, so commands given {@code --demo} share it instead of failing on its lock.
     */
    public static Optional<String> runningIn(Path dataDirectory) {
        Path pidFile = dataDirectory.resolve("postmaster.pid");
        try {
            if (!Files.exists(pidFile)) {
                return Optional.empty();
            }
            List<String> lines = Files.readAllLines(pidFile);
            long pid = Long.parseLong(lines.get(0).trim());
            if (lines.size() < 4
                    || !ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                return Optional.empty();
            }
            int port = Integer.parseInt(lines.get(3).trim());
            return Optional.of(url(port));
        } catch (IOException | RuntimeException e) {
            // an unreadable or stale pid file: start our own server, which reports any real conflict
            return Optional.empty();
        }
    }

    /** No user in the URL: the application and the migrations connect as different roles. */
    public String jdbcUrl() {
        return url(postgres.getPort());
    }

    public int port() {
        return postgres.getPort();
    }

    private static String url(int port) {
        return "jdbc:postgresql://localhost:" + port + "/postgres";
    }

    /**
     * Spring settings for the application on this server: the datasource as {@link #APP_ROLE}, Flyway as the owner.
     * The embedded server trusts local connections, so neither needs a password here.
     */
    public static List<String> springArguments(String jdbcUrl) {
        return List.of(
                "--spring.datasource.url=" + jdbcUrl,
                "--spring.datasource.username=" + APP_ROLE,
                "--spring.datasource.password=",
                "--spring.flyway.user=" + OWNER,
                "--spring.flyway.password=");
    }

    /** Created before the migrations run so that the first connection of the application's pool succeeds. */
    private void ensureAppRole() {
        try (var connection = postgres.getPostgresDatabase().getConnection();
                var statement = connection.createStatement()) {
            statement.execute("DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '" + APP_ROLE
                    + "') THEN CREATE ROLE " + APP_ROLE + " LOGIN; END IF; END $$");
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(
                    "could not create the application role on the embedded PostgreSQL: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
