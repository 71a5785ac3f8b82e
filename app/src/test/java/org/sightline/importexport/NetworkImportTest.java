package org.sightline.importexport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.NamedCsvRecord;
import de.siegmar.fastcsv.writer.CsvWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.sightline.access.Roles;
import org.sightline.access.SightlineUser;
import org.sightline.access.UserAccounts;
import org.sightline.child.ChildPicture;
import org.sightline.child.ChildService;
import org.sightline.importexport.ImportService.ImportRequest;
import org.sightline.support.IntegrationTest;
import org.sightline.support.TestData;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A generated population's network files go through the import path: one agency's person records, adults of concern,
 * places, vehicles, phones and associations, with every stored link counted against the files as read here; a link
 * whose end the agency does not hold, and an unknown code, are quarantined with messages naming the column; a
 * re-import adds nothing; an imported link raises the alert rules' outbox and shows on the child's page.
 */
@IntegrationTest
class NetworkImportTest {

    private static final List<String> PLACES = List.of("location", "vehicle", "phone");

    @Autowired
    ImportService imports;

    @Autowired
    TestData data;

    @Autowired
    UserAccounts accounts;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    ChildService children;

    private ImportReport run(String agency, String kind, Path file) {
        try (var in = Files.newInputStream(file)) {
            return imports.importNow(
                    new ImportRequest(agency, kind, null, file.getFileName().toString(), "tester", 100, null),
                    in,
                    n -> {});
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<NamedCsvRecord> read(Path file) {
        try (CsvReader<NamedCsvRecord> csv = CsvReader.builder().ofNamedCsvRecord(file)) {
            return csv.stream().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The rows of {@code file} that {@code keep} accepts, with agency_code (where there is one) set to {@code agency}. */
    private static Path rewrite(Path file, Predicate<NamedCsvRecord> keep, String agency) throws IOException {
        Path out = Files.createTempFile("sightline-net", ".csv");
        List<NamedCsvRecord> rows = read(file);
        try (CsvWriter writer = CsvWriter.builder().build(out)) {
            List<String> header;
            try (CsvReader<NamedCsvRecord> csv = CsvReader.builder().ofNamedCsvRecord(file)) {
                header = csv.stream().findFirst().orElseThrow().getHeader();
            }
            writer.writeRecord(header);
            for (NamedCsvRecord r : rows) {
                if (keep.test(r)) {
                    List<String> fields = new ArrayList<>(r.getFields());
                    int agencyColumn = header.indexOf("agency_code");
                    if (agencyColumn >= 0) {
                        fields.set(agencyColumn, agency);
                    }
                    writer.writeRecord(fields);
                }
            }
        }
        return out;
    }

    private Map<String, Long> storedLinks(String agency) {
        Map<String, Long> counts = new TreeMap<>();
        jdbc.sql(
                        "SELECT x.from_kind || '>' || x.to_kind, count(*) FROM association x JOIN agency a ON a.id = x.agency_id"
                                + " WHERE a.code = ? GROUP BY 1")
                .param(agency)
                .query((rs, n) -> counts.put(rs.getString(1), rs.getLong(2)))
                .list();
        return counts;
    }

    private long count(String table, String agency) {
        return jdbc.sql("SELECT count(*) FROM " + table + " t JOIN agency a ON a.id = t.agency_id WHERE a.code = ?")
                .param(agency)
                .query(Long.class)
                .single();
    }

    @Test
    void aGeneratedAgencysNetworkImportsWithEveryLinkCounted() throws IOException {
        Path population = GeneratedFiles.population(1500);
        List<NamedCsvRecord> associations = read(population.resolve("associations.csv"));
        // The generated agency holding the most links from its children's records.
        Map<String, Long> childLinks = new HashMap<>();
        associations.stream()
                .filter(r -> r.getField("from_kind").equals("person_record"))
                .forEach(r -> childLinks.merge(r.getField("agency_code"), 1L, Long::sum));
        String source = childLinks.entrySet().stream()
                .max(Map.Entry.comparingByValue())
                .orElseThrow()
                .getKey();
        String agency = data.agency("police_force");
        Predicate<NamedCsvRecord> ofSource = r -> r.getField("agency_code").equals(source);

        // The refs each end kind resolves to, and the links expected, from the files as read here.
        Map<String, Set<String>> held = new HashMap<>();
        held.put("person_record", new HashSet<>());
        read(population.resolve("person_records.csv")).stream().filter(ofSource).forEach(r -> held.get("person_record")
                .add(r.getField("record_ref")));
        held.put("adult", new HashSet<>());
        read(population.resolve("adults_of_concern.csv")).stream()
                .filter(ofSource)
                .forEach(r -> held.get("adult").add(r.getField("adult_ref")));
        for (String place : PLACES) {
            Set<String> refs = new HashSet<>();
            read(population.resolve(place + "s.csv")).forEach(r -> refs.add(r.getField(place + "_ref")));
            held.put(place, refs);
        }
        List<NamedCsvRecord> mine = associations.stream().filter(ofSource).toList();
        Set<List<String>> resolvable = new LinkedHashSet<>();
        for (NamedCsvRecord r : mine) {
            if (held.get(r.getField("from_kind")).contains(r.getField("from_ref"))
                    && held.get(r.getField("to_kind")).contains(r.getField("to_ref"))) {
                resolvable.add(List.of(
                        r.getField("from_kind"),
                        r.getField("from_ref"),
                        r.getField("to_kind"),
                        r.getField("to_ref"),
                        r.getField("association_type"),
                        r.getField("observed_at")));
            }
        }
        Map<String, Long> expected = new TreeMap<>();
        resolvable.forEach(k -> expected.merge(k.get(0) + ">" + k.get(2), 1L, Long::sum));
        assertThat(expected.get("person_record>adult")).isPositive();
        assertThat(expected.keySet()).contains("person_record>adult", "adult>location");

        // The files the links name, through the import path, each owned by the importing agency.
        ImportReport people =
                run(agency, "person-records", rewrite(population.resolve("person_records.csv"), ofSource, agency));
        assertThat(people.quarantined()).isZero();
        assertThat(people.imported()).isEqualTo(held.get("person_record").size());
        ImportReport adults = run(
                agency, "adults-of-concern", rewrite(population.resolve("adults_of_concern.csv"), ofSource, agency));
        assertThat(adults.quarantined()).isZero();
        assertThat(adults.imported()).isEqualTo(held.get("adult").size());
        for (String place : PLACES) {
            ImportReport report = run(agency, place + "s", population.resolve(place + "s.csv"));
            assertThat(report.quarantined()).as(place).isZero();
            assertThat(report.imported()).as(place).isEqualTo(held.get(place).size());
            assertThat(count(place, agency)).as(place).isEqualTo(held.get(place).size());
        }
        assertThat(jdbc.sql(
                                """
                        SELECT count(*) FROM location l JOIN agency a ON a.id = l.agency_id
                        WHERE a.code = ? AND l.place_id IS NOT NULL AND l.content_hash IS NOT NULL""")
                        .param(agency)
                        .query(Long.class)
                        .single())
                .as("every imported location is matched to a place")
                .isEqualTo(held.get("location").size());

        // The agency's concerns too, so that its officers have a relationship with the children and see their page.
        run(agency, "concerns", rewrite(population.resolve("concerns.csv"), ofSource, agency));

        Path links = rewrite(population.resolve("associations.csv"), ofSource, agency);
        ImportReport first = run(agency, "associations", links);
        assertThat(first.status()).isEqualTo("completed");
        assertThat(first.received()).isEqualTo(mine.size());
        assertThat(first.imported()).isEqualTo(resolvable.size());
        assertThat(first.quarantined()).isEqualTo(mine.size() - resolvable.size());
        assertThat(storedLinks(agency)).isEqualTo(expected);

        // Every quarantined row names the end it could not resolve or the earlier line it repeats; no reference value
        // is echoed in a message.
        SightlineUser supervisor = accounts.loadUserByUsername(data.user(agency, Roles.SUPERVISOR));
        for (QuarantinedRow q : imports.quarantine(supervisor, first.id(), 1000)) {
            assertThat(q.errors()).allSatisfy(e -> {
                assertThat(e.code()).isIn("E1016", "E1007");
                if (e.code().equals("E1016")) {
                    assertThat(e.column()).isIn("from_ref", "to_ref");
                    assertThat(e.message()).doesNotContain(q.raw().get(e.column()));
                }
            });
        }

        // The same file again adds nothing.
        ImportReport again = run(agency, "associations", links);
        assertThat(again.imported() + again.updated()).isZero();
        assertThat(again.unchanged()).isEqualTo(resolvable.size());
        assertThat(storedLinks(agency)).isEqualTo(expected);

        // An imported child–adult link is on the child's page, held by the importing agency.
        record ChildLink(UUID identity, String familyName) {}
        ChildLink link = jdbc.sql(
                        """
                SELECT i.public_id, ad.family_name FROM association x JOIN agency a ON a.id = x.agency_id
                JOIN person_record pr ON pr.id = x.from_id JOIN identity i ON i.id = pr.identity_id
                JOIN adult_of_concern ad ON ad.id = x.to_id
                WHERE a.code = ? AND x.from_kind = 'person_record' AND x.to_kind = 'adult' AND ad.family_name IS NOT NULL
                  AND (pr.care_status IN ('looked_after', 'not_looked_after')
                       OR EXISTS (SELECT 1 FROM exploitation_concern c WHERE c.person_record_id = pr.id))
                ORDER BY x.id LIMIT 1""")
                .param(agency)
                .query((rs, n) -> new ChildLink(rs.getObject(1, UUID.class), rs.getString(2)))
                .single();
        SightlineUser officer = accounts.loadUserByUsername(data.user(agency, Roles.POLICE_OFFICER));
        ChildPicture picture = children.picture(officer, link.identity());
        assertThat(picture.picture())
                .as("full access to the agency's own child")
                .isNotNull();
        assertThat(picture.picture().connections()).anySatisfy(c -> {
            assertThat(c.description()).contains(link.familyName());
            assertThat(c.heldBy()).contains("Test agency " + agency);
        });
    }

    @Test
    void badReferencesAndCodesAreQuarantinedAndAnImportedLinkRaisesItsAlert() throws Exception {
        String agency = data.agency("police_force");
        Path people = Files.createTempFile("people", ".csv");
        Files.writeString(
                people,
                """
                record_ref,agency_code,given_name,family_name,dob,sex
                P1,%1$s,Ann,Testchild,2011-04-05,female
                """
                        .formatted(agency),
                StandardCharsets.UTF_8);
        Path adults = Files.createTempFile("adults", ".csv");
        Files.writeString(
                adults,
                """
                adult_ref,agency_code,given_name,family_name,dob,sex,ethnicity_code,ethnicity_scheme
                A1,%1$s,Bob,Testadult,1980,male,,
                """
                        .formatted(agency),
                StandardCharsets.UTF_8);
        Path places = Files.createTempFile("locations", ".csv");
        Files.writeString(
                places,
                """
                location_ref,kind,name,postcode,area_code
                L1,takeaway,Test Kebab House,zz99 9zz,E10000028
                L2,spaceport,Nowhere,,
                """,
                StandardCharsets.UTF_8);
        assertThat(run(agency, "person-records", people).imported()).isEqualTo(1);
        assertThat(run(agency, "adults-of-concern", adults).imported()).isEqualTo(1);
        ImportReport locations = run(agency, "locations", places);
        assertThat(locations.imported()).isEqualTo(1);
        assertThat(locations.quarantined()).isEqualTo(1);
        assertThat(jdbc.sql("SELECT postcode FROM location l JOIN agency a ON a.id = l.agency_id"
                                + " WHERE a.code = ? AND location_ref = 'L1'")
                        .param(agency)
                        .query(String.class)
                        .single())
                .isEqualTo("ZZ99 9ZZ");

        Path file = Files.createTempFile("associations", ".csv");
        Files.writeString(
                file,
                """
                agency_code,from_kind,from_ref,to_kind,to_ref,association_type,observed_at
                %1$s,person_record,P1,adult,A1,seen_with,
                %1$s,person_record,P1,adult,NOT-HELD-9,seen_with,2024-05-01T10:00:00Z
                %1$s,person_record,P1,spaceship,A1,seen_with,2024-05-01T10:00:00Z
                %1$s,adult,A1,location,L1,hugs,2024-05-01T10:00:00Z
                %1$s,adult,A9,location,L2,frequents,2024-05-01T10:00:00Z
                %1$s,person_record,P1,adult,A1,seen_with,
                """
                        .formatted(agency),
                StandardCharsets.UTF_8);
        ImportReport report = run(agency, "associations", file);
        assertThat(report.imported()).isEqualTo(1);
        assertThat(report.quarantined()).isEqualTo(5);

        SightlineUser supervisor = accounts.loadUserByUsername(data.user(agency, Roles.SUPERVISOR));
        Map<Long, QuarantinedRow> held = new TreeMap<>();
        imports.quarantine(supervisor, report.id(), 10).forEach(q -> held.put(q.line(), q));
        assertThat(held.keySet()).containsExactly(3L, 4L, 5L, 6L, 7L);
        assertThat(held.get(3L).errors())
                .extracting(RowError::code, RowError::column)
                .containsExactly(tuple("E1016", "to_ref"));
        assertThat(held.get(3L).errors().get(0).message())
                .contains("adult of concern", "to_ref", "adults-of-concern")
                .doesNotContain("NOT-HELD-9");
        assertThat(held.get(4L).errors())
                .extracting(RowError::code, RowError::column)
                .containsExactly(tuple("E1004", "to_kind"));
        assertThat(held.get(5L).errors())
                .extracting(RowError::code, RowError::column)
                .containsExactly(tuple("E1004", "association_type"));
        assertThat(held.get(5L).errors().get(0).message()).contains("seen_with", "uses_phone");
        // Both ends unknown: each named.
        assertThat(held.get(6L).errors())
                .extracting(RowError::code, RowError::column, RowError::message)
                .containsExactlyInAnyOrder(
                        tuple(
                                "E1016",
                                "from_ref",
                                "no adult of concern with this from_ref in the agency: import adults-of-concern first,"
                                        + " or correct the reference"),
                        tuple(
                                "E1016",
                                "to_ref",
                                "no location with this to_ref in the agency: import locations first, or correct the"
                                        + " reference"));
        assertThat(held.get(7L).errors()).extracting(RowError::code).containsExactly("E1007");

        // The one link stored: blank observed_at stays not recorded, recorded by the importer.
        record Stored(long id, String observed, String recordedBy) {}
        Stored stored = jdbc.sql(
                        """
                SELECT x.id, x.observed_at::text, x.recorded_by FROM association x JOIN agency a ON a.id = x.agency_id
                WHERE a.code = ?""")
                .param(agency)
                .query((rs, n) -> new Stored(rs.getLong(1), rs.getString(2), rs.getString(3)))
                .single();
        assertThat(stored.observed()).isNull();
        assertThat(stored.recordedBy()).isEqualTo("tester");

        // The insert went through the alert outbox: the adult-of-concern rule raises its alert for this link.
        Instant until = Instant.now().plus(Duration.ofSeconds(30));
        long alerts = 0;
        while (alerts == 0 && Instant.now().isBefore(until)) {
            alerts = jdbc.sql("SELECT count(*) FROM alert WHERE cause_key = ?")
                    .param("adult-of-concern:" + stored.id())
                    .query(Long.class)
                    .single();
            if (alerts == 0) {
                Thread.sleep(200);
            }
        }
        assertThat(alerts).isEqualTo(1);

        // A correction that names a held end imports; one that still names none stays quarantined, saying so.
        QuarantinedRow stillBad = imports.correctAndReplay(
                supervisor,
                report.id(),
                held.get(3L).id(),
                Map.of("to_ref", "NOT-HELD-10"),
                held.get(3L).version());
        assertThat(stillBad.status()).isEqualTo("quarantined");
        assertThat(stillBad.errors())
                .extracting(RowError::code, RowError::column)
                .containsExactly(tuple("E1016", "to_ref"));
        QuarantinedRow replayed = imports.correctAndReplay(
                supervisor,
                report.id(),
                held.get(5L).id(),
                Map.of("association_type", "frequents"),
                held.get(5L).version());
        assertThat(replayed.status()).isEqualTo("replayed");
        assertThat(storedLinks(agency)).isEqualTo(Map.of("adult>location", 1L, "person_record>adult", 1L));
        assertThat(imports.report(supervisor, report.id()).imported()).isEqualTo(2);
    }
}
