package org.sightline.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
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

/** /api/v1/alerts: the inbox with explanations, steps with versions, problem+json naming the field and rule. */
@IntegrationTest
class AlertApiTest {

    @Autowired
    MockMvc mvc;

    @Autowired
    ObjectMapper json;

    @Autowired
    TestData data;

    @Autowired
    UserAccounts accounts;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    AlertWorker worker;

    @BeforeEach
    void pause() {
        worker.pause(true);
    }

    @AfterEach
    void resume() {
        worker.pause(false);
    }

    private MockHttpServletResponse step(SightlineUser who, String id, String path, String body) throws Exception {
        return mvc.perform(post("/api/v1/alerts/" + id + "/" + path)
                        .with(user(who))
                        .contentType(MediaType.APPLICATION_JSON)
                        .content(body))
                .andReturn()
                .getResponse();
    }

    @Test
    void theInboxAndItsStepsOverTheApi() throws Exception {
        AlertScenario s = new AlertScenario(data, jdbc);
        worker.drain();
        SightlineUser officer = accounts.loadUserByUsername(data.user(s.findingForce, Roles.POLICE_OFFICER));
        SightlineUser stranger = accounts.loadUserByUsername(data.user(s.stranger, Roles.SOCIAL_WORKER));

        JsonNode list = json.readTree(
                mvc.perform(get("/api/v1/alerts?rule=found-outside-force").with(user(officer)))
                        .andReturn()
                        .getResponse()
                        .getContentAsString());
        assertThat(list.get("total").asInt()).isEqualTo(1);
        JsonNode row = list.get("rows").get(0);
        assertThat(row.get("explanation").asString()).contains("another force").contains(s.name(s.findingForce));
        assertThat(row.get("reasons").get(0).asString()).isEqualTo("found_force");
        String id = row.get("publicId").asString();

        MockHttpServletResponse noNote = step(officer, id, "action", "{\"version\": 0, \"note\": \"  \"}");
        assertThat(noNote.getStatus()).isEqualTo(400);
        assertThat(noNote.getContentType()).startsWith("application/problem+json");
        assertThat(noNote.getContentAsString()).contains("\"note\"").contains("required");

        assertThat(step(officer, id, "acknowledge", "{\"version\": 0}").getStatus())
                .isEqualTo(200);
        assertThat(step(officer, id, "acknowledge", "{\"version\": 0}").getStatus())
                .as("stale version")
                .isEqualTo(409);
        MockHttpServletResponse dismissed = step(officer, id, "dismiss", "{\"version\": 1, \"reason\": \"maybe\"}");
        assertThat(dismissed.getStatus()).isEqualTo(400);
        assertThat(dismissed.getContentAsString()).contains("\"reason\"");
        MockHttpServletResponse actioned =
                step(officer, id, "action", "{\"version\": 1, \"note\": \"Visited the flat.\"}");
        assertThat(actioned.getStatus()).isEqualTo(200);
        assertThat(json.readTree(actioned.getContentAsString()).get("state").asString())
                .isEqualTo("actioned");
        assertThat(step(officer, id, "acknowledge", "{\"version\": 2}").getStatus())
                .as("already actioned")
                .isEqualTo(409);

        assertThat(mvc.perform(get("/api/v1/alerts/" + id).with(user(stranger)))
                        .andReturn()
                        .getResponse()
                        .getStatus())
                .as("another agency's alert does not exist for the caller")
                .isEqualTo(404);
        assertThat(step(stranger, id, "acknowledge", "{\"version\": 0}").getStatus())
                .isEqualTo(404);
    }
}
