package org.sightline.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sightline.access.Roles;
import org.sightline.access.SightlineUser;
import org.sightline.access.UserAccounts;
import org.sightline.person.LikelyChildren;
import org.sightline.person.LikelyChildren.Likely;
import org.sightline.person.PartialDate;
import org.sightline.person.PersonRecords;
import org.sightline.support.IntegrationTest;
import org.sightline.support.TestData;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The officer's child search goes through the engine across every agency: misspelt, nicknamed and dateless
 * searches find the child; what each result shows follows the user's access to that child; every search is audited.
 */
@IntegrationTest
class ChildSearchTest {

    @Autowired
    LikelyChildren search;

    @Autowired
    PersonRecords people;

    @Autowired
    TestData data;

    @Autowired
    UserAccounts accounts;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    PlatformTransactionManager transactions;

    @Autowired
    MockMvc mvc;

    String force;
    String authority;
    String otherAuthority;
    SightlineUser officer;
    String nathans;
    String martines;
    long nathan;
    long martine;
    java.time.LocalDate nathanBorn;
    java.time.LocalDate martineBorn;

    private long create(String agency, String given, String family, String dob, String sex) {
        return new TransactionTemplate(transactions).execute(tx -> people.create(
                        jdbc.sql("SELECT id FROM agency WHERE code = ?")
                                .param(agency)
                                .query(Long.class)
                                .single(),
                        PersonRecords.NewRecord.reported(
                                TestData.unique("REF"), given, family, PartialDate.parseIso(dob), sex, Instant.now()))
                .id());
    }

    private long identity(long record) {
        return jdbc.sql("SELECT identity_id FROM person_record WHERE id = ?")
                .param(record)
                .query(Long.class)
                .single();
    }

    private String agencyName(String code) {
        return jdbc.sql("SELECT name FROM agency WHERE code = ?")
                .param(code)
                .query(String.class)
                .single();
    }

    private static String born(java.time.LocalDate date) {
        return org.sightline.web.DisplayTime.partial(date.getYear(), date.getMonthValue(), date.getDayOfMonth());
    }

    @BeforeEach
    void children() {
        force = data.agency("police_force");
        authority = data.agency("local_authority");
        otherAuthority = data.agency("local_authority");
        officer = accounts.loadUserByUsername(data.user(force, Roles.POLICE_OFFICER));
        nathans = OnlineResolutionTest.family();
        martines = OnlineResolutionTest.family();
        // Nathan: known to the officer's force and to an authority (one identity); Martine: only to another authority.
        nathanBorn = OnlineResolutionTest.randomBirth();
        nathan = create(force, "Nathan", nathans, nathanBorn.toString(), "male");
        // The force's relationship with Nathan (C8): its record carries a care status, not only his name.
        jdbc.sql("UPDATE person_record SET care_status = 'not_looked_after' WHERE id = ?")
                .param(nathan)
                .update();
        create(otherAuthority, "Nathan", nathans, nathanBorn.toString(), "male");
        martineBorn = OnlineResolutionTest.randomBirth();
        martine = create(authority, "Martine", martines, martineBorn.toString(), "female");
    }

    private Likely only(List<Likely> found, long identity) {
        String publicId = jdbc.sql("SELECT public_id::text FROM identity WHERE id = ?")
                .param(identity)
                .query(String.class)
                .single();
        return found.stream()
                .filter(l -> l.identityPublicId().toString().equals(publicId))
                .findFirst()
                .orElseThrow(() -> new AssertionError("child not found among " + found));
    }

    @Test
    void misspeltNicknamedAndDatelessSearchesFindTheChildAcrossAgencies() {
        Likely typo = only(
                search.find(
                        officer,
                        new LikelyChildren.Query(
                                "Nathen", nathans, new PartialDate(nathanBorn.getYear(), null, null), null, null)),
                identity(nathan));
        assertThat(typo.full()).isTrue();
        assertThat(typo.agencies()).containsExactlyInAnyOrder(agencyName(force), agencyName(otherAuthority));
        assertThat(typo.details().givenName()).isEqualTo("Nathan");
        assertThat(typo.details().episodes()).isZero();
        assertThat(typo.details().openEpisode()).isFalse();

        only(
                search.find(
                        officer,
                        new LikelyChildren.Query(
                                "Nate", nathans, PartialDate.parseIso(nathanBorn.toString()), "male", null)),
                identity(nathan));
        only(
                search.find(officer, new LikelyChildren.Query(nathans, "Nathan", PartialDate.unknown(), null, null)),
                identity(nathan));

        // No date of birth at all, a misspelt given name, and another authority's child: existence and contact only.
        Likely other = only(
                search.find(officer, new LikelyChildren.Query("Marstine", martines, PartialDate.unknown(), null, null)),
                identity(martine));
        assertThat(other.full()).isFalse();
        assertThat(other.details()).isNull();
        assertThat(other.agencies()).containsExactly(agencyName(authority));

        assertThat(jdbc.sql(
                                """
                SELECT count(*) FROM audit_event WHERE action = 'SEARCH' AND subject_type = 'identity' AND actor = ?""")
                        .param(officer.username())
                        .query(Integer.class)
                        .single())
                .isEqualTo(4);
    }

    @Test
    void theSearchPageAndTheReportStepShowLikelyChildrenAsAccessAllows() throws Exception {
        String page = mvc.perform(post("/records")
                        .with(user(officer))
                        .with(csrf())
                        .param("givenName", "Marstine")
                        .param("familyName", martines)
                        .param("search", "1"))
                .andReturn()
                .getResponse()
                .getContentAsString();
        assertThat(page)
                .contains("Likely existing children")
                .contains("A child known to " + agencyName(authority))
                .doesNotContain(born(martineBorn))
                .doesNotContain(">Martine " + martines);

        MockHttpSession session = new MockHttpSession();
        String report = mvc.perform(post("/episodes/new/child/search")
                        .session(session)
                        .with(user(officer))
                        .with(csrf())
                        .param("givenName", "Nathen")
                        .param("familyName", nathans)
                        .param("search", "1"))
                .andReturn()
                .getResponse()
                .getContentAsString();
        assertThat(report)
                .contains("Likely existing children")
                .contains("Nathan " + nathans)
                .contains(born(nathanBorn))
                .contains(agencyName(otherAuthority))
                .contains("Choose this child")
                .contains("No missing episodes");
    }
}
