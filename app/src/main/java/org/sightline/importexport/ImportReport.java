package org.sightline.importexport;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * The outcome of one import run; {@code queuePosition} (1 = next) while it waits for an import slot, else null.
 * Every received row is in exactly one of the four outcomes; the constructor
 * refuses a report where that does not hold, so no entry point can ever show one.
 */
public record ImportReport(
        UUID id,
        String agencyCode,
        String kind,
        String fileName,
        String sha256,
        String status,
        long received,
        long imported,
        long updated,
        long unchanged,
        long quarantined,
        Integer estimatedRows,
        String fileError,
        String startedBy,
        Instant startedAt,
        Instant finishedAt,
        Map<String, Long> errorsByCode,
        Integer queuePosition) {

    public ImportReport {
        if (received != imported + updated + unchanged + quarantined) {
            throw new IllegalStateException("import report does not add up: received " + received + " != " + imported
                    + " + " + updated + " + " + unchanged + " + " + quarantined);
        }
        errorsByCode = errorsByCode == null ? Map.of() : Map.copyOf(errorsByCode);
    }

    public boolean finished() {
        return !"running".equals(status) && !"queued".equals(status) && !"previewed".equals(status);
    }

    public boolean allIn() {
        return "completed".equals(status) && quarantined == 0;
    }

    /** Rough progress for a running import, 0–100, from the rows counted so far. */
    public int percent() {
        if (finished()) {
            return 100;
        }
        if (estimatedRows == null || estimatedRows <= 0) {
            return 0;
        }
        return (int) Math.min(99, received * 100 / estimatedRows);
    }
}
