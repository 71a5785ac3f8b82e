package org.sightline.statistics;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.ObjectMapper;

/**
 * Issue 9 part 4: completeness of the reportable fields by agency, timeliness (report delay, return interviews within
 * 72 hours), rows waiting in import quarantine, and the checks defined as data in {@code statistics/checks.json}
 * (SQL and text, versioned with the application: a new check needs no Java). A check's query runs as a subquery,
 * where PostgreSQL refuses a statement that writes.
 *
 * <p>Issue 9 part 8: the figures are kept per agency ({@code stat_quality_count}, {@code stat_quality_timeliness}), so
 * a page reads a row or two per agency instead of every record, episode and concern of the area. Triggers queue the
 * agencies a change touches ({@code stat_dirty_agency}, in the change's own transaction) and a refresh, before each
 * page and every few seconds, counts those agencies again with the same queries that compute the figures from the
 * records. A check's figures depend on the tables the triggers watch (person records, episodes, concerns, an agency's
 * kind) and, for checks using {@code :now}, on the time: those are counted again every {@link #TIMED_CHECKS_EVERY}, and
 * the page says when they last were.
 */
@Service
public class DataQuality {

    /** A check as the file defines it. */
    public record Check(String code, String title, String description, String sql) {}

    record CheckFile(String version, String about, List<Check> checks) {}

    /** Per agency: records held and, per field, how many have it recorded (anything but "not recorded"). */
    public record Completeness(String code, String name, long records, Map<String, Long> recorded) {}

    /** Per agency: episodes, the median hours from last seen to reported, and return interviews within 72 hours. */
    public record Timeliness(
            String code,
            String name,
            boolean authority,
            long episodes,
            Double medianReportDelayHours,
            long found,
            long interviewWithin72Hours,
            long quarantined) {}

    /** Fields of completeness, in order: the column of person_record and the SQL that says it is recorded. */
    static final Map<String, String> FIELDS = new LinkedHashMap<>();

    static {
        FIELDS.put("sex", "pr.sex <> 'not_recorded'");
        FIELDS.put("dob", "pr.dob_year IS NOT NULL");
        FIELDS.put("ethnicity", "pr.ethnicity_status <> 'not_recorded'");
        FIELDS.put("care_status", "pr.care_status <> 'not_recorded'");
        FIELDS.put("cp_plan", "pr.cp_plan <> 'not_recorded'");
        FIELDS.put("known_to_social_care", "pr.known_to_social_care <> 'not_recorded'");
        FIELDS.put("reported_missing", "pr.reported_missing <> 'not_recorded'");
    }

    private static final Logger LOG = LoggerFactory.getLogger(DataQuality.class);

    private final JdbcClient jdbc;
    private final Clock clock;
    private final CheckFile checks;
    private final TransactionTemplate tx;
    private final TransactionTemplate reading;
    /** The same database, reading with a cursor (a rebuild streams every episode). */
    private final JdbcClient streaming;

