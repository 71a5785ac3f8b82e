package org.sightline.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.sightline.SightlineMain;
import org.sightline.shared.TerminalProgress;
import org.sightline.support.IntegrationTest;
import org.sightline.support.TestDatabase;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import org.springframework.transaction.support.TransactionTemplate;
import picocli.CommandLine;

/**
 * The audit log is append-only for the application and tamper-evident for its database's administrator: each attack
 * is run as the table's owner inside a transaction that is rolled back, and {@code verify-audit}'s check, reading
 * through the same connection, must name it.
 */
@IntegrationTest
class AuditChainTest {

    @Autowired
    AuditLog audit;

    @Autowired
    AuditSealer sealer;

    @Autowired
    AuditVerifier verifier;

    @Autowired
    AuditCheckpoints checkpoints;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    TransactionTemplate transaction;

    @Autowired
    JdbcTemplate jdbcTemplate;

    private void appendSealed(int n) {
        transaction.executeWithoutResult(s -> {
            for (int i = 0; i < n; i++) {
                audit.record(AuditEntry.of("tester", "TEST", "VIEW", "person_record", "id-" + i));
            }
        });
        sealer.sealPending();
    }

    private long head() {
        return jdbc.sql("SELECT max(seq) FROM audit_event").query(Long.class).single();
    }

    /** Runs an attack as the owner in a transaction that is always rolled back; returns what verification says. */
    private AuditVerifier.Result asOwner(Consumer<JdbcTemplate> attack) throws SQLException {
        try (Connection owner =
                DriverManager.getConnection(TestDatabase.url(), TestDatabase.user(), TestDatabase.password())) {
            owner.setAutoCommit(false);
            try {
                JdbcTemplate db = new JdbcTemplate(new SingleConnectionDataSource(owner, true));
                attack.accept(db);
                return verifier.verify(db, new TerminalProgress("test"));
            } finally {
                owner.rollback();
            }
        }
    }

    @Test
    void sealedChainVerifiesAndMatchesItsCheckpoint() {
        appendSealed(3);
        long head = head();
        assertThat(checkpoints.latest())
                .hasValueSatisfying(c -> assertThat(c.seq()).isEqualTo(head));
        assertThat(jdbc.sql("SELECT count(*) FROM audit_event WHERE seq IS NULL OR mac IS NULL OR key_id IS NULL")
                        .query(Long.class)
                        .single())
                .as("every committed entry sealed")
                .isZero();
        AuditVerifier.Result result = verifier.verify(new TerminalProgress("test"));
        assertThat(result.intact()).as(result.describe()).isTrue();
        assertThat(result.checked()).isEqualTo(head);
    }

    @Test
    void entriesSealedWhileTheWalkReadsAreNotTakenForRemovedOnes() {
        appendSealed(2);
        // verify-audit on a live system: the sealer commits new entries and checkpoints them right after the walk
        // has read the chain (here, from inside the walk's own query call, on the application's connections).
        JdbcTemplate live = new JdbcTemplate(jdbcTemplate.getDataSource()) {
            @Override
            public void query(String sql, org.springframework.jdbc.core.RowCallbackHandler rch) {
                super.query(sql, rch);
                if (sql.contains("ORDER BY seq")) {
                    appendSealed(3);
                }
            }
        };
        AuditVerifier.Result result = verifier.verify(live, new TerminalProgress("test"));
        assertThat(checkpoints.latest()).hasValueSatisfying(c -> assertThat(c.seq())
                .as("the checkpoint moved on during the walk")
                .isGreaterThan(result.checked()));
        assertThat(result.intact()).as(result.describe()).isTrue();
    }

    @Test
    void theApplicationRoleCannotChangeDeleteOrTruncateEntries() {
        appendSealed(1);
        assertThatThrownBy(() -> jdbc.sql("UPDATE audit_event SET actor = 'someone else'")
                        .update())
                .rootCause()
                .hasMessageContaining("permission denied");
        assertThatThrownBy(() -> jdbc.sql("DELETE FROM audit_event").update())
                .rootCause()
                .hasMessageContaining("permission denied");
        assertThatThrownBy(() -> jdbc.sql("TRUNCATE audit_event").update())
                .rootCause()
                .hasMessageContaining("permission denied");
        // The seal is the one thing it may write, and only once.
        assertThatThrownBy(() -> jdbc.sql("UPDATE audit_event SET mac = repeat('0', 64) WHERE seq = ?")
                        .param(head())
                        .update())
                .rootCause()
                .hasMessageContaining("append-only");
    }

    @Test
    void theOwnerCannotTruncateWithoutFirstDisablingTheGuard() {
        appendSealed(1);
        assertThatThrownBy(() -> asOwner(db -> db.execute("TRUNCATE audit_event")))
                .rootCause()
                .hasMessageContaining("cannot be truncated");
    }

