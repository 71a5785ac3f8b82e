package org.sightline.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sightline.access.Roles;
import org.sightline.access.SightlineUser;
import org.sightline.access.UserAccounts;
import org.sightline.audit.AuditVerifier;
import org.sightline.person.PartialDate;
import org.sightline.person.PersonRecords;
import org.sightline.shared.NotFoundException;
import org.sightline.shared.Progress;
import org.sightline.statistics.MissingStatistics;
import org.sightline.statistics.ProfileQuery;
import org.sightline.support.IntegrationTest;
import org.sightline.support.TestData;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Erasing a person record over the real application: it leaves search, its identity (re-formed from what remains,
 * removed when nothing does), the engine's online index (an identical record saved afterwards matches nothing),
 * statistics and the network, in one transaction; the audit records that it happened without what it held, keeps
 * every earlier entry, and its chain still verifies. Names are made up and unique per test.
 */
@IntegrationTest
class RetentionErasureTest {

    private static final Random RANDOM = new Random();

    @Autowired
    RetentionActions actions;

    @Autowired
    PersonRecords people;

    @Autowired
    MissingStatistics statistics;

    @Autowired
    AuditVerifier verifier;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    TestData data;

    @Autowired
    UserAccounts accounts;

    @Autowired
    PlatformTransactionManager transactions;

    @Autowired
    MockMvc mvc;

    @Autowired
    ObjectMapper json;

    String force;
    String authority;
    SightlineUser admin;
    SightlineUser officer;
    String family;
    String dob;

    @BeforeEach
    void setUp() {
        force = data.agency("police_force");
        authority = data.agency("local_authority");
        admin = accounts.loadUserByUsername(data.user("SIGHTLINE", Roles.ADMIN));
        officer = accounts.loadUserByUsername(data.user(force, Roles.POLICE_OFFICER));
        StringBuilder s = new StringBuilder().append((char) ('A' + RANDOM.nextInt(26)));
        for (int i = 0; i < 9; i++) {
            s.append((char) ('a' + RANDOM.nextInt(26)));
        }
        family = s.toString();
        dob = LocalDate.of(2008, 1, 1).plusDays(RANDOM.nextInt(1_500)).toString();
    }

    private long agencyId(String code) {
        return jdbc.sql("SELECT id FROM agency WHERE code = ?")
                .param(code)
                .query(Long.class)
                .single();
    }

    /** A record saved through the person service in a transaction of its own: resolved online as it is saved. */
    private long create(String agency) {
        return new TransactionTemplate(transactions).execute(tx -> people.create(
                        agencyId(agency),
                        new PersonRecords.NewRecord(
                                TestData.unique("REF"),
                                "Maisie",
                                family,
                                PartialDate.parseIso(dob),
                                "female",
                                null,
                                null,
                                null,
                                null,
                                null,
                                null,
                                null,
                                Instant.now()))
                .id());
    }

    private Long identityOf(long record) {
        return jdbc.sql("SELECT identity_id FROM person_record WHERE id = ?")
                .param(record)
                .query(Long.class)
                .single();
    }

    private UUID publicId(long record) {
        return jdbc.sql("SELECT public_id FROM person_record WHERE id = ?")
                .param(record)
                .query(UUID.class)
                .single();
    }

    private long count(String sql, Object... params) {
        return jdbc.sql(sql).params(List.of(params)).query(Long.class).single();
    }

    private long episode(String agency, long record) {
        return jdbc.sql(
                        """
                INSERT INTO missing_episode (agency_id, person_record_id, episode_ref, reported_at)
                VALUES (?, ?, ?, now() - interval '2 days') RETURNING id""")
                .params(agencyId(agency), record, TestData.unique("E"))
                .query(Long.class)
                .single();
    }

    /** The records found by the API's search for this test's child, as a police officer of the force. */
    private List<String> searched() throws Exception {
        return searched(officer);
    }

