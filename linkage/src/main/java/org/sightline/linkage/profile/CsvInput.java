package org.sightline.linkage.profile;

import de.siegmar.fastcsv.reader.CsvParseException;
import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
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
    // file index and line per record, primitive: a national file has millions of records
    private int[] fileOf = new int[1024];
    private long[] lineOf = new long[1024];
    private final List<@Nullable String> truth = new ArrayList<>();

    public List<Record> records() {
        return records;
    }

    /** "file line N" of record i. */
    public String where(int i) {
        return files.get(fileOf[i]) + " line " + lineOf[i];
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
        List<String> idColumns = layout.idColumns();
        // checked while reading, so a repeated id stops the run at its line rather than after the whole file
        Map<String, Integer> firstById = new HashMap<>();
        // one String per distinct value of a column (agency codes, sex, birth dates, names repeat across millions
        // of rows), so the records hold references rather than copies
        List<Shared> shared = new ArrayList<>();
        for (int f = 0; f < fields.size(); f++) {
            shared.add(new Shared());
        }
        Shared sharedSource = new Shared();
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
                int[][] idx = new int[fields.size()][];
                int[] idIdx = new int[idColumns.size()];
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
                        for (int c = 0; c < idColumns.size(); c++) {
                            idIdx[c] = column(
                                    header,
                                    idColumns.get(c),
                                    p,
                                    idColumns.size() == 1 ? "csv.id_column" : "csv.id_columns");
                        }
                        if (layout.sourceColumn() != null) {
                            srcIdx = column(header, layout.sourceColumn(), p, "csv.source_column");
                        }
                        for (int f = 0; f < fields.size(); f++) {
                            List<String> cols = layout.columnsOf(fields.get(f).name());
                            idx[f] = new int[cols.size()];
                            for (int c = 0; c < cols.size(); c++) {
                                idx[f][c] = column(
                                        header,
                                        cols.get(c),
                                        p,
                                        "fields[" + f + "] (" + fields.get(f).name() + ")");
                            }
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
                    String id = id(row, idIdx, idColumns, layout.trim(), p, line);
                    Integer first = firstById.putIfAbsent(id, in.records.size());
                    if (first != null) {
                        throw in.duplicate(layout, p, line, id, first);
                    }
                    String[] values = new String[fields.size()];
                    for (int f = 0; f < fields.size(); f++) {
                        values[f] = shared.get(f)
                                .of(idx[f].length == 1 ? value(row, idx[f][0], layout.trim()) : joined(row, idx[f]));
                    }
                    String src = srcIdx >= 0 ? sharedSource.of(value(row, srcIdx, true)) : source;
                    in.add(new Record(id, src == null ? "" : src, values), fileIndex, line);
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

    /**
     * Truth kept in its own file, joined to the records by the profile's id column(s): synth's
     * {@code truth/record_truth.csv} (agency_code, record_ref, child_id) for person_records.csv. A record the file does
     * not mention has no truth (null: it is its own entity).
     */
    public static List<@Nullable String> truthFile(
            Profile profile, Path file, String column, @Nullable Pattern pattern, List<Record> records) {
        Map<String, Integer> index = new HashMap<>(records.size() * 2);
        for (int i = 0; i < records.size(); i++) {
            index.put(records.get(i).id(), i);
        }
        @Nullable String[] truth = new String[records.size()];
        List<String> idColumns = profile.csv().idColumns();
        try (CsvReader<CsvRecord> reader = CsvReader.builder()
                .allowMissingFields(true)
                .skipEmptyLines(true)
                .ofCsvRecord(file, StandardCharsets.UTF_8)) {
            int[] idIdx = null;
            int truthIdx = -1;
            for (CsvRecord row : reader) {
                if (idIdx == null) {
                    Map<String, Integer> header = new HashMap<>();
                    for (int i = 0; i < row.getFieldCount(); i++) {
                        header.put(row.getField(i).strip().replace("\uFEFF", ""), i);
                    }
                    idIdx = new int[idColumns.size()];
                    for (int c = 0; c < idIdx.length; c++) {
                        idIdx[c] = column(header, idColumns.get(c), file, "the profile's id column(s)");
                    }
                    truthIdx = column(header, column, file, "--truth-column");
                    continue;
                }
                long line = row.getStartingLineNumber();
                Integer i = index.get(id(row, idIdx, idColumns, true, file, line));
                if (i == null) {
                    continue; // truth for a record not in this run's inputs
                }
                String t = value(row, truthIdx, true);
                if (t != null && pattern != null) {
                    Matcher m = pattern.matcher(t);
                    if (!m.find()) {
                        throw new CsvInputException(file + " line " + line + ", column " + column
                                + ": value does not match --truth-pattern " + pattern.pattern());
                    }
                    t = m.group(1);
                }
                truth[i] = t;
            }
        } catch (IOException e) {
            throw new CsvInputException(file + ": cannot read (" + e.getMessage() + ")");
        } catch (UncheckedIOException e) {
            throw new CsvInputException(file + ": cannot read ("
                    + Objects.requireNonNull(e.getCause()).getMessage() + ")");
        } catch (CsvParseException e) {
            throw new CsvInputException(file + ": not valid CSV (" + e.getMessage() + ")");
        }
        return Arrays.asList(truth);
    }

    private void add(Record r, int file, long line) {
        int i = records.size();
        if (i == fileOf.length) {
            fileOf = Arrays.copyOf(fileOf, i * 2);
            lineOf = Arrays.copyOf(lineOf, i * 2);
        }
        records.add(r);
        fileOf[i] = file;
        lineOf[i] = line;
    }

    /** The record id: one column's value, or several joined by '/' (agency_code/record_ref). */
    private static String id(CsvRecord row, int[] idIdx, List<String> idColumns, boolean trim, Path p, long line) {
        if (idIdx.length == 1) {
            String id = value(row, idIdx[0], trim);
            if (id == null) {
                throw new CsvInputException(
                        p + " line " + line + ", column " + idColumns.get(0) + ": the record id is empty");
            }
            return id;
        }
        StringBuilder b = new StringBuilder(32);
        for (int c = 0; c < idIdx.length; c++) {
            String v = value(row, idIdx[c], trim);
            if (v == null) {
                throw new CsvInputException(p + " line " + line + ", column " + idColumns.get(c)
                        + ": empty, and it is part of the record id (csv.id_columns)");
            }
            b.append(c == 0 ? "" : "/").append(v);
        }
        return b.toString();
    }

    /** Names the id column(s), both lines, and (one id column with a source column) the composite id that fixes it. */
    private CsvInputException duplicate(Profile.CsvLayout layout, Path p, long line, String id, int first) {
        boolean one = layout.idColumns().size() == 1;
        String msg = p + " line " + line + ", " + (one ? "column " : "columns ") + layout.idDescription() + ": id '"
                + id + "' is already used by " + where(first) + " (ids must be unique across all inputs)";
        if (one && layout.sourceColumn() != null) {
            msg += "; if it is unique only within each " + layout.sourceColumn() + ", use csv.id_columns: ["
                    + layout.sourceColumn() + ", " + layout.idColumns().get(0) + "]";
        }
        return new CsvInputException(msg);
    }

    private static int column(Map<String, Integer> header, String name, Path p, String setting) {
        Integer i = header.get(name);
        if (i == null) {
            throw new CsvInputException(p + " line 1: missing column '" + name + "' required by " + setting
                    + " (header has: " + String.join(", ", new java.util.TreeSet<>(header.keySet())) + ")");
        }
        return i;
    }

    /** Canonical instances of a column's values, up to a bound (a column of unique values stops being cached). */
    private static final class Shared {
        private static final int MAX = 200_000;
        private final Map<String, String> seen = new HashMap<>();

        @Nullable
        String of(@Nullable String v) {
            if (v == null) {
                return null;
            }
            String s = seen.get(v);
            if (s != null) {
                return s;
            }
            if (seen.size() < MAX) {
                seen.put(v, v);
            }
            return v;
        }
    }

    /** Non-empty values of several columns joined by a space; null when all are empty. */
    private static @Nullable String joined(CsvRecord row, int[] cols) {
        StringBuilder b = new StringBuilder(32);
        for (int c : cols) {
            String v = value(row, c, true);
            if (v != null) {
                b.append(b.length() == 0 ? "" : " ").append(v);
            }
        }
        return b.length() == 0 ? null : b.toString();
    }

    private static @Nullable String value(CsvRecord row, int i, boolean trim) {
        String v = row.getField(i);
        if (trim) {
            v = v.strip();
        }
        return v.isEmpty() ? null : v;
    }
}
