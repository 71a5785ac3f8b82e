package org.sightline.synth;

import de.siegmar.fastcsv.writer.CsvWriter;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import org.sightline.synth.ChildGenerator.ChunkOutput;
import org.sightline.synth.RefData.Agency;

/**
 * Generates a synthetic population: agencies, children, their agency records with realistic errors,
 * placements, missing episodes, exploitation concerns and networks, plus the truth kept apart.
 *
 * <pre>{@code
 * GenerationSummary s = new Generator(SynthConfig.of(20_000, 42)).writeCsv(dir, ProgressListener.NONE);
 * new Generator(SynthConfig.of(20_000, 42)).generate((table, row) -> copyIn(table, row), ProgressListener.NONE);
 * }</pre>
 *
 * The same config always produces the same rows in the same order, whatever the thread count.
 */
public final class Generator {

    private final SynthConfig config;

    public Generator(SynthConfig config) {
        if (config == null) {
            throw new IllegalArgumentException("config is required");
        }
        this.config = config;
    }

    public SynthConfig config() {
        return config;
    }

    /** Streams every row, agency and truth tables alike, to {@code sink} on the calling thread. */
    public GenerationSummary generate(PopulationSink sink, ProgressListener progress) {
        long start = System.nanoTime();
        Map<Table, Long> counts = new EnumMap<>(Table.class);
        run(false, progress, out -> {
            for (Map.Entry<Table, List<String[]>> e : out.rows.entrySet()) {
                for (String[] row : e.getValue()) {
                    sink.accept(e.getKey(), row);
                }
                counts.merge(e.getKey(), (long) e.getValue().size(), Long::sum);
            }
        });
        sink.finish();
        return new GenerationSummary(counts, Duration.ofNanos(System.nanoTime() - start));
    }

