package org.sightline.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sightline.access.AgencyScope.ChildAccess;
import org.sightline.audit.AuditLog;
import org.sightline.identity.IdentityResolver;
import org.sightline.importexport.ImportService;
import org.sightline.importexport.ImportService.ImportRequest;
import org.sightline.shared.TerminalProgress;
import org.sightline.support.IntegrationTest;
import org.sightline.support.TestData;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Access by relationship, not similarity (C8): each rule firing and not, and the spoofing attack through the real
 * import and relink paths.
 */
@IntegrationTest
class RelationshipAccessTest {

    private static final String PERSON_HEADER =
            "record_ref,agency_code,given_name,middle_names,family_name,aliases,dob,sex,"
                    + "ethnicity_code,ethnicity_scheme,address_line,postcode,upn,local_child_id,care_status,responsible_authority,"
                    + "cp_plan,known_to_social_care,recorded_at\n";

    @Autowired
    TestData data;

    @Autowired
    UserAccounts accounts;

    @Autowired
    AgencyScope scope;

    @Autowired
    ChildRelationships relationships;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    MockMvc mvc;

    @Autowired
    ImportService imports;

    @Autowired
    IdentityResolver resolver;

    @Autowired
    AuditLog audit;

    @Autowired
    Clock clock;

    @Autowired
    TransactionTemplate transaction;

    AccessFixtures facts;
    String kent;
    String force;
    String careHome;
    SightlineUser officer;
    UUID kentRecord;
    UUID forceRecord;
    long child;

    @BeforeEach
    void setUp() {
        facts = new AccessFixtures(jdbc);
        kent = data.agency("local_authority");
        force = data.agency("police_force");
        careHome = data.agency("care_provider");
        officer = accounts.loadUserByUsername(data.user(force, Roles.POLICE_OFFICER));
        child = data.identity();
        String family = TestData.unique("Quenby");
        kentRecord = data.personRecord(kent, "Rowan", family, 2010, 6, 14, child);
        facts.set(kentRecord, "care_status", "looked_after");
        forceRecord = data.personRecord(force, "Rowan", family, 2010, 6, 14, child);
    }

    private ChildAccess officerAccess() {
        return scope.childAccess(officer, child);
    }

    private boolean officerSeesKent() {
        return scope.canSeePersonRecord(officer, facts.id(kentRecord));
    }

    @Test
    void aBareLinkedRecordOpensNothing() {
        assertThat(officerAccess()).isEqualTo(ChildAccess.EXISTENCE_ONLY);
        assertThat(officerSeesKent()).isFalse();
        assertThat(scope.canSeePersonRecord(officer, facts.id(forceRecord)))
                .as("own records stay visible")
                .isTrue();
        assertThat(scope.otherHolders(officer, child))
                .extracting(AgencyScope.Holder::agencyName)
                .containsExactly("Test agency " + kent);
    }

    @Test
    void anEpisodeOnTheAgencysRecordIsARelationship() {
        facts.episode(forceRecord, force);
        assertThat(officerAccess()).isEqualTo(ChildAccess.FULL);
        assertThat(officerSeesKent()).isTrue();
        assertThat(scope.otherHolders(officer, child)).isEmpty();
    }

    @Test
    void anEpisodeTheAgencyRecordedOnAnotherAgencysRecordIsARelationship() {
        facts.episode(kentRecord, force);
        assertThat(officerAccess()).isEqualTo(ChildAccess.FULL);
    }

    @Test
    void anotherAgencysEpisodeOnItsOwnRecordIsNotTheOfficersRelationship() {
        facts.episode(kentRecord, kent);
        assertThat(officerAccess()).isEqualTo(ChildAccess.EXISTENCE_ONLY);
    }

    @Test
    void aConcernPlacementOrCareStatusIsARelationship() {
        facts.concern(forceRecord, force);
        assertThat(officerAccess()).isEqualTo(ChildAccess.FULL);

        SightlineUser carer = accounts.loadUserByUsername(data.user(careHome, Roles.CARE_STAFF));
        UUID careRecord = data.personRecord(careHome, "Rowan", "Copy", 2010, 6, 14, child);
        assertThat(scope.childAccess(carer, child)).isEqualTo(ChildAccess.EXISTENCE_ONLY);
        facts.placement(careRecord, null);
        assertThat(scope.childAccess(carer, child)).isEqualTo(ChildAccess.FULL);

        String other = data.agency("local_authority");
        SightlineUser worker = accounts.loadUserByUsername(data.user(other, Roles.SOCIAL_WORKER));
        UUID otherRecord = data.personRecord(other, "Rowan", "Copy", 2010, 6, 14, child);
        facts.set(otherRecord, "care_status", "not_recorded");
        assertThat(scope.childAccess(worker, child)).isEqualTo(ChildAccess.EXISTENCE_ONLY);
        facts.set(otherRecord, "care_status", "not_known");
        assertThat(scope.childAccess(worker, child))
                .as("'not known' is no care status")
                .isEqualTo(ChildAccess.EXISTENCE_ONLY);
        facts.set(otherRecord, "care_status", "not_looked_after");
        assertThat(scope.childAccess(worker, child)).isEqualTo(ChildAccess.FULL);
    }

