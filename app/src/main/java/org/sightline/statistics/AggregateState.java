package org.sightline.statistics;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * When each set of kept counts was built and by which version of its rule ({@code stat_aggregate_state}): counts of
 * another version, or none, are rebuilt, and until then pages compute from the records.
 */
final class AggregateState {

    private AggregateState() {}

    /** When the counts named {@code name} were built with {@code version}, if they were. */
    static Optional<Instant> builtAt(JdbcClient jdbc, String name, int version) {
        return jdbc.sql("SELECT built_at FROM stat_aggregate_state WHERE name = ? AND version = ?")
                .params(name, version)
                .query(Timestamp.class)
                .optional()
                .map(Timestamp::toInstant);
    }

    static void built(JdbcClient jdbc, String name, int version, Instant at) {
        jdbc.sql(
                        """
                INSERT INTO stat_aggregate_state (name, version, built_at) VALUES (?, ?, ?)
                ON CONFLICT (name) DO UPDATE SET version = EXCLUDED.version, built_at = EXCLUDED.built_at""")
                .params(name, version, Timestamp.from(at))
                .update();
    }
}
