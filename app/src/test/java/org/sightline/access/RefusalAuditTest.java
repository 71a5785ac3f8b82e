package org.sightline.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sightline.audit.AuditEntry;
import org.sightline.audit.AuditLog;
import org.sightline.person.PersonRecordService;
import org.sightline.support.IntegrationTest;
import org.sightline.support.TestData;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.transaction.support.TransactionTemplate;

/** Every refused read, out of scope (404) or by role (403), on a page or through the API, leaves an audit entry. */
@IntegrationTest
class RefusalAuditTest {

    @Autowired
    TestData data;

    @Autowired
    UserAccounts accounts;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    MockMvc mvc;

    @Autowired
    PersonRecordService records;

    @Autowired
    TransactionTemplate transaction;

    @Autowired
    AuditLog audit;

    AccessFixtures facts;
    SightlineUser stranger;
    SightlineUser analyst;
    UUID record;
    UUID episode;
    UUID concern;
    UUID review;

    @BeforeEach
    void setUp() {
        facts = new AccessFixtures(jdbc);
        String kent = data.agency("local_authority");
        String other = data.agency("police_force");
        stranger = accounts.loadUserByUsername(data.user(other, Roles.SUPERVISOR));
        analyst = accounts.loadUserByUsername(data.user(kent, Roles.ANALYST));
        record = data.personRecord(kent, "Wren", TestData.unique("Aldous"), 2013, 1, 9, data.identity());
        UUID second = data.personRecord(kent, "Ren", TestData.unique("Aldous"), 2013, 9, 1, data.identity());
        episode = facts.episode(record, kent);
        concern = facts.concern(record, kent);
        review = jdbc.sql(
                        """
                INSERT INTO identity_review (record_a, record_b, weight, probability, reason, evidence)
                SELECT a.id, b.id, -1, 0.3, 'uncertain', '' FROM person_record a, person_record b
                WHERE a.public_id = ? AND b.public_id = ? RETURNING public_id""")
                .params(record, second)
                .query(UUID.class)
                .single();
    }

    private long refused(String action, String subject, SightlineUser who) {
        return facts.audits(action, subject, who.username());
    }

    @Test
    void outOfScopeRecordWebAndApi() throws Exception {
        mvc.perform(get("/records/" + record).with(user(stranger))).andExpect(status().isNotFound());
        assertThat(refused("VIEW_REFUSED", record.toString(), stranger)).isEqualTo(1);
        mvc.perform(get("/api/v1/records/" + record).with(user(stranger))).andExpect(status().isNotFound());
        assertThat(refused("VIEW_REFUSED", record.toString(), stranger)).isEqualTo(2);
    }

    @Test
    void outOfScopeEpisodeWebAndApi() throws Exception {
        mvc.perform(get("/episodes/" + episode).with(user(stranger))).andExpect(status().isNotFound());
        assertThat(refused("VIEW_REFUSED", episode.toString(), stranger)).isEqualTo(1);
        mvc.perform(get("/api/v1/episodes/" + episode).with(user(stranger))).andExpect(status().isNotFound());
        assertThat(refused("VIEW_REFUSED", episode.toString(), stranger)).isEqualTo(2);
    }

    @Test
    void outOfScopeConcernWebAndApi() throws Exception {
        mvc.perform(get("/concerns/" + concern).with(user(stranger))).andExpect(status().isNotFound());
        assertThat(refused("VIEW_REFUSED", concern.toString(), stranger)).isEqualTo(1);
        mvc.perform(get("/api/v1/concerns/" + concern).with(user(stranger))).andExpect(status().isNotFound());
        assertThat(refused("VIEW_REFUSED", concern.toString(), stranger)).isEqualTo(2);
    }

    @Test
    void outOfScopeReviewItem() throws Exception {
        mvc.perform(get("/identity-reviews/" + review).with(user(stranger))).andExpect(status().isNotFound());
        assertThat(refused("VIEW_REFUSED", review.toString(), stranger)).isEqualTo(1);
    }

    @Test
    void roleRefusalsWebAndApi() throws Exception {
        mvc.perform(get("/records/" + record).with(user(analyst))).andExpect(status().isForbidden());
        assertThat(refused("ROLE_REFUSED", "GET /records/" + record, analyst)).isEqualTo(1);
        mvc.perform(get("/api/v1/records/" + record).with(user(analyst))).andExpect(status().isForbidden());
        assertThat(refused("ROLE_REFUSED", "GET /api/v1/records/" + record, analyst))
                .isEqualTo(1);
        mvc.perform(get("/api/v1/episodes/" + episode).with(user(analyst))).andExpect(status().isForbidden());
        assertThat(refused("ROLE_REFUSED", "GET /api/v1/episodes/" + episode, analyst))
                .isEqualTo(1);
        mvc.perform(get("/concerns/" + concern).with(user(analyst))).andExpect(status().isForbidden());
        assertThat(refused("ROLE_REFUSED", "GET /concerns/" + concern, analyst)).isEqualTo(1);
        mvc.perform(get("/identity-reviews/" + review).with(user(analyst))).andExpect(status().isForbidden());
        assertThat(refused("ROLE_REFUSED", "GET /identity-reviews/" + review, analyst))
                .isEqualTo(1);
    }

    @Test
    void theRefusalSurvivesTheRollbackOfTheRequestsTransaction() {
        transaction.executeWithoutResult(status -> {
            // The chain lock is taken first by an ordinary entry, as in a request that audited before it was refused.
            audit.record(AuditEntry.of("test", null, "TEST", "test", null));
            assertThatThrownBy(() -> records.view(stranger, record)).isInstanceOf(RuntimeException.class);
            status.setRollbackOnly();
        });
        assertThat(refused("VIEW_REFUSED", record.toString(), stranger)).isEqualTo(1);
    }
}
