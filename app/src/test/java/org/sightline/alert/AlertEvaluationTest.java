package org.sightline.alert;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sightline.access.AgencyScope;
import org.sightline.access.AgencyScope.ChildAccess;
import org.sightline.access.Roles;
import org.sightline.access.UserAccounts;
import org.sightline.support.IntegrationTest;
import org.sightline.support.TestData;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Evaluation through the outbox on the real database: the change writes its outbox row in its own transaction, the
 * worker raises each alert once, routes it to every agency that must act, and the routing opens the child's page to
 * each of them (audited); a second evaluation, and a merge, raise nothing twice.
 */
@IntegrationTest
class AlertEvaluationTest {

    @Autowired
    TestData data;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    AlertWorker worker;

    @Autowired
    AgencyScope scope;

    @Autowired
    UserAccounts accounts;

    @BeforeEach
    void pause() {
        worker.pause(true);
    }

    @AfterEach
    void resume() {
        worker.pause(false);
    }

    private List<String> rules(long identityId) {
        return jdbc.sql(
                        """
                SELECT a.rule FROM alert a JOIN person_record pr ON pr.id = a.person_record_id
                WHERE pr.identity_id = ? ORDER BY a.rule""")
                .param(identityId)
                .query(String.class)
                .list();
    }

    private Map<String, String> recipients(long identityId, String rule, AlertScenario s) {
        Map<String, String> out = new TreeMap<>();
        jdbc.sql(
                        """
                SELECT ag.code, array_to_string(r.reasons, ',') FROM alert a JOIN alert_recipient r ON r.alert_id = a.id
                JOIN agency ag ON ag.id = r.agency_id JOIN person_record pr ON pr.id = a.person_record_id
                WHERE pr.identity_id = ? AND a.rule = ?""")
                .params(identityId, rule)
                .query(rs -> {
                    out.put(rs.getString(1), rs.getString(2));
                });
        return out;
    }

    @Test
    void changesWriteOutboxRowsInTheirTransactionAndTheWorkerRaisesEachAlertOnceToEveryAgencyThatMustAct() {
        AlertScenario s = new AlertScenario(data, jdbc);
        assertThat(jdbc.sql("SELECT count(*) FROM alert_outbox WHERE subject_kind = 'person_record' AND subject_id = ?")
                        .param(s.policeRecord)
                        .query(Long.class)
                        .single())
                .as("the episode's insert queued its record")
                .isPositive();
        var findingOfficer = accounts.loadUserByUsername(data.user(s.findingForce, Roles.POLICE_OFFICER));
        var strangerWorker = accounts.loadUserByUsername(data.user(s.stranger, Roles.SOCIAL_WORKER));
        assertThat(scope.childAccess(findingOfficer, s.identityId))
                .as("a bare record opens nothing")
                .isEqualTo(ChildAccess.EXISTENCE_ONLY);

        worker.drain();

        assertThat(rules(s.identityId))
                .containsExactly("found-outside-force", "looked-after-missing", "place-linked", "return-interview");
        assertThat(recipients(s.identityId, "found-outside-force", s))
                .isEqualTo(new TreeMap<>(Map.of(
                        s.homeForce,
                        "reporting_force",
                        s.findingForce,
                        "found_force",
                        s.responsible,
                        "responsible_authority",
                        s.host,
                        "host_authority",
                        s.provider,
                        "care_provider")));
        assertThat(recipients(s.identityId, "place-linked", s))
                .containsEntry(s.findingForce, "found_force,recorded_by")
                .containsKeys(s.homeForce, s.responsible, s.host, s.provider)
                .doesNotContainKey(s.stranger);
        assertThat(jdbc.sql(
                                """
                SELECT message_args FROM alert a JOIN person_record pr ON pr.id = a.person_record_id
                WHERE pr.identity_id = ? AND a.rule = 'place-linked'""")
                        .param(s.identityId)
                        .query((rs, n) -> List.of((String[]) rs.getArray(1).getArray()))
                        .single())
                .as("two other missing children linked to the flat, both from other areas than the child's")
                .containsSubsequence("found at", s.flatName + ", ZZ1 1ZZ")
                .endsWith("2", "2", "0");

        assertThat(scope.childAccess(findingOfficer, s.identityId))
                .as("receiving an alert is a relationship")
                .isEqualTo(ChildAccess.FULL);
        assertThat(scope.childAccess(strangerWorker, s.identityId)).isEqualTo(ChildAccess.EXISTENCE_ONLY);
        assertThat(jdbc.sql(
                                """
                SELECT count(*) FROM audit_event WHERE action = 'RELATIONSHIP_GRANTED' AND subject_id = ?
                  AND details LIKE ?""")
                        .params(Long.toString(s.identityId), "%agency=" + s.agencyId(s.findingForce) + ";%")
                        .query(Long.class)
                        .single())
                .as("the grant is audited, once per alert")
                .isEqualTo(4L);
        assertThat(jdbc.sql("SELECT count(*) FROM alert_outbox")
                        .query(Long.class)
                        .single())
                .isZero();

        // Nothing twice: the same change queued again, and a merge bringing another record of the child.
        jdbc.sql("UPDATE missing_episode SET updated_at = now() WHERE id = ?")
                .param(s.episode)
                .update();
        assertThat(worker.drain()).isZero();
        data.personRecord(s.stranger, s.given, s.family, 2011, 4, 2, s.identityId);
        assertThat(worker.drain()).isZero();
        assertThat(rules(s.identityId)).hasSize(4);
        assertThat(jdbc.sql(
                                """
                SELECT count(*) FROM alert_recipient r JOIN alert a ON a.id = r.alert_id
                JOIN person_record pr ON pr.id = a.person_record_id WHERE pr.identity_id = ?""")
                        .param(s.identityId)
                        .query(Long.class)
                        .single())
                .isEqualTo(20L);
    }

