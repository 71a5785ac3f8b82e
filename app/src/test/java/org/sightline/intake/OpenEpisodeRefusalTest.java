package org.sightline.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sightline.access.AgencyScope;
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
 * One open missing episode per child (same identity), whichever agency holds it: a second report is refused on the
 * web (error summary, link to the open episode or whom to contact) and in the API (409 problem+json, rule
 * open-episode); once the episode is closed the child can be reported again.
 */
@IntegrationTest
class OpenEpisodeRefusalTest {

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
    EpisodeService episodes;

    @Autowired
    AgencyScope scope;

    String forceA;
    String forceC;
    String authorityB;
    SightlineUser officerA;
    SightlineUser officerC;
    SightlineUser socialWorkerB;
    UUID recordA;
    UUID recordC;
    EpisodeView open;

    @BeforeEach
    void setUp() {
        forceA = data.agency("police_force");
        forceC = data.agency("police_force");
        authorityB = data.agency("local_authority");
        officerA = accounts.loadUserByUsername(data.user(forceA, Roles.POLICE_OFFICER));
        officerC = accounts.loadUserByUsername(data.user(forceC, Roles.POLICE_OFFICER));
        socialWorkerB = accounts.loadUserByUsername(data.user(authorityB, Roles.SOCIAL_WORKER));
        long identity = data.identity();
        String family = TestData.unique("Fenwright");
        recordA = data.personRecord(forceA, "Ottilie", family, 2012, 2, 3, identity);
        recordC = data.personRecord(forceC, "Ottilie", family, 2012, 2, 3, identity);
        // The authority is responsible for the child on force A's record only: it sees that record, not force C's.
        jdbc.sql("UPDATE person_record SET responsible_authority = ? WHERE public_id = ?")
                .params(authorityB, recordA)
                .update();
        open = episodes.report(officerC, request(recordC, "home"));
    }

    private static EpisodeRequests.NewEpisode request(UUID record, String missingFrom) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        return new EpisodeRequests.NewEpisode(
                record,
                null,
                new EpisodeRequests.Reporter("Sam Example", null, null),
                now.minus(Duration.ofHours(2)),
                null,
                null,
                null,
                missingFrom,
                "missing",
                null);
    }

    private long episodesOfIdentity() {
        return jdbc.sql(
                        """
                SELECT count(*) FROM missing_episode e JOIN person_record p ON p.id = e.person_record_id
                WHERE p.identity_id = (SELECT identity_id FROM person_record WHERE public_id = ?)""")
                .param(recordA)
                .query(Long.class)
                .single();
    }

    private boolean mayOpen(SightlineUser user) {
        long id = jdbc.sql("SELECT person_record_id FROM missing_episode WHERE public_id = ?")
                .param(open.publicId())
                .query(Long.class)
                .single();
        return user.agencyId() == officerC.agencyId() || scope.canSeePersonRecord(user, id);
    }

    @Test
    void theWebRefusesASecondReportFromAnotherAgencyWithALinkOrWhomToContact() throws Exception {
        for (SightlineUser user : new SightlineUser[] {officerA, socialWorkerB}) {
            String page = mvc.perform(post("/episodes/new/child")
                            .with(user(user))
                            .with(csrf())
                            .param("recordId", recordA.toString()))
                    .andReturn()
                    .getResponse()
                    .getContentAsString();
            assertThat(page)
                    .as(user.username())
                    .contains("<title>Error: Who is missing?")
                    .contains("govuk-error-summary")
                    .contains("href=\"#open-episode\"")
                    .contains("This child already has an open missing episode");
            String holder = "Test agency " + forceC;
            if (mayOpen(user)) {
                assertThat(page)
                        .contains("href=\"/episodes/" + open.publicId() + "\"")
                        .contains(open.episodeRef());
            } else {
                assertThat(page)
                        .contains("The open episode is held by " + holder + ", which you cannot see: contact them.")
                        .doesNotContain(open.episodeRef())
                        .doesNotContain(open.publicId().toString());
            }
        }
        assertThat(episodesOfIdentity()).isEqualTo(1);
    }

    @Test
    void theSameAgencyIsRefusedWithALinkToItsOwnOpenEpisode() throws Exception {
        String page = mvc.perform(post("/episodes/new/child")
                        .with(user(officerC))
                        .with(csrf())
                        .param("recordId", recordC.toString()))
                .andReturn()
                .getResponse()
                .getContentAsString();
        assertThat(page)
                .contains("href=\"/episodes/" + open.publicId() + "\"")
                .contains("Go to the open episode " + open.episodeRef());
    }

    @Test
    void theApiAnswers409NamingTheRuleAndTheServiceWritesNothing() throws Exception {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        MockHttpServletResponse r = mvc.perform(post("/api/v1/episodes")
                        .with(user(officerA))
                        .header("Idempotency-Key", UUID.randomUUID().toString())
                        .contentType(MediaType.APPLICATION_JSON)
                        .content(
                                """
                        {"subjectRecordId": "%s", "reporter": {"name": "Alex Example"}, "reportedAt": "%s",
                         "missingFrom": "home", "category": "missing"}"""
                                        .formatted(recordA, now.minusSeconds(600))))
                .andReturn()
                .getResponse();
        assertThat(r.getStatus()).isEqualTo(409);
        assertThat(r.getContentType()).contains("application/problem+json");
        JsonNode problem = json.readTree(r.getContentAsString());
        assertThat(problem.get("rule").asString()).isEqualTo("open-episode");
        assertThat(problem.get("detail").asString()).contains("Test agency " + forceC);
        assertThat(problem.get("detail").asString().contains(open.episodeRef())).isEqualTo(mayOpen(officerA));
        assertThat(episodesOfIdentity()).isEqualTo(1);
    }

    @Test
    void onceTheEpisodeIsClosedTheChildCanBeReportedAgain() {
        jdbc.sql("UPDATE missing_episode SET status = 'closed' WHERE public_id = ?")
                .param(open.publicId())
                .update();
        EpisodeView again = episodes.report(officerA, request(recordA, "home"));
        assertThat(again.status()).isEqualTo("reported");
        assertThat(episodesOfIdentity()).isEqualTo(2);
    }
}
