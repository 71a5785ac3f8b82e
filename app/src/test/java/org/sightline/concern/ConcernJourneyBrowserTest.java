package org.sightline.concern;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import java.util.UUID;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sightline.access.Roles;
import org.sightline.support.Browser;
import org.sightline.support.IntegrationTest;
import org.sightline.support.TestData;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * A social worker raises a concern from the child's record, screens it, links an adult and records the outcome,
 * in a real browser without relying on JavaScript; two submissions with errors on the way. Every page is captured
 * and passes axe.
 */
@IntegrationTest
class ConcernJourneyBrowserTest {

    @LocalServerPort
    int port;

    @Autowired
    TestData data;

    Browser browser;
    Page page;
    String username;
    UUID record;
    String family;

    @BeforeEach
    void setUp() {
        browser = Browser.open();
        page = browser.page;
        String authority = data.agency("local_authority");
        username = data.user(authority, Roles.SOCIAL_WORKER);
        family = "Brackenridge" + TestData.unique("x").substring(2, 8).replaceAll("[^a-z]", "q");
        record = data.personRecord(authority, "Tilly", family, 2009, 4, 2, null);
    }

    @AfterEach
    void tearDown() {
        if (browser != null) {
            browser.close();
        }
    }

    private String url(String path) {
        return "http://localhost:" + port + path;
    }

    private void click(AriaRole role, String name) {
        page.getByRole(role, new Page.GetByRoleOptions().setName(name).setExact(true))
                .click();
    }

    private void signIn() {
        page.navigate(url("/sign-in"));
        page.getByLabel("User name").fill(username);
        page.getByLabel("Password").fill(TestData.PASSWORD);
        click(AriaRole.BUTTON, "Sign in");
    }

