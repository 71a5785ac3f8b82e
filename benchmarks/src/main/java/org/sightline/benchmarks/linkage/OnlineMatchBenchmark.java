package org.sightline.benchmarks.linkage;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.sightline.linkage.LinkResult;
import org.sightline.linkage.Linker;
import org.sightline.linkage.model.Record;
import org.sightline.linkage.online.OnlineIndex;
import org.sightline.linkage.profile.Profile;

/**
 * Online matching latency: trains on the first 100,000 records, indexes N records, then matches the next Q records
 * (not indexed) one at a time and reports p50/p99/max.
 *
 * <pre>java -Xmx6g -cp ... org.sightline.benchmarks.linkage.OnlineMatchBenchmark 1000000 [queries=10000]
 *     [profile] [dataDir]</pre>
 */
public final class OnlineMatchBenchmark {
    private OnlineMatchBenchmark() {}

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0].replace("_", "")) : 100_000;
        int q = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        Profile profile = Profile.load(Path.of(args.length > 2 ? args[2] : "linkage/profiles/sightline_person.yaml"));
        Path dir = Path.of(args.length > 3 ? args[3] : "target/synth-" + (n + q));
        SynthPeople people = SynthPeople.generate(n + q, 1, dir, profile);
        List<Record> all = people.records;
        LinkResult trained = new Linker(profile.config()).link(all.subList(0, Math.min(100_000, n)));
        OnlineIndex index = new OnlineIndex(profile.config(), trained.model());
        // Every step-th record is held out as a query (its other agency records are usually indexed).
        int step = Math.max(2, all.size() / q);
        java.util.List<Integer> queries = new java.util.ArrayList<>();
        long t = System.nanoTime();
        int added = 0;
        for (int i = 0; i < all.size(); i++) {
            if (i % step == 0 && queries.size() < q) {
                queries.add(i);
            } else {
                index.add(all.get(i), people.truth.get(i) == null ? all.get(i).id() : people.truth.get(i));
                added++;
            }
        }
        double addSecs = (System.nanoTime() - t) / 1e9;
        for (int i = 0; i < Math.min(queries.size(), 2000); i++) { // warm-up
            index.match(all.get(queries.get(i)), 5);
        }
        long[] nanos = new long[queries.size()];
        int found = 0;
        int withTruth = 0;
        for (int k = 0; k < nanos.length; k++) {
            Record r = all.get(queries.get(k));
            long s = System.nanoTime();
            List<OnlineIndex.Candidate> c = index.match(r, 5);
            nanos[k] = System.nanoTime() - s;
            String truth = people.truth.get(queries.get(k));
            if (truth != null
                    && !c.isEmpty()
                    && c.get(0).identityId().equals(truth)
                    && c.get(0).weight() >= 0) {
                found++;
            }
            withTruth++;
        }
        Arrays.sort(nanos);
        System.out.printf(
                Locale.ROOT,
                "indexed %,d records in %.1f s (%,.0f adds/s); %,d queries: p50 %.3f ms, "
                        + "p99 %.3f ms, max %.3f ms; top identity correct and linked for %,d of %,d queries "
                        + "(a query whose child has no other record cannot be found)%n",
                added,
                addSecs,
                added / addSecs,
                nanos.length,
                nanos[nanos.length / 2] / 1e6,
                nanos[(int) (nanos.length * 0.99)] / 1e6,
                nanos[nanos.length - 1] / 1e6,
                found,
                withTruth);
    }
}
