package org.sightline.shared;

import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessResourceException;
import org.springframework.transaction.CannotCreateTransactionException;

/** Whether a failure means "the database cannot be reached" (answer 503, try again) rather than a fault of ours. */
public final class DatabaseOutage {

    public static final String RETRY_AFTER_SECONDS = "10";

    private DatabaseOutage() {}

    public static boolean causedBy(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof DataAccessResourceFailureException
                    || t instanceof TransientDataAccessResourceException
                    || t instanceof CannotCreateTransactionException
                    || t instanceof SQLTransientConnectionException
                    || t instanceof ConnectException
                    || (t instanceof SQLException e && lostConnection(e.getSQLState()))) {
                return true;
            }
        }
        return false;
    }

    /**
     * SQLSTATE class 08 (connection exception: "this connection has been closed", an I/O error) and 57P01-57P03
     * (shut down, crashed, starting up or recovering): seen under whatever exception wraps them, e.g. a failed
     * rollback that overrides the failure of the transaction it ends when the server dies mid-request.
     */
    private static boolean lostConnection(String sqlState) {
        return sqlState != null && (sqlState.startsWith("08") || sqlState.matches("57P0[123]"));
    }
}
