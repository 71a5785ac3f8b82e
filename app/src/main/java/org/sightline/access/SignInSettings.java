package org.sightline.access;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code sightline.sign-in.*}: how many failed sign-ins within {@code window} lock an account name (whether or not it
 * exists, so the lock says nothing about that) and a source address (a spray across many accounts from one place), and
 * for how long. Each successive lockout of the same key doubles its period, up to {@code max-lock}; a key quiet for
 * {@code forget-after} starts again from the first period.
 */
@ConfigurationProperties("sightline.sign-in")
record SignInSettings(
        @DefaultValue("5") int accountFailures,
        @DefaultValue("30") int sourceFailures,
        @DefaultValue("15m") Duration window,
        @DefaultValue("15m") Duration accountLock,
        @DefaultValue("15m") Duration sourceLock,
        @DefaultValue("24h") Duration maxLock,
        @DefaultValue("24h") Duration forgetAfter) {

    SignInSettings {
        if (accountFailures < 1 || sourceFailures < 1) {
            throw new IllegalArgumentException(
                    "sightline.sign-in: account-failures and source-failures must be 1 or more");
        }
        for (Duration d : new Duration[] {window, accountLock, sourceLock, maxLock, forgetAfter}) {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("sightline.sign-in: durations must be positive, not " + d);
            }
        }
    }
}
