package org.sightline.concern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sightline.access.Roles;
import org.sightline.access.SightlineUser;
import org.sightline.access.UserAccounts;
import org.sightline.importexport.ImportReport;
import org.sightline.importexport.ImportService;
import org.sightline.support.IntegrationTest;
import org.sightline.support.TestData;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.test.web.servlet.MockMvc;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * A concern's date as far as the source knows it — a day, a month, a year, not known — through the API, the raise
 * pages and bulk import: stored without inventing the rest, shown as "March 2024", "2024", "Not known", and bounded
 * for readers that filter by period by the London start and end of what is known.
 */
@IntegrationTest
class ConcernDatesTest {

    private static final ZoneId LONDON = ZoneId.of("Europe/London");

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

    @Autowired
    JdbcClient jdbc;

    String authority;
    SightlineUser worker;
    UUID record;

    @BeforeEach
    void setUp() {
        authority = data.agency("local_authority");
        worker = accounts.loadUserByUsername(data.user(authority, Roles.SOCIAL_WORKER));
        record = data.personRecord(authority, "Ida", TestData.unique("Partialdate"), 2010, 5, 5, null);
    }

    private MockHttpServletResponse raise(String dateJson) throws Exception {
        return mvc.perform(post("/api/v1/concerns")
                        .with(user(worker))
                        .header("Idempotency-Key", UUID.randomUUID().toString())
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"recordId\":\"%s\",\"indicators\":[\"missing_repeat\"],\"summary\":\"Seen.\"%s}"
                                .formatted(record, dateJson)))
                .andReturn()
                .getResponse();
    }

    private record Stored(
            String precision, Instant at, Integer year, Integer month, Integer day, Instant from, Instant until) {}

    private Stored stored(String where, Object param) {
        return jdbc.sql(
                        "SELECT raised_precision, raised_at, raised_year, raised_month, raised_day, raised_from, raised_until"
                                + " FROM exploitation_concern WHERE " + where)
                .param(param)
                .query((rs, n) -> new Stored(
                        rs.getString(1),
                        rs.getTimestamp(2) == null ? null : rs.getTimestamp(2).toInstant(),
                        rs.getObject(3, Integer.class),
                        rs.getObject(4, Integer.class),
                        rs.getObject(5, Integer.class),
                        rs.getTimestamp(6) == null ? null : rs.getTimestamp(6).toInstant(),
                        rs.getTimestamp(7) == null ? null : rs.getTimestamp(7).toInstant()))
                .single();
    }

    private static Instant london(int y, int m, int d) {
        return LocalDate.of(y, m, d).atStartOfDay(LONDON).toInstant();
    }

    private String page(String path) throws Exception {
        return mvc.perform(get(path).with(user(worker)))
                .andReturn()
                .getResponse()
                .getContentAsString();
    }

    @Test
    void theApiTakesWhatIsKnownAndRefusesTheRestByField() throws Exception {
        MockHttpServletResponse month = raise(",\"raisedOn\":\"2024-03\"");
        assertThat(month.getStatus()).isEqualTo(201);
        JsonNode body = json.readTree(month.getContentAsString());
        UUID id = UUID.fromString(body.get("id").asString());
        assertThat(body.get("raisedAt").isNull()).isTrue();
        assertThat(body.at("/raised/precision").asString()).isEqualTo("month");
        // March 2024 in London: from 1 March (GMT) to 1 April (BST), never a day within it.
        assertThat(stored("public_id = ?", id))
                .isEqualTo(new Stored(
                        "month",
                        null,
                        2024,
                        3,
                        null,
                        Instant.parse("2024-03-01T00:00:00Z"),
                        Instant.parse("2024-03-31T23:00:00Z")));
        assertThat(page("/concerns/" + id)).contains("March 2024").doesNotContain("1 March 2024");

        UUID year =
                UUID.fromString(json.readTree(raise(",\"raisedOn\":\"2023\"").getContentAsString())
                        .get("id")
                        .asString());
        assertThat(stored("public_id = ?", year))
                .isEqualTo(new Stored("year", null, 2023, null, null, london(2023, 1, 1), london(2024, 1, 1)));
        UUID unknown = UUID.fromString(
                json.readTree(raise(",\"raisedOn\":\"not_known\"").getContentAsString())
                        .get("id")
                        .asString());
        assertThat(stored("public_id = ?", unknown))
                .isEqualTo(new Stored("not_known", null, null, null, null, null, null));
        assertThat(page("/concerns/" + unknown)).contains("Not known");
        UUID day = UUID.fromString(
                json.readTree(raise(",\"raisedOn\":\"2024-07-09\"").getContentAsString())
                        .get("id")
                        .asString());
        assertThat(stored("public_id = ?", day))
                .isEqualTo(new Stored("day", null, 2024, 7, 9, london(2024, 7, 9), london(2024, 7, 10)));
        Instant exact = Instant.parse("2024-06-30T23:30:00Z"); // 1 July in London
        UUID timed = UUID.fromString(
                json.readTree(raise(",\"raisedAt\":\"" + exact + "\"").getContentAsString())
                        .get("id")
                        .asString());
        assertThat(stored("public_id = ?", timed).precision()).isEqualTo("time");
        assertThat(stored("public_id = ?", timed).month()).isEqualTo(7);

        // The record's page lists them as far as each is known.
        assertThat(page("/records/" + record))
                .contains("March 2024")
                .contains(">2023 ·")
                .contains("Not known ·");

        for (var bad : Map.of(
                        ",\"raisedOn\":\"2024-13\"", "raisedOn:format",
                        ",\"raisedOn\":\"March 2024\"", "raisedOn:format",
                        ",\"raisedOn\":\"2099-01\"", "raisedOn:not-in-future",
                        ",\"raisedOn\":\"2024\",\"raisedAt\":\"2024-01-01T00:00:00Z\"", "raisedOn:exclusive")
                .entrySet()) {
            MockHttpServletResponse refused = raise(bad.getKey());
            assertThat(refused.getStatus()).as(bad.getKey()).isEqualTo(400);
            assertThat(json.readTree(refused.getContentAsString())
                            .get("errors")
                            .valueStream()
                            .map(e -> e.get("field").asString() + ":"
                                    + e.get("rule").asString())
                            .toList())
                    .as(bad.getKey())
                    .containsExactly(bad.getValue());
        }
    }

    @Test
    void theRaisePagesAskWhenAndCheckTheAnswer() throws Exception {
        MockHttpSession session = new MockHttpSession();
        String base = "/records/" + record + "/concerns/new";
        mvc.perform(post(base + "/indicators")
                .with(user(worker))
                .with(csrf())
                .session(session)
                .param("indicators", "missing_repeat"));
        mvc.perform(post(base + "/summary")
                .with(user(worker))
                .with(csrf())
                .session(session)
                .param("summary", "Seen at a hotel."));
        // By default it arose now; the check page says so and offers to change it.
        assertThat(mvc.perform(get(base + "/check").with(user(worker)).session(session))
                        .andReturn()
                        .getResponse()
                        .getContentAsString())
                .contains("Now, when I raise it")
                .contains(base + "/when");
        String refused = mvc.perform(post(base + "/when")
                        .with(user(worker))
                        .with(csrf())
                        .session(session)
                        .param("when", "date")
                        .param("day", "4")
                        .param("year", "2024"))
                .andReturn()
                .getResponse()
                .getContentAsString();
        assertThat(refused)
                .contains("Enter the year the concern arose, and the month and day if they are known, as numbers")
                .contains("href=\"#raisedOn\"");
        assertThat(mvc.perform(post(base + "/when")
                                .with(user(worker))
                                .with(csrf())
                                .session(session)
                                .param("when", "date")
                                .param("day", "")
                                .param("month", "3")
                                .param("year", "2024"))
                        .andReturn()
                        .getResponse()
                        .getRedirectedUrl())
                .isEqualTo(base + "/check");
        assertThat(mvc.perform(get(base + "/check").with(user(worker)).session(session))
                        .andReturn()
                        .getResponse()
                        .getContentAsString())
                .contains("March 2024");
        String location = mvc.perform(
                        post(base + "/check").with(user(worker)).with(csrf()).session(session))
                .andReturn()
                .getResponse()
                .getRedirectedUrl();
        UUID id = UUID.fromString(location.split("/")[2]);
        assertThat(stored("public_id = ?", id).precision()).isEqualTo("month");
        assertThat(stored("public_id = ?", id).month()).isEqualTo(3);
    }

    @Test
    void importedDatesKeepWhatTheFileKnows() {
        String text0 = "concern_ref,record_ref,raised_at,indicators\n"
                + "D1,R1,2024-03-05T10:15:00Z,missing_repeat\n"
                + "D2,R1,2024-03-05,missing_repeat\n"
                + "D3,R1,2024-03,missing_repeat\n"
                + "D4,R1,2024,missing_repeat\n"
                + "D5,R1,not_known,missing_repeat\n"
                + "D6,R1,,missing_repeat\n"
                + "D7,R1,2024-02-30,missing_repeat\n"
                + "D8,R1,2099-01,missing_repeat\n";
        String text = text0;
        String agency = data.agency("police_force");
        UUID held = data.personRecord(agency, "Ida", TestData.unique("Partialdate"), 2010, 5, 5, null);
        String recordRef = jdbc.sql("SELECT record_ref FROM person_record WHERE public_id = ?")
                .param(held)
                .query(String.class)
                .single();
        text = text.replace(",R1,", "," + recordRef + ",");
        ImportReport report = imports.importNow(
                new ImportService.ImportRequest(agency, "concerns", null, "c.csv", "tester", 3, null),
                new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)),
                n -> {});
        SightlineUser supervisor = accounts.loadUserByUsername(data.user(agency, Roles.SUPERVISOR));
        assertThat(imports.quarantine(supervisor, report.id(), 10))
                .flatExtracting(q -> q.errors())
                .extracting(e -> e.line() + ":" + e.code() + ":" + e.column())
                .containsExactlyInAnyOrder("8:E1003:raised_at", "9:E1014:raised_at");
        assertThat(report.imported()).isEqualTo(6);
        assertThat(report.quarantined()).isEqualTo(2);
        Map<String, Stored> byRef = new TreeMap<>();
        for (String ref : List.of("D1", "D2", "D3", "D4", "D5", "D6")) {
            byRef.put(
                    ref,
                    stored(
                            "concern_ref = ? AND agency_id = (SELECT id FROM agency WHERE code = '" + agency + "')",
                            ref));
        }
        assertThat(byRef.get("D1").precision()).isEqualTo("time");
        assertThat(byRef.get("D1").at()).isEqualTo(Instant.parse("2024-03-05T10:15:00Z"));
        assertThat(byRef.get("D2"))
                .isEqualTo(new Stored("day", null, 2024, 3, 5, london(2024, 3, 5), london(2024, 3, 6)));
        assertThat(byRef.get("D3"))
                .isEqualTo(new Stored("month", null, 2024, 3, null, london(2024, 3, 1), london(2024, 4, 1)));
        assertThat(byRef.get("D4"))
                .isEqualTo(new Stored("year", null, 2024, null, null, london(2024, 1, 1), london(2025, 1, 1)));
        assertThat(byRef.get("D5").precision()).isEqualTo("not_known");
        assertThat(byRef.get("D6").precision()).isEqualTo("not_recorded");
    }
}
