package org.sightline.shared;

import java.time.Duration;
import java.util.function.LongConsumer;

/**
 * Progress with time left on stderr for long commands, redrawn at most a few times a second.
 * Quiet when stderr is not a terminal except for the final summary, so logs stay readable. For commands only:
 * services take {@link Progress}.
 */
public final class TerminalProgress implements Progress {

    private final String label;
    private final long started = System.nanoTime();
    private final boolean terminal = System.console() != null;
    private long lastDraw;
    private long total;

    public TerminalProgress(String label) {
        this.label = label;
    }

    @Override
    public void total(long total) {
        this.total = total;
    }

    public LongConsumer asConsumer() {
        return this::update;
    }

    @Override
    public void update(long done) {
        long now = System.nanoTime();
        if (!terminal || now - lastDraw < 250_000_000L) {
            return;
        }
        lastDraw = now;
        double seconds = (now - started) / 1e9;
        String line;
        if (total > 0 && done > 0) {
            double fraction = Math.min(1.0, (double) done / total);
            long left = (long) (seconds / fraction - seconds);
            line = String.format("%s: %,d of %,d (%.0f%%), %s left", label, done, total, fraction * 100, format(left));
        } else {
            line = String.format("%s: %,d", label, done);
        }
        System.err.print("\r" + line + "   ");
        System.err.flush();
    }

    @Override
    public void done(String summary) {
        if (terminal) {
            System.err.print("\r");
        }
        System.err.printf("%s: %s (%.1f s)%n", label, summary, (System.nanoTime() - started) / 1e9);
    }

    private static String format(long seconds) {
        Duration d = Duration.ofSeconds(seconds);
        return d.toMinutes() > 0 ? d.toMinutes() + " min " + d.toSecondsPart() + " s" : d.toSeconds() + " s";
    }
}
