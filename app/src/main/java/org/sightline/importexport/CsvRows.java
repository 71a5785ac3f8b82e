package org.sightline.importexport;

import de.siegmar.fastcsv.reader.CsvParseException;
import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import de.siegmar.fastcsv.reader.FieldMismatchStrategy;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.List;

/**
 * Parse stage: a CSV stream as a header and numbered rows. UTF-8 only; a UTF-8 byte-order mark is skipped.
 * Undecodable bytes become U+FFFD so the row they are on can be quarantined with E1010 naming its line, instead
 * of the whole file failing. A UTF-16 byte-order mark rejects the file (E1000): its rows cannot be read at all.
 * Field-count mismatches are left for the validator (E1008); only a CSV the parser cannot continue past throws.
 *
 * <p>A quote that is opened and never closed makes the parser read every following line into one field, so the rows
 * after it would vanish inside one quarantined row. No agency field spans many lines, so a field holding more than
 * {@link #MAX_LINE_BREAKS_PER_FIELD} line breaks fails the file (E1000) naming the line where its quote opened.
 */
public final class CsvRows implements AutoCloseable {

    /** A data row: the line it starts on (1 = header) and its fields as read. */
    public record Row(long line, String[] fields) {}

    /** The file cannot be read on past {@code line}. */
    public static final class UnreadableFileException extends RuntimeException {
        private final long line;

        UnreadableFileException(long line, String message) {
            super(message);
            this.line = line;
        }

        public long line() {
            return line;
        }
    }

    /** Line breaks one quoted field may hold (addresses written on several lines) before the file is refused. */
    static final int MAX_LINE_BREAKS_PER_FIELD = 10;

    private final CsvReader<CsvRecord> reader;
    private final Iterator<CsvRecord> records;
    private final List<String> header;
    private long lastLine = 1;

    public CsvRows(InputStream input) {
        BufferedInputStream in = new BufferedInputStream(input, 1 << 16);
        skipUtf8Bom(in);
        Reader text = new InputStreamReader(
                in,
                StandardCharsets.UTF_8
                        .newDecoder()
                        .onMalformedInput(CodingErrorAction.REPLACE)
                        .onUnmappableCharacter(CodingErrorAction.REPLACE));
        this.reader = dialect().ofCsvRecord(text);
        this.records = reader.iterator();
        CsvRecord first = nextRecord();
        if (first == null) {
            throw new UnreadableFileException(1, "the file is empty: it needs a header row");
        }
        // NUL cannot be stored in PostgreSQL text; such a header still reads, but matches no column.
        this.header = first.getFields().stream()
                .map(h -> h.strip().replace('\u0000', '\uFFFD'))
                .toList();
    }

    /** The one CSV dialect imports read (comma, double quotes, either line ending), for files and corrected lines alike. */
    private static CsvReader.CsvReaderBuilder dialect() {
        return CsvReader.builder()
                .extraFieldStrategy(FieldMismatchStrategy.IGNORE)
                .missingFieldStrategy(FieldMismatchStrategy.IGNORE)
                .allowExtraCharsAfterClosingQuote(true)
                .skipEmptyLines(true);
    }

    /**
     * A corrected row typed as one CSV line, read as the file was: its fields, or null when the text holds no row or
     * more than one (a line break outside quotes).
     */
    static String[] parseLine(String line) {
        String text = line == null ? "" : line.replaceAll("[\\r\\n]+$", "");
        try (CsvReader<CsvRecord> one = dialect().ofCsvRecord(text)) {
            Iterator<CsvRecord> records = one.iterator();
            if (!records.hasNext()) {
                return null;
            }
            String[] fields = records.next().getFields().toArray(String[]::new);
            return records.hasNext() ? null : fields;
        } catch (CsvParseException | IOException e) {
            return null;
        }
    }

    /** Fields written back as one CSV line in the same dialect (quoted only where they must be). */
    static String formatLine(List<String> fields) {
        java.io.StringWriter out = new java.io.StringWriter();
        try (de.siegmar.fastcsv.writer.CsvWriter csv = de.siegmar.fastcsv.writer.CsvWriter.builder()
                .lineDelimiter(de.siegmar.fastcsv.writer.LineDelimiter.LF)
                .build(out)) {
            csv.writeRecord(fields);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String text = out.toString();
        return text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
    }

    public List<String> header() {
        return header;
    }

    /** The next row, or null at the end of the file. */
    public Row next() {
        CsvRecord record = nextRecord();
        return record == null
                ? null
                : new Row(record.getStartingLineNumber(), record.getFields().toArray(String[]::new));
    }

    private CsvRecord nextRecord() {
        try {
            if (!records.hasNext()) {
                return null;
            }
            CsvRecord record = records.next();
            lastLine = record.getStartingLineNumber();
            checkLineBreaks(record);
            return record;
        } catch (CsvParseException e) {
            // The parser's message names its buffer limit, never row content.
            throw new UnreadableFileException(
                    lastLine + 1,
                    "unreadable CSV after line " + lastLine
                            + (e.getMessage() != null && e.getMessage().contains("buffer")
                                    ? ": a field is larger than the 16 MB limit"
                                    : ""));
        } catch (UncheckedIOException e) {
            throw new UnreadableFileException(lastLine + 1, "reading the file failed after line " + lastLine);
        }
    }

    private static void checkLineBreaks(CsvRecord record) {
        long line = record.getStartingLineNumber();
        for (String field : record.getFields()) {
            long breaks = field.chars().filter(c -> c == '\n').count();
            if (breaks > MAX_LINE_BREAKS_PER_FIELD) {
                throw new UnreadableFileException(
                        line,
                        "a quoted field opened on line " + line + " runs over " + (breaks + 1)
                                + " lines: a quote is probably not closed; close or remove it and import the file again");
            }
            line += breaks;
        }
    }

    private static void skipUtf8Bom(BufferedInputStream in) {
        try {
            in.mark(FileSignature.LENGTH);
            byte[] head = in.readNBytes(FileSignature.LENGTH);
            in.reset();
            FileSignature.nonCsv(head, head.length).ifPresent(type -> {
                throw new UnreadableFileException(1, FileSignature.message(type));
            });
            int b0 = head.length > 0 ? head[0] & 0xFF : -1;
            int b1 = head.length > 1 ? head[1] & 0xFF : -1;
            int b2 = head.length > 2 ? head[2] & 0xFF : -1;
            if (b0 == 0xEF && b1 == 0xBB && b2 == 0xBF) {
                in.skipNBytes(3);
                return;
            }
            if (b0 == 0xFE && b1 == 0xFF || b0 == 0xFF && b1 == 0xFE) {
                throw new UnreadableFileException(
                        1, "the file is UTF-16: save it as UTF-8 (CSV UTF-8) and import again");
            }
        } catch (IOException e) {
            throw new UnreadableFileException(1, "reading the file failed");
        }
    }

    @Override
    public void close() {
        try {
            reader.close();
        } catch (IOException e) {
            // Nothing left to read; closing a finished stream cannot lose data.
        }
    }
}
