package org.sightline.importexport;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/** A quarantined row as people see and correct it: the raw values under the file's own column names. */
public record QuarantinedRow(UUID id, long line, String ref, Map<String, String> raw, List<RowError> errors,
                             String status, String outcome, int version) {
}
