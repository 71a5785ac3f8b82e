package org.sightline.importexport;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The validate stage for an {@link ImportTable}: the row by upper-cased column name, checked by the table. */
final class TableValidator implements RowCheck {

    private final ImportTable table;
    private final List<String> names;
    private final List<String> rawKeys;

    TableValidator(ImportTable table, List<String> header) {
        this.table = table;
        this.names =
                header.stream().map(h -> h.strip().toUpperCase(Locale.ROOT)).toList();
        this.rawKeys = RowValidator.rawKeys(header);
    }

    @Override
    public Object validate(long line, String[] fields) {
        Map<String, String> row = new HashMap<>();
        for (int i = 0; i < names.size(); i++) {
            row.putIfAbsent(names.get(i), i < fields.length && fields[i] != null ? fields[i].strip() : "");
        }
        ImportTable.Check check = table.check(line, row);
        if (!check.errors().isEmpty()) {
            return new RowValidator.Invalid(line, check.ref(), fields, check.errors());
        }
        String[] values = new String[table.columns().size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = check.values().getOrDefault(table.columns().get(i), "");
        }
        return new RowValidator.Valid(line, check.ref(), values, "", fields, check.repeat());
    }

    @Override
    public Map<String, String> raw(String[] fields) {
        return RowValidator.raw(rawKeys, fields);
    }

    @Override
    public String[] fieldsOf(Map<String, String> raw) {
        return RowValidator.fieldsOf(rawKeys, raw);
    }

    /** A valid row as the table writes it. */
    static ImportTable.Row row(ImportTable table, RowValidator.Valid v) {
        Map<String, String> values = new HashMap<>();
        for (int i = 0; i < v.values().length; i++) {
            values.put(table.columns().get(i), v.values()[i]);
        }
        return new ImportTable.Row(v.line(), v.ref(), values, v.repeat());
    }
}
