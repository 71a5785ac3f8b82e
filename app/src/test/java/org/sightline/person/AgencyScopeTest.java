package org.sightline.person;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sightline.access.Roles;
import org.sightline.access.SightlineUser;
import org.sightline.access.UserAccounts;
import org.sightline.support.IntegrationTest;
import org.sightline.support.TestData;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;

/**
 * A user sees their agency's records, and records linked to them where the agency has a relationship with the child
 * (here: its record carries a care status); never another agency's by guessing an id.
 */
@IntegrationTest
class AgencyScopeTest {

    @Autowired
    TestData data;

    @Autowired
    UserAccounts accounts;

    @Autowired
    MockMvc mvc;

    @Autowired
    JdbcClient jdbc;

    String forceA;
    String forceB;
    SightlineUser officerA;
    UUID ownRecord;
    UUID otherAgencyRecord;
    UUID linkedRecord;
    String family;

    @BeforeEach
    void setUp() {
        forceA = data.agency("police_force");
        forceB = data.agency("police_force");
        officerA = accounts.loadUserByUsername(data.user(forceA, Roles.POLICE_OFFICER));
        family = TestData.unique("Zedwick");
        long identity = data.identity();
        ownRecord = data.personRecord(forceA, "Ava", family, 2009, 3, 27, identity);
        jdbc.sql("UPDATE person_record SET care_status = 'looked_after' WHERE public_id = ?")
                .param(ownRecord)
                .update();
        linkedRecord = data.personRecord(forceB, "Eva", family, 2009, 3, 27, identity);
        otherAgencyRecord = data.personRecord(forceB, "Ada", family, 2010, 1, 2, null);
    }

    @Test
    void ownAgencyRecordOpens() throws Exception {
        mvc.perform(get("/records/" + ownRecord).with(user(officerA))).andExpect(status().isOk());
    }

    @Test
    void recordLinkedToTheSameChildOpens() throws Exception {
        mvc.perform(get("/records/" + linkedRecord).with(user(officerA))).andExpect(status().isOk());
    }

    @Test
    void anotherAgencysRecordIsNotFoundEvenWithItsRealId() throws Exception {
        mvc.perform(get("/records/" + otherAgencyRecord).with(user(officerA))).andExpect(status().isNotFound());
        long refusals = jdbc.sql("SELECT count(*) FROM audit_event WHERE action = 'VIEW_REFUSED' AND subject_id = ?")
                .param(otherAgencyRecord.toString())
                .query(Long.class)
                .single();
        assertThat(refusals).isEqualTo(1);
    }

    @Test
    void aMadeUpIdIsNotFound() throws Exception {
        mvc.perform(get("/records/" + UUID.randomUUID()).with(user(officerA))).andExpect(status().isNotFound());
    }

    @Test
    void malformedIdIsABadRequestNotAnError() throws Exception {
        mvc.perform(get("/records/12345").with(user(officerA))).andExpect(status().isBadRequest());
    }

    @Test
    void searchReturnsOnlyRecordsInScope() throws Exception {
        String page = mvc.perform(post("/records")
                        .param("familyName", family)
                        .with(user(officerA))
                        .with(csrf()))
                .andExpect(status().isOk())
                .andReturn()
                .getResponse()
                .getContentAsString();
        assertThat(page)
                .contains(ownRecord.toString())
                .contains(linkedRecord.toString())
                .doesNotContain(otherAgencyRecord.toString());
    }

    @Test
    void searchTermsNeverTravelInTheUrl() throws Exception {
        mvc.perform(get("/records").param("familyName", family).with(user(officerA)))
                .andExpect(r -> assertThat(r.getResponse().getContentAsString()).doesNotContain(ownRecord.toString()));
        mvc.perform(post("/records").param("familyName", family).with(user(officerA)))
                .andExpect(status().isForbidden());
    }

    @Test
    void analystsCannotOpenCaseRecords() throws Exception {
        SightlineUser analyst = accounts.loadUserByUsername(data.user(forceA, Roles.ANALYST));
        mvc.perform(get("/records/" + ownRecord).with(user(analyst))).andExpect(status().isForbidden());
    }

    @Test
    void everyReadIsAudited() throws Exception {
        mvc.perform(get("/records/" + ownRecord).with(user(officerA))).andExpect(status().isOk());
        long views = jdbc.sql("SELECT count(*) FROM audit_event WHERE action = 'VIEW' AND subject_id = ? AND actor = ?")
                .params(ownRecord.toString(), officerA.username())
                .query(Long.class)
                .single();
        assertThat(views).isEqualTo(1);
    }
}