    @Test
    void raiseScreenLinkAndClose() {
        signIn();
        page.navigate(url("/records/" + record));
        click(AriaRole.LINK, "Raise an exploitation concern");

        // Indicators: continuing with none selected is the submission with errors.
        assertThat(page.locator("h1")).hasText("What have you seen or heard?");
        browser.check("concern-01-indicators");
        click(AriaRole.BUTTON, "Continue");
        assertThat(page).hasTitle(Pattern.compile("^Error: "));
        assertThat(page.locator(".govuk-error-summary")).containsText("Select at least one indicator");
        assertThat(page.locator(".govuk-error-summary a")).hasAttribute("href", "#indicators");
        browser.check("concern-02-indicators-error");
        page.getByLabel("Seen in cars with unknown adults").check();
        page.getByLabel("Goes missing repeatedly").check();
        click(AriaRole.BUTTON, "Continue");

        assertThat(page.locator("h1")).containsText("Describe the concern");
        page.getByLabel("Describe the concern").fill("Seen getting into a silver car outside school on Friday.");
        browser.check("concern-03-summary");
        click(AriaRole.BUTTON, "Continue");

        assertThat(page.locator("h1")).hasText("Check your answers before raising the concern");
        assertThat(page.locator(".govuk-summary-list")).containsText("Seen in cars with unknown adults");
        browser.check("concern-04-check");
        click(AriaRole.BUTTON, "Raise concern");

        assertThat(page.locator(".govuk-panel__title")).hasText("Concern raised");
        browser.check("concern-05-raised");
        click(AriaRole.LINK, "Screen this concern");

        // One page per instrument section.
        assertThat(page.locator("h1")).hasText("Vulnerabilities");
        page.getByLabel("Isolated from peers or family").check();
        browser.check("concern-06-screen-vulnerabilities");
        click(AriaRole.BUTTON, "Continue");
        assertThat(page.locator("h1")).hasText("Moderate indicators");
        page.getByLabel("Misuse of drugs or alcohol").check();
        click(AriaRole.BUTTON, "Continue");
        assertThat(page.locator("h1")).hasText("Significant indicators");
        // The indicators ticked when raising the concern are carried over (last 6 months), and can be changed.
        assertThat(page.locator("#prefilled")).isVisible();
        assertThat(page.locator("#a_cars_unknown_adults")).isChecked();
        assertThat(page.locator("#a_missing_repeat")).isChecked();
        assertThat(page.locator("#a_cars_unknown_adults_months_6_to_12")).not().isChecked();
        // The instrument's thresholds are shown while screening.
        assertThat(page.locator("#bands")).containsText("Mild risk: 6 to 10 points");
        assertThat(page.locator("#bands")).containsText("Significant risk: 16 points or more");
        page.locator("#a_missing_repeat").uncheck();
        page.locator("#a_cars_unknown_adults_months_6_to_12").check();
        browser.check("concern-07-screen-significant");
        narrow(browser, "concern-07-screen-significant");
        click(AriaRole.BUTTON, "Continue");

        // 1 + 1 + (5 + 1) = 8: mild. Overriding without a reason is refused.
        assertThat(page.locator("h1")).hasText("Check the screening");
        assertThat(page.locator(".sl-result-panel")).containsText("Result: Mild risk");
        assertThat(page.locator(".sl-result-panel")).containsText("8 points");
        browser.check("concern-08-screen-check");
        page.getByLabel("Moderate risk").check();
        click(AriaRole.BUTTON, "Save screening");
        assertThat(page).hasTitle(Pattern.compile("^Error: "));
        assertThat(page.locator(".govuk-error-summary")).containsText("Give the reason for overriding the band");
        assertThat(page.locator(".govuk-error-summary a")).hasAttribute("href", "#overrideReason");
        browser.check("concern-09-screen-override-error");
        page.getByLabel("Reason for the override").fill("Older associates are known to the police for exploitation.");
        click(AriaRole.BUTTON, "Save screening");

        assertThat(page.locator(".govuk-notification-banner")).containsText("Screening saved");
        assertThat(page.locator("h1")).containsText("Screened");
        assertThat(page.locator(".sl-screening").first()).containsText("Moderate risk");
        assertThat(page.locator(".sl-screening").first()).containsText("8 points (score band: Mild risk)");
        browser.check("concern-10-screened");
        narrow(browser, "concern-10-screened");

        click(AriaRole.LINK, "Link an adult, place, vehicle or phone");
        page.getByLabel("An adult of concern").check();
        browser.check("concern-11-link-kind");
        click(AriaRole.BUTTON, "Continue");
        assertThat(page.locator("h1")).hasText("Link an adult of concern");
        page.getByLabel("Given name").fill("Dax");
        page.getByLabel("Family name").fill("Ormsworth");
        page.getByLabel("Year").fill("1990");
        browser.check("concern-12-link-adult");
        click(AriaRole.BUTTON, "Add and link");
        assertThat(page.locator(".govuk-notification-banner")).containsText("Adult linked");
        assertThat(page.getByRole(
                        AriaRole.TABLE,
                        new Page.GetByRoleOptions().setName("Linked adults, places, vehicles and phones")))
                .containsText("Dax Ormsworth");

        // At report time: a second adult typed almost like the first is first checked against those the agency
        // holds (issue 10); the user may pick the known one or, as here, say it is someone else.
        click(AriaRole.LINK, "Link an adult, place, vehicle or phone");
        page.getByLabel("An adult of concern").check();
        click(AriaRole.BUTTON, "Continue");
        page.getByLabel("Given name").fill("Dax");
        page.getByLabel("Family name").fill("Ormsworht");
        click(AriaRole.BUTTON, "Add and link");
        assertThat(page.locator("legend", new Page.LocatorOptions().setHasText("Is it one of these adults")))
                .isVisible();
        assertThat(page.getByLabel("Dax Ormsworth (1990)")).isVisible();
        browser.check("concern-12b-link-adult-suggestions");
        click(AriaRole.BUTTON, "Add and link");
        assertThat(page.locator(".govuk-error-summary"))
                .containsText("Choose one of those already held, or none of these");
        page.getByLabel("None of these: add a new adult").check();
        click(AriaRole.BUTTON, "Add and link");
        assertThat(page.locator(".govuk-notification-banner")).containsText("Adult linked");
        assertThat(page.getByRole(
                        AriaRole.TABLE,
                        new Page.GetByRoleOptions().setName("Linked adults, places, vehicles and phones")))
                .containsText("Dax Ormsworht");

        click(AriaRole.LINK, "Record the outcome");
        page.getByLabel("Strategy meeting").check();
        browser.check("concern-13-outcome");
        click(AriaRole.BUTTON, "Record outcome and close");
        assertThat(page.locator(".govuk-notification-banner")).containsText("the concern is closed");
        assertThat(page.locator("h1")).containsText("Closed");
        assertThat(page.locator("body")).containsText("Strategy meeting");
        browser.check("concern-14-closed");

        // The record page now links to the concern.
        page.navigate(url("/records/" + record));
        assertThat(page.locator("a[href^='/concerns/']")).hasCount(1);
    }

    /** The page at 375 px: it must not scroll sideways (tables scroll in their own box). */
    private static void narrow(Browser browser, String name) {
        browser.page.setViewportSize(375, 800);
        org.assertj.core.api.Assertions.assertThat(
                        (Integer) browser.page.evaluate("document.documentElement.scrollWidth"))
                .as(name + " at 375 px")
                .isLessThanOrEqualTo(375);
        browser.check(name + "-375");
        browser.page.setViewportSize(1200, 900);
    }
}
