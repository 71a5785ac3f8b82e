package org.sightline.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import org.sightline.SightlineMain;
import org.sightline.shared.TerminalProgress;
import org.sightline.support.IntegrationTest;
import org.sightline.support.TestDatabase;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;
import picocli.CommandLine;

/** The audit log is append-only and tamper-evident. */
@IntegrationTest
class AuditChainTest {

    @Autowired
    AuditLog audit;
    @Autowired
    AuditVerifier verifier;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    TransactionTemplate transaction;

    private void appendSome() {
        transaction.executeWithoutResult(s -> {
            for (int i = 0; i < 3; i++) {
                audit.record(AuditEntry.of("tester", "TEST", "VIEW", "person_record", "id-" + i));
            }
        });
    }

    @Test
    void intactChainVerifies() {
        appendSome();
        AuditVerifier.Result result = verifier.verify(new TerminalProgress("test"));
        assertThat(result.intact()).as(result.describe()).isTrue();
        assertThat(result.checked()).isGreaterThanOrEqualTo(3);
    }

    @Test
    void updatesAndDeletesAreRefusedByTheDatabase() {
        appendSome();
        assertThatThrownBy(() -> jdbc.sql("UPDATE audit_event SET actor = 'someone else'").update())
                .hasMessageContaining("append-only");
        assertThatThrownBy(() -> jdbc.sql("DELETE FROM audit_event").update()).hasMessageContaining("append-only");
    }

    @Test
    void anAlteredEntryIsCaughtAndNamed() {
        appendSome();
        long victim = jdbc.sql("SELECT max(id) - 1 FROM audit_event").query(Long.class).single();
        // A superuser bypassing the trigger, inside a transaction rolled back so the shared chain stays intact.
        transaction.executeWithoutResult(status -> {
            jdbc.sql("ALTER TABLE audit_event DISABLE TRIGGER audit_event_no_update").update();
            jdbc.sql("UPDATE audit_event SET subject_id = 'someone-else' WHERE id = ?").param(victim).update();
            AuditVerifier.Result result = verifier.verify(new TerminalProgress("test"));
            assertThat(result.intact()).isFalse();
            assertThat(result.brokenId()).isEqualTo(victim);
            assertThat(result.describe()).contains("BROKEN at audit entry " + victim).contains("altered");
            status.setRollbackOnly();
        });
        assertThat(verifier.verify(new TerminalProgress("test")).intact()).isTrue();
    }

    @Test
    void aDeletedEntryIsCaughtAtTheNextOne() {
        appendSome();
        long victim = jdbc.sql("SELECT max(id) - 1 FROM audit_event").query(Long.class).single();
        transaction.executeWithoutResult(status -> {
            jdbc.sql("ALTER TABLE audit_event DISABLE TRIGGER audit_event_no_update").update();
            jdbc.sql("DELETE FROM audit_event WHERE id = ?").param(victim).update();
            AuditVerifier.Result result = verifier.verify(new TerminalProgress("test"));
            assertThat(result.brokenId()).isEqualTo(victim + 1);
            assertThat(result.problem()).contains("removed or changed");
            status.setRollbackOnly();
        });
    }

    @Test
    void verifyAuditCommandReportsOkOnTheDatabase() {
        appendSome();
        StringWriter out = new StringWriter();
        CommandLine cli = SightlineMain.commandLine();
        cli.setOut(new PrintWriter(out));
        int exit = cli.execute("verify-audit", "--db-url", TestDatabase.url(), "--db-user", TestDatabase.user(),
                "--db-password", TestDatabase.password());
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
        assertThat(err.toString()).contains("--db-url must be a PostgreSQL JDBC URL").doesNotContain("Exception");
    }
}
