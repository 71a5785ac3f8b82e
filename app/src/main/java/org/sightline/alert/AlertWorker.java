package org.sightline.alert;

import jakarta.annotation.PreDestroy;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Drains the alert outbox (rows written by triggers in the same transaction as each change, V0600): resolves the
 * changed subjects to children (taking the later rows about the same children too), decides each child once per
 * batch in memory, writes what the batch's children raised with a fixed number of statements, and deletes the rows,
 * all in one transaction.
 * Rows are claimed with SKIP LOCKED, so several processes on one database (the server, an import command) share the work; a process
 * killed mid-batch leaves its rows for the next drain, and the unique cause key keeps a re-evaluation from raising
 * anything twice. A scheduled pass queues the children whose time thresholds (24 hours missing, 72 hours to the
 * return interview) passed since the last pass, by the injected clock.
 */
@Component
@EnableConfigurationProperties({AlertProperties.class, AlertMail.AlertMailProperties.class})
class AlertWorker {

    private static final Logger LOG = LoggerFactory.getLogger(AlertWorker.class);
    /** Outbox rows per batch: large, so that the many rows one import writes for a child collapse into one evaluation. */
    static final int BATCH = 1000;
    /** How far back the first time pass looks. */
    static final Duration FIRST_PASS = Duration.ofDays(30);

    private final JdbcClient jdbc;
    private final AlertEvaluator evaluator;
    private final FactsLoader loader;
    private final AlertProperties properties;
    private final AlertSettings settings;
    private final TransactionTemplate tx;
    private final TransactionTemplate savepoint;
    private final Clock clock;
    /** Tests pause the background drain to look at the outbox between a change and its evaluation. */
    private final AtomicBoolean paused = new AtomicBoolean();
    /** The extra batches of a backlog's drain (daemon threads: a process never waits on them to exit). */
    private final ExecutorService helpers = Executors.newCachedThreadPool(helperThreads());

    AlertWorker(
            JdbcClient jdbc,
            AlertEvaluator evaluator,
            FactsLoader loader,
            AlertProperties properties,
            AlertSettings settings,
            PlatformTransactionManager transactions,
            Clock clock) {
        this.jdbc = jdbc;
        this.evaluator = evaluator;
        this.loader = loader;
        this.properties = properties;
        this.settings = settings;
        this.tx = new TransactionTemplate(transactions);
        this.savepoint = new TransactionTemplate(transactions);
        this.savepoint.setPropagationBehavior(TransactionDefinition.PROPAGATION_NESTED);
        this.clock = clock;
    }

    void pause(boolean pause) {
        paused.set(pause);
    }

    @Scheduled(fixedDelayString = "${sightline.alerts.poll:1s}", initialDelayString = "${sightline.alerts.poll:1s}")
    void poll() {
        if (!properties.enabled() || paused.get()) {
            return;
        }
        try {
            drain();
        } catch (RuntimeException e) {
            LOG.warn("alert evaluation failed; the outbox keeps its rows for the next drain: {}", e.getMessage());
        }
    }

    @Scheduled(
            fixedDelayString = "${sightline.alerts.time-pass:5m}",
            initialDelayString = "${sightline.alerts.poll:1s}")
    void scheduledTimePass() {
        if (!properties.enabled() || paused.get()) {
            return;
        }
        try {
            timePass();
        } catch (RuntimeException e) {
            LOG.warn("alert time pass failed; the next pass covers the same period: {}", e.getMessage());
        }
    }

    /** Drains the whole outbox; returns the alerts raised. */
    int drain() {
        return drain(properties.drainWorkers());
    }

    /**
     * Drains the whole outbox with up to {@code workers} batches at once once a full batch shows a backlog (after an
     * import), each on its own connection: SKIP LOCKED gives them different rows, and the unique cause key keeps a
     * child two batches both name from raising anything twice. One batch at a time uses one core; on two cores the
     * backlog of a 100,000-episode import otherwise waited on one while the other stood idle.
     */
    int drain(int workers) {
        Batch first = drainBatch();
        if (first.rows() < BATCH) {
            return first.raised();
        }
        List<CompletableFuture<Integer>> others = new ArrayList<>();
        for (int i = 1; i < workers; i++) {
            others.add(CompletableFuture.supplyAsync(this::drainSerially, helpers));
        }
        int raised = first.raised() + drainSerially();
        for (CompletableFuture<Integer> other : others) {
            raised += other.join();
        }
        return raised;
    }

    /** Batch after batch until one comes up short. */
    private int drainSerially() {
        int raised = 0;
        Batch batch;
        do {
            batch = drainBatch();
            raised += batch.raised();
        } while (batch.rows() >= BATCH);
        return raised;
    }

    private static CustomizableThreadFactory helperThreads() {
        CustomizableThreadFactory threads = new CustomizableThreadFactory("alert-worker-");
        threads.setDaemon(true);
        return threads;
    }

