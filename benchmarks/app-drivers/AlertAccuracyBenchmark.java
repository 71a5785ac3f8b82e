import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.NamedCsvRecord;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.sightline.operation.EmbeddedDatabase;

/**
 * Alert recall, precision and volume against the generator's truth (issue 8); run by benchmarks/alerts-benchmark.sh
 * on the classpath of the extracted application jar, against the demo's running embedded database. Everything is
 * computed here from the truth files and plain JDBC reads, not by the application.
 *
 * <ul>
 * <li>Drain: waits until alert_outbox is empty and every record is linked (the demo's worker has evaluated every
 * loaded child), printing how long that took from START_EPOCH_MS (else from now).</li>
 * <li>Recall: truly exploited children (truth/children.csv network_id) with at least one recorded missing episode or
 * exploitation concern, who received at least one alert (an alert anchored on any of their records).</li>
 * <li>Precision: alerted children who are truly exploited, or repeatedly missing (3 episodes starting on different
 * days within 90 days, by the truth child, whichever agency recorded them).</li>
 * <li>Volume: alerts per rule; alert deliveries per local authority per week over the alerts' period.</li>
 * </ul>
 *
 * <pre>java -cp 'APP/sightline.jar:APP/lib/*' AlertAccuracyBenchmark.java POPULATION_DIR DATA_DIR [START_EPOCH_MS]
 * java -cp ... AlertAccuracyBenchmark.java --drain-only DATA_DIR [START_EPOCH_MS]</pre>
 */
public final class AlertAccuracyBenchmark {

