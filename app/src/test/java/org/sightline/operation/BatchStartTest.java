package org.sightline.operation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.sightline.support.IntegrationTest;
import org.sightline.support.TestDatabase;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A batch command's application is built while its database starts: Spring goes as far as Flyway's bean without the
 * database, waits there, and serves once told the database is ready; a command refused meanwhile leaves no thread.
 */
@Tag(IntegrationTest.TAG)
class BatchStartTest {

    private final DatabaseOptions options = new DatabaseOptions();

    private List<String> springArguments() {
        options.url = TestDatabase.url();
        options.user = TestDatabase.user();
        options.password = TestDatabase.password();
        options.auditKeyFile = TestDatabase.auditKeyFile();
        return options.springArguments();
    }

    @Test
    void springBuildsItsContextUpToFlywayThenWaitsForTheDatabase() throws Exception {
        try (BatchStart start = new BatchStart(springArguments())) {
            Thread spring = waitingForTheDatabase();
            assertThat(Arrays.stream(spring.getStackTrace()).map(StackTraceElement::getClassName))
                    .as("the wait is Flyway's, the first bean to need the database")
                    .anyMatch(name -> name.endsWith("FlywayMigrationInitializer"));

            // Run alone, this test's database is new and Flyway migrates it; in the suite it is current already.
            try (var connection = options.connect()) {
                start.databaseReady(SchemaVersion.upToDate(connection));
            }
            JdbcClient jdbc = start.context().getBean(JdbcClient.class);
            assertThat(jdbc.sql("SELECT count(*) FROM agency").query(Long.class).single())
                    .isPositive();
        }
    }

    @Test
    void aCommandRefusedBeforeItsDatabaseIsReadyLeavesNoApplicationBehind() throws Exception {
        BatchStart start = new BatchStart(springArguments());
        Thread spring = waitingForTheDatabase();
        start.close();
        spring.join(Duration.ofSeconds(60).toMillis());
        assertThat(spring.isAlive()).as("the start unwound").isFalse();
    }

    /** The start thread once it waits in Flyway's gate (up to a minute on a loaded machine). */
    private static Thread waitingForTheDatabase() throws InterruptedException {
        long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < until) {
            Optional<Thread> waiting = Thread.getAllStackTraces().entrySet().stream()
                    .filter(e -> e.getKey().getName().equals("sightline-start"))
                    .filter(e -> Arrays.stream(e.getValue())
                            .anyMatch(f -> f.getClassName().equals(BatchStart.class.getName())
                                    && f.getMethodName().equals("mustMigrate")))
                    .map(java.util.Map.Entry::getKey)
                    .findFirst();
            if (waiting.isPresent()) {
                return waiting.get();
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the application never reached Flyway's wait for the database");
    }
}
