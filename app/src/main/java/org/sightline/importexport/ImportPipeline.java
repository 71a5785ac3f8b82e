package org.sightline.importexport;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongConsumer;

/**
 * The staged pipeline over one file: parse ({@link CsvRows}) → map and validate ({@link RowValidator}) → check
 * references in batches (preheat of the agency's person records) → hand each batch to a {@link Sink} (persist,
 * or count for a preview). Duplicated row references within the file are quarantined (E1007) after the first.
 */
final class ImportPipeline {

    /** Where batches go: the persist stage, or the preview's counter. */
    interface Sink {
        JdbcImportStore.BatchCounts accept(
                List<RowValidator.Valid> valid,
                List<Long> personIds,
                List<JdbcImportStore.QuarantineRow> quarantined,
                RowCheck validator);
    }

    /** Totals and the errors seen, with the file-level error if the file could not be read to its end. */
    static final class Outcome {
        long received;
        long imported;
        long updated;
        long unchanged;
        long quarantined;
        final Map<String, Long> errorsByCode = new TreeMap<>();
        final List<RowError> firstErrors = new ArrayList<>();
        final List<List<String>> firstRows = new ArrayList<>();
        List<String> header = List.of();
        String fileError;

        void add(JdbcImportStore.BatchCounts c) {
            received += c.received();
            imported += c.imported();
            updated += c.updated();
            unchanged += c.unchanged();
            quarantined += c.quarantined();
        }
    }

    /** The standard kind, whose rows may reference person records; null for an {@link ImportTable}. */
    private final ImportKind kind;

    private final String refColumn;
    private final java.util.function.Function<List<String>, RowCheck> validators;
    private final long agencyId;
    private final int batchSize;
    private final JdbcImportStore store;
    private java.util.function.LongPredicate committed = line -> false;

    /**
     * Resuming an interrupted run: rows on these lines were committed by it already and are neither counted nor
     * written again (their references still count for E1007, as in the first attempt).
     */
    ImportPipeline skipping(java.util.function.LongPredicate lines) {
        this.committed = lines;
        return this;
    }

    ImportPipeline(
            ImportKind kind,
            MappingProfile profile,
            String agencyCode,
            long agencyId,
            int batchSize,
            JdbcImportStore store,
            java.time.LocalDate today) {
        this(
                kind,
                kind.refLabel(),
                header -> new RowValidator(kind, profile, header, agencyCode, today),
                agencyId,
                batchSize,
                store);
    }

    /** The pipeline over an {@link ImportTable}: the table checks each row and writes each batch. */
    ImportPipeline(ImportTable table, long agencyId, int batchSize, JdbcImportStore store) {
        this(null, "key", header -> new TableValidator(table, header), agencyId, batchSize, store);
    }

    private ImportPipeline(
            ImportKind kind,
            String refColumn,
            java.util.function.Function<List<String>, RowCheck> validators,
            long agencyId,
            int batchSize,
            JdbcImportStore store) {
        this.kind = kind;
        this.refColumn = refColumn;
        this.validators = validators;
        this.agencyId = agencyId;
        this.batchSize = batchSize;
        this.store = store;
    }

    /**
     * Batches persisted at once, each in its own transaction on its own connection, while the next is read and
     * validated: PostgreSQL's per-row work (index entries, foreign-key checks) is most of an import and one
     * backend uses one core. Safe because a run's batches never share a reference (duplicates are quarantined)
     * and the run holds the agency-and-kind lock for all of them.
     */
    static final int PERSISTERS = 2;

    private final java.util.ArrayDeque<java.util.concurrent.Future<JdbcImportStore.BatchCounts>> pending =
            new java.util.ArrayDeque<>();
    private java.util.concurrent.ExecutorService persister;

