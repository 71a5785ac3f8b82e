package org.sightline.network;

import static org.assertj.core.api.Assertions.assertThat;

import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.NamedCsvRecord;
import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.sightline.access.Roles;
import org.sightline.access.SightlineUser;
import org.sightline.access.UserAccounts;
import org.sightline.identity.IdentityResolver;
import org.sightline.importexport.PopulationLoader;
import org.sightline.support.Benchmarks;
import org.sightline.support.IntegrationTest;
import org.sightline.support.TestData;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Issue 10's measured part, not part of the suite (docs/benchmarks.md): on a freshly generated population, loaded as
 * the demo loads it and linked into children, how many of the generator's true network places and adults rank in an
 * area's top 20 hotspots (recall@20) and how many of the top 20 are true network members (precision@20), pooled over
 * every area holding a true member; then the time of a 2-hop neighbourhood (p50/p95 over random children and places)
 * and of hotspots for a force and a year. Run with
 * {@code -Dsightline.benchmark.network.children=N [-Dsightline.benchmark.network.seed=S]} (and
 * {@code -Dsightline.benchmark.network.hold=SECONDS} to keep the database up afterwards for profiling).
 */
@IntegrationTest
@EnabledIfSystemProperty(named = "sightline.benchmark.network.children", matches = "\\d+")
class NetworkBenchmarkTest {

    @Autowired
    PopulationLoader loader;

    @Autowired
    IdentityResolver identities;

    @Autowired
    Hotspots hotspots;

    @Autowired
    NetworkGraph graphs;

    @Autowired
    TestData data;

    @Autowired
    UserAccounts accounts;

    @Autowired
    JdbcClient jdbc;

    record Truth(Set<String> locations, Set<String> adults) {}

    private static Truth truth(Path dir) throws IOException {
        Set<String> locations = new HashSet<>();
        Set<String> adults = new HashSet<>();
        try (CsvReader<NamedCsvRecord> r = CsvReader.builder().ofNamedCsvRecord(dir.resolve("truth/networks.csv"))) {
            for (NamedCsvRecord n : r) {
                for (String ref : n.getField("location_refs").split("\\|")) {
                    if (!ref.isBlank()) {
                        locations.add(ref);
                    }
                }
                for (String ref : n.getField("adult_refs").split("\\|")) {
                    if (!ref.isBlank()) {
                        adults.add(ref);
                    }
                }
            }
        }
        return new Truth(locations, adults);
    }

