package org.sightline.audit;

import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.sightline.shared.TerminalProgress;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/** Recomputes the chain from the first entry and stops at the first entry whose hash or link does not hold. */
@Component
public class AuditVerifier {

    private final JdbcTemplate jdbc;

    AuditVerifier(DataSource dataSource) {
        // Own template: streaming the whole log needs a fetch size the shared template must not get.
        this.jdbc = new JdbcTemplate(dataSource);
        this.jdbc.setFetchSize(10_000);
    }

    public record Result(long checked, Long brokenId, String problem) {
        public boolean intact() {
            return brokenId == null;
        }

        public String describe() {
            return intact() ? String.format("OK: %,d audit entries, chain intact", checked)
                    : String.format("BROKEN at audit entry %d (after %,d good entries): %s", brokenId, checked, problem);
        }
    }

    @Transactional(readOnly = true)
    public Result verify(TerminalProgress progress) {
        Long total = jdbc.queryForObject("SELECT count(*) FROM audit_event", Long.class);
        progress.total(total == null ? 0 : total);
        Walker walker = new Walker(progress);
        jdbc.query("""
                SELECT id, occurred_at, actor, actor_agency, action, subject_type, subject_id, reason, correlation_id,
                       details, prev_hash, hash
                FROM audit_event ORDER BY id""", walker);
        Result result = new Result(walker.checked, walker.brokenId, walker.problem);
        progress.done(result.intact() ? "intact" : "broken");
        return result;
    }

    private static final class Walker implements RowCallbackHandler {
        private final TerminalProgress progress;
        private String expectedPrevious = AuditHash.GENESIS;
        private long checked;
        private Long brokenId;
        private String problem;

        Walker(TerminalProgress progress) {
            this.progress = progress;
        }

        @Override
        public void processRow(ResultSet rs) throws SQLException {
            if (brokenId != null) {
                return;
            }
            long id = rs.getLong("id");
            String prev = rs.getString("prev_hash");
            String stored = rs.getString("hash");
            if (!expectedPrevious.equals(prev)) {
                brokenId = id;
                problem = "its link to the previous entry does not match (an entry before it was removed or changed)";
                return;
            }
            AuditEntry entry = new AuditEntry(rs.getString("actor"), rs.getString("actor_agency"), rs.getString("action"),
                    rs.getString("subject_type"), rs.getString("subject_id"), rs.getString("reason"), rs.getString("details"));
            String recomputed = AuditHash.of(prev, rs.getTimestamp("occurred_at").toInstant(), entry,
                    rs.getString("correlation_id"));
            if (!recomputed.equals(stored)) {
                brokenId = id;
                problem = "its content does not match its hash (the entry was altered)";
                return;
            }
            expectedPrevious = stored;
            checked++;
            progress.update(checked);
        }
    }
}
