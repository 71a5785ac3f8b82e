package org.sightline.operation;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.slf4j.LoggerFactory;

/**
 * Before Spring configures logging, Logback's default logs everything at DEBUG to the console, so the embedded
 * PostgreSQL's start-up alone printed ~40 lines. Commands show their own progress; warnings still show. Spring
 * replaces this configuration with its own once it starts.
 */
public final class Quiet {

    private Quiet() {}

    public static void beforeSpring() {
        if (LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME) instanceof Logger root) {
            root.setLevel(Level.WARN);
        }
    }
}
