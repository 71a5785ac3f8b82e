package org.sightline.identity;

import static org.assertj.core.api.Assertions.assertThat;

import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.NamedCsvRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.sightline.importexport.PopulationLoader;
import org.sightline.shared.TerminalProgress;
import org.sightline.support.IntegrationTest;
import org.sightline.synth.Generator;
import org.sightline.synth.SynthConfig;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Agencies' records of generated children are resolved into identities: measured against the generator's truth,
 * with evidence kept for every link and identity ids stable across a re-run.
 */
@IntegrationTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IdentityResolverTest {

    @Autowired
    PopulationLoader loader;

    @Autowired
    IdentityResolver resolver;

    @Autowired
    JdbcClient jdbc;

    Path generated;

    Map<String, String> childOfRecord = new HashMap<>();

    @BeforeAll
    void loadAPopulation(@TempDir Path dir) throws IOException {
        generated = dir;
        new Generator(SynthConfig.of(1_500, 77)).writeCsv(generated, org.sightline.synth.ProgressListener.NONE);
        loader.load(generated, "test", new TerminalProgress("load"));
        try (CsvReader<NamedCsvRecord> truth =
                CsvReader.builder().ofNamedCsvRecord(generated.resolve("truth/record_truth.csv"))) {
            truth.forEach(r -> childOfRecord.put(
                    r.getField("agency_code") + "/" + r.getField("record_ref"), r.getField("child_id")));
        }
        resolver.relinkAll("test", new TerminalProgress("link"));
    }

    private Map<String, Long> identityOfGeneratedRecords() {
        Map<String, Long> identity = new HashMap<>();
        jdbc.sql(
                        "SELECT a.code, pr.record_ref, pr.identity_id FROM person_record pr JOIN agency a ON a.id = pr.agency_id")
                .query(rs -> {
                    String key = rs.getString(1) + "/" + rs.getString(2);
                    if (childOfRecord.containsKey(key)) {
                        identity.put(key, rs.getLong(3));
                    }
                });
        return identity;
    }

    @Test
    void identitiesMatchTheTruthClosely() {
        Map<String, Long> identity = identityOfGeneratedRecords();
        assertThat(identity).hasSize(childOfRecord.size());
        List<String> keys = List.copyOf(identity.keySet());
        long truePairs = 0;
        long predicted = 0;
        long correct = 0;
        for (int i = 0; i < keys.size(); i++) {
            for (int j = i + 1; j < keys.size(); j++) {
                boolean same = childOfRecord.get(keys.get(i)).equals(childOfRecord.get(keys.get(j)));
                boolean linked = identity.get(keys.get(i)).equals(identity.get(keys.get(j)));
                truePairs += same ? 1 : 0;
                predicted += linked ? 1 : 0;
                correct += same && linked ? 1 : 0;
            }
        }
        double precision = (double) correct / predicted;
        double recall = (double) correct / truePairs;
        // Measured 0.997 / 0.989 with the shipped profile (seed 77); the floors leave room for profile tuning.
        assertThat(precision).as("pairwise precision").isGreaterThan(0.97);
        assertThat(recall).as("pairwise recall").isGreaterThan(0.95);
    }

    @Test
    void everyDirectLinkKeepsItsEvidenceWithoutPersonalData() {
        List<String> evidence = jdbc.sql("SELECT evidence FROM identity_link LIMIT 50")
                .query(String.class)
                .list();
        assertThat(evidence)
                .isNotEmpty()
                .allSatisfy(e -> assertThat(e).contains("given_name=").contains("dob="));
        long crossIdentity = jdbc.sql(
                        """
                SELECT count(*) FROM identity_link l JOIN person_record a ON a.id = l.record_a
                JOIN person_record b ON b.id = l.record_b
                WHERE a.identity_id <> l.identity_id OR b.identity_id <> l.identity_id""")
                .query(Long.class)
                .single();
        assertThat(crossIdentity).isZero();
    }

    @Test
    void identityIdsAreStableAcrossARerun() {
        Map<String, Long> before = identityOfGeneratedRecords();
        resolver.relinkAll("test", new TerminalProgress("relink"));
        Map<String, Long> after = identityOfGeneratedRecords();
        long changed = before.keySet().stream()
                .filter(k -> !before.get(k).equals(after.get(k)))
                .count();
        assertThat(changed).isZero();
    }

    @Test
    void aSupervisorsCannotLinkDecisionSplitsThePairOnTheNextRun() {
        var pair = jdbc.sql("SELECT record_a, record_b FROM identity_link ORDER BY weight ASC LIMIT 1")
                .query((rs, n) -> new long[] {rs.getLong(1), rs.getLong(2)})
                .single();
        jdbc.sql(
                        """
                INSERT INTO identity_review (record_a, record_b, weight, probability, reason, status, rationale, decided_by)
                VALUES (?, ?, 0, 0.5, 'uncertain', 'cannot_link', 'different school years (synthetic test)', 'supervisor')
                ON CONFLICT (record_a, record_b) DO UPDATE SET status = 'cannot_link', rationale = EXCLUDED.rationale""")
                .params(pair[0], pair[1])
                .update();
        resolver.relinkAll("test", new TerminalProgress("relink"));
        List<Long> identities = jdbc.sql("SELECT identity_id FROM person_record WHERE id IN (?, ?)")
                .params(pair[0], pair[1])
                .query(Long.class)
                .list();
        assertThat(identities).hasSize(2).doesNotHaveDuplicates();
    }

    @Test
    void relinkIsAudited() {
        assertThat(jdbc.sql("SELECT count(*) FROM audit_event WHERE action = 'RELINK'")
                        .query(Long.class)
                        .single())
                .isPositive();
        assertThat(Files.exists(generated.resolve("person_records.csv"))).isTrue();
    }
}
