package org.sightline.benchmarks.synth;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.sightline.synth.GenerationSummary;
import org.sightline.synth.Generator;
import org.sightline.synth.SynthConfig;
import org.sightline.synth.Table;

/**
 * End-to-end driver for the generator: wall time, output size and peak heap of
 * {@code generate --children N}. Run from the shaded jar:
 * <pre>java -Xmx2g -cp benchmarks/target/benchmarks.jar org.sightline.benchmarks.synth.GenerateBenchmark 1000000 1 /tmp/synth-bench</pre>
 * Arguments: children (default 1,000,000), seed (default 1), output directory (default a temporary
 * directory, deleted afterwards).
 */
public final class GenerateBenchmark {

    private GenerateBenchmark() {}

    public static void main(String[] args) throws IOException {
        int children =
                args.length > 0 ? Integer.parseInt(args[0].replace(",", "").replace("_", "")) : 1_000_000;
        long seed = args.length > 1 ? Long.parseLong(args[1]) : 1L;
        boolean temporary = args.length < 3;
        Path out = temporary ? Files.createTempDirectory("synth-bench") : Path.of(args[2]);
        SynthConfig config = SynthConfig.of(children, seed);
        System.err.printf(
                "generating %,d children, seed %d, %d threads, into %s%n", children, seed, config.threads(), out);
        long[] last = {System.nanoTime()};
        GenerationSummary summary = new Generator(config).writeCsv(out, (done, total) -> {
            long now = System.nanoTime();
            if (now - last[0] > 5_000_000_000L) {
                last[0] = now;
                System.err.printf("  %,d / %,d children%n", done, total);
            }
        });
        long bytes;
        try (Stream<Path> files = Files.walk(out)) {
            bytes = files.filter(Files::isRegularFile)
                    .mapToLong(p -> p.toFile().length())
                    .sum();
        }
        long peakHeap = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peakHeap += pool.getPeakUsage().getUsed();
            }
        }
        System.out.printf(
                "children=%d seed=%d threads=%d wall_s=%.1f output_mb=%.0f peak_heap_mb=%.0f max_heap_mb=%d%n",
                children,
                seed,
                config.threads(),
                summary.elapsed().toMillis() / 1000.0,
                bytes / 1e6,
                peakHeap / 1e6,
                Runtime.getRuntime().maxMemory() / 1_000_000);
        for (Table t : Table.values()) {
            System.out.printf("  %-28s %,12d rows%n", t.fileName(), summary.rows(t));
        }
        if (temporary) {
            try (Stream<Path> files = Files.walk(out)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
