package org.sightline.agency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;

import java.io.StringReader;
import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.sightline.access.Roles;
import org.sightline.access.SightlineUser;
import org.sightline.access.UserAccounts;
import org.sightline.access.UserAdministration;
import org.sightline.importexport.ImportService;
import org.sightline.shared.ClockConfiguration;
import org.sightline.shared.InvalidRequestException;
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
 * Agencies are created, renamed and closed through the API, the pages and a reference file, with the same rules and
 * clear errors naming the field; a closed agency keeps its records but takes no new accounts or imports; every
 * change is audited.
 */
@IntegrationTest
class AgencyAdministrationTest {

    @Autowired
    MockMvc mvc;

    @Autowired
    TestData data;

    @Autowired
    UserAccounts accounts;

    @Autowired
    UserAdministration users;

    @Autowired
    ImportService imports;

    @Autowired
    AgencyReferenceFile referenceFile;

    @Autowired
    AgencyAdministration agencies;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    ObjectMapper json;

    @Autowired
    Clock clock;

    private SightlineUser admin() {
        return accounts.loadUserByUsername(data.user("SIGHTLINE", Roles.ADMIN));
    }

    private MockHttpServletResponse api(SightlineUser as, String method, String path, String body) throws Exception {
        var request =
                switch (method) {
                    case "POST" -> post(path);
                    case "PUT" -> put(path);
                    default -> get(path);
                };
        return mvc.perform(request.with(user(as))
                        .with(csrf())
                        .contentType(MediaType.APPLICATION_JSON)
                        .content(body == null ? "{}" : body))
                .andReturn()
                .getResponse();
    }

    private JsonNode body(MockHttpServletResponse response) throws Exception {
        return json.readTree(response.getContentAsString());
    }

    /** A URN no other test uses: 7 digits from a random number. */
    private static String urn() {
        return String.valueOf(1_000_000 + (Math.abs(UUID.randomUUID().getLeastSignificantBits()) % 9_000_000));
    }

    private int audited(String action, String id) {
        return jdbc.sql("SELECT count(*) FROM audit_event WHERE action = ? AND subject_id = ?")
                .params(action, id)
                .query(Integer.class)
                .single();
    }

    private List<String> fields(MockHttpServletResponse problem) throws Exception {
        assertThat(problem.getContentType()).startsWith("application/problem+json");
        return body(problem)
                .get("errors")
                .valueStream()
                .map(e -> e.get("field").asString() + ":" + e.get("rule").asString())
                .toList();
    }

