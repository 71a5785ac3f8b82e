package org.sightline.benchmarks.importexport;

import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import de.siegmar.fastcsv.writer.CsvWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.sightline.synth.Generator;
import org.sightline.synth.ProgressListener;
import org.sightline.synth.SynthConfig;

/**
 * Input for the import benchmark: generates N children and rewrites person_records, missing_episodes and concerns
 * so that every row belongs to one agency (references prefixed by their original agency to stay unique): one
 * large agency extract in the standard layout. Synthetic data only.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar org.sightline.benchmarks.importexport.SingleAgencyFiles N AGENCY OUT_DIR</pre>
 */
public final class SingleAgencyFiles {

    private SingleAgencyFiles() {}

    public static void main(String[] args) throws IOException {
        if (args.length != 3) {
            System.err.println("usage: SingleAgencyFiles CHILDREN AGENCY_CODE OUT_DIR");
            System.exit(2);
        }
        int children = Integer.parseInt(args[0]);
        String agency = args[1];
        Path out = Path.of(args[2]);
        Path generated = out.resolve("generated");
        Files.createDirectories(generated);
        new Generator(SynthConfig.of(children, 1)).writeCsv(generated, ProgressListener.NONE);
        for (String file : List.of("person_records.csv", "missing_episodes.csv", "concerns.csv")) {
            long rows = rewrite(generated.resolve(file), out.resolve(file), agency);
            System.out.printf("%s: %,d rows%n", file, rows);
        }
    }

    private static long rewrite(Path in, Path out, String agency) throws IOException {
        long rows = 0;
        try (CsvReader<CsvRecord> reader = CsvReader.builder().ofCsvRecord(in);
                CsvWriter writer = CsvWriter.builder().build(out)) {
            List<String> header = null;
            for (CsvRecord record : reader) {
                if (header == null) {
                    header = record.getFields();
                    writer.writeRecord(header);
                    continue;
                }
                List<String> fields = new ArrayList<>(record.getFields());
                int agencyColumn = header.indexOf("agency_code");
                String original = fields.get(agencyColumn);
                for (int i = 0; i < header.size(); i++) {
                    if (header.get(i).endsWith("_ref")) {
                        fields.set(i, original + ":" + fields.get(i));
                    }
                }
                fields.set(agencyColumn, agency);
                writer.writeRecord(fields);
                rows++;
            }
        }
        return rows;
    }
}
