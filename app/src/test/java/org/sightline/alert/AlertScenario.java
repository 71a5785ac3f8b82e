package org.sightline.alert;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.sightline.support.TestData;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The "done when" case, synthetic and written straight to the database: a looked-after child placed by one
 * authority with a care provider in another authority's area goes missing from the placement and is reported to the
 * home force; 40 hours later another force finds the child at a flat that two other missing children (one from
 * another area) are linked to. No return interview follows within 72 hours (the find was four days ago).
 */
final class AlertScenario {

    final Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    final String homeForce;
    final String findingForce;
    final String responsible;
    final String host;
    final String provider;
    final String stranger;
    final long identityId;
    final UUID identity;
    final long policeRecord;
    final long findingRecord;
    final long episode;
    final long flat;
    /**
     * The flat's address, unique to this scenario: places are matched by address across the whole (shared) database,
     * so another test's flat of the same address would be the same place and its children would count here too.
     */
    final String flatName = "Flat 3, Brook House "
            + java.util.concurrent.ThreadLocalRandom.current().nextInt(100_000, 1_000_000);

    final String given = "Tamsin";
    final String family = TestData.unique("Orrell");

    private final JdbcClient jdbc;

    AlertScenario(TestData data, JdbcClient jdbc) {
        this(data, jdbc, false);
    }

    /**
     * With {@code ownRecordings}, each other child's authority writes the flat down itself ("flat 3 brook house",
     * "zz1 1zz"): three recordings that the network's place matching makes one place.
     */
    AlertScenario(TestData data, JdbcClient jdbc, boolean ownRecordings) {
        this.jdbc = jdbc;
        homeForce = data.agency("police_force");
        findingForce = data.agency("police_force");
        responsible = data.agency("local_authority");
        host = data.agency("local_authority");
        provider = data.agency("care_provider");
        stranger = data.agency("local_authority");
        identityId = data.identity();
        identity = jdbc.sql("SELECT public_id FROM identity WHERE id = ?")
                .param(identityId)
                .query(UUID.class)
                .single();
        long authorityRecord = record(responsible, identityId, "looked_after", responsible);
        long providerRecord = record(provider, identityId, "looked_after", responsible);
        jdbc.sql(
                        """
                INSERT INTO person_placement (person_record_id, placement_start, host_authority, placement_type)
                VALUES (?, ?, ?, 'children_home')""")
                .params(providerRecord, LocalDate.now().minusMonths(3), host)
                .update();
        policeRecord = record(homeForce, identityId, "not_recorded", null);
        findingRecord = record(findingForce, identityId, "not_recorded", null);
        Instant lastSeen = ago(Duration.ofDays(5).plusHours(16));
        Instant found = ago(Duration.ofDays(4));
        episode = jdbc.sql(
                        """
                INSERT INTO missing_episode (agency_id, person_record_id, episode_ref, status, reported_at, last_seen_at,
                                             missing_from, found_at, found_place)
                SELECT id, ?, ?, 'found', ?, ?, 'care', ?, 'Flat 3' FROM agency WHERE code = ? RETURNING id""")
                .params(
                        policeRecord,
                        TestData.unique("EP"),
                        ts(lastSeen.plusSeconds(1800)),
                        ts(lastSeen),
                        ts(found),
                        homeForce)
                .query(Long.class)
                .single();
        jdbc.sql(
                        """
                INSERT INTO episode_event (episode_id, event_type, occurred_at, recorded_at, recorded_by,
                                           recorded_by_agency, place)
                SELECT ?, 'found', ?, ?, 'PC Finder', name, 'Flat 3' FROM agency WHERE code = ?""")
                .params(episode, ts(found), ts(found), findingForce)
                .update();
        flat = jdbc.sql(
                        """
                INSERT INTO location (agency_id, location_ref, kind, name, postcode)
                SELECT id, ?, 'flat', ?, 'ZZ1 1ZZ' FROM agency WHERE code = ? RETURNING id""")
                .params(TestData.unique("LOC"), flatName, findingForce)
                .query(Long.class)
                .single();
        // Two other children, missing before, linked to the same flat; one is the host authority's own child.
        for (String area : new String[] {host, stranger}) {
            long other = data.identity();
            long otherRecord = record(area, other, "looked_after", area);
            jdbc.sql(
                            """
                    INSERT INTO missing_episode (agency_id, person_record_id, episode_ref, status, reported_at, missing_from,
                                                 found_at)
                    SELECT id, ?, ?, 'found', ?, 'care', ? FROM agency WHERE code = ?""")
                    .params(
                            otherRecord,
                            TestData.unique("EP"),
                            ts(ago(Duration.ofDays(30))),
                            ts(ago(Duration.ofDays(29))),
                            area)
                    .update();
            long where = ownRecordings
                    ? jdbc.sql(
                                    """
                    INSERT INTO location (agency_id, location_ref, kind, name, postcode)
                    SELECT id, ?, 'flat', ?, 'zz1 1zz' FROM agency WHERE code = ? RETURNING id""")
                            .params(
                                    TestData.unique("LOC"),
                                    flatName.toLowerCase(java.util.Locale.ROOT).replace(",", " "),
                                    area)
                            .query(Long.class)
                            .single()
                    : flat;
            link(area, otherRecord, "seen_at", ago(Duration.ofDays(29)), where);
        }
        link(findingForce, findingRecord, "found_at", found, flat);
    }

    Instant ago(Duration d) {
        return now.minus(d);
    }

    String name(String code) {
        return jdbc.sql("SELECT name FROM agency WHERE code = ?")
                .param(code)
                .query(String.class)
                .single();
    }

    long agencyId(String code) {
        return jdbc.sql("SELECT id FROM agency WHERE code = ?")
                .param(code)
                .query(Long.class)
                .single();
    }

    private long record(String agency, long identity, String care, String responsibleAuthority) {
        return jdbc.sql(
                        """
                INSERT INTO person_record (agency_id, record_ref, given_name, family_name, dob_year, dob_month, dob_day,
                                           identity_id, sex, care_status, responsible_authority)
                SELECT id, ?, ?, ?, 2011, 4, 2, ?, 'female', ?, ? FROM agency WHERE code = ? RETURNING id""")
                .params(TestData.unique("REF"), given, family, identity, care, responsibleAuthority, agency)
                .query(Long.class)
                .single();
    }

    private void link(String agency, long record, String type, Instant at, long location) {
        jdbc.sql(
                        """
                INSERT INTO association (agency_id, from_kind, from_id, to_kind, to_id, association_type, observed_at)
                SELECT id, 'person_record', ?, 'location', ?, ?, ? FROM agency WHERE code = ?""")
                .params(record, location, type, ts(at), agency)
                .update();
    }

    private static Timestamp ts(Instant i) {
        return i == null ? null : Timestamp.from(i);
    }
}