    Outcome run(
            InputStream input, Sink sink, LongConsumer progress, java.util.function.Consumer<List<String>> onHeader) {
        java.util.concurrent.atomic.AtomicInteger threads = new java.util.concurrent.atomic.AtomicInteger();
        persister = java.util.concurrent.Executors.newFixedThreadPool(PERSISTERS, r -> {
            Thread t = new Thread(r, "import-persist-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        try {
            return read(input, sink, progress, onHeader);
        } finally {
            // On a failure here, let the batches in flight finish so the stored counts are final when reported.
            for (java.util.concurrent.Future<?> batch : pending) {
                try {
                    batch.get();
                } catch (java.util.concurrent.ExecutionException | java.util.concurrent.CancellationException ignored) {
                    // reported through the run's own failure
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            pending.clear();
            persister.shutdownNow();
        }
    }

    private Outcome read(
            InputStream input, Sink sink, LongConsumer progress, java.util.function.Consumer<List<String>> onHeader) {
        Outcome outcome = new Outcome();
        try (CsvRows rows = new CsvRows(input)) {
            outcome.header = rows.header();
            onHeader.accept(rows.header());
            RowCheck validator = validators.apply(rows.header());
            Map<String, Long> firstLineOfRef = new HashMap<>();
            List<RowValidator.Valid> valid = new ArrayList<>(batchSize);
            List<JdbcImportStore.QuarantineRow> quarantined = new ArrayList<>();
            try {
                for (CsvRows.Row row = rows.next(); row != null; row = rows.next()) {
                    Object result = validator.validate(row.line(), row.fields());
                    if (committed.test(row.line())) {
                        if (result instanceof RowValidator.Valid v) {
                            firstLineOfRef.putIfAbsent(v.ref(), v.line());
                        }
                        continue;
                    }
                    if (result instanceof RowValidator.Valid v) {
                        Long first = v.repeat() ? null : firstLineOfRef.putIfAbsent(v.ref(), v.line());
                        if (first != null) {
                            quarantine(
                                    outcome,
                                    quarantined,
                                    validator,
                                    v.line(),
                                    v.ref(),
                                    v.fields(),
                                    List.of(RowError.of(
                                            ImportError.E1007,
                                            v.line(),
                                            kind != null && kind.refColumn() == null ? null : refColumn,
                                            "the same " + refColumn + " is on line " + first)));
                        } else {
                            valid.add(v);
                            if (outcome.firstRows.size() < ImportPreview.ROWS_SHOWN) {
                                outcome.firstRows.add(List.of(v.values()));
                            }
                        }
                    } else {
                        RowValidator.Invalid bad = (RowValidator.Invalid) result;
                        quarantine(outcome, quarantined, validator, bad.line(), bad.ref(), bad.fields(), bad.errors());
                    }
                    if (valid.size() + quarantined.size() >= batchSize) {
                        flush(outcome, valid, quarantined, validator, sink);
                        progress.accept(outcome.received);
                    }
                }
            } catch (CsvRows.UnreadableFileException e) {
                outcome.fileError = ImportError.E1000.name() + " line " + e.line() + ": " + e.getMessage();
            }
            flush(outcome, valid, quarantined, validator, sink);
            awaitPending(outcome);
            progress.accept(outcome.received);
        } catch (CsvRows.UnreadableFileException e) {
            outcome.fileError = ImportError.E1000.name() + " line " + e.line() + ": " + e.getMessage();
        }
        return outcome;
    }

    private static void quarantine(
            Outcome outcome,
            List<JdbcImportStore.QuarantineRow> quarantined,
            RowCheck validator,
            long line,
            String ref,
            String[] fields,
            List<RowError> errors) {
        quarantined.add(new JdbcImportStore.QuarantineRow(line, ref, validator.raw(fields), errors));
        for (RowError error : errors) {
            outcome.errorsByCode.merge(error.code(), 1L, Long::sum);
            if (outcome.firstErrors.size() < ImportPreview.ERRORS_SHOWN) {
                outcome.firstErrors.add(error);
            }
        }
    }

    private void flush(
            Outcome outcome,
            List<RowValidator.Valid> valid,
            List<JdbcImportStore.QuarantineRow> quarantined,
            RowCheck validator,
            Sink sink) {
        if (valid.isEmpty() && quarantined.isEmpty()) {
            return;
        }
        List<Long> personIds = null;
        if (kind != null && kind.referencesPersonRecord() && !valid.isEmpty()) {
            int refIndex = kind.indexOf("record_ref");
            List<String> refs =
                    valid.stream().map(v -> v.values()[refIndex]).distinct().toList();
            Map<String, Long> ids = store.personRecordIds(agencyId, refs);
            List<RowValidator.Valid> known = new ArrayList<>(valid.size());
            personIds = new ArrayList<>(valid.size());
            for (RowValidator.Valid v : valid) {
                Long id = ids.get(v.values()[refIndex]);
                if (id == null) {
                    quarantine(
                            outcome,
                            quarantined,
                            validator,
                            v.line(),
                            v.ref(),
                            v.fields(),
                            List.of(RowError.of(ImportError.E1005, v.line(), "record_ref", null)));
                } else {
                    known.add(v);
                    personIds.add(id);
                }
            }
            valid.clear();
            valid.addAll(known);
        }
        if (kind == ImportKind.ASSOCIATIONS && !valid.isEmpty()) {
            List<List<RowError>> unresolved = store.unresolvedEnds(agencyId, valid);
            List<RowValidator.Valid> resolved = new ArrayList<>(valid.size());
            for (int i = 0; i < valid.size(); i++) {
                RowValidator.Valid v = valid.get(i);
                if (unresolved.get(i).isEmpty()) {
                    resolved.add(v);
                } else {
                    quarantine(outcome, quarantined, validator, v.line(), v.ref(), v.fields(), unresolved.get(i));
                }
            }
            valid.clear();
            valid.addAll(resolved);
        }
        List<RowValidator.Valid> batch = List.copyOf(valid);
        List<Long> ids = personIds == null ? null : List.copyOf(personIds);
        List<JdbcImportStore.QuarantineRow> held = List.copyOf(quarantined);
        valid.clear();
        quarantined.clear();
        while (pending.size() >= PERSISTERS) {
            awaitOldest(outcome);
        }
        Map<String, String> mdc = org.slf4j.MDC.getCopyOfContextMap();
        pending.add(persister.submit(() -> {
            if (mdc != null) {
                org.slf4j.MDC.setContextMap(mdc);
            }
            try {
                return sink.accept(batch, ids, held, validator);
            } finally {
                org.slf4j.MDC.clear();
            }
        }));
    }

    /** Waits for every batch in flight. */
    private void awaitPending(Outcome outcome) {
        while (!pending.isEmpty()) {
            awaitOldest(outcome);
        }
    }

    /**
     * Waits for the oldest batch in flight; its failure is the run's failure, as if it had run on this thread,
     * but only once the other batches in flight have finished, so the run's report counts every committed row.
     */
    private void awaitOldest(Outcome outcome) {
        try {
            outcome.add(pending.peek().get());
            pending.poll();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("import interrupted", e);
        } catch (java.util.concurrent.ExecutionException e) {
            pending.poll();
            while (!pending.isEmpty()) {
                try {
                    outcome.add(pending.poll().get());
                } catch (java.util.concurrent.ExecutionException ignored) {
                    // the first failure is the one reported
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        }
    }
}