    @Test
    void recallPrecisionAndTimes(@TempDir Path dir) throws IOException {
        int children = Integer.getInteger("sightline.benchmark.network.children");
        long seed = Long.getLong("sightline.benchmark.network.seed", 1010);
        // The steady state the timings are of (p95 varied 0.7-1.0 s between runs without the vacuum).
        Benchmarks.Population population = Benchmarks.population(dir, children, seed, loader, identities);
        Truth truth = truth(dir);
        System.out.printf(
                "NETWORK-BENCH population: %d children, seed %d; %s;"
                        + " %s person records, %s associations, %s locations, %s adults; truth: %d places, %d adults%n",
                children,
                seed,
                population.times(),
                jdbc.sql("SELECT count(*) FROM person_record").query(Long.class).single(),
                jdbc.sql("SELECT count(*) FROM association").query(Long.class).single(),
                jdbc.sql("SELECT count(*) FROM location").query(Long.class).single(),
                jdbc.sql("SELECT count(*) FROM adult_of_concern")
                        .query(Long.class)
                        .single(),
                truth.locations().size(),
                truth.adults().size());

        // A national analyst's view is not what is measured: a police officer of the busiest force, as on the pages.
        String force = jdbc.sql(
                        """
                SELECT a.code FROM agency a JOIN missing_episode e ON e.agency_id = a.id
                WHERE a.agency_type = 'police_force' GROUP BY a.code ORDER BY count(*) DESC LIMIT 1""")
                .query(String.class)
                .single();
        SightlineUser officer = accounts.loadUserByUsername(data.user(force, Roles.POLICE_OFFICER));
        Period everything = new Period(LocalDate.of(2000, 1, 1), LocalDate.now());

        // Places: per local authority holding a true network place (the area its recordings name).
        Map<String, Set<String>> truePlacesByArea = new HashMap<>();
        jdbc.sql("SELECT area_code, location_ref FROM location WHERE area_code IS NOT NULL")
                .query(rs -> {
                    if (truth.locations().contains(rs.getString(2))) {
                        truePlacesByArea
                                .computeIfAbsent(rs.getString(1), k -> new HashSet<>())
                                .add(rs.getString(2));
                    }
                });
        score("places", truePlacesByArea, area -> {
            Set<String> out = new HashSet<>();
            List<Hotspots.Hotspot> top = hotspots.rank(officer, Hotspots.Kind.PLACES, area, everything);
            for (Hotspots.Hotspot h : top) {
                // A place is a true member when any of its recordings is a true network location.
                List<String> refs = jdbc.sql("SELECT location_ref FROM location WHERE place_id = ?")
                        .param(h.node().key().id())
                        .query(String.class)
                        .list();
                out.add(refs.stream()
                        .filter(truth.locations()::contains)
                        .findFirst()
                        .orElse("other:" + h.node().key().id()));
            }
            return out;
        });
        // Adults: per force holding a true network adult's record.
        Map<String, Set<String>> trueAdultsByArea = new HashMap<>();
        jdbc.sql("SELECT a.code, e.adult_ref FROM adult_of_concern e JOIN agency a ON a.id = e.agency_id")
                .query(rs -> {
                    if (truth.adults().contains(rs.getString(2))) {
                        trueAdultsByArea
                                .computeIfAbsent(rs.getString(1), k -> new HashSet<>())
                                .add(rs.getString(2));
                    }
                });
        score("adults", trueAdultsByArea, area -> {
            Set<String> out = new HashSet<>();
            for (Hotspots.Hotspot h : hotspots.rank(officer, Hotspots.Kind.ADULTS, area, everything)) {
                String ref = jdbc.sql("SELECT adult_ref FROM adult_of_concern WHERE id = ?")
                        .param(h.node().key().id())
                        .query(String.class)
                        .single();
                out.add(truth.adults().contains(ref) ? ref : "other:" + ref);
            }
            return out;
        });

        // 2-hop neighbourhoods: random children and places that have links, as the graph page asks (whole history).
        Random random = new Random(seed);
        List<NetworkNodes.Key> starts = new ArrayList<>();
        jdbc.sql(
                        """
                SELECT DISTINCT pr.identity_id FROM association x JOIN person_record pr ON pr.id = x.from_id
                WHERE x.from_kind = 'person_record' AND pr.identity_id IS NOT NULL ORDER BY 1""")
                .query(Long.class)
                .list()
                .forEach(id -> starts.add(NetworkNodes.Key.of("child", id)));
        Collections.shuffle(starts, random);
        List<NetworkNodes.Key> sample = new ArrayList<>(starts.subList(0, Math.min(150, starts.size())));
        List<Long> places = jdbc.sql("SELECT DISTINCT place_id FROM location ORDER BY 1")
                .query(Long.class)
                .list();
        Collections.shuffle(places, random);
        places.stream().limit(50).forEach(p -> sample.add(NetworkNodes.Key.of("place", p)));
        for (int i = 0; i < 20; i++) { // warm-up
            graphs.around(officer, sample.get(i), 2, everything, Set.of());
        }
        List<Long> times = new ArrayList<>();
        long nodes = 0;
        for (NetworkNodes.Key start : sample) {
            long s = System.nanoTime();
            NetworkGraph.Graph g = graphs.around(officer, start, 2, everything, Set.of());
            times.add(System.nanoTime() - s);
            nodes += g.nodes().size();
        }
        System.out.printf(
                "NETWORK-BENCH 2-hop: %d starts (children and places), mean %.1f nodes; p50 %.1f ms, p95 %.1f ms, max %.1f ms%n",
                times.size(),
                (double) nodes / times.size(),
                Benchmarks.percentile(times, 0.5),
                Benchmarks.percentile(times, 0.95),
                Benchmarks.percentile(times, 1.0));

        // Hotspots for a force and a year: every force with links, the latest full year of the population.
        int year = jdbc.sql(
                        "SELECT extract(year FROM max(coalesce(observed_at, created_at)))::int - 1 FROM association")
                .query(Integer.class)
                .single();
        Period oneYear = new Period(LocalDate.of(year, 1, 1), LocalDate.of(year, 12, 31));
        List<String> forces = jdbc.sql("SELECT code FROM agency WHERE agency_type = 'police_force' ORDER BY code")
                .query(String.class)
                .list();
        List<Long> hotspotTimes = new ArrayList<>();
        long ranked = 0;
        long placed = 0;
        for (String f : forces) {
            long s = System.nanoTime();
            List<Hotspots.Hotspot> top = hotspots.rank(officer, Hotspots.Kind.PLACES, f, oneYear);
            hotspotTimes.add(System.nanoTime() - s);
            ranked += top.size();
            placed += top.stream().filter(h -> h.position() != null).count();
        }
        System.out.printf(
                "NETWORK-BENCH hotspots (places, one force, year %d): %d forces, %d of %d places ranked with a map"
                        + " position; p50 %.1f ms, p95 %.1f ms, max %.1f ms%n",
                year,
                hotspotTimes.size(),
                placed,
                ranked,
                Benchmarks.percentile(hotspotTimes, 0.5),
                Benchmarks.percentile(hotspotTimes, 0.95),
                Benchmarks.percentile(hotspotTimes, 1.0));
        assertThat(times).isNotEmpty();
        // For profiling by hand: keep the loaded database up (its port is printed) for this many seconds.
        long hold = Long.getLong("sightline.benchmark.network.hold", 0);
        if (hold > 0) {
            System.out.printf(
                    "NETWORK-BENCH holding the database for %d s: %s%n",
                    hold,
                    jdbc.sql("SELECT 'port ' || current_setting('port')")
                            .query(String.class)
                            .single());
            try {
                Thread.sleep(hold * 1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void score(
            String what, Map<String, Set<String>> trueByArea, java.util.function.Function<String, Set<String>> top) {
        long hits = 0;
        long truths = 0;
        long ranked = 0;
        long reachable = 0;
        for (Map.Entry<String, Set<String>> e : trueByArea.entrySet()) {
            Set<String> got = top.apply(e.getKey());
            long h = got.stream().filter(e.getValue()::contains).count();
            hits += h;
            truths += e.getValue().size();
            reachable += Math.min(20, e.getValue().size());
            ranked += got.size();
        }
        System.out.printf(
                "NETWORK-BENCH %s: %d areas; true members %d, in the areas' top 20s %d; ranked %d;"
                        + " recall@20 %.3f (of those a top 20 can hold: %.3f), precision@20 %.3f%n",
                what,
                trueByArea.size(),
                truths,
                hits,
                ranked,
                (double) hits / truths,
                (double) hits / reachable,
                ranked == 0 ? 0.0 : (double) hits / ranked);
    }
}
