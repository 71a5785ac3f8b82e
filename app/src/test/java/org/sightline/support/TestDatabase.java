package org.sightline.support;

import org.sightline.operation.EmbeddedDatabase;

/**
 * The suite's PostgreSQL: an external server when SIGHTLINE_TEST_DB_URL is set (with SIGHTLINE_TEST_DB_USER and
 * SIGHTLINE_TEST_DB_PASSWORD), otherwise one embedded server started once per JVM and shared by every test.
 */
public final class TestDatabase {

    private static String url;
    private static String user;
    private static String password;

    private TestDatabase() {
    }

    public static synchronized String url() {
        if (url == null) {
            String external = System.getenv("SIGHTLINE_TEST_DB_URL");
            if (external != null && !external.isBlank()) {
                url = external;
                user = System.getenv().getOrDefault("SIGHTLINE_TEST_DB_USER", "postgres");
                password = System.getenv().getOrDefault("SIGHTLINE_TEST_DB_PASSWORD", "");
            } else {
                EmbeddedDatabase db = EmbeddedDatabase.start(null);
                url = db.jdbcUrl();
                user = db.username();
                password = db.password();
            }
        }
        return url;
    }

    public static synchronized String user() {
        url();
        return user;
    }

    public static synchronized String password() {
        url();
        return password;
    }
}
