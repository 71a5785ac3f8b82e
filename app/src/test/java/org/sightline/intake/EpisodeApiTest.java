package org.sightline.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
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

/** /api/v1/episodes: problem+json naming field and rule, idempotent create, 409 for stale versions and illegal steps. */
@IntegrationTest
class EpisodeApiTest {

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

    SightlineUser officer;
    UUID record;

    @BeforeEach
    void setUp() {
        String force = data.agency("police_force");
        officer = accounts.loadUserByUsername(data.user(force, Roles.POLICE_OFFICER));
        record = data.personRecord(force, "Juno", TestData.unique("Hartwell"), 2010, 9, 9, null);
    }

    private String newEpisode() {
        return newEpisode(record);
    }

    private String newEpisode(UUID record) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        return """
                {"subjectRecordId": "%s", "reporter": {"name": "Alex Example", "role": "parent"},
                 "reportedAt": "%s", "lastSeenAt": "%s", "lastSeenPlace": "Park", "lastSeenPostcode": "M1 1AE",
                 "missingFrom": "home", "category": "missing", "grabProfile": {"clothing": "Red coat"}}"""
                .formatted(record, now.minus(Duration.ofHours(3)), now.minus(Duration.ofHours(4)));
    }

    private MockHttpServletResponse create(String body, String key) throws Exception {
        var request = post("/api/v1/episodes")
                .with(user(officer))
                .contentType(MediaType.APPLICATION_JSON)
                .content(body);
        if (key != null) {
            request.header("Idempotency-Key", key);
        }
        return mvc.perform(request).andReturn().getResponse();
    }

    private MockHttpServletResponse step(UUID id, String path, String body) throws Exception {
        return mvc.perform(post("/api/v1/episodes/" + id + "/" + path)
                        .with(user(officer))
                        .contentType(MediaType.APPLICATION_JSON)
                        .content(body))
                .andReturn()
                .getResponse();
    }

    private JsonNode read(MockHttpServletResponse r) throws Exception {
        return json.readTree(r.getContentAsString());
    }

    @Test
    void createIsIdempotentAndReplaysTheFirstAnswer() throws Exception {
        String key = UUID.randomUUID().toString();
        MockHttpServletResponse first = create(newEpisode(), key);
        assertThat(first.getStatus()).isEqualTo(201);
        JsonNode created = read(first);
        assertThat(created.get("status").asString()).isEqualTo("reported");
        assertThat(created.get("version").asInt()).isZero();
        assertThat(created.at("/grabProfile/clothing").asString()).isEqualTo("Red coat");
        assertThat(created.at("/allowedActions/0").asString()).isEqualTo("grade");
        assertThat(first.getHeader("Location"))
                .isEqualTo("/api/v1/episodes/" + created.get("publicId").asString());

        // The retry carries the same body (the client re-sends what it sent). Another child: this one's episode is
        // open.
        UUID other = data.personRecord(
                jdbc.sql("SELECT a.code FROM agency a JOIN person_record p ON p.agency_id = a.id "
                                + "WHERE p.public_id = ?")
                        .param(record)
                        .query(String.class)
                        .single(),
                "Juno",
                TestData.unique("Hartwell"),
                2010,
                9,
                9,
                null);
        String body = newEpisode(other);
        String key2 = UUID.randomUUID().toString();
        MockHttpServletResponse a = create(body, key2);
        MockHttpServletResponse b = create(body, key2);
        assertThat(b.getStatus()).isEqualTo(201);
        assertThat(b.getHeader("Idempotent-Replayed")).isEqualTo("true");
        assertThat(b.getHeader("Location")).isEqualTo(a.getHeader("Location"));
        long episodes = jdbc.sql(
                        "SELECT count(*) FROM missing_episode e JOIN person_record p ON p.id = e.person_record_id WHERE p.public_id = ?")
                .param(other)
                .query(Long.class)
                .single();
        assertThat(episodes).isEqualTo(1);
    }

    @Test
    void createWithoutAnIdempotencyKeyIsRefusedNamingTheHeader() throws Exception {
        MockHttpServletResponse r = create(newEpisode(), null);
        assertThat(r.getStatus()).isEqualTo(400);
        assertThat(read(r).at("/errors/0/field").asString()).isEqualTo("Idempotency-Key");
    }

    @Test
    void validationErrorsNameEveryFieldAndRule() throws Exception {
        MockHttpServletResponse r = create(
                """
                {"subjectRecordId": "%s", "reporter": {"name": " "}, "reportedAt": "2020-01-01T10:00:00Z",
                 "lastSeenAt": "2020-01-02T10:00:00Z", "lastSeenPostcode": "not a postcode",
                 "missingFrom": "school", "category": "away"}"""
                        .formatted(record),
                UUID.randomUUID().toString());
        assertThat(r.getStatus()).isEqualTo(400);
        assertThat(r.getContentType()).contains("application/problem+json");
        JsonNode errors = read(r).get("errors");
        var pairs = new java.util.ArrayList<String>();
        errors.forEach(
                e -> pairs.add(e.get("field").asString() + ":" + e.get("rule").asString()));
        assertThat(pairs)
                .containsExactlyInAnyOrder(
                        "reporter.name:required",
                        "lastSeenAt:after-report",
                        "lastSeenPostcode:postcode",
                        "missingFrom:one-of");
        assertThat(r.getContentAsString()).doesNotContain("not a postcode");
    }

    @Test
    void aDateOfBirthInTheFutureIsRefused() throws Exception {
        // Tomorrow in England and Wales (the test clock is the real one): later this year, so the year alone passes.
        String tomorrow = java.time.LocalDate.now(org.sightline.shared.ClockConfiguration.DISPLAY_ZONE)
                .plusDays(1)
                .toString();
        for (String dob : new String[] {tomorrow, "2100-12-31", "2100"}) {
            MockHttpServletResponse r = create(
                    """
                    {"newPerson": {"givenName": "Ada", "familyName": "Future", "dateOfBirth": "%s", "sex": "female"},
                     "reporter": {"name": "Duty desk"}, "reportedAt": "2020-01-02T10:00:00Z",
                     "lastSeenAt": "2020-01-01T10:00:00Z", "missingFrom": "home", "category": "missing"}"""
                            .formatted(dob),
                    UUID.randomUUID().toString());
            assertThat(r.getStatus()).as(dob).isEqualTo(400);
            var pairs = new java.util.ArrayList<String>();
            read(r).get("errors")
                    .forEach(e -> pairs.add(
                            e.get("field").asString() + ":" + e.get("rule").asString()));
            assertThat(pairs).as(dob).contains("newPerson.dateOfBirth:future");
        }
    }

    @Test
    void aWronglyTypedPropertyIsNamed() throws Exception {
        MockHttpServletResponse r = create(
                """
                {"subjectRecordId": "%s", "reportedAt": "yesterday teatime", "missingFrom": "home"}"""
                        .formatted(record),
                UUID.randomUUID().toString());
        assertThat(r.getStatus()).isEqualTo(400);
        assertThat(read(r).at("/errors/0/field").asString()).isEqualTo("reportedAt");
        assertThat(read(r).at("/errors/0/rule").asString()).isEqualTo("type");
        assertThat(r.getContentAsString()).doesNotContain("teatime");
    }

    @Test
    void staleVersionAndIllegalTransitionAre409Problems() throws Exception {
        UUID id = UUID.fromString(read(create(newEpisode(), UUID.randomUUID().toString()))
                .get("publicId")
                .asString());
        MockHttpServletResponse found = step(
                id,
                "found",
                """
                {"version": 0, "foundAt": "%s", "foundPlace": "Shop", "foundBy": "Patrol"}"""
                        .formatted(Instant.now().minusSeconds(60)));
        assertThat(found.getStatus()).isEqualTo(409);
        assertThat(read(found).get("rule").asString()).isEqualTo("illegal-transition");
        assertThat(read(found).get("detail").asString()).contains("Grade the risk first");

        MockHttpServletResponse graded = step(
                id,
                "gradings",
                """
                {"version": 0, "grade": "high", "rationale": "Vulnerable, out of character"}""");
        assertThat(graded.getStatus()).isEqualTo(200);
        assertThat(read(graded).get("version").asInt()).isEqualTo(1);
        MockHttpServletResponse stale = step(
                id, "gradings", """
                {"version": 0, "grade": "medium", "rationale": "Re-assessed"}""");
        assertThat(stale.getStatus()).isEqualTo(409);
        assertThat(read(stale).get("rule").asString()).isEqualTo("stale-version");

        MockHttpServletResponse noVersion = step(id, "gradings", """
                {"grade": "low"}""");
        assertThat(noVersion.getStatus()).isEqualTo(400);
        assertThat(read(noVersion).at("/errors/0/field").asString()).isEqualTo("version");

        MockHttpServletResponse foundNow = step(
                id,
                "found",
                """
                {"version": 1, "foundAt": "%s", "foundPlace": "Shop", "foundPostcode": "m11ae", "foundBy": "Patrol"}"""
                        .formatted(Instant.now().minusSeconds(60).truncatedTo(ChronoUnit.SECONDS)));
        assertThat(foundNow.getStatus()).isEqualTo(200);
        JsonNode episode = read(foundNow);
        assertThat(episode.get("foundPostcode").asString()).isEqualTo("M1 1AE");
        assertThat(episode.at("/clock/returnInterview").asString()).isEqualTo("due");
        assertThat(Instant.parse(episode.at("/clock/returnInterviewDueAt").asString()))
                .isEqualTo(Instant.parse(episode.get("foundAt").asString()).plus(Duration.ofHours(72)));

        JsonNode read = read(mvc.perform(get("/api/v1/episodes/" + id).with(user(officer)))
                .andReturn()
                .getResponse());
        assertThat(read.get("gradings").size()).isEqualTo(1);
        assertThat(read.get("status").asString()).isEqualTo("found");
    }

    @Test
    void rolesAndScopeAreEnforcedThroughTheApi() throws Exception {
        UUID id = UUID.fromString(read(create(newEpisode(), UUID.randomUUID().toString()))
                .get("publicId")
                .asString());
        SightlineUser stranger =
                accounts.loadUserByUsername(data.user(data.agency("police_force"), Roles.POLICE_OFFICER));
        assertThat(mvc.perform(get("/api/v1/episodes/" + id).with(user(stranger)))
                        .andReturn()
                        .getResponse()
                        .getStatus())
                .isEqualTo(404);
        SightlineUser analyst = accounts.loadUserByUsername(data.user(data.agency("police_force"), Roles.ANALYST));
        assertThat(mvc.perform(get("/api/v1/episodes/" + id).with(user(analyst)))
                        .andReturn()
                        .getResponse()
                        .getStatus())
                .isEqualTo(403);
        assertThat(mvc.perform(post("/api/v1/episodes/" + id + "/return-interview")
                                .with(user(officer))
                                .contentType(MediaType.APPLICATION_JSON)
                                .content("{\"version\":0}"))
                        .andReturn()
                        .getResponse()
                        .getStatus())
                .isEqualTo(403);
        assertThat(mvc.perform(get("/api/v1/episodes/" + id))
                        .andReturn()
                        .getResponse()
                        .getStatus())
                .isEqualTo(401);
    }
}
