package org.sightline.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sightline.access.Roles;
import org.sightline.access.SightlineUser;
import org.sightline.access.UserAccounts;
import org.sightline.identity.ReviewService.Filter;
import org.sightline.identity.ReviewService.Outcome;
import org.sightline.identity.ReviewService.Review;
import org.sightline.shared.ConflictException;
import org.sightline.shared.NotFoundException;
import org.sightline.shared.TerminalProgress;
import org.sightline.support.IntegrationTest;
import org.sightline.support.TestData;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;

/** The review queue: scoped to the supervisor's agency, counted, paged, filtered; two-agency links confirmed by both. */
@IntegrationTest
class ReviewQueueTest {

    @Autowired
    ReviewService reviews;

    @Autowired
    IdentityResolver resolver;

    @Autowired
    TestData data;

    @Autowired
    UserAccounts accounts;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    MockMvc mvc;

    String force;
    String authority;
    SightlineUser forceSupervisor;
    SightlineUser authoritySupervisor;

    @BeforeEach
    void setUp() {
        force = data.agency("police_force");
        authority = data.agency("local_authority");
        forceSupervisor = accounts.loadUserByUsername(data.user(force, Roles.SUPERVISOR));
        authoritySupervisor = accounts.loadUserByUsername(data.user(authority, Roles.SUPERVISOR));
    }

    private UUID pair(String agencyA, String agencyB, double probability, Instant created) {
        String family = TestData.unique("Pellow");
        UUID a = data.personRecord(agencyA, "Ines", family, 2012, 5, 4, data.identity());
        UUID b = data.personRecord(agencyB, "Inez", family, 2012, 4, 5, data.identity());
        return jdbc.sql(
                        """
                INSERT INTO identity_review (record_a, record_b, weight, probability, reason, evidence, created_at)
                SELECT a.id, b.id, -2, ?, 'uncertain', 'given_name=jw:0.92:+4.0; dob=dm_swap:+2.0; postcode=else:-3.5', ?
                FROM person_record a, person_record b WHERE a.public_id = ? AND b.public_id = ?
                RETURNING public_id""")
                .params(probability, Timestamp.from(created), a, b)
                .query(UUID.class)
                .single();
    }

    private long identityA(UUID review) {
        return jdbc.sql(
                        "SELECT pr.identity_id FROM identity_review r JOIN person_record pr ON pr.id = r.record_a WHERE r.public_id = ?")
                .param(review)
                .query(Long.class)
                .single();
    }

    private long identityB(UUID review) {
        return jdbc.sql(
                        "SELECT pr.identity_id FROM identity_review r JOIN person_record pr ON pr.id = r.record_b WHERE r.public_id = ?")
                .param(review)
                .query(Long.class)
                .single();
    }

    private java.util.List<UUID> ids(SightlineUser user, Filter filter, int page) {
        return reviews.list(user, filter, page).reviews().stream()
                .map(Review::publicId)
                .toList();
    }

    @Test
    void aSupervisorSeesOnlyPairsWithARecordOfTheirAgency() {
        String strangerForce = data.agency("police_force");
        UUID theirs = pair(authority, strangerForce, 0.5, Instant.now());
        UUID shared = pair(force, authority, 0.5, Instant.now());
        assertThat(ids(forceSupervisor, new Filter(null, authority, null, null), 1))
                .containsExactly(shared);
        assertThat(ids(authoritySupervisor, new Filter(null, null, null, null), 1))
                .contains(theirs);
        assertThat(ids(forceSupervisor, new Filter(null, strangerForce, null, null), 1))
                .isEmpty();
        assertThatThrownBy(() -> reviews.get(forceSupervisor, theirs)).isInstanceOf(NotFoundException.class);
        assertThat(jdbc.sql(
                                "SELECT count(*) FROM audit_event WHERE action = 'VIEW_REFUSED' AND subject_id = ? AND actor = ?")
                        .params(theirs.toString(), forceSupervisor.username())
                        .query(Long.class)
                        .single())
                .isEqualTo(1);
    }

    @Test
    void filtersByBandAndAgeAndCounts() {
        Instant now = Instant.now();
        UUID highNew = pair(force, authority, 0.9, now.minus(Duration.ofDays(1)));
        UUID mediumWeek = pair(force, authority, 0.5, now.minus(Duration.ofDays(10)));
        UUID lowOld = pair(force, authority, 0.1, now.minus(Duration.ofDays(40)));
        assertThat(reviews.list(forceSupervisor, new Filter("open", authority, null, null), 1)
                        .total())
                .isEqualTo(3);
        assertThat(ids(forceSupervisor, new Filter("open", authority, "high", null), 1))
                .containsExactly(highNew);
        assertThat(ids(forceSupervisor, new Filter("open", authority, "medium", null), 1))
                .containsExactly(mediumWeek);
        assertThat(ids(forceSupervisor, new Filter("open", authority, "low", null), 1))
                .containsExactly(lowOld);
        assertThat(ids(forceSupervisor, new Filter("open", authority, null, "week"), 1))
                .containsExactly(highNew);
        assertThat(ids(forceSupervisor, new Filter("open", authority, null, "month"), 1))
                .containsExactly(mediumWeek);
        assertThat(ids(forceSupervisor, new Filter("open", authority, null, "older"), 1))
                .containsExactly(lowOld);
        assertThat(ids(forceSupervisor, new Filter("open", authority, null, null), 1))
                .as("oldest first")
                .containsExactly(lowOld, mediumWeek, highNew);
    }

