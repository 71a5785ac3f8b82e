package org.sightline.child;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.sightline.access.Roles;
import org.sightline.access.SightlineUser;
import org.sightline.access.UserAccounts;
import org.sightline.support.TestData;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * One synthetic child held by a police force, an authority and a care provider, with a second force where the
 * child was once found. Written straight to the database, times relative to now:
 * <ul>
 *   <li>incident A (10 days ago): the force, the authority and the second force each record it (one incident);
 *       the second force's record shows the child was found outside the home force area; no return interview;</li>
 *   <li>incident B (60 days ago): the care provider only; return interview completed;</li>
 *   <li>incident C (200 days ago): the force only;</li>
 *   <li>incident D (open, 6 hours ago): the force, graded medium then high, with a grab profile;</li>
 *   <li>a concern raised by the authority 20 days ago, screened "significant" 19 days ago, linked to an adult
 *       and a place;</li>
 *   <li>ethnicity: White British (authority), Not known (force), not recorded (provider).</li>
 * </ul>
 * So: 4 incidents from 6 episode records; 2 in 30 days, 3 in 90, 4 in 365.
 */
final class ChildFixture {

    final Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    final String force;
    final String otherForce;
    final String authority;
    final String provider;
    final String stranger;
    final String forceName;
    final String otherForceName;
    final String authorityName;
    final String providerName;
    final UUID identity;
    final long identityId;
    final String given = "Marla";
    final String family = TestData.unique("Quennell");
    final SightlineUser officer;
    final SightlineUser socialWorker;
    final SightlineUser strangerCarer;
    final long policeRecord;
    final long authorityRecord;
    final long providerRecord;

    private final JdbcClient jdbc;

    ChildFixture(TestData data, UserAccounts accounts, JdbcClient jdbc) {
        this.jdbc = jdbc;
        force = data.agency("police_force");
        otherForce = data.agency("police_force");
        authority = data.agency("local_authority");
        provider = data.agency("care_provider");
        stranger = data.agency("care_provider");
        forceName = name(force);
        otherForceName = name(otherForce);
        authorityName = name(authority);
        providerName = name(provider);
        officer = accounts.loadUserByUsername(data.user(force, Roles.POLICE_OFFICER));
        socialWorker = accounts.loadUserByUsername(data.user(authority, Roles.SOCIAL_WORKER));
        strangerCarer = accounts.loadUserByUsername(data.user(stranger, Roles.CARE_STAFF));
        identityId = data.identity();
        identity = jdbc.sql("SELECT public_id FROM identity WHERE id = ?")
                .param(identityId)
                .query(UUID.class)
                .single();
        policeRecord = record(force, 2011, 4, 2, "not_known", null, null);
        authorityRecord = record(authority, 2011, 2, 4, "recorded", "WBRI", authority);
        providerRecord = record(provider, 2011, 4, 2, "not_recorded", null, authority);
        link(
                policeRecord,
                authorityRecord,
                "given_name=exact:+6.1; family_name=exact:+9.0; dob=dm_swap:+4.2; "
                        + "sex=exact:+0.9; postcode=else:-1.3; tf:given_name+family_name=joint:+1.5");
        link(
                authorityRecord,
                providerRecord,
                "given_name=exact:+6.1; family_name=phonetic:+4.0; dob=exact:+8.0; " + "postcode=exact:+5.0");

        // Incident A: three agencies, one period.
        long a1 = episode(
                policeRecord,
                force,
                ago(Duration.ofDays(10)),
                ago(Duration.ofDays(10).plusHours(1)),
                ago(Duration.ofDays(9)),
                "Ashford bus station",
                "closed");
        grading(a1, "medium", ago(Duration.ofDays(10).minusHours(1)));
        episode(
                authorityRecord,
                authority,
                ago(Duration.ofDays(10).minusHours(3)),
                null,
                ago(Duration.ofDays(9).minusHours(1)),
                null,
                "found");
        episode(
                policeRecord,
                otherForce,
                ago(Duration.ofDays(9).plusHours(2)),
                null,
                ago(Duration.ofDays(9)),
                "Ashford bus station",
                "found");
        // Incident B: the provider only, return interview completed.
        long b = episode(
                providerRecord, provider, ago(Duration.ofDays(60)), null, ago(Duration.ofDays(59)), null, "closed");
        jdbc.sql(
                        "UPDATE missing_episode SET return_interview_status = 'completed', return_interview_at = ? WHERE id = ?")
                .params(ts(ago(Duration.ofDays(58))), b)
                .update();
        // Incident C: long ago.
        episode(policeRecord, force, ago(Duration.ofDays(200)), null, ago(Duration.ofDays(199)), null, "closed");
        // Incident D: missing now, graded medium then high.
        long d = episode(policeRecord, force, ago(Duration.ofHours(5)), ago(Duration.ofHours(6)), null, null, "graded");
        grading(d, "medium", ago(Duration.ofHours(4)));
        grading(d, "high", ago(Duration.ofHours(3)));
        jdbc.sql("UPDATE missing_episode SET current_risk_grade = 'high' WHERE id = ?")
                .param(d)
                .update();
        jdbc.sql(
                        """
                INSERT INTO grab_profile (episode_id, description, clothing, phones, recorded_at)
                VALUES (?, 'Slight build, red hair', 'Green parka', 'Uses a prepaid phone', ?)""")
                .params(d, ts(ago(Duration.ofHours(5))))
                .update();
        // A concern screened significant, linked to an adult and a place.
        long concern = jdbc.sql(
                        """
                INSERT INTO exploitation_concern (agency_id, person_record_id, concern_ref, status, raised_at, raised_by)
                SELECT id, ?, ?, 'screened', ?, 'Test worker' FROM agency WHERE code = ? RETURNING id""")
                .params(authorityRecord, TestData.unique("CON"), ts(ago(Duration.ofDays(20))), authority)
                .query(Long.class)
                .single();
        jdbc.sql(
                        """
                INSERT INTO screening (concern_id, instrument_code, instrument_version, answers, score, band, score_band,
                                       assessed_by, assessed_at)
                VALUES (?, 'seraf', '1', '{}'::jsonb, 17, 'significant', 'significant', 'Test screener', ?)""")
                .params(concern, ts(ago(Duration.ofDays(19))))
                .update();
        long adult = jdbc.sql(
                        """
                INSERT INTO adult_of_concern (agency_id, adult_ref, given_name, family_name, dob_year)
                SELECT id, ?, 'Dorian', 'Vexley', 1990 FROM agency WHERE code = ? RETURNING id""")
                .params(TestData.unique("WAD"), authority)
                .query(Long.class)
                .single();
        long place = jdbc.sql(
                        """
                INSERT INTO location (agency_id, location_ref, kind, name, postcode)
                SELECT id, ?, 'takeaway', 'Night Owl Kebabs', 'ZZ9 9ZZ' FROM agency WHERE code = ? RETURNING id""")
                .params(TestData.unique("LOC"), authority)
                .query(Long.class)
                .single();
        associate(concern, "adult", adult, "seen_with");
        associate(concern, "location", place, "frequents");
    }

