package org.sightline.synth.cli;

import java.io.PrintWriter;
import org.sightline.synth.ProgressListener;

/**
 * Progress on stderr: percentage, rate and time left. On a terminal one line is redrawn at most
 * four times a second; otherwise (logs, CI) a new line is printed every five seconds.
 */
final class ConsoleProgress implements ProgressListener {

    private final PrintWriter err;
    private final boolean terminal;
    private final long start = System.nanoTime();
    private long lastPrint;
    private boolean printedInPlace;

    ConsoleProgress(PrintWriter err, boolean terminal) {
        this.err = err;
        this.terminal = terminal;
        this.lastPrint = start;
    }

    @Override
    public void progress(long done, long total) {
        long now = System.nanoTime();
        long interval = terminal ? 250_000_000L : 5_000_000_000L;
        if (now - lastPrint < interval || done >= total) {
            return;
        }
        lastPrint = now;
        double seconds = (now - start) / 1e9;
        double rate = done / Math.max(seconds, 1e-9);
        long left = rate > 0 ? Math.round((total - done) / rate) : 0;
        String line = String.format(
                "generate: %5.1f%% %,d/%,d children, %,.0f children/s, %d:%02d left",
                100.0 * done / total, done, total, rate, left / 60, left % 60);
        if (terminal) {
            err.print("\r" + line);
            printedInPlace = true;
        } else {
            err.println(line);
        }
        err.flush();
    }

    void done() {
        if (printedInPlace) {
            err.print("\r" + " ".repeat(78) + "\r");
            err.flush();
            printedInPlace = false;
        }
    }
}
