package org.sightline.intake;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import java.time.Instant;
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
 * What users see on the search, record, episode and report pages, at 1280 and 375 px: labels instead of codes and
 * nulls, one date style, tables that keep the page at 375 px, titles that say what the page is, the current menu
 * item marked, the report confirmation, the return interview in one save and refusals in plain words.
 */
@IntegrationTest
class WhatUsersSeeBrowserTest {

    private static final ZoneId UK = ZoneId.of("Europe/London");
    /** Raw codes and nulls that must never reach a page, and the date styles the service no longer uses. */
    private static final Pattern RAW = Pattern.compile(
            "\\bnull\\b|POLICE_ODE|E10000016|Code list|\\d{2}/\\d{2}/\\d{4}|(?<![\\w-])(19|20)\\d{2}-(0[1-9]|1[0-2])(?![\\w-])|\\b\\d{1,2} (Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Oct|Nov|Dec) ");

    @LocalServerPort
    int port;

    @Autowired
    TestData data;

    @Autowired
    JdbcClient jdbc;

    Browser browser;
    Page page;
    String force;
    String officer;
    String socialWorker;
    String family;
    UUID policeRecord;
    UUID authorityRecord;
    UUID importedEpisode;

    @BeforeEach
    void setUp() {
        browser = Browser.open();
        page = browser.page;
        force = data.agency("police_force");
        String authority = data.agency("local_authority");
        officer = data.user(force, Roles.POLICE_OFFICER);
        socialWorker = data.user(authority, Roles.SOCIAL_WORKER);
        family = "Ashcombe" + TestData.unique("x").substring(2, 8).replaceAll("[^a-z]", "q");
        long identity = data.identity();
        policeRecord = data.personRecord(force, "Rosalind", family, 2009, 6, 3, identity);
        authorityRecord = data.personRecord(authority, "Rosalind", family, 2009, 6, null, identity);
        // Both agencies' relationship with the child (C8): each records a care status, not only the child's name.
        jdbc.sql("UPDATE person_record SET care_status = 'looked_after' WHERE public_id IN (?, ?)")
                .params(policeRecord, authorityRecord)
                .update();
        // As imported: an officer-defined ethnicity code, a responsible authority's ONS code, an address without
        // a line or postcode, and a closed episode with codes and gaps (no reporter, found by "other").
        jdbc.sql(
                        """
                UPDATE person_record SET ethnicity_code = 'IC1', ethnicity_scheme = 'POLICE_ODE', ethnicity_status = 'recorded',
                       responsible_authority = 'E10000016' WHERE public_id = ?""")
                .param(policeRecord)
                .update();
        jdbc.sql(
                        """
                INSERT INTO person_address (person_record_id, address_line, postcode)
                SELECT id, NULL, NULL FROM person_record WHERE public_id = ?""")
                .param(policeRecord)
                .update();
        importedEpisode = jdbc.sql(
                        """
                INSERT INTO missing_episode (agency_id, person_record_id, episode_ref, status, reported_at, missing_from,
                    category, current_risk_grade, found_at, found_by, return_interview_status, closed_at)
                SELECT agency_id, id, ?, 'closed', ?, 'care', 'missing', 'low', ?, 'other', 'declined', ?
                FROM person_record WHERE public_id = ? RETURNING public_id""")
                .params(
                        TestData.unique("IMP"),
                        java.sql.Timestamp.from(Instant.parse("2026-03-29T00:30:00Z")),
                        java.sql.Timestamp.from(Instant.parse("2026-03-29T01:30:00Z")),
                        java.sql.Timestamp.from(Instant.parse("2026-04-02T09:00:00Z")),
                        authorityRecord)
                .query(UUID.class)
                .single();
        jdbc.sql(
                        """
                INSERT INTO risk_grading (episode_id, grade_code, code_list_version, graded_at)
                SELECT id, 'low', 'APP', ? FROM missing_episode WHERE public_id = ?""")
                .params(java.sql.Timestamp.from(Instant.parse("2026-03-29T00:40:00Z")), importedEpisode)
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

    /** Checks the page at 1280 px, then at 375 px: the page itself must not scroll sideways. */
    private void bothWidths(String name) {
        org.assertj.core.api.Assertions.assertThat(page.locator("main").innerText())
                .as(name + ": raw codes or old dates")
                .doesNotContainPattern(RAW);
        browser.check(name + "-1280");
        page.setViewportSize(375, 800);
        org.assertj.core.api.Assertions.assertThat((Integer) page.evaluate("document.documentElement.scrollWidth"))
                .as(name + " at 375 px")
                .isLessThanOrEqualTo(375);
        browser.check(name + "-375");
        page.setViewportSize(1200, 900);
    }

    @Test
    void searchRecordAndEpisodePagesShowLabelsOneDateStyleAndFitANarrowScreen() {
        browser.signIn(url(""), officer);
        page.navigate(url("/records"));
        Locator current = page.locator(".govuk-service-navigation__item--active");
        assertThat(current).hasCount(1);
        assertThat(current).hasText("Search records");
        assertThat(current.locator("a")).hasAttribute("aria-current", "page");
        page.getByLabel("Family name").fill(family);
        browser.button("Search").click();
        assertThat(page.locator("#results-heading")).hasText("2 records found");
        assertThat(page.locator("main table")).containsText("3 June 2009");
        assertThat(page.locator("main table")).containsText("June 2009");
        bothWidths("ui-01-search-results");

        page.navigate(url("/records/" + policeRecord));
        String ref = jdbc.sql("SELECT record_ref FROM person_record WHERE public_id = ?")
                .param(policeRecord)
                .query(String.class)
                .single();
        assertThat(page).hasTitle("Record " + ref + " – Sightline");
        assertThat(page.locator("main")).containsText("White – North European (officer-defined)");
        assertThat(page.locator("main")).containsText("Kent");
        assertThat(page.locator("main")).containsText("3 June 2009");
        assertThat(page.locator(".govuk-service-navigation__item--active")).hasText("Search records");
        bothWidths("ui-02-record");

        // The imported episode: no reporter, "other" as who found the child, the clock change night.
        page.navigate(url("/episodes/" + importedEpisode));
        assertThat(page).hasTitle(Pattern.compile("^Missing episode IMP"));
        Locator details = page.locator("dl.govuk-summary-list").first();
        assertThat(details.locator(".govuk-summary-list__row", new Locator.LocatorOptions().setHasText("Reported by")))
                .containsText("Not recorded");
        assertThat(details.locator(".govuk-summary-list__row", new Locator.LocatorOptions().setHasText("Found by")))
                .containsText("Someone else");
        // 00:30 UTC is 00:30 GMT; 01:30 UTC, after the clocks went forward, is 02:30 BST.
        assertThat(details).containsText("29 March 2026, 00:30");
        assertThat(details).containsText("29 March 2026, 02:30");
        assertThat(page.locator("main")).containsText("APP grades (since 2017)");
        bothWidths("ui-03-imported-episode");
    }

    @Test
    void reportConfirmationGradeNowAndASecondReportRefused() {
        LocalDateTime now = LocalDateTime.now(UK).withSecond(0).withNano(0);
        browser.signIn(url(""), officer);
        page.navigate(url("/records/" + policeRecord));
        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Report this child missing"))
                .click();
        assertThat(page.locator("h1")).hasText("When and where");
        page.getByLabel("Name of the person reporting").fill("Robin Example");
        browser.fillDateTime("reportedAt", now.minusHours(3));
        page.locator("#missingFrom").check();
        page.locator("#category").check();
        browser.button("Continue").click();
        browser.button("Continue").click();
        bothWidths("ui-04-check-answers");
        browser.button("Report the child missing").click();

        assertThat(page.locator("#reported-child")).containsText("Rosalind " + family);
        org.assertj.core.api.Assertions.assertThat(page.title()).doesNotContain(family);
        org.assertj.core.api.Assertions.assertThat(page.url()).doesNotContain(family);
        bothWidths("ui-05-confirmation");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Grade risk now"))
                .click();
        assertThat(page.locator("h1")).hasText("Grade the risk");
        String episodeUrl = page.url().replace("/grade", "");

        // The authority's record is the same child: a second report is refused with a link to the open episode.
        page.navigate(url("/records/" + authorityRecord));
        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Report this child missing"))
                .click();
        assertThat(page).hasTitle(Pattern.compile("^Error: Who is missing\\?"));
        assertThat(page.locator(".govuk-error-summary a[href='#open-episode']"))
                .containsText("This child already has an open missing episode");
        assertThat(page.locator("#open-episode a"))
                .hasAttribute("href", episodeUrl.substring(episodeUrl.indexOf("/episodes/")));
        bothWidths("ui-06-second-report-refused");
    }

    @Test
    void aReturnInterviewTooEarlyIsRefusedInPlainWordsThenRecordedInOneSave() {
        LocalDateTime now = LocalDateTime.now(UK).withSecond(0).withNano(0);
        browser.signIn(url(""), officer);
        page.navigate(url("/episodes/new?record=" + policeRecord));
        page.getByLabel("Name of the person reporting").fill("Robin Example");
        browser.fillDateTime("reportedAt", now.minusHours(5));
        page.locator("#missingFrom").check();
        page.locator("#category").check();
        browser.button("Continue").click();
        browser.button("Continue").click();
        browser.button("Report the child missing").click();
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Grade risk now"))
                .click();
        page.locator("#grade-low").check();
        browser.button("Save the grading").click();
        String episodeUrl = page.url();
        browser.button("Sign out").click();

        // The social worker opens the form before the child is found: the refusal says what must happen first.
        browser.signIn(url(""), socialWorker);
        page.navigate(episodeUrl + "/return-interview");
        page.locator("#outcome-completed").check();
        browser.fillDateTime("at", now.minusMinutes(5));
        browser.button("Save").click();
        assertThat(page.locator(".govuk-error-summary"))
                .containsText("Record that the child has been found before recording a return interview");
        assertThat(page.locator(".govuk-error-summary")).not().containsText("does not follow");
        bothWidths("ui-07-return-interview-refused");
        browser.button("Sign out").click();

        browser.signIn(url(""), officer);
        page.navigate(episodeUrl);
        browser.button("Record the child found").click();
        browser.fillDateTime("foundAt", now.minusHours(2));
        page.getByLabel("Where was the child found?").fill("Bus station");
        page.getByLabel("Found by, or returned to").fill("Police patrol");
        browser.button("Record found").click();
        browser.button("Record the safe and well check").click();
        browser.fillDateTime("checkedAt", now.minusMinutes(90));
        page.getByLabel("Outcome").fill("No harm disclosed");
        browser.button("Save the check").click();
        browser.button("Sign out").click();

        browser.signIn(url(""), socialWorker);
        page.navigate(episodeUrl);
        browser.button("Record the return interview").click();
        page.locator("#outcome-completed").check();
        browser.fillDateTime("at", now.minusMinutes(30));
        bothWidths("ui-08-return-interview-form");
        browser.button("Save").click();
        assertThat(page.locator(".govuk-notification-banner")).containsText("Return interview updated");
        assertThat(page.locator("#episode-status")).containsText("Completed");
        assertThat(page.locator("#timeline")).containsText("Return interview offered");
        assertThat(page.locator("#timeline")).containsText("Return interview accepted");
        assertThat(page.locator("#timeline")).containsText("Return interview completed");
        bothWidths("ui-09-interview-completed");
    }
}