    @Test
    void theResponsibleOrHostAuthorityNamedOnAnotherAgencysRecordHasARelationship() {
        String authority = data.agency("local_authority");
        SightlineUser worker = accounts.loadUserByUsername(data.user(authority, Roles.SOCIAL_WORKER));
        assertThat(scope.childAccess(worker, child)).isEqualTo(ChildAccess.EXISTENCE_ONLY);
        assertThat(scope.canSeePersonRecord(worker, facts.id(kentRecord))).isFalse();
        facts.set(forceRecord, "responsible_authority", authority);
        assertThat(scope.childAccess(worker, child)).isEqualTo(ChildAccess.FULL);
        assertThat(scope.canSeePersonRecord(worker, facts.id(kentRecord))).isTrue();

        String host = data.agency("local_authority");
        SightlineUser hostWorker = accounts.loadUserByUsername(data.user(host, Roles.SOCIAL_WORKER));
        assertThat(scope.childAccess(hostWorker, child)).isEqualTo(ChildAccess.EXISTENCE_ONLY);
        facts.placement(kentRecord, host);
        assertThat(scope.childAccess(hostWorker, child)).isEqualTo(ChildAccess.FULL);
    }

    @Test
    void namingItselfResponsibleOnItsOwnCopyGivesAnAgencyNothing() {
        SightlineUser carer = accounts.loadUserByUsername(data.user(careHome, Roles.CARE_STAFF));
        UUID copy = data.personRecord(careHome, "Rowan", "Copy", 2010, 6, 14, child);
        facts.set(copy, "responsible_authority", careHome);
        assertThat(scope.childAccess(carer, child)).isEqualTo(ChildAccess.EXISTENCE_ONLY);
        assertThat(scope.canSeePersonRecord(carer, facts.id(kentRecord))).isFalse();
    }

    @Test
    void anAlertGivesTheWholeAgencyALastingRelationship() {
        SightlineUser colleague = accounts.loadUserByUsername(data.user(force, Roles.SUPERVISOR));
        String ref = TestData.unique("ALERT");
        long first = jdbc.sql("SELECT min(id) FROM person_record WHERE identity_id = ?")
                .param(child)
                .query(Long.class)
                .single();
        var grant = new ChildRelationships.AlertGrant(officer.agencyId(), child, first, ref);
        transaction.executeWithoutResult(s -> relationships.grantForAlerts(List.of(grant, grant), "alerts"));
        transaction.executeWithoutResult(s -> relationships.grantForAlerts(List.of(grant), "alerts"));
        assertThat(officerAccess()).isEqualTo(ChildAccess.FULL);
        assertThat(scope.childAccess(colleague, child)).isEqualTo(ChildAccess.FULL);
        assertThat(jdbc.sql("SELECT count(*) FROM child_relationship WHERE source_ref = ?")
                        .param(ref)
                        .query(Long.class)
                        .single())
                .as("one grant per alert")
                .isEqualTo(1);
        assertThat(jdbc.sql("SELECT count(*) FROM audit_event WHERE action = 'RELATIONSHIP_GRANTED' AND details LIKE ?")
                        .param("%;alert=" + ref)
                        .query(Long.class)
                        .single())
                .as("audited once")
                .isEqualTo(1);
        AgencyScope aYearLater = new AgencyScope(jdbc, Clock.offset(clock, Duration.ofDays(365)));
        assertThat(aYearLater.childAccess(officer, child)).isEqualTo(ChildAccess.FULL);
    }

    @Test
    void breakGlassOpensForTheUserOnlyAndNotAfterItExpires() {
        SightlineUser colleague = accounts.loadUserByUsername(data.user(force, Roles.POLICE_OFFICER));
        BreakGlass breakGlass = new BreakGlass(jdbc, audit, scope, clock, 24);
        transaction.executeWithoutResult(s -> breakGlass.open(
                officer,
                facts.identityPublicId(kentRecord),
                "missing_now",
                "Reported missing from a bus station tonight (synthetic)"));
        assertThat(officerAccess()).isEqualTo(ChildAccess.FULL);
        assertThat(officerSeesKent()).isTrue();
        assertThat(scope.childAccess(colleague, child))
                .as("a colleague is not opened")
                .isEqualTo(ChildAccess.EXISTENCE_ONLY);

        AgencyScope oneMinuteBefore =
                new AgencyScope(jdbc, Clock.offset(clock, Duration.ofHours(24).minusMinutes(1)));
        assertThat(oneMinuteBefore.childAccess(officer, child)).isEqualTo(ChildAccess.FULL);
        AgencyScope aDayLater =
                new AgencyScope(jdbc, Clock.offset(clock, Duration.ofHours(24).plusMinutes(1)));
        assertThat(aDayLater.childAccess(officer, child)).isEqualTo(ChildAccess.EXISTENCE_ONLY);
        assertThat(aDayLater.canSeePersonRecord(officer, facts.id(kentRecord))).isFalse();
    }

