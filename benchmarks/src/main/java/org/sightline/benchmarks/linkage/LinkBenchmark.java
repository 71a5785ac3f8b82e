package org.sightline.benchmarks.linkage;

import java.nio.file.Path;
import java.util.Locale;
import org.sightline.linkage.Constraints;
import org.sightline.linkage.LinkResult;
import org.sightline.linkage.Linker;
import org.sightline.linkage.eval.Evaluation;
import org.sightline.linkage.profile.Profile;

/**
 * End-to-end batch linkage of synthetic agency person records.
 *
 * <pre>java -Xmx6g -cp benchmarks/target/benchmarks.jar org.sightline.benchmarks.linkage.LinkBenchmark \
 *     1000000 [profile=linkage/profiles/sightline_person.yaml] [dataDir=target/synth-N] [seed=1]</pre>
 */
public final class LinkBenchmark {
    private LinkBenchmark() {}

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0].replace("_", "")) : 100_000;
        Path profilePath = Path.of(args.length > 1 ? args[1] : "linkage/profiles/sightline_person.yaml");
        Path dir = Path.of(args.length > 2 ? args[2] : "target/synth-" + n);
        long seed = args.length > 3 ? Long.parseLong(args[3]) : 1;
        Profile profile = Profile.load(profilePath);
        SynthPeople people = SynthPeople.generate(n, seed, dir, profile);
        System.gc();
        var os = (com.sun.management.OperatingSystemMXBean)
                java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        double loadBefore = os.getSystemLoadAverage();
        long cpu0 = os.getProcessCpuTime();
        long t = System.nanoTime();
        // wall and process CPU seconds at the start of each stage: on a shared machine CPU time is the steadier figure
        java.util.Map<String, double[]> stages = new java.util.LinkedHashMap<>();
        LinkResult r = new Linker(profile.config()).link(people.records, Constraints.NONE, (stage, f) -> {
            double now = (System.nanoTime() - t) / 1e9;
            stages.putIfAbsent(stage, new double[] {now, (os.getProcessCpuTime() - cpu0) / 1e9});
            System.err.printf(Locale.ROOT, "\r%-8s %3.0f%%  %.1f s   ", stage, f * 100, now);
        });
        double secs = (System.nanoTime() - t) / 1e9;
        double cpuSecs = (os.getProcessCpuTime() - cpu0) / 1e9;
        System.err.println();
        Runtime rt = Runtime.getRuntime();
        long heap = rt.totalMemory() - rt.freeMemory();
        Evaluation e = Evaluation.of(r, people.truth);
        System.out.printf(
                Locale.ROOT,
                "records %,d | wall %.1f s (blocking+patterns %.1f s) | %,.0f records/s | "
                        + "candidate pairs %,d (%,.0f pairs/s) | identities %,d | heap in use %,d MB (max %,d MB)%n",
                r.recordCount(),
                secs,
                r.blockingSeconds(),
                r.recordCount() / secs,
                r.candidatePairCount(),
                r.candidatePairCount() / secs,
                r.clusterCount(),
                heap >> 20,
                rt.maxMemory() >> 20);
        System.out.println(e);
        System.out.printf(
                Locale.ROOT,
                "process CPU during link %.1f s (%.2f cores busy on average); load average "
                        + "%.1f before, %.1f after (2 cores)%n",
                cpuSecs,
                cpuSecs / secs,
                loadBefore,
                os.getSystemLoadAverage());
        String prev = null;
        double[] prevAt = null;
        for (var st : stages.entrySet()) {
            if (prev != null) {
                System.out.printf(
                        Locale.ROOT,
                        "  stage %-8s wall %6.1f s  cpu %6.1f s%n",
                        prev,
                        st.getValue()[0] - prevAt[0],
                        st.getValue()[1] - prevAt[1]);
            }
            prev = st.getKey();
            prevAt = st.getValue();
        }
        for (var s : r.blockingReport()) {
            System.out.printf(
                    Locale.ROOT,
                    "  rule %-24s %,12d new pairs, largest block %,d, oversized %d%n",
                    s.rule(),
                    s.newPairs(),
                    s.largestBlock(),
                    s.oversizedBlocks());
        }
        for (var rc : e.rules()) {
            System.out.printf(Locale.ROOT, "  completeness after %-24s %.4f%n", rc.rule(), rc.cumulativeCompleteness());
        }
    }
}
