package org.sightline.audit;

import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * The audit key and checkpoint sink, from {@code sightline.audit.key-file} (required; {@code demo} creates one in its
 * data folder) and {@code sightline.audit.checkpoint-file} (default: {@code audit-checkpoints.log} beside the key).
 */
@Configuration
@EnableScheduling
class AuditConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(AuditConfiguration.class);

    @Bean
    AuditKeys auditKeys(@Value("${sightline.audit.key-file:}") String keyFile) {
        if (keyFile.isBlank()) {
            throw new IllegalStateException(
                    "no audit key: set sightline.audit.key-file (SIGHTLINE_AUDIT_KEY_FILE) to a file"
                            + " of KEY_ID:BASE64 lines kept outside the database (see docs/operations.md)");
        }
        Path file = Path.of(keyFile);
        if (!Files.exists(file)) {
            throw new IllegalStateException("the audit key file " + file + " does not exist");
        }
        return AuditKeys.read(file);
    }

    @Bean
    @ConditionalOnMissingBean(AuditCheckpoints.class)
    AuditCheckpoints auditCheckpoints(
            @Value("${sightline.audit.key-file:}") String keyFile,
            @Value("${sightline.audit.checkpoint-file:}") String checkpointFile) {
        Path file = checkpointFile.isBlank()
                ? Path.of(keyFile).toAbsolutePath().resolveSibling("audit-checkpoints.log")
                : Path.of(checkpointFile);
        return new AuditCheckpoints.FileSink(file);
    }

    /** Least privilege is a deployment fact the application can check: say so when it connects as the log's owner. */
    @EventListener(ApplicationReadyEvent.class)
    void warnWhenConnectedAsOwner(ApplicationReadyEvent event) {
        JdbcClient jdbc = event.getApplicationContext().getBean(JdbcClient.class);
        boolean mayTruncate = jdbc.sql("SELECT has_table_privilege(current_user, 'audit_event', 'TRUNCATE')")
                .query(Boolean.class)
                .single();
        if (mayTruncate) {
            LOG.warn("the application's database user may truncate audit_event: connect as the application role "
                    + "(sightline_app) and run migrations as the owner (spring.flyway.user); see docs/operations.md");
        }
    }
}
