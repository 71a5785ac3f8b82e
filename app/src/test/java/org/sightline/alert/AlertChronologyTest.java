package org.sightline.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sightline.access.AgencyScope.ChildAccess;
import org.sightline.access.Roles;
import org.sightline.access.SightlineUser;
import org.sightline.access.UserAccounts;
import org.sightline.child.ChildPicture;
import org.sightline.child.ChildPicture.Entry;
import org.sightline.child.ChildService;
import org.sightline.support.IntegrationTest;
import org.sightline.support.TestData;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Alerts in the child's chronology (issue 8): each alert raised about the child, with its rule in words, its
 * explanation, when it was raised, the agencies it went to and its state for the viewer's agency; only in the full
 * picture, so never for an agency without a relationship with the child. Expected values are read from the alert
 * tables, not from the code under test.
 */
@IntegrationTest
class AlertChronologyTest {

    @Autowired
    TestData data;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    AlertWorker worker;

    @Autowired
    AlertInbox inbox;

    @Autowired
    ChildService children;

    @Autowired
    UserAccounts accounts;

    @Autowired
    MockMvc mvc;

    @Autowired
    ObjectMapper json;

    @BeforeEach
    void pause() {
        worker.pause(true);
    }

    @AfterEach
    void resume() {
        worker.pause(false);
    }

    record Expected(UUID publicId, Instant raisedAt, List<String> routedTo, String stateForViewer) {}

    private List<Expected> expected(AlertScenario s, long viewerAgency) {
        return jdbc.sql(
                        """
                SELECT a.public_id, a.raised_at, a.id FROM alert a JOIN person_record pr ON pr.id = a.person_record_id
                WHERE pr.identity_id = ? ORDER BY a.raised_at DESC, a.id DESC""")
                .param(s.identityId)
                .query((rs, n) -> new Expected(
                        rs.getObject(1, UUID.class),
                        rs.getTimestamp(2).toInstant(),
                        jdbc.sql(
                                        """
                                SELECT g.name FROM alert_recipient r JOIN agency g ON g.id = r.agency_id
                                WHERE r.alert_id = ? ORDER BY g.name""")
                                .param(rs.getLong(3))
                                .query(String.class)
                                .list(),
                        jdbc.sql("SELECT state FROM alert_recipient WHERE alert_id = ? AND agency_id = ?")
                                .params(rs.getLong(3), viewerAgency)
                                .query(String.class)
                                .optional()
                                .orElse(null)))
                .list();
    }

    private static List<Entry> alerts(ChildPicture picture) {
        return picture.picture().chronology().stream()
                .filter(e -> "alert".equals(e.kind()))
                .toList();
    }

