import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.NamedCsvRecord;
import de.siegmar.fastcsv.writer.CsvWriter;
import java.io.ByteArrayInputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.sightline.SightlineApplication;
import org.sightline.audit.AuditKeys;
import org.sightline.importexport.ImportReport;
import org.sightline.importexport.ImportService;
import org.sightline.operation.EmbeddedDatabase;
import org.slf4j.LoggerFactory;
import org.springframework.boot.Banner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Identity accuracy through the real import path, at benchmark size (issue 7). Run by
 * benchmarks/identity-accuracy-benchmark.sh on the classpath of the extracted application jar (Java's single-file
 * source launcher compiles it): not part of the Maven build, because the benchmarks module does not depend on the
 * Spring application.
 *
 * <p>It does what {@code sightline.jar import --demo --data-dir DIR} does for each file: starts (or joins) the demo's
 * embedded PostgreSQL in DIR, starts the application without a web server, and calls {@link ImportService#importNow}
 * with the CLI's default batch of 10,000 rows. The only difference is that the application starts once, not once per
 * agency file: the generator's ~700 agencies would cost ~700 JVM and Spring starts (10-60 s each on this machine).
 *
 * <p>Order: every person record sorted by {@code recorded_at}; one file per agency, agencies in the order of their
 * first record (as ImportAccuracyTest). Accuracy: pairwise precision, recall and F1 of person_record.identity_id
 * (read with plain JDBC) against truth/record_truth.csv, computed here, not by the application.
 *
 * <pre>java -cp 'APP/sightline.jar:APP/lib/*' ImportAccuracyBenchmark.java POPULATION_DIR DATA_DIR [BATCH]</pre>
 */
public final class ImportAccuracyBenchmark {

    /** The per-batch resolution time OnlineResolution logs at DEBUG: "resolved {} records in {} µs". */
    static final List<long[]> RESOLUTIONS = java.util.Collections.synchronizedList(new ArrayList<>());

    public static void main(String[] args) throws Exception {
        Path population = Path.of(args[0]);
        Path data = Path.of(args[1]).toAbsolutePath();
        int batch = args.length > 2 ? Integer.parseInt(args[2]) : 10_000;
        long wallStart = System.nanoTime();

        List<String> header;
        Map<String, List<NamedCsvRecord>> byAgency = new HashMap<>();
        try (CsvReader<NamedCsvRecord> records = CsvReader.builder().ofNamedCsvRecord(population.resolve("person_records.csv"))) {
            List<NamedCsvRecord> all = new ArrayList<>();
            records.forEach(all::add);
            header = all.get(0).getHeader();
            all.sort(Comparator.comparing((NamedCsvRecord r) -> r.getField("recorded_at")));
            for (NamedCsvRecord r : all) {
                byAgency.computeIfAbsent(r.getField("agency_code"), k -> new ArrayList<>()).add(r);
            }
        }
        Map<String, List<NamedCsvRecord>> arrival = new LinkedHashMap<>();
        byAgency.entrySet().stream().sorted(Comparator.comparing(e -> e.getValue().get(0).getField("recorded_at")))
                .forEach(e -> arrival.put(e.getKey(), e.getValue()));

        // What --demo --data-dir does (DatabaseOptions, DemoFolder): the embedded cluster, the audit key beside it.
        Files.createDirectories(data);
        Path cluster = data.resolve("postgres");
        EmbeddedDatabase started = null;
        // A demo's folder keeps its database password beside the cluster; a folder this driver made has none.
        Path passwordFile = data.resolve("postgres.password");
        String password = Files.exists(passwordFile) ? Files.readString(passwordFile).strip() : null;
        String jdbcUrl = EmbeddedDatabase.runningIn(cluster).orElse(null);
        if (jdbcUrl == null) {
            EmbeddedDatabase.Options options = EmbeddedDatabase.Options.DEFAULT;
            started = EmbeddedDatabase.start(cluster, new EmbeddedDatabase.Options(options.port(), options.log(),
                    password, options.startupLimit(), options.recovering()));
            jdbcUrl = started.jdbcUrl();
        }
        Path key = data.resolve("audit.key");
        if (!Files.exists(key)) {
            AuditKeys.addKey(key);
        }
        List<String> spring = new ArrayList<>(EmbeddedDatabase.springArguments(jdbcUrl, password));
        spring.add("--sightline.audit.key-file=" + key);
        spring.add("--sightline.audit.checkpoint-file=" + data.resolve("audit-checkpoints.log"));
        spring.add("--logging.level.root=WARN");
        spring.add("--logging.level.org.sightline.identity.OnlineResolution=DEBUG");
        SpringApplication application = new SpringApplication(SightlineApplication.class);
        application.setBannerMode(Banner.Mode.OFF);
        application.setWebApplicationType(WebApplicationType.NONE);
        long springStart = System.nanoTime();
        try (ConfigurableApplicationContext context = application.run(spring.toArray(String[]::new));
             Connection db = DriverManager.getConnection(jdbcUrl, EmbeddedDatabase.OWNER, password == null ? "" : password)) {
            double springSeconds = (System.nanoTime() - springStart) / 1e9;
            captureResolutionLog();
            // The generator's care providers are not reference data: add them as the demo loader does.
            try (PreparedStatement insert = db.prepareStatement("""
                    INSERT INTO agency (code, agency_type, name, area_code) VALUES (?, ?, ?, nullif(?, ''))
                    ON CONFLICT (code) DO NOTHING""");
                 CsvReader<NamedCsvRecord> agencies = CsvReader.builder().ofNamedCsvRecord(population.resolve("agencies.csv"))) {
                for (NamedCsvRecord a : agencies) {
                    insert.setString(1, a.getField("agency_code"));
                    insert.setString(2, a.getField("agency_type"));
                    insert.setString(3, a.getField("name"));
                    insert.setString(4, a.getField("area_code"));
                    insert.addBatch();
                }
                insert.executeBatch();
            }

            ImportService imports = context.getBean(ImportService.class);
            long importNanos = 0;
            long received = 0;
            long quarantined = 0;
            int done = 0;
            long lastPrint = System.nanoTime();
            for (var agency : arrival.entrySet()) {
                StringWriter text = new StringWriter();
                try (CsvWriter csv = CsvWriter.builder().build(text)) {
                    csv.writeRecord(header);
                    for (NamedCsvRecord r : agency.getValue()) {
                        csv.writeRecord(r.getFields());
                    }
                }
                byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
                long s = System.nanoTime();
                ImportReport report = imports.importNow(new ImportService.ImportRequest(agency.getKey(), "person-records",
                        null, agency.getKey() + ".csv", "cli", batch, agency.getValue().size()),
                        new ByteArrayInputStream(bytes), n -> { });
                importNanos += System.nanoTime() - s;
                received += report.received();
                quarantined += report.quarantined();
                if (!"completed".equals(report.status())) {
                    throw new IllegalStateException("import for " + agency.getKey() + " ended " + report.status()
                            + ": " + report.fileError());
                }
                done++;
                if (System.nanoTime() - lastPrint > 10_000_000_000L) {
                    lastPrint = System.nanoTime();
                    System.err.printf(Locale.ROOT, "  %d of %d agency files, %,d records, %.0f s importing%n", done,
                            arrival.size(), received, importNanos / 1e9);
                }
            }
            double importSeconds = importNanos / 1e9;

            // Truth and the application's identities, compared here.
            Map<String, String> childOf = new HashMap<>();
            try (CsvReader<NamedCsvRecord> truth = CsvReader.builder().ofNamedCsvRecord(population.resolve("truth/record_truth.csv"))) {
                truth.forEach(t -> childOf.put(t.getField("agency_code") + "/" + t.getField("record_ref"), t.getField("child_id")));
            }
            Map<String, Long> perChild = new HashMap<>();
            Map<Long, Long> perIdentity = new HashMap<>();
            Map<String, Long> perBoth = new HashMap<>();
            long rows = 0;
            long withoutIdentity = 0;
            long withoutTruth = 0;
            try (Statement q = db.createStatement();
                 ResultSet rs = q.executeQuery("SELECT a.code, pr.record_ref, pr.identity_id FROM person_record pr "
                         + "JOIN agency a ON a.id = pr.agency_id")) {
                while (rs.next()) {
                    rows++;
                    String child = childOf.get(rs.getString(1) + "/" + rs.getString(2));
                    long identity = rs.getLong(3);
                    if (rs.wasNull()) {
                        withoutIdentity++;
                        identity = -rows; // a record without identity is alone
                    }
                    if (child == null) {
                        withoutTruth++;
                        continue;
                    }
                    perChild.merge(child, 1L, Long::sum);
                    perIdentity.merge(identity, 1L, Long::sum);
                    perBoth.merge(child + "|" + identity, 1L, Long::sum);
                }
            }
            long reviews;
            try (Statement q = db.createStatement(); ResultSet rs = q.executeQuery("SELECT count(*) FROM identity_review")) {
                rs.next();
                reviews = rs.getLong(1);
            }
            // Where the wrong pairs sit: identities holding records of more than one child, by size.
            Map<Long, Integer> childrenIn = new HashMap<>();
            for (String both : perBoth.keySet()) {
                childrenIn.merge(Long.parseLong(both.substring(both.indexOf('|') + 1)), 1, Integer::sum);
            }
            long mixed = 0;
            long mixedOfTwo = 0;
            long largest = 0;
            for (var e : perIdentity.entrySet()) {
                largest = Math.max(largest, e.getValue());
                if (childrenIn.get(e.getKey()) > 1) {
                    mixed++;
                    mixedOfTwo += e.getValue() == 2 ? 1 : 0;
                }
            }
            long truePairs = pairs(perChild.values());
            long predicted = pairs(perIdentity.values());
            long correct = pairs(perBoth.values());
            double precision = correct / (double) predicted;
            double recall = correct / (double) truePairs;
            double f1 = 2 * precision * recall / (precision + recall);

            long[][] batches = RESOLUTIONS.toArray(long[][]::new);
            long resolved = 0;
            long resolveMicros = 0;
            double[] perRecord = new double[batches.length];
            long[] batchMicros = new long[batches.length];
            for (int i = 0; i < batches.length; i++) {
                resolved += batches[i][0];
                resolveMicros += batches[i][1];
                perRecord[i] = batches[i][1] / (double) Math.max(1, batches[i][0]);
                batchMicros[i] = batches[i][1];
            }
            Arrays.sort(perRecord);
            Arrays.sort(batchMicros);
            System.out.printf(Locale.ROOT, "population %s: %,d person records in %,d agency files (batch %,d), truth for %,d%n",
                    population, received, arrival.size(), batch, childOf.size());
            System.out.printf(Locale.ROOT, "spring start %.1f s; import %.1f s = %,.0f records/s (import calls only, "
                    + "one agency file after another)%n", springSeconds, importSeconds, received / importSeconds);
            System.out.printf(Locale.ROOT, "online resolution (OnlineResolution DEBUG log, %,d resolutions of %,d records): "
                            + "%.1f s in all = %.3f ms per record on average; per-record mean within a resolution p50 %.3f ms, "
                            + "p99 %.3f ms, max %.3f ms; resolution of one batch p50 %.1f ms, p99 %.1f ms, max %.1f ms%n",
                    batches.length, resolved, resolveMicros / 1e6, resolveMicros / 1e3 / Math.max(1, resolved),
                    pct(perRecord, 0.5) / 1e3, pct(perRecord, 0.99) / 1e3, perRecord.length == 0 ? 0 : perRecord[perRecord.length - 1] / 1e3,
                    pctL(batchMicros, 0.5) / 1e3, pctL(batchMicros, 0.99) / 1e3,
                    batchMicros.length == 0 ? 0 : batchMicros[batchMicros.length - 1] / 1e3);
            System.out.printf(Locale.ROOT, "records in database %,d (without identity %d, without truth %d), quarantined %d, "
                            + "identities %,d (children in truth %,d), review pairs %,d%n", rows, withoutIdentity,
                    withoutTruth, quarantined, perIdentity.size(), perChild.size(), reviews);
            System.out.printf(Locale.ROOT, "ACCURACY truePairs=%d predictedPairs=%d correctPairs=%d precision=%.4f "
                    + "recall=%.4f f1=%.4f%n", truePairs, predicted, correct, precision, recall, f1);
            System.out.printf(Locale.ROOT, "identities holding more than one child %,d (%,d of them two records); largest "
                    + "identity %,d records%n", mixed, mixedOfTwo, largest);
            System.out.printf(Locale.ROOT, "whole driver %.1f s; heap in use at the end %,d MB of max %,d MB%n",
                    (System.nanoTime() - wallStart) / 1e9,
                    (Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()) >> 20,
                    Runtime.getRuntime().maxMemory() >> 20);
        } finally {
            if (started != null) {
                started.close();
            }
        }
    }

    private static void captureResolutionLog() {
        ch.qos.logback.classic.Logger logger =
                (ch.qos.logback.classic.Logger) LoggerFactory.getLogger("org.sightline.identity.OnlineResolution");
        logger.setLevel(Level.DEBUG);
        logger.setAdditive(false); // collected here, not printed
        AppenderBase<ILoggingEvent> collector = new AppenderBase<>() {
            @Override
            protected void append(ILoggingEvent event) {
                if (event.getMessage().startsWith("resolved {} records in {}")) {
                    Object[] a = event.getArgumentArray();
                    RESOLUTIONS.add(new long[] {((Number) a[0]).longValue(), ((Number) a[1]).longValue()});
                } else if (event.getLevel().isGreaterOrEqual(Level.INFO)) {
                    System.err.println("OnlineResolution: " + event.getFormattedMessage());
                }
            }
        };
        collector.setContext(logger.getLoggerContext());
        collector.start();
        logger.addAppender(collector);
    }

    private static double pct(double[] sorted, double p) {
        return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) (sorted.length * p))];
    }

    private static double pctL(long[] sorted, double p) {
        return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) (sorted.length * p))];
    }

    private static long pairs(Iterable<Long> groupSizes) {
        long n = 0;
        for (long size : groupSizes) {
            n += size * (size - 1) / 2;
        }
        return n;
    }
}
