package org.sightline.statistics;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.sightline.identity.IdentityResolver;
import org.sightline.importexport.ImportReport;
import org.sightline.importexport.ImportService;
import org.sightline.importexport.PopulationLoader;
import org.sightline.shared.Progress;
import org.sightline.shared.TerminalProgress;
import org.sightline.support.Benchmarks;
import org.sightline.support.IntegrationTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Issue 9's measured part, not part of the suite (docs/benchmarks.md): on a freshly generated population, loaded as
 * the demo loads it and linked into children, the full rebuild of the pre-aggregated missing-episode counts; the
 * missing view's time (p50/p95 over areas and standard periods) read from them, and likewise the data-quality,
 * reconciliation and victims' views; a 1,000-row episode import through the
 * import path and the incremental refresh after it; and, once each, every view computed from the records for England
 * and the year, with the counts checked equal to the figures from the records. Run with
 * {@code -Dsightline.benchmark.statistics.children=N [-Dsightline.benchmark.statistics.seed=S]
 * [-Dsightline.benchmark.statistics.rebuilds=R]
 * -Dsightline.statistics.refresh=1h -Dsightline.alerts.enabled=false} (the scheduled refresh and the alert worker
 * would otherwise work in the background while the times are taken).
 */
@IntegrationTest
@EnabledIfSystemProperty(named = "sightline.benchmark.statistics.children", matches = "\\d+")
class StatisticsBenchmarkTest {

    @Autowired
    PopulationLoader loader;

    @Autowired
    IdentityResolver identities;

    @Autowired
    MissingAggregate aggregate;

    @Autowired
    MissingStatistics missing;

    @Autowired
    StatisticsPages pages;

    @Autowired
    ImportService imports;

    @Autowired
    DataQuality quality;

    @Autowired
    ReconciliationAggregate reconciliationKept;

    @Autowired
    Reconciliation reconciliation;

    @Autowired
    VictimAggregate victimsKept;

    @Autowired
    Profiles profiles;

