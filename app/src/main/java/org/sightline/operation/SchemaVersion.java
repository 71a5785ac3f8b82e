package org.sightline.operation;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

/**
 * Whether a database already holds exactly the migrations this jar ships. A batch command then skips Flyway's
 * migrate and its validation (a tenth of a small import's time; {@link BatchStart}); anything else (a new database,
 * pending migrations, a database ahead of the jar) goes through Flyway as before, and the server validates checksums
 * at every start.
 */
final class SchemaVersion {

    private static final Pattern MIGRATION = Pattern.compile("^V(.+?)__.*\\.sql$");

    private SchemaVersion() {}

    static boolean upToDate(Connection connection) {
        return applied(connection).equals(shipped());
    }

    /** Versions as Flyway records them ({@code V0940__x.sql} is "0940", {@code V1_2__x.sql} "1.2"). */
    static Set<String> shipped() {
        Set<String> versions = new TreeSet<>();
        try {
            for (Resource r : new PathMatchingResourcePatternResolver().getResources("classpath:db/migration/*.sql")) {
                Matcher m = MIGRATION.matcher(r.getFilename() == null ? "" : r.getFilename());
                if (m.matches()) {
                    versions.add(m.group(1).replace('_', '.'));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return versions;
    }

    /** The successful versioned migrations, or none when there is no history (a new database) or it cannot be read. */
    static Set<String> applied(Connection connection) {
        Set<String> versions = new TreeSet<>();
        try (Statement s = connection.createStatement();
                ResultSet rs = s.executeQuery(
                        "SELECT version FROM flyway_schema_history WHERE success AND version IS NOT NULL")) {
            while (rs.next()) {
                versions.add(rs.getString(1));
            }
        } catch (SQLException e) {
            return Set.of();
        }
        return versions;
    }
}