    @Test
    void anAdministratorCreatesRenamesAndClosesThroughTheApi() throws Exception {
        SightlineUser admin = admin();
        String code = TestData.unique("CP").toUpperCase();
        String urn = urn();
        String name = "Test homes " + code;

        // Every rule broken at once is named by its field.
        MockHttpServletResponse bad = api(
                admin,
                "POST",
                "/api/v1/agencies",
                "{\"code\":\"a b\",\"name\":\"\",\"kind\":\"prison\",\"areaCode\":\"X1\",\"ofstedUrn\":\"12345\"}");
        assertThat(bad.getStatus()).isEqualTo(400);
        assertThat(fields(bad))
                .containsExactly(
                        "name:required",
                        "code:format",
                        "kind:code-list",
                        "ofstedUrn:care-providers-only",
                        "areaCode:format");
        MockHttpServletResponse shortUrn = api(
                admin,
                "POST",
                "/api/v1/agencies",
                "{\"code\":\"" + code + "\",\"name\":\"" + name
                        + "\",\"kind\":\"care_provider\",\"ofstedUrn\":\"12345\"}");
        assertThat(fields(shortUrn)).containsExactly("ofstedUrn:format");

        MockHttpServletResponse created = api(
                admin,
                "POST",
                "/api/v1/agencies",
                "{\"code\":\"" + code.toLowerCase() + "\",\"name\":\" " + name + " \",\"kind\":\"care_provider\","
                        + "\"ofstedUrn\":\"" + urn + "\"}");
        assertThat(created.getStatus()).isEqualTo(201);
        JsonNode agency = body(created);
        String id = agency.get("id").asString();
        assertThat(agency.get("code").asString()).isEqualTo(code);
        assertThat(agency.get("name").asString()).isEqualTo(name);
        assertThat(agency.get("open").asBoolean()).isTrue();
        assertThat(audited("AGENCY_CREATED", id)).isEqualTo(1);

        // The same code again (in any case), the same name, the same URN among open agencies: each refused.
        MockHttpServletResponse again = api(
                admin,
                "POST",
                "/api/v1/agencies",
                "{\"code\":\"" + code + "\",\"name\":\"" + name.toUpperCase() + "\",\"kind\":\"care_provider\","
                        + "\"ofstedUrn\":\"" + urn + "\"}");
        assertThat(fields(again)).containsExactly("name:taken", "code:taken", "ofstedUrn:taken");

        // Rename: a stale version is a conflict, the current one saves.
        assertThat(api(
                                admin,
                                "PUT",
                                "/api/v1/agencies/" + id + "/name",
                                "{\"name\":\"Renamed " + code + "\",\"version\":7}")
                        .getStatus())
                .isEqualTo(409);
        MockHttpServletResponse renamed = api(
                admin, "PUT", "/api/v1/agencies/" + id + "/name", "{\"name\":\"Renamed " + code + "\",\"version\":0}");
        assertThat(renamed.getStatus()).isEqualTo(200);
        assertThat(body(renamed).get("name").asString()).isEqualTo("Renamed " + code);
        assertThat(audited("AGENCY_RENAMED", id)).isEqualTo(1);

        // A record the agency holds, before it closes.
        UUID record = data.personRecord(code, "Tessa", TestData.unique("Closing"), 2011, 5, 6, null);

        LocalDate today = LocalDate.now(clock.withZone(ClockConfiguration.DISPLAY_ZONE));
        assertThat(fields(api(
                        admin,
                        "POST",
                        "/api/v1/agencies/" + id + "/close",
                        "{\"closedOn\":\"" + today.plusDays(1) + "\"}")))
                .containsExactly("closedOn:future");
        assertThat(fields(api(admin, "POST", "/api/v1/agencies/" + id + "/close", "{\"closedOn\":\"2026-02-30\"}")))
                .containsExactly("closedOn:date-format");
        assertThat(fields(api(admin, "POST", "/api/v1/agencies/" + id + "/close", "{}")))
                .containsExactly("closedOn:required");
        MockHttpServletResponse closed =
                api(admin, "POST", "/api/v1/agencies/" + id + "/close", "{\"closedOn\":\"" + today + "\"}");
        assertThat(closed.getStatus()).isEqualTo(200);
        assertThat(body(closed).get("open").asBoolean()).isFalse();
        assertThat(body(closed).get("closedOn").asString()).isEqualTo(today.toString());
        assertThat(audited("AGENCY_CLOSED", id)).isEqualTo(1);
        assertThat(fields(api(admin, "POST", "/api/v1/agencies/" + id + "/close", "{\"closedOn\":\"" + today + "\"}")))
                .containsExactly("closedOn:already-closed");

        // Closed: its records stay; no new account and no import can name it; its URN is free for an open provider.
        assertThat(jdbc.sql("SELECT count(*) FROM person_record WHERE public_id = ?")
                        .param(record)
                        .query(Integer.class)
                        .single())
                .isEqualTo(1);
        assertThat(users.agencies(admin, null))
                .extracting(UserAdministration.Agency::code)
                .doesNotContain(code);
        assertThat(users.check(
                        admin, new UserAdministration.NewAccount("closed.test", "Closed Test", code, Roles.CARE_STAFF)))
                .extracting(v -> v.field() + ":" + v.rule())
                .contains("agency:required");
        assertThatThrownBy(() -> imports.importNow(
                        new ImportService.ImportRequest(code, "person-records", null, "x.csv", "tester", 10, null),
                        new java.io.ByteArrayInputStream(new byte[0]),
                        n -> {}))
                .isInstanceOf(InvalidRequestException.class)
                .satisfies(e -> assertThat(((InvalidRequestException) e).violations())
                        .extracting(v -> v.field())
                        .contains("agency"));
        MockHttpServletResponse successor = api(
                admin,
                "POST",
                "/api/v1/agencies",
                "{\"code\":\"" + code + "-2\",\"name\":\"" + name + "\",\"kind\":\"care_provider\",\"ofstedUrn\":\""
                        + urn + "\"}");
        assertThat(successor.getStatus()).isEqualTo(201);

        // Only administrators.
        SightlineUser worker =
                accounts.loadUserByUsername(data.user(data.agency("local_authority"), Roles.SOCIAL_WORKER));
        assertThat(api(worker, "GET", "/api/v1/agencies", null).getStatus()).isEqualTo(403);
        assertThat(api(admin, "GET", "/api/v1/agencies/" + UUID.randomUUID(), null)
                        .getStatus())
                .isEqualTo(404);
    }