    @Autowired
    JdbcClient jdbc;

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    @Test
    void rebuildRefreshAndPageTimes(@TempDir Path dir) throws java.io.IOException {
        int children = Integer.getInteger("sightline.benchmark.statistics.children");
        long seed = Long.getLong("sightline.benchmark.statistics.seed", 909);
        Benchmarks.Population population = Benchmarks.population(dir, children, seed, loader, identities);
        long queuedByLoadAndLink = jdbc.sql("SELECT count(*) FROM stat_dirty_record")
                .query(Long.class)
                .single();
        System.out.printf(
                "STATS-BENCH population: %d children, seed %d; %s; %s person records, %s episodes, %s identities; %d records queued by load and link%n",
                children,
                seed,
                population.times(),
                jdbc.sql("SELECT count(*) FROM person_record").query(Long.class).single(),
                jdbc.sql("SELECT count(*) FROM missing_episode")
                        .query(Long.class)
                        .single(),
                jdbc.sql("SELECT count(*) FROM identity").query(Long.class).single(),
                queuedByLoadAndLink);

        // What a rebuild must read at least: every episode, as the rule reads them, doing nothing with them (three
        // times when plans are asked for: the first read also warms the cache).
        for (int round = Boolean.getBoolean("sightline.benchmark.statistics.explain") ? 3 : 1; round > 0; round--) {
            long q0 = System.nanoTime();
            long[] streamed = {0};
            MissingStatistics.rows(jdbc, "true", java.util.Map.of(), (child, row) -> streamed[0]++);
            System.out.printf(
                    "STATS-BENCH every episode read, nothing counted: %.0f ms (%d rows)%n",
                    ms(System.nanoTime() - q0), streamed[0]);
        }

        long r0 = System.nanoTime();
        aggregate.rebuild(new TerminalProgress("rebuild"));
        long r1 = System.nanoTime();
        // Again when asked: the first rebuild in a process also compiles the counting code (JIT) on the same cores.
        for (int again = Integer.getInteger("sightline.benchmark.statistics.rebuilds", 1) - 1; again > 0; again--) {
            long a0 = System.nanoTime();
            aggregate.rebuild(Progress.NONE);
            System.out.printf("STATS-BENCH full rebuild again: %.0f ms%n", ms(System.nanoTime() - a0));
        }
        Benchmarks.vacuum();
        System.out.printf(
                "STATS-BENCH full rebuild: %.0f ms; %s cells, %s children kept%n",
                ms(r1 - r0),
                jdbc.sql("SELECT sum(cardinality(cells)) FROM stat_missing_count")
                        .query(Long.class)
                        .single(),
                jdbc.sql("SELECT count(*) FROM stat_missing_child")
                        .query(Long.class)
                        .single());

        long d0 = System.nanoTime();
        quality.rebuild();
        long d1 = System.nanoTime();
        System.out.printf(
                "STATS-BENCH data-quality rebuild: %.0f ms; %s counts, %s timeliness rows kept%n",
                ms(d1 - d0),
                jdbc.sql("SELECT count(*) FROM stat_quality_count")
                        .query(Long.class)
                        .single(),
                jdbc.sql("SELECT count(*) FROM stat_quality_timeliness")
                        .query(Long.class)
                        .single());

        long e0 = System.nanoTime();
        reconciliationKept.rebuild();
        long e1 = System.nanoTime();
        System.out.printf(
                "STATS-BENCH reconciliation rebuild: %.0f ms; %s rows kept%n",
                ms(e1 - e0),
                jdbc.sql("SELECT count(*) FROM stat_recon_child")
                        .query(Long.class)
                        .single());

        if (Boolean.getBoolean("sightline.benchmark.statistics.explain")) {
            jdbc.sql("SET work_mem = '256MB'").update(); // as the rebuild sets it
            System.out.println("STATS-BENCH reconciliation rebuild's plan:");
            jdbc.sql("EXPLAIN (ANALYZE, BUFFERS) " + ReconciliationAggregate.everyChild())
                    .query(String.class)
                    .list()
                    .forEach(line -> System.out.println("STATS-PLAN " + line));
            jdbc.sql("RESET work_mem").update();
        }

        long v0 = System.nanoTime();
        long victims = victimsKept.rebuild();
        System.out.printf(
                "STATS-BENCH victims' rebuild: %.0f ms; %d children kept%n", ms(System.nanoTime() - v0), victims);
        // The rebuilds deleted the load's queues (a million rows each): what autovacuum would clear within a minute or
        // so, here at once, so that the pages are timed as they run after it rather than counting dead queue rows.
        Benchmarks.vacuum();

        // The financial year holding the most episodes, and its months and quarters.
        int fy = jdbc.sql(
                        """
                SELECT CAST(extract(year FROM (reported_at AT TIME ZONE 'Europe/London') - interval '3 months') AS int)
                FROM missing_episode GROUP BY 1 ORDER BY count(*) DESC LIMIT 1""")
                .query(Integer.class)
                .single();
        LocalDate yearFrom = LocalDate.of(fy, 4, 1);
        LocalDate yearTo = yearFrom.plusYears(1).minusDays(1);
        List<String> areas = new ArrayList<>(List.of(ProfileQuery.ENGLAND, ProfileQuery.ENGLAND_AND_WALES));
        areas.addAll(jdbc.sql("SELECT code FROM agency WHERE agency_type = 'police_force' ORDER BY code")
                .query(String.class)
                .list());
        List<LocalDate[]> periods = new ArrayList<>();
        periods.add(new LocalDate[] {yearFrom, yearTo});
        for (int m = 0; m < 12; m += 3) {
            periods.add(new LocalDate[] {
                yearFrom.plusMonths(m), yearFrom.plusMonths(m + 3).minusDays(1)
            });
        }
        for (int m = 0; m < 12; m++) {
            periods.add(new LocalDate[] {
                yearFrom.plusMonths(m), yearFrom.plusMonths(m + 1).minusDays(1)
            });
        }
        Random random = new Random(seed);
        for (String view : List.of("missing", "data-quality", "reconciliation", "victims", "adults")) {
            List<Long> times = new ArrayList<>();
            for (int i = 0; i < 500; i++) {
                String area = i < 50 ? ProfileQuery.ENGLAND : areas.get(random.nextInt(areas.size()));
                LocalDate[] p = i < 50 ? periods.get(0) : periods.get(random.nextInt(periods.size()));
                long s = System.nanoTime();
                pages.view(view, new ProfileQuery(area, p[0], p[1], p[1]), "benchmark", null, null);
                times.add(System.nanoTime() - s);
            }
            System.out.printf(
                    "STATS-BENCH %s view %s: %d requests (50 England FY%d, then random areas of %d and"
                            + " periods of %d); p50 %.1f ms, p95 %.1f ms, max %.1f ms%n",
                    view,
                    view.equals("adults") ? "from the records" : "from what is kept",
                    times.size(),
                    fy,
                    areas.size(),
                    periods.size(),
                    Benchmarks.percentile(times, 0.5),
                    Benchmarks.percentile(times, 0.95),
                    Benchmarks.percentile(times, 1.0));
        }

        // 1,000 new episodes for one force's children, through the import path, then the refresh after it.
        String force = jdbc.sql(
                        """
                SELECT a.code FROM agency a JOIN person_record pr ON pr.agency_id = a.id
                WHERE a.agency_type = 'police_force' GROUP BY a.code ORDER BY count(*) DESC LIMIT 1""")
                .query(String.class)
                .single();
        List<String> refs = jdbc.sql(
                        """
                SELECT pr.record_ref FROM person_record pr JOIN agency a ON a.id = pr.agency_id
                WHERE a.code = ? ORDER BY pr.id LIMIT 1000""")
                .param(force)
                .query(String.class)
                .list();
        long i0 = System.nanoTime();
        ImportReport report = importEpisodes("BENCH-EP-", force, refs, yearFrom, random);
        long i1 = System.nanoTime();
        long queued = jdbc.sql("SELECT count(*) FROM stat_dirty_record")
                .query(Long.class)
                .single();
        long f0 = System.nanoTime();
        long applied = aggregate.refresh();
        long f1 = System.nanoTime();
        int agencies = quality.refresh();
        long f2 = System.nanoTime();
        long reconciled = reconciliationKept.refresh();
        long f3 = System.nanoTime();
        long gathered = victimsKept.refresh();
        long f4 = System.nanoTime();
        System.out.printf(
                "STATS-BENCH import of %d episodes for %s: %.0f ms (%d imported, %d quarantined); %d records queued;"
                        + " incremental refresh %.0f ms (%d applied); data quality %.0f ms (%d agencies);"
                        + " reconciliation %.0f ms (%d children); victims %.0f ms (%d children)%n",
                refs.size(),
                force,
                ms(i1 - i0),
                report.imported(),
                report.quarantined(),
                queued,
                ms(f1 - f0),
                applied,
                ms(f2 - f1),
                agencies,
                ms(f3 - f2),
                reconciled,
                ms(f4 - f3),
                gathered);

        // Another 1,000, refreshed as the scheduler now runs the three: side by side, each on its own thread.
        importEpisodes("BENCH-EP2-", force, refs, yearFrom, random);
        ExecutorService side = Executors.newFixedThreadPool(4); // the common pool has one thread on two cores
        long g0 = System.nanoTime();
        List<CompletableFuture<Long>> refreshes = List.of(
                CompletableFuture.supplyAsync(aggregate::refresh, side),
                CompletableFuture.supplyAsync(() -> (long) quality.refresh(), side),
                CompletableFuture.supplyAsync(reconciliationKept::refresh, side),
                CompletableFuture.supplyAsync(victimsKept::refresh, side));
        List<Long> done = refreshes.stream().map(CompletableFuture::join).toList();
        long g1 = System.nanoTime();
        side.shutdown();
        System.out.printf(
                "STATS-BENCH second import of %d episodes, the four refreshes side by side: %.0f ms (%s applied)%n",
                refs.size(), ms(g1 - g0), done);

        // The counts equal the figures from the records, at this size, after the import; and each view computed
        // from the records once, for England and the year.
        ProfileQuery england = new ProfileQuery(ProfileQuery.ENGLAND, yearFrom, yearTo, yearTo);
        long c0 = System.nanoTime();
        MissingStatistics.Figures computed = missing.figures(england);
        long c1 = System.nanoTime();
        assertThat(aggregate.figures(england)).contains(computed);
        System.out.printf(
                "STATS-BENCH missing figures for England FY%d from the records: %.0f ms (%d records, %d incidents, %d"
                        + " children) — equal to the counts%n",
                fy, ms(c1 - c0), computed.records(), computed.incidents(), computed.children());
        long k0 = System.nanoTime();
        DataQuality.Report fromRecords = quality.computed(england);
        long k1 = System.nanoTime();
        DataQuality.Report kept = quality.report(england);
        assertThat(kept.timedChecksAt()).isNotNull();
        assertThat(kept.completeness()).isEqualTo(fromRecords.completeness());
        assertThat(kept.timeliness()).isEqualTo(fromRecords.timeliness());
        assertThat(kept.checkFailures()).isEqualTo(fromRecords.checkFailures());
        System.out.printf(
                "STATS-BENCH data quality for England FY%d from the records: %.0f ms — equal to the kept counts%n",
                fy, ms(k1 - k0));
        long l0 = System.nanoTime();
        List<Reconciliation.Line> lines = reconciliation.computedLines(england);
        long l1 = System.nanoTime();
        assertThat(reconciliationKept.lines(england)).contains(lines);
        System.out.printf(
                "STATS-BENCH reconciliation for England FY%d from the records: %.0f ms — equal to the kept rows%n",
                fy, ms(l1 - l0));
        if (Boolean.getBoolean("sightline.benchmark.statistics.explain")) {
            System.out.println("STATS-BENCH victims of England FY, plan:");
            jdbc.sql("EXPLAIN (ANALYZE, BUFFERS) " + VictimAggregate.KEPT)
                    .params(Profiles.params(england))
                    .query(String.class)
                    .list()
                    .forEach(line -> System.out.println("STATS-PLAN " + line));
        }
        if (Boolean.getBoolean("sightline.benchmark.statistics.explain")) {
            for (String area : List.of(ProfileQuery.ENGLAND, ProfileQuery.ENGLAND_AND_WALES)) {
                ProfileQuery q = new ProfileQuery(area, yearFrom, yearTo, yearTo);
                for (int round = 0; round < 3; round++) {
                    long t0 = System.nanoTime();
                    long[] n = {0};
                    victimsKept.subjects(q, x -> n[0]++);
                    long t1 = System.nanoTime();
                    profiles.keptVictims(q);
                    long t2 = System.nanoTime();
                    pages.view("victims", q, "benchmark", null, null);
                    long t3 = System.nanoTime();
                    System.out.printf(
                            "STATS-BENCH victims %s FY: %d children; rows read %.1f ms, profile %.1f ms, page %.1f ms%n",
                            area, n[0], ms(t1 - t0), ms(t2 - t1), ms(t3 - t2));
                }
            }
        }
        long w0 = System.nanoTime();
        Profile victimsFromRecords = profiles.computedVictims(england);
        long w1 = System.nanoTime();
        assertThat(profiles.keptVictims(england)).contains(victimsFromRecords);
        System.out.printf(
                "STATS-BENCH victims for England FY%d from the records: %.0f ms (%d children, %d records) — equal to the"
                        + " kept rows%n",
                fy, ms(w1 - w0), victimsFromRecords.subjects(), victimsFromRecords.records());
        long a0 = System.nanoTime();
        pages.view("adults", england, "benchmark", null, null);
        System.out.printf(
                "STATS-BENCH adults view for England FY%d from the records: %.0f ms%n", fy, ms(System.nanoTime() - a0));
    }

    /** {@code refs.size()} new episodes, one per record, reported on random days of the year, through the import path. */
    private ImportReport importEpisodes(
            String prefix, String force, List<String> refs, LocalDate yearFrom, Random random) {
        StringBuilder csv = new StringBuilder("episode_ref,record_ref,reported_at,missing_from,risk_grade,found_at\n");
        for (int i = 0; i < refs.size(); i++) {
            LocalDate day = yearFrom.plusDays(random.nextInt(365));
            csv.append(prefix)
                    .append(i)
                    .append(',')
                    .append(refs.get(i))
                    .append(',')
                    .append(day)
                    .append("T21:00:00Z,home,medium,")
                    .append(day.plusDays(1))
                    .append("T09:00:00Z\n");
        }
        return imports.importNow(
                new ImportService.ImportRequest(
                        force, "missing-episodes", null, "bench.csv", "benchmark", 500, refs.size()),
                new ByteArrayInputStream(csv.toString().getBytes(StandardCharsets.UTF_8)),
                n -> {});
    }
}