    @Test
    void pagesTwentyAtATime() throws Exception {
        for (int i = 0; i < 25; i++) {
            pair(force, authority, 0.5, Instant.now().minusSeconds(100 - i));
        }
        ReviewService.Page first = reviews.list(forceSupervisor, new Filter(null, authority, null, null), 1);
        ReviewService.Page second = reviews.list(forceSupervisor, new Filter(null, authority, null, null), 2);
        assertThat(first.total()).isEqualTo(25);
        assertThat(first.pages()).isEqualTo(2);
        assertThat(first.reviews()).hasSize(20);
        assertThat(second.reviews())
                .hasSize(5)
                .extracting(Review::publicId)
                .doesNotContainAnyElementsOf(
                        first.reviews().stream().map(Review::publicId).toList());
        assertThat(reviews.list(forceSupervisor, new Filter(null, authority, null, null), 99)
                        .page())
                .isEqualTo(2);

        String page = mvc.perform(get("/identity-reviews")
                        .param("agency", authority)
                        .param("page", "2")
                        .with(user(forceSupervisor)))
                .andExpect(status().isOk())
                .andReturn()
                .getResponse()
                .getContentAsString();
        assertThat(page)
                .contains("25 pairs")
                .contains("aria-current=\"page\"")
                .contains("Previous page")
                .doesNotContain("Next page");
    }

    @Test
    void aLinkAcrossTwoAgenciesWaitsForTheOtherAgencysSupervisor() throws Exception {
        UUID review = pair(force, authority, 0.6, Instant.now());
        assertThat(reviews.decide(forceSupervisor, review, "must_link", "Same school and carer (synthetic)", 0))
                .isEqualTo(Outcome.AWAITING_OTHER_AGENCY);
        assertThat(identityA(review)).as("not linked yet").isNotEqualTo(identityB(review));
        assertThat(ids(forceSupervisor, new Filter("awaiting", authority, null, null), 1))
                .containsExactly(review);
        assertThat(ids(authoritySupervisor, new Filter("awaiting", force, null, null), 1))
                .containsExactly(review);

        SightlineUser colleague = accounts.loadUserByUsername(data.user(force, Roles.SUPERVISOR));
        assertThatThrownBy(() -> reviews.decide(colleague, review, "must_link", "I agree (synthetic)", 1))
                .isInstanceOf(ConflictException.class)
                .satisfies(e -> assertThat(((ConflictException) e).rule()).isEqualTo("awaiting-other-agency"));
        assertThat(identityA(review)).isNotEqualTo(identityB(review));

        String page = mvc.perform(get("/identity-reviews/" + review).with(user(authoritySupervisor)))
                .andExpect(status().isOk())
                .andReturn()
                .getResponse()
                .getContentAsString();
        assertThat(page)
                .contains("Same school and carer (synthetic)")
                .contains("Yes, the same child: confirm and link them now")
                .contains("Different")
                .contains("Date of birth: day and month swapped")
                .doesNotContain("dm_swap");

        assertThat(reviews.decide(
                        authoritySupervisor, review, "must_link", "Confirmed with our records (synthetic)", 1))
                .isEqualTo(Outcome.MUST_LINK);
        assertThat(identityA(review)).isEqualTo(identityB(review));
        Review decided = reviews.get(forceSupervisor, review);
        assertThat(decided.status()).isEqualTo("must_link");
        assertThat(decided.proposal().agencyName()).isEqualTo("Test agency " + force);
        assertThat(decided.decision().agencyName()).isEqualTo("Test agency " + authority);
        assertThat(decided.decision().rationale()).isEqualTo("Confirmed with our records (synthetic)");
        assertThat(ids(forceSupervisor, new Filter("decided", authority, null, null), 1))
                .containsExactly(review);
    }

    @Test
    void theOtherAgencyMayRefuseAProposedLink() {
        UUID review = pair(force, authority, 0.6, Instant.now());
        reviews.decide(forceSupervisor, review, "must_link", "Looks the same (synthetic)", 0);
        assertThat(reviews.decide(
                        authoritySupervisor, review, "cannot_link", "Different children: twins (synthetic)", 1))
                .isEqualTo(Outcome.CANNOT_LINK);
        assertThat(identityA(review)).isNotEqualTo(identityB(review));
    }

    @Test
    void aRelinkNeverReopensADecidedPair() {
        UUID review = pair(force, force, 0.4, Instant.now());
        reviews.decide(forceSupervisor, review, "cannot_link", "Different children (synthetic)", 0);
        resolver.relinkAll("test", new TerminalProgress("relink"));
        assertThat(jdbc.sql("SELECT status FROM identity_review WHERE public_id = ?")
                        .param(review)
                        .query(String.class)
                        .single())
                .isEqualTo("cannot_link");
        assertThat(ids(forceSupervisor, new Filter("open", null, null, null), 1))
                .doesNotContain(review);
        assertThat(identityA(review)).isNotEqualTo(identityB(review));
        Review decided = reviews.get(forceSupervisor, review);
        assertThat(decided.decision().by()).isEqualTo("Test SUPERVISOR");
        assertThat(decided.decision().at()).isNotNull();
    }
}
