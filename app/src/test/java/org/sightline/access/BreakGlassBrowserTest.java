package org.sightline.access;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.sightline.support.Browser;
import org.sightline.support.IntegrationTest;
import org.sightline.support.TestData;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A care worker whose home holds only a bare copy sees that the authority holds records and whom to contact; breaks
 * glass with a reason; opens the record; their supervisor reviews it. Then the review queue, at 1280 and 375 px.
 */
@IntegrationTest
class BreakGlassBrowserTest {

    @LocalServerPort
    int port;

    @Autowired
    TestData data;

    @Autowired
    JdbcClient jdbc;

    private void signIn(Page page, String username) {
        page.navigate("http://localhost:" + port + "/sign-out");
        page.navigate("http://localhost:" + port + "/sign-in");
        page.getByLabel("User name").fill(username);
        page.getByLabel("Password").fill(TestData.PASSWORD);
        page.getByRole(
                        AriaRole.BUTTON,
                        new Page.GetByRoleOptions().setName("Sign in").setExact(true))
                .click();
    }

    /** Wide tables scroll inside their region; the page itself never widens beyond the screen. */
    private static void assertFitsTheScreen(Page page, int width) {
        Object wide = page.evaluate(
                "w => [...document.querySelectorAll('body *')]"
                        + ".filter(e => e.getBoundingClientRect().right > w + 1 && !e.closest('.sl-table-scroll'))"
                        + ".map(e => e.tagName + '.' + e.className).slice(0, 5)",
                width);
        assertThat((java.util.List<?>) wide)
                .as("elements wider than the screen")
                .isEmpty();
        assertThat(((Number) page.evaluate("document.documentElement.scrollWidth")).intValue())
                .as("page width at " + width + " px")
                .isLessThanOrEqualTo(width);
    }

