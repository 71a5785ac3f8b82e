package org.sightline.statistics;

import java.util.List;

/**
 * One table as a page shows it and its CSV download writes it: the same cells, already published (suppressed counts
 * are "[c]"), so the download always matches the table. The first cell of each row is its header. {@code chart}: the
 * page may draw it as a bar chart of the {@code chartColumn} (the table stays, as the chart's accessible form), without
 * the last row when it is a total ({@code totalRow}). The first {@code textColumns} columns are text, the rest
 * figures. {@code rowCodes} and {@code columnCodes} (when given) name the rows and the columns after the first in the
 * codes the {@code report} command's JSON uses.
 */
public record StatTable(
        String id,
        String caption,
        List<String> columns,
        List<List<String>> rows,
        Integer chartColumn,
        String note,
        boolean totalRow,
        int textColumns,
        List<String> rowCodes,
        List<String> columnCodes) {

    public StatTable(
            String id,
            String caption,
            List<String> columns,
            List<List<String>> rows,
            Integer chartColumn,
            String note,
            boolean totalRow,
            int textColumns) {
        this(id, caption, columns, rows, chartColumn, note, totalRow, textColumns, null, null);
    }

    public StatTable(
            String id,
            String caption,
            List<String> columns,
            List<List<String>> rows,
            Integer chartColumn,
            String note) {
        this(id, caption, columns, rows, chartColumn, note, false, 1);
    }

    /** The same table with the codes of its rows and of its columns after the first. */
    public StatTable withCodes(List<String> rowCodes, List<String> columnCodes) {
        return new StatTable(
                id, caption, columns, rows, chartColumn, note, totalRow, textColumns, rowCodes, columnCodes);
    }

    public boolean chart() {
        return chartColumn != null && !rows.isEmpty();
    }
}