    @Test
    void truncationIsNamed() throws SQLException {
        appendSealed(3);
        AuditVerifier.Result result = asOwner(db -> {
            db.execute("ALTER TABLE audit_event DISABLE TRIGGER audit_event_no_truncate");
            db.execute("TRUNCATE audit_event");
        });
        assertThat(result.intact()).isFalse();
        assertThat(result.describe()).contains("empty").contains("truncated");
    }

    @Test
    void deletingTheNewestEntriesIsNamed() throws SQLException {
        appendSealed(20);
        long head = head();
        AuditVerifier.Result result = asOwner(db -> {
            db.execute("ALTER TABLE audit_event DISABLE TRIGGER audit_event_no_update");
            db.update("DELETE FROM audit_event WHERE seq > ?", head - 15);
        });
        assertThat(result.intact()).isFalse();
        assertThat(result.describe()).contains("the newest 15 entries were removed");
    }

    @Test
    void aDeletedEntryIsNamed() throws SQLException {
        appendSealed(3);
        long victim = head() - 1;
        AuditVerifier.Result result = asOwner(db -> {
            db.execute("ALTER TABLE audit_event DISABLE TRIGGER audit_event_no_update");
            db.update("DELETE FROM audit_event WHERE seq = ?", victim);
        });
        assertThat(result.brokenSeq()).isEqualTo(victim);
        assertThat(result.describe())
                .contains("BROKEN at audit entry " + victim)
                .contains("1 entry was removed");
    }

    @Test
    void anAlteredEntryIsNamed() throws SQLException {
        appendSealed(3);
        long victim = head() - 1;
        AuditVerifier.Result result = asOwner(db -> {
            db.execute("ALTER TABLE audit_event DISABLE TRIGGER audit_event_no_update");
            db.update("UPDATE audit_event SET subject_id = 'someone-else' WHERE seq = ?", victim);
        });
        assertThat(result.brokenSeq()).isEqualTo(victim);
        assertThat(result.describe())
                .contains("BROKEN at audit entry " + victim)
                .contains("altered");
    }

    @Test
    void aChainRecomputedWithoutTheKeyIsNamed() throws SQLException {
        appendSealed(3);
        long victim = head() - 1;
        // The attacker edits an entry and recomputes every MAC from there on, as the unkeyed chain allowed; without the
        // key, an unkeyed SHA-256 (or any other key) is all they have.
        AuditVerifier.Result result = asOwner(db -> {
            db.execute("ALTER TABLE audit_event DISABLE TRIGGER audit_event_no_update");
            db.update("UPDATE audit_event SET subject_id = 'someone-else' WHERE seq = ?", victim);
            db.update(
                    "UPDATE audit_event SET mac = encode(sha256(convert_to(mac || seq::text, 'UTF8')), 'hex') "
                            + "WHERE seq >= ?",
                    victim);
        });
        assertThat(result.brokenSeq()).isEqualTo(victim);
        assertThat(result.problem()).contains("recomputed without the key");
    }

    @Test
    void longTextIsCutWithAMarkerBeforeItReachesTheLog() {
        String huge = "x".repeat(100_000);
        transaction.executeWithoutResult(s -> audit.record(
                AuditEntry.of("tester", "TEST", "SEARCH", "person_record", null).withDetails("family=" + huge)));
        String stored = jdbc.sql("SELECT details FROM audit_event WHERE actor = 'tester' AND action = 'SEARCH' "
                        + "ORDER BY id DESC LIMIT 1")
                .query(String.class)
                .single();
        assertThat(stored)
                .hasSize(AuditEntry.MAX_TEXT)
                .startsWith("family=xxx")
                .endsWith("…[cut " + (100_007 - AuditEntry.MAX_TEXT) + " characters]");
    }

    @Test
    void verifyAuditCommandReportsOkOnTheDatabase() {
        appendSealed(1);
        StringWriter out = new StringWriter();
        CommandLine cli = SightlineMain.commandLine();
        cli.setOut(new PrintWriter(out));
        int exit = cli.execute(
                "verify-audit",
                "--db-url",
                TestDatabase.url(),
                "--db-user",
                TestDatabase.appUser(),
                "--db-password",
                TestDatabase.password());
        assertThat(exit).isZero();
        assertThat(out.toString()).startsWith("OK: ");
    }

    @Test
    void verifyAuditCommandRefusesANonPostgresUrlClearly() {
        StringWriter err = new StringWriter();
        CommandLine cli = SightlineMain.commandLine();
        cli.setErr(new PrintWriter(err));
        int exit = cli.execute("verify-audit", "--db-url", "jdbc:h2:mem:x");
        assertThat(exit).isNotZero();
        assertThat(err.toString())
                .contains("--db-url must be a PostgreSQL JDBC URL")
                .doesNotContain("Exception");
    }
}
