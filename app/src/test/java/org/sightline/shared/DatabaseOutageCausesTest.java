package org.sightline.shared;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.transaction.TransactionSystemException;

/**
 * A server killed mid-request surfaces as whatever ends the transaction: seen under a failed rollback, it is still an
 * outage (503, try again), not a wrong password (the API answered 401 in the crash benchmark before this).
 */
class DatabaseOutageCausesTest {

    @Test
    void aConnectionLostUnderAFailedRollbackIsAnOutage() {
        var rollback = new TransactionSystemException(
                "JDBC rollback failed", new SQLException("This connection has been closed.", "08003"));
        assertThat(DatabaseOutage.causedBy(rollback)).isTrue();
        assertThat(DatabaseOutage.causedBy(
                        new RuntimeException(new SQLException("the database system is starting up", "57P03"))))
                .isTrue();
        assertThat(DatabaseOutage.causedBy(new SQLException("terminating connection due to crash", "57P02")))
                .isTrue();
    }

    @Test
    void faultsOfOursAreNot() {
        assertThat(DatabaseOutage.causedBy(
                        new DataIntegrityViolationException("duplicate", new SQLException("duplicate key", "23505"))))
                .isFalse();
        assertThat(DatabaseOutage.causedBy(new SQLException("statement timeout", "57014")))
                .isFalse();
        assertThat(DatabaseOutage.causedBy(new IllegalStateException("no state")))
                .isFalse();
    }
}
