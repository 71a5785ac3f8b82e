package org.sightline.web;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Page;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sightline.access.Roles;
import org.sightline.support.Browser;
import org.sightline.support.IntegrationTest;
import org.sightline.support.TestData;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/** An officer signs in, searches, opens a record; every page passes axe and is captured. */
@IntegrationTest
class SignInSearchBrowserTest {

    @LocalServerPort
    int port;

    @Autowired
    TestData data;

    @Autowired
    org.springframework.jdbc.core.simple.JdbcClient jdbc;

    Browser browser;
    Page page;
    String username;
    String family;
    UUID record;

    @BeforeEach
    void setUp() {
        browser = Browser.open();
        page = browser.page;
        String force = data.agency("police_force");
        username = data.user(force, Roles.POLICE_OFFICER);
        family = "Quillfeather" + TestData.unique("x").substring(2, 8).replaceAll("[^a-z]", "q");
        record = data.personRecord(force, "Maisie", family, 2010, 6, 14, null);
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

    private void signIn() {
        page.navigate(url("/sign-in"));
        browser.check("01-sign-in");
        page.getByLabel("User name").fill(username);
        page.getByLabel("Password").fill(TestData.PASSWORD);
        page.getByRole(
                        com.microsoft.playwright.options.AriaRole.BUTTON,
                        new Page.GetByRoleOptions().setName("Sign in").setExact(true))
                .click();
    }

    @Test
    void officerSignsInSearchesAndOpensARecord() {
        signIn();
        assertThat(page.locator("h1")).hasText("Missing persons and police");
        browser.check("02-home-police");

        page.getByRole(
                        com.microsoft.playwright.options.AriaRole.LINK,
                        new Page.GetByRoleOptions().setName("Search for a child"))
                .click();
        browser.check("03-search");
        page.getByLabel("Family name").fill(family);
        page.getByLabel("Year").fill("2010");
        page.getByRole(com.microsoft.playwright.options.AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Search"))
                .click();
        assertThat(page.locator("#results-heading")).hasText("1 record found");
        browser.check("04-search-results");

        page.getByRole(
                        com.microsoft.playwright.options.AriaRole.LINK,
                        new Page.GetByRoleOptions().setName("Maisie " + family))
                .click();
        assertThat(page.locator("h1")).hasText("Maisie " + family);
        assertThat(page).hasURL(url("/records/" + record));
        assertThat(page.locator("body")).containsText("14 June 2010");
        browser.check("05-record");
    }

    @Test
    void aLinkedRecordShowsWhyItWasLinked() {
        String otherForce = data.agency("police_force");
        long identity = data.identity();
        // A relationship with the child (C8) lets the force see the other force's record: it records a care status.
        jdbc.sql("UPDATE person_record SET identity_id = ?, care_status = 'looked_after' WHERE public_id = ?")
                .params(identity, record)
                .update();
        UUID other = data.personRecord(otherForce, "Maisy", family, 2010, 6, 14, identity);
        jdbc.sql(
                        """
                INSERT INTO identity_link (identity_id, record_a, record_b, weight, probability, evidence, source)
                SELECT ?, least(a.id, b.id), greatest(a.id, b.id), 18.2, 0.99999, ?, 'engine'
                FROM person_record a, person_record b WHERE a.public_id = ? AND b.public_id = ?""")
                .params(
                        identity,
                        "given_name=jw:0.92:+5.1; family_name=exact:+9.3; dob=exact:+10.2; sex=exact:+0.9",
                        record,
                        other)
                .update();
        signIn();
        page.navigate(url("/records/" + record));
        assertThat(page.locator("body")).containsText("Maisy " + family);
        page.getByText("Match probability 100.0%").click();
        assertThat(page.locator(".govuk-details__text")).containsText("Family name: the same");
        browser.check("08-record-linked-evidence");
    }

    @Test
    void searchWithErrorsShowsTheSummaryLinkedToTheField() {
        signIn();
        page.navigate(url("/records"));
        page.getByLabel("Month").fill("13");
        page.getByRole(com.microsoft.playwright.options.AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Search"))
                .click();
        assertThat(page).hasTitle(java.util.regex.Pattern.compile("^Error: "));
        assertThat(page.locator(".govuk-error-summary")).containsText("Month of birth must be a number from 1 to 12");
        assertThat(page.locator(".govuk-error-summary a")).hasAttribute("href", "#dobMonth");
        browser.check("06-search-error");
    }

    @Test
    void wrongPasswordIsRefusedWithAClearMessage() {
        page.navigate(url("/sign-in"));
        page.getByLabel("User name").fill(username);
        page.getByLabel("Password").fill("not-the-password");
        page.getByRole(
                        com.microsoft.playwright.options.AriaRole.BUTTON,
                        new Page.GetByRoleOptions().setName("Sign in").setExact(true))
                .click();
        assertThat(page.locator(".govuk-error-summary")).containsText("Enter a user name and password that match");
        assertThat(page.url()).endsWith("/sign-in?error");
        browser.check("07-sign-in-error");
    }
}
