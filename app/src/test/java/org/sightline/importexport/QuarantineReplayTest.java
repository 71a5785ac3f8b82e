package org.sightline.importexport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sightline.access.Roles;
import org.sightline.access.SightlineUser;
import org.sightline.access.UserAccounts;
import org.sightline.support.IntegrationTest;
import org.sightline.support.TestData;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.web.servlet.MockMvc;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Replaying a quarantined row reads the corrected row whole: a row with the wrong number of fields (an address
 * with an unquoted comma, a row cut short) is corrected as one CSV line and never shifted or padded into columns;
 * each correction keeps what it replaced; a record changed by a later import is not overwritten unless confirmed.
 */
@IntegrationTest
class QuarantineReplayTest {

    private static final String HEADER = "record_ref,given_name,family_name,dob,sex,address_line,postcode\n";

    @Autowired
    ImportService imports;

    @Autowired
    TestData data;

    @Autowired
    UserAccounts accounts;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    MockMvc mvc;

    @Autowired
    ObjectMapper json;

    private ImportReport run(SightlineUser user, String csv) {
        return imports.importNow(
                new ImportService.ImportRequest(
                        user.agencyCode(), "person-records", null, "people.csv", user.username(), 100, null),
                new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)),
                n -> {});
    }

    private QuarantinedRow quarantined(SightlineUser user, ImportReport report, String ref) {
        return imports.quarantine(user, report.id(), 10).stream()
                .filter(r -> ref.equals(r.ref()))
                .findFirst()
                .orElseThrow();
    }

    private MockHttpServletResponse correct(SightlineUser user, ImportReport report, QuarantinedRow row, String body)
            throws Exception {
        return mvc.perform(put("/api/v1/imports/" + report.id() + "/quarantine/" + row.id())
                        .with(user(user))
                        .contentType(MediaType.APPLICATION_JSON)
                        .content(body))
                .andReturn()
                .getResponse();
    }

    private Map<String, Object> address(String agency, String ref) {
        return jdbc.sql(
                        """
                SELECT ad.address_line, ad.postcode FROM person_address ad JOIN person_record p ON p.id = ad.person_record_id
                JOIN agency a ON a.id = p.agency_id WHERE a.code = ? AND p.record_ref = ? AND ad.is_current""")
                .params(agency, ref)
                .query()
                .singleRow();
    }

    @Test
    void anAddressWithAnUnquotedCommaIsCorrectedAsOneLineNeverShifted() throws Exception {
        String agency = data.agency("local_authority");
        SightlineUser worker = (SightlineUser) accounts.loadUserByUsername(data.user(agency, Roles.SOCIAL_WORKER));
        ImportReport report = run(
                worker,
                HEADER
                        + "S1,Ann,Testperson,2010-01-02,female,1 High Street, Smalltown,ST1 2AB\n"
                        + "S2,Bob,Testperson,2010-01-02\n");
        assertThat(report.quarantined()).isEqualTo(2);
        QuarantinedRow shifted = quarantined(worker, report, "S1");
        assertThat(shifted.wholeLine()).isTrue();

        // The correction page shows the row as it was in the file, to correct whole.
        String page = mvc.perform(get("/imports/" + report.id() + "/quarantine/" + shifted.id())
                        .with(user(worker)))
                .andReturn()
                .getResponse()
                .getContentAsString();
        assertThat(page)
                .contains("S1,Ann,Testperson,2010-01-02,female,1 High Street, Smalltown,ST1 2AB")
                .contains("name=\"line\"")
                .doesNotContain("name=\"v5\"");

        // Column values cannot be matched to a row of the wrong length: refused, naming 'line', nothing saved.
        MockHttpServletResponse byValues = correct(
                worker,
                report,
                shifted,
                "{\"values\":{\"postcode\":\"ST1 2AB\"},\"version\":" + shifted.version() + "}");
        assertThat(byValues.getStatus()).isEqualTo(400);
        assertThat(byValues.getContentAsString()).contains("\"field\":\"line\"");
        assertThat(quarantined(worker, report, "S1").version()).isEqualTo(shifted.version());

        // Corrected as a line with the address quoted, as the file should have been.
        MockHttpServletResponse fixed = correct(
                worker,
                report,
                shifted,
                json.writeValueAsString(Map.of(
                        "line",
                        "S1,Ann,Testperson,2010-01-02,female,\"1 High Street, Smalltown\",ST1 2AB",
                        "version",
                        shifted.version())));
        assertThat(fixed.getStatus()).as(fixed.getContentAsString()).isEqualTo(200);
        JsonNode after = json.readTree(fixed.getContentAsString());
        assertThat(after.get("status").asString()).isEqualTo("replayed");
        assertThat(address(agency, "S1"))
                .containsEntry("address_line", "1 High Street, Smalltown")
                .containsEntry("postcode", "ST1 2AB");
        // The row as it came in the file stays in the history, its extra field included.
        assertThat(after.at("/history/0/raw/address_line").asString()).isEqualTo("1 High Street");
        assertThat(after.at("/history/0/raw/postcode").asString()).isEqualTo(" Smalltown");
        assertThat(after.at("/history/0/raw/extra 1").asString()).isEqualTo("ST1 2AB");
        assertThat(after.at("/history/0/errors/0/code").asString()).isEqualTo("E1008");
        assertThat(after.at("/history/0/replacedBy").asString()).isEqualTo(worker.username());
        assertThat(after.at("/raw/address_line").asString()).isEqualTo("1 High Street, Smalltown");

        // A row cut short stays short: still E1008, never padded with blanks and imported.
        QuarantinedRow shortRow = quarantined(worker, report, "S2");
        QuarantinedRow still = imports.correctAndReplay(
                worker,
                report.id(),
                shortRow.id(),
                Map.of(),
                "S2,Bobby,Testperson,2010-01-02,male",
                shortRow.version(),
                false);
        assertThat(still.status()).isEqualTo("quarantined");
        assertThat(still.errors()).extracting(RowError::code).containsExactly("E1008");
        assertThat(still.raw()).containsEntry("given_name", "Bobby").doesNotContainKey("address_line");
        assertThat(still.history()).hasSize(1);
        assertThat(still.history().get(0).raw()).containsEntry("given_name", "Bob");
        assertThat(jdbc.sql(
                                "SELECT count(*) FROM person_record p JOIN agency a ON a.id = p.agency_id WHERE a.code = ? AND record_ref = 'S2'")
                        .param(agency)
                        .query(Integer.class)
                        .single())
                .isZero();
        ImportReport counts = imports.report(worker, report.id());
        assertThat(counts.imported()).isEqualTo(1);
        assertThat(counts.quarantined()).isEqualTo(1);

        // Through the web form: two lines are not one row; then corrected.
        QuarantinedRow now = quarantined(worker, report, "S2");
        String notOne = mvc.perform(post("/imports/" + report.id() + "/quarantine/" + now.id())
                        .with(user(worker))
                        .with(csrf())
                        .param("version", String.valueOf(now.version()))
                        .param("line", "S2,Bob,Testperson,2010-01-02,male,,\nS3,Cy,Testperson,2010-01-02,male,,"))
                .andReturn()
                .getResponse()
                .getContentAsString();
        assertThat(notOne).contains("govuk-error-summary").contains("not one CSV row");
        assertThat(mvc.perform(post("/imports/" + report.id() + "/quarantine/" + now.id())
                                .with(user(worker))
                                .with(csrf())
                                .param("version", String.valueOf(now.version()))
                                .param("line", "S2,Bob,Testperson,2010-01-02,male,,"))
                        .andReturn()
                        .getResponse()
                        .getRedirectedUrl())
                .isEqualTo("/imports/" + report.id());
        assertThat(imports.report(worker, report.id()).quarantined()).isZero();
    }

    @Test
    void aRecordImportedByALaterRunIsNotOverwrittenUnlessConfirmed() throws Exception {
        String agency = data.agency("local_authority");
        SightlineUser worker = (SightlineUser) accounts.loadUserByUsername(data.user(agency, Roles.SOCIAL_WORKER));
        ImportReport old = run(worker, HEADER + "N1,Early,Testperson,2010-13-02,female,,\n");
        QuarantinedRow row = quarantined(worker, old, "N1");
        Thread.sleep(5); // the later run starts after this one (timestamps are microseconds)
        ImportReport later = run(worker, HEADER + "N1,Later,Testperson,2010-02-02,female,,\n");
        assertThat(later.imported()).isEqualTo(1);

        MockHttpServletResponse refused =
                correct(worker, old, row, "{\"values\":{\"dob\":\"2010-12-02\"},\"version\":" + row.version() + "}");
        assertThat(refused.getStatus()).isEqualTo(409);
        assertThat(refused.getContentAsString()).contains("newer-version");
        assertThat(givenName(agency, "N1")).isEqualTo("Later");
        QuarantinedRow unchanged = quarantined(worker, old, "N1");
        assertThat(unchanged.version()).as("nothing saved").isEqualTo(row.version());
        assertThat(unchanged.history()).isEmpty();

        // The web form shows the warning and the typed values, and imports once the overwrite is confirmed.
        String page = mvc.perform(post("/imports/" + old.id() + "/quarantine/" + row.id())
                        .with(user(worker))
                        .with(csrf())
                        .param("version", String.valueOf(row.version()))
                        .param("v0", "N1")
                        .param("v1", "Early")
                        .param("v2", "Testperson")
                        .param("v3", "2010-12-02")
                        .param("v4", "female"))
                .andReturn()
                .getResponse()
                .getContentAsString();
        assertThat(page).contains("Overwrite the newer version").contains("value=\"2010-12-02\"");
        assertThat(givenName(agency, "N1")).isEqualTo("Later");
        assertThat(mvc.perform(post("/imports/" + old.id() + "/quarantine/" + row.id())
                                .with(user(worker))
                                .with(csrf())
                                .param("version", String.valueOf(row.version()))
                                .param("v0", "N1")
                                .param("v1", "Early")
                                .param("v2", "Testperson")
                                .param("v3", "2010-12-02")
                                .param("v4", "female")
                                .param("overwriteNewer", "true"))
                        .andReturn()
                        .getResponse()
                        .getRedirectedUrl())
                .isEqualTo("/imports/" + old.id());
        assertThat(givenName(agency, "N1")).isEqualTo("Early");
        QuarantinedRow replayed = quarantined(worker, old, "N1");
        assertThat(replayed.status()).isEqualTo("replayed");
        assertThat(replayed.outcome()).isEqualTo("updated");

        // A record nobody changed since replays without asking.
        ImportReport plain = run(worker, HEADER + "N2,Plain,Testperson,2010-13-02,female,,\n");
        QuarantinedRow second = quarantined(worker, plain, "N2");
        assertThat(imports.correctAndReplay(
                                worker, plain.id(), second.id(), Map.of("dob", "2010-11-02"), second.version())
                        .status())
                .isEqualTo("replayed");
    }

    private String givenName(String agency, String ref) {
        return jdbc.sql(
                        "SELECT given_name FROM person_record p JOIN agency a ON a.id = p.agency_id WHERE a.code = ? AND record_ref = ?")
                .params(agency, ref)
                .query(String.class)
                .single();
    }

    @Test
    void aLineIsReadInTheFilesDialect() {
        assertThat(CsvRows.parseLine("a,\"b, c\",\"say \"\"hi\"\"\"\r\n")).containsExactly("a", "b, c", "say \"hi\"");
        assertThat(CsvRows.parseLine("a,b\nc,d")).isNull();
        assertThat(CsvRows.formatLine(java.util.List.of("1 High Street", " Smalltown", "say \"hi\"", "x\ny")))
                .isEqualTo("1 High Street, Smalltown,\"say \"\"hi\"\"\",\"x\ny\"");
    }
}
