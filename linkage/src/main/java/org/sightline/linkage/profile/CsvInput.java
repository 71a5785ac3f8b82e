package org.sightline.linkage.profile;

import de.siegmar.fastcsv.reader.CsvParseException;
import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.sightline.linkage.model.FieldSpec;
import org.sightline.linkage.model.Record;

/**
 * Reads person CSVs (with a header row) into {@link Record}s as a profile describes, remembering where each record
 * came from so errors can name the file and line. Optionally extracts a ground-truth entity key per record.
 */
public final class CsvInput {
    /** A problem in an input file; the message names the file, line and column. */
    public static final class CsvInputException extends RuntimeException {
        public CsvInputException(String message) {
            super(message);
        }
    }

    private final List<Record> records = new ArrayList<>();
    private final List<String> files = new ArrayList<>();
    private final List<Integer> fileOf = new ArrayList<>();
    private final List<Long> lineOf = new ArrayList<>();
    private final List<@Nullable String> truth = new ArrayList<>();

    public List<Record> records() {
        return records;
    }

    /** "file line N" of record i. */
    public String where(int i) {
        return files.get(fileOf.get(i)) + " line " + lineOf.get(i);
    }

    /** Truth entity key per record (null entries when the value is empty); empty list without truth. */
    public List<@Nullable String> truth() {
        return truth;
    }

    /**
     * Reads the files.
     *
     * @param truthColumn  column holding the true entity, or null
     * @param truthPattern regex whose first group of the column's value is the entity key, or null for the whole value
     */
    public static CsvInput read(
            Profile profile, List<Path> paths, @Nullable String truthColumn, @Nullable Pattern truthPattern) {
        CsvInput in = new CsvInput();
        Profile.CsvLayout layout = profile.csv();
        List<FieldSpec> fields = profile.config().fields();
        for (Path p : paths) {
            int fileIndex = in.files.size();
            in.files.add(p.toString());
            String source = p.getFileName().toString();
            CsvReader.CsvReaderBuilder builder = CsvReader.builder()
                    .fieldSeparator(layout.separator())
                    .allowExtraFields(true)
                    .allowMissingFields(true)
                    .skipEmptyLines(true);
            try (CsvReader<CsvRecord> reader = builder.ofCsvRecord(p, StandardCharsets.UTF_8)) {
                Map<String, Integer> header = null;
                int[] idx = new int[fields.size()];
                int idIdx = -1;
                int srcIdx = -1;
                int truthIdx = -1;
                int width = 0;
                for (CsvRecord row : reader) {
                    if (header == null) {
                        header = new HashMap<>();
                        for (int i = 0; i < row.getFieldCount(); i++) {
                            String h = row.getField(i).strip();
                            if (i == 0 && !h.isEmpty() && h.charAt(0) == '\uFEFF') {
                                h = h.substring(1);
                            }
                            header.put(h, i);
                        }
                        width = row.getFieldCount();
                        idIdx = column(header, layout.idColumn(), p, "csv.id_column");
                        if (layout.sourceColumn() != null) {
                            srcIdx = column(header, layout.sourceColumn(), p, "csv.source_column");
                        }
                        for (int f = 0; f < fields.size(); f++) {
                            // Profile gives every field a column
                            String col = Objects.requireNonNull(
                                    layout.columns().get(fields.get(f).name()));
                            idx[f] = column(
                                    header,
                                    col,
                                    p,
                                    "fields[" + f + "] (" + fields.get(f).name() + ")");
                        }
                        if (truthColumn != null) {
                            truthIdx = column(header, truthColumn, p, "--truth-column");
                        }
                        continue;
                    }
                    long line = row.getStartingLineNumber();
                    if (row.getFieldCount() != width) {
                        throw new CsvInputException(p + " line " + line + ": expected " + width
                                + " fields as in the header, found " + row.getFieldCount());
                    }
                    String id = value(row, idIdx, layout.trim());
                    if (id == null) {
                        throw new CsvInputException(
                                p + " line " + line + ", column " + layout.idColumn() + ": the record id is empty");
                    }
                    String[] values = new String[fields.size()];
                    for (int f = 0; f < fields.size(); f++) {
                        values[f] = value(row, idx[f], layout.trim());
                    }
                    String src = srcIdx >= 0 ? value(row, srcIdx, true) : source;
                    in.records.add(new Record(id, src == null ? "" : src, values));
                    in.fileOf.add(fileIndex);
                    in.lineOf.add(line);
                    if (truthIdx >= 0) {
                        String t = value(row, truthIdx, true);
                        if (t != null && truthPattern != null) {
                            Matcher m = truthPattern.matcher(t);
                            if (!m.find() || m.groupCount() < 1) {
                                throw new CsvInputException(p + " line " + line + ", column " + truthColumn
                                        + ": value does not match --truth-pattern " + truthPattern.pattern()
                                        + " (or the pattern has no group)");
                            }
                            t = m.group(1);
                        }
                        in.truth.add(t);
                    }
                }
                if (header == null) {
                    throw new CsvInputException(p + ": the file is empty (a header row is required)");
                }
            } catch (IOException e) {
                throw new CsvInputException(p + ": cannot read (" + e.getMessage() + ")");
            } catch (UncheckedIOException e) {
                // an UncheckedIOException always has its IOException as the cause
                throw new CsvInputException(p + ": cannot read ("
                        + Objects.requireNonNull(e.getCause()).getMessage() + ")");
            } catch (CsvParseException e) {
                throw new CsvInputException(p + ": not valid CSV (" + e.getMessage() + ")");
            }
        }
        return in;
    }

    private static int column(Map<String, Integer> header, String name, Path p, String setting) {
        Integer i = header.get(name);
        if (i == null) {
            throw new CsvInputException(p + " line 1: missing column '" + name + "' required by " + setting
                    + " (header has: " + String.join(", ", new java.util.TreeSet<>(header.keySet())) + ")");
        }
        return i;
    }

    private static @Nullable String value(CsvRecord row, int i, boolean trim) {
        String v = row.getField(i);
        if (trim) {
            v = v.strip();
        }
        return v.isEmpty() ? null : v;
    }
}
