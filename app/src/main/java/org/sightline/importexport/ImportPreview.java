package org.sightline.importexport;

import java.util.List;
import java.util.Map;

/**
 * What committing a file would do, found without writing anything: the first rows as mapped to the standard
 * columns, the would-be counts (same arithmetic as the report) and the errors found.
 */
public record ImportPreview(
        String kind,
        String profile,
        String fileName,
        List<String> header,
        List<String> columns,
        List<List<String>> firstRows,
        long received,
        long imported,
        long updated,
        long unchanged,
        long quarantined,
        Map<String, Long> errorsByCode,
        List<RowError> firstErrors,
        String fileError) {

    public static final int ROWS_SHOWN = 10;
    public static final int ERRORS_SHOWN = 100;

    public ImportPreview {
        if (received != imported + updated + unchanged + quarantined) {
            throw new IllegalStateException("preview does not add up");
        }
    }
}
