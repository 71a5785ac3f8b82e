package org.sightline.ssda903;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.multipart;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.sightline.access.Roles;
import org.sightline.ssda903.Ssda903ImportService.FileCounts;
import org.sightline.ssda903.Ssda903ImportService.FilePreview;
import org.sightline.ssda903.Ssda903ImportService.ImportReport;
import org.sightline.ssda903.Ssda903ImportService.Preview;
import org.sightline.support.IntegrationTest;
import org.sightline.support.TestData;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mock.web.MockMultipartFile;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.test.web.servlet.MockMvc;

/**
 * The preview of SSDA903 files says exactly what the import then does: its counts are checked against counts
 * worked out here from the fixture (a small independent model of the rules it exercises) and against the report of
 * the import of the same files, with nothing written by the preview itself. Then the API: keep, read, import once,
 * cancel, expire, and bad input as problem+json.
 */
@IntegrationTest
class Ssda903PreviewTest {

    private static final CollectionYear YEAR = new CollectionYear(2025);
    private static final String HEADER_HEAD = "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\n";
    private static final String EPISODES_HEAD =
            "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN\n";
    private static final String MISSING_HEAD = "CHILD,DOB,MISSING,MIS_START,MIS_END\n";

    /** Already held before the preview: two children, an episode each, a missing period. */
    static final String BASE_HEADER = HEADER_HEAD + "E1,1,01/02/2010,WBRI,,,\nE2,2,03/04/2011,WIRI,,,\n";

    static final String BASE_EPISODES =
            EPISODES_HEAD + "E1,01/05/2024,S,C2,N1,U1,PR1,,,,,,\nE2,01/06/2024,S,C2,N1,U1,PR1,,,,,,\n";
    static final String BASE_MISSING = MISSING_HEAD + "E1,01/02/2010,M,10/06/2024,12/06/2024\n";

    /**
     * The files previewed: E1 as held, E2 changed, new children (one with a lower-case code, one with 0.0), a refused
     * Header row (P3) whose Episodes and Missing rows are held, a duplicate key with different values (P4), an
     * identical repeat (P5), an episode of a child in no Header (X9), an episode that has ended since (E2).
     */
    static final String HEADER = HEADER_HEAD
            + """
            E1,1,01/02/2010,WBRI,,,
            E2,2,03/04/2011,WBRI,,,
            P1,1,05/06/2012,wbri,,,
            P2,2,07/08/2009,WBRI,,0.0,
            P3,1,09/10/2012,WBRI,,2,
            P4,1,11/12/2012,WBRI,,,
            P4,2,11/12/2012,WBRI,,,
            P5,1,13/01/2013,WBRI,,,
            P5,1,13/01/2013,WBRI,,,
            """;

    static final String EPISODES = EPISODES_HEAD
            + """
            E1,01/05/2024,S,C2,N1,U1,PR1,,,,,,
            E2,01/06/2024,S,C2,N1,U1,PR1,01/09/2024,E11,,,,
            P1,01/07/2024,S,C2,N1,U1,PR1,,,,,,
            P3,01/07/2024,S,C2,N1,U1,PR1,,,,,,
            X9,01/07/2024,S,C2,N1,U1,PR1,,,,,,
            """;

    static final String MISSING = MISSING_HEAD
            + """
            E1,01/02/2010,M,10/06/2024,12/06/2024
            P1,05/06/2012,m,15/07/2024,16/07/2024
            P1,05/06/2012,A,20/07/2024,
            P3,09/10/2012,M,15/07/2024,
            """;

    @Autowired
    Ssda903ImportService imports;

    @Autowired
    Ssda903Repository repository;

    @Autowired
    Ssda903Previews previews;

    @Autowired
    TestData data;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    MockMvc mvc;

    @Autowired
    UserDetailsService users;

    private static InputStream in(String s) {
        return s == null ? null : new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
    }

    private static Ssda903ImportService.Files files(String header, String episodes, String missing) {
        return new Ssda903ImportService.Files(in(header), in(episodes), in(missing));
    }