    @Test
    void anExpiredGrantOpensNothingThroughTheApp() throws Exception {
        // Granted 25 hours ago (a clock moved back), judged by the application's own clock now.
        BreakGlass yesterday = new BreakGlass(jdbc, audit, scope, Clock.offset(clock, Duration.ofHours(-25)), 24);
        transaction.executeWithoutResult(s -> yesterday.open(
                officer,
                facts.identityPublicId(kentRecord),
                "risk_to_life",
                "Threat reported by a relative (synthetic)"));
        mvc.perform(get("/records/" + kentRecord).with(user(officer))).andExpect(status().isNotFound());
        assertThat(officerAccess()).isEqualTo(ChildAccess.EXISTENCE_ONLY);
    }

    /** The attack of issue 7: a care home copies a Kent child's name, date of birth and sex, imports it, relinks. */
    @Test
    void aCopiedChildThroughImportAndRelinkShowsOnlyExistenceAndContact() throws Exception {
        String family = TestData.unique("Marlowe").replace("-", "");
        UUID kentChild = data.personRecord(kent, "Sorrel", family, 2011, 9, 23, null);
        facts.set(kentChild, "care_status", "looked_after");
        facts.address(kentChild, "ZZ9 4QX");
        jdbc.sql("UPDATE agency SET contact = 'Kent children''s duty desk, 01632 960123' WHERE code = ?")
                .param(kent)
                .update();
        UUID episode = facts.episode(kentChild, kent);
        UUID concern = facts.concern(kentChild, kent);
        SightlineUser carer = accounts.loadUserByUsername(data.user(careHome, Roles.CARE_STAFF));

        // Before: the Kent record, its episode and concern are not found for the care home.
        mvc.perform(get("/records/" + kentChild).with(user(carer))).andExpect(status().isNotFound());

        String row = "CH-1," + careHome + ",Sorrel,," + family + ",,2011-09-23,female,,,,,,,,,,,\n";
        var report = imports.importNow(
                new ImportRequest(careHome, "person-records", null, "copy.csv", carer.username(), 100, null),
                new ByteArrayInputStream((PERSON_HEADER + row).getBytes(StandardCharsets.UTF_8)),
                n -> {});
        assertThat(report.imported()).isEqualTo(1);
        UUID copy = jdbc.sql("SELECT pr.public_id FROM person_record pr JOIN agency a ON a.id = pr.agency_id "
                        + "WHERE a.code = ? AND pr.record_ref = 'CH-1'")
                .param(careHome)
                .query(UUID.class)
                .single();
        resolver.relinkAll("test", new TerminalProgress("relink"));
        assertThat(facts.identityOf(copy))
                .as("the engine links the copy to the Kent child")
                .isEqualTo(facts.identityOf(kentChild));

        // After: still not found, through web and API, and each refusal audited.
        mvc.perform(get("/records/" + kentChild).with(user(carer))).andExpect(status().isNotFound());
        mvc.perform(get("/api/v1/records/" + kentChild).with(user(carer))).andExpect(status().isNotFound());
        mvc.perform(get("/episodes/" + episode).with(user(carer))).andExpect(status().isNotFound());
        mvc.perform(get("/api/v1/episodes/" + episode).with(user(carer))).andExpect(status().isNotFound());
        mvc.perform(get("/concerns/" + concern).with(user(carer))).andExpect(status().isNotFound());
        mvc.perform(get("/api/v1/concerns/" + concern).with(user(carer))).andExpect(status().isNotFound());
        assertThat(facts.audits("VIEW_REFUSED", kentChild.toString(), carer.username()))
                .isEqualTo(3);
        assertThat(scope.childAccess(carer, facts.identityOf(copy))).isEqualTo(ChildAccess.EXISTENCE_ONLY);

        // Their own record shows that Kent holds a record and whom to contact: nothing of Kent's record itself.
        String page = mvc.perform(get("/records/" + copy).with(user(carer)))
                .andExpect(status().isOk())
                .andReturn()
                .getResponse()
                .getContentAsString();
        assertThat(page)
                .contains("Other agencies hold records of this child")
                .contains("Test agency " + kent)
                .contains("01632 960123")
                .doesNotContain(kentChild.toString())
                .doesNotContain("ZZ9 4QX")
                .doesNotContain(episode.toString())
                .doesNotContain(concern.toString());
        String json = mvc.perform(get("/api/v1/records/" + copy).with(user(carer)))
                .andExpect(status().isOk())
                .andReturn()
                .getResponse()
                .getContentAsString();
        assertThat(json)
                .contains("\"otherHolders\":[{\"agencyName\":\"Test agency " + kent + "\"")
                .contains("\"linkedRecords\":[]")
                .doesNotContain(kentChild.toString())
                .doesNotContain("ZZ9 4QX");
    }
}
