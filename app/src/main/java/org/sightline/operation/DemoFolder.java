package org.sightline.operation;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.sightline.audit.AuditKeys;

/**
 * The demo's data folder: its PostgreSQL cluster ({@code postgres/}) and that server's log ({@code postgres.log}),
 * the audit key that seals its log ({@code audit.key}, created on first use) and the chain checkpoints
 * ({@code audit-checkpoints.log}), both kept outside the database as production keeps them. One folder per user by
 * default, so {@code --demo} finds the demo from any working folder.
 */
final class DemoFolder {

    /** Overrides the default folder for every command (tests and CI point it at a temporary one). */
    static final String ENVIRONMENT_VARIABLE = "SIGHTLINE_DATA_DIR";

    private DemoFolder() {}

    /** $SIGHTLINE_DATA_DIR, else {@code ~/.sightline/data}. */
    static Path defaultDirectory() {
        String configured = System.getenv(ENVIRONMENT_VARIABLE);
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        return Path.of(System.getProperty("user.home"), ".sightline", "data");
    }

    static Path cluster(Path dataDirectory) {
        return dataDirectory.resolve("postgres").toAbsolutePath();
    }

    /** PostgreSQL's own output: kept out of the terminal, beside the cluster for when something goes wrong. */
    static Path log(Path dataDirectory) {
        return dataDirectory.resolve("postgres.log").toAbsolutePath();
    }

    /** Whether initdb has already run here, i.e. starting the server reuses a database instead of creating one. */
    static boolean holdsDatabase(Path dataDirectory) {
        return Files.exists(cluster(dataDirectory).resolve("PG_VERSION"));
    }

    /** Spring settings for a command using the demo database at {@code jdbcUrl}. */
    static List<String> springArguments(Path dataDirectory, String jdbcUrl) {
        Path key = dataDirectory.resolve("audit.key").toAbsolutePath();
        if (!Files.exists(key)) {
            AuditKeys.addKey(key);
        }
        List<String> args = new ArrayList<>(EmbeddedDatabase.springArguments(jdbcUrl));
        args.add("--sightline.audit.key-file=" + key);
        args.add("--sightline.audit.checkpoint-file="
                + dataDirectory.resolve("audit-checkpoints.log").toAbsolutePath());
        return args;
    }
}