    @PreDestroy
    void stopHelpers() {
        helpers.shutdown();
    }

    /**
     * What one batch did: outbox rows taken (with the later rows about the same children), children evaluated, alerts
     * raised.
     */
    record Batch(int rows, int children, int raised) {}

    /**
     * One batch: claims up to {@link #BATCH} outbox rows (SKIP LOCKED, so concurrent drains take different rows),
     * collapses them to the distinct children concerned, loads all their facts with one set of queries and evaluates
     * each child once, however many of the rows were about it; then deletes the rows, all in one transaction.
     */
    Batch drainBatch() {
        return tx.execute(status -> {
            record Row(long id, String kind, long subject) {}
            List<Row> rows = jdbc.sql(
                            """
                    SELECT id, subject_kind, subject_id FROM alert_outbox ORDER BY id LIMIT ? FOR UPDATE SKIP LOCKED""")
                    .param(BATCH)
                    .query((rs, n) -> new Row(rs.getLong(1), rs.getString(2), rs.getLong(3)))
                    .list();
            if (rows.isEmpty()) {
                return new Batch(0, 0, 0);
            }
            List<Long> identities = identities(
                    rows.stream().map(Row::kind).toArray(String[]::new),
                    rows.stream().map(Row::subject).toArray(Long[]::new));
            // Later rows about the same children are taken now too: their changes are committed, so the facts read
            // below include them, and a child an import names many times is evaluated once, not once per batch. The
            // records as an array, so the outbox is probed through its index rather than read whole to join them.
            List<Long> alsoTaken = identities.isEmpty()
                    ? List.of()
                    : jdbc.sql(
                                    """
                            SELECT o.id FROM alert_outbox o
                            WHERE o.subject_kind = 'person_record'
                              AND o.subject_id = ANY(ARRAY(SELECT id FROM person_record WHERE identity_id = ANY(?)))
                              AND o.id <> ALL(?)
                            FOR UPDATE SKIP LOCKED""")
                            .params(
                                    identities.toArray(Long[]::new),
                                    rows.stream().map(Row::id).toArray(Long[]::new))
                            .query(Long.class)
                            .list();
            int raised = 0;
            if (!identities.isEmpty()) {
                AlertSettings.Current current = settings.current();
                Map<String, Long> agencies = evaluator.agencyIds();
                Instant now = clock.instant();
                Map<Long, ChildFacts> facts = loader.loadAll(identities, now);
                List<AlertEvaluator.Decision> decisions = new ArrayList<>();
                for (long identity : identities) {
                    try {
                        AlertEvaluator.Decision d = evaluator.decide(identity, facts.get(identity), current.settings());
                        if (d != null) {
                            decisions.add(d);
                        }
                    } catch (RuntimeException e) {
                        LOG.error("alert evaluation of identity {} failed", identity, e);
                    }
                }
                raised = write(decisions, current.version(), agencies, now);
            }
            jdbc.sql("DELETE FROM alert_outbox WHERE id = ANY(?) OR id = ANY(?)")
                    .params(rows.stream().map(Row::id).toArray(Long[]::new), alsoTaken.toArray(Long[]::new))
                    .update();
            return new Batch(rows.size() + alsoTaken.size(), identities.size(), raised);
        });
    }

    /**
     * The batch's decisions written together in a savepoint; should that fail (a defect, or a deadlock with another
     * process writing the same children), each child again in a savepoint of its own, so that one child can never
     * hold up every other child's alerts.
     */
    private int write(List<AlertEvaluator.Decision> decisions, int version, Map<String, Long> agencies, Instant now) {
        try {
            Integer raised = savepoint.execute(s -> evaluator.write(decisions, version, agencies, now));
            return raised == null ? 0 : raised;
        } catch (RuntimeException batch) {
            // The class and SQL state only: a database message can quote a row's values.
            Throwable cause = NestedExceptionUtils.getMostSpecificCause(batch);
            LOG.warn(
                    "alert batch write failed ({}{}), writing child by child",
                    cause.getClass().getSimpleName(),
                    cause instanceof SQLException sql ? " " + sql.getSQLState() : "");
        }
        int raised = 0;
        for (AlertEvaluator.Decision d : decisions) {
            try {
                Integer one = savepoint.execute(s -> evaluator.write(List.of(d), version, agencies, now));
                raised += one == null ? 0 : one;
            } catch (RuntimeException e) {
                LOG.error("alert evaluation of identity {} failed", d.identityId(), e);
            }
        }
        return raised;
    }

