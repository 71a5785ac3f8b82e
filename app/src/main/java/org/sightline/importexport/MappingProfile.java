package org.sightline.importexport;

import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.sightline.shared.Violation;

/**
 * How one agency's own layout maps onto a standard layout: source column → standard column, optional value maps
 * per standard column (e.g. sex "M" → "male") and optional date / date-time patterns (e.g. dd/MM/yyyy). The
 * standard profile maps every standard column to itself.
 */
public record MappingProfile(
        String name,
        ImportKind kind,
        Map<String, String> columnMap,
        Map<String, Map<String, String>> valueMaps,
        String dateFormat,
        String dateTimeFormat) {

    public MappingProfile {
        columnMap = columnMap == null ? Map.of() : Map.copyOf(columnMap);
        valueMaps = valueMaps == null ? Map.of() : Map.copyOf(valueMaps);
        dateFormat = dateFormat == null || dateFormat.isBlank() ? null : dateFormat.strip();
        dateTimeFormat = dateTimeFormat == null || dateTimeFormat.isBlank() ? null : dateTimeFormat.strip();
    }

    public static MappingProfile standard(ImportKind kind) {
        Map<String, String> identity = new LinkedHashMap<>();
        kind.columns().forEach(c -> identity.put(c.name(), c.name()));
        return new MappingProfile("standard", kind, identity, Map.of(), null, null);
    }

    public boolean isStandard() {
        return "standard".equals(name);
    }

    /** Fail-fast check of a profile before it is saved: every target is a standard column, patterns compile. */
    public List<Violation> problems() {
        List<Violation> problems = new ArrayList<>();
        if (name == null || !name.matches("[A-Za-z0-9][A-Za-z0-9 _.-]{0,63}")) {
            problems.add(new Violation(
                    "name",
                    "format",
                    "1 to 64 letters, digits, spaces, '.', '_' or '-', starting with a letter or digit"));
        } else if (isStandard()) {
            problems.add(new Violation("name", "reserved", "'standard' is the built-in layout"));
        }
        if (columnMap.isEmpty()) {
            problems.add(new Violation("columnMap", "required", "map at least one source column to a standard column"));
        }
        columnMap.forEach((source, target) -> {
            if (source == null || source.isBlank()) {
                problems.add(new Violation("columnMap", "blank-source", "source column names cannot be blank"));
            } else if (kind.indexOf(target) < 0) {
                problems.add(new Violation(
                        "columnMap." + source, "unknown-column", "is not a standard " + kind.code() + " column"));
            }
        });
        valueMaps.keySet().forEach(column -> {
            if (kind.indexOf(column) < 0) {
                problems.add(new Violation(
                        "valueMaps." + column, "unknown-column", "is not a standard " + kind.code() + " column"));
            }
        });
        checkPattern(dateFormat, "dateFormat", problems);
        checkPattern(dateTimeFormat, "dateTimeFormat", problems);
        return problems;
    }

    private static void checkPattern(String pattern, String field, List<Violation> problems) {
        if (pattern == null) {
            return;
        }
        try {
            DateTimeFormatter.ofPattern(pattern);
        } catch (IllegalArgumentException e) {
            problems.add(new Violation(field, "pattern", "is not a valid date pattern such as dd/MM/yyyy"));
        }
    }
}
