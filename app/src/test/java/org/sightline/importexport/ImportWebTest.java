package org.sightline.importexport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.multipart;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.sightline.access.Roles;
import org.sightline.access.SightlineUser;
import org.sightline.access.UserAccounts;
import org.sightline.support.IntegrationTest;
import org.sightline.support.TestData;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.mock.web.MockMultipartFile;
import org.springframework.test.web.servlet.MockMvc;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/** Web journey (upload → preview → commit → report → correct a quarantined row) and the API's create/replay/profile paths. */
@IntegrationTest
class ImportWebTest {

    private static final String FILE = "record_ref,given_name,family_name,dob,sex\n"
            + "W1,Ann,Testperson,2010-01-02,female\nW2,Bob,Testperson,2010-13-02,male\n";

    @Autowired
    MockMvc mvc;

    @Autowired
    TestData data;

    @Autowired
    UserAccounts accounts;

    @Autowired
    ImportService imports;

    @Autowired
    ObjectMapper json;

    @Test
    void uploadPreviewCommitReportAndCorrect() throws Exception {
        String agency = data.agency("local_authority");
        SightlineUser worker = (SightlineUser) accounts.loadUserByUsername(data.user(agency, Roles.SOCIAL_WORKER));
        mvc.perform(get("/imports").with(user(worker))).andExpect(status().isOk());
        String noFile = mvc.perform(multipart("/imports")
                        .param("kind", "person-records")
                        .with(user(worker))
                        .with(csrf()))
                .andExpect(status().isOk())
                .andReturn()
                .getResponse()
                .getContentAsString();
        assertThat(noFile).contains("govuk-error-summary").contains("Select a CSV file to upload");

        String location = mvc.perform(multipart("/imports")
                        .file(new MockMultipartFile(
                                "file", "people.csv", "text/csv", FILE.getBytes(StandardCharsets.UTF_8)))
                        .param("kind", "person-records")
                        .with(user(worker))
                        .with(csrf()))
                .andExpect(status().is3xxRedirection())
                .andReturn()
                .getResponse()
                .getRedirectedUrl();
        assertThat(location).endsWith("/preview");
        String preview = mvc.perform(get(location).with(user(worker)))
                .andExpect(status().isOk())
                .andReturn()
                .getResponse()
                .getContentAsString();
        assertThat(preview).contains("E1003").contains("Ann");
        UUID id = UUID.fromString(location.split("/")[2]);
        assertThat(imports.report(worker, id).received())
                .as("nothing written by a preview")
                .isZero();

        mvc.perform(post("/imports/" + id + "/commit").with(user(worker)).with(csrf()))
                .andExpect(status().is3xxRedirection());
        ImportReport report = imports.report(worker, id);
        for (int i = 0; i < 200 && !report.finished(); i++) {
            Thread.sleep(50);
            report = imports.report(worker, id);
        }
        assertThat(report.status()).isEqualTo("completed");
        assertThat(report.imported()).isEqualTo(1);
        assertThat(report.quarantined()).isEqualTo(1);
        String page = mvc.perform(get("/imports/" + id).with(user(worker)))
                .andExpect(status().isOk())
                .andReturn()
                .getResponse()
                .getContentAsString();
        assertThat(page).contains("E1003").contains("W2");

        QuarantinedRow row = imports.quarantine(worker, id, 10).get(0);
        mvc.perform(post("/imports/" + id + "/quarantine/" + row.id())
                        .with(user(worker))
                        .with(csrf())
                        .param("version", String.valueOf(row.version()))
                        .param("v0", "W2")
                        .param("v1", "Bob")
                        .param("v2", "Testperson")
                        .param("v3", "2010-12-02")
                        .param("v4", "male"))
                .andExpect(r -> assertThat(r.getResponse().getStatus())
                        .as(r.getResponse().getContentAsString())
                        .isEqualTo(302));
        assertThat(imports.report(worker, id).imported()).isEqualTo(2);
        assertThat(imports.report(worker, id).quarantined()).isZero();

        SightlineUser elsewhere = (SightlineUser)
                accounts.loadUserByUsername(data.user(data.agency("local_authority"), Roles.SOCIAL_WORKER));
        mvc.perform(get("/imports/" + id).with(user(elsewhere))).andExpect(status().isNotFound());
        SightlineUser analyst = (SightlineUser) accounts.loadUserByUsername(data.user(agency, Roles.ANALYST));
        mvc.perform(get("/imports").with(user(analyst))).andExpect(status().isForbidden());
    }

