package org.sightline.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** What the benchmark tests share: percentiles of timings, and the steady state their times are taken in. */
public final class Benchmarks {

    private Benchmarks() {}

    /** The {@code p} percentile (nearest rank) of times in nanoseconds, in milliseconds. */
    public static double percentile(List<Long> nanos, double p) {
        List<Long> sorted = new ArrayList<>(nanos);
        Collections.sort(sorted);
        int i = (int) Math.ceil(p * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i))) / 1e6;
    }

    /**
     * VACUUM (ANALYZE) as the tables' owner (the application's role may not): after a load and a relink that
     * rewrote every record, autovacuum would otherwise be cleaning up on the same two cores while times are taken.
     */
    public static void vacuum() {
        try (Connection owner =
                        DriverManager.getConnection(TestDatabase.url(), TestDatabase.user(), TestDatabase.password());
                Statement sql = owner.createStatement()) {
            sql.execute("VACUUM (ANALYZE)");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
