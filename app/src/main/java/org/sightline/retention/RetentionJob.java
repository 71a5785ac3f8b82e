package org.sightline.retention;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Map;
import java.util.TreeMap;
import org.sightline.audit.AuditEntry;
import org.sightline.audit.AuditLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.context.WebApplicationContext;
import tools.jackson.databind.ObjectMapper;

/**
 * Daily, and at start for a day the schedule missed (the server was down at 02:30): counts the records due for
 * review by type, records the counts for the day ({@code retention_job_run}), logs them (counts only) and audits the
 * run. The day is claimed in the run's own transaction, so a restart, a second process on the same database, or a run
 * that died part way never runs a day twice nor leaves it unrun. It erases nothing: an administrator decides on
 * {@code /admin/retention}.
 */
@Component
@EnableConfigurationProperties(RetentionProperties.class)
class RetentionJob {

    private static final Logger LOG = LoggerFactory.getLogger(RetentionJob.class);
    static final String ACTOR = "retention-job";

    private final JdbcClient jdbc;
    private final RetentionDue due;
    private final AuditLog audit;
    private final Clock clock;
    private final TransactionTemplate transaction;
    private final ObjectMapper json;

    RetentionJob(
            JdbcClient jdbc,
            RetentionDue due,
            AuditLog audit,
            Clock clock,
            TransactionTemplate transaction,
            ObjectMapper json) {
        this.jdbc = jdbc;
        this.due = due;
        this.audit = audit;
        this.clock = clock;
        this.transaction = transaction;
        this.json = json;
    }

    /** In the server only: a command (report, import …) is not the place to run the day's review. */
    @EventListener
    void atStart(ApplicationReadyEvent event) {
        if (!(event.getApplicationContext() instanceof WebApplicationContext)) {
            return;
        }
        try {
            run();
        } catch (RuntimeException e) {
            LOG.warn(
                    "the retention review job could not run at start; it runs at the next schedule: {}",
                    e.getMessage());
        }
    }

    @Scheduled(cron = "${sightline.retention.schedule:0 30 2 * * *}", zone = "Europe/London")
    void daily() {
        run();
    }

    /** Runs today's review unless it ran already; returns the counts by type, or null when it had run. */
    Map<String, Long> run() {
        LocalDate today = LocalDate.now(clock.withZone(ZoneId.of("Europe/London")));
        return transaction.execute(tx -> {
            int claimed = jdbc.sql(
                            """
                    INSERT INTO retention_job_run (run_date, ran_at, due_counts) VALUES (?, ?, '{}')
                    ON CONFLICT (run_date) DO NOTHING""")
                    .params(today, Timestamp.from(clock.instant()))
                    .update();
            if (claimed == 0) {
                return null;
            }
            Map<String, Long> byType = new TreeMap<>();
            for (RetentionDue.Count c : due.counts(today)) {
                byType.merge(c.type().code(), c.count(), Long::sum);
            }
            String counts = json.writeValueAsString(byType);
            jdbc.sql("UPDATE retention_job_run SET due_counts = ?::jsonb WHERE run_date = ?")
                    .params(counts, today)
                    .update();
            audit.record(AuditEntry.of(ACTOR, null, "RETENTION_DUE", "retention", today.toString())
                    .withDetails(counts));
            LOG.info("retention review {}: records due for review by type {}", today, counts);
            return byType;
        });
    }
}
