package org.sightline.operation;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.sightline.audit.AuditKeys;

/**
 * The demo's data folder: its PostgreSQL cluster ({@code postgres/}) and that server's log ({@code postgres.log}),
 * the audit key that seals its log ({@code audit.key}, created on first use) and the chain checkpoints
 * ({@code audit-checkpoints.log}), both kept outside the database as production keeps them, and the database's
 * password ({@code postgres.password}, generated at the first start, readable by its owner only). One folder per user
 * by default, so {@code --demo} finds the demo from any working folder.
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

    /** The longest wait for the database to start, most of it crash recovery (--db-recovery-limit). */
    static final String RECOVERY_LIMIT_DEFAULT = "${env:SIGHTLINE_DB_RECOVERY_LIMIT:-600}";

    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    /** The password both database roles need, for psql too (PGPASSWORD, or a PGPASSFILE line). */
    static Path passwordFile(Path dataDirectory) {
        return dataDirectory.resolve("postgres.password").toAbsolutePath();
    }

    /** The demo database's password: read from its file, or generated (SecureRandom) into it on first use. */
    static String password(Path dataDirectory) {
        Path file = passwordFile(dataDirectory);
        try {
            boolean posix =
                    FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
            if (!Files.exists(file)) {
                byte[] secret = new byte[24];
                new SecureRandom().nextBytes(secret);
                Files.createDirectories(dataDirectory);
                Path written = Files.createTempFile(dataDirectory, "postgres.password", ".new");
                Files.writeString(
                        written, Base64.getUrlEncoder().withoutPadding().encodeToString(secret) + "\n");
                Files.move(written, file);
            }
            if (posix && !Files.getPosixFilePermissions(file).equals(OWNER_ONLY)) {
                Files.setPosixFilePermissions(file, OWNER_ONLY);
            }
            return Files.readString(file).strip();
        } catch (IOException e) {
            throw new EnvironmentException(
                    "could not keep the database password in " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * As {@link #startDatabase(Path, Duration, Consumer, Consumer)} for a command: its lines and the recovery's
     * progress on {@code err}, each starting with the command's name; on {@code port} (0: any free one).
     */
    static EmbeddedDatabase startDatabase(
            Path dataDirectory, int port, long recoveryLimitSeconds, PrintWriter err, String name) {
        if (recoveryLimitSeconds < 1) {
            throw new IllegalArgumentException("--db-recovery-limit must be at least 1 second");
        }
        RecoveryProgress recovering = new RecoveryProgress(err, name);
        try {
            return startDatabase(
                    dataDirectory,
                    port,
                    Duration.ofSeconds(recoveryLimitSeconds),
                    line -> {
                        err.println(name + ": " + line);
                        err.flush();
                    },
                    recovering);
        } finally {
            recovering.done();
        }
    }

    /**
     * Starts the demo's database for this process: a server left running by a Sightline process that was killed
     * (its lock is free) is stopped first, a database kept from before passwords is switched over to one, crash
     * recovery is waited for up to {@code recoveryLimit}, and the server is restarted should it die. Each of these
     * is said in one line.
     */
    static EmbeddedDatabase startDatabase(
            Path dataDirectory, Duration recoveryLimit, Consumer<String> say, Consumer<Duration> recovering) {
        return startDatabase(dataDirectory, 0, recoveryLimit, say, recovering);
    }

    private static EmbeddedDatabase startDatabase(
            Path dataDirectory, int port, Duration recoveryLimit, Consumer<String> say, Consumer<Duration> recovering) {
        Path cluster = cluster(dataDirectory);
        var orphan = EmbeddedDatabase.livePostmaster(cluster);
        if (orphan.isPresent() && !orphan.get().owned()) {
            say.accept("stopping the demo database left running by a Sightline process that ended without "
                    + "stopping it (PostgreSQL pid " + orphan.get().pid() + ")");
            EmbeddedDatabase.stopPostmaster(orphan.get().pid());
        } else if (orphan.isEmpty() && Files.exists(cluster.resolve("postmaster.pid"))) {
            say.accept("the database was not shut down cleanly; PostgreSQL recovers it as it starts");
        }
        if (holdsDatabase(dataDirectory)
                && !Files.exists(passwordFile(dataDirectory))
                && !EmbeddedDatabase.trustsLocalUsers(cluster)) {
            throw new EnvironmentException("the demo database in " + dataDirectory + " needs the password kept in "
                    + passwordFile(dataDirectory) + ", which is missing: restore that file, or delete the folder "
                    + "to start afresh");
        }
        EmbeddedDatabase database = EmbeddedDatabase.start(
                cluster,
                new EmbeddedDatabase.Options(
                        port, log(dataDirectory), password(dataDirectory), recoveryLimit, recovering));
        database.superviseRestarts(say);
        return database;
    }

    /** Spring settings for a command using the demo database at {@code jdbcUrl}. */
    static List<String> springArguments(Path dataDirectory, String jdbcUrl) {
        Path key = dataDirectory.resolve("audit.key").toAbsolutePath();
        if (!Files.exists(key)) {
            AuditKeys.addKey(key);
        }
        String password = Files.exists(passwordFile(dataDirectory)) ? password(dataDirectory) : "";
        List<String> args = new ArrayList<>(EmbeddedDatabase.springArguments(jdbcUrl, password));
        args.add("--sightline.audit.key-file=" + key);
        args.add("--sightline.audit.checkpoint-file="
                + dataDirectory.resolve("audit-checkpoints.log").toAbsolutePath());
        return args;
    }
}
