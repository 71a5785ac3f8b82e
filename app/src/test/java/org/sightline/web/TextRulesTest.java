package org.sightline.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sightline.access.Roles;
import org.sightline.access.SightlineUser;
import org.sightline.access.UserAccounts;
import org.sightline.shared.TextRules;
import org.sightline.support.IntegrationTest;
import org.sightline.support.TestData;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.web.servlet.MockMvc;

/**
 * NUL, other control characters and bidirectional overrides are refused in every text field with a clear 400 naming
 * the field (problem+json in the API, a page on the web), never a 500, and never echoed back.
 */
@IntegrationTest
class TextRulesTest {

    @Autowired
    MockMvc mvc;

    @Autowired
    TestData data;

    @Autowired
    UserAccounts accounts;

    SightlineUser officer;
    UUID record;

    @BeforeEach
    void setUp() {
        String force = data.agency("police_force");
        officer = accounts.loadUserByUsername(data.user(force, Roles.POLICE_OFFICER));
        record = data.personRecord(force, "Juno", TestData.unique("Hartwell"), 2010, 9, 9, null);
    }

    /** NUL, a C0 control, DEL, a C1 control, RIGHT-TO-LEFT OVERRIDE, FIRST STRONG ISOLATE. */
    @ParameterizedTest
    @ValueSource(strings = {"\u0000", "\u0007", "\u007F", "\u0085", "\u202E", "\u2068"})
    void theApiNamesTheFieldAndTheRule(String bad) throws Exception {
        MockHttpServletResponse search = mvc.perform(post("/api/v1/records/search")
                        .with(user(officer))
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"familyName\": \"Hart" + json(bad) + "well\"}"))
                .andReturn()
                .getResponse();
        assertThat(search.getStatus()).isEqualTo(400);
        assertThat(search.getContentType()).startsWith("application/problem+json");
        assertThat(search.getContentAsString())
                .contains("\"field\":\"familyName\"")
                .contains("\"rule\":\"" + TextRules.RULE + "\"")
                .doesNotContain("Hart");

        MockHttpServletResponse episode = mvc.perform(post("/api/v1/episodes")
                        .with(user(officer))
                        .header("Idempotency-Key", UUID.randomUUID().toString())
                        .contentType(MediaType.APPLICATION_JSON)
                        .content(
                                """
                        {"subjectRecordId": "%s", "reportedAt": "2026-03-28T10:00:00Z", "missingFrom": "home",
                         "grabProfile": {"clothing": "Red%scoat"}}"""
                                        .formatted(record, json(bad))))
                .andReturn()
                .getResponse();
        assertThat(episode.getStatus()).isEqualTo(400);
        assertThat(episode.getContentAsString())
                .contains("\"field\":\"grabProfile.clothing\"")
                .contains("\"rule\":\"" + TextRules.RULE + "\"");
    }

    @Test
    void aMalformedBodyAnswersProblemJsonInTheApisFormat() throws Exception {
        MockHttpServletResponse truncated = mvc.perform(post("/api/v1/records/search")
                        .with(user(officer))
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"familyName\": \"Hart"))
                .andReturn()
                .getResponse();
        assertThat(truncated.getStatus()).isEqualTo(400);
        assertThat(truncated.getContentType()).startsWith("application/problem+json");
        assertThat(truncated.getContentAsString())
                .contains("\"rule\":\"unreadable-body\"")
                .doesNotContain("Hart");
    }

    @ParameterizedTest
    @ValueSource(strings = {"\u0000", "\u202E"})
    void aPageAnswers400NamingTheField(String bad) throws Exception {
        MockHttpServletResponse page = mvc.perform(
                        post("/records").with(user(officer)).with(csrf()).param("familyName", "Hart" + bad + "well"))
                .andReturn()
                .getResponse();
        assertThat(page.getStatus()).isEqualTo(400);
        assertThat(page.getContentAsString())
                .contains("cannot be accepted")
                .contains("family name")
                .doesNotContain("Hart");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Zoë", "Siân", "O'Neill-Smith", "محمد", "line one\nline two\ttabbed"})
    void ordinaryTextIsAccepted(String good) {
        assertThat(TextRules.clean(good)).isTrue();
    }

    private static String json(String s) {
        return String.format("\\u%04x", (int) s.charAt(0));
    }
}
