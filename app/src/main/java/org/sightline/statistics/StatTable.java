package org.sightline.statistics;

import java.util.List;

/**
 * One table as a page shows it and its CSV download writes it: the same cells, already published (suppressed counts
 * are "[c]"), so the download always matches the table. The first cell of each row is its header. {@code chart}: the
 * page may draw it as a bar chart of the {@code chartColumn} (the table stays, as the chart's accessible form), without
 * the last row when it is a total ({@code totalRow}). The first {@code textColumns} columns are text, the rest
 * figures.
 */
public record StatTable(
        String id,
        String caption,
        List<String> columns,
        List<List<String>> rows,
        Integer chartColumn,
        String note,
        boolean totalRow,
        int textColumns) {

    public StatTable(
            String id,
            String caption,
            List<String> columns,
            List<List<String>> rows,
            Integer chartColumn,
            String note) {
        this(id, caption, columns, rows, chartColumn, note, false, 1);
    }

    public boolean chart() {
        return chartColumn != null && !rows.isEmpty();
    }
}
