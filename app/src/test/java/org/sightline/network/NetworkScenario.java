package org.sightline.network;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.sightline.access.Roles;
import org.sightline.access.SightlineUser;
import org.sightline.access.UserAccounts;
import org.sightline.support.TestData;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Issue 10's case: two children, each looked after by a different authority, each reported missing to a different
 * force and found by it at the same flat, which the two forces write differently. Records and episodes are written
 * straight to the database; the found places are recorded by the caller (the service or the pages).
 */
final class NetworkScenario {

    final String la1;
    final String la2;
    final String force1;
    final String force2;
    final String officer1;
    final String officer2;
    final String supervisor;
    final long childA;
    final long childB;
    final UUID identityA;
    final UUID identityB;
    final long episodeA;
    final long episodeB;
    final UUID episodeAId;
    final UUID episodeBId;
    /** A postcode and house number of this scenario's own, so that no other test's place matches. */
    final String postcode;

    final int house;
    final String flatAsForce1Writes;
    final String flatAsForce2Writes;
    final String familyA;
    final String familyB;

    NetworkScenario(TestData data, JdbcClient jdbc) {
        la1 = data.agency("local_authority");
        la2 = data.agency("local_authority");
        force1 = data.agency("police_force");
        force2 = data.agency("police_force");
        jdbc.sql("UPDATE agency SET contact = 'MASH 0113 000 0000' WHERE code = ?")
                .param(la2)
                .update();
        officer1 = data.user(force1, Roles.POLICE_OFFICER);
        officer2 = data.user(force2, Roles.POLICE_OFFICER);
        supervisor = data.user(la1, Roles.SUPERVISOR);
        var random = ThreadLocalRandom.current();
        postcode = "ZZ" + random.nextInt(10) + " " + random.nextInt(10) + (char) ('A' + random.nextInt(26))
                + (char) ('A' + random.nextInt(26));
        house = 100 + random.nextInt(9000);
        flatAsForce1Writes = "Flat 2, " + house + " High St";
        flatAsForce2Writes = "flat 2 " + house + " high street, Leeds";
        familyA = TestData.unique("Netherby");
        familyB = TestData.unique("Oakridge");
        childA = data.identity();
        childB = data.identity();
        identityA = jdbc.sql("SELECT public_id FROM identity WHERE id = ?")
                .param(childA)
                .query(UUID.class)
                .single();
        identityB = jdbc.sql("SELECT public_id FROM identity WHERE id = ?")
                .param(childB)
                .query(UUID.class)
                .single();
        long laRecordA = record(data, jdbc, la1, "Ava", familyA, childA);
        long laRecordB = record(data, jdbc, la2, "Bea", familyB, childB);
        jdbc.sql("UPDATE person_record SET care_status = 'looked_after' WHERE id IN (?, ?)")
                .params(laRecordA, laRecordB)
                .update();
        long forceRecordA = record(data, jdbc, force1, "Ava", familyA, childA);
        long forceRecordB = record(data, jdbc, force2, "Bea", familyB, childB);
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        episodeA = episode(jdbc, forceRecordA, force1, now.minus(Duration.ofDays(12)));
        episodeB = episode(jdbc, forceRecordB, force2, now.minus(Duration.ofDays(6)));
        episodeAId = jdbc.sql("SELECT public_id FROM missing_episode WHERE id = ?")
                .param(episodeA)
                .query(UUID.class)
                .single();
        episodeBId = jdbc.sql("SELECT public_id FROM missing_episode WHERE id = ?")
                .param(episodeB)
                .query(UUID.class)
                .single();
    }

    private static long record(
            TestData data, JdbcClient jdbc, String agency, String given, String family, long identity) {
        UUID id = data.personRecord(agency, given, family, 2011, 4, 9, identity);
        return jdbc.sql("SELECT id FROM person_record WHERE public_id = ?")
                .param(id)
                .query(Long.class)
                .single();
    }

    private static long episode(JdbcClient jdbc, long record, String agency, Instant reported) {
        return jdbc.sql(
                        """
                INSERT INTO missing_episode (agency_id, person_record_id, episode_ref, status, reported_at, last_seen_at,
                                             missing_from, category, current_risk_grade)
                SELECT id, ?, ?, 'graded', ?, ?, 'care', 'missing', 'medium' FROM agency WHERE code = ? RETURNING id""")
                .params(
                        record,
                        TestData.unique("EP"),
                        Timestamp.from(reported),
                        Timestamp.from(reported.minusSeconds(3600)),
                        agency)
                .query(Long.class)
                .single();
    }

    /** Marks the episode found at the time given (what the found step writes on the episode itself). */
    static void markFound(JdbcClient jdbc, long episode, Instant at, String place, String postcode) {
        jdbc.sql(
                        "UPDATE missing_episode SET status = 'found', found_at = ?, found_place = ?, found_postcode = ? WHERE id = ?")
                .params(Timestamp.from(at), place, postcode, episode)
                .update();
    }

    static SightlineUser as(UserAccounts accounts, String username) {
        return accounts.loadUserByUsername(username);
    }
}
