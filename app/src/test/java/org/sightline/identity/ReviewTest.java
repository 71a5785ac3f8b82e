package org.sightline.identity;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sightline.access.Roles;
import org.sightline.access.SightlineUser;
import org.sightline.access.UserAccounts;
import org.sightline.shared.ConflictException;
import org.sightline.shared.InvalidRequestException;
import org.sightline.shared.NotFoundException;
import org.sightline.support.Browser;
import org.sightline.support.IntegrationTest;
import org.sightline.support.TestData;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/** A supervisor decides an uncertain match; the decision keeps its reason, is audited, and links at once. */
@IntegrationTest
class ReviewTest {

    @LocalServerPort
    int port;

    @Autowired
    ReviewService reviews;

    @Autowired
    TestData data;

    @Autowired
    UserAccounts accounts;

    @Autowired
    JdbcClient jdbc;

    String force;
    SightlineUser supervisor;
    UUID review;
    UUID recordA;
    UUID recordB;

    @BeforeEach
    void setUp() {
        force = data.agency("police_force");
        supervisor = accounts.loadUserByUsername(data.user(force, Roles.SUPERVISOR));
        String family = TestData.unique("Brackwater");
        recordA = data.personRecord(force, "Tilly", family, 2011, 2, 3, data.identity());
        // Both the force's: a pair across two agencies needs the other agency's confirmation (ReviewQueueTest).
        recordB = data.personRecord(force, "Matilda", family, 2011, 3, 2, data.identity());
        review = jdbc.sql(
                        """
                INSERT INTO identity_review (record_a, record_b, weight, probability, reason, evidence)
                SELECT a.id, b.id, -1.5, 0.26, 'uncertain', 'given_name=nickname:+3.0; family_name=exact:+8.0; dob=dm_swap:+2.0'
                FROM person_record a, person_record b WHERE a.public_id = ? AND b.public_id = ?
                RETURNING public_id""")
                .params(recordA, recordB)
                .query(UUID.class)
                .single();
    }

    private long identityOf(UUID record) {
        return jdbc.sql("SELECT identity_id FROM person_record WHERE public_id = ?")
                .param(record)
                .query(Long.class)
                .single();
    }

    @Test
    void aSameChildDecisionLinksTheRecordsAndIsAudited() {
        assertThat(reviews.open(supervisor))
                .extracting(ReviewService.Review::publicId)
                .contains(review);
        reviews.decide(supervisor, review, "must_link", "Same school roll and carer confirmed (synthetic)", 0);
        assertThat(identityOf(recordA)).isEqualTo(identityOf(recordB));
        assertThat(jdbc.sql("SELECT status FROM identity_review WHERE public_id = ?")
                        .param(review)
                        .query(String.class)
                        .single())
                .isEqualTo("must_link");
        assertThat(jdbc.sql("SELECT count(*) FROM audit_event WHERE action = 'DECIDE' AND subject_id = ?")
                        .param(review.toString())
                        .query(Long.class)
                        .single())
                .isEqualTo(1);
        assertThat(reviews.open(supervisor))
                .extracting(ReviewService.Review::publicId)
                .doesNotContain(review);
    }

    @Test
    void aDecisionNeedsAReasonAndACurrentVersion() {
        assertThatThrownBy(() -> reviews.decide(supervisor, review, "cannot_link", " ", 0))
                .isInstanceOf(InvalidRequestException.class)
                .satisfies(e -> assertThat(((InvalidRequestException) e)
                                .violations()
                                .get(0)
                                .field())
                        .isEqualTo("rationale"));
        assertThatThrownBy(() -> reviews.decide(supervisor, review, "cannot_link", "different children", 7))
                .isInstanceOf(ConflictException.class);
        reviews.decide(supervisor, review, "cannot_link", "different children (synthetic)", 0);
        assertThat(identityOf(recordA)).isNotEqualTo(identityOf(recordB));
        assertThatThrownBy(() -> reviews.decide(supervisor, review, "must_link", "changed my mind", 1))
                .isInstanceOf(ConflictException.class);
    }

    @Test
    void anotherAgencysSupervisorCannotSeeThePair() {
        SightlineUser stranger = accounts.loadUserByUsername(data.user(data.agency("police_force"), Roles.SUPERVISOR));
        assertThat(reviews.open(stranger))
                .extracting(ReviewService.Review::publicId)
                .doesNotContain(review);
        assertThatThrownBy(() -> reviews.get(stranger, review)).isInstanceOf(NotFoundException.class);
    }

    @Test
    void supervisorReviewsInTheBrowser() {
        String username = data.user(force, Roles.SUPERVISOR);
        try (Browser browser = Browser.open()) {
            Page page = browser.page;
            page.navigate("http://localhost:" + port + "/sign-in");
            page.getByLabel("User name").fill(username);
            page.getByLabel("Password").fill(TestData.PASSWORD);
            page.getByRole(
                            AriaRole.BUTTON,
                            new Page.GetByRoleOptions().setName("Sign in").setExact(true))
                    .click();
            page.navigate("http://localhost:" + port + "/identity-reviews/" + review);
            assertThat(page.locator("h1")).hasText("Are these the same child?");
            browser.check("20-identity-review");
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Save decision"))
                    .click();
            assertThat(page.locator(".govuk-error-summary"))
                    .containsText("Select whether these records are the same child");
            assertThat(page.locator(".govuk-error-summary")).containsText("Enter the reason for your decision");
            browser.check("21-identity-review-errors");
            page.getByLabel("Yes, the same child: link them now").check();
            page.getByLabel("Reason for your decision").fill("Carer confirmed both names (synthetic)");
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Save decision"))
                    .click();
            assertThat(page.locator(".govuk-notification-banner")).containsText("now linked as the same child");
            browser.check("22-identity-reviews-after");
        }
        assertThat(identityOf(recordA)).isEqualTo(identityOf(recordB));
    }
}
