package org.sightline.importexport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.sightline.access.Roles;
import org.sightline.access.SightlineUser;
import org.sightline.access.UserAccounts;
import org.sightline.importexport.ImportService.ImportRequest;
import org.sightline.shared.InvalidRequestException;
import org.sightline.support.IntegrationTest;
import org.sightline.support.TestData;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

@IntegrationTest
class ImportServiceTest {

    private static final String PERSON_HEADER =
            "record_ref,agency_code,given_name,middle_names,family_name,aliases,dob,sex,"
                    + "ethnicity_code,ethnicity_scheme,address_line,postcode,upn,local_child_id,care_status,responsible_authority,"
                    + "cp_plan,known_to_social_care,recorded_at\n";

    private static Path population;

    @Autowired
    ImportService imports;

    @Autowired
    MappingProfiles profiles;

    @Autowired
    TestData data;

    @Autowired
    UserAccounts accounts;

    @Autowired
    JdbcClient jdbc;

    @BeforeAll
    static void generate() {
        population = GeneratedFiles.population(800);
    }

    private static InputStream csv(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }

    private ImportReport run(String agency, String kind, String text) {
        return imports.importNow(
                new ImportRequest(agency, kind, null, "test.csv", "tester", 3, null), csv(text), n -> {});
    }

    private static String person(String ref, String agency, String given, String dob) {
        return ref + "," + agency + "," + given + ",,Testperson,," + dob
                + ",female,WBRI,DFE,\"1 Test Street, Testtown\",TT1 1TT,,,looked_after,,no,yes,2024-01-02T10:00:00Z\n";
    }

    @Test
    void importsReimportsUnchangedAndUpdatesWithHistory() {
        String agency = data.agency("local_authority");
        String file = PERSON_HEADER
                + person("R1", agency, "Amy", "2010-04-05")
                + person("R2", "", "Beth", "2011")
                + person("R3", agency, "Cara", "2010-02-30")
                + person("R1", agency, "Amy", "2010-04-05")
                + person("R4", "OTHER", "Dee", "2012-01-01");
        ImportReport first = run(agency, "person-records", file);
        assertThat(first.status()).isEqualTo("completed");
        assertThat(first.received()).isEqualTo(5);
        assertThat(first.imported()).isEqualTo(2);
        assertThat(first.quarantined()).isEqualTo(3);
        assertThat(first.errorsByCode())
                .containsEntry("E1003", 1L)
                .containsEntry("E1007", 1L)
                .containsEntry("E1006", 1L);

        ImportReport again = run(agency, "person-records", file);
        assertThat(again.imported()).isZero();
        assertThat(again.unchanged()).isEqualTo(2);
        assertThat(again.quarantined()).isEqualTo(3);
        assertThat(jdbc.sql(
                                "SELECT count(*) FROM person_record pr JOIN agency a ON a.id = pr.agency_id WHERE a.code = ?")
                        .param(agency)
                        .query(Long.class)
                        .single())
                .isEqualTo(2);

        // One batch holding a changed, an unchanged and a new row: each is classified on its own.
        ImportReport changed = run(
                agency,
                "person-records",
                PERSON_HEADER
                        + person("R1", agency, "Amelia", "2010-04-05")
                        + person("R2", "", "Beth", "2011")
                        + person("R5", agency, "Eve", "2013"));
        assertThat(changed.updated()).isEqualTo(1);
        assertThat(changed.unchanged()).isEqualTo(1);
        assertThat(changed.imported()).isEqualTo(1);
        assertThat(jdbc.sql(
                                """
                SELECT h.previous->>'given_name' FROM import_history h JOIN import_run r ON r.id = h.import_run_id
                WHERE r.public_id = ?""")
                        .param(changed.id())
                        .query(String.class)
                        .single())
                .isEqualTo("Amy");
        assertThat(jdbc.sql(
                                """
                SELECT h.previous->'address'->>'postcode' FROM import_history h JOIN import_run r ON r.id = h.import_run_id
                WHERE r.public_id = ?""")
                        .param(changed.id())
                        .query(String.class)
                        .single())
                .isEqualTo("TT1 1TT");
        assertThat(jdbc.sql("SELECT given_name FROM person_record pr JOIN agency a ON a.id = pr.agency_id "
                                + "WHERE a.code = ? AND record_ref = 'R1'")
                        .param(agency)
                        .query(String.class)
                        .single())
                .isEqualTo("Amelia");
        assertThat(jdbc.sql("SELECT count(*) FROM audit_event WHERE subject_id = ? AND action = 'IMPORT_FINISHED'")
                        .param(changed.id().toString())
                        .query(Long.class)
                        .single())
                .isEqualTo(1);
    }

