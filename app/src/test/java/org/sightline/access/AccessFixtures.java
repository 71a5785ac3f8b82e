package org.sightline.access;

import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Synthetic facts written onto person records: what makes (or does not make) an agency's relationship with a child. */
final class AccessFixtures {

    private final JdbcClient jdbc;

    AccessFixtures(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    long id(UUID record) {
        return jdbc.sql("SELECT id FROM person_record WHERE public_id = ?")
                .param(record)
                .query(Long.class)
                .single();
    }

    long identityOf(UUID record) {
        return jdbc.sql("SELECT identity_id FROM person_record WHERE public_id = ?")
                .param(record)
                .query(Long.class)
                .single();
    }

    UUID identityPublicId(UUID record) {
        return jdbc.sql(
                        "SELECT i.public_id FROM person_record pr JOIN identity i ON i.id = pr.identity_id WHERE pr.public_id = ?")
                .param(record)
                .query(UUID.class)
                .single();
    }

    /** A missing episode recorded by the agency on the record. */
    UUID episode(UUID record, String agencyCode) {
        return jdbc.sql(
                        """
                INSERT INTO missing_episode (agency_id, person_record_id, episode_ref, reported_at)
                SELECT a.id, pr.id, 'MIS-TEST-' || gen_random_uuid(), now() FROM agency a, person_record pr
                WHERE a.code = ? AND pr.public_id = ? RETURNING public_id""")
                .params(agencyCode, record)
                .query(UUID.class)
                .single();
    }

    UUID concern(UUID record, String agencyCode) {
        return jdbc.sql(
                        """
                INSERT INTO exploitation_concern (agency_id, person_record_id, concern_ref, raised_at)
                SELECT a.id, pr.id, 'CON-TEST-' || gen_random_uuid(), now() FROM agency a, person_record pr
                WHERE a.code = ? AND pr.public_id = ? RETURNING public_id""")
                .params(agencyCode, record)
                .query(UUID.class)
                .single();
    }

    void placement(UUID record, String hostAuthority) {
        jdbc.sql(
                        """
                INSERT INTO person_placement (person_record_id, placement_start, host_authority)
                SELECT id, DATE '2025-01-06', ? FROM person_record WHERE public_id = ?""")
                .params(hostAuthority, record)
                .update();
    }

    void address(UUID record, String postcode) {
        jdbc.sql(
                        """
                INSERT INTO person_address (person_record_id, address_line, postcode)
                SELECT id, '1 Synthetic Row', ? FROM person_record WHERE public_id = ?""")
                .params(postcode, record)
                .update();
    }

    void set(UUID record, String column, String value) {
        // column names are fixed by the tests, never input
        jdbc.sql("UPDATE person_record SET " + column + " = ? WHERE public_id = ?")
                .params(value, record)
                .update();
    }

    long audits(String action, String subjectId, String actor) {
        return jdbc.sql("SELECT count(*) FROM audit_event WHERE action = ? AND subject_id = ? AND actor = ?")
                .params(action, subjectId, actor)
                .query(Long.class)
                .single();
    }
}
