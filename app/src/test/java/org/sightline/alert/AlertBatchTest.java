package org.sightline.alert;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sightline.support.IntegrationTest;
import org.sightline.support.TestData;
import org.sightline.support.TestDatabase;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * The worker's batch: many outbox rows about the same child (an import writes one per statement and table, a relink
 * one more) collapse into one evaluation of that child, and the alerts are raised once whatever the number of rows.
 */
@IntegrationTest
class AlertBatchTest {

    @Autowired
    TestData data;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    AlertWorker worker;

    @BeforeEach
    void pause() {
        worker.pause(true);
        worker.drain();
    }

    @AfterEach
    void resume() {
        worker.pause(false);
    }

    private long outbox() {
        return jdbc.sql("SELECT count(*) FROM alert_outbox").query(Long.class).single();
    }

    private long alertsOf(AlertScenario s) {
        return jdbc.sql(
                        """
                SELECT count(*) FROM alert a JOIN person_record pr ON pr.id = a.person_record_id
                WHERE pr.identity_id = ?""")
                .param(s.identityId)
                .query(Long.class)
                .single();
    }

    private long raisedAudits(AlertScenario s) {
        return jdbc.sql(
                        """
                SELECT count(*) FROM audit_event e JOIN alert a ON e.subject_id = a.public_id::text
                JOIN person_record pr ON pr.id = a.person_record_id
                WHERE e.action = 'ALERT_RAISED' AND pr.identity_id = ?""")
                .param(s.identityId)
                .query(Long.class)
                .single();
    }

    @Test
    void manyRowsAboutOneChildAreOneEvaluationAndRaiseEachAlertOnce() {
        AlertScenario s = new AlertScenario(data, jdbc);
        // The scenario's writes left rows through the triggers; add many more about the same child, of every kind.
        for (int i = 0; i < 40; i++) {
            jdbc.sql(
                            """
                    INSERT INTO alert_outbox (subject_kind, subject_id)
                    SELECT 'person_record', id FROM person_record WHERE identity_id = ?""")
                    .param(s.identityId)
                    .update();
            jdbc.sql("INSERT INTO alert_outbox (subject_kind, subject_id) VALUES ('episode', ?)")
                    .param(s.episode)
                    .update();
        }
        long rows = outbox();
        assertThat(rows).isGreaterThan(160).isLessThan(AlertWorker.BATCH);
        // The children concerned, computed here: the child, and the two other children linked to the same flat.
        long concerned = jdbc.sql(
                        """
                SELECT count(DISTINCT pr.identity_id) FROM association x JOIN person_record pr
                ON x.from_kind = 'person_record' AND pr.id = x.from_id WHERE x.to_kind = 'location' AND x.to_id = ?""")
                .param(s.flat)
                .query(Long.class)
                .single();
        assertThat(concerned).isEqualTo(3);

        AlertWorker.Batch batch = worker.drainBatch();

        assertThat(batch.rows()).as("every row taken in one batch").isEqualTo((int) rows);
        assertThat(batch.children()).as("one evaluation per child, not per row").isEqualTo((int) concerned);
        assertThat(outbox()).isZero();
        long alerts = alertsOf(s);
        assertThat(alerts).as("the scenario's alerts").isGreaterThanOrEqualTo(3);
        assertThat(raisedAudits(s)).as("each raised once").isEqualTo(alerts);

        // The same rows again: evaluated again, nothing raised twice.
        jdbc.sql(
                        """
                INSERT INTO alert_outbox (subject_kind, subject_id)
                SELECT 'person_record', id FROM person_record WHERE identity_id = ?""")
                .param(s.identityId)
                .update();
        AlertWorker.Batch again = worker.drainBatch();
        assertThat(again.children()).isGreaterThanOrEqualTo(1);
        assertThat(again.raised()).isZero();
        assertThat(alertsOf(s)).isEqualTo(alerts);
        assertThat(raisedAudits(s)).isEqualTo(alerts);
    }