    DataQuality(
            JdbcClient jdbc,
            javax.sql.DataSource dataSource,
            ObjectMapper json,
            Clock clock,
            PlatformTransactionManager transactions) {
        this.jdbc = jdbc;
        org.springframework.jdbc.core.JdbcTemplate cursor = new org.springframework.jdbc.core.JdbcTemplate(dataSource);
        cursor.setFetchSize(5_000);
        this.streaming = JdbcClient.create(cursor);
        this.clock = clock;
        this.tx = new TransactionTemplate(transactions);
        this.tx.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        this.reading = new TransactionTemplate(transactions);
        this.reading.setReadOnly(true);
        try (InputStream in = DataQuality.class.getResourceAsStream("/statistics/checks.json")) {
            this.checks = json.readValue(in, CheckFile.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String checksVersion() {
        return checks.version();
    }

    public List<Check> checks() {
        return checks.checks();
    }

    /** The view's three tables and, when read from the kept counts, when the checks that depend on the time last ran. */
    public record Report(
            List<Completeness> completeness,
            List<Timeliness> timeliness,
            Map<String, Map<String, Long>> checkFailures,
            Instant timedChecksAt) {}

    private record Agency(long id, String code, String name, boolean authority) {}

    private record Timing(long episodes, Double medianDelayHours, long found, long within72) {}

    /**
     * The area's data quality: from the counts kept per agency when they are built (after applying what is queued),
     * else computed from the records. Timeliness is kept for the standard periods and for all time; another period is
     * computed from the area's episodes.
     */
    public Report report(ProfileQuery q) {
        return report(q, true);
    }

    /** The area's data quality computed from the records, as when the counts are not built. */
    Report computed(ProfileQuery q) {
        return report(q, false);
    }

    private Report report(ProfileQuery q, boolean fromKept) {
        List<Agency> agencies = jdbc.sql("SELECT a.id, a.code, a.name, a.agency_type = 'local_authority' FROM agency a"
                        + " WHERE " + Profiles.AREA_SQL + " ORDER BY a.name, a.code")
                .params(Profiles.params(q))
                .query((rs, n) -> new Agency(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getBoolean(4)))
                .list();
        Long[] ids = agencies.stream().map(Agency::id).toArray(Long[]::new);
        Optional<String> period =
                q.from() == null && q.to() == null ? Optional.of(ALL_TIME) : MissingAggregate.period(q.from(), q.to());
        Optional<Instant> kept = fromKept ? builtAt() : Optional.empty();
        if (kept.isPresent()
                && jdbc.sql("SELECT EXISTS (SELECT 1 FROM stat_dirty_agency)")
                        .query(Boolean.class)
                        .single()) {
            refresh();
            kept = builtAt(); // a rebuild may have run meanwhile
        }
        Map<Long, long[]> completeness;
        Map<Long, Timing> timing;
        Map<String, Map<Long, Long>> failures;
        if (kept.isPresent()) {
            completeness = keptCompleteness(ids);
            timing = period.isPresent() ? keptTimeliness(ids, period.get()) : timeliness(ids, q);
            failures = keptFailures(ids);
        } else {
            completeness = completeness(ids);
            timing = timeliness(ids, q);
            failures = new HashMap<>();
            checks.checks().forEach(c -> failures.put(c.code(), failures(c, ids)));
        }
        Map<Long, Long> quarantined = quarantined(ids);
        List<Completeness> completenessRows = new ArrayList<>();
        List<Timeliness> timelinessRows = new ArrayList<>();
        Map<String, Map<String, Long>> failureRows = new LinkedHashMap<>();
        checks.checks().forEach(c -> failureRows.put(c.code(), new LinkedHashMap<>()));
        for (Agency a : agencies) {
            long[] c = completeness.get(a.id());
            if (c != null && c[0] > 0) {
                Map<String, Long> recorded = new LinkedHashMap<>();
                int i = 1;
                for (String f : FIELDS.keySet()) {
                    recorded.put(f, c[i++]);
                }
                completenessRows.add(new Completeness(a.code(), a.name(), c[0], recorded));
            }
            Timing t = timing.get(a.id());
            if (t != null && t.episodes() > 0) {
                timelinessRows.add(new Timeliness(
                        a.code(),
                        a.name(),
                        a.authority(),
                        t.episodes(),
                        t.medianDelayHours(),
                        t.found(),
                        t.within72(),
                        quarantined.getOrDefault(a.id(), 0L)));
            }
            failures.forEach((check, byAgency) -> {
                Long n = byAgency.get(a.id());
                if (n != null && n > 0) {
                    failureRows.get(check).put(a.code(), n);
                }
            });
        }
        return new Report(completenessRows, timelinessRows, failureRows, kept.orElse(null));
    }

    // ---- computed from the records, for the given agencies ----

    /** Per agency: records, then how many have each of {@link #FIELDS} recorded. */
    private Map<Long, long[]> completeness(Long[] agencies) {
        StringBuilder cols = new StringBuilder();
        FIELDS.forEach(
                (f, sql) -> cols.append(", count(*) FILTER (WHERE ").append(sql).append(')'));
        Map<Long, long[]> out = new HashMap<>();
        jdbc.sql("SELECT pr.agency_id, count(*)" + cols
                        + " FROM person_record pr WHERE pr.agency_id = ANY(?) GROUP BY pr.agency_id")
                .param(agencies)
                .query(rs -> {
                    long[] n = new long[FIELDS.size() + 1];
                    for (int i = 0; i < n.length; i++) {
                        n[i] = rs.getLong(i + 2);
                    }
                    out.put(rs.getLong(1), n);
                });
        return out;
    }

    /**
     * Timeliness per agency and period, from one pass over the agencies' episodes reported in [from, to) (either may
     * be null): each episode counts in {@code keys(day)}, its London reporting day's periods. The median of an even
     * number of delays is the mean of the middle two, as PostgreSQL's {@code percentile_cont(0.5)} has it.
     */
    private Map<Long, Map<String, Timing>> timeliness(
            Long[] agencies, Timestamp from, Timestamp to, java.util.function.Function<LocalDate, List<String>> keys) {
        Map<Long, Map<String, Timed>> timed = new HashMap<>();
        reading.executeWithoutResult(status -> streaming // a cursor needs a transaction
                .sql(
                        """
                SELECT e.agency_id, CAST(e.reported_at AT TIME ZONE 'Europe/London' AS date),
                       CAST(extract(epoch FROM e.reported_at - e.last_seen_at) / 3600 AS double precision),
                       e.found_at IS NOT NULL,
                       e.return_interview_status IN ('completed', 'declined')
                           AND e.return_interview_at <= e.found_at + interval '72 hours'
                FROM missing_episode e WHERE e.agency_id = ANY(:agencies)
                  AND (CAST(:from AS timestamptz) IS NULL OR e.reported_at >= :from)
                  AND (CAST(:to AS timestamptz) IS NULL OR e.reported_at < :to)""")
                .param("agencies", agencies)
                .param("from", from)
                .param("to", to)
                .query(rs -> {
                    Map<String, Timed> periods = timed.computeIfAbsent(rs.getLong(1), k -> new HashMap<>());
                    double delay = rs.getDouble(3);
                    boolean hasDelay = !rs.wasNull();
                    boolean found = rs.getBoolean(4);
                    boolean within72 = rs.getBoolean(5);
                    for (String key : keys.apply(rs.getObject(2, LocalDate.class))) {
                        periods.computeIfAbsent(key, k -> new Timed()).add(hasDelay, delay, found, within72);
                    }
                }));
        Map<Long, Map<String, Timing>> out = new HashMap<>();
        timed.forEach((agency, periods) -> {
            Map<String, Timing> byPeriod = new HashMap<>();
            periods.forEach((key, t) -> byPeriod.put(key, t.timing()));
            out.put(agency, byPeriod);
        });
        return out;
    }

    /** One agency's episodes of one period, as they stream past. */
    private static final class Timed {
        private long episodes;
        private long found;
        private long within72;
        private double[] delays = new double[16];
        private int delayCount;

        void add(boolean hasDelay, double delay, boolean isFound, boolean isWithin72) {
            episodes++;
            found += isFound ? 1 : 0;
            within72 += isWithin72 ? 1 : 0;
            if (hasDelay) {
                if (delayCount == delays.length) {
                    delays = java.util.Arrays.copyOf(delays, delayCount * 2);
                }
                delays[delayCount++] = delay;
            }
        }

        Timing timing() {
            Double median = null;
            if (delayCount > 0) {
                java.util.Arrays.sort(delays, 0, delayCount);
                double lo = delays[(delayCount - 1) / 2];
                double hi = delays[delayCount / 2];
                median = lo + (hi - lo) * 0.5;
            }
            return new Timing(episodes, median, found, within72);
        }
    }

    private Map<Long, Timing> timeliness(Long[] agencies, ProfileQuery q) {
        Map<String, Object> p = Profiles.params(q);
        Map<Long, Timing> out = new HashMap<>();
        timeliness(agencies, (Timestamp) p.get("from"), (Timestamp) p.get("to"), day -> List.of(ALL_TIME))
                .forEach((agency, periods) -> out.put(agency, periods.get(ALL_TIME)));
        return out;
    }

    private static Timing timing(java.sql.ResultSet rs, int first) throws java.sql.SQLException {
        return new Timing(
                rs.getLong(first), (Double) rs.getObject(first + 1), rs.getLong(first + 2), rs.getLong(first + 3));
    }

    /** A check's failures per agency, for the given agencies (those with none left out). */
    private Map<Long, Long> failures(Check check, Long[] agencies) {
        Map<Long, Long> out = new HashMap<>();
        jdbc.sql("SELECT c.agency_id, c.failures FROM (" + check.sql()
                        + ") c WHERE c.agency_id = ANY(:agencies) AND c.failures > 0")
                .param("now", Timestamp.from(clock.instant()))
                .param("agencies", agencies)
                .query(rs -> {
                    out.put(rs.getLong(1), rs.getLong(2));
                });
        return out;
    }

    private Map<Long, Long> quarantined(Long[] agencies) {
        Map<Long, Long> out = new HashMap<>();
        jdbc.sql(
                        """
                SELECT ir.agency_id, count(*) FROM import_quarantine iq JOIN import_run ir ON ir.id = iq.run_id
                WHERE ir.agency_id = ANY(?) AND iq.status = 'quarantined' GROUP BY ir.agency_id""")
                .param(agencies)
                .query(rs -> {
                    out.put(rs.getLong(1), rs.getLong(2));
                });
        return out;
    }

    // ---- kept per agency (issue 9 part 8) ----

    /** Change it when what is kept, or how, changes: the counts are rebuilt (as when checks.json's version changes). */
    static final int VERSION = 1;

    static final String ALL_TIME = "ALL";
    /** Checks that use {@code :now} change with the clock alone: they are recounted for every agency this often. */
    static final Duration TIMED_CHECKS_EVERY = Duration.ofMinutes(15);

    private String stateName() {
        return "quality:" + checks.version();
    }

    /** When the kept counts' timed checks were last counted, if the counts are built with this version and file. */
    private Optional<Instant> builtAt() {
        return AggregateState.builtAt(jdbc, stateName(), VERSION);
    }

    private Map<Long, long[]> keptCompleteness(Long[] agencies) {
        Map<String, Integer> column = new HashMap<>();
        column.put("records", 0);
        int i = 1;
        for (String f : FIELDS.keySet()) {
            column.put("field:" + f, i++);
        }
        Map<Long, long[]> out = new HashMap<>();
        jdbc.sql("SELECT agency_id, measure, n FROM stat_quality_count WHERE agency_id = ANY(?)"
                        + " AND (measure = 'records' OR measure LIKE 'field:%')")
                .param(agencies)
                .query(rs -> {
                    Integer c = column.get(rs.getString(2));
                    if (c != null) {
                        out.computeIfAbsent(rs.getLong(1), k -> new long[FIELDS.size() + 1])[c] = rs.getLong(3);
                    }
                });
        return out;
    }

    private Map<Long, Timing> keptTimeliness(Long[] agencies, String period) {
        Map<Long, Timing> out = new HashMap<>();
        jdbc.sql("SELECT agency_id, episodes, median_delay, found, within72 FROM stat_quality_timeliness"
                        + " WHERE agency_id = ANY(?) AND period = ?")
                .params(agencies, period)
                .query(rs -> {
                    out.put(rs.getLong(1), timing(rs, 2));
                });
        return out;
    }

    private Map<String, Map<Long, Long>> keptFailures(Long[] agencies) {
        Map<String, Map<Long, Long>> out = new HashMap<>();
        checks.checks().forEach(c -> out.put(c.code(), new HashMap<>()));
        jdbc.sql("SELECT agency_id, substr(measure, 7), n FROM stat_quality_count WHERE agency_id = ANY(?)"
                        + " AND measure LIKE 'check:%'")
                .param(agencies)
                .query(rs -> {
                    Map<Long, Long> byAgency = out.get(rs.getString(2));
                    if (byAgency != null) {
                        byAgency.put(rs.getLong(1), rs.getLong(3));
                    }
                });
        return out;
    }

    /**
     * Keeps the counts current: builds them when missing or built by another version or checks file, recounts the
     * queued agencies, and recounts the timed checks when they are due.
     */
    @Scheduled(
            fixedDelayString = "${sightline.statistics.refresh:5s}",
            initialDelayString = "${sightline.statistics.refresh:5s}")
    void poll() {
        try {
            Optional<Instant> built = builtAt();
            if (built.isEmpty()) {
                rebuild();
                return;
            }
            refresh();
            if (built.get().isBefore(clock.instant().minus(TIMED_CHECKS_EVERY))) {
                recountTimedChecks();
            }
        } catch (RuntimeException e) {
            LOG.warn("data-quality refresh failed; the queue keeps its rows for the next one: {}", e.getMessage());
        }
    }

    /** Counts every agency again, in one transaction (pages compute from the records until it commits). */
    public void rebuild() {
        tx.executeWithoutResult(s -> {
            lock();
            jdbc.sql("DELETE FROM stat_dirty_agency").update();
            jdbc.sql("TRUNCATE stat_quality_count, stat_quality_timeliness").update();
            recount(jdbc.sql("SELECT id FROM agency").query(Long.class).list().toArray(Long[]::new));
            jdbc.sql("DELETE FROM stat_aggregate_state WHERE name LIKE 'quality:%'")
                    .update();
            AggregateState.built(jdbc, stateName(), VERSION, clock.instant());
        });
    }

    /** Recounts the agencies queued by the triggers; returns how many. */
    public int refresh() {
        Integer n = tx.execute(s -> {
            lock();
            if (builtAt().isEmpty()) {
                return 0; // a rebuild is due, and counts everything
            }
            Long[] agencies =
                    jdbc.sql("DELETE FROM stat_dirty_agency RETURNING agency_id").query(Long.class).list().stream()
                            .distinct()
                            .toArray(Long[]::new);
            if (agencies.length > 0) {
                recount(agencies);
            }
            return agencies.length;
        });
        return n == null ? 0 : n;
    }

    /** Recounts, for every agency, the checks that depend on the time, and records when. */
    void recountTimedChecks() {
        tx.executeWithoutResult(s -> {
            lock();
            Long[] all =
                    jdbc.sql("SELECT id FROM agency").query(Long.class).list().toArray(Long[]::new);
            for (Check c : checks.checks()) {
                if (c.sql().contains(":now")) {
                    jdbc.sql("DELETE FROM stat_quality_count WHERE measure = ?")
                            .param("check:" + c.code())
                            .update();
                    insert(failures(c, all), "check:" + c.code());
                }
            }
            AggregateState.built(jdbc, stateName(), VERSION, clock.instant());
        });
    }

    /** One refresh, rebuild or recount at a time: each starts from what the one before it wrote. */
    private void lock() {
        jdbc.sql("SELECT pg_advisory_xact_lock(hashtext('stat_quality'))")
                .query()
                .singleRow();
    }

    private void recount(Long[] agencies) {
        jdbc.sql("DELETE FROM stat_quality_count WHERE agency_id = ANY(?)")
                .param(agencies)
                .update();
        jdbc.sql("DELETE FROM stat_quality_timeliness WHERE agency_id = ANY(?)")
                .param(agencies)
                .update();
        Map<Long, long[]> completeness = completeness(agencies);
        List<Long> ids = new ArrayList<>();
        List<String> measures = new ArrayList<>();
        List<Long> counts = new ArrayList<>();
        completeness.forEach((agency, n) -> {
            int i = 0;
            ids.add(agency);
            measures.add("records");
            counts.add(n[i++]);
            for (String f : FIELDS.keySet()) {
                ids.add(agency);
                measures.add("field:" + f);
                counts.add(n[i++]);
            }
        });
        insert(ids, measures, counts);
        for (Check c : checks.checks()) {
            insert(failures(c, agencies), "check:" + c.code());
        }
        // Every episode counts in all time and in the standard periods of its London reporting day.
        List<Long> ids2 = new ArrayList<>();
        List<String> periods = new ArrayList<>();
        List<Long> episodes = new ArrayList<>();
        List<Double> medians = new ArrayList<>();
        List<Long> found = new ArrayList<>();
        List<Long> within72 = new ArrayList<>();
        timeliness(agencies, null, null, day -> {
                    List<String> keys = new ArrayList<>(MissingAggregate.periods(day));
                    keys.add(ALL_TIME);
                    return keys;
                })
                .forEach((agency, byPeriod) -> byPeriod.forEach((period, t) -> {
                    ids2.add(agency);
                    periods.add(period);
                    episodes.add(t.episodes());
                    medians.add(t.medianDelayHours());
                    found.add(t.found());
                    within72.add(t.within72());
                }));
        jdbc.sql(
                        """
                INSERT INTO stat_quality_timeliness (agency_id, period, episodes, median_delay, found, within72)
                SELECT * FROM unnest(CAST(? AS bigint[]), CAST(? AS text[]), CAST(? AS bigint[]),
                                     CAST(? AS float8[]), CAST(? AS bigint[]), CAST(? AS bigint[]))""")
                .params(
                        ids2.toArray(Long[]::new),
                        periods.toArray(String[]::new),
                        episodes.toArray(Long[]::new),
                        medians.toArray(Double[]::new),
                        found.toArray(Long[]::new),
                        within72.toArray(Long[]::new))
                .update();
    }

    private void insert(Map<Long, Long> byAgency, String measure) {
        List<Long> ids = new ArrayList<>(byAgency.keySet());
        insert(
                ids,
                java.util.Collections.nCopies(ids.size(), measure),
                ids.stream().map(byAgency::get).toList());
    }

    private void insert(List<Long> agencies, List<String> measures, List<Long> counts) {
        if (agencies.isEmpty()) {
            return;
        }
        jdbc.sql("INSERT INTO stat_quality_count (agency_id, measure, n)"
                        + " SELECT * FROM unnest(CAST(? AS bigint[]), CAST(? AS text[]), CAST(? AS bigint[]))")
                .params(agencies.toArray(Long[]::new), measures.toArray(String[]::new), counts.toArray(Long[]::new))
                .update();
    }
}
