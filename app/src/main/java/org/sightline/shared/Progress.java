package org.sightline.shared;

/**
 * How a long service call reports progress: the one progress abstraction of the application. Services take it and
 * never print; a command passes {@link TerminalProgress}, a web page {@link #NONE}, so nothing a page does writes to
 * the server's terminal.
 */
public interface Progress {

    Progress NONE = new Progress() {
        @Override
        public void total(long total) {}

        @Override
        public void update(long done) {}

        @Override
        public void done(String summary) {}
    };

    /** How many units the work has, when known (0: unknown). */
    void total(long total);

    /** Units done so far; called often, so implementations keep it cheap. */
    void update(long done);

    /** The work finished, with a one-line summary. */
    void done(String summary);
}
