package org.sightline.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import java.io.IOException;
import java.time.Instant;
import java.util.Properties;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.sightline.access.Roles;
import org.sightline.access.SightlineUser;
import org.sightline.access.UserAccounts;
import org.sightline.support.IntegrationTest;
import org.sightline.support.TestData;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.servlet.MockMvc;

/** The step forms show a stale version and an illegal step in the GOV.UK error summary; roles guard the pages. */
@IntegrationTest
class EpisodeWebTest {

    @Autowired
    MockMvc mvc;

    @Autowired
    TestData data;

    @Autowired
    UserAccounts accounts;

    @Autowired
    EpisodeService episodes;

    private SightlineUser officer;

    private UUID reported() {
        String force = data.agency("police_force");
        officer = accounts.loadUserByUsername(data.user(force, Roles.POLICE_OFFICER));
        UUID record = data.personRecord(force, "Wren", TestData.unique("Oakhurst"), 2012, 1, 1, null);
        return episodes.report(
                        officer,
                        new EpisodeRequests.NewEpisode(
                                record,
                                null,
                                new EpisodeRequests.Reporter("Kit Example", null, null),
                                Instant.now().minusSeconds(3600),
                                null,
                                null,
                                null,
                                "home",
                                "missing",
                                null))
                .publicId();
    }

    @Test
    void aStaleFormIsRefusedInTheErrorSummary() throws Exception {
        UUID id = reported();
        episodes.grade(officer, id, new EpisodeRequests.Grade(0, "low", null));
        String page = mvc.perform(post("/episodes/" + id + "/grade")
                        .with(user(officer))
                        .with(csrf())
                        .param("version", "0")
                        .param("grade", "high")
                        .param("rationale", "Worse"))
                .andReturn()
                .getResponse()
                .getContentAsString();
        assertThat(page)
                .contains("<title>Error: Grade the risk")
                .contains("govuk-error-summary")
                .contains("href=\"#episode-status\"")
                .contains("Someone else changed this episode");
        assertThat(episodes.view(officer, id).gradings()).hasSize(1);
    }

    @Test
    void anIllegalStepIsRefusedInTheErrorSummary() throws Exception {
        UUID id = reported();
        String page = mvc.perform(post("/episodes/" + id + "/found")
                        .with(user(officer))
                        .with(csrf())
                        .param("version", "0")
                        .param("foundAtDay", "1")
                        .param("foundAtMonth", "1")
                        .param("foundAtYear", "2026")
                        .param("foundAtTime", "10:00")
                        .param("foundPlace", "Park")
                        .param("foundBy", "Patrol"))
                .andReturn()
                .getResponse()
                .getContentAsString();
        assertThat(page)
                .contains("Grade the risk before recording the child found")
                .contains("href=\"#episode-status\"");
    }

    @Test
    void fieldErrorsOnAStepFormLinkToTheirFields() throws Exception {
        UUID id = reported();
        String page = mvc.perform(post("/episodes/" + id + "/grade")
                        .with(user(officer))
                        .with(csrf())
                        .param("version", "0")
                        .param("grade", "high"))
                .andReturn()
                .getResponse()
                .getContentAsString();
        assertThat(page)
                .contains("href=\"#rationale\"")
                .contains("Enter the rationale: it is required for a medium or high grade")
                .contains("id=\"rationale-error\"")
                .contains("govuk-textarea--error");
    }

    @Test
    void socialWorkersCannotOpenPoliceStepsAndAnalystsCannotOpenEpisodes() throws Exception {
        UUID id = reported();
        SightlineUser socialWorker =
                accounts.loadUserByUsername(data.user(data.agency("local_authority"), Roles.SOCIAL_WORKER));
        SightlineUser analyst = accounts.loadUserByUsername(data.user(data.agency("police_force"), Roles.ANALYST));
        assertThat(mvc.perform(get("/episodes/" + id + "/grade").with(user(socialWorker)))
                        .andReturn()
                        .getResponse()
                        .getStatus())
                .isEqualTo(403);
        assertThat(mvc.perform(get("/episodes/" + id).with(user(analyst)))
                        .andReturn()
                        .getResponse()
                        .getStatus())
                .isEqualTo(403);
        assertThat(mvc.perform(get("/episodes/" + id).with(user(socialWorker)))
                        .andReturn()
                        .getResponse()
                        .getStatus())
                .as("out of scope")
                .isEqualTo(404);
    }

    @Test
    void everyDynamicMessageFamilyIsComplete() throws IOException {
        Properties m = new Properties();
        try (var in = getClass().getResourceAsStream("/i18n/intake.properties")) {
            m.load(new java.io.InputStreamReader(in, java.nio.charset.StandardCharsets.UTF_8));
        }
        for (EpisodeStatus s : EpisodeStatus.values()) {
            assertThat(m).containsKey("intake.status." + s.code());
        }
        for (ReturnInterviewStatus s : ReturnInterviewStatus.values()) {
            assertThat(m).containsKey("intake.ri." + s.code());
        }
        for (EpisodeClock.ReturnInterviewClock c : EpisodeClock.ReturnInterviewClock.values()) {
            assertThat(m).containsKey("intake.clock." + c.name().toLowerCase());
        }
        for (String e : java.util.List.of(
                "reported",
                "found",
                "safe_and_well_checked",
                "return_interview_offered",
                "return_interview_accepted",
                "return_interview_declined",
                "return_interview_completed",
                "closed")) {
            assertThat(m).containsKey("intake.event." + e);
        }
    }
}