    @Test
    void aBatchLoadsEachChildsOwnFacts() {
        AlertScenario a = new AlertScenario(data, jdbc);
        AlertScenario b = new AlertScenario(data, jdbc);
        var facts = new FactsLoader(jdbc)
                .loadAll(java.util.List.of(a.identityId, b.identityId, -1L), java.time.Instant.now());
        for (AlertScenario s : java.util.List.of(a, b)) {
            ChildFacts f = facts.get(s.identityId);
            assertThat(f.records())
                    .extracting(ChildFacts.Rec::id)
                    .contains(s.policeRecord, s.findingRecord)
                    .hasSize(4);
            assertThat(f.episodes()).extracting(ChildFacts.Episode::id).containsExactly(s.episode);
            assertThat(f.placements()).hasSize(1);
            // The flat: two other children who were missing, one from the host area and one from a third area, both
            // other than this child's responsible authority.
            assertThat(f.links()).hasSize(1);
            ChildFacts.Link flat = f.links().get(0);
            assertThat(flat.otherId()).isEqualTo(s.flat);
            assertThat(flat.otherChildren()).isEqualTo(2);
            assertThat(flat.otherChildrenOtherArea()).isEqualTo(2);
            assertThat(flat.otherChildrenAreaUnknown()).isZero();
            assertThat(f.associatedEpisodes()).isEmpty();
        }
        assertThat(facts.get(-1L).records())
                .as("an identity without records has no facts")
                .isEmpty();
    }

