package org.sightline.operation;

import de.siegmar.fastcsv.reader.CsvParseException;
import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import de.siegmar.fastcsv.reader.FieldMismatchStrategy;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Splits a file holding several agencies' rows into one file per agency, by the column naming each row's agency,
 * so each part goes through the same import (checks, quarantine, report) under its own agency. Each part keeps the
 * original line numbers: other agencies' rows become blank lines, which the importer skips, so an error's line
 * number is the line in the file the user gave.
 */
final class AgencySplit implements AutoCloseable {

    /** One agency's rows: its file and how many rows it holds. */
    record Part(String agency, Path file, long rows) {}

    /** Thrown when the file cannot be read as CSV (the import would fail it as E1000 too). */
    static final class Unreadable extends RuntimeException {
        Unreadable(String message) {
            super(message);
        }
    }

    private final Path folder;
    private final Map<String, Part> parts = new TreeMap<>();
    private final List<Long> linesWithoutAgency = new ArrayList<>();

    private AgencySplit(Path folder) {
        this.folder = folder;
    }

    /** Throws {@link IllegalArgumentException} when the header has no such column. */
    static AgencySplit split(Path file, String column) {
        AgencySplit split;
        try {
            split = new AgencySplit(Files.createTempDirectory("sightline-split"));
        } catch (IOException e) {
            throw new EnvironmentException(
                    "cannot create a temporary folder to split " + file + ": " + e.getMessage(), e);
        }
        Map<String, Out> writers = new TreeMap<>();
        try (var in = Files.newInputStream(file);
                CsvReader<CsvRecord> reader = CsvReader.builder()
                        .extraFieldStrategy(FieldMismatchStrategy.IGNORE)
                        .missingFieldStrategy(FieldMismatchStrategy.IGNORE)
                        .allowExtraCharsAfterClosingQuote(true)
                        .skipEmptyLines(true)
                        .ofCsvRecord(new InputStreamReader(
                                in,
                                StandardCharsets.UTF_8
                                        .newDecoder()
                                        .onMalformedInput(CodingErrorAction.REPLACE)
                                        .onUnmappableCharacter(CodingErrorAction.REPLACE)))) {
            List<String> header = null;
            int index = -1;
            for (CsvRecord record : reader) {
                if (header == null) {
                    header = new ArrayList<>(record.getFields());
                    header.set(0, header.get(0).replace("\uFEFF", ""));
                    index = header.stream().map(String::strip).toList().indexOf(column);
                    if (index < 0) {
                        throw new IllegalArgumentException("--agency-column " + column
                                + ": the file has no such column " + "(its header: " + String.join(",", header) + ")");
                    }
                    continue;
                }
                String agency =
                        index < record.getFieldCount() ? record.getField(index).strip() : "";
                if (agency.isEmpty()) {
                    split.linesWithoutAgency.add(record.getStartingLineNumber());
                    continue;
                }
                Out out = writers.get(agency);
                if (out == null) {
                    out = new Out(split.folder.resolve(writers.size() + ".csv"));
                    out.write(header, 1);
                    writers.put(agency, out);
                }
                out.write(record.getFields(), record.getStartingLineNumber());
            }
        } catch (CsvParseException e) {
            closeAll(writers);
            split.close();
            throw new Unreadable("unreadable CSV: " + e.getMessage());
        } catch (IOException e) {
            closeAll(writers);
            split.close();
            throw new EnvironmentException("cannot read " + file + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeAll(writers);
            split.close();
            throw e;
        }
        closeAll(writers);
        writers.forEach((agency, out) -> split.parts.put(agency, new Part(agency, out.path, out.rows)));
        return split;
    }

    Map<String, Part> parts() {
        return parts;
    }

    List<Long> linesWithoutAgency() {
        return linesWithoutAgency;
    }

    @Override
    public void close() {
        try (var files = Files.list(folder)) {
            for (Path p : files.toList()) {
                Files.deleteIfExists(p);
            }
            Files.deleteIfExists(folder);
        } catch (IOException e) {
            // a temporary folder left behind costs nothing; the import's result stands
        }
    }

    private static void closeAll(Map<String, Out> writers) {
        writers.values().forEach(Out::close);
    }

    /** One part being written, padded with blank lines so each record starts on its original line. */
    private static final class Out {
        final Path path;
        final Writer writer;
        long line = 1;
        long rows = -1;

        Out(Path path) {
            this.path = path;
            try {
                this.writer = new BufferedWriter(Files.newBufferedWriter(path, StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        void write(List<String> fields, long startingLine) {
            try {
                for (; line < startingLine; line++) {
                    writer.write('\n');
                }
                for (int i = 0; i < fields.size(); i++) {
                    String f = fields.get(i);
                    if (i > 0) {
                        writer.write(',');
                    }
                    if (!f.isEmpty()) {
                        writer.write('"');
                        writer.write(f.replace("\"", "\"\""));
                        writer.write('"');
                    }
                    line += f.chars().filter(c -> c == '\n').count();
                }
                writer.write('\n');
                line++;
                rows++;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        void close() {
            try {
                writer.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