    /** Rows the authority holds, import runs and stored rule failures: what a preview must not change. */
    private List<Long> written(String la) {
        return List.of(
                jdbc.sql("SELECT count(*) FROM person_record p JOIN agency a ON a.id = p.agency_id WHERE a.code = ?")
                        .param(la)
                        .query(Long.class)
                        .single(),
                jdbc.sql("SELECT count(*) FROM care_episode c JOIN agency a ON a.id = c.agency_id WHERE a.code = ?")
                        .param(la)
                        .query(Long.class)
                        .single(),
                jdbc.sql("SELECT count(*) FROM missing_episode m JOIN agency a ON a.id = m.agency_id WHERE a.code = ?")
                        .param(la)
                        .query(Long.class)
                        .single(),
                jdbc.sql("SELECT count(*) FROM import_run r JOIN agency a ON a.id = r.agency_id WHERE a.code = ?")
                        .param(la)
                        .query(Long.class)
                        .single(),
                jdbc.sql(
                                "SELECT count(*) FROM ssda903_rule_failure f JOIN agency a ON a.id = f.agency_id WHERE a.code = ?")
                        .param(la)
                        .query(Long.class)
                        .single(),
                jdbc.sql("SELECT coalesce(sum(p.version), 0) FROM person_record p JOIN agency a ON a.id = p.agency_id "
                                + "WHERE a.code = ?")
                        .param(la)
                        .query(Long.class)
                        .single());
    }

    /** received, created, updated, unchanged, quarantined of a preview's file. */
    private static List<Long> counts(FilePreview f) {
        return List.of(f.received(), f.created(), f.updated(), f.unchanged(), f.quarantined());
    }

    private static List<Long> counts(FileCounts c) {
        return List.of((long) c.received(), (long) c.created(), (long) c.updated(), (long) c.unchanged(), (long)
                c.quarantined());
    }

    @Test
    void thePreviewSaysWhatTheImportThenDoesAndWritesNothing() {
        String la = data.agency("local_authority");
        imports.importAsOperator("test", la, YEAR, files(BASE_HEADER, BASE_EPISODES, BASE_MISSING));
        Authority authority = repository.authority(la, YEAR);
        List<Long> before = written(la);

        Preview preview = imports.preview(authority, YEAR, files(HEADER, EPISODES, MISSING));

        assertThat(written(la)).as("a preview writes nothing").isEqualTo(before);
        Map<String, List<Long>> expected = Model.counts(
                Map.of("header", BASE_HEADER, "episodes", BASE_EPISODES, "missing", BASE_MISSING),
                Map.of("header", HEADER, "episodes", EPISODES, "missing", MISSING));
        // The model, written out for the reader: received, created, updated, unchanged, quarantined.
        assertThat(expected)
                .containsEntry("header", List.of(9L, 3L, 1L, 2L, 3L))
                .containsEntry("episodes", List.of(5L, 1L, 1L, 1L, 2L))
                .containsEntry("missing", List.of(4L, 2L, 0L, 1L, 1L));
        Map<String, List<Long>> previewed = new LinkedHashMap<>();
        preview.files().forEach(f -> previewed.put(f.file(), counts(f)));
        assertThat(previewed).isEqualTo(expected);

        FilePreview header = preview.files().get(0);
        assertThat(header.dates()).isEqualTo("dayFirst");
        assertThat(header.columns()).isEqualTo(Ssda903Tables.HEADER_COLUMNS);
        // The first rows as the import reads them: the lower-case code upper-cased, 0.0 read as 0.
        assertThat(header.firstRows())
                .contains(
                        List.of("P1", "1", "05/06/2012", "WBRI", "", "", ""),
                        List.of("P2", "2", "07/08/2009", "WBRI", "", "0", ""));
        assertThat(header.duplicates())
                .extracting(Ssda903ImportService.RowError::line)
                .containsExactly(7, 8);
        assertThat(header.duplicates().get(0).errors())
                .containsExactly("CHILD: the same CHILD as line(s) 8 with different values");
        assertThat(header.errorsByCode()).containsEntry("E1004", 1L).containsEntry("E1007", 2L);
        FilePreview episodes = preview.files().get(1);
        assertThat(episodes.held()).singleElement().satisfies(row -> {
            assertThat(row.line()).isEqualTo(5);
            assertThat(row.child()).isEqualTo("P3");
            assertThat(row.errors())
                    .containsExactly("CHILD: the Header row for CHILD P3 was refused: MOTHER: must be one of 0/1");
        });
        assertThat(episodes.refused())
                .filteredOn(r -> r.child().equals("X9"))
                .singleElement()
                .satisfies(r -> assertThat(r.errors()).containsExactly("CHILD: not in the Header (INT)"));
        assertThat(preview.files().get(2).held())
                .extracting(Ssda903ImportService.RowError::child)
                .containsExactly("P3");
        assertThat(preview.notices())
                .extracting(Ssda903ImportService.Notice::text)
                .contains(
                        "ETHNIC: 1 lower-case code(s) read as upper case, as the DfE codes are",
                        "MOTHER: 1 value(s) written as a decimal (e.g. 1.0) read as the whole number",
                        "the same row as line 9: read once");
        assertThat(preview.rulesChecked()).isTrue();

        // The import of the same files reports the same counts, the same refused rows, notices and rule failures.
        ImportReport report = imports.importAsOperator("test", la, YEAR, files(HEADER, EPISODES, MISSING));
        Map<String, List<Long>> imported = new LinkedHashMap<>();
        report.files().forEach(c -> imported.put(c.file(), counts(c)));
        assertThat(imported).isEqualTo(previewed);
        List<Ssda903ImportService.RowError> refusedInPreview = new ArrayList<>();
        preview.files().forEach(f -> refusedInPreview.addAll(f.refused()));
        assertThat(report.errors()).containsExactlyInAnyOrderElementsOf(refusedInPreview);
        assertThat(report.notices()).isEqualTo(preview.notices());
        assertThat(report.ruleFailures()).isEqualTo(preview.ruleFailures());

        // Previewed again now that they are in: nothing new, nothing changed, the same rows set aside.
        Preview again = imports.preview(authority, YEAR, files(HEADER, EPISODES, MISSING));
        again.files().forEach(f -> {
            assertThat(f.created() + f.updated()).as(f.file()).isZero();
            assertThat(f.quarantined())
                    .as(f.file())
                    .isEqualTo(previewed.get(f.file()).get(4));
        });
    }

