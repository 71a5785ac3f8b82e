package org.sightline.support;

import java.util.Optional;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * Prints why a test was skipped on the console (surefire otherwise keeps the reason in its XML only), so a run
 * without Chromium says so where people look. Registered for every test by autodetection (junit-platform.properties).
 */
public class SkipReasons implements TestWatcher {

    @Override
    public void testAborted(ExtensionContext context, Throwable cause) {
        print(context, cause == null ? null : cause.getMessage());
    }

    @Override
    public void testDisabled(ExtensionContext context, Optional<String> reason) {
        print(context, reason.orElse(null));
    }

    private static void print(ExtensionContext context, String reason) {
        System.out.println("SKIPPED " + context.getRequiredTestClass().getSimpleName() + "."
                + context.getTestMethod().map(m -> m.getName()).orElse(context.getDisplayName()) + ": "
                + (reason == null ? "no reason given" : reason));
    }
}