    @Test
    void breakGlassAndItsReviewAtBothWidths() {
        AccessFixtures facts = new AccessFixtures(jdbc);
        String authority = data.agency("local_authority");
        String home = data.agency("care_provider");
        jdbc.sql("UPDATE agency SET contact = 'Duty desk, 01632 960555' WHERE code = ?")
                .param(authority)
                .update();
        String carer = data.user(home, Roles.CARE_STAFF);
        String supervisor = data.user(home, Roles.SUPERVISOR);
        String base = "http://localhost:" + port;

        try (Browser browser = Browser.open()) {
            Page page = browser.page;
            for (int width : new int[] {1280, 375}) {
                // A child per width: once glass is broken, the carer sees the first child in full.
                long child = data.identity();
                String family = TestData.unique("Thorne");
                UUID authorityRecord = data.personRecord(authority, "Ivy", family, 2011, 2, 3, child);
                facts.set(authorityRecord, "care_status", "looked_after");
                UUID copy = data.personRecord(home, "Ivy", family, 2011, 2, 3, child);
                page.setViewportSize(width, 900);
                signIn(page, carer);
                page.navigate(base + "/records/" + copy);
                assertThat(page.locator("body")).containsText("Other agencies hold records of this child");
                assertThat(page.locator("body")).containsText("Duty desk, 01632 960555");
                assertThat(page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName(family)))
                        .hasCount(0);
                browser.check("40-existence-only-" + width);

                page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Get emergency access"))
                        .click();
                assertThat(page.locator("h1")).hasText("Get emergency access to this child's records");
                page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Get emergency access"))
                        .click();
                assertThat(page.locator(".govuk-error-summary")).containsText("Select why you need access now");
                assertThat(page.locator(".govuk-error-summary")).containsText("Enter why you need access now");
                browser.check("41-break-glass-errors-" + width);
                page.getByLabel("The child is missing now and has been reported to us")
                        .check();
                page.getByLabel("In your own words")
                        .fill("Missing from the home since 18:00 (synthetic, " + width + ")");
                page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Get emergency access"))
                        .click();
                assertThat(page.locator(".govuk-inset-text")).containsText("You can open this child's records until");
                browser.check("42-break-glass-opened-" + width);
                page.getByRole(
                                AriaRole.LINK,
                                new Page.GetByRoleOptions()
                                        .setName(jdbc.sql("SELECT record_ref FROM person_record WHERE public_id = ?")
                                                .param(authorityRecord)
                                                .query(String.class)
                                                .single()))
                        .click();
                assertThat(page.locator("h1")).containsText("Ivy " + family);

                signIn(page, supervisor);
                // The menu offers the list to supervisors (on a phone it is folded behind "Menu"); go straight there.
                assertThat(page.locator("nav a[href$='/break-glass']")).hasCount(1);
                page.navigate(base + "/break-glass");
                assertThat(page.locator("table"))
                        .containsText("Missing from the home since 18:00 (synthetic, " + width + ")");
                browser.check("43-break-glass-list-" + width);
                assertFitsTheScreen(page, width);
                page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Review use 1"))
                        .click();
                page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Mark as reviewed"))
                        .click();
                assertThat(page.locator(".govuk-error-summary")).containsText("Enter your review note");
                browser.check("44-break-glass-review-errors-" + width);
                page.getByLabel("Your review").fill("Justified: child was missing (synthetic)");
                page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Mark as reviewed"))
                        .click();
                assertThat(page.locator(".govuk-notification-banner")).containsText("marked as reviewed");
                browser.check("45-break-glass-reviewed-" + width);
            }
        }
        assertThat(jdbc.sql("SELECT count(*) FROM child_relationship g JOIN agency a ON a.id = g.agency_id "
                                + "WHERE a.code = ? AND g.reviewed_at IS NOT NULL AND g.review_note IS NOT NULL")
                        .param(home)
                        .query(Long.class)
                        .single())
                .isEqualTo(2);
        assertThat(jdbc.sql("SELECT count(*) FROM audit_event WHERE action IN ('BREAK_GLASS', 'BREAK_GLASS_REVIEWED') "
                                + "AND actor IN (?, ?)")
                        .params(carer, supervisor)
                        .query(Long.class)
                        .single())
                .isEqualTo(4);
    }

    @Test
    void reviewQueuePagesAtBothWidths() {
        String force = data.agency("police_force");
        String authority = data.agency("local_authority");
        String supervisor = data.user(force, Roles.SUPERVISOR);
        String family = TestData.unique("Hartigan");
        UUID a = data.personRecord(force, "Nathan", family, 2010, 4, 5, data.identity());
        UUID b = data.personRecord(authority, "Nathen", family, 2010, 5, 4, data.identity());
        UUID review = jdbc.sql(
                        """
                INSERT INTO identity_review (record_a, record_b, weight, probability, reason, evidence)
                SELECT a.id, b.id, -2, 0.45, 'uncertain', 'given_name=jw:0.92:+4.0; family_name=exact:+9.0; dob=dm_swap:+2.0'
                FROM person_record a, person_record b WHERE a.public_id = ? AND b.public_id = ? RETURNING public_id""")
                .params(a, b)
                .query(UUID.class)
                .single();
        String base = "http://localhost:" + port;
        try (Browser browser = Browser.open()) {
            Page page = browser.page;
            signIn(page, supervisor);
            for (int width : new int[] {1280, 375}) {
                page.setViewportSize(width, 900);
                page.navigate(base + "/identity-reviews");
                page.getByLabel("Other agency").selectOption("Test agency " + authority);
                page.getByLabel("Match probability").selectOption("medium");
                page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Apply filters"))
                        .click();
                assertThat(page.locator("#count")).hasText("1 pair");
                browser.check("46-review-queue-" + width);
                assertFitsTheScreen(page, width);
                page.navigate(base + "/identity-reviews/" + review);
                assertThat(page.locator("table")).containsText("Different");
                assertThat(page.locator("body")).containsText("Date of birth: day and month swapped");
                browser.check("47-review-pair-" + width);
                assertFitsTheScreen(page, width);
            }
        }
    }
}
