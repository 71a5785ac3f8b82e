package org.sightline.operation;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.sightline.support.IntegrationTest;
import org.sightline.support.TestDatabase;
import org.springframework.beans.factory.annotation.Autowired;

/** A batch command skips Flyway only on a database holding exactly the migrations the jar ships. */
@IntegrationTest
class SchemaVersionTest {

    @Autowired
    Flyway flyway;

    @Test
    void theMigratedDatabaseIsUpToDateByFlywaysOwnAccount() throws Exception {
        var applied = Arrays.stream(flyway.info().applied())
                .filter(m -> m.getVersion() != null
                        && m.getState().isApplied()
                        && !m.getState().isFailed())
                .map(m -> m.getVersion().getVersion())
                .collect(Collectors.toSet());
        assertThat(flyway.info().pending()).isEmpty();
        assertThat(SchemaVersion.shipped()).hasSizeGreaterThan(40).isEqualTo(applied);
        try (Connection c = connection()) {
            assertThat(SchemaVersion.applied(c)).isEqualTo(applied);
            assertThat(SchemaVersion.upToDate(c)).isTrue();
        }
    }

    @Test
    void aDatabaseWithoutHistoryIsNotUpToDate() throws Exception {
        try (Connection c = connection()) {
            c.createStatement().execute("CREATE TEMPORARY TABLE flyway_schema_history (version text, success boolean)");
            // The temporary table hides the real one in this session, as a new database's missing table would.
            assertThat(SchemaVersion.applied(c)).isEmpty();
            assertThat(SchemaVersion.upToDate(c)).isFalse();
            c.createStatement().execute("INSERT INTO flyway_schema_history VALUES ('0010', true)");
            assertThat(SchemaVersion.upToDate(c)).as("pending migrations").isFalse();
        }
    }

    private static Connection connection() throws Exception {
        return DriverManager.getConnection(TestDatabase.url(), TestDatabase.user(), TestDatabase.password());
    }
}
