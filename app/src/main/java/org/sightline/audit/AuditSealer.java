package org.sightline.audit;

import jakarta.annotation.PreDestroy;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Chains committed audit entries: gives each unsealed entry the next seq and a keyed MAC over its content and the
 * previous MAC, then checkpoints the new head outside the database. One sealer at a time across every process on
 * the database (an advisory lock), so the chain has one order however many nodes write entries; requests never
 * wait for it. Entries are sealed within a second of commit and at shutdown.
 */
@Component
public class AuditSealer {

    private static final Logger LOG = LoggerFactory.getLogger(AuditSealer.class);
    /** Arbitrary constant naming the advisory lock held while sealing. */
    private static final long SEAL_LOCK = 0x5349_4748_544CL;

    static final String GENESIS = "0".repeat(64);
    private static final int BATCH = 5_000;

    private final JdbcClient jdbc;
    private final TransactionTemplate transaction;
    private final AuditKeys keys;
    private final AuditCheckpoints checkpoints;
    private final Clock clock;

    AuditSealer(
            JdbcClient jdbc,
            TransactionTemplate transaction,
            AuditKeys keys,
            AuditCheckpoints checkpoints,
            Clock clock) {
        this.jdbc = jdbc;
        this.transaction = transaction;
        this.keys = keys;
        this.checkpoints = checkpoints;
        this.clock = clock;
    }

    private record Unsealed(long id, String canonical) {}

    @Scheduled(fixedDelayString = "${sightline.audit.seal-interval:500ms}", initialDelay = 0)
    void scheduled() {
        try {
            sealPending();
        } catch (RuntimeException e) {
            // The next run retries; entries stay unsealed, never lost.
            LOG.warn("audit sealing failed: {}", e.getMessage());
        }
    }

    @PreDestroy
    void atShutdown() {
        scheduled();
    }

    private record Sealed(int count, AuditCheckpoints.Checkpoint head) {}

    /** Seals every entry committed so far; returns how many. Another process sealing at the same time is waited for. */
    public synchronized long sealPending() {
        long total = 0;
        Sealed sealed;
        do {
            sealed = transaction.execute(status -> sealBatch());
            if (sealed == null) {
                break;
            }
            // Written after the commit: a checkpoint never names a head the database does not hold.
            checkpoints.write(sealed.head());
            total += sealed.count();
        } while (sealed.count() == BATCH);
        return total;
    }

    /** One batch in one transaction; null when nothing was waiting. */
    private Sealed sealBatch() {
        jdbc.sql("SELECT pg_advisory_xact_lock(?)").param(SEAL_LOCK).query().singleRow();
        List<Unsealed> batch = new ArrayList<>();
        jdbc.sql(
                        """
                SELECT id, occurred_at, actor, actor_agency, action, subject_type, subject_id, reason, correlation_id,
                       details
                FROM audit_event WHERE seq IS NULL ORDER BY id LIMIT ?""")
                .param(BATCH)
                .query(rs -> {
                    AuditEntry e = new AuditEntry(
                            rs.getString("actor"),
                            rs.getString("actor_agency"),
                            rs.getString("action"),
                            rs.getString("subject_type"),
                            rs.getString("subject_id"),
                            rs.getString("reason"),
                            rs.getString("details"));
                    batch.add(new Unsealed(
                            rs.getLong("id"),
                            e.canonical(rs.getTimestamp("occurred_at").toInstant(), rs.getString("correlation_id"))));
                });
        if (batch.isEmpty()) {
            return null;
        }
        var head = jdbc.sql("SELECT seq, mac FROM audit_event WHERE seq IS NOT NULL ORDER BY seq DESC LIMIT 1")
                .query((rs, n) -> new Object[] {rs.getLong(1), rs.getString(2)})
                .optional();
        long seq = head.map(h -> (Long) h[0]).orElse(0L);
        String mac = head.map(h -> (String) h[1]).orElse(GENESIS);
        String keyId = keys.currentId();
        Long[] ids = new Long[batch.size()];
        Long[] seqs = new Long[batch.size()];
        String[] macs = new String[batch.size()];
        for (int i = 0; i < batch.size(); i++) {
            seq++;
            mac = keys.mac(keyId, mac, batch.get(i).canonical());
            ids[i] = batch.get(i).id();
            seqs[i] = seq;
            macs[i] = mac;
        }
        jdbc.sql(
                        """
                UPDATE audit_event a SET seq = s.seq, key_id = ?, mac = s.mac
                FROM unnest(?::bigint[], ?::bigint[], ?::text[]) AS s(id, seq, mac) WHERE a.id = s.id""")
                .params(keyId, ids, seqs, macs)
                .update();
        return new Sealed(batch.size(), new AuditCheckpoints.Checkpoint(seq, keyId, mac, clock.instant()));
    }
}
