package org.sightline.concern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;

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

/** /api/v1/concerns: validation naming field and rule, idempotent creates, lifecycle and version conflicts. */
@IntegrationTest
class ConcernApiTest {

    @Autowired
    MockMvc mvc;

    @Autowired
    TestData data;

    @Autowired
    UserAccounts accounts;

    @Autowired
    ObjectMapper json;

    @Autowired
    JdbcClient jdbc;

    String authority;
    SightlineUser socialWorker;
    SightlineUser officer;
    UUID record;

    @BeforeEach
    void setUp() {
        authority = data.agency("local_authority");
        socialWorker = accounts.loadUserByUsername(data.user(authority, Roles.SOCIAL_WORKER));
        officer = accounts.loadUserByUsername(data.user(authority, Roles.POLICE_OFFICER));
        record = data.personRecord(authority, "Nell", TestData.unique("Farrowdale"), 2010, 5, 5, null);
    }

    private MockHttpServletResponse send(SightlineUser as, String path, String key, String body) throws Exception {
        var request = org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post(path)
                .with(user(as))
                .contentType(MediaType.APPLICATION_JSON)
                .content(body);
        if (key != null) {
            request.header("Idempotency-Key", key);
        }
        return mvc.perform(request).andReturn().getResponse();
    }

    private static String key() {
        return UUID.randomUUID().toString();
    }

    private JsonNode body(MockHttpServletResponse response) throws Exception {
        return json.readTree(response.getContentAsString());
    }

    private String raiseBody() {
        return """
                {"recordId":"%s","indicators":["cars_unknown_adults","missing_repeat"],"summary":"Seen in a car."}"""
                .formatted(record);
    }

    private UUID raise() throws Exception {
        var r = send(socialWorker, "/api/v1/concerns", key(), raiseBody());
        assertThat(r.getStatus()).isEqualTo(201);
        return UUID.fromString(body(r).get("id").asString());
    }

    private JsonNode screen(UUID concern, String body) throws Exception {
        var r = send(socialWorker, "/api/v1/concerns/" + concern + "/screenings", key(), body);
        assertThat(r.getStatus()).as(r.getContentAsString()).isEqualTo(201);
        return body(r);
    }

    @Test
    void createIsIdempotentPerKey() throws Exception {
        String k = key();
        var first = send(socialWorker, "/api/v1/concerns", k, raiseBody());
        var second = send(socialWorker, "/api/v1/concerns", k, raiseBody());
        assertThat(first.getStatus()).isEqualTo(201);
        assertThat(second.getStatus()).isEqualTo(201);
        assertThat(second.getHeader("Idempotent-Replayed")).isEqualTo("true");
        assertThat(second.getHeader("Location")).isEqualTo(first.getHeader("Location"));
        long count = jdbc.sql(
                        """
                SELECT count(*) FROM exploitation_concern c JOIN person_record pr ON pr.id = c.person_record_id
                WHERE pr.public_id = ?""")
                .param(record)
                .query(Long.class)
                .single();
        assertThat(count).isEqualTo(1);
        JsonNode created = body(first);
        assertThat(created.get("status").asString()).isEqualTo("raised");
        assertThat(created.get("raisedByRole").asString()).isEqualTo("social_worker");
        assertThat(first.getHeader("Location"))
                .isEqualTo("/api/v1/concerns/" + created.get("id").asString());

        var reused = send(socialWorker, "/api/v1/concerns", k, raiseBody().replace("Seen in a car.", "Other"));
        assertThat(reused.getStatus()).isEqualTo(409);
        assertThat(body(reused).get("rule").asString()).isEqualTo("idempotency-key-reused");
    }

    @Test
    void createWithoutAKeyIsRefused() throws Exception {
        var r = send(socialWorker, "/api/v1/concerns", null, raiseBody());
        assertThat(r.getStatus()).isEqualTo(400);
        assertThat(body(r).at("/errors/0/field").asString()).isEqualTo("Idempotency-Key");
    }

    @Test
    void validationNamesEachFieldAndRule() throws Exception {
        var r = send(
                socialWorker,
                "/api/v1/concerns",
                key(),
                """
                {"recordId":"%s","indicators":["disclosure","made_up"],"summary":" ","raisedAt":"2999-01-01T00:00:00Z"}"""
                        .formatted(record));
        assertThat(r.getStatus()).isEqualTo(400);
        assertThat(r.getContentType()).contains("application/problem+json");
        JsonNode errors = body(r).get("errors");
        assertThat(errors.valueStream()
                        .map(e ->
                                e.get("field").asString() + ":" + e.get("rule").asString())
                        .toList())
                .containsExactlyInAnyOrder("indicators[1]:unknown-code", "summary:required", "raisedAt:not-in-future");

        var none = send(
                socialWorker,
                "/api/v1/concerns",
                key(),
                """
                {"recordId":"%s","indicators":[],"summary":"x"}""".formatted(record));
        assertThat(body(none).at("/errors/0/field").asString()).isEqualTo("indicators");
        assertThat(body(none).at("/errors/0/rule").asString()).isEqualTo("required");

        var badJson = send(socialWorker, "/api/v1/concerns", key(), "{\"recordId\": 12");
        assertThat(badJson.getStatus()).isEqualTo(400);
    }