    @Test
    void theAgencyPagesCheckAnswersAndNameEachError() throws Exception {
        SightlineUser admin = admin();
        String code = TestData.unique("HB").toUpperCase();
        var session = new org.springframework.mock.web.MockHttpSession();
        String errors = mvc.perform(post("/admin/agencies/new")
                        .with(user(admin))
                        .with(csrf())
                        .session(session)
                        .param("code", "")
                        .param("name", "")
                        .param("kind", "health")
                        .param("ofstedUrn", "123456"))
                .andReturn()
                .getResponse()
                .getContentAsString();
        assertThat(errors)
                .contains("Enter the agency&#39;s code")
                .contains("Enter the agency&#39;s name")
                .doesNotContain("Only care providers"); // a URN typed before choosing health is dropped
        MockHttpServletResponse ok = mvc.perform(post("/admin/agencies/new")
                        .with(user(admin))
                        .with(csrf())
                        .session(session)
                        .param("code", code)
                        .param("name", "Test health board " + code)
                        .param("kind", "health"))
                .andReturn()
                .getResponse();
        assertThat(ok.getRedirectedUrl()).isEqualTo("/admin/agencies/new/check");
        String check = mvc.perform(
                        get("/admin/agencies/new/check").with(user(admin)).session(session))
                .andReturn()
                .getResponse()
                .getContentAsString();
        assertThat(check)
                .contains("Check the agency before you add it")
                .contains(code)
                .contains("Health");
        assertThat(jdbc.sql("SELECT count(*) FROM agency WHERE code = ?")
                        .param(code)
                        .query(Integer.class)
                        .single())
                .isZero();
        String location = mvc.perform(post("/admin/agencies/new/check")
                        .with(user(admin))
                        .with(csrf())
                        .session(session))
                .andReturn()
                .getResponse()
                .getRedirectedUrl();
        UUID id = jdbc.sql("SELECT public_id FROM agency WHERE code = ? AND agency_type = 'health'")
                .param(code)
                .query(UUID.class)
                .single();
        assertThat(location).isEqualTo("/admin/agencies/" + id);

        String closeErrors = mvc.perform(post("/admin/agencies/" + id + "/close")
                        .with(user(admin))
                        .with(csrf())
                        .param("day", "31")
                        .param("month", "2")
                        .param("year", "2025"))
                .andReturn()
                .getResponse()
                .getContentAsString();
        assertThat(closeErrors)
                .contains("Day the agency closed must be a real date")
                .contains("href=\"#closedOn-day\"");
        mvc.perform(post("/admin/agencies/" + id + "/close")
                .with(user(admin))
                .with(csrf())
                .param("day", "1")
                .param("month", "3")
                .param("year", "2025"));
        assertThat(jdbc.sql("SELECT closed_on FROM agency WHERE public_id = ? AND NOT active")
                        .param(id)
                        .query(LocalDate.class)
                        .single())
                .isEqualTo(LocalDate.of(2025, 3, 1));
        String page = mvc.perform(get("/admin/agencies/" + id).with(user(admin)))
                .andReturn()
                .getResponse()
                .getContentAsString();
        assertThat(page).contains("Closed on 1 March 2025");
    }

    @Test
    void aReferenceFileCreatesRenamesClosesAndRefusesRowByRow() {
        String a = TestData.unique("REFA").toUpperCase();
        String b = TestData.unique("REFB").toUpperCase();
        String c = TestData.unique("REFC").toUpperCase();
        String urn = urn();
        String file =
                """
                code,name,kind,area_code,ofsted_urn,closed_on
                %1$s,Test force %1$s,police_force,E23000099,,
                %2$s,Test homes %2$s,care_provider,,%4$s,
                %3$s,Test school %3$s,education,,,2024-07-31
                BAD CODE,Test bad,police_force,,,
                %1$s-X,Test other %1$s,other,,%4$s,
                """
                        .formatted(a, b, c, urn);
        AgencyAdministration.FileResult first = referenceFile.apply("cli:test", new StringReader(file));
        assertThat(first.rows())
                .extracting(AgencyAdministration.FileRow::line, AgencyAdministration.FileRow::outcome)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(2L, "created"),
                        org.assertj.core.groups.Tuple.tuple(3L, "created"),
                        org.assertj.core.groups.Tuple.tuple(4L, "created"),
                        org.assertj.core.groups.Tuple.tuple(5L, "refused"),
                        org.assertj.core.groups.Tuple.tuple(6L, "refused"));
        assertThat(first.rows().get(3).problems()).extracting(v -> v.field()).containsExactly("code");
        assertThat(first.rows().get(4).problems()).extracting(v -> v.field()).containsExactly("ofsted_urn");
        assertThat(jdbc.sql("SELECT active::text || ' ' || coalesce(closed_on::text, '-') FROM agency WHERE code = ?")
                        .param(c)
                        .query(String.class)
                        .single())
                .isEqualTo("false 2024-07-31");

