package org.sightline.statistics;

import de.siegmar.fastcsv.writer.CsvWriter;
import de.siegmar.fastcsv.writer.LineDelimiter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.sightline.shared.CsvCells;
import org.sightline.shared.Disclosure;
import org.springframework.context.MessageSource;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.web.util.HtmlUtils;
import tools.jackson.databind.ObjectMapper;

/**
 * Writes a published profile as JSON, CSV or a standalone HTML report (docs/statistics.md). JSON maps each dimension's
 * codes to counts (a number, or "[c]" when suppressed); CSV and HTML carry the same counts with labels and
 * percentages, so the three never disagree.
 */
@Component
public class ReportWriter {

    public static final List<String> FORMATS = List.of("json", "csv", "html");

    private final ObjectMapper json;
    private final MessageSource messages;
    private final JdbcClient jdbc;

    ReportWriter(ObjectMapper json, MessageSource messages, JdbcClient jdbc) {
        this.json = json;
        this.messages = messages;
        this.jdbc = jdbc;
    }

    public void write(PublishedProfile p, String format, Writer out) {
        try {
            switch (format) {
                case "json" -> json(p, out);
                case "csv" -> csv(p, out);
                case "html" -> html(p, out);
                default -> throw new IllegalArgumentException("format must be one of " + String.join(", ", FORMATS));
            }
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Writes a table report (missing-statistics, reconciliation, data-quality): JSON maps each table's row codes to
     * its column codes and values (numbers where the cell is a number, "[c]" where suppressed, else text); CSV has one
     * line per cell, {@code table,row_code,row,column_code,column,value}; HTML has the tables as the page shows them.
     */
    public void write(TableReports.TableReport r, String format, Writer out) {
        try {
            switch (format) {
                case "json" -> json(r, out);
                case "csv" -> csv(r, out);
                case "html" -> html(r, out);
                default -> throw new IllegalArgumentException("format must be one of " + String.join(", ", FORMATS));
            }
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, Object> scopeFields(ProfileQuery q, boolean suppressed) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("area", q.area());
        m.put("from", q.from() == null ? null : q.from().toString());
        m.put("to", q.to() == null ? null : q.to().toString());
        m.put("as_at", q.asAt().toString());
        m.put("suppressed", suppressed);
        return m;
    }

    /** A cell as JSON: a number when it is one, else the text ("[c]", a label). */
    private static Object cell(String text) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        try {
            return text.contains(".") ? (Object) new java.math.BigDecimal(text) : (Object) Long.valueOf(text);
        } catch (NumberFormatException e) {
            return text;
        }
    }

    private void json(TableReports.TableReport r, Writer out) throws IOException {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("kind", r.kind());
        for (StatTable t : r.tables()) {
            Map<String, Object> rows = new LinkedHashMap<>();
            for (int i = 0; i < t.rows().size(); i++) {
                List<String> row = t.rows().get(i);
                Object value;
                if (t.columnCodes().size() == 1) {
                    value = cell(row.get(1));
                } else {
                    Map<String, Object> cols = new LinkedHashMap<>();
                    for (int c = 0; c < t.columnCodes().size(); c++) {
                        cols.put(t.columnCodes().get(c), cell(row.get(c + 1)));
                    }
                    value = cols;
                }
                rows.put(t.rowCodes().get(i), value);
            }
            root.put(t.id(), rows);
        }
        root.putAll(scopeFields(r.query(), r.suppressed()));
        // As a string: Jackson would close the caller's writer, which then fails to flush (a file's writer).
        out.write(json.writerWithDefaultPrettyPrinter().writeValueAsString(root));
    }

    private void csv(TableReports.TableReport r, Writer out) throws IOException {
        CsvWriter csv = CsvWriter.builder().lineDelimiter(LineDelimiter.CRLF).build(out);
        csv.writeRecord("table", "row_code", "row", "column_code", "column", "value");
        for (StatTable t : r.tables()) {
            for (int i = 0; i < t.rows().size(); i++) {
                List<String> row = t.rows().get(i);
                for (int c = 0; c < t.columnCodes().size(); c++) {
                    csv.writeRecord(CsvCells.neutralise(List.of(
                            t.id(),
                            t.rowCodes().get(i),
                            row.get(0),
                            t.columnCodes().get(c),
                            t.columns().get(c + 1),
                            row.get(c + 1))));
                }
            }
        }
        csv.flush();
    }

    private void html(TableReports.TableReport r, Writer out) throws IOException {
        StringBuilder h = new StringBuilder();
        String title = label("statistics.kind." + r.kind(), null);
        head(h, title);
        h.append("<p>").append(esc(scope(r.query()))).append("</p>\n");
        if (r.suppressed()) {
            h.append("<p>")
                    .append(esc(label("statistics.suppressionNote", null)))
                    .append("</p>\n");
        }
        for (StatTable t : r.tables()) {
            h.append("<table><caption>").append(esc(t.caption())).append("</caption><thead><tr>");
            t.columns()
                    .forEach(c -> h.append("<th scope=\"col\">").append(esc(c)).append("</th>"));
            h.append("</tr></thead><tbody>\n");
            for (List<String> row : t.rows()) {
                h.append("<tr><th scope=\"row\">").append(esc(row.get(0))).append("</th>");
                for (int c = 1; c < row.size(); c++) {
                    h.append(c >= t.textColumns() ? "<td class=\"n\">" : "<td>")
                            .append(esc(row.get(c)))
                            .append("</td>");
                }
                h.append("</tr>\n");
            }
            h.append("</tbody></table>\n");
            if (t.note() != null) {
                h.append("<p>").append(esc(t.note())).append("</p>\n");
            }
        }
        h.append("</body></html>\n");
        out.write(h.toString());
    }

    private void head(StringBuilder h, String title) {
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
                .append(esc(title))
                .append("</title><style>body{font-family:Arial,sans-serif;margin:2em;color:#0b0c0c}"
                        + "table{border-collapse:collapse;margin-bottom:1.5em;min-width:24em}"
                        + "th,td{border-bottom:1px solid #b1b4b6;padding:.3em .6em;text-align:left}"
                        + "td.n{text-align:right;font-variant-numeric:tabular-nums}caption{font-weight:bold;text-align:left;"
                        + "padding:.4em 0}@media print{table{page-break-inside:avoid}}</style></head><body>\n");
        h.append("<h1>").append(esc(title)).append("</h1>\n");
    }

    private static Object value(PublishedProfile.Cell cell) {
        return cell.hidden() ? Disclosure.SUPPRESSED : (Object) cell.value();
    }

    private void json(PublishedProfile p, Writer out) throws IOException {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put(p.profile().kind().subjectKey(), value(p.subjects()));
        root.put("records", value(p.records()));
        root.put("unplaced", value(p.unplaced()));
        p.dimensions().forEach((name, rows) -> {
            Map<String, Object> codes = new LinkedHashMap<>();
            rows.forEach(r -> codes.put(r.code(), value(r.count())));
            root.put(name, codes);
        });
        ProfileQuery q = p.profile().query();
        root.put("area", q.area());
        root.put("from", q.from() == null ? null : q.from().toString());
        root.put("to", q.to() == null ? null : q.to().toString());
        root.put("as_at", q.asAt().toString());
        root.put("suppressed", p.suppressed());
        // As a string: Jackson would close the caller's writer, which then fails to flush (a file's writer).
        out.write(json.writerWithDefaultPrettyPrinter().writeValueAsString(root));
    }

    private void csv(PublishedProfile p, Writer out) throws IOException {
        CsvWriter csv = CsvWriter.builder().lineDelimiter(LineDelimiter.CRLF).build(out);
        csv.writeRecord("dimension", "code", "label", "count", "percent");
        csv.writeRecord(
                p.profile().kind().subjectKey(),
                "",
                label("statistics.total", null),
                p.subjects().text(),
                "");
        csv.writeRecord(
                "records", "", label("statistics.records", null), p.records().text(), "");
        csv.writeRecord(
                "unplaced",
                "",
                label("statistics.unplaced." + p.profile().kind().subjectKey(), null),
                p.unplaced().text(),
                "");
        p.dimensions()
                .forEach((name, rows) -> rows.forEach(r -> csv.writeRecord(CsvCells.neutralise(List.of(
                        name, r.code(), codeLabel(name, r.code()), r.count().text(), r.percent())))));
        csv.flush();
    }

    private void html(PublishedProfile p, Writer out) throws IOException {
        StringBuilder h = new StringBuilder();
        String title = label("statistics.kind." + p.profile().kind().code(), null);
        head(h, title);
        h.append("<p>")
                .append(esc(scope(p)))
                .append("</p>\n<p>")
                .append(esc(label(
                        "statistics.countedOnce",
                        new Object[] {p.subjects().text(), p.records().text()})))
                .append("</p>\n");
        if (p.unplaced().value() > 0) {
            h.append("<p>")
                    .append(esc(label(
                            "statistics.unplacedNote." + p.profile().kind().subjectKey(),
                            new Object[] {p.unplaced().text()})))
                    .append("</p>\n");
        }
        if (p.suppressed()) {
            h.append("<p>")
                    .append(esc(label("statistics.suppressionNote", null)))
                    .append("</p>\n");
        }
        for (Map.Entry<String, List<PublishedProfile.Row>> d : p.dimensions().entrySet()) {
            h.append("<table><caption>")
                    .append(esc(label("statistics.dimension." + d.getKey(), null)))
                    .append("</caption><thead><tr><th scope=\"col\">")
                    .append(esc(label("statistics.column.value", null)))
                    .append("</th><th scope=\"col\">")
                    .append(esc(label("statistics.column.count", null)))
                    .append("</th><th scope=\"col\">")
                    .append(esc(label("statistics.column.percent", null)))
                    .append("</th></tr></thead><tbody>\n");
            for (PublishedProfile.Row r : d.getValue()) {
                h.append("<tr><th scope=\"row\">")
                        .append(esc(codeLabel(d.getKey(), r.code())))
                        .append("</th><td class=\"n\">")
                        .append(esc(r.count().text()))
                        .append("</td><td class=\"n\">")
                        .append(esc(r.percent()))
                        .append("</td></tr>\n");
            }
            h.append("</tbody></table>\n");
        }
        h.append("</body></html>\n");
        out.write(h.toString());
    }

    /** "Area E10000028, concerns raised 1 April 2024 to 31 March 2025, ages at 31 March 2025." */
    public String scope(PublishedProfile p) {
        return scope(p.profile().query());
    }

    private String scope(ProfileQuery q) {
        return label("statistics.scope", new Object[] {
            q.area() == null ? label("statistics.area.all", null) : q.area(),
            q.from() == null ? label("statistics.period.start", null) : q.from().toString(),
            q.to() == null ? label("statistics.period.end", null) : q.to().toString(),
            q.asAt().toString()
        });
    }

    /** A code's label: ethnicity codes from the DfE list, the rest from the bundle; age bands as they are. */
    public String codeLabel(String dimension, String code) {
        if ("ethnicity".equals(dimension) && !Fact.isUnknown(code)) {
            return jdbc.sql("SELECT label FROM ref_ethnicity WHERE scheme = 'DFE' AND code = ?")
                    .param(code)
                    .query(String.class)
                    .optional()
                    .map(l -> code + " – " + l)
                    .orElse(code);
        }
        if ("age_band".equals(dimension) && !Fact.isUnknown(code)) {
            return code;
        }
        return messages.getMessage("statistics.code." + code, null, code, locale());
    }

    private String label(String key, Object[] args) {
        return messages.getMessage(key, args, locale());
    }

    private static Locale locale() {
        return LocaleContextHolder.getLocale();
    }

    private static String esc(String s) {
        return HtmlUtils.htmlEscape(s == null ? "" : s);
    }
}
