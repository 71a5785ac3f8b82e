package org.sightline.importexport;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A quarantined row as people see and correct it: the raw values under the file's own column names, and what each
 * correction replaced (oldest first: the first entry is the row as it was in the file).
 */
public record QuarantinedRow(
        UUID id,
        long line,
        String ref,
        Map<String, String> raw,
        List<RowError> errors,
        String status,
        String outcome,
        int version,
        List<QuarantineHistoryEntry> history) {

    public QuarantinedRow(
            UUID id,
            long line,
            String ref,
            Map<String, String> raw,
            List<RowError> errors,
            String status,
            String outcome,
            int version) {
        this(id, line, ref, raw, errors, status, outcome, version, List.of());
    }

    /** A version of the row a correction replaced. */
    public record QuarantineHistoryEntry(
            Map<String, String> raw, List<RowError> errors, String replacedBy, Instant replacedAt) {}

    /** A field-count error: the row's fields cannot be matched to columns, so it is corrected as one CSV line. */
    public boolean wholeLine() {
        return errors.stream().anyMatch(e -> ImportError.E1008.name().equals(e.code()));
    }
}
