package org.sightline.intake;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import java.time.LocalDateTime;
import java.time.ZoneId;
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
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A police officer reports a child missing (with one submission with errors), grades the risk, records the child
 * found and the safe and well check; the child's social worker records the return interview; a supervisor closes.
 * Every page is captured and checked with axe.
 */
@IntegrationTest
class EpisodeBrowserTest {

    private static final ZoneId UK = ZoneId.of("Europe/London");

    @LocalServerPort
    int port;

    @Autowired
    TestData data;

    @Autowired
    JdbcClient jdbc;

    Browser browser;
    Page page;
    String officer;
    String socialWorker;
    String supervisor;
    String family;
    String force;

    @BeforeEach
    void setUp() {
        browser = Browser.open();
        page = browser.page;
        force = data.agency("police_force");
        String authority = data.agency("local_authority");
        officer = data.user(force, Roles.POLICE_OFFICER);
        supervisor = data.user(force, Roles.SUPERVISOR);
        socialWorker = data.user(authority, Roles.SOCIAL_WORKER);
        family = "Marchbank" + TestData.unique("x").substring(2, 8).replaceAll("[^a-z]", "q");
        long identity = data.identity();
        UUID forceRecord = data.personRecord(force, "Elowen", family, 2011, 5, 17, identity);
        UUID authorityRecord = data.personRecord(authority, "Elowen", family, 2011, 5, 17, identity);
        // Both agencies' relationship with the child (C8): each records the child as looked after.
        jdbc.sql("UPDATE person_record SET care_status = 'looked_after' WHERE public_id IN (?, ?)")
                .params(forceRecord, authorityRecord)
                .update();
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

    @Test
    void reportGradeFindCheckInterviewAndClose() {
        LocalDateTime now = LocalDateTime.now(UK).withSecond(0).withNano(0);
        browser.signIn(url(""), officer);
        browser.link("Report a child missing").click();
        assertThat(page.locator("h1")).hasText("Who is missing?");
        browser.check("episode-01-who-is-missing");

        page.getByLabel("Family name").fill(family);
        browser.button("Search").click();
        // The force's own record and the authority's record linked to it.
        assertThat(page.locator("#results-heading")).hasText("2 records found");
        browser.check("episode-02-child-search-results");
        narrow("episode-02-child-search-results");
        page.locator("tr", new Page.LocatorOptions().setHasText("Test agency " + force))
                .getByRole(
                        AriaRole.BUTTON,
                        new com.microsoft.playwright.Locator.GetByRoleOptions().setName("Choose Elowen " + family))
                .click();

        assertThat(page.locator("h1")).hasText("When and where");
        browser.button("Continue").click();
        // One submission with errors: the summary links to each field, the title says Error.
        assertThat(page).hasTitle(Pattern.compile("^Error: "));
        assertThat(page.locator(".govuk-error-summary")).containsText("Enter the name of the person reporting");
        assertThat(page.locator(".govuk-error-summary")).containsText("Enter when the child was reported missing");
        assertThat(page.locator(".govuk-error-summary")).containsText("Select where the child is missing from");
        assertThat(page.locator(".govuk-error-summary a[href='#reportedAtDay']"))
                .hasCount(1);
        assertThat(page.locator("#reporterName-error")).containsText("Enter the name of the person reporting");
        browser.check("episode-03-circumstances-with-errors");

        page.getByLabel("Name of the person reporting").fill("Robin Example");
        page.getByLabel("Their role (optional)").fill("Foster carer");
        browser.fillDateTime("reportedAt", now.minusHours(29));
        browser.fillDateTime("lastSeenAt", now.minusHours(30));
        page.getByLabel("Where was the child last seen? (optional)").fill("Outside the library");
        page.locator("#lastSeenPostcode").fill("ls1 1ur");
        page.locator("#missingFrom-care").check();
        page.locator("#category").check();
        browser.check("episode-04-circumstances-filled");
        browser.button("Continue").click();

        assertThat(page.locator("h1")).hasText("Grab profile");
        page.getByLabel("Clothing when last seen").fill("Green parka, white trainers");
        page.getByLabel("Places and addresses frequented").fill("Town centre arcade");
        browser.check("episode-05-grab-profile");
        browser.button("Continue").click();

        assertThat(page.locator("h1")).hasText("Check your answers before reporting");
        assertThat(page.locator("main")).containsText("Robin Example");
        assertThat(page.locator("main")).containsText("ls1 1ur");
        assertThat(page.locator("main")).containsText("Green parka, white trainers");
        browser.check("episode-06-check-answers");
        browser.button("Report the child missing").click();

        assertThat(page.locator(".govuk-panel__title")).hasText("Child reported missing");
        // The child is named on the page, not in the title; police can grade at once.
        assertThat(page.locator("#reported-child")).containsText("Elowen " + family);
        assertThat(page).hasTitle(Pattern.compile("^Child reported missing: episode MIS-"));
        assertThat(page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Grade risk now")))
                .isVisible();
        browser.check("episode-07-confirmation");
        browser.link("Open the episode").click();

        assertThat(page.locator("#episode-status")).containsText("Reported");
        assertThat(page.locator("main")).containsText("Outside the library LS1 1UR");
        assertThat(page.locator("#clock")).containsText("Still missing: 30 hours since last seen");
        assertThat(page.locator("#clock")).containsText("Missing more than 24 hours");
        browser.check("episode-08-reported");
        String episodeUrl = page.url();

        browser.button("Grade the risk").click();
        page.locator("#grade-medium").check();
        page.getByLabel("Rationale").fill("Out of character; seen with older youths");
        browser.check("episode-09-grade");
        browser.button("Save the grading").click();
        assertThat(page.locator(".govuk-notification-banner")).containsText("Risk grading saved");
        assertThat(page.locator("#episode-status")).containsText("Risk graded");
        browser.check("episode-10-graded");

        browser.button("Record the child found").click();
        browser.fillDateTime("foundAt", now.minusHours(1));
        page.getByLabel("Where was the child found?").fill("Bus station");
        page.getByLabel("Found by, or returned to").fill("Police patrol");
        browser.check("episode-11-found");
        browser.button("Record found").click();
        assertThat(page.locator("#clock")).containsText("Return interview due by");
        assertThat(page.locator("#clock")).containsText("Due");
        browser.check("episode-12-found");

        browser.button("Record the safe and well check").click();
        browser.fillDateTime("checkedAt", now.minusMinutes(40));
        page.getByLabel("Outcome").fill("No harm disclosed; referral to the missing team");
        browser.check("episode-13-safe-and-well");
        browser.button("Save the check").click();
        assertThat(page.locator("#episode-status")).containsText("Safe and well checked");
        browser.button("Sign out").click();

        browser.signIn(url(""), socialWorker);
        page.navigate(episodeUrl);
        // A completed interview in one save: offered, accepted and completed are recorded together.
        browser.button("Record the return interview").click();
        page.locator("#outcome-completed").check();
        browser.fillDateTime("at", now.minusMinutes(10));
        browser.check("episode-14-return-interview");
        browser.button("Save").click();
        assertThat(page.locator(".govuk-notification-banner")).containsText("Return interview updated");
        assertThat(page.locator("#timeline")).containsText("Return interview offered");
        assertThat(page.locator("#timeline")).containsText("Return interview accepted");
        assertThat(page.locator("#clock")).containsText("Completed within 72 hours");
        assertThat(page.locator("#timeline")).containsText("Return interview completed");
        browser.check("episode-15-interview-completed");
        narrow("episode-15-interview-completed");
        browser.button("Sign out").click();

        browser.signIn(url(""), supervisor);
        page.navigate(episodeUrl);
        browser.button("Close the episode").click();
        browser.check("episode-16-close");
        browser.button("Close the episode").click();
        assertThat(page.locator("#episode-status")).containsText("Closed");
        browser.check("episode-17-closed");

        // The record page links the episode.
        page.locator("main a[href^='/records/']").first().click();
        assertThat(page.locator("main a[href='" + episodeUrl.substring(episodeUrl.indexOf("/episodes/")) + "']"))
                .hasCount(1);
        browser.check("episode-18-record-links-episode");
        narrow("episode-18-record-links-episode");
    }

    /** The page at 375 px: it must not scroll sideways (tables scroll in their own box). */
    private void narrow(String name) {
        page.setViewportSize(375, 800);
        org.assertj.core.api.Assertions.assertThat((Integer) page.evaluate("document.documentElement.scrollWidth"))
                .as(
                        name + " at 375 px; too wide: "
                                + page.evaluate(
                                        "Array.from(document.querySelectorAll('body *'))"
                                                + ".filter(e => e.getBoundingClientRect().right > 376 && !e.closest('.sl-table-scroll table')).slice(0, 6)"
                                                + ".map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right)).join('; ')"))
                .isLessThanOrEqualTo(375);
        browser.check(name + "-375");
        page.setViewportSize(1200, 900);
    }
}