    /**
     * The children concerned by changed subjects: the record's child; for an association, the children at both ends
     * and, where one end is a place or adult, every child linked to it (what the place means for them changed); and
     * children associated with a changed child (missing at the same time). Associations are followed through their
     * end indexes.
     */
    List<Long> identities(String[] kinds, Long[] subjects) {
        return jdbc.sql(
                        """
                WITH s AS (SELECT * FROM unnest(?::text[], ?::bigint[]) AS s(kind, id)),
                changed AS (SELECT x.* FROM s JOIN association x ON s.kind = 'association' AND x.id = s.id),
                ends AS (SELECT from_kind AS kind, from_id AS id FROM changed
                         UNION SELECT to_kind, to_id FROM changed),
                hubs AS (SELECT kind, id FROM ends WHERE kind IN ('location', 'adult')),
                child_ends AS (
                    SELECT kind, id FROM ends WHERE kind IN ('person_record', 'episode', 'concern')
                    UNION SELECT y.from_kind, y.from_id FROM hubs h JOIN association y ON y.to_kind = h.kind AND y.to_id = h.id
                    UNION SELECT y.to_kind, y.to_id FROM hubs h JOIN association y ON y.from_kind = h.kind AND y.from_id = h.id
                    UNION SELECT kind, id FROM s WHERE kind IN ('person_record', 'episode', 'concern')),
                direct AS (
                    SELECT id AS rec FROM child_ends WHERE kind = 'person_record'
                    UNION SELECT e.person_record_id FROM child_ends c JOIN missing_episode e ON c.kind = 'episode' AND e.id = c.id
                    UNION SELECT x.person_record_id FROM child_ends c JOIN exploitation_concern x
                          ON c.kind = 'concern' AND x.id = c.id),
                children AS (
                    SELECT DISTINCT pr.identity_id FROM direct d JOIN person_record pr ON pr.id = d.rec
                    WHERE pr.identity_id IS NOT NULL),
                associated AS (
                    SELECT y.from_kind AS kind, y.from_id AS id FROM children c
                    JOIN person_record other ON other.identity_id = c.identity_id
                    JOIN association y ON y.to_kind = 'person_record' AND y.to_id = other.id
                    UNION SELECT y.to_kind, y.to_id FROM children c
                    JOIN person_record other ON other.identity_id = c.identity_id
                    JOIN association y ON y.from_kind = 'person_record' AND y.from_id = other.id),
                associated_recs AS (
                    SELECT id AS rec FROM associated WHERE kind = 'person_record'
                    UNION SELECT e.person_record_id FROM associated a JOIN missing_episode e ON a.kind = 'episode' AND e.id = a.id
                    UNION SELECT x.person_record_id FROM associated a JOIN exploitation_concern x
                          ON a.kind = 'concern' AND x.id = a.id)
                SELECT identity_id FROM children
                UNION
                SELECT pr.identity_id FROM associated_recs a JOIN person_record pr ON pr.id = a.rec
                WHERE pr.identity_id IS NOT NULL ORDER BY 1""")
                .params(kinds, subjects)
                .query(Long.class)
                .list();
    }

    /** Queues the children whose 24-hour or 72-hour threshold passed since the last pass; returns how many rows. */
    int timePass() {
        Integer queued = tx.execute(status -> {
            Instant now = clock.instant();
            Instant from = jdbc.sql("SELECT passed_to FROM alert_clock WHERE id = 1 FOR UPDATE")
                    .query(Timestamp.class)
                    .optional()
                    .map(Timestamp::toInstant)
                    .orElse(null);
            if (from == null) {
                from = now.minus(FIRST_PASS);
                jdbc.sql("INSERT INTO alert_clock (id, passed_to) VALUES (1, ?) ON CONFLICT (id) DO NOTHING")
                        .param(Timestamp.from(from))
                        .update();
            }
            if (!now.isAfter(from)) {
                return 0;
            }
            RuleSettings rules = settings.current().settings();
            int n = jdbc.sql(
                            """
                    INSERT INTO alert_outbox (subject_kind, subject_id)
                    SELECT DISTINCT 'person_record', e.person_record_id FROM missing_episode e
                    WHERE (e.found_at IS NULL
                           AND coalesce(e.last_seen_at, e.reported_at) + :lac * interval '1 hour' > :from
                           AND coalesce(e.last_seen_at, e.reported_at) + :lac * interval '1 hour' <= :to)
                       OR (e.return_interview_status NOT IN ('completed', 'declined')
                           AND e.found_at + :ri * interval '1 hour' > :from
                           AND e.found_at + :ri * interval '1 hour' <= :to)""")
                    .param("lac", rules.lookedAfterHours())
                    .param("ri", rules.returnInterviewHours())
                    .param("from", Timestamp.from(from))
                    .param("to", Timestamp.from(now))
                    .update();
            jdbc.sql("UPDATE alert_clock SET passed_to = ? WHERE id = 1")
                    .param(Timestamp.from(now))
                    .update();
            return n;
        });
        return queued == null ? 0 : queued;
    }
}