    @Test
    void generatedAgencyFilesImportCleanlyAndTwiceChangesNothing() throws IOException {
        String agency = data.agency("police_force");
        for (String[] kf : List.of(
                new String[] {"person-records", "person_records.csv"},
                new String[] {"missing-episodes", "missing_episodes.csv"},
                new String[] {"concerns", "concerns.csv"})) {
            Path file = GeneratedFiles.forAgency(population, kf[1], agency);
            ImportReport report;
            try (InputStream in = Files.newInputStream(file)) {
                report = imports.importNow(
                        new ImportRequest(agency, kf[0], null, kf[1], "tester", 500, null), in, n -> {});
            }
            long rows = Files.readAllLines(file).size() - 1L;
            assertThat(report.errorsByCode()).as(kf[0]).isEmpty();
            assertThat(report.received()).as(kf[0]).isGreaterThan(0);
            assertThat(report.imported()).as(kf[0]).isEqualTo(report.received());
            assertThat(report.received()).as(kf[0]).isLessThanOrEqualTo(rows);
            try (InputStream in = Files.newInputStream(file)) {
                ImportReport again = imports.importNow(
                        new ImportRequest(agency, kf[0], null, kf[1], "tester", 500, null), in, n -> {});
                assertThat(again.unchanged()).as(kf[0]).isEqualTo(report.received());
            }
        }
    }

    @Test
    void episodeForUnknownRecordIsQuarantinedAndCanBeCorrectedAndReplayed() {
        String agency = data.agency("police_force");
        SightlineUser officer = (SightlineUser) accounts.loadUserByUsername(data.user(agency, Roles.POLICE_OFFICER));
        run(agency, "person-records", PERSON_HEADER + person("P1", agency, "Amy", "2010-04-05"));
        String episodes = "episode_ref,record_ref,reported_at,missing_from,risk_grade\n"
                + "E1,P1,2024-03-01T10:00:00Z,home,medium\n"
                + "E2,NOPE,2024-03-02T10:00:00Z,home,low\n"
                + "E3,P1,2024-03-03T10:00:00Z,moon,low\n";
        ImportReport report = run(agency, "missing-episodes", episodes);
        assertThat(report.imported()).isEqualTo(1);
        assertThat(report.quarantined()).isEqualTo(2);
        assertThat(report.errorsByCode()).containsEntry("E1005", 1L).containsEntry("E1004", 1L);

        List<QuarantinedRow> rows = imports.quarantine(officer, report.id(), 10);
        QuarantinedRow bad =
                rows.stream().filter(r -> "E3".equals(r.ref())).findFirst().orElseThrow();
        assertThat(bad.errors()).extracting(RowError::column).containsExactly("missing_from");
        assertThat(bad.raw()).containsEntry("missing_from", "moon");

        QuarantinedRow stillBad =
                imports.correctAndReplay(officer, report.id(), bad.id(), Map.of("missing_from", "mars"), bad.version());
        assertThat(stillBad.status()).isEqualTo("quarantined");
        QuarantinedRow fixed = imports.correctAndReplay(
                officer, report.id(), bad.id(), Map.of("missing_from", "care"), stillBad.version());
        assertThat(fixed.status()).isEqualTo("replayed");
        assertThat(fixed.outcome()).isEqualTo("imported");
        ImportReport after = imports.report(officer, report.id());
        assertThat(after.imported()).isEqualTo(2);
        assertThat(after.quarantined()).isEqualTo(1);
        assertThat(after.received()).isEqualTo(3);
        assertThatThrownBy(() -> imports.correctAndReplay(officer, report.id(), bad.id(), Map.of(), fixed.version()))
                .hasMessageContaining("cannot go");
        assertThat(jdbc.sql("SELECT count(*) FROM risk_grading g JOIN missing_episode e ON e.id = g.episode_id "
                                + "JOIN agency a ON a.id = e.agency_id WHERE a.code = ?")
                        .param(agency)
                        .query(Long.class)
                        .single())
                .isEqualTo(2);
    }

