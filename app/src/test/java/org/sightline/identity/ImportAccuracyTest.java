package org.sightline.identity;

import static org.assertj.core.api.Assertions.assertThat;

import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.NamedCsvRecord;
import de.siegmar.fastcsv.writer.CsvWriter;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sightline.importexport.ImportReport;
import org.sightline.importexport.ImportService;
import org.sightline.support.IntegrationTest;
import org.sightline.synth.Generator;
import org.sightline.synth.ProgressListener;
import org.sightline.synth.SynthConfig;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Identity accuracy through the real import path: a generated population of 5,000 children is imported agency by
 * agency, each agency's records in the order they were recorded and agencies in the order of their first record, so
 * records arrive over time and are resolved online (no relink). Pairwise precision, recall and F1 are computed here
 * from the generator's truth (truth/record_truth.csv), independently of the code under test. Synthetic data only.
 */
@IntegrationTest
class ImportAccuracyTest {

    private static final int CHILDREN = 5_000;
    /** Not seed 1, on which the shipped model was trained. */
    private static final long SEED = 7;

    @Autowired
    ImportService imports;

    @Autowired
    JdbcClient jdbc;

    @Test
    void recordsImportedAgencyByAgencyResolveWithPairwiseF1OfAtLeast097(@TempDir Path dir) throws IOException {
        new Generator(SynthConfig.of(CHILDREN, SEED)).writeCsv(dir, ProgressListener.NONE);
        // Agencies under codes of this test's own, so other tests' records in the shared database never collide.
        String prefix = "ACC" + UUID.randomUUID().toString().substring(0, 6) + "-";
        try (CsvReader<NamedCsvRecord> agencies = CsvReader.builder().ofNamedCsvRecord(dir.resolve("agencies.csv"))) {
            for (NamedCsvRecord a : agencies) {
                jdbc.sql("INSERT INTO agency (code, agency_type, name) VALUES (?, ?, ?)")
                        .params(prefix + a.getField("agency_code"), a.getField("agency_type"), a.getField("name"))
                        .update();
            }
        }
        List<String> header;
        Map<String, List<NamedCsvRecord>> byAgency = new HashMap<>();
        try (CsvReader<NamedCsvRecord> records =
                CsvReader.builder().ofNamedCsvRecord(dir.resolve("person_records.csv"))) {
            List<NamedCsvRecord> all = new ArrayList<>();
            records.forEach(all::add);
            header = all.get(0).getHeader();
            all.sort(Comparator.comparing((NamedCsvRecord r) -> r.getField("recorded_at")));
            for (NamedCsvRecord r : all) {
                byAgency.computeIfAbsent(r.getField("agency_code"), k -> new ArrayList<>())
                        .add(r);
            }
        }
        // LinkedHashMap of agencies ordered by their first record: the order the records arrive in.
        Map<String, List<NamedCsvRecord>> arrival = new LinkedHashMap<>();
        byAgency.entrySet().stream()
                .sorted(Comparator.comparing(e -> e.getValue().get(0).getField("recorded_at")))
                .forEach(e -> arrival.put(e.getKey(), e.getValue()));

        long started = System.nanoTime();
        int imported = 0;
        for (var agency : arrival.entrySet()) {
            StringWriter text = new StringWriter();
            try (CsvWriter csv = CsvWriter.builder().build(text)) {
                csv.writeRecord(header);
                for (NamedCsvRecord r : agency.getValue()) {
                    List<String> fields = new ArrayList<>();
                    for (String column : header) {
                        String value = r.getField(column);
                        fields.add(
                                ("agency_code".equals(column) || "responsible_authority".equals(column))
                                                && !value.isEmpty()
                                        ? prefix + value
                                        : value);
                    }
                    csv.writeRecord(fields);
                }
            }
            ImportReport report = imports.importNow(
                    new ImportService.ImportRequest(
                            prefix + agency.getKey(),
                            "person-records",
                            null,
                            "records.csv",
                            "accuracy-test",
                            250,
                            null),
                    new ByteArrayInputStream(text.toString().getBytes(StandardCharsets.UTF_8)),
                    n -> {});
            assertThat(report.quarantined())
                    .as("rows refused for " + agency.getKey())
                    .isZero();
            imported += report.imported();
        }
        double seconds = (System.nanoTime() - started) / 1e9;

        Map<String, String> childOf = new HashMap<>();
        try (CsvReader<NamedCsvRecord> truth =
                CsvReader.builder().ofNamedCsvRecord(dir.resolve("truth/record_truth.csv"))) {
            truth.forEach(t -> childOf.put(
                    prefix + t.getField("agency_code") + "/" + t.getField("record_ref"), t.getField("child_id")));
        }
        Map<String, Long> identityOf = new HashMap<>();
        jdbc.sql(
                        """
                SELECT a.code, pr.record_ref, pr.identity_id FROM person_record pr JOIN agency a ON a.id = pr.agency_id
                WHERE a.code LIKE ?""")
                .param(prefix + "%")
                .query(rs -> {
                    identityOf.put(rs.getString(1) + "/" + rs.getString(2), (Long) rs.getObject(3));
                });
        assertThat(identityOf).hasSize(imported).hasSize(childOf.size());
        assertThat(identityOf.values()).doesNotContainNull();

        Map<String, Long> perChild = new HashMap<>();
        Map<Long, Long> perIdentity = new HashMap<>();
        Map<String, Long> perBoth = new HashMap<>();
        for (var e : identityOf.entrySet()) {
            String child = childOf.get(e.getKey());
            perChild.merge(child, 1L, Long::sum);
            perIdentity.merge(e.getValue(), 1L, Long::sum);
            perBoth.merge(child + "|" + e.getValue(), 1L, Long::sum);
        }
        long truePairs = pairs(perChild.values());
        long predictedPairs = pairs(perIdentity.values());
        long correct = pairs(perBoth.values());
        double precision = correct / (double) predictedPairs;
        double recall = correct / (double) truePairs;
        double f1 = 2 * precision * recall / (precision + recall);
        System.out.printf(
                "ACCURACY children=%d records=%d truePairs=%d predictedPairs=%d precision=%.4f recall=%.4f "
                        + "f1=%.4f imports=%d seconds=%.1f records/s=%.0f%n",
                CHILDREN,
                imported,
                truePairs,
                predictedPairs,
                precision,
                recall,
                f1,
                arrival.size(),
                seconds,
                imported / seconds);
        assertThat(f1)
                .as("pairwise F1 (precision %.4f, recall %.4f)", precision, recall)
                .isGreaterThanOrEqualTo(0.97);
    }

    private static long pairs(Iterable<Long> groupSizes) {
        long n = 0;
        for (long size : groupSizes) {
            n += size * (size - 1) / 2;
        }
        return n;
    }
}