        // Again, with one renamed and one closed: only those change.
        String second = file.replace("Test force " + a + ",", "Renamed force " + a + ",")
                .replace(urn + ",\n", urn + ",2025-01-31\n");
        AgencyAdministration.FileResult again = referenceFile.apply("cli:test", new StringReader(second));
        assertThat(again.rows())
                .extracting(AgencyAdministration.FileRow::outcome)
                .containsExactly("renamed", "closed", "unchanged", "refused", "refused");
        assertThat(jdbc.sql("SELECT name FROM agency WHERE code = ?")
                        .param(a)
                        .query(String.class)
                        .single())
                .isEqualTo("Renamed force " + a);
        // The generator's agencies.csv layout reads too.
        String d = TestData.unique("REFD").toUpperCase();
        AgencyAdministration.FileResult generated = referenceFile.apply(
                "cli:test",
                new StringReader("agency_code,agency_type,name,area_code\n" + d + ",local_authority,Test council " + d
                        + ",E10000016\n"));
        assertThat(generated.count("created")).isEqualTo(1);
        assertThatThrownBy(() -> referenceFile.apply("cli:test", new StringReader("name,area_code\nX,Y\n")))
                .isInstanceOf(InvalidRequestException.class)
                .satisfies(e -> assertThat(((InvalidRequestException) e).violations())
                        .extracting(v -> v.field() + ":" + v.rule())
                        .containsExactly("code:missing-column", "kind:missing-column"));
    }

    @Test
    void theListFindsAgenciesByNameOrCodeAFewDozenAtATime() throws Exception {
        SightlineUser admin = admin();
        String token = TestData.unique("pg").replace("-", "");
        List<String> names = new java.util.ArrayList<>();
        for (int i = 0; i < 52; i++) {
            String name = String.format("Pagetest %s %02d", token, i);
            names.add(name);
            jdbc.sql("INSERT INTO agency (code, agency_type, name) VALUES (?, 'care_provider', ?)")
                    .params(TestData.unique("PGC").toUpperCase(), name)
                    .update();
        }
        var actor = new AgencyAdministration.Actor(admin.username(), admin.agencyCode());
        AgencyAdministration.AgencyPage second = agencies.page(actor, token.toUpperCase(), 2);
        assertThat(second.total()).isEqualTo(52);
        assertThat(second.pages()).isEqualTo(2);
        assertThat(second.agencies())
                .extracting(AgencyAdministration.Agency::name)
                .isEqualTo(names.subList(50, 52));
        // A wildcard typed is taken literally: no agency's name contains "%" here.
        assertThat(agencies.page(actor, token + "%", 1).total()).isZero();
        // By code, too.
        String code = second.agencies().get(0).code();
        assertThat(agencies.page(actor, code.toLowerCase(), 1).agencies())
                .extracting(AgencyAdministration.Agency::name)
                .containsExactly(names.get(50));

        String first = mvc.perform(get("/admin/agencies").param("q", token).with(user(admin)))
                .andReturn()
                .getResponse()
                .getContentAsString();
        assertThat(first.split("Pagetest " + token, -1)).hasSize(50 + 1);
        assertThat(first).contains("52 agencies whose name or code contains");
        assertThat(first).contains("page=2");
        // A page number that is not one shows the first page; one past the end shows the last.
        for (String bad : new String[] {"abc", "-1", "99999999999"}) {
            var response = mvc.perform(get("/admin/agencies")
                            .param("q", token)
                            .param("page", bad)
                            .with(user(admin)))
                    .andReturn()
                    .getResponse();
            assertThat(response.getStatus()).as(bad).isEqualTo(200);
            assertThat(response.getContentAsString().split("Pagetest " + token, -1))
                    .as(bad)
                    .hasSize(51);
        }
        String last = mvc.perform(get("/admin/agencies")
                        .param("q", token)
                        .param("page", "999")
                        .with(user(admin)))
                .andReturn()
                .getResponse()
                .getContentAsString();
        assertThat(last.split("Pagetest " + token, -1)).hasSize(3);
    }
}