    @Test
    void aRecordOutOfScopeIsNotFound() throws Exception {
        String other = data.agency("local_authority");
        UUID theirs = data.personRecord(other, "Ida", TestData.unique("Quernby"), 2011, null, null, null);
        var r = send(
                socialWorker, "/api/v1/concerns", key(), raiseBody().replace(record.toString(), theirs.toString()));
        assertThat(r.getStatus()).isEqualTo(404);
        assertThat(mvc.perform(get("/api/v1/concerns/" + UUID.randomUUID()).with(user(socialWorker)))
                        .andReturn()
                        .getResponse()
                        .getStatus())
                .isEqualTo(404);
    }

    @Test
    void screeningScoresWithTheNamedVersionAndExplainsTheBand() throws Exception {
        UUID concern = raise();
        JsonNode c = screen(
                concern,
                """
                {"instrumentCode":"seraf","instrumentVersion":1,
                 "answers":{"isolation":["present"],"cars_unknown_adults":["last_6_months","months_6_to_12"],
                            "self_harm":["last_6_months"]}}""");
        assertThat(c.get("status").asString()).isEqualTo("screened");
        JsonNode s = c.at("/screenings/0");
        assertThat(s.get("instrumentVersion").asInt()).isEqualTo(1);
        assertThat(s.get("score").asInt()).isEqualTo(8);
        assertThat(s.get("band").asString()).isEqualTo("mild");
        assertThat(s.at("/sections/2/items/0/points").asInt()).isEqualTo(6);
        assertThat(s.get("reassessBy").asString()).isNotEmpty();
    }

    @Test
    void screeningErrorsNameTheItemAndTheOverrideRule() throws Exception {
        UUID concern = raise();
        var r = send(
                socialWorker,
                "/api/v1/concerns/" + concern + "/screenings",
                key(),
                """
                {"answers":{"made_up":["present"],"isolation":["last_6_months"]},"overrideBand":"significant"}""");
        assertThat(r.getStatus()).isEqualTo(400);
        assertThat(body(r).get("errors")
                        .valueStream()
                        .map(e ->
                                e.get("field").asString() + ":" + e.get("rule").asString())
                        .toList())
                .containsExactlyInAnyOrder(
                        "answers.made_up:unknown-item", "answers.isolation:unknown-window", "overrideReason:required");
        var version = send(
                socialWorker,
                "/api/v1/concerns/" + concern + "/screenings",
                key(),
                """
                {"instrumentCode":"seraf","instrumentVersion":99,"answers":{}}""");
        assertThat(body(version).at("/errors/0/rule").asString()).isEqualTo("unknown-instrument");
    }

    @Test
    void policeOfficersMayRaiseAndLinkButNotScreen() throws Exception {
        UUID concern = raise();
        var r = send(officer, "/api/v1/concerns/" + concern + "/screenings", key(), "{\"answers\":{}}");
        assertThat(r.getStatus()).isEqualTo(403);
        var link = send(
                officer,
                "/api/v1/concerns/" + concern + "/links",
                key(),
                """
                {"kind":"vehicle","vehicle":{"registration":"AB12 C?D","make":"Ford","colour":"silver"}}""");
        assertThat(link.getStatus()).isEqualTo(201);
        assertThat(body(link).at("/links/0/description").asString()).isEqualTo("AB12 C?D, Ford, silver");
    }

