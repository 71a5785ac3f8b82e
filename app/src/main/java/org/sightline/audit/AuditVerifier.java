package org.sightline.audit;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import javax.sql.DataSource;
import org.sightline.shared.Progress;
import org.springframework.jdbc.core.JdbcOperations;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Recomputes the keyed chain in seq order and compares its head with the newest checkpoint kept outside the database.
 * Names the first fault: an altered entry or a chain recomputed without the key (MAC mismatch), a removed entry (a gap
 * in seq), removed newest entries or an emptied log (the database ends before the checkpoint).
 */
@Component
public class AuditVerifier {

    private static final DateTimeFormatter WHEN =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

    private final JdbcTemplate jdbc;
    private final AuditKeys keys;
    private final AuditCheckpoints checkpoints;

    AuditVerifier(DataSource dataSource, AuditKeys keys, AuditCheckpoints checkpoints) {
        // Own template: streaming the whole log needs a fetch size the shared template must not get.
        this.jdbc = new JdbcTemplate(dataSource);
        this.jdbc.setFetchSize(10_000);
        this.keys = keys;
        this.checkpoints = checkpoints;
    }

    /** {@code unsealed}: entries committed but not yet chained (normally sealed within a second). */
    public record Result(long checked, long unsealed, Long brokenSeq, String problem) {
        public boolean intact() {
            return problem == null;
        }

        public String describe() {
            String tail = unsealed == 0 ? "" : String.format(" (%,d newer entries not yet sealed)", unsealed);
            if (intact()) {
                return String.format(
                        "OK: %,d audit entries, chain intact and matching its checkpoint%s", checked, tail);
            }
            return brokenSeq == null
                    ? String.format("BROKEN after %,d good entries: %s", checked, problem)
                    : String.format(
                            "BROKEN at audit entry %d (after %,d good entries): %s", brokenSeq, checked, problem);
        }
    }

    @Transactional(readOnly = true)
    public Result verify(Progress progress) {
        return verify(jdbc, progress);
    }

    /** The same check over any connection to the database (tests read uncommitted tampering through their own). */
    public Result verify(JdbcOperations db, Progress progress) {
        // The checkpoint first: the sealer writes one only after its commit, so every entry it names is in what the
        // walk below reads. Read after the walk, a seal made meanwhile looked like removed newest entries on a live
        // system.
        Optional<AuditCheckpoints.Checkpoint> latest = checkpoints.latest();
        Long total = db.queryForObject("SELECT count(*) FROM audit_event WHERE seq IS NOT NULL", Long.class);
        Long unsealed = db.queryForObject("SELECT count(*) FROM audit_event WHERE seq IS NULL", Long.class);
        progress.total(total == null ? 0 : total);
        Walker walker = new Walker(progress);
        db.query(
                """
                SELECT seq, key_id, mac, occurred_at, actor, actor_agency, action, subject_type, subject_id, reason,
                       correlation_id, details
                FROM audit_event WHERE seq IS NOT NULL ORDER BY seq""",
                walker);
        Result result;
        if (walker.problem != null) {
            result = new Result(walker.checked, unsealed, walker.brokenSeq, walker.problem);
        } else {
            result = againstCheckpoint(db, latest, walker.checked, unsealed == null ? 0 : unsealed);
        }
        progress.done(result.intact() ? "intact" : "broken");
        return result;
    }

    private Result againstCheckpoint(
            JdbcOperations db, Optional<AuditCheckpoints.Checkpoint> latest, long sealed, long unsealed) {
        if (latest.isEmpty()) {
            return new Result(
                    sealed,
                    unsealed,
                    null,
                    sealed == 0
                            ? null
                            : "no checkpoint outside the database to compare with: the checkpoint file is missing or empty");
        }
        AuditCheckpoints.Checkpoint c = latest.get();
        String at = WHEN.format(c.at());
        if (sealed < c.seq()) {
            return new Result(
                    sealed,
                    unsealed,
                    null,
                    sealed == 0
                            ? "the audit log is empty, but it was sealed to entry " + c.seq() + " at " + at
                                    + ": it was emptied (truncated)"
                            : "the log ends at entry " + sealed + ", but it was sealed to entry " + c.seq() + " at "
                                    + at + ": the newest " + (c.seq() - sealed) + " entries were removed");
        }
        String mac = db.queryForObject("SELECT mac FROM audit_event WHERE seq = ?", String.class, c.seq());
        if (!c.mac().equals(mac)) {
            return new Result(
                    sealed,
                    unsealed,
                    c.seq(),
                    "it does not match the checkpoint taken at " + at + ": the chain was rewritten");
        }
        return new Result(sealed, unsealed, null, null);
    }

    private final class Walker implements RowCallbackHandler {
        private final Progress progress;
        private String previousMac = AuditSealer.GENESIS;
        private long checked;
        private Long brokenSeq;
        private String problem;

        Walker(Progress progress) {
            this.progress = progress;
        }

        @Override
        public void processRow(ResultSet rs) throws SQLException {
            if (problem != null) {
                return;
            }
            long seq = rs.getLong("seq");
            if (seq != checked + 1) {
                brokenSeq = checked + 1;
                problem = seq > checked + 1
                        ? "it is missing: " + (seq - checked - 1) + " entr"
                                + (seq - checked - 1 == 1 ? "y was" : "ies were") + " removed before entry " + seq
                        : "entry numbers repeat";
                return;
            }
            String keyId = rs.getString("key_id");
            if (!keys.knows(keyId)) {
                brokenSeq = seq;
                problem = "it was sealed with key " + keyId + ", which the audit key file does not hold";
                return;
            }
            AuditEntry entry = new AuditEntry(
                    rs.getString("actor"),
                    rs.getString("actor_agency"),
                    rs.getString("action"),
                    rs.getString("subject_type"),
                    rs.getString("subject_id"),
                    rs.getString("reason"),
                    rs.getString("details"));
            String expected = keys.mac(
                    keyId,
                    previousMac,
                    entry.canonical(rs.getTimestamp("occurred_at").toInstant(), rs.getString("correlation_id")));
            if (!expected.equals(rs.getString("mac"))) {
                brokenSeq = seq;
                problem = "its content does not match its MAC: the entry was altered, or the chain was recomputed "
                        + "without the key";
                return;
            }
            previousMac = expected;
            checked++;
            progress.update(checked);
        }
    }
}
