package org.sightline.operation;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * "database recovering ... 12 s" while the embedded PostgreSQL replays its log after a crash: redrawn each second on a
 * terminal, one line every 10 s otherwise, so a long recovery is visibly alive rather than a silent wait. The first
 * second is not shown: a clean start on a busy machine also answers "starting up" for a moment.
 */
final class RecoveryProgress implements Consumer<Duration> {

    private final PrintWriter err;
    private final String command;
    private boolean terminal = System.console() != null;
    private long lastShown = -1;

    RecoveryProgress(PrintWriter err, String command) {
        this.err = err;
        this.command = command;
    }

    @Override
    public synchronized void accept(Duration elapsed) {
        long seconds = elapsed.toSeconds();
        if (seconds < 1 || seconds == lastShown || (!terminal && lastShown >= 0 && seconds < lastShown + 10)) {
            return;
        }
        lastShown = seconds;
        String line = command + ": database recovering after a crash ... " + seconds + " s";
        if (terminal) {
            err.print("\r" + line + "   ");
        } else {
            err.println(line);
        }
        err.flush();
    }

    /**
     * Ends the redrawn line, if one was drawn. Recoveries after this (the supervisor restarting a crashed server
     * while the demo runs) print whole lines, as other output may come between them.
     */
    synchronized void done() {
        if (terminal && lastShown >= 0) {
            err.println();
            err.flush();
        }
        terminal = false;
        lastShown = -1;
    }
}
