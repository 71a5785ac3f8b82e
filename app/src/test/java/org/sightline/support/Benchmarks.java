package org.sightline.support;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.sightline.identity.IdentityResolver;
import org.sightline.importexport.PopulationLoader;
import org.sightline.shared.TerminalProgress;
import org.sightline.synth.Generator;
import org.sightline.synth.ProgressListener;
import org.sightline.synth.SynthConfig;

/** What the benchmark tests share: percentiles of timings, and the steady state their times are taken in. */
public final class Benchmarks {

    private Benchmarks() {}

    /** How long each step of {@link #population} took, in milliseconds. */
    public record Population(long generate, long load, long link, long vacuum) {

        /** The steps' times as the benchmarks print them. */
        public String times() {
            return "generate %d ms, load %d ms, link %d ms, vacuum %d ms".formatted(generate, load, link, vacuum);
        }
    }

    /**
     * A freshly generated population, loaded as the demo loads it, linked into children, and vacuumed: the steady
     * state the benchmarks' times are taken in.
     */
    public static Population population(
            Path dir, int children, long seed, PopulationLoader loader, IdentityResolver identities)
            throws IOException {
        long t0 = System.nanoTime();
        new Generator(SynthConfig.of(children, seed)).writeCsv(dir, ProgressListener.NONE);
        long generated = System.nanoTime();
        loader.load(dir, "benchmark", new TerminalProgress("load"));
        long loaded = System.nanoTime();
        identities.relinkAll("benchmark", new TerminalProgress("link"));
        long linked = System.nanoTime();
        vacuum();
        long vacuumed = System.nanoTime();
        return new Population(
                (generated - t0) / 1_000_000,
                (loaded - generated) / 1_000_000,
                (linked - loaded) / 1_000_000,
                (vacuumed - linked) / 1_000_000);
    }

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