    @Test
    void aPlaceWrittenDownDifferentlyByEachAgencyIsStillOnePlaceForTheRule() {
        AlertScenario s = new AlertScenario(data, jdbc, true);
        assertThat(jdbc.sql(
                                """
                SELECT count(DISTINCT l.id) || ' ' || count(DISTINCT l.place_id) FROM location l
                JOIN location f ON f.place_id = l.place_id WHERE f.id = ?""")
                        .param(s.flat)
                        .query(String.class)
                        .single())
                .as("three agencies' recordings, one place")
                .isEqualTo("3 1");
        worker.drain();
        assertThat(rules(s.identityId)).contains("place-linked");
        assertThat(jdbc.sql(
                                """
                SELECT message_args FROM alert a JOIN person_record pr ON pr.id = a.person_record_id
                WHERE pr.identity_id = ? AND a.rule = 'place-linked'""")
                        .param(s.identityId)
                        .query((rs, n) -> List.of((String[]) rs.getArray(1).getArray()))
                        .single())
                .as("both other children counted through the shared place")
                .endsWith("2", "2", "0");
    }

    @Test
    void whatARuleCannotDecideIsStoredWithTheMissingFact() {
        AlertScenario s = new AlertScenario(data, jdbc);
        jdbc.sql("UPDATE person_record SET dob_year = NULL, dob_month = NULL, dob_day = NULL WHERE identity_id = ?")
                .param(s.identityId)
                .update();
        worker.drain();
        assertThat(jdbc.sql(
                                """
                SELECT u.message_key FROM alert_undecided u JOIN person_record pr ON pr.id = u.person_record_id
                WHERE pr.identity_id = ?""")
                        .param(s.identityId)
                        .query(String.class)
                        .list())
                .containsExactly("alert.rule.under-13.undecided.dob");
        jdbc.sql("UPDATE person_record SET dob_year = 2011 WHERE identity_id = ?")
                .param(s.identityId)
                .update();
        worker.drain();
        assertThat(jdbc.sql(
                                """
                SELECT count(*) FROM alert_undecided u JOIN person_record pr ON pr.id = u.person_record_id
                WHERE pr.identity_id = ?""")
                        .param(s.identityId)
                        .query(Long.class)
                        .single())
                .as("decided once the fact is recorded")
                .isZero();
    }

    @Test
    void theTimePassQueuesChildrenWhoseThresholdPassedSinceTheLastPass() {
        AlertScenario s = new AlertScenario(data, jdbc);
        worker.drain();
        jdbc.sql("UPDATE alert_clock SET passed_to = ? WHERE id = 1")
                .param(java.sql.Timestamp.from(s.ago(java.time.Duration.ofHours(2))))
                .update();
        jdbc.sql("DELETE FROM alert_clock").update();
        // The first pass looks back 30 days: the scenario's find passed its 72 hours a day ago.
        assertThat(worker.timePass()).isPositive();
        assertThat(jdbc.sql("SELECT count(*) FROM alert_outbox WHERE subject_kind = 'person_record' AND subject_id = ?")
                        .param(s.policeRecord)
                        .query(Long.class)
                        .single())
                .isEqualTo(1L);
        assertThat(worker.timePass())
                .as("the next pass starts where this one ended")
                .isZero();
        assertThat(worker.drain()).as("already raised: nothing twice").isZero();
    }

    @Test
    void aCauseOlderThanTheMaximumAgeRaisesNoAlert() {
        String force = data.agency("police_force");
        long identity = data.identity();
        data.personRecord(force, "Wren", TestData.unique("Lowe"), 2016, 3, 3, identity);
        long record = jdbc.sql("SELECT id FROM person_record WHERE identity_id = ?")
                .param(identity)
                .query(Long.class)
                .single();
        for (int days : new int[] {200, 10}) {
            jdbc.sql(
                            """
                    INSERT INTO missing_episode (agency_id, person_record_id, episode_ref, status, reported_at, found_at,
                                                 return_interview_status)
                    SELECT id, ?, ?, 'found', ?, ?, 'completed' FROM agency WHERE code = ?""")
                    .params(
                            record,
                            TestData.unique("EP"),
                            java.sql.Timestamp.from(java.time.Instant.now().minus(java.time.Duration.ofDays(days))),
                            java.sql.Timestamp.from(java.time.Instant.now().minus(java.time.Duration.ofDays(days - 1))),
                            force)
                    .update();
        }
        worker.drain();
        assertThat(rules(identity))
                .as("the child was under 13 both times; only the recent one is for action now")
                .containsExactly("under-13");
    }
}