    @Test
    void aGeneratedReturnIsPreviewedWithTheCountsItsImportReports() {
        String la = data.agency("local_authority");
        Ssda903RoundTripTest.Generated g = Ssda903RoundTripTest.generate(913);
        Authority authority = repository.authority(la, YEAR);
        List<Long> before = written(la);
        Preview preview = imports.preview(authority, YEAR, files(g.header(), g.episodes(), g.missing()));
        assertThat(written(la)).isEqualTo(before);
        Map<String, List<Long>> expected =
                Model.counts(Map.of(), Map.of("header", g.header(), "episodes", g.episodes(), "missing", g.missing()));
        Map<String, List<Long>> previewed = new LinkedHashMap<>();
        preview.files().forEach(f -> previewed.put(f.file(), counts(f)));
        assertThat(previewed).isEqualTo(expected);
        assertThat(previewed.get("header").get(0)).isGreaterThan(10);

        ImportReport report = imports.importAsOperator("test", la, YEAR, files(g.header(), g.episodes(), g.missing()));
        Map<String, List<Long>> imported = new LinkedHashMap<>();
        report.files().forEach(c -> imported.put(c.file(), counts(c)));
        assertThat(imported).isEqualTo(previewed);
        assertThat(report.ruleFailures()).isEqualTo(preview.ruleFailures());
    }

    /**
     * What the import should do, worked out from the files' text alone: a row's key (CHILD; CHILD+DECOM;
     * CHILD+MIS_START) already held with the same values is unchanged, with other values updated, else new; a
     * Header row with MOTHER other than 0/1 is refused, as are all rows of a CHILD listed twice with different
     * values (an identical repeat is read once, unchanged); an Episodes or Missing row whose CHILD has no accepted
     * Header row, here or held, is set aside. Values are compared upper-cased with x.0 read as x.
     */
    static final class Model {
        private static final Map<String, Integer> KEY_WIDTH = Map.of("header", 1, "episodes", 2, "missing", 1);

        static Map<String, List<Long>> counts(Map<String, String> held, Map<String, String> sent) {
            Map<String, List<Long>> out = new LinkedHashMap<>();
            Set<String> childrenHeld = new HashSet<>();
            for (String[] row : rows(held.get("header"))) {
                childrenHeld.add(row[0]);
            }
            Set<String> headerAccepted = new HashSet<>(childrenHeld);
            for (String file : List.of("header", "episodes", "missing")) {
                Map<String, String> before = new HashMap<>();
                for (String[] row : rows(held.get(file))) {
                    before.put(key(file, row), normal(row, file));
                }
                List<String[]> rows = rows(sent.get(file));
                Map<String, Set<String>> byKey = new HashMap<>();
                rows.forEach(row -> byKey.computeIfAbsent(key(file, row), k -> new HashSet<>())
                        .add(normal(row, file)));
                long created = 0;
                long updated = 0;
                long unchanged = 0;
                long quarantined = 0;
                Set<String> seen = new HashSet<>();
                for (String[] row : rows) {
                    String key = key(file, row);
                    boolean refused = byKey.get(key).size() > 1;
                    if (file.equals("header")) {
                        String mother = row[5].replaceAll("\\.0+$", "");
                        refused |= !(mother.isEmpty() || mother.equals("0") || mother.equals("1"));
                    } else {
                        refused |= !headerAccepted.contains(row[0]);
                    }
                    if (refused) {
                        quarantined++;
                    } else if (!seen.add(key) || normal(row, file).equals(before.get(key))) {
                        unchanged++;
                    } else if (before.containsKey(key)) {
                        updated++;
                    } else {
                        created++;
                    }
                    if (file.equals("header") && !refused) {
                        headerAccepted.add(row[0]);
                    }
                }
                out.put(file, List.of((long) rows.size(), created, updated, unchanged, quarantined));
            }
            return out;
        }