    @Test
    void aDateOfBirthInTheFutureIsQuarantinedNamingTheColumn() {
        String agency = data.agency("local_authority");
        java.time.LocalDate today = java.time.LocalDate.now(org.sightline.shared.ClockConfiguration.DISPLAY_ZONE);
        ImportReport report = run(
                agency,
                "person-records",
                PERSON_HEADER
                        + person("F1", agency, "Ada", today.plusDays(1).toString())
                        + person("F2", agency, "Bea", "2100")
                        + person("F3", agency, "Cat", today.toString())
                        + person("F4", agency, "Dot", String.valueOf(today.getYear())));
        assertThat(report.received()).isEqualTo(4);
        assertThat(report.imported())
                .as("born today, or some time this year: accepted")
                .isEqualTo(2);
        assertThat(report.quarantined()).isEqualTo(2);
        assertThat(report.errorsByCode()).containsExactly(java.util.Map.entry("E1014", 2L));
    }

    @Test
    void missingRequiredColumnQuarantinesEveryRowNamingTheColumn() {
        String agency = data.agency("local_authority");
        // record_ref is required (raised_at no longer is: a concern's date may be not recorded).
        ImportReport report = run(agency, "concerns", "concern_ref,raised_at\nC1,2024-01-02\nC2,2024\n");
        assertThat(report.received()).isEqualTo(2);
        assertThat(report.quarantined()).isEqualTo(2);
        assertThat(report.errorsByCode()).containsEntry("E1001", 2L);
    }

    @Test
    void aReimportedEpisodeNeverUndoesProgressRecordedInSightline() {
        String agency = data.agency("police_force");
        run(agency, "person-records", PERSON_HEADER + person("P1", agency, "Ivy", "2011-03-04"));
        String episodes =
                "episode_ref,record_ref,reported_at,last_seen_at,missing_from,category,risk_grade,found_at,found_by\n";
        run(
                agency,
                "missing-episodes",
                episodes + "E1,P1,2025-01-10T20:00:00Z,2025-01-10T18:00:00Z,home,missing,medium,,\n");
        // Recorded since in Sightline: found, checked, interviewed, closed.
        jdbc.sql(
                        """
                UPDATE missing_episode SET status = 'closed', found_at = '2025-01-11T09:00:00Z', found_by = 'police',
                    safe_and_well_at = '2025-01-11T12:00:00Z', return_interview_status = 'completed',
                    return_interview_at = '2025-01-12T10:00:00Z', closed_at = '2025-01-12T11:00:00Z'
                WHERE episode_ref = 'E1' AND agency_id = (SELECT id FROM agency WHERE code = ?)""")
                .param(agency)
                .update();
        // The agency's next extract still shows the episode open, with a corrected last-seen place.
        ImportReport again = run(
                agency,
                "missing-episodes",
                episodes.replace("found_by\n", "found_by,last_seen_place\n")
                        + "E1,P1,2025-01-10T20:00:00Z,2025-01-10T18:00:00Z,home,missing,medium,,,Bus station\n");
        assertThat(again.updated()).isEqualTo(1);
        var row = jdbc.sql(
                        """
                SELECT status, return_interview_status, found_at IS NOT NULL, closed_at IS NOT NULL, last_seen_place
                FROM missing_episode WHERE episode_ref = 'E1' AND agency_id = (SELECT id FROM agency WHERE code = ?)""")
                .param(agency)
                .query((rs, n) ->
                        List.of(rs.getString(1), rs.getString(2), rs.getBoolean(3), rs.getBoolean(4), rs.getString(5)))
                .single();
        assertThat(row).containsExactly("closed", "completed", true, true, "Bus station");
    }

