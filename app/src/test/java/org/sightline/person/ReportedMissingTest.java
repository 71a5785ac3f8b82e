package org.sightline.person;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;

import java.util.UUID;
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

/** The holding agency records "reported missing" as yes / no / not known / not recorded, through the API and the page. */
@IntegrationTest
class ReportedMissingTest {

    @Autowired
    MockMvc mvc;

    @Autowired
    TestData data;

    @Autowired
    UserAccounts accounts;

    @Autowired
    JdbcClient jdbc;

    private String stored(UUID record) {
        return jdbc.sql("SELECT reported_missing::text FROM person_record WHERE public_id = ?")
                .param(record)
                .query(String.class)
                .single();
    }

    private MockHttpServletResponse api(SightlineUser as, UUID record, String body) throws Exception {
        return mvc.perform(put("/api/v1/records/" + record + "/reported-missing")
                        .with(user(as))
                        .with(csrf())
                        .contentType(MediaType.APPLICATION_JSON)
                        .content(body))
                .andReturn()
                .getResponse();
    }

    @Test
    void theHoldingAgencySetsItAndOthersCannot() throws Exception {
        String authority = data.agency("local_authority");
        UUID record = data.personRecord(authority, "Orla", TestData.unique("Quennell"), 2011, 2, 3, null);
        SightlineUser worker = accounts.loadUserByUsername(data.user(authority, Roles.SOCIAL_WORKER));
        assertThat(stored(record)).isEqualTo("not_recorded");

        MockHttpServletResponse ok = api(worker, record, "{\"reportedMissing\": \"no\"}");
        assertThat(ok.getStatus()).isEqualTo(200);
        assertThat(ok.getContentAsString()).contains("\"reportedMissing\":\"no\"");
        assertThat(stored(record)).isEqualTo("no");
        assertThat(jdbc.sql(
                                "SELECT count(*) FROM audit_event WHERE action = 'UPDATE' AND subject_id = ? AND details = ?")
                        .params(record.toString(), "reportedMissing=no")
                        .query(Long.class)
                        .single())
                .isEqualTo(1);

        MockHttpServletResponse bad = api(worker, record, "{\"reportedMissing\": \"maybe\"}");
        assertThat(bad.getStatus()).isEqualTo(400);
        assertThat(bad.getContentAsString()).contains("reportedMissing").contains("not_known");
        assertThat(stored(record)).isEqualTo("no");

        SightlineUser other = accounts.loadUserByUsername(data.user(data.agency("police_force"), Roles.POLICE_OFFICER));
        assertThat(api(other, record, "{\"reportedMissing\": \"yes\"}").getStatus())
                .isEqualTo(404);
        assertThat(stored(record)).isEqualTo("no");

        MockHttpServletResponse form = mvc.perform(post("/records/" + record + "/reported-missing")
                        .with(user(worker))
                        .with(csrf())
                        .param("reportedMissing", "not_known"))
                .andReturn()
                .getResponse();
        assertThat(form.getStatus()).isEqualTo(302);
        assertThat(stored(record)).isEqualTo("not_known");
        String page = mvc.perform(post("/records/" + record + "/reported-missing")
                        .with(user(worker))
                        .with(csrf()))
                .andReturn()
                .getResponse()
                .getContentAsString();
        assertThat(page).contains("Select whether the child was ever reported missing");
        assertThat(stored(record)).isEqualTo("not_known");
    }
}
