package org.sightline.statistics;

import java.time.Clock;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Rows kept per child ahead of the pages ({@link ReconciliationAggregate}, {@link VictimAggregate}), following a queue
 * of children that triggers write in the same transaction as each change (a table {@code (id bigserial, child
 * bigint)}; the child is the identity, or minus the record's id while it has none). A refresh takes the queue a batch
 * at a time and writes those children's rows again, deleting their queue rows in the same transaction, so a process
 * killed in between leaves them for the next one. Pages call {@link #current()} first and compute from the records
 * when the rows were never built (or by another version of the rule), or when more is queued than a page should wait
 * for.
 */
abstract class ChildRowsAggregate {

    private static final Logger LOG = LoggerFactory.getLogger(ChildRowsAggregate.class);

    private static final int BATCH = 5_000;
    /** More queued children than this and a page computes from the records rather than wait for the refresh. */
    private static final long PAGE_REFRESH_LIMIT = 20_000;
    /** More queued children than this (a bulk load, a relink) and the scheduled refresh rebuilds instead. */
    private static final long REBUILD_QUEUE = 200_000;

    protected final JdbcClient jdbc;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final String name;
    private final int version;
    private final String queue;

    /**
     * @param name    the rows' name in {@code stat_aggregate_state}
     * @param version the rule's version: rows built by another are rebuilt
     * @param queue   the queue table
     */
    protected ChildRowsAggregate(
            JdbcClient jdbc,
            PlatformTransactionManager transactions,
            Clock clock,
            String name,
            int version,
            String queue) {
        this.jdbc = jdbc;
        this.tx = new TransactionTemplate(transactions);
        this.tx.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        this.clock = clock;
        this.name = name;
        this.version = version;
        this.queue = queue;
    }

    /** Empties the rows and writes every child's again (within the rebuild's transaction); returns the rows written. */
    protected abstract long writeAll();

    /** Deletes the rows of these children and writes them again (within the refresh's transaction). */
    protected abstract void rewrite(Long[] children);

    /** Whether the rows are built with this version and what is queued is applied (applying it if a page may wait). */
    protected boolean current() {
        if (!built()) {
            return false;
        }
        long queued = queued();
        if (queued > PAGE_REFRESH_LIMIT) {
            return false;
        }
        if (queued > 0) {
            refresh();
        }
        return built(); // a change may have asked for a rebuild meanwhile
    }

    private long queued() {
        return jdbc.sql("SELECT count(*) FROM " + queue).query(Long.class).single();
    }

    boolean built() {
        return AggregateState.builtAt(jdbc, name, version).isPresent();
    }

    @Scheduled(
            fixedDelayString = "${sightline.statistics.refresh:5s}",
            initialDelayString = "${sightline.statistics.refresh:5s}")
    void poll() {
        try {
            if (built() && queued() <= REBUILD_QUEUE) {
                refresh();
            } else {
                rebuild();
            }
        } catch (RuntimeException e) {
            LOG.warn("{} refresh failed; the queue keeps its rows for the next one: {}", name, e.getMessage());
        }
    }

    /** Writes every child's rows again, in one transaction (pages compute from the records until it commits). */
    public long rebuild() {
        Long written = tx.execute(s -> {
            lock();
            jdbc.sql("DELETE FROM " + queue).update();
            long n = writeAll();
            AggregateState.built(jdbc, name, version, clock.instant());
            return n;
        });
        return written == null ? 0 : written;
    }

    /** Writes the queued children's rows again, a batch a transaction; returns how many children. */
    public long refresh() {
        long applied = 0;
        while (true) {
            Integer n = tx.execute(s -> {
                lock();
                if (!built()) {
                    return 0; // a rebuild is due, and writes everything
                }
                Long[] children = jdbc
                        .sql(
                                """
                        DELETE FROM %1$s WHERE id IN (
                          SELECT id FROM %1$s ORDER BY id LIMIT ? FOR UPDATE SKIP LOCKED)
                        RETURNING child"""
                                        .formatted(queue))
                        .param(BATCH)
                        .query(Long.class)
                        .list()
                        .stream()
                        .distinct()
                        .toArray(Long[]::new);
                if (children.length == 0) {
                    return 0;
                }
                rewrite(children);
                return children.length;
            });
            if (n == null || n == 0) {
                return applied;
            }
            applied += n;
        }
    }

    /** The identities among queued children. */
    static Long[] identities(Long[] children) {
        return Arrays.stream(children).filter(c -> c > 0).toArray(Long[]::new);
    }

    /** The records among queued children (those with no identity yet). */
    static Long[] records(Long[] children) {
        return Arrays.stream(children).filter(c -> c < 0).map(c -> -c).toArray(Long[]::new);
    }

    /** One refresh or rebuild at a time: each starts from what the one before it wrote. */
    private void lock() {
        jdbc.sql("SELECT pg_advisory_xact_lock(hashtext(?))")
                .param(queue)
                .query()
                .singleRow();
    }
}