    @Test
    void everyAlertAboutTheChildIsInTheChronologyWithItsExplanationAndTheViewersState() throws Exception {
        AlertScenario s = new AlertScenario(data, jdbc);
        SightlineUser officer = accounts.loadUserByUsername(data.user(s.homeForce, Roles.POLICE_OFFICER));
        assertThat(alerts(children.picture(officer, s.identity)))
                .as("nothing evaluated yet")
                .isEmpty();
        worker.drain();

        List<Expected> expected = expected(s, s.agencyId(s.homeForce));
        assertThat(expected).as("the scenario raises several alerts").hasSizeGreaterThanOrEqualTo(3);
        ChildPicture picture = children.picture(officer, s.identity);
        List<Entry> chronology = picture.picture().chronology();
        assertThat(chronology).extracting(Entry::at).isSortedAccordingTo(Comparator.<Instant>reverseOrder());
        List<Entry> alerts = alerts(picture);
        assertThat(alerts)
                .extracting(e -> e.alert().publicId())
                .containsExactlyElementsOf(
                        expected.stream().map(Expected::publicId).toList());
        for (int i = 0; i < expected.size(); i++) {
            Expected x = expected.get(i);
            Entry e = alerts.get(i);
            assertThat(e.at()).isEqualTo(x.raisedAt());
            assertThat(e.alert().routedTo()).containsExactlyElementsOf(x.routedTo());
            assertThat(e.alert().state())
                    .isEqualTo(
                            x.stateForViewer() == null
                                    ? null
                                    : switch (x.stateForViewer()) {
                                        case "new" -> "New";
                                        case "acknowledged" -> "Acknowledged";
                                        default -> x.stateForViewer();
                                    });
            assertThat(e.alert().href()).isEqualTo(x.stateForViewer() == null ? null : "/alerts/" + x.publicId());
            assertThat(e.detail()).isEqualTo(e.alert().explanation()).isNotBlank();
        }

        UUID found = jdbc.sql(
                        """
                SELECT a.public_id FROM alert a JOIN person_record pr ON pr.id = a.person_record_id
                WHERE pr.identity_id = ? AND a.rule = 'found-outside-force'""")
                .param(s.identityId)
                .query(UUID.class)
                .single();
        Entry foundEntry = alerts.stream()
                .filter(e -> e.alert().publicId().equals(found))
                .findFirst()
                .orElseThrow();
        assertThat(foundEntry.what()).isEqualTo("Alert: Found outside the home force area");
        assertThat(foundEntry.alert().explanation())
                .contains("reported to " + s.name(s.homeForce))
                .contains("by " + s.name(s.findingForce) + ", another force");
        List<String> five = new ArrayList<>(List.of(
                s.name(s.homeForce),
                s.name(s.findingForce),
                s.name(s.responsible),
                s.name(s.host),
                s.name(s.provider)));
        five.sort(Comparator.naturalOrder());
        assertThat(foundEntry.alert().routedTo()).containsExactlyElementsOf(five);
        assertThat(foundEntry.alert().state()).isEqualTo("New");

        // The viewer's agency works the alert: the chronology shows where it now is, for that agency only.
        inbox.acknowledge(officer, found, 0);
        Entry after = alerts(children.picture(officer, s.identity)).stream()
                .filter(e -> e.alert().publicId().equals(found))
                .findFirst()
                .orElseThrow();
        assertThat(after.alert().state()).isEqualTo("Acknowledged");
        SightlineUser host = accounts.loadUserByUsername(data.user(s.host, Roles.SOCIAL_WORKER));
        assertThat(alerts(children.picture(host, s.identity)).stream()
                        .filter(e -> e.alert().publicId().equals(found))
                        .findFirst()
                        .orElseThrow()
                        .alert()
                        .state())
                .isEqualTo("New");

        // The API returns the same entries.
        String body = mvc.perform(get("/api/v1/children/" + s.identity).with(user(officer)))
                .andExpect(status().isOk())
                .andReturn()
                .getResponse()
                .getContentAsString();
        List<JsonNode> apiAlerts = new ArrayList<>();
        json.readTree(body).at("/picture/chronology").forEach(n -> {
            if ("alert".equals(n.get("kind").asString())) {
                apiAlerts.add(n);
            }
        });
        assertThat(apiAlerts).hasSize(expected.size());
        JsonNode apiFound = apiAlerts.stream()
                .filter(n -> n.at("/alert/publicId").asString().equals(found.toString()))
                .findFirst()
                .orElseThrow();
        assertThat(apiFound.at("/alert/explanation").asString())
                .isEqualTo(foundEntry.alert().explanation());
        assertThat(apiFound.at("/alert/state").asString()).isEqualTo("Acknowledged");
        assertThat(apiFound.at("/alert/routedTo").size()).isEqualTo(5);
    }

    @Test
    void anAgencyWithoutARelationshipSeesNoAlertOfTheChild() throws Exception {
        AlertScenario s = new AlertScenario(data, jdbc);
        worker.drain();
        SightlineUser stranger = accounts.loadUserByUsername(data.user(s.stranger, Roles.SOCIAL_WORKER));
        ChildPicture picture = children.picture(stranger, s.identity);
        assertThat(picture.access()).isEqualTo(ChildAccess.EXISTENCE_ONLY);
        assertThat(picture.picture()).isNull();
        String explanation = "another force";
        String body = mvc.perform(get("/api/v1/children/" + s.identity).with(user(stranger)))
                .andExpect(status().isOk())
                .andReturn()
                .getResponse()
                .getContentAsString();
        assertThat(body).doesNotContain(explanation, "Found outside the home force area", "\"alert\"");
        assertThat(jdbc.sql(
                                """
                SELECT count(*) FROM alert a JOIN person_record pr ON pr.id = a.person_record_id
                WHERE pr.identity_id = ?""")
                        .param(s.identityId)
                        .query(Long.class)
                        .single())
                .as("the child has alerts; the stranger is simply not shown them")
                .isPositive();
    }
}
