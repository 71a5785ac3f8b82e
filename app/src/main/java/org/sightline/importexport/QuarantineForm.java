package org.sightline.importexport;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A quarantined row as its correction form shows it: one field per column of the file, each knowing the standard
 * column it feeds (for its human label) and only its own errors; errors of the whole row stay apart.
 *
 * @param fields   in the file's column order; {@code id} is the form input's name and id (v0, v1, …)
 * @param rowErrors errors naming no column of the file (a missing column, the wrong number of fields)
 * @param line      for a row with the wrong number of fields, the row as one CSV line to correct whole (its values
 *                  cannot be matched to columns); otherwise null
 */
public record QuarantineForm(QuarantinedRow row, List<Field> fields, List<RowError> rowErrors, String line) {

    /** The form input a whole-line correction is typed in. */
    public static final String LINE = "line";

    /** @param column the standard column this file column feeds, or null when the import ignores it */
    public record Field(String id, String key, String column, String value, List<RowError> errors) {

        public boolean hasErrors() {
            return !errors.isEmpty();
        }
    }

    /** Every error in page order, each with the id of the field it concerns (row errors: the first field). */
    public record Problem(String field, RowError error) {}

    static QuarantineForm of(QuarantinedRow row, Map<String, String> standardColumnOfKey) {
        List<Field> fields = new ArrayList<>();
        List<RowError> unplaced = new ArrayList<>(row.errors());
        int i = 0;
        for (Map.Entry<String, String> entry : row.raw().entrySet()) {
            String column = standardColumnOfKey.get(entry.getKey());
            List<RowError> own = column == null
                    ? List.of()
                    : row.errors().stream()
                            .filter(e -> column.equals(e.column()))
                            .toList();
            unplaced.removeAll(own);
            fields.add(new Field("v" + i++, entry.getKey(), column, entry.getValue(), own));
        }
        return new QuarantineForm(
                row,
                fields,
                unplaced,
                row.wholeLine() ? CsvRows.formatLine(List.copyOf(row.raw().values())) : null);
    }

    /** For the error summary: row errors first (linked to the first field), then each field's in page order. */
    public List<Problem> problems() {
        List<Problem> problems = new ArrayList<>();
        String first =
                line != null ? LINE : fields.isEmpty() ? "v0" : fields.get(0).id();
        rowErrors.forEach(e -> problems.add(new Problem(first, e)));
        fields.forEach(f -> f.errors().forEach(e -> problems.add(new Problem(f.id(), e))));
        return problems;
    }
}
