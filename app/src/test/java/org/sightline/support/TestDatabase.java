package org.sightline.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.sightline.audit.AuditKeys;
import org.sightline.operation.EmbeddedDatabase;

/**
 * The suite's PostgreSQL: an external server when SIGHTLINE_TEST_DB_URL is set (with SIGHTLINE_TEST_DB_USER and
 * SIGHTLINE_TEST_DB_PASSWORD), otherwise one embedded server started once per JVM and shared by every test. On the
 * embedded server the application connects as its least-privileged role and the owner runs the migrations, as in
 * production; {@link #user()} is the owner, for fixtures and commands that migrate. The audit key and checkpoint
 * files are per JVM and set as system properties, so commands run inside the tests find them too.
 */
public final class TestDatabase {

    private static String url;
    private static String user;
    private static String password;
    private static String appUser;
    private static Path auditKey;

    private TestDatabase() {}

    public static synchronized String url() {
        if (url == null) {
            String external = System.getenv("SIGHTLINE_TEST_DB_URL");
            if (external != null && !external.isBlank()) {
                url = external;
                user = System.getenv().getOrDefault("SIGHTLINE_TEST_DB_USER", "postgres");
                password = System.getenv().getOrDefault("SIGHTLINE_TEST_DB_PASSWORD", "");
                appUser = user;
            } else {
                EmbeddedDatabase db = EmbeddedDatabase.start(null);
                url = db.jdbcUrl();
                user = EmbeddedDatabase.OWNER;
                password = "";
                appUser = EmbeddedDatabase.APP_ROLE;
            }
            try {
                Path dir = Files.createTempDirectory("sightline-audit");
                auditKey = dir.resolve("audit.key");
                AuditKeys.addKey(auditKey);
                System.setProperty("sightline.audit.key-file", auditKey.toString());
                System.setProperty(
                        "sightline.audit.checkpoint-file",
                        dir.resolve("audit-checkpoints.log").toString());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return url;
    }

    /** The owner of the tables (migrations, fixtures that need it, commands run by tests). */
    public static synchronized String user() {
        url();
        return user;
    }

    public static synchronized String password() {
        url();
        return password;
    }

    /** The role the application under test connects as. */
    public static synchronized String appUser() {
        url();
        return appUser;
    }

    public static synchronized Path auditKeyFile() {
        url();
        return auditKey;
    }

    /** The options that point a command run by a test at this database as the owner, with the audit key. */
    public static List<String> commandOptions() {
        return List.of(
                "--db-url",
                url(),
                "--db-user",
                user(),
                "--db-password",
                password(),
                "--audit-key-file",
                auditKeyFile().toString());
    }

    /** A command's arguments: its name, {@link #commandOptions()}, then {@code args}. */
    public static List<String> command(String name, String... args) {
        List<String> all = new ArrayList<>();
        all.add(name);
        all.addAll(commandOptions());
        all.addAll(List.of(args));
        return all;
    }
}
