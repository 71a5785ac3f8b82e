package org.sightline.benchmarks.linkage;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.sightline.linkage.Constraints;
import org.sightline.linkage.LinkResult;
import org.sightline.linkage.Linker;
import org.sightline.linkage.model.Record;
import org.sightline.linkage.online.OnlineIndex;
import org.sightline.linkage.profile.Profile;

/**
 * The engine's part of resolving one saved record against ~1M held records (issue 7: p99 ≤ 20 ms added to a save).
 * A batch run links N synthetic records; its clusters and model fill an {@link OnlineIndex}, as the application's
 * index is built from the database after a relink. Then Q held-out records (every k-th record of the population, not
 * in the batch) are resolved one at a time doing what the application's OnlineResolution does per save in the engine:
 * a transaction overlay, candidates from the shared index and the overlay, the decision (join the best identity in
 * the match band, else a new one), the record added to the overlay, and after commit to the shared index. Each
 * resolution is timed as a whole; the SQL of the save (lock, change log, identity rows) is not included.
 *
 * <pre>java -Xmx8g -cp benchmarks/target/benchmarks.jar org.sightline.benchmarks.linkage.OnlineResolveBenchmark \
 *     1000000 [queries=10000] [profile=linkage/profiles/sightline_person.yaml] [dataDir] [seed=7]</pre>
 */
public final class OnlineResolveBenchmark {
    private OnlineResolveBenchmark() {}

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0].replace("_", "")) : 100_000;
        int q = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        Profile profile = Profile.load(Path.of(args.length > 2 ? args[2] : "linkage/profiles/sightline_person.yaml"));
        long seed = args.length > 4 ? Long.parseLong(args[4]) : 7;
        Path dir = Path.of(args.length > 3 ? args[3] : "target/synth-" + (n + q) + "-" + seed);
        var os = (com.sun.management.OperatingSystemMXBean)
                java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        SynthPeople people = SynthPeople.generate(n + q, seed, dir, profile);
        List<Record> all = people.records;
        int step = Math.max(2, all.size() / q);
        List<Integer> held = new ArrayList<>();
        List<Integer> queries = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            (i % step == 0 && queries.size() < q ? queries : held).add(i);
        }
        List<Record> batch = new ArrayList<>(held.size());
        held.forEach(i -> batch.add(all.get(i)));

        long t = System.nanoTime();
        LinkResult result = new Linker(profile.config()).link(batch, Constraints.NONE, (stage, f) -> {});
        double linkSecs = (System.nanoTime() - t) / 1e9;
        t = System.nanoTime();
        OnlineIndex index = OnlineIndex.of(result, batch);
        double indexSecs = (System.nanoTime() - t) / 1e9;
        // Which child each batch identity mostly holds, for the sanity check of decisions.
        Map<String, String> identityChild = new HashMap<>();
        Set<String> childrenHeld = new HashSet<>();
        for (int b = 0; b < batch.size(); b++) {
            String child = people.truth.get(held.get(b));
            identityChild.putIfAbsent(result.clusterId(b), child);
            childrenHeld.add(child);
        }
        System.gc();
        Runtime rt = Runtime.getRuntime();
        long heapIndexed = rt.totalMemory() - rt.freeMemory();
        System.out.printf(
                Locale.ROOT,
                "batch link of %,d records %.1f s; index of %,d records built in %.1f s; heap in "
                        + "use %,d MB (max %,d MB)%n",
                batch.size(),
                linkSecs,
                index.size(),
                indexSecs,
                heapIndexed >> 20,
                rt.maxMemory() >> 20);

        double matchWeight = profile.config().matchWeight();
        int warm = Math.min(2_000, queries.size() / 5);
        long[] total = new long[queries.size() - warm];
        long[] matchOnly = new long[total.length];
        int joined = 0;
        int joinedRight = 0;
        int missed = 0;
        double load = os.getSystemLoadAverage();
        for (int k = 0; k < queries.size(); k++) {
            Record r = all.get(queries.get(k));
            long s = System.nanoTime();
            OnlineIndex overlay = index.overlay();
            List<OnlineIndex.Candidate> shared = index.match(r, 5);
            long m = System.nanoTime();
            List<OnlineIndex.Candidate> own = overlay.match(r, 5);
            OnlineIndex.Candidate best = null;
            for (OnlineIndex.Candidate c : shared) {
                best = best == null || c.weight() > best.weight() ? c : best;
            }
            for (OnlineIndex.Candidate c : own) {
                best = best == null || c.weight() > best.weight() ? c : best;
            }
            String identity = best != null && best.weight() >= matchWeight ? best.identityId() : "new-" + k;
            overlay.add(r, identity);
            index.add(r, identity); // after commit
            long e = System.nanoTime();
            if (k >= warm) {
                total[k - warm] = e - s;
                matchOnly[k - warm] = m - s;
                String child = people.truth.get(queries.get(k));
                if (!identity.startsWith("new-")) {
                    joined++;
                    if (child.equals(identityChild.get(identity))) {
                        joinedRight++;
                    }
                } else if (childrenHeld.contains(child)) {
                    missed++;
                }
            }
        }
        Arrays.sort(total);
        Arrays.sort(matchOnly);
        System.out.printf(
                Locale.ROOT,
                "%,d resolutions after %,d warm-up, one thread: whole engine part p50 %.3f ms, p99 %.3f ms, "
                        + "max %.3f ms; shared-index match alone p50 %.3f ms, p99 %.3f ms%n",
                total.length,
                warm,
                ms(total, 0.5),
                ms(total, 0.99),
                total[total.length - 1] / 1e6,
                ms(matchOnly, 0.5),
                ms(matchOnly, 0.99));
        System.out.printf(
                Locale.ROOT,
                "decisions: %,d joined an identity (%,d of them one holding the same child), %,d "
                        + "started a new identity although the child had a held record; load average %.1f before, %.1f after%n",
                joined,
                joinedRight,
                missed,
                load,
                os.getSystemLoadAverage());
    }

    private static double ms(long[] sorted, double p) {
        return sorted[Math.min(sorted.length - 1, (int) (sorted.length * p))] / 1e6;
    }
}
