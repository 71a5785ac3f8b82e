package org.sightline.network;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.sightline.support.IntegrationTest;
import org.sightline.support.TestData;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * An import writes its batches on two connections at once. Two batches whose episodes were found at the same new
 * places, met in opposite orders, deadlocked on the place's unique key and stopped a 100,000-episode import (E1000).
 * Both batches now commit, and each place is created once.
 */
@IntegrationTest
class FoundPlacesConcurrencyTest {

    private static final int PLACES = 5_000;

    @Autowired
    NetworkService network;

    @Autowired
    TransactionTemplate transactions;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    TestData data;

    @Test
    void twoBatchesFindingTheSamePlacesInOppositeOrdersBothCommit() throws Exception {
        String agency = data.agency("police_force");
        long agencyId = jdbc.sql("SELECT id FROM agency WHERE code = ?")
                .param(agency)
                .query(Long.class)
                .single();
        UUID record = data.personRecord(agency, "Ora", TestData.unique("Placed"), 2010, 2, 3, null);
        String street = TestData.unique("Street");
        // Batch one meets the places first to last, batch two last to first (episode ids ascend in each).
        List<String> one = episodes(agency, record, street, "ASC");
        List<String> two = episodes(agency, record, street, "DESC");

        CyclicBarrier start = new CyclicBarrier(2);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<Integer>> linked = new ArrayList<>();
            for (List<String> batch : List.of(one, two)) {
                linked.add(pool.submit(() -> transactions.execute(status -> {
                    try {
                        start.await(30, TimeUnit.SECONDS);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                    return network.recordFoundImported(agencyId, agency, "tester", batch, "test");
                })));
            }
            assertThat(linked.get(0).get(2, TimeUnit.MINUTES)).isEqualTo(PLACES);
            assertThat(linked.get(1).get(2, TimeUnit.MINUTES)).isEqualTo(PLACES);
            assertThat(jdbc.sql("SELECT count(DISTINCT matched_place_id) FROM location WHERE name LIKE ?")
                            .param("% " + street)
                            .query(Long.class)
                            .single())
                    .as("each address one place, whichever batch created it")
                    .isEqualTo(PLACES);
        } finally {
            pool.shutdownNow();
            forget(agencyId, street);
        }
    }

    /**
     * The suite shares one database: thousands of places and episodes of one child, and their alert outbox rows,
     * would slow every later network page and keep the alert worker busy for minutes.
     */
    private void forget(long agencyId, String street) {
        transactions.executeWithoutResult(t -> {
            Long[] links = jdbc.sql("SELECT id FROM association WHERE agency_id = ?")
                    .param(agencyId)
                    .query(Long.class)
                    .list()
                    .toArray(Long[]::new);
            Long[] episodes = jdbc.sql("SELECT id FROM missing_episode WHERE agency_id = ?")
                    .param(agencyId)
                    .query(Long.class)
                    .list()
                    .toArray(Long[]::new);
            List<Long> places = jdbc.sql("SELECT DISTINCT matched_place_id FROM location WHERE agency_id = ?")
                    .param(agencyId)
                    .query(Long.class)
                    .list();
            jdbc.sql("DELETE FROM association WHERE agency_id = ?")
                    .param(agencyId)
                    .update();
            jdbc.sql("DELETE FROM location WHERE agency_id = ?").param(agencyId).update();
            jdbc.sql("DELETE FROM missing_episode WHERE agency_id = ?")
                    .param(agencyId)
                    .update();
            jdbc.sql("DELETE FROM place p WHERE p.id = ANY(?) AND NOT EXISTS ("
                            + "SELECT 1 FROM location l WHERE l.matched_place_id = p.id OR l.place_id = p.id)")
                    .param(places.toArray(Long[]::new))
                    .update();
            // Deleting writes outbox rows too: all of them go once the rows they name are gone.
            jdbc.sql(
                            """
                    DELETE FROM alert_outbox WHERE (subject_kind = 'association' AND subject_id = ANY(:links))
                      OR (subject_kind = 'episode' AND subject_id = ANY(:episodes))""")
                    .param("links", links)
                    .param("episodes", episodes)
                    .update();
        });
    }

    /** An episode found at each of the street's houses, inserted (so numbered) in the house order given. */
    private List<String> episodes(String agency, UUID record, String street, String order) {
        String prefix = TestData.unique("EP");
        jdbc.sql(
                        """
                INSERT INTO missing_episode (agency_id, person_record_id, episode_ref, status, reported_at, last_seen_at,
                                             missing_from, category, current_risk_grade, found_at, found_place,
                                             found_postcode)
                SELECT a.id, pr.id, ? || '-' || i, 'closed', now() - interval '2 days', now() - interval '3 days', 'care',
                       'missing', 'medium', now() - interval '1 day', i || ' ' || ?,
                       'TS' || (1 + i %% 99) || ' ' || (i / 99 %% 10) || chr(65 + i / 990 %% 26) || chr(65 + i %% 26)
                FROM agency a, person_record pr, generate_series(0, ?) i WHERE a.code = ? AND pr.public_id = ?
                ORDER BY i %s"""
                                .formatted(order))
                .params(prefix, street, PLACES - 1, agency, record)
                .update();
        List<String> refs = new ArrayList<>();
        for (int i = 0; i < PLACES; i++) {
            refs.add(prefix + "-" + i);
        }
        return refs;
    }
}
