package org.sightline.synth;

import java.time.LocalDate;

/**
 * Settings of one generation run. The output depends only on {@code children}, {@code seed} and
 * {@code referenceDate}; {@code threads} changes the speed, never the bytes.
 *
 * @param children      number of children in the population, 1 to {@value #MAX_CHILDREN}
 * @param seed          any long; the same seed gives the same population
 * @param referenceDate "today" for the population: ages, open episodes and record dates are relative to it
 * @param threads       worker threads, 1 to 64
 * @param errors        how dirty the agency records are
 */
public record SynthConfig(int children, long seed, LocalDate referenceDate, int threads, Errors errors) {

    /** Error profiles of the agency records (synth/README.md). */
    public enum Errors {
        /** The rates of {@code ErrorProfile}: realistic agency records. */
        DEFAULT,
        /**
         * DEFAULT plus missing family names (10%) and birth dates (20%), impossible dates, truncated and reordered
         * names, and agencies that hold only a full name: for testing linkage that must not lean on one field.
         */
        HARD
    }

    public SynthConfig(int children, long seed, LocalDate referenceDate, int threads) {
        this(children, seed, referenceDate, threads, Errors.DEFAULT);
    }

    public static final int MAX_CHILDREN = 10_000_000;
    /** A fixed default so that output does not change with the calendar. */
    public static final LocalDate DEFAULT_REFERENCE_DATE = LocalDate.of(2025, 6, 30);

    public SynthConfig {
        if (children < 1 || children > MAX_CHILDREN) {
            throw new IllegalArgumentException("children must be between 1 and 10,000,000 (was " + children + ")");
        }
        if (referenceDate == null) {
            throw new IllegalArgumentException("referenceDate is required");
        }
        if (referenceDate.getYear() < 2000 || referenceDate.getYear() > 2100) {
            throw new IllegalArgumentException(
                    "referenceDate must be between 2000 and 2100 (was " + referenceDate + ")");
        }
        if (errors == null) {
            throw new IllegalArgumentException("errors is required");
        }
        if (threads < 1 || threads > 64) {
            throw new IllegalArgumentException("threads must be between 1 and 64 (was " + threads + ")");
        }
    }

    /** Defaults: reference date {@link #DEFAULT_REFERENCE_DATE}, up to 2 threads. */
    public static SynthConfig of(int children, long seed) {
        return new SynthConfig(
                children,
                seed,
                DEFAULT_REFERENCE_DATE,
                Math.max(1, Math.min(2, Runtime.getRuntime().availableProcessors())));
    }

    public SynthConfig withThreads(int n) {
        return new SynthConfig(children, seed, referenceDate, n, errors);
    }

    public SynthConfig withErrors(Errors e) {
        return new SynthConfig(children, seed, referenceDate, threads, e);
    }

    public SynthConfig withReferenceDate(LocalDate date) {
        return new SynthConfig(children, seed, date, threads, errors);
    }
}
