package org.sightline.importexport;

import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import de.siegmar.fastcsv.writer.CsvWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.sightline.synth.Generator;
import org.sightline.synth.ProgressListener;
import org.sightline.synth.SynthConfig;

/**
 * Generated agency files for tests: a synthetic population written by {@code generate}, with every row moved to
 * one agency (references prefixed by their original agency so they stay unique). Synthetic data only.
 */
final class GeneratedFiles {

    private GeneratedFiles() {}

    static Path population(int children) {
        try {
            Path dir = Files.createTempDirectory("sightline-gen");
            new Generator(SynthConfig.of(children, 1)).writeCsv(dir, ProgressListener.NONE);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The file for {@code kind} rewritten to belong to {@code agencyCode}. */
    static Path forAgency(Path population, String file, String agencyCode) {
        try {
            Path out = Files.createTempFile("sightline-" + agencyCode, ".csv");
            try (CsvReader<CsvRecord> reader = CsvReader.builder().ofCsvRecord(population.resolve(file));
                    CsvWriter writer = CsvWriter.builder().build(out)) {
                List<String> header = null;
                for (CsvRecord record : reader) {
                    if (header == null) {
                        header = record.getFields();
                        writer.writeRecord(header);
                        continue;
                    }
                    List<String> fields = new ArrayList<>(record.getFields());
                    int agency = header.indexOf("agency_code");
                    String original = fields.get(agency);
                    for (int i = 0; i < header.size(); i++) {
                        if (header.get(i).endsWith("_ref")) {
                            fields.set(i, original + ":" + fields.get(i));
                        }
                    }
                    fields.set(agency, agencyCode);
                    writer.writeRecord(fields);
                }
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
