package org.sightline.operation;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * Database settings shared by every command that needs PostgreSQL. Without options the usual Spring
 * settings apply (SPRING_DATASOURCE_URL, application.properties); {@code --demo} uses the demo's
 * embedded database.
 */
public final class DatabaseOptions {

    @Option(names = "--db-url", description = "JDBC URL of an external PostgreSQL, e.g. jdbc:postgresql://db:5432/sightline")
    String url;

    @Option(names = "--db-user", description = "Database user")
    String user;

    @Option(names = "--db-password", description = "Database password (prefer the SPRING_DATASOURCE_PASSWORD environment variable)")
    String password;

    @Option(names = "--demo", description = "Use the demo's embedded database: the running demo's server, or started if none runs")
    boolean demo;

    @Option(names = "--data-dir", defaultValue = "sightline-data",
            description = "Folder kept between demo runs (default: ${DEFAULT-VALUE})")
    Path dataDirectory;

    @Option(names = "--audit-key-file", description = "File of the keys that seal the audit log (KEY_ID:BASE64 lines); "
            + "or SIGHTLINE_AUDIT_KEYFILE. Not needed with --demo")
    Path auditKeyFile;

    @Option(names = "--audit-checkpoint-file", description = "Append-only file of audit chain checkpoints (default: "
            + "audit-checkpoints.log beside the key file); or SIGHTLINE_AUDIT_CHECKPOINTFILE")
    Path auditCheckpointFile;

    private EmbeddedDatabase embedded;

    /**
     * Spring arguments for a command that needs a database, refusing clearly when none is given (no URL, no
     * SPRING_DATASOURCE_URL, no --demo) instead of letting Spring fail on a missing DataSource.
     */
    List<String> requiredSpringArguments() {
        List<String> args = springArguments();
        boolean configured = args.stream().anyMatch(a -> a.startsWith("--spring.datasource.url="))
                || System.getenv("SPRING_DATASOURCE_URL") != null || System.getProperty("spring.datasource.url") != null;
        if (!configured) {
            throw new IllegalArgumentException("no database given: use --db-url jdbc:postgresql://HOST:PORT/DB "
                    + "(or SPRING_DATASOURCE_URL), or --demo for the demo's embedded one");
        }
        return args;
    }

    /** Spring arguments that point the application at the chosen database, starting the embedded one if asked. */
    List<String> springArguments() {
        List<String> args = new ArrayList<>();
        if (demo) {
            if (url != null) {
                throw new IllegalArgumentException("--demo and --db-url cannot be used together");
            }
            Path cluster = DemoFolder.cluster(dataDirectory);
            String jdbcUrl = EmbeddedDatabase.runningIn(cluster).orElseGet(() -> {
                embedded = EmbeddedDatabase.start(cluster);
                return embedded.jdbcUrl();
            });
            args.addAll(DemoFolder.springArguments(dataDirectory, jdbcUrl));
        } else {
            if (url != null) {
                if (!url.startsWith("jdbc:postgresql:")) {
                    throw new IllegalArgumentException("--db-url must be a PostgreSQL JDBC URL starting jdbc:postgresql:");
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
