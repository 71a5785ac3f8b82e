package org.sightline.operation;

/**
 * Something outside the command stops it (database unreachable, port taken): one line on the terminal and
 * {@link ExitCode#ENVIRONMENT}, never a stack trace. The message names what failed and what to do.
 */
public final class EnvironmentException extends RuntimeException {

    public EnvironmentException(String message) {
        super(message);
    }

    public EnvironmentException(String message, Throwable cause) {
        super(message, cause);
    }
}