    @Test
    void apiCreateIsIdempotentAndDryRunWritesNothing() throws Exception {
        String agency = data.agency("police_force");
        SightlineUser officer = (SightlineUser) accounts.loadUserByUsername(data.user(agency, Roles.POLICE_OFFICER));
        MockMultipartFile file =
                new MockMultipartFile("file", "people.csv", "text/csv", FILE.getBytes(StandardCharsets.UTF_8));
        String dry = mvc.perform(multipart("/api/v1/imports")
                        .file(file)
                        .param("kind", "person-records")
                        .param("dryRun", "true")
                        .with(user(officer)))
                .andExpect(status().isOk())
                .andReturn()
                .getResponse()
                .getContentAsString();
        assertThat(json.readTree(dry).get("imported").asLong()).isEqualTo(1);
        mvc.perform(multipart("/api/v1/imports")
                        .file(file)
                        .param("kind", "person-records")
                        .with(user(officer)))
                .andExpect(status().isBadRequest());
        String key = UUID.randomUUID().toString();
        String first = mvc.perform(multipart("/api/v1/imports")
                        .file(file)
                        .param("kind", "person-records")
                        .header("Idempotency-Key", key)
                        .with(user(officer)))
                .andExpect(status().isAccepted())
                .andReturn()
                .getResponse()
                .getContentAsString();
        String replay = mvc.perform(multipart("/api/v1/imports")
                        .file(file)
                        .param("kind", "person-records")
                        .header("Idempotency-Key", key)
                        .with(user(officer)))
                .andExpect(status().isAccepted())
                .andReturn()
                .getResponse()
                .getContentAsString();
        // A replay names the run's address, not its report again (idempotency keeps no bodies).
        assertThat(json.readTree(replay).get("location").asString())
                .isEqualTo("/api/v1/imports/" + json.readTree(first).get("id").asString());
        assertThat(json.readTree(first).get("status").asString()).isIn("queued", "running");
        // Queued and imported in the background: follow the run until it has finished.
        JsonNode report = json.readTree(first);
        for (int i = 0;
                i < 400
                        && List.of("queued", "running")
                                .contains(report.get("status").asString());
                i++) {
            Thread.sleep(25);
            report = json.readTree(
                    mvc.perform(get("/api/v1/imports/" + report.get("id").asString())
                                    .with(user(officer)))
                            .andReturn()
                            .getResponse()
                            .getContentAsString());
        }
        assertThat(report.get("status").asString()).isEqualTo("completed");
        assertThat(report.get("received").asLong()).isEqualTo(2);
        assertThat(report.get("quarantined").asLong()).isEqualTo(1);
        String quarantine = mvc.perform(
                        get("/api/v1/imports/" + report.get("id").asString() + "/quarantine")
                                .with(user(officer)))
                .andExpect(status().isOk())
                .andReturn()
                .getResponse()
                .getContentAsString();
        JsonNode row = json.readTree(quarantine).get(0);
        assertThat(row.at("/errors/0/code").asString()).isEqualTo("E1003");
        assertThat(row.at("/errors/0/column").asString()).isEqualTo("dob");
        mvc.perform(multipart("/api/v1/imports")
                        .param("kind", "person-records")
                        .with(user(officer))
                        .header("Idempotency-Key", UUID.randomUUID().toString()))
                .andExpect(status().isBadRequest());
        String badKind = mvc.perform(multipart("/api/v1/imports")
                        .file(file)
                        .param("kind", "nonsense")
                        .header("Idempotency-Key", UUID.randomUUID().toString())
                        .with(user(officer)))
                .andExpect(status().isBadRequest())
                .andReturn()
                .getResponse()
                .getContentAsString();
        assertThat(json.readTree(badKind).at("/errors/0/field").asString()).isEqualTo("kind");
        mvc.perform(
                        post("/api/v1/import-profiles")
                                .with(user(officer))
                                .header("Idempotency-Key", UUID.randomUUID().toString())
                                .contentType("application/json")
                                .content(
                                        "{\"kind\":\"person-records\",\"name\":\"Ours\",\"columnMap\":{\"Ref\":\"record_ref\"}}"))
                .andExpect(status().isCreated());
    }
}