        private static String key(String file, String[] row) {
            return String.join("|", List.of(row).subList(0, KEY_WIDTH.get(file) == 2 ? 2 : 1))
                    + (file.equals("missing") ? "|" + row[3] : "");
        }

        /** The values the import stores (a Missing row's DOB is not held). */
        private static String normal(String[] row, String file) {
            List<String> values = new ArrayList<>();
            for (int i = 0; i < row.length; i++) {
                if (file.equals("missing") && i == 1) {
                    continue;
                }
                values.add(row[i].strip().toUpperCase(Locale.ROOT).replaceAll("^(\\d+)\\.0+$", "$1"));
            }
            return String.join(",", values);
        }

        private static List<String[]> rows(String csv) {
            if (csv == null) {
                return List.of();
            }
            List<String[]> rows = new ArrayList<>();
            String[] lines = csv.split("\r?\n");
            for (int i = 1; i < lines.length; i++) {
                if (!lines[i].isBlank()) {
                    rows.add(lines[i].split(",", -1));
                }
            }
            return rows;
        }
    }

    // ---- API ----

    private static MockMultipartFile file(String name, String content) {
        return new MockMultipartFile(name, name + ".csv", "text/csv", content.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void theApiKeepsAPreviewImportsItOnceAndCancelsOrExpiresIt() throws Exception {
        String la = data.agency("local_authority");
        var socialWorker = users.loadUserByUsername(data.user(la, Roles.SOCIAL_WORKER));
        var analyst = users.loadUserByUsername(data.user(la, Roles.ANALYST));
        var otherAuthority = users.loadUserByUsername(data.user(data.agency("local_authority"), Roles.SOCIAL_WORKER));
        List<Long> before = written(la);

        String body = mvc.perform(multipart("/api/v1/ssda903/previews")
                        .file(file("header", HEADER))
                        .file(file("episodes", EPISODES))
                        .file(file("missing", MISSING))
                        .param("year", "2025")
                        .with(user(socialWorker)))
                .andExpect(status().isCreated())
                .andExpect(header().string("Location", org.hamcrest.Matchers.startsWith("/api/v1/ssda903/previews/")))
                .andExpect(jsonPath("$.year").value(2025))
                .andExpect(jsonPath("$.preview.files[0].file").value("header"))
                .andExpect(jsonPath("$.preview.files[0].dates").value("dayFirst"))
                .andExpect(jsonPath("$.preview.files[0].received").value(9))
                .andExpect(jsonPath("$.preview.files[0].quarantined").value(3))
                .andExpect(jsonPath("$.preview.files[1].held[0].child").value("P3"))
                .andExpect(jsonPath("$.preview.files[0].duplicates[0].line").value(7))
                .andReturn()
                .getResponse()
                .getContentAsString();
        String id = body.replaceAll("(?s).*\"id\"\\s*:\\s*\"([0-9a-f-]{36})\".*", "$1");
        assertThat(written(la)).isEqualTo(before);

        mvc.perform(get("/api/v1/ssda903/previews/" + id).with(user(analyst))).andExpect(status().isForbidden());
        mvc.perform(get("/api/v1/ssda903/previews/" + id).with(user(otherAuthority)))
                .andExpect(status().isNotFound());
        mvc.perform(get("/api/v1/ssda903/previews/" + id).with(user(socialWorker)))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.preview.files[2].created").value(3));

        String key = TestData.unique("key");
        mvc.perform(post("/api/v1/ssda903/previews/" + id + "/import")
                        .header("Idempotency-Key", key)
                        .with(user(socialWorker)))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.files[0].created").value(5))
                .andExpect(jsonPath("$.files[2].created").value(3));
        mvc.perform(post("/api/v1/ssda903/previews/" + id + "/import")
                        .header("Idempotency-Key", key)
                        .with(user(socialWorker)))
                .andExpect(status().isOk())
                .andExpect(header().string("Idempotent-Replayed", "true"));
        mvc.perform(get("/api/v1/ssda903/previews/" + id).with(user(socialWorker)))
                .andExpect(status().isNotFound())
                .andExpect(content().contentTypeCompatibleWith("application/problem+json"));

        // Cancelled: nothing imported, gone.
        String cancelled = mvc.perform(multipart("/api/v1/ssda903/previews")
                        .file(file("header", HEADER_HEAD + "Z1,1,01/02/2010,WBRI,,,\n"))
                        .param("year", "2025")
                        .with(user(socialWorker)))
                .andExpect(status().isCreated())
                .andReturn()
                .getResponse()
                .getHeader("Location");
        mvc.perform(delete(cancelled).with(user(socialWorker))).andExpect(status().isNoContent());
        mvc.perform(delete(cancelled).with(user(socialWorker))).andExpect(status().isNotFound());
        assertThat(jdbc.sql("SELECT count(*) FROM person_record WHERE local_child_id = 'Z1' AND agency_id = "
                                + "(SELECT id FROM agency WHERE code = ?)")
                        .param(la)
                        .query(Long.class)
                        .single())
                .isZero();

        // Expired: not shown once past the retention, then swept and audited.
        String expiring = mvc.perform(multipart("/api/v1/ssda903/previews")
                        .file(file("header", HEADER_HEAD + "Z2,1,01/02/2010,WBRI,,,\n"))
                        .param("year", "2025")
                        .with(user(socialWorker)))
                .andExpect(status().isCreated())
                .andReturn()
                .getResponse()
                .getHeader("Location");
        String expiringId = expiring.substring(expiring.lastIndexOf('/') + 1);
        jdbc.sql("UPDATE ssda903_preview SET stored_at = stored_at - interval '25 hours' WHERE public_id = ?::uuid")
                .param(expiringId)
                .update();
        mvc.perform(get(expiring).with(user(socialWorker))).andExpect(status().isNotFound());
        assertThat(previews.expire()).isGreaterThanOrEqualTo(1);
        assertThat(jdbc.sql("SELECT count(*) FROM ssda903_preview WHERE public_id = ?::uuid")
                        .param(expiringId)
                        .query(Long.class)
                        .single())
                .isZero();
        assertThat(jdbc.sql("SELECT count(*) FROM audit_event WHERE action = 'SSDA903_PREVIEW_EXPIRED' "
                                + "AND subject_id = ?")
                        .param(expiringId)
                        .query(Long.class)
                        .single())
                .isEqualTo(1);
    }

    @Test
    void badInputIsProblemJsonNamingTheFieldAndNothingIsKept() throws Exception {
        String la = data.agency("local_authority");
        var socialWorker = users.loadUserByUsername(data.user(la, Roles.SOCIAL_WORKER));
        long kept = jdbc.sql("SELECT count(*) FROM ssda903_preview")
                .query(Long.class)
                .single();
        mvc.perform(multipart("/api/v1/ssda903/previews")
                        .file(file("header", HEADER))
                        .param("year", "20x5")
                        .with(user(socialWorker)))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith("application/problem+json"))
                .andExpect(jsonPath("$.errors[0].field").value("year"));
        mvc.perform(multipart("/api/v1/ssda903/previews").param("year", "2025").with(user(socialWorker)))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("header"))
                .andExpect(jsonPath("$.errors[0].rule").value("required"));
        mvc.perform(multipart("/api/v1/ssda903/previews")
                        .file(file("header", HEADER_HEAD + "T1,1,05/06/2006,WBRI,,,\nT2,2,05/13/2006,WBRI,,,\n"))
                        .param("year", "2025")
                        .with(user(socialWorker)))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith("application/problem+json"))
                .andExpect(jsonPath("$.errors[0].field").value("header"))
                .andExpect(jsonPath("$.errors[0].rule").value("ssda903-file"))
                .andExpect(jsonPath("$.errors[0].message")
                        .value(org.hamcrest.Matchers.containsString("dates are month first (mm/dd/yyyy)")));
        mvc.perform(multipart("/api/v1/ssda903/previews")
                        .file(file("episodes", "CHILD,DECOM\nA,01/01/2025\n"))
                        .param("year", "2025")
                        .with(user(socialWorker)))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("episodes"))
                .andExpect(jsonPath("$.errors[0].message")
                        .value(org.hamcrest.Matchers.containsString("the header row lacks column(s) RNE")));
        mvc.perform(get("/api/v1/ssda903/previews/not-a-uuid").with(user(socialWorker)))
                .andExpect(status().is4xxClientError())
                .andExpect(content().contentTypeCompatibleWith("application/problem+json"));
        assertThat(jdbc.sql("SELECT count(*) FROM ssda903_preview")
                        .query(Long.class)
                        .single())
                .isEqualTo(kept);
    }
}
