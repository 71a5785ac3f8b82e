package org.sightline.synth;

import static org.assertj.core.api.Assertions.assertThat;

import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.NamedCsvRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GeneratorTest {

    static final int N = 2_000;
    static Path dir;
    static GenerationSummary summary;

    @BeforeAll
    static void generate(@TempDir Path tmp) throws IOException {
        dir = tmp.resolve("pop");
        summary = new Generator(SynthConfig.of(N, 42)).writeCsv(dir, ProgressListener.NONE);
    }

    static List<NamedCsvRecord> read(Table t) throws IOException {
        try (CsvReader<NamedCsvRecord> r = CsvReader.builder().ofNamedCsvRecord(dir.resolve(t.fileName()))) {
            return r.stream().toList();
        }
    }

    static List<String> header(Table t) throws IOException {
        try (CsvReader<NamedCsvRecord> r = CsvReader.builder().ofNamedCsvRecord(dir.resolve(t.fileName()))) {
            return r.stream().findFirst().map(NamedCsvRecord::getHeader).orElseThrow();
        }
    }

    @Test
    void everyContractFileHasItsColumnsInOrder() throws IOException {
        for (Table t : Table.values()) {
            assertThat(header(t)).as(t.fileName()).isEqualTo(t.columns());
            assertThat(summary.rows(t)).as(t.fileName()).isPositive();
        }
        assertThat(Table.PERSON_RECORDS.columns())
                .startsWith(
                        "record_ref",
                        "agency_code",
                        "given_name",
                        "middle_names",
                        "family_name",
                        "aliases",
                        "dob",
                        "sex",
                        "ethnicity_code",
                        "ethnicity_scheme",
                        "address_line",
                        "postcode",
                        "upn",
                        "local_child_id",
                        "care_status",
                        "responsible_authority",
                        "cp_plan",
                        "known_to_social_care",
                        "recorded_at");
        assertThat(dir.resolve("README.md")).exists();
        assertThat(read(Table.TRUTH_CHILDREN)).hasSize(N);
    }

    @Test
    void sameSeedAndSizeGiveIdenticalBytesWhateverTheThreads(@TempDir Path tmp) throws IOException {
        Path a = tmp.resolve("a");
        Path b = tmp.resolve("b");
        new Generator(SynthConfig.of(5_000, 9).withThreads(1)).writeCsv(a, ProgressListener.NONE);
        new Generator(SynthConfig.of(5_000, 9).withThreads(3)).writeCsv(b, ProgressListener.NONE);
        for (Table t : Table.values()) {
            assertThat(Files.readAllBytes(b.resolve(t.fileName())))
                    .as(t.fileName())
                    .isEqualTo(Files.readAllBytes(a.resolve(t.fileName())));
        }
        Path c = tmp.resolve("c");
        new Generator(SynthConfig.of(5_000, 10)).writeCsv(c, ProgressListener.NONE);
        assertThat(Files.readAllBytes(c.resolve("person_records.csv")))
                .isNotEqualTo(Files.readAllBytes(a.resolve("person_records.csv")));
    }

    @Test
    void sinkReceivesExactlyTheCsvRows() throws IOException {
        Map<Table, Integer> counts = new HashMap<>();
        List<String[]> firstRecords = new ArrayList<>();
        new Generator(SynthConfig.of(N, 42))
                .generate(
                        (table, row) -> {
                            assertThat(row).hasSize(table.columns().size()).doesNotContainNull();
                            counts.merge(table, 1, Integer::sum);
                            if (table == Table.PERSON_RECORDS && firstRecords.size() < 3) {
                                firstRecords.add(row);
                            }
                        },
                        ProgressListener.NONE);
        for (Table t : Table.values()) {
            assertThat((long) counts.getOrDefault(t, 0)).as(t.fileName()).isEqualTo(summary.rows(t));
        }
        List<NamedCsvRecord> csv = read(Table.PERSON_RECORDS);
        for (int i = 0; i < firstRecords.size(); i++) {
            assertThat(csv.get(i).getFields()).containsExactly(firstRecords.get(i));
        }
    }

    @Test
    void truthIsSeparateAndConsistent() throws IOException {
        Set<String> agencies = new HashSet<>();
        for (NamedCsvRecord a : read(Table.AGENCIES)) {
            agencies.add(a.getField("agency_code"));
        }
        Set<String> children = new HashSet<>();
        for (NamedCsvRecord c : read(Table.TRUTH_CHILDREN)) {
            children.add(c.getField("child_id"));
        }
        Map<String, String> truth = new HashMap<>();
        for (NamedCsvRecord r : read(Table.TRUTH_RECORDS)) {
            String key = r.getField("agency_code") + "/" + r.getField("record_ref");
            assertThat(truth.put(key, r.getField("child_id")))
                    .as("duplicate " + key)
                    .isNull();
            assertThat(children).contains(r.getField("child_id"));
        }
        Set<String> records = new HashSet<>();
        for (NamedCsvRecord r : read(Table.PERSON_RECORDS)) {
            String key = r.getField("agency_code") + "/" + r.getField("record_ref");
            assertThat(records.add(key))
                    .as("record_ref unique within agency: " + key)
                    .isTrue();
            assertThat(truth).containsKey(key);
            assertThat(agencies).contains(r.getField("agency_code"));
        }
        assertThat(records).hasSameSizeAs(truth.keySet());
        assertThat(new HashSet<>(truth.values())).as("every child has a record").hasSize(N);
        for (Table t : List.of(Table.MISSING_EPISODES, Table.CONCERNS, Table.PLACEMENTS)) {
            for (NamedCsvRecord e : read(t)) {
                assertThat(records)
                        .as(t.fileName())
                        .contains(e.getField("agency_code") + "/" + e.getField("record_ref"));
            }
        }
        Set<String> episodeRefs = new HashSet<>();
        for (NamedCsvRecord e : read(Table.MISSING_EPISODES)) {
            assertThat(episodeRefs.add(e.getField("agency_code") + "/" + e.getField("episode_ref")))
                    .isTrue();
        }
        // No agency file carries the truth's identifiers.
        for (Table t : Table.values()) {
            if (!t.truth()) {
                assertThat(Files.readString(dir.resolve(t.fileName())))
                        .as(t.fileName())
                        .doesNotContainPattern("\\bC\\d{7}\\b")
                        .doesNotContain("NET0");
            }
        }
    }

    @Test
    void associationsPointAtThingsThatExist() throws IOException {
        Set<String> refs = new HashSet<>();
        read(Table.ADULTS_OF_CONCERN).forEach(r -> refs.add("adult/" + r.getField("adult_ref")));
        read(Table.LOCATIONS).forEach(r -> refs.add("location/" + r.getField("location_ref")));
        read(Table.VEHICLES).forEach(r -> refs.add("vehicle/" + r.getField("vehicle_ref")));
        read(Table.PHONES).forEach(r -> refs.add("phone/" + r.getField("phone_ref")));
        read(Table.PERSON_RECORDS).forEach(r -> refs.add("person_record/" + r.getField("record_ref")));
        for (NamedCsvRecord a : read(Table.ASSOCIATIONS)) {
            assertThat(refs)
                    .contains(
                            a.getField("from_kind") + "/" + a.getField("from_ref"),
                            a.getField("to_kind") + "/" + a.getField("to_ref"));
        }
        for (NamedCsvRecord p : read(Table.PHONES)) {
            assertThat(p.getField("number")).matches("(07700 900|0\\d{2,4} \\d{3,4} ?\\d)\\d*|01632 960\\d{3}");
        }
    }

    @Test
    void everyPostcodeDistrictUsedHasAnInventedPositionInEnglandAndWales() throws IOException {
        Map<String, double[]> districts = new HashMap<>();
        for (NamedCsvRecord d : read(Table.POSTCODE_DISTRICTS)) {
            double[] at = {Double.parseDouble(d.getField("latitude")), Double.parseDouble(d.getField("longitude"))};
            assertThat(at[0]).isBetween(49.9, 55.9);
            assertThat(at[1]).isBetween(-6.5, 1.8);
            assertThat(districts.put(d.getField("postcode"), at)).isNull();
        }
        Set<String> used = new HashSet<>();
        read(Table.LOCATIONS).forEach(l -> used.add(l.getField("postcode")));
        read(Table.PLACEMENTS).forEach(p -> used.add(p.getField("placement_postcode")));
        used.removeIf(String::isBlank);
        assertThat(used).isNotEmpty();
        for (String postcode : used) {
            assertThat(districts).containsKey(postcode.substring(0, postcode.indexOf(' ')));
        }
    }

    @Test
    void populationHasTheShapesTheProductNeeds() throws IOException {
        Map<String, NamedCsvRecord> children = new HashMap<>();
        read(Table.TRUTH_CHILDREN).forEach(c -> children.put(c.getField("child_id"), c));
        Map<String, String> recordChild = new HashMap<>();
        Map<String, Set<String>> agenciesPerChild = new HashMap<>();
        for (NamedCsvRecord r : read(Table.TRUTH_RECORDS)) {
            recordChild.put(r.getField("agency_code") + "/" + r.getField("record_ref"), r.getField("child_id"));
            agenciesPerChild
                    .computeIfAbsent(r.getField("child_id"), k -> new HashSet<>())
                    .add(r.getField("agency_code"));
        }
        long multiAgency =
                agenciesPerChild.values().stream().filter(s -> s.size() >= 3).count();
        assertThat(multiAgency).as("children known to 3+ agencies").isGreaterThan(N / 20);

        long lac = children.values().stream()
                .filter(c -> c.getField("looked_after").equals("true"))
                .count();
        assertThat(lac).isBetween((long) (N * 0.08), (long) (N * 0.3));

        long outOfArea = read(Table.PLACEMENTS).stream()
                .filter(p -> !p.getField("placement_la").equals(p.getField("agency_code")))
                .count();
        assertThat(outOfArea).as("out-of-area placements").isGreaterThan(lac / 4);

        // Missing: most children once, a minority many times; looked-after children more often.
        Map<String, Integer> policeEpisodes = new HashMap<>();
        Set<String> fromCare = new HashSet<>();
        for (NamedCsvRecord e : read(Table.MISSING_EPISODES)) {
            String child = recordChild.get(e.getField("agency_code") + "/" + e.getField("record_ref"));
            if (e.getField("episode_ref").startsWith("MIS-")) {
                policeEpisodes.merge(child, 1, Integer::sum);
            }
            if (e.getField("missing_from").equals("care")) {
                fromCare.add(child);
            }
        }
        long once = policeEpisodes.values().stream().filter(v -> v == 1).count();
        long many = policeEpisodes.values().stream().filter(v -> v >= 5).count();
        assertThat(once).isGreaterThan(policeEpisodes.size() / 3);
        assertThat(many).isPositive().isLessThan(policeEpisodes.size() / 3);
        assertThat(fromCare).isNotEmpty();

        // Networks: victims from two or more areas found at / frequenting the same places.
        List<NamedCsvRecord> assoc = read(Table.ASSOCIATIONS);
        boolean sharedAcrossAreas = false;
        for (NamedCsvRecord n : read(Table.TRUTH_NETWORKS)) {
            Set<String> members = Set.of(n.getField("child_ids").split("\\|"));
            Set<String> areas = new HashSet<>();
            for (String id : members) {
                if (!id.isEmpty()) {
                    areas.add(children.get(id).getField("home_la"));
                }
            }
            Map<String, Set<String>> areasAtPlace = new HashMap<>();
            for (NamedCsvRecord a : assoc) {
                if (a.getField("from_kind").equals("person_record")
                        && a.getField("to_kind").equals("location")) {
                    String child = recordChild.get(a.getField("agency_code") + "/" + a.getField("from_ref"));
                    if (members.contains(child)) {
                        areasAtPlace
                                .computeIfAbsent(a.getField("to_ref"), k -> new HashSet<>())
                                .add(children.get(child).getField("home_la"));
                    }
                }
            }
            if (areas.size() >= 2 && areasAtPlace.values().stream().anyMatch(s -> s.size() >= 2)) {
                sharedAcrossAreas = true;
            }
        }
        assertThat(sharedAcrossAreas)
                .as("a network whose children from 2+ areas share a place")
                .isTrue();
    }

    @Test
    void valuesFollowTheContractVocabularies() throws IOException {
        Pattern dob = Pattern.compile("|\\d{4}|\\d{4}-\\d{2}|\\d{4}-\\d{2}-\\d{2}");
        Pattern instant = Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z");
        for (NamedCsvRecord r : read(Table.PERSON_RECORDS)) {
            assertThat(r.getField("dob")).matches(dob);
            assertThat(r.getField("sex")).isIn("male", "female", "unknown", "");
            assertThat(r.getField("ethnicity_scheme")).isIn("DFE", "ONS2021", "POLICE_SDE", "POLICE_ODE", "");
            assertThat(r.getField("care_status")).isIn("looked_after", "not_looked_after", "not_known", "");
            assertThat(r.getField("cp_plan")).isIn("yes", "no", "not_known", "");
            assertThat(r.getField("known_to_social_care")).isIn("yes", "no", "not_known", "");
            assertThat(r.getField("recorded_at")).matches(instant);
        }
        for (NamedCsvRecord e : read(Table.MISSING_EPISODES)) {
            assertThat(e.getField("missing_from")).isIn("home", "care", "other");
            assertThat(e.getField("category")).isIn("missing", "away");
            assertThat(e.getField("risk_grade")).isIn("very_low", "low", "medium", "high", "absent", "");
            if (e.getField("risk_grade").equals("absent")) {
                assertThat(e.getField("reported_at")).isLessThan("2016-04-01");
            }
            assertThat(e.getField("found_by")).isIn("police", "carer", "family", "self", "other", "");
            assertThat(e.getField("return_interview"))
                    .isIn("not_offered", "offered", "accepted", "declined", "completed", "");
            assertThat(e.getField("last_seen_at")).isLessThanOrEqualTo(e.getField("reported_at"));
            if (!e.getField("found_at").isEmpty()) {
                assertThat(e.getField("found_at")).isGreaterThanOrEqualTo(e.getField("reported_at"));
            }
        }
        for (NamedCsvRecord c : read(Table.CONCERNS)) {
            assertThat(c.getField("outcome"))
                    .isIn("no_further_action", "referral", "strategy_meeting", "investigation", "");
            for (String code : c.getField("indicators").split("\\|")) {
                assertThat(List.of(ChildGenerator.INDICATORS)).contains(code);
            }
        }
        for (NamedCsvRecord a : read(Table.AGENCIES)) {
            String code = a.getField("agency_code");
            switch (a.getField("agency_type")) {
                case "police_force" -> assertThat(code).matches("(E23|W15)\\d{6}");
                case "local_authority" -> assertThat(code).matches("(E06|E08|E09|E10|W06)\\d{6}");
                default -> assertThat(code).matches("CP\\d{5}");
            }
        }
        assertThat(read(Table.AGENCIES).stream()
                        .filter(a -> a.getField("agency_type").equals("police_force")))
                .hasSize(43);
        assertThat(read(Table.AGENCIES).stream()
                        .filter(a -> a.getField("agency_type").equals("local_authority")))
                .hasSize(175);
    }

    /**
     * Every placement of a looked-after child carries an SSDA903 legal status and category of need (DfE rules 144,
     * 145), in plausible shares: abuse or neglect the most common need, care orders the most common status, the same
     * need for all of a child's placements; and the authority's own record of the child gives its sex (rule 101).
     */
    @Test
    void placementsCarryLegalStatusAndCategoryOfNeed() throws IOException {
        Set<String> legalStatuses = Set.of("C1", "C2", "E1", "V2", "J2", "L1", "L2");
        Set<String> needs = Set.of("N1", "N2", "N3", "N4", "N5", "N6", "N7", "N8");
        Map<String, Integer> byStatus = new HashMap<>();
        Map<String, Integer> byNeed = new HashMap<>();
        Map<String, Set<String>> needsOfChild = new HashMap<>();
        Set<String> careRecords = new HashSet<>();
        List<NamedCsvRecord> placements = read(Table.PLACEMENTS);
        for (NamedCsvRecord p : placements) {
            assertThat(p.getField("legal_status")).isIn(legalStatuses);
            assertThat(p.getField("category_of_need")).isIn(needs);
            byStatus.merge(p.getField("legal_status"), 1, Integer::sum);
            byNeed.merge(p.getField("category_of_need"), 1, Integer::sum);
            String record = p.getField("agency_code") + "/" + p.getField("record_ref");
            needsOfChild.computeIfAbsent(record, k -> new HashSet<>()).add(p.getField("category_of_need"));
            careRecords.add(record);
        }
        assertThat(byNeed.get("N1")).as("abuse or neglect").isGreaterThan(placements.size() / 2);
        assertThat(byStatus.getOrDefault("C1", 0) + byStatus.getOrDefault("C2", 0))
                .as("care orders")
                .isGreaterThan(placements.size() / 2);
        assertThat(byStatus.get("V2")).as("section 20").isGreaterThan(placements.size() / 20);
        assertThat(needsOfChild.values()).allSatisfy(n -> assertThat(n).hasSize(1));
        long sexKnown = read(Table.PERSON_RECORDS).stream()
                .filter(r -> careRecords.contains(r.getField("agency_code") + "/" + r.getField("record_ref")))
                .peek(r -> assertThat(r.getField("sex"))
                        .as("sex of a looked-after child's care record")
                        .isIn("male", "female"))
                .count();
        assertThat(sexKnown).isEqualTo(careRecords.size());
    }
}
