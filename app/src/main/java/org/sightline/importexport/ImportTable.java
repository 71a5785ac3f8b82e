package org.sightline.importexport;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A file layout that another capability imports through this pipeline (SSDA903's Header, Episodes and Missing
 * tables): the pipeline streams the file, batches, quarantines refused rows with their coded errors, keeps the run
 * and its report, and replays corrected rows; the table checks one row and writes a batch. {@link #write} runs in
 * the batch's own transaction, possibly on a persist thread while the next batch is checked, so a table keeps what
 * batches share in thread-safe structures.
 */
public interface ImportTable {

    /** The run's kind, e.g. {@code ssda903-header}; stored with the run and shown in its report. */
    String kind();

    /** The columns of an accepted row, in the order {@link Check#values()} are shown in a preview. */
    List<String> columns();

    /** What a replay needs to rebuild this table for the run (e.g. the collection year and the date format). */
    String parameters();

    /**
     * Checks one row, given by the file's column names upper-cased (values stripped): accepted with its canonical
     * values, refused with every error, or an identical repeat of an earlier row (read once, counted unchanged).
     */
    Check check(long line, Map<String, String> row);

    /** Writes accepted rows (and counts repeats as unchanged) in the batch's transaction. */
    Counts write(List<Row> rows);

    /**
     * What {@link #write} would count for these rows, writing nothing (a preview): the same new, changed and
     * unchanged arithmetic, read from what is held now. Later rows of the preview see earlier ones as written.
     */
    Counts count(List<Row> rows);

    /** An accepted row as written: its line, key and canonical values by column. */
    record Row(long line, String ref, Map<String, String> values, boolean repeat) {}

    /** Rows new, changed and unchanged in one batch (they add up to the rows given). */
    record Counts(int imported, int updated, int unchanged) {}

    /** One row's verdict. */
    record Check(String ref, Map<String, String> values, List<RowError> errors, boolean repeat) {

        public static Check accepted(String ref, Map<String, String> values) {
            return new Check(ref, values, List.of(), false);
        }

        public static Check refused(String ref, List<RowError> errors) {
            if (errors.isEmpty()) {
                throw new IllegalArgumentException("a refused row needs its errors");
            }
            return new Check(ref, Map.of(), List.copyOf(errors), false);
        }

        /** The same key and values as an earlier line of the file: read once. */
        public static Check repeat(String ref) {
            return new Check(ref, Map.of(), List.of(), true);
        }
    }

    /** Rebuilds the table of a finished run to replay its corrected rows. */
    interface Factory {
        Optional<ImportTable> forRun(String kind, long agencyId, String agencyCode, String parameters);
    }
}
