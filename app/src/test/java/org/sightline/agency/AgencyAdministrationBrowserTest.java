package org.sightline.agency;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Page;
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
 * An administrator adds a care provider (error summary, check answers), renames it and closes it, in a real browser
 * without JavaScript-only steps; every page is captured and checked with axe at 1280 and 375 pixels wide.
 */
@IntegrationTest
class AgencyAdministrationBrowserTest {

    @LocalServerPort
    int port;

    @Autowired
    TestData data;

    @Autowired
    JdbcClient jdbc;

    Browser browser;
    Page page;

    @BeforeEach
    void open() {
        browser = Browser.open();
        page = browser.page;
    }

    @AfterEach
    void close() {
        if (browser != null) {
            browser.close();
        }
    }

    private void check(String name) {
        page.setViewportSize(1280, 900);
        browser.check("agencies-" + name + "-1280");
        page.setViewportSize(375, 800);
        browser.check("agencies-" + name + "-375");
        page.setViewportSize(1280, 900);
    }

    @Test
    void anAdministratorAddsRenamesAndClosesACareProvider() {
        String admin = data.user("SIGHTLINE", Roles.ADMIN);
        String code = TestData.unique("BRW").toUpperCase();
        String urn = String.valueOf(100_000 + (Math.abs(code.hashCode()) % 900_000));

        browser.signIn("http://localhost:" + port, admin);
        browser.link("Agencies").click();
        assertThat(page.locator("h1")).hasText("Agencies");
        check("01-list");

        browser.link("Add an agency").click();
        page.getByLabel("Ofsted URN (care providers only, optional)").fill("12");
        browser.button("Continue").click();
        assertThat(page).hasTitle(Pattern.compile("^Error: "));
        assertThat(page.locator(".govuk-error-summary li")).hasCount(3);
        assertThat(page.locator(".govuk-error-summary a").first()).hasAttribute("href", "#name");
        check("02-new-errors");

        page.getByLabel("Name", new Page.GetByLabelOptions().setExact(true)).fill("Test homes " + code);
        page.getByLabel("Code", new Page.GetByLabelOptions().setExact(true)).fill(code);
        page.getByLabel("Care provider", new Page.GetByLabelOptions().setExact(true))
                .check();
        page.getByLabel("Ofsted URN (care providers only, optional)").fill(urn);
        browser.button("Continue").click();
        assertThat(page.locator("h1")).hasText("Check the agency before you add it");
        assertThat(page.locator(".govuk-summary-list")).containsText(urn);
        check("03-check");

        browser.button("Add agency").click();
        assertThat(page.locator(".govuk-notification-banner")).containsText("Agency added");
        assertThat(page.locator("h1")).hasText("Test homes " + code);
        check("04-agency");

        page.getByLabel("Name of the agency").fill("Renamed homes " + code);
        browser.button("Save name").click();
        assertThat(page.locator("h1")).hasText("Renamed homes " + code);

        page.getByLabel("Day", new Page.GetByLabelOptions().setExact(true)).fill("30");
        page.getByLabel("Month", new Page.GetByLabelOptions().setExact(true)).fill("2");
        page.getByLabel("Year", new Page.GetByLabelOptions().setExact(true)).fill("2025");
        browser.button("Close agency").click();
        assertThat(page.locator(".govuk-error-summary")).containsText("Day the agency closed must be a real date");
        check("05-close-error");
        page.getByLabel("Day", new Page.GetByLabelOptions().setExact(true)).fill("28");
        browser.button("Close agency").click();
        assertThat(page.locator(".govuk-notification-banner")).containsText("Agency closed");
        assertThat(page.locator(".govuk-summary-list")).containsText("Closed on 28 February 2025");
        check("06-closed");

        // The list shows a page at a time; the agency is found by its code.
        browser.link("Agencies").click();
        assertThat(page.locator("tbody tr")).hasCount(Math.min(AgencyAdministration.PAGE_SIZE, agencyCount()));
        page.getByLabel("Name or code", new Page.GetByLabelOptions().setExact(true))
                .fill(code.toLowerCase());
        browser.button("Search").click();
        assertThat(page.locator("#agencies-count"))
                .hasText("1 agency whose name or code contains \u201c" + code.toLowerCase() + "\u201d");
        assertThat(page.locator("tbody tr")).hasCount(1);
        assertThat(page.locator("tbody tr")).containsText("Renamed homes " + code);
        assertThat(page.locator("tbody tr")).containsText("Closed");
        check("07-found");

        // Many matches: a page at a time, with the GOV.UK pagination.
        String many = TestData.unique("many").replace("-", "");
        for (int i = 0; i < 2 * AgencyAdministration.PAGE_SIZE + 5; i++) {
            jdbc.sql("INSERT INTO agency (code, agency_type, name) VALUES (?, 'care_provider', ?)")
                    .params(TestData.unique("MNY").toUpperCase(), String.format("Homes %s %03d", many, i))
                    .update();
        }
        page.getByLabel("Name or code", new Page.GetByLabelOptions().setExact(true))
                .fill(many);
        browser.button("Search").click();
        assertThat(page.locator("tbody tr")).hasCount(AgencyAdministration.PAGE_SIZE);
        page.locator(".govuk-pagination__next a").click();
        assertThat(page.locator(".govuk-pagination__item--current")).hasText("2");
        assertThat(page.locator("tbody tr").first()).containsText(String.format("Homes %s %03d", many, 50));
        check("08-pages");

        assertThat(jdbc.sql("SELECT count(*) FROM audit_event WHERE subject_type = 'agency' AND action IN "
                                + "('AGENCY_CREATED', 'AGENCY_RENAMED', 'AGENCY_CLOSED') AND subject_id = "
                                + "(SELECT public_id::text FROM agency WHERE code = ?)")
                        .param(code)
                        .query(Integer.class)
                        .single())
                .isEqualTo(3);
    }

    private int agencyCount() {
        return jdbc.sql("SELECT count(*) FROM agency WHERE agency_type <> 'national'")
                .query(Integer.class)
                .single();
    }
}