    private List<String> searched(SightlineUser who) throws Exception {
        String body = mvc.perform(post("/api/v1/records/search")
                        .with(user(who))
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"familyName\": \"" + family + "\"}"))
                .andReturn()
                .getResponse()
                .getContentAsString();
        List<String> ids = new java.util.ArrayList<>();
        for (JsonNode n : json.readTree(body)) {
            ids.add(n.get("publicId").asString());
        }
        return ids;
    }

    @Test
    void anErasedRecordLeavesSearchIdentityIndexStatisticsAndNetwork() throws Exception {
        long kept = create(authority);
        long erased = create(force);
        Long identity = identityOf(kept);
        assertThat(identityOf(erased)).as("the same child, joined online").isEqualTo(identity);
        UUID erasedId = publicId(erased);
        long episodeId = episode(force, erased);
        episode(authority, kept);
        long adult = jdbc.sql("INSERT INTO adult_of_concern (agency_id, adult_ref) VALUES (?, ?) RETURNING id")
                .params(agencyId(force), TestData.unique("A"))
                .query(Long.class)
                .single();
        jdbc.sql(
                        """
                INSERT INTO association (agency_id, from_kind, from_id, to_kind, to_id, association_type)
                VALUES (?, 'episode', ?, 'adult', ?, 'seen_with'), (?, 'person_record', ?, 'adult', ?, 'associate')""")
                .params(agencyId(force), episodeId, adult, agencyId(force), erased, adult)
                .update();
        long runId = jdbc.sql(
                        """
                INSERT INTO import_run (agency_id, kind, file_name, sha256, status, started_by, started_at)
                SELECT agency_id, 'person-records', 'f.csv', 'x', 'completed', 'test', now() FROM person_record WHERE id = ?
                RETURNING id""")
                .param(erased)
                .query(Long.class)
                .single();
        jdbc.sql(
                        """
                INSERT INTO import_quarantine (run_id, line, row_ref, raw, errors)
                SELECT ?, 2, record_ref, jsonb_build_object('record_ref', record_ref), '[]' FROM person_record WHERE id = ?""")
                .params(runId, erased)
                .update();
        // Earlier entries about the record, which must survive it.
        mvc.perform(
                org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get("/api/v1/records/" + erasedId)
                        .with(user(officer)));
        long entriesBefore = count("SELECT count(*) FROM audit_event WHERE subject_id = ?", erasedId.toString());
        assertThat(entriesBefore).isPositive();

        var before = statistics.figures(new ProfileQuery(force, null, null, LocalDate.now()));
        assertThat(before.records()).isEqualTo(1);
        assertThat(searched()).contains(erasedId.toString(), publicId(kept).toString());

        RetentionActions.Erased result =
                actions.erase(admin, RecordType.PERSON_RECORD, erasedId, "Retention period ended");
        assertThat(result.episodes()).isEqualTo(1);
        assertThat(result.links()).isEqualTo(2);
        assertThat(result.quarantinedRows()).isEqualTo(1);
        assertThat(result.identityRemoved()).isFalse();

        assertThat(count("SELECT count(*) FROM person_record WHERE id = ?", erased))
                .isZero();
        assertThat(count("SELECT count(*) FROM missing_episode WHERE person_record_id = ?", erased))
                .isZero();
        assertThat(count(
                        "SELECT count(*) FROM association WHERE (from_kind = 'episode' AND from_id = ?) OR (from_kind = 'person_record' AND from_id = ?)",
                        episodeId,
                        erased))
                .isZero();
        assertThat(count("SELECT count(*) FROM import_quarantine WHERE run_id = ?", runId))
                .isZero();
        assertThat(count("SELECT count(*) FROM identity_link WHERE record_a = ? OR record_b = ?", erased, erased))
                .isZero();
        assertThat(identityOf(kept))
                .as("the child's other record keeps the identity")
                .isEqualTo(identity);

        // Statistics count from the tables: the force's episode is gone, the authority's stays.
        assertThat(statistics
                        .figures(new ProfileQuery(force, null, null, LocalDate.now()))
                        .records())
                .isZero();
        assertThat(statistics
                        .figures(new ProfileQuery(authority, null, null, LocalDate.now()))
                        .records())
                .isEqualTo(1);
        // The officer's own record is gone; whether the officer still sees the authority's depends on other
        // relationships (an alert routed to the force gives one), so the authority's social worker looks.
        assertThat(searched()).doesNotContain(erasedId.toString());
        SightlineUser worker = accounts.loadUserByUsername(data.user(authority, Roles.SOCIAL_WORKER));
        assertThat(searched(worker)).containsExactly(publicId(kept).toString());

        // The audit says who, when, why and which record, not what it held; earlier entries stay; the chain verifies.
        var entry = jdbc.sql(
                        "SELECT actor, reason, details, subject_type FROM audit_event WHERE action = 'ERASE' AND subject_id = ?")
                .param(erasedId.toString())
                .query((rs, n) -> List.of(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)))
                .single();
        assertThat(entry.get(0)).isEqualTo(admin.username());
        assertThat(entry.get(1)).isEqualTo("Retention period ended");
        assertThat(entry.get(2)).contains("id=" + erased, "episodes=1").doesNotContain(family, "Maisie", dob);
        assertThat(entry.get(3)).isEqualTo("person_record");
        assertThat(count("SELECT count(*) FROM audit_event WHERE subject_id = ?", erasedId.toString()))
                .isEqualTo(entriesBefore + 1);
        assertThat(verifier.verify(Progress.NONE).intact())
                .as(verifier.verify(Progress.NONE).describe())
                .isTrue();

        // A second erasure of the same record finds nothing (and changes nothing).
        assertThatThrownBy(() -> actions.erase(admin, RecordType.PERSON_RECORD, erasedId, "again"))
                .isInstanceOf(NotFoundException.class);
    }

    @Test
    void anIdenticalRecordSavedAfterTheErasureNoLongerMatchesIt() {
        long alone = create(force);
        Long identity = identityOf(alone);
        actions.erase(admin, RecordType.PERSON_RECORD, publicId(alone), "Created in error");
        assertThat(count("SELECT count(*) FROM identity WHERE id = ?", identity))
                .as("an identity with no record left is removed")
                .isZero();

        long again = create(force);
        assertThat(identityOf(again)).isNotNull().isNotEqualTo(identity);
        // Matched with nothing of this child: the erased record left the online index. (The shared database also
        // holds generated children; one of the same given name and date of birth may be proposed for review.)
        for (String table : List.of("identity_link", "identity_review")) {
            assertThat(count(
                            """
                    SELECT count(*) FROM %s x LEFT JOIN person_record o
                    ON o.id = CASE WHEN x.record_a = ? THEN x.record_b ELSE x.record_a END
                    WHERE (x.record_a = ? OR x.record_b = ?) AND (o.id IS NULL OR o.family_name = ?)"""
                                    .formatted(table),
                            again,
                            again,
                            again,
                            family))
                    .as("%s rows between the new record and this child's others", table)
                    .isZero();
        }

        // A record held by another agency still matches the child's remaining record, not the erased one.
        long third = create(authority);
        assertThat(identityOf(third)).isEqualTo(identityOf(again));
    }

    @Test
    void anIdentityJoinedOnlyThroughTheErasedRecordIsReformed() {
        // A chain made by hand: x – y – z, each link evidence of the engine; erasing y leaves x and z unconnected.
        long identity = data.identity();
        long[] r = new long[3];
        for (int i = 0; i < 3; i++) {
            UUID p = data.personRecord(force, "Chain" + i, family, 2010, 1, 1, identity);
            r[i] = jdbc.sql("SELECT id FROM person_record WHERE public_id = ?")
                    .param(p)
                    .query(Long.class)
                    .single();
        }
        // A fourth record of the identity, joined to x by a supervisor: it stays with x.
        UUID fourth = data.personRecord(authority, "Chain3", family, 2010, 1, 1, identity);
        long w = jdbc.sql("SELECT id FROM person_record WHERE public_id = ?")
                .param(fourth)
                .query(Long.class)
                .single();
        jdbc.sql(
                        """
                INSERT INTO identity_link (identity_id, record_a, record_b, weight, probability, evidence, source)
                VALUES (?, ?, ?, 20, 0.99, 'e', 'engine'), (?, ?, ?, 20, 0.99, 'e', 'engine'),
                       (?, ?, ?, 20, 0.99, 'supervisor decision: same child', 'supervisor')""")
                .params(identity, r[0], r[1], identity, r[1], r[2], identity, r[0], w)
                .update();

        RetentionActions.Erased result =
                actions.erase(admin, RecordType.PERSON_RECORD, publicId(r[1]), "Duplicate entered in error");

        assertThat(result.identitiesSplit()).isEqualTo(1);
        assertThat(identityOf(r[0])).as("the larger piece keeps the number").isEqualTo(identity);
        assertThat(identityOf(w)).isEqualTo(identity);
        Long other = identityOf(r[2]);
        assertThat(other).isNotNull().isNotEqualTo(identity);
        assertThat(count("SELECT count(*) FROM identity_link WHERE identity_id = ?", identity))
                .isEqualTo(1);
    }

    @Test
    void anEpisodeAnAdultAndAnImportRunAreErasedOnTheirOwn() {
        long record = create(force);
        long episodeId = episode(force, record);
        UUID episodePublic = jdbc.sql("SELECT public_id FROM missing_episode WHERE id = ?")
                .param(episodeId)
                .query(UUID.class)
                .single();
        var adult = jdbc.sql(
                        "INSERT INTO adult_of_concern (agency_id, adult_ref) VALUES (?, ?) RETURNING id, public_id")
                .params(agencyId(force), TestData.unique("A"))
                .query((rs, n) -> new Object[] {rs.getLong(1), rs.getObject(2, UUID.class)})
                .single();
        jdbc.sql(
                        """
                INSERT INTO association (agency_id, from_kind, from_id, to_kind, to_id, association_type)
                VALUES (?, 'person_record', ?, 'adult', ?, 'associate')""")
                .params(agencyId(force), record, adult[0])
                .update();
        var run = jdbc.sql(
                        """
                INSERT INTO import_run (agency_id, kind, file_name, sha256, status, started_by, started_at)
                VALUES (?, 'person-records', 'f.csv', 'x', 'completed', 'test', now()) RETURNING id, public_id""")
                .param(agencyId(force))
                .query((rs, n) -> new Object[] {rs.getLong(1), rs.getObject(2, UUID.class)})
                .single();
        jdbc.sql("INSERT INTO import_quarantine (run_id, line, row_ref, raw, errors) VALUES (?, 2, 'x', '{}', '[]')")
                .param(run[0])
                .update();
        assertThat(statistics
                        .figures(new ProfileQuery(force, null, null, LocalDate.now()))
                        .records())
                .isEqualTo(1);

        actions.erase(admin, RecordType.MISSING_EPISODE, episodePublic, "Reported in error");
        assertThat(count("SELECT count(*) FROM missing_episode WHERE id = ?", episodeId))
                .isZero();
        assertThat(count("SELECT count(*) FROM person_record WHERE id = ?", record))
                .isEqualTo(1);
        assertThat(statistics
                        .figures(new ProfileQuery(force, null, null, LocalDate.now()))
                        .records())
                .isZero();

        RetentionActions.Erased adultErased =
                actions.erase(admin, RecordType.ADULT, (UUID) adult[1], "No longer of concern");
        assertThat(adultErased.links()).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM adult_of_concern WHERE id = ?", adult[0]))
                .isZero();
        assertThat(count(
                        "SELECT count(*) FROM association WHERE (to_kind = 'adult' AND to_id = ?) OR (from_kind = 'person_record' AND from_id = ?)",
                        adult[0],
                        record))
                .isZero();

        RetentionActions.Erased runErased =
                actions.erase(admin, RecordType.IMPORT_RUN, (UUID) run[1], "Corrected at source");
        assertThat(runErased.quarantinedRows()).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM import_run WHERE id = ?", run[0]))
                .isZero();
        assertThat(count(
                        "SELECT count(*) FROM audit_event WHERE action = 'ERASE' AND subject_id IN (?, ?, ?)",
                        episodePublic.toString(),
                        adult[1].toString(),
                        run[1].toString()))
                .isEqualTo(3);
    }
}