    @Test
    void foundPlacesOfImportedEpisodesJoinTheNetworkOnceAsAFoundPageWouldLinkThem() {
        String force1 = data.agency("police_force");
        String force2 = data.agency("police_force");
        int house = 100 + java.util.concurrent.ThreadLocalRandom.current().nextInt(9000);
        String postcode = "ZY" + (house % 10) + " 4AP";
        run(force1, "person-records", PERSON_HEADER + person("P1", force1, "Ivy", "2011-03-04"));
        run(force2, "person-records", PERSON_HEADER + person("P2", force2, "Una", "2010-06-07"));
        String header =
                "episode_ref,record_ref,reported_at,missing_from,found_at,found_place,found_postcode,found_by\n";
        // The two forces write the same flat differently; E3 was not found; E4's place is only a bad postcode.
        ImportReport first = run(
                force1,
                "missing-episodes",
                header
                        + "E1,P1,2025-02-01T20:00:00Z,home,2025-02-02T09:00:00Z,\"Flat 2, " + house + " High St\","
                        + postcode.toLowerCase() + ",police\n"
                        + "E3,P1,2025-03-01T20:00:00Z,home,,,,\n"
                        + "E4,P1,2025-04-01T20:00:00Z,home,2025-04-02T09:00:00Z,,not a postcode,police\n");
        ImportReport second = run(
                force2,
                "missing-episodes",
                header + "E1,P2,2025-02-05T20:00:00Z,care,2025-02-06T10:30:00Z,flat 2 " + house + " high street,\""
                        + postcode + "\",police\n");
        assertThat(first.imported()).isEqualTo(3);
        assertThat(second.imported()).isEqualTo(1);
        String links =
                """
                SELECT e.episode_ref, l.place_id, l.postcode, x.observed_at, x.recorded_by, la.code
                FROM missing_episode e JOIN agency a ON a.id = e.agency_id
                JOIN association x ON x.from_kind = 'episode' AND x.from_id = e.id AND x.association_type = 'found_at'
                JOIN location l ON x.to_kind = 'location' AND l.id = x.to_id JOIN agency la ON la.id = l.agency_id
                WHERE a.code = ? ORDER BY e.episode_ref""";
        List<List<Object>> one = jdbc.sql(links)
                .param(force1)
                .query((rs, n) -> List.<Object>of(
                        rs.getString(1),
                        rs.getLong(2),
                        String.valueOf(rs.getString(3)),
                        rs.getTimestamp(4).toInstant().toString(),
                        rs.getString(5),
                        rs.getString(6)))
                .list();
        List<List<Object>> two = jdbc.sql(links)
                .param(force2)
                .query((rs, n) -> List.<Object>of(
                        rs.getString(1),
                        rs.getLong(2),
                        String.valueOf(rs.getString(3)),
                        rs.getTimestamp(4).toInstant().toString(),
                        rs.getString(5),
                        rs.getString(6)))
                .list();
        assertThat(one).extracting(r -> r.get(0)).containsExactly("E1", "E4");
        assertThat(one.get(0).subList(2, 6)).containsExactly(postcode, "2025-02-02T09:00:00Z", "tester", force1);
        assertThat(one.get(1).get(2)).as("not a postcode: left out").isEqualTo("null");
        assertThat(two).hasSize(1);
        assertThat(two.get(0).subList(2, 6)).containsExactly(postcode, "2025-02-06T10:30:00Z", "tester", force2);
        assertThat(two.get(0).get(1))
                .as("one place for both forces' spellings")
                .isEqualTo(one.get(0).get(1));
        assertThat(one.get(1).get(1)).isNotEqualTo(one.get(0).get(1));

        // A re-import (changed, so staged again) links nothing twice.
        run(
                force2,
                "missing-episodes",
                header + "E1,P2,2025-02-05T20:00:00Z,care,2025-02-06T10:30:00Z,flat 2 " + house + " high street,\""
                        + postcode + "\",social worker\n");
        assertThat(jdbc.sql(links).param(force2).query().listOfRows()).hasSize(1);
        assertThat(jdbc.sql(
                                """
                SELECT count(*) FROM audit_event WHERE actor_agency = ? AND action = 'ASSOCIATE' AND details LIKE ?""")
                        .params(force1, "via=import:" + first.id() + ";%count=2")
                        .query(Long.class)
                        .single())
                .isEqualTo(1);
    }

