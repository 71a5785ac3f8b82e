package org.sightline.network;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import java.time.LocalDateTime;
import java.time.ZoneId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sightline.support.Browser;
import org.sightline.support.IntegrationTest;
import org.sightline.support.TestData;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Issue 10, done when: two children from two authorities are found at the same flat by two forces, each writing it
 * its own way, through the found page. The flat is one place linking both, it tops the hotspots with its reasons,
 * the flow appears in the matrix, and the first force sees the second force's child only as existence and contact.
 * Every page at 1280 and 375 pixels, checked with axe.
 */
@IntegrationTest
class NetworkBrowserTest {

    @LocalServerPort
    int port;

    @Autowired
    TestData data;

    @Autowired
    JdbcClient jdbc;

    Browser browser;
    Page page;
    NetworkScenario s;

    @BeforeEach
    void setUp() {
        browser = Browser.open();
        page = browser.page;
        s = new NetworkScenario(data, jdbc);
    }

    @AfterEach
    void tearDown() {
        browser.close();
    }

    private String base() {
        return "http://localhost:" + port;
    }

    private void recordFound(String officer, java.util.UUID episode, String place, String postcode, int daysAgo) {
        browser.signIn(base(), officer);
        page.navigate(base() + "/episodes/" + episode + "/found");
        browser.fillDateTime(
                "foundAt",
                LocalDateTime.now(ZoneId.of("Europe/London"))
                        .minusDays(daysAgo)
                        .withHour(14)
                        .withMinute(30));
        page.getByLabel("Where was the child found?").fill(place);
        page.getByLabel("Postcode (optional)").fill(postcode);
        page.getByLabel("Found by, or returned to").fill("Police patrol");
        browser.button("Record found").click();
        assertThat(page.locator(".govuk-notification-banner")).isVisible();
    }

    private void checkBoth(String name) {
        page.setViewportSize(1280, 900);
        browser.check(name + "-1280");
        page.setViewportSize(375, 800);
        browser.check(name + "-375");
        page.setViewportSize(1280, 900);
    }

    @Test
    void twoForcesFindTwoChildrenAtOneFlat() {
        recordFound(s.officer1, s.episodeAId, s.flatAsForce1Writes, s.postcode, 10);
        recordFound(
                s.officer2,
                s.episodeBId,
                s.flatAsForce2Writes,
                s.postcode.replace(" ", "").toLowerCase(),
                5);

        // Hotspots of the first force's area: the flat first, with its reasons in words.
        browser.signIn(base(), s.officer1);
        page.navigate(base() + "/network/hotspots");
        page.getByLabel("Area").fill(s.force1);
        browser.button("Show").click();
        Locator first = page.locator("#hotspots tbody tr").first();
        assertThat(first.locator("th")).containsText(s.flatAsForce1Writes);
        assertThat(first).containsText("Linked to 2 children");
        assertThat(first).containsText("The children come from 2 different home areas: ");
        assertThat(first.locator(".sl-reasons")).containsText("Test agency " + s.la1);
        assertThat(first.locator(".sl-reasons")).containsText("Test agency " + s.la2);
        assertThat(first).containsText("Children were found here 2 times");
        // Child A by name (this force reported her); child B only as existence and whom to contact.
        assertThat(first.getByRole(
                        com.microsoft.playwright.options.AriaRole.LINK,
                        new Locator.GetByRoleOptions().setName("Ava " + s.familyA)))
                .isVisible();
        assertThat(first).containsText("A child known to Test agency " + s.la2 + ": contact MASH 0113 000 0000");
        assertThat(page.locator("body")).not().containsText(s.familyB);
        checkBoth("network-01-hotspots");

        // The flat is one node linking both children; each link says who recorded it.
        first.getByText("Show the network around it").click();
        assertThat(page.locator("#graph-summary")).hasText("3 people, places and things, 2 links, within 2 steps");
        assertThat(page.locator("#graph-nodes tbody tr")).hasCount(3);
        assertThat(page.locator("#graph-nodes tbody tr[data-kind=place]")).hasCount(1);
        Locator edges = page.locator("#graph-edges tbody tr");
        assertThat(edges).hasCount(2);
        assertThat(page.locator("#graph-edges")).containsText("Test agency " + s.force1);
        assertThat(page.locator("#graph-edges")).containsText("Test agency " + s.force2);
        assertThat(page.locator("#graph-edges")).containsText("The child was found there");
        assertThat(page.locator("#graph-nodes")).containsText("A child known to Test agency " + s.la2);
        assertThat(page.locator("body")).not().containsText(s.familyB);
        // The drawing is drawn from the same rows when scripts run.
        page.waitForFunction("document.querySelector('#graph-drawing canvas') !== null");
        checkBoth("network-02-graph");

        // The place: both forces' recordings, each as written.
        page.navigate(base() + "/network/places/"
                + page.locator("#graph-nodes tbody tr[data-kind=place] a")
                        .getAttribute("href")
                        .replaceAll(".*/", ""));
        assertThat(page.locator("#recordings tbody tr")).hasCount(2);
        assertThat(page.locator("#recordings")).containsText(s.flatAsForce2Writes);
        checkBoth("network-03-place");

        // The flow from each home authority to the force that found the child, suppressed as published figures are.
        browser.signIn(base(), s.supervisor);
        page.navigate(base() + "/network/flows");
        Locator header = page.locator("#flows thead th");
        int column = header.allTextContents().indexOf("Test agency " + s.force1);
        assertThat(column).isPositive();
        Locator row = page.locator("#flows tbody tr")
                .filter(new Locator.FilterOptions()
                        .setHas(page.locator("th", new Page.LocatorOptions().setHasText("Test agency " + s.la1))));
        assertThat(row).hasCount(1);
        assertThat(row.locator("td").nth(column - 1)).hasText("[c]");
        // Top flows cross a border with both ends known (which ten depends on every test's data in this database).
        assertThat(page.locator("#top-flows li")).not().hasCount(0);
        assertThat(page.locator("#top-flows")).not().containsText("not recorded");
        checkBoth("network-04-flows");
    }
}