    /**
     * Writes every table as UTF-8 CSV (header row, RFC 4180) into {@code dir}, truth tables under
     * {@code dir/truth/}, and a README.md describing the files. Existing files of the same names are
     * replaced; the caller decides whether a non-empty directory may be used.
     */
    public GenerationSummary writeCsv(Path dir, ProgressListener progress) throws IOException {
        long start = System.nanoTime();
        Files.createDirectories(dir.resolve("truth"));
        Map<Table, OutputStream> files = new EnumMap<>(Table.class);
        Map<Table, Long> counts = new EnumMap<>(Table.class);
        try {
            for (Table t : Table.values()) {
                OutputStream os = new BufferedOutputStream(
                        Files.newOutputStream(
                                dir.resolve(t.fileName()),
                                StandardOpenOption.CREATE,
                                StandardOpenOption.TRUNCATE_EXISTING,
                                StandardOpenOption.WRITE),
                        1 << 20);
                files.put(t, os);
                os.write(render(List.<String[]>of(t.columns().toArray(new String[0]))));
                counts.put(t, 0L);
            }
            run(true, progress, out -> {
                try {
                    for (Table t : Table.values()) {
                        Objects.requireNonNull(files.get(t)).write(out.csv(t));
                        counts.merge(t, (long) out.rows(t).size(), Long::sum);
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        } finally {
            IOException first = null;
            for (OutputStream os : files.values()) {
                try {
                    os.close();
                } catch (IOException e) {
                    first = first == null ? e : first;
                }
            }
            if (first != null) {
                throw first;
            }
        }
        try (InputStream in = Generator.class.getResourceAsStream("output-README.md")) {
            if (in != null) {
                Files.write(dir.resolve("README.md"), in.readAllBytes());
            }
        }
        return new GenerationSummary(counts, Duration.ofNanos(System.nanoTime() - start));
    }

    /**
     * Builds the world, then generates chunks of children on worker threads and hands them to
     * {@code consumer} strictly in chunk order on the calling thread.
     */
    private void run(boolean renderCsv, ProgressListener progress, Consumer<ChunkOutput> consumer) {
        World world = new World(config);
        ChildGenerator gen = new ChildGenerator(world);
        consumer.accept(prepare(worldChunk(world), renderCsv));

        int chunks = (config.children() + ChildGenerator.CHUNK_SIZE - 1) / ChildGenerator.CHUNK_SIZE;
        List<List<Integer>> members = new ArrayList<>();
        for (int i = 0; i < world.networks.size(); i++) {
            members.add(new ArrayList<>());
        }
        ExecutorService pool = Executors.newFixedThreadPool(config.threads(), r -> {
            Thread t = new Thread(r, "synth-worker");
            t.setDaemon(true);
            return t;
        });
        try {
            Deque<Future<ChunkOutput>> inFlight = new ArrayDeque<>();
            int next = 0;
            int window = config.threads() * 3;
            long done = 0;
            while (next < chunks || !inFlight.isEmpty()) {
                while (next < chunks && inFlight.size() < window) {
                    int index = next++;
                    inFlight.add(pool.submit(() -> prepare(gen.generate(index), renderCsv)));
                }
                ChunkOutput out = await(inFlight.removeFirst());
                consumer.accept(out);
                for (int[] m : out.networkMembers) {
                    members.get(m[0]).add(m[1]);
                }
                done += out.children;
                progress.progress(done, config.children());
            }
        } finally {
            pool.shutdownNow();
        }
        consumer.accept(prepare(networkChunk(world, members), renderCsv));
    }

    private static ChunkOutput await(Future<ChunkOutput> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("generation interrupted", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(cause);
        }
    }

    private static ChunkOutput worldChunk(World world) {
        ChunkOutput out = new ChunkOutput(-1, 0);
        for (Agency a : world.agencies) {
            out.add(Table.AGENCIES, a.code(), a.kind(), a.name(), a.areaCode());
        }
        for (World.Location l : world.locations) {
            out.add(Table.LOCATIONS, l.ref(), l.kind(), l.name(), l.postcode(), l.la().code);
        }
        world.districtRows.forEach(r -> out.add(Table.POSTCODE_DISTRICTS, r));
        world.vehicleRows.forEach(r -> out.add(Table.VEHICLES, r));
        world.phoneRows.forEach(r -> out.add(Table.PHONES, r));
        world.adultRows.forEach(r -> out.add(Table.ADULTS_OF_CONCERN, r));
        world.associationRows.forEach(r -> out.add(Table.ASSOCIATIONS, r));
        return out;
    }

    private static ChunkOutput networkChunk(World world, List<List<Integer>> members) {
        ChunkOutput out = new ChunkOutput(-2, 0);
        for (World.Network n : world.networks) {
            StringBuilder children = new StringBuilder();
            for (int index : members.get(n.index)) {
                if (children.length() > 0) {
                    children.append('|');
                }
                children.append('C').append(Fmt.pad(index + 1, 7));
            }
            out.add(
                    Table.TRUTH_NETWORKS,
                    n.id,
                    String.join("|", n.adults.stream().map(World.Adult::ref).toList()),
                    String.join(
                            "|", n.locations.stream().map(World.Location::ref).toList()),
                    children.toString());
        }
        return out;
    }

    private static ChunkOutput prepare(ChunkOutput out, boolean renderCsv) {
        if (renderCsv) {
            EnumMap<Table, byte[]> csv = new EnumMap<>(Table.class);
            for (Table t : Table.values()) {
                csv.put(t, render(out.rows(t)));
            }
            out.csv = csv;
        }
        return out;
    }

    // Rendering happens on the worker threads so that the writing thread only copies bytes.
    private static byte[] render(List<String[]> rows) {
        if (rows.isEmpty()) {
            return new byte[0];
        }
        StringWriter sw = new StringWriter(rows.size() * 160);
        try (CsvWriter w = CsvWriter.builder().build(sw)) {
            for (String[] row : rows) {
                w.writeRecord(row);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return sw.toString().getBytes(StandardCharsets.UTF_8);
    }
}
