package org.sightline.shared;

import java.net.ConnectException;
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
                    || t instanceof ConnectException) {
                return true;
            }
        }
        return false;
    }
}