    @Test
    void outcomeNeedsAScreeningAndTheCurrentVersion() throws Exception {
        UUID concern = raise();
        String path = "/api/v1/concerns/" + concern + "/outcome";
        var early = send(socialWorker, path, null, "{\"outcome\":\"referral\",\"version\":0}");
        assertThat(early.getStatus()).isEqualTo(409);
        assertThat(body(early).get("rule").asString()).isEqualTo("illegal-transition");

        int version = screen(concern, "{\"answers\":{\"disclosure\":[\"last_6_months\"]}}")
                .get("version")
                .asInt();
        var stale = send(socialWorker, path, null, "{\"outcome\":\"referral\",\"version\":" + (version - 1) + "}");
        assertThat(stale.getStatus()).isEqualTo(409);
        assertThat(body(stale).get("rule").asString()).isEqualTo("stale-version");

        var invalid = send(socialWorker, path, null, "{\"outcome\":\"prison\",\"version\":" + version + "}");
        assertThat(invalid.getStatus()).isEqualTo(400);
        assertThat(body(invalid).at("/errors/0/field").asString()).isEqualTo("outcome");
        assertThat(body(invalid).at("/errors/0/rule").asString()).isEqualTo("one-of");

        var ok = send(socialWorker, path, null, "{\"outcome\":\"strategy_meeting\",\"version\":" + version + "}");
        assertThat(ok.getStatus()).isEqualTo(200);
        assertThat(body(ok).get("status").asString()).isEqualTo("closed");
        assertThat(body(ok).get("outcome").asString()).isEqualTo("strategy_meeting");

        var after = send(socialWorker, "/api/v1/concerns/" + concern + "/screenings", key(), "{\"answers\":{}}");
        assertThat(after.getStatus()).isEqualTo(409);
        assertThat(body(after).get("rule").asString()).isEqualTo("illegal-transition");
        var link = send(
                socialWorker,
                "/api/v1/concerns/" + concern + "/links",
                key(),
                "{\"kind\":\"phone\",\"phone\":{\"number\":\"07700 900123\"}}");
        assertThat(link.getStatus()).isEqualTo(409);
    }

    @Test
    void linksTakeAnExistingEntityOrANewOneNeverBoth() throws Exception {
        UUID concern = raise();
        String path = "/api/v1/concerns/" + concern + "/links";
        var created = send(
                socialWorker,
                path,
                key(),
                """
                {"kind":"adult","adult":{"givenName":"Rory","familyName":"Blenkinsop","dateOfBirth":"1988-02","sex":"male"}}""");
        assertThat(created.getStatus()).isEqualTo(201);
        String adultId = body(created).at("/links/0/targetId").asString();

        UUID second = raise();
        var existing = send(
                socialWorker,
                "/api/v1/concerns/" + second + "/links",
                key(),
                "{\"kind\":\"adult\",\"existingId\":\"" + adultId + "\"}");
        assertThat(existing.getStatus()).isEqualTo(201);
        assertThat(body(existing).at("/links/0/targetId").asString()).isEqualTo(adultId);
        var again = send(
                socialWorker,
                "/api/v1/concerns/" + second + "/links",
                key(),
                "{\"kind\":\"adult\",\"existingId\":\"" + adultId + "\"}");
        assertThat(body(again).at("/errors/0/rule").asString()).isEqualTo("already-linked");

        var both = send(
                socialWorker,
                path,
                key(),
                """
                {"kind":"adult","existingId":"%s","adult":{"familyName":"X"}}"""
                        .formatted(adultId));
        assertThat(both.getStatus()).isEqualTo(400);
        assertThat(body(both).at("/errors/0/field").asString()).isEqualTo("existingId");

        var badDate = send(
                socialWorker,
                path,
                key(),
                "{\"kind\":\"adult\",\"adult\":{\"familyName\":\"X\",\"dateOfBirth\":\"1990-02-30\"}}");
        assertThat(body(badDate).at("/errors/0/field").asString()).isEqualTo("adult.dateOfBirth");

        var badKind = send(socialWorker, path, key(), "{\"kind\":\"boat\"}");
        assertThat(body(badKind).at("/errors/0/rule").asString()).isEqualTo("one-of");

        // Another agency's adult cannot be linked by guessing its id.
        String otherAgency = data.agency("police_force");
        UUID theirAdult = jdbc.sql(
                        """
                INSERT INTO adult_of_concern (agency_id, adult_ref, family_name) SELECT id, ?, 'Hidden' FROM agency WHERE code = ?
                RETURNING public_id""")
                .params(TestData.unique("ADL"), otherAgency)
                .query(UUID.class)
                .single();
        var guessed = send(socialWorker, path, key(), "{\"kind\":\"adult\",\"existingId\":\"" + theirAdult + "\"}");
        assertThat(guessed.getStatus()).isEqualTo(400);
        assertThat(body(guessed).at("/errors/0/rule").asString()).isEqualTo("not-found");
    }

    @Test
    void instrumentDefinitionsAreServed() throws Exception {
        var r = mvc.perform(get("/api/v1/screening-instruments").with(user(officer)))
                .andReturn()
                .getResponse();
        assertThat(r.getStatus()).isEqualTo(200);
        JsonNode doc = body(r);
        assertThat(doc.at("/instruments/0/code").asString()).isEqualTo("seraf");
        assertThat(doc.at("/instruments/0/bands/3/min").asInt()).isEqualTo(16);
        assertThat(doc.get("indicators").size()).isEqualTo(CseIndicator.values().length);
    }
}