    public static void main(String[] args) throws Exception {
        boolean drainOnly = args[0].equals("--drain-only");
        Path data = Path.of(args[1]).toAbsolutePath();
        // The drain is timed from START_EPOCH_MS when given (the script's start of the import or demo), else from now.
        Instant start = args.length > 2 ? Instant.ofEpochMilli(Long.parseLong(args[2])) : Instant.now();
        String url = EmbeddedDatabase.runningIn(data.resolve("postgres"))
                .orElseThrow(() -> new IllegalStateException("no demo database running in " + data));
        try (Connection db = DriverManager.getConnection(url, EmbeddedDatabase.OWNER, password(data))) {
            // Done when the outbox is empty and every record is linked (the demo's background relink writes rows too),
            // seen twice 1 s apart.
            int emptyTwice = 0;
            long rows = 0;
            while (emptyTwice < 2) {
                Thread.sleep(1000);
                long left = single(db, "SELECT count(*) FROM alert_outbox");
                long unlinked = drainOnly ? 0 : single(db, "SELECT count(*) FROM person_record WHERE identity_id IS NULL");
                emptyTwice = left == 0 && unlinked == 0 ? emptyTwice + 1 : 0;
                rows = Math.max(rows, left);
                System.err.printf(Locale.ROOT, "  %s outbox: %,d rows; unlinked records: %,d%n", Instant.now(), left,
                        unlinked);
            }
            long written = single(db, "SELECT last_value FROM alert_outbox_id_seq");
            System.out.printf(Locale.ROOT, "outbox drained %.1f s after the start (%,d outbox rows written in all; at most "
                    + "%,d waiting at once)%n", (Duration.between(start, Instant.now()).toMillis() - 1000) / 1000.0,
                    written, rows);
            if (drainOnly) {
                return;
            }
            Path population = Path.of(args[0]);
            Map<String, String> childOfRecord = new HashMap<>();
            try (CsvReader<NamedCsvRecord> truth = CsvReader.builder()
                    .ofNamedCsvRecord(population.resolve("truth/record_truth.csv"))) {
                truth.forEach(t -> childOfRecord.put(t.getField("agency_code") + "/" + t.getField("record_ref"),
                        t.getField("child_id")));
            }
            Set<String> exploited = new HashSet<>();
            try (CsvReader<NamedCsvRecord> children = CsvReader.builder()
                    .ofNamedCsvRecord(population.resolve("truth/children.csv"))) {
                children.forEach(c -> {
                    if (!c.getField("network_id").isBlank()) {
                        exploited.add(c.getField("child_id"));
                    }
                });
            }
            // Children with something recorded, and each child's episode start days.
            Set<String> recorded = new HashSet<>();
            Map<String, List<Instant>> starts = new HashMap<>();
            try (Statement q = db.createStatement(); ResultSet rs = q.executeQuery("""
                    SELECT a.code, pr.record_ref, coalesce(e.last_seen_at, e.reported_at) FROM missing_episode e
                    JOIN person_record pr ON pr.id = e.person_record_id JOIN agency a ON a.id = pr.agency_id
                    WHERE e.category = 'missing'""")) {
                while (rs.next()) {
                    String child = childOfRecord.get(rs.getString(1) + "/" + rs.getString(2));
                    if (child != null) {
                        recorded.add(child);
                        starts.computeIfAbsent(child, k -> new ArrayList<>()).add(rs.getTimestamp(3).toInstant());
                    }
                }
            }
            try (Statement q = db.createStatement(); ResultSet rs = q.executeQuery("""
                    SELECT a.code, pr.record_ref FROM exploitation_concern c
                    JOIN person_record pr ON pr.id = c.person_record_id JOIN agency a ON a.id = pr.agency_id""")) {
                while (rs.next()) {
                    String child = childOfRecord.get(rs.getString(1) + "/" + rs.getString(2));
                    if (child != null) {
                        recorded.add(child);
                    }
                }
            }
            Set<String> repeat = new HashSet<>();
            starts.forEach((child, list) -> {
                List<java.time.LocalDate> days = list.stream()
                        .map(i -> i.atZone(java.time.ZoneId.of("Europe/London")).toLocalDate()).distinct().sorted()
                        .toList();
                for (int i = 2; i < days.size(); i++) {
                    if (!days.get(i - 2).plusDays(90).isBefore(days.get(i))) {
                        repeat.add(child);
                        break;
                    }
                }
            });
            Set<String> alerted = new HashSet<>();
            Map<String, Long> perRule = new TreeMap<>();
            Map<String, Set<String>> alertedByRule = new TreeMap<>();
            try (Statement q = db.createStatement(); ResultSet rs = q.executeQuery("""
                    SELECT a.code, x.record_ref, al.rule FROM alert al JOIN person_record anchor ON anchor.id = al.person_record_id
                    JOIN person_record x ON x.identity_id = anchor.identity_id OR x.id = anchor.id
                    JOIN agency a ON a.id = x.agency_id""")) {
                while (rs.next()) {
                    String child = childOfRecord.get(rs.getString(1) + "/" + rs.getString(2));
                    if (child != null) {
                        alerted.add(child);
                        alertedByRule.computeIfAbsent(rs.getString(3), k -> new HashSet<>()).add(child);
                    }
                }
            }
            try (Statement q = db.createStatement(); ResultSet rs = q.executeQuery(
                    "SELECT rule, count(*) FROM alert GROUP BY rule")) {
                while (rs.next()) {
                    perRule.put(rs.getString(1), rs.getLong(2));
                }
            }
            Set<String> exploitedRecorded = new HashSet<>(exploited);
            exploitedRecorded.retainAll(recorded);
            Set<String> found = new HashSet<>(exploitedRecorded);
            found.retainAll(alerted);
            long truePositive = alerted.stream().filter(c -> exploited.contains(c) || repeat.contains(c)).count();
            System.out.printf(Locale.ROOT, "children truly exploited: %,d; with an episode or concern recorded: %,d%n",
                    exploited.size(), exploitedRecorded.size());
            System.out.printf(Locale.ROOT, "recall: %.3f (%,d of %,d received at least one alert)%n",
                    exploitedRecorded.isEmpty() ? 0 : (double) found.size() / exploitedRecorded.size(), found.size(),
                    exploitedRecorded.size());
            System.out.printf(Locale.ROOT, "precision: %.3f (%,d of %,d alerted children truly exploited or repeatedly "
                    + "missing)%n", alerted.isEmpty() ? 0 : (double) truePositive / alerted.size(), truePositive,
                    alerted.size());
            // Per rule: its alerts, the children it alerted on, and the share of those truly exploited or repeatedly
            // missing; "only" counts the children no other rule alerted on (what switching the rule off would lose).
            System.out.printf(Locale.ROOT, "  %-22s %9s %9s %9s %9s %9s%n", "rule", "alerts", "children", "precision",
                    "only", "only-true");
            perRule.forEach((rule, n) -> {
                Set<String> children = alertedByRule.getOrDefault(rule, Set.of());
                long right = children.stream().filter(c -> exploited.contains(c) || repeat.contains(c)).count();
                List<String> only = children.stream()
                        .filter(c -> alertedByRule.entrySet().stream()
                                .noneMatch(e -> !e.getKey().equals(rule) && e.getValue().contains(c)))
                        .toList();
                long onlyRight = only.stream().filter(c -> exploited.contains(c) || repeat.contains(c)).count();
                System.out.printf(Locale.ROOT, "  %-22s %,9d %,9d %9.3f %,9d %,9d%n", rule, n, children.size(),
                        children.isEmpty() ? 0 : (double) right / children.size(), only.size(), onlyRight);
            });
            long deliveries = single(db, """
                    SELECT count(*) FROM alert_recipient r JOIN agency a ON a.id = r.agency_id
                    WHERE a.agency_type = 'local_authority'""");
            long authorities = single(db, """
                    SELECT count(DISTINCT r.agency_id) FROM alert_recipient r JOIN agency a ON a.id = r.agency_id
                    WHERE a.agency_type = 'local_authority'""");
            double weeks = single(db, "SELECT coalesce(extract(epoch FROM max(occurred_at) - min(occurred_at)), 0)::bigint "
                    + "FROM alert") / (7 * 24 * 3600.0);
            System.out.printf(Locale.ROOT, "alerts to authorities: %,d to %,d authorities over %.0f weeks: %.1f per "
                    + "authority per week%n", deliveries, authorities, weeks,
                    authorities == 0 || weeks == 0 ? 0 : deliveries / (double) authorities / weeks);
            List<Long> perAuthority = new ArrayList<>();
            try (Statement q = db.createStatement(); ResultSet rs = q.executeQuery("""
                    SELECT count(*) FROM alert_recipient r JOIN agency a ON a.id = r.agency_id
                    WHERE a.agency_type = 'local_authority' GROUP BY r.agency_id ORDER BY 1""")) {
                while (rs.next()) {
                    perAuthority.add(rs.getLong(1));
                }
            }
            if (!perAuthority.isEmpty() && weeks > 0) {
                System.out.printf(Locale.ROOT, "per authority per week: median %.1f, 90th percentile %.1f, busiest %.1f%n",
                        perAuthority.get(perAuthority.size() / 2) / weeks,
                        perAuthority.get((int) (perAuthority.size() * 0.9)) / weeks,
                        perAuthority.get(perAuthority.size() - 1) / weeks);
            }
            // A steady year: deliveries whose cause falls in the last 52 weeks of the population's history, per
            // authority that received any in that year.
            try (Statement q = db.createStatement(); ResultSet rs = q.executeQuery("""
                    SELECT count(*), count(DISTINCT r.agency_id) FROM alert_recipient r JOIN agency a ON a.id = r.agency_id
                    JOIN alert al ON al.id = r.alert_id
                    WHERE a.agency_type = 'local_authority'
                      AND al.occurred_at > (SELECT max(occurred_at) FROM alert) - interval '52 weeks'""")) {
                rs.next();
                long lastYear = rs.getLong(1);
                long receiving = rs.getLong(2);
                System.out.printf(Locale.ROOT, "last 52 weeks of the history: %,d deliveries to %,d authorities: %.1f per "
                        + "authority per week%n", lastYear, receiving, receiving == 0 ? 0 : lastYear / (double) receiving / 52);
            }
            System.out.printf(Locale.ROOT, "alerted children: %,d of %,d children with an episode or concern recorded%n",
                    alerted.size(), recorded.size());
        }
    }

    /** The demo's database password (DemoFolder keeps it next to the cluster); none for a test-style cluster. */
    private static String password(Path data) throws java.io.IOException {
        Path file = data.resolve("postgres.password");
        return java.nio.file.Files.exists(file) ? java.nio.file.Files.readString(file).strip() : "";
    }

    private static long single(Connection db, String sql) throws Exception {
        try (Statement q = db.createStatement(); ResultSet rs = q.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