    @Test
    void aChildAssociatedWithAnotherSeesEveryEpisodeOfThatChildAcrossItsRecords() {
        AlertScenario s = new AlertScenario(data, jdbc);
        // A friend known to two agencies, each with an episode, and one episode in another category; the scenario's
        // child is linked to one of the friend's episodes (not to a record), so the friend is found through it.
        long friend = data.identity();
        String police = data.agency("police_force");
        String authority = data.agency("local_authority");
        long friendPolice = friendRecord(police, friend);
        long friendAuthority = friendRecord(authority, friend);
        long linked = episode(police, friendPolice, "missing");
        long other = episode(authority, friendAuthority, "missing");
        episode(authority, friendAuthority, "away");
        long association = jdbc.sql(
                        """
                INSERT INTO association (agency_id, from_kind, from_id, to_kind, to_id, association_type, observed_at)
                SELECT id, 'person_record', ?, 'episode', ?, 'associate', now() FROM agency WHERE code = ? RETURNING id""")
                .params(s.policeRecord, linked, police)
                .query(Long.class)
                .single();

        var facts = new FactsLoader(jdbc).loadAll(java.util.List.of(s.identityId, friend), java.time.Instant.now());

        assertThat(facts.get(s.identityId).associatedEpisodes())
                .as("both agencies' missing episodes of the friend, through the one association")
                .extracting(ChildFacts.AssociatedEpisode::associationId, ChildFacts.AssociatedEpisode::episodeId)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple(association, linked),
                        org.assertj.core.groups.Tuple.tuple(association, other));
        assertThat(facts.get(friend).associatedEpisodes())
                .as("and the other way, the scenario child's episode")
                .extracting(ChildFacts.AssociatedEpisode::associationId, ChildFacts.AssociatedEpisode::episodeId)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(association, s.episode));
    }

    private long friendRecord(String agency, long identity) {
        return jdbc.sql(
                        """
                INSERT INTO person_record (agency_id, record_ref, given_name, family_name, identity_id, sex)
                SELECT id, ?, 'Nell', ?, ?, 'female' FROM agency WHERE code = ? RETURNING id""")
                .params(TestData.unique("REF"), TestData.unique("Ashdown"), identity, agency)
                .query(Long.class)
                .single();
    }

    private long episode(String agency, long record, String category) {
        return jdbc.sql(
                        """
                INSERT INTO missing_episode (agency_id, person_record_id, episode_ref, status, category, reported_at,
                                             found_at)
                SELECT id, ?, ?, 'found', ?, now() - interval '6 days', now() - interval '5 days'
                FROM agency WHERE code = ? RETURNING id""")
                .params(record, TestData.unique("EP"), category, agency)
                .query(Long.class)
                .single();
    }

    @Test
    void laterRowsAboutAChildInTheBatchAreTakenWithIt() {
        AlertScenario s = new AlertScenario(data, jdbc);
        worker.drain();
        long alerts = alertsOf(s);
        // One row about the child, a full batch of rows about nobody, then the child again: one batch takes all but
        // the filler beyond the batch, and the child is evaluated once.
        jdbc.sql("INSERT INTO alert_outbox (subject_kind, subject_id) VALUES ('person_record', ?)")
                .param(s.policeRecord)
                .update();
        jdbc.sql(
                        """
                INSERT INTO alert_outbox (subject_kind, subject_id)
                SELECT 'person_record', -g FROM generate_series(1, ?) g""")
                .param(AlertWorker.BATCH)
                .update();
        jdbc.sql("INSERT INTO alert_outbox (subject_kind, subject_id) VALUES ('person_record', ?)")
                .param(s.findingRecord)
                .update();

        AlertWorker.Batch batch = worker.drainBatch();

        assertThat(batch.rows())
                .as("the batch, and the later row about the same child")
                .isEqualTo(AlertWorker.BATCH + 1);
        assertThat(jdbc.sql("SELECT count(*) FROM alert_outbox WHERE subject_id > 0")
                        .query(Long.class)
                        .single())
                .as("no row about the child left behind")
                .isZero();
        assertThat(outbox())
                .as("the filler beyond the batch waits for the next")
                .isEqualTo(1);
        assertThat(batch.raised()).isZero();
        assertThat(alertsOf(s)).isEqualTo(alerts);
        worker.drain();
        assertThat(outbox()).isZero();
    }

    @Test
    void aBacklogDrainedByThreeWorkersRaisesEachAlertOnce() {
        AlertScenario reference = new AlertScenario(data, jdbc);
        int raisedByOne = worker.drain(1);
        long expected = alertsOf(reference);
        assertThat(expected).isGreaterThanOrEqualTo(3);
        // Three children of the same shape, each behind a full batch of rows about nobody, so that the batches
        // after the first (which shows the backlog) are taken by the workers side by side.
        List<AlertScenario> children = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            children.add(new AlertScenario(data, jdbc));
            jdbc.sql(
                            """
                    INSERT INTO alert_outbox (subject_kind, subject_id)
                    SELECT 'person_record', -g FROM generate_series(1, ?) g""")
                    .param(AlertWorker.BATCH)
                    .update();
        }

        int raised = worker.drain(3);

        assertThat(outbox()).isZero();
        for (AlertScenario child : children) {
            assertThat(alertsOf(child)).as("each child's alerts").isEqualTo(expected);
            assertThat(raisedAudits(child)).as("each raised once").isEqualTo(expected);
        }
        assertThat(raised)
                .as("the drain's count, summed over its workers (the other children at each flat included)")
                .isEqualTo(3 * raisedByOne);
    }

    @Test
    void aChildWhoseAlertsCannotBeWrittenDoesNotHoldUpTheOthers() {
        AlertScenario broken = new AlertScenario(data, jdbc);
        AlertScenario fine = new AlertScenario(data, jdbc);
        // A defect stand-in: the database refuses this one child's alerts (a trigger, created as the schema's owner).
        JdbcClient owner = JdbcClient.create(
                new DriverManagerDataSource(TestDatabase.url(), TestDatabase.user(), TestDatabase.password()));
        owner.sql(
                        """
                CREATE FUNCTION alert_batch_test_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF NEW.person_record_id IN (SELECT id FROM person_record WHERE identity_id = %d) THEN
                        RAISE EXCEPTION 'refused for the test';
                    END IF;
                    RETURN NEW;
                END $$"""
                                .formatted(broken.identityId))
                .update();
        owner.sql(
                        """
                CREATE TRIGGER alert_batch_test_refuse BEFORE INSERT ON alert FOR EACH ROW
                EXECUTE FUNCTION alert_batch_test_refuse()""")
                .update();
        try {
            worker.drain();
        } finally {
            owner.sql("DROP TRIGGER alert_batch_test_refuse ON alert").update();
            owner.sql("DROP FUNCTION alert_batch_test_refuse()").update();
        }
        assertThat(alertsOf(broken)).isZero();
        assertThat(alertsOf(fine))
                .as("the other child's alerts, written child by child")
                .isGreaterThanOrEqualTo(3);
        assertThat(raisedAudits(fine)).isEqualTo(alertsOf(fine));
        assertThat(outbox()).isZero();
        // Once the defect is gone, the child's next change raises its alerts (and leaves the shared database whole).
        jdbc.sql("INSERT INTO alert_outbox (subject_kind, subject_id) VALUES ('person_record', ?)")
                .param(broken.policeRecord)
                .update();
        worker.drain();
        assertThat(alertsOf(broken)).isEqualTo(alertsOf(fine));
    }
}