    Instant ago(Duration d) {
        return now.minus(d);
    }

    private String name(String code) {
        return jdbc.sql("SELECT name FROM agency WHERE code = ?")
                .param(code)
                .query(String.class)
                .single();
    }

    private long record(
            String agency,
            int year,
            int month,
            int day,
            String ethnicityStatus,
            String ethnicityCode,
            String responsibleAuthority) {
        return jdbc.sql(
                        """
                INSERT INTO person_record (agency_id, record_ref, given_name, family_name, dob_year, dob_month, dob_day,
                                           identity_id, sex, ethnicity_status, ethnicity_code, ethnicity_scheme,
                                           responsible_authority, care_status)
                SELECT id, ?, ?, ?, ?, ?, ?, ?, 'female', ?, ?, CASE WHEN ?::text IS NULL THEN NULL ELSE 'DFE' END, ?,
                       'looked_after'
                FROM agency WHERE code = ? RETURNING id""")
                .params(
                        TestData.unique("REF"),
                        given,
                        family,
                        year,
                        month,
                        day,
                        identityId,
                        ethnicityStatus,
                        ethnicityCode,
                        ethnicityCode,
                        responsibleAuthority,
                        agency)
                .query(Long.class)
                .single();
    }

    private void link(long a, long b, String evidence) {
        jdbc.sql(
                        """
                INSERT INTO identity_link (identity_id, record_a, record_b, weight, probability, evidence, source)
                VALUES (?, ?, ?, 20, 0.999, ?, 'engine')""")
                .params(identityId, Math.min(a, b), Math.max(a, b), evidence)
                .update();
    }

    private long episode(
            long record,
            String agency,
            Instant reported,
            Instant lastSeen,
            Instant found,
            String foundPlace,
            String status) {
        return jdbc.sql(
                        """
                INSERT INTO missing_episode (agency_id, person_record_id, episode_ref, status, reported_at, last_seen_at,
                                             last_seen_place, missing_from, found_at, found_place, closed_at)
                SELECT id, ?, ?, ?, ?, ?, 'Meadow House', 'care', ?, ?, CASE WHEN ?::text = 'closed' THEN ?::timestamptz END
                FROM agency WHERE code = ? RETURNING id""")
                .params(
                        record,
                        TestData.unique("EP"),
                        status,
                        ts(reported),
                        ts(lastSeen),
                        ts(found),
                        foundPlace,
                        status,
                        found == null ? null : ts(found.plus(Duration.ofDays(3))),
                        agency)
                .query(Long.class)
                .single();
    }

    private void grading(long episode, String grade, Instant at) {
        jdbc.sql(
                        """
                INSERT INTO risk_grading (episode_id, grade_code, code_list_version, graded_by, graded_at)
                VALUES (?, ?, 'APP', 'PC Test', ?)""")
                .params(episode, grade, ts(at))
                .update();
    }

    private void associate(long concern, String kind, long id, String type) {
        jdbc.sql(
                        """
                INSERT INTO association (agency_id, from_kind, from_id, to_kind, to_id, association_type)
                SELECT id, 'concern', ?, ?, ?, ? FROM agency WHERE code = ?""")
                .params(concern, kind, id, type, authority)
                .update();
    }

    private static Timestamp ts(Instant i) {
        return i == null ? null : Timestamp.from(i);
    }
}
