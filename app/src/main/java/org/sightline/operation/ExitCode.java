package org.sightline.operation;

/**
 * The exit codes every command uses (README "Exit codes"): scripts can tell a typing mistake from a database that
 * is down, and both from a file whose rows were refused.
 */
public final class ExitCode {

    /** Done, nothing refused. */
    public static final int OK = 0;
    /** A check the command exists for found a fault (verify-audit: the chain is broken), or an unexpected error. */
    public static final int FAULT = 1;
    /** Bad usage: an unknown option, a missing or malformed value, an unknown agency; nothing was started. */
    public static final int USAGE = 2;
    /** The environment: the database cannot be reached, the port is taken, a folder cannot be written. */
    public static final int ENVIRONMENT = 3;
    /** The data: rows were quarantined, the file is not readable CSV (E1000), or rows fail the DfE rules. */
    public static final int DATA = 4;

    private ExitCode() {}
}
