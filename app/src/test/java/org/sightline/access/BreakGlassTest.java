package org.sightline.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sightline.shared.ConflictException;
import org.sightline.shared.InvalidRequestException;
import org.sightline.shared.NotFoundException;
import org.sightline.support.IntegrationTest;
import org.sightline.support.TestData;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;

/** Break glass through the API and the supervisors' list: reasons required, time-limited, audited, agency-scoped. */
@IntegrationTest
class BreakGlassTest {

    @Autowired
    TestData data;

    @Autowired
    UserAccounts accounts;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    MockMvc mvc;

    @Autowired
    BreakGlass breakGlass;

    @Autowired
    Clock clock;

    AccessFixtures facts;
    String force;
    SightlineUser officer;
    SightlineUser supervisor;
    UUID kentRecord;
    UUID child;

    @BeforeEach
    void setUp() {
        facts = new AccessFixtures(jdbc);
        String kent = data.agency("local_authority");
        force = data.agency("police_force");
        officer = accounts.loadUserByUsername(data.user(force, Roles.POLICE_OFFICER));
        supervisor = accounts.loadUserByUsername(data.user(force, Roles.SUPERVISOR));
        long identity = data.identity();
        kentRecord = data.personRecord(kent, "Juno", TestData.unique("Fairlie"), 2012, 7, 30, identity);
        facts.set(kentRecord, "care_status", "looked_after");
        data.personRecord(force, "Juno", TestData.unique("Fairlie"), 2012, 7, 30, identity);
        child = facts.identityPublicId(kentRecord);
    }

    private String body(String reason, String details) {
        return "{\"childId\":\"" + child + "\"" + (reason == null ? "" : ",\"reason\":\"" + reason + "\"")
                + (details == null ? "" : ",\"details\":\"" + details + "\"") + "}";
    }

    @Test
    void theApiOpensTheRecordsForADayWithAnAuditedReason() throws Exception {
        mvc.perform(get("/api/v1/records/" + kentRecord).with(user(officer))).andExpect(status().isNotFound());
        Instant before = clock.instant();
        String answer = mvc.perform(post("/api/v1/break-glass")
                        .with(user(officer))
                        .contentType(MediaType.APPLICATION_JSON)
                        .content(body("risk_to_life", "Threat made tonight (synthetic)")))
                .andExpect(status().isCreated())
                .andExpect(jsonPath("$.childId").value(child.toString()))
                .andReturn()
                .getResponse()
                .getContentAsString();
        Instant expires = Instant.parse(answer.replaceAll(".*\"expiresAt\":\"([^\"]+)\".*", "$1"));
        assertThat(expires)
                .isBetween(before.plus(Duration.ofHours(24)), clock.instant().plus(Duration.ofHours(24)));
        mvc.perform(get("/api/v1/records/" + kentRecord).with(user(officer))).andExpect(status().isOk());
        assertThat(jdbc.sql(
                                "SELECT reason FROM audit_event WHERE action = 'BREAK_GLASS' AND subject_id = ? AND actor = ?")
                        .params(child.toString(), officer.username())
                        .query(String.class)
                        .single())
                .isEqualTo("risk_to_life: Threat made tonight (synthetic)");
    }

    @Test
    void theApiNamesEveryMissingOrOverlongField() throws Exception {
        mvc.perform(post("/api/v1/break-glass")
                        .with(user(officer))
                        .contentType(MediaType.APPLICATION_JSON)
                        .content(body(null, null)))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("reason"))
                .andExpect(jsonPath("$.errors[1].field").value("details"));
        mvc.perform(post("/api/v1/break-glass")
                        .with(user(officer))
                        .contentType(MediaType.APPLICATION_JSON)
                        .content(body("curiosity", "x".repeat(1001))))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("reason"))
                .andExpect(jsonPath("$.errors[1].rule").value("length"));
        mvc.perform(post("/api/v1/break-glass")
                        .with(user(officer))
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"childId\":\"" + UUID.randomUUID()
                                + "\",\"reason\":\"missing_now\",\"details\":\"x\"}"))
                .andExpect(status().isNotFound());
        assertThat(jdbc.sql("SELECT count(*) FROM child_relationship WHERE granted_by = ?")
                        .param(officer.username())
                        .query(Long.class)
                        .single())
                .isZero();
    }

    @Test
    void theListIsTheAgencysAndAReviewIsKeptOnce() throws Exception {
        BreakGlass.Grant grant =
                breakGlass.open(officer, child, "missing_now", "Reported missing by carer (synthetic)");
        assertThat(breakGlass.forSupervisors(supervisor))
                .extracting(BreakGlass.Grant::publicId)
                .containsExactly(grant.publicId());

        SightlineUser otherSupervisor =
                accounts.loadUserByUsername(data.user(data.agency("police_force"), Roles.SUPERVISOR));
        assertThat(breakGlass.forSupervisors(otherSupervisor)).isEmpty();
        assertThatThrownBy(() -> breakGlass.forReview(otherSupervisor, grant.publicId()))
                .isInstanceOf(NotFoundException.class);
        assertThat(facts.audits("VIEW_REFUSED", grant.publicId().toString(), otherSupervisor.username()))
                .isEqualTo(1);

        assertThatThrownBy(() -> breakGlass.review(supervisor, grant.publicId(), " ", 0))
                .isInstanceOf(InvalidRequestException.class);
        breakGlass.review(supervisor, grant.publicId(), "Justified (synthetic)", 0);
        assertThatThrownBy(() -> breakGlass.review(supervisor, grant.publicId(), "Again", 1))
                .isInstanceOf(ConflictException.class);
        assertThat(facts.audits("BREAK_GLASS_REVIEWED", grant.publicId().toString(), supervisor.username()))
                .isEqualTo(1);
        BreakGlass.Grant reviewed = breakGlass.forSupervisors(supervisor).get(0);
        assertThat(reviewed.reviewNote()).isEqualTo("Justified (synthetic)");
        assertThat(reviewed.active()).isTrue();

        mvc.perform(get("/break-glass").with(user(officer))).andExpect(status().isForbidden());
        assertThat(facts.audits("ROLE_REFUSED", "GET /break-glass", officer.username()))
                .isEqualTo(1);
        String page = mvc.perform(get("/break-glass").with(user(supervisor)))
                .andExpect(status().isOk())
                .andReturn()
                .getResponse()
                .getContentAsString();
        assertThat(page)
                .contains("Reported missing by carer (synthetic)")
                .contains("Justified (synthetic)")
                .contains("The child is missing now and has been reported to us");
    }
}