    @Test
    void encodingProblemsAreNamedByLine() {
        String agency = data.agency("local_authority");
        byte[] latin1 = (PERSON_HEADER
                        + person("L1", agency, "Zoë", "2010-01-01")
                        + person("L2", agency, "Zoe", "2010-01-01"))
                .getBytes(StandardCharsets.ISO_8859_1);
        ImportReport report = imports.importNow(
                new ImportRequest(agency, "person-records", null, "latin1.csv", "tester", 100, null),
                new ByteArrayInputStream(latin1),
                n -> {});
        assertThat(report.imported()).isEqualTo(1);
        assertThat(report.errorsByCode()).containsEntry("E1010", 1L);

        byte[] bom = ("\uFEFF" + PERSON_HEADER + person("B1", agency, "Ann", "2010")).getBytes(StandardCharsets.UTF_8);
        ImportReport withBom = imports.importNow(
                new ImportRequest(agency, "person-records", null, "bom.csv", "tester", 100, null),
                new ByteArrayInputStream(bom),
                n -> {});
        assertThat(withBom.imported()).isEqualTo(1);

        byte[] utf16 = (PERSON_HEADER + person("U1", agency, "Ann", "2010")).getBytes(StandardCharsets.UTF_16);
        ImportReport rejected = imports.importNow(
                new ImportRequest(agency, "person-records", null, "utf16.csv", "tester", 100, null),
                new ByteArrayInputStream(utf16),
                n -> {});
        assertThat(rejected.status()).isEqualTo("failed");
        assertThat(rejected.fileError()).startsWith("E1000 line 1").contains("UTF-16");
        assertThat(rejected.received()).isZero();
    }

    @Test
    void aStrayQuoteFailsTheRunInsteadOfSwallowingTheRowsAfterIt() {
        String agency = data.agency("local_authority");
        StringBuilder file = new StringBuilder(PERSON_HEADER);
        for (int r = 1; r <= 100; r++) {
            // No other quotes in the file, so nothing closes the stray one.
            String row = person("Q" + r, agency, "Amy", "2010-04-05")
                    .replace("\"1 Test Street, Testtown\"", "1 Test Street");
            file.append(r == 10 ? row.replace(",Amy,", ",\"Amy,") : row);
        }
        ImportReport report = run(agency, "person-records", file.toString());
        assertThat(report.status()).isEqualTo("failed");
        assertThat(report.fileError()).startsWith("E1000 line 11").contains("quote");
        // The 9 rows before the stray quote were read and counted; none after it was swallowed into a quarantined row.
        assertThat(report.received()).isEqualTo(9);
        assertThat(report.quarantined()).isZero();
    }

    @Test
    void mappingProfileMapsColumnsValuesAndDates() {
        String agency = data.agency("care_provider");
        SightlineUser staff = (SightlineUser) accounts.loadUserByUsername(data.user(agency, Roles.CARE_STAFF));
        profiles.create(
                staff,
                "person-records",
                "Our system",
                Map.of(
                        "Ref",
                        "record_ref",
                        "Forename",
                        "given_name",
                        "Surname",
                        "family_name",
                        "DOB",
                        "dob",
                        "Gender",
                        "sex"),
                Map.of("sex", Map.of("M", "male", "F", "female")),
                "dd/MM/yyyy",
                null);
        ImportReport report = imports.importNow(
                new ImportRequest(agency, "person-records", "Our system", "own.csv", "tester", 100, null),
                csv(
                        "Ref,Forename,Surname,DOB,Gender,Ignored\nYP1,Ann,Testperson,05/04/2010,F,x\nYP2,Bob,Testperson,31/02/2010,M,y\n"),
                n -> {});
        assertThat(report.imported()).isEqualTo(1);
        assertThat(report.errorsByCode()).containsEntry("E1003", 1L);
        assertThat(jdbc.sql("SELECT dob_year || '-' || dob_month || '-' || dob_day || ' ' || sex FROM person_record pr "
                                + "JOIN agency a ON a.id = pr.agency_id WHERE a.code = ? AND record_ref = 'YP1'")
                        .param(agency)
                        .query(String.class)
                        .single())
                .isEqualTo("2010-4-5 female");
        assertThatThrownBy(() -> profiles.create(
                        staff, "person-records", "Bad", Map.of("X", "no_such_column"), null, "qq/zz", null))
                .isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> run(agency, "nonsense", PERSON_HEADER)).isInstanceOf(InvalidRequestException.class);
    }
}
