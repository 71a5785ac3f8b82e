package org.sightline.operation;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.sightline.audit.AuditKeys;

/**
 * The demo's data folder: its PostgreSQL cluster ({@code postgres/}), the audit key that seals its log
 * ({@code audit.key}, created on first use) and the chain checkpoints ({@code audit-checkpoints.log}), both kept
 * outside the database as production keeps them.
 */
final class DemoFolder {

    private DemoFolder() {
    }

    static Path cluster(Path dataDirectory) {
        return dataDirectory.resolve("postgres").toAbsolutePath();
    }

    /** Spring settings for a command using the demo database at {@code jdbcUrl}. */
    static List<String> springArguments(Path dataDirectory, String jdbcUrl) {
        Path key = dataDirectory.resolve("audit.key").toAbsolutePath();
        if (!Files.exists(key)) {
            AuditKeys.addKey(key);
        }
        List<String> args = new ArrayList<>(EmbeddedDatabase.springArguments(jdbcUrl));
        args.add("--sightline.audit.key-file=" + key);
        args.add("--sightline.audit.checkpoint-file=" + dataDirectory.resolve("audit-checkpoints.log").toAbsolutePath());
        return args;
    }
}
