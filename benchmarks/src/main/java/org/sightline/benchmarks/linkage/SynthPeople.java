package org.sightline.benchmarks.linkage;

import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.sightline.linkage.model.FieldSpec;
import org.sightline.linkage.model.Record;
import org.sightline.linkage.profile.Profile;
import org.sightline.synth.cli.GenerateCommand;
import picocli.CommandLine;

/** Generates a synthetic population with synth and reads its person records and truth for the linkage drivers. */
final class SynthPeople {
    final List<Record> records = new ArrayList<>();
    final List<String> truth = new ArrayList<>();

    private SynthPeople() {}

    /** About 1.57 agency records per child in synth's default error profile. */
    static SynthPeople generate(int records, long seed, Path dir, Profile profile) throws IOException {
        int children = (int) Math.ceil(records / 1.57);
        if (!Files.exists(dir.resolve("person_records.csv"))) {
            long t = System.nanoTime();
            int code = new CommandLine(new GenerateCommand())
                    .execute(
                            "--children",
                            String.valueOf(children),
                            "--seed",
                            String.valueOf(seed),
                            "--out",
                            dir.toString(),
                            "--force");
            if (code != 0) {
                throw new IllegalStateException("synth generate failed with exit code " + code);
            }
            System.err.printf("generated %,d children in %.1f s%n", children, (System.nanoTime() - t) / 1e9);
        }
        return read(dir, profile, records);
    }

    static SynthPeople read(Path dir, Profile profile, int limit) throws IOException {
        Map<String, String> truthByRef = new HashMap<>();
        try (CsvReader<CsvRecord> r = CsvReader.builder().ofCsvRecord(dir.resolve("truth/record_truth.csv"))) {
            boolean header = true;
            for (CsvRecord row : r) {
                if (header) {
                    header = false;
                    continue;
                }
                truthByRef.put(row.getField(0) + "/" + row.getField(1), row.getField(2));
            }
        }
        SynthPeople p = new SynthPeople();
        List<FieldSpec> fields = profile.config().fields();
        try (CsvReader<CsvRecord> r = CsvReader.builder().ofCsvRecord(dir.resolve("person_records.csv"))) {
            Map<String, Integer> h = null;
            int[] idx = new int[fields.size()];
            for (CsvRecord row : r) {
                if (h == null) {
                    h = new HashMap<>();
                    for (int i = 0; i < row.getFieldCount(); i++) {
                        h.put(row.getField(i), i);
                    }
                    for (int f = 0; f < fields.size(); f++) {
                        idx[f] = h.get(profile.csv().columns().get(fields.get(f).name()));
                    }
                    continue;
                }
                if (p.records.size() >= limit) {
                    break;
                }
                String agency = row.getField(h.get("agency_code"));
                String id = agency + "/" + row.getField(h.get("record_ref"));
                String[] v = new String[fields.size()];
                for (int f = 0; f < v.length; f++) {
                    String s = row.getField(idx[f]).strip();
                    v[f] = s.isEmpty() ? null : s;
                }
                p.records.add(new Record(id, agency, v));
                p.truth.add(truthByRef.get(id));
            }
        }
        return p;
    }
}
