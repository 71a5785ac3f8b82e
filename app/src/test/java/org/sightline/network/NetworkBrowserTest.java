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

        // The operator has loaded the flat's postcode position (centroids-import).
        String unit = s.postcode.replace(" ", "");
        jdbc.sql(
                        """
                INSERT INTO postcode_centroid (code, latitude, longitude, source) VALUES (?, 53.8001, -1.5498, ?)
                ON CONFLICT (code) DO UPDATE SET latitude = excluded.latitude, longitude = excluded.longitude,
                    source = excluded.source""")
                .params(unit, "Test postcode positions")
                .update();

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
        // Drawn where its postcode is, numbered by its rank, the source named; the table says where too.
        assertThat(first.locator(".sl-position")).hasText("Position: the centre of its postcode");
        Locator drawn = page.locator("#hotspot-map g.sl-map__place[data-rank='1']");
        assertThat(drawn.locator("circle")).hasCount(1);
        assertThat(drawn.locator("title"))
                .hasText(java.util.regex.Pattern.compile(
                        "^1\\. .*" + s.flatAsForce1Writes.split(",")[0] + ".*: linked to 2 children$"));
        assertThat(page.locator("#hotspot-map-source")).containsText("Test postcode positions");
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
        Locator cell = row.locator("td").nth(column - 1);
        assertThat(cell.locator("a span").first()).hasText("[c]");
        // Top flows cross a border with both ends known (which ten depends on every test's data in this database).
        assertThat(page.locator("#top-flows li")).not().hasCount(0);
        assertThat(page.locator("#top-flows")).not().containsText("not recorded");
        checkBoth("network-04-flows");

        // The supervisor opens the suppressed cell: the authority's own child, pseudonymised, linked to her page.
        cell.locator("a").click();
        assertThat(page.locator("h1")).hasText("Home area Test agency " + s.la1 + ", found in Test agency " + s.force1);
        assertThat(page.locator("#flow-episodes tbody tr")).hasCount(1);
        assertThat(page.locator("#flow-episodes tbody tr th a")).hasText("Child 1");
        assertThat(page.locator("#flow-episodes tbody tr")).containsText("Test agency " + s.force1);
        assertThat(page.locator("body")).not().containsText(s.familyA);
        checkBoth("network-04-flow-episodes");
        page.locator("#flow-episodes tbody tr th a").click();
        assertThat(page.locator("body")).containsText(s.familyA);
    }

    /** Part 6 and part 5: a finder who types the flat wrongly is offered it; the meeting pack shows what it links. */
    @Test
    void aFinderTypingTheFlatWronglyIsOfferedItAndTheMeetingPackShowsIt() {
        recordFound(s.officer1, s.episodeAId, s.flatAsForce1Writes, s.postcode, 10);

        browser.signIn(base(), s.officer2);
        page.navigate(base() + "/episodes/" + s.episodeBId + "/found");
        browser.fillDateTime(
                "foundAt",
                LocalDateTime.now(ZoneId.of("Europe/London"))
                        .minusDays(5)
                        .withHour(9)
                        .withMinute(15));
        String typo = "Flat 2, " + s.house + " Hihg Stret";
        page.getByLabel("Where was the child found?").fill(typo);
        page.getByLabel("Postcode (optional)").fill(s.postcode);
        page.getByLabel("Found by, or returned to").fill("Police patrol");
        browser.button("Record found").click();
        // Not saved yet: the known flat is offered, as the first force wrote it, with none of these last.
        assertThat(page.locator("legend", new Page.LocatorOptions().setHasText("Is it one of these known places?")))
                .isVisible();
        Locator flat = page.getByLabel(s.flatAsForce1Writes + ", " + s.postcode);
        assertThat(flat).isVisible();
        assertThat(page.getByText("Recorded by Test agency " + s.force1)).isVisible();
        assertThat(page.getByLabel("None of these: record the place as typed")).isVisible();
        assertThat(page.getByLabel("Where was the child found?")).hasValue(typo);
        assertThat(jdbc.sql("SELECT status FROM missing_episode WHERE id = ?")
                        .param(s.episodeB)
                        .query(String.class)
                        .single())
                .isEqualTo("graded");
        checkBoth("network-05-found-suggestions");
        browser.button("Record found").click();
        assertThat(page.locator(".govuk-error-summary"))
                .containsText("Choose one of the known places, or none of these");
        checkBoth("network-06-found-suggestions-error");
        page.locator(".govuk-error-summary a").first().click();
        page.getByLabel(s.flatAsForce1Writes + ", " + s.postcode).check();
        browser.button("Record found").click();
        assertThat(page.locator(".govuk-notification-banner")).isVisible();
        long[] places = jdbc
                .sql(
                        """
                SELECT l.place_id FROM association x JOIN location l ON l.id = x.to_id
                WHERE x.from_kind = 'episode' AND x.from_id IN (?, ?) AND x.to_kind = 'location' ORDER BY x.from_id""")
                .params(s.episodeA, s.episodeB)
                .query(Long.class)
                .list()
                .stream()
                .mapToLong(Long::longValue)
                .toArray();
        assertThat(places).hasSize(2);
        assertThat(places[1]).as("the typo joined the known flat").isEqualTo(places[0]);

        // Only the flat's postcode district has a known position (a district file was loaded).
        String unit = s.postcode.replace(" ", "");
        jdbc.sql("DELETE FROM postcode_centroid WHERE code = ?").param(unit).update();
        jdbc.sql(
                        """
                INSERT INTO postcode_centroid (code, latitude, longitude, source) VALUES (?, 53.79, -1.55, ?)
                ON CONFLICT (code) DO UPDATE SET latitude = excluded.latitude, longitude = excluded.longitude,
                    source = excluded.source""")
                .params(unit.substring(0, unit.length() - 3), "Test district positions")
                .update();

        // The meeting pack for the first force's area: the flat under locations, and drawn at its district's centre;
        // both children as victims, the other force's child only as existence and contact; nothing else is made up.
        browser.signIn(base(), s.officer1);
        page.navigate(base() + "/network/hotspots");
        page.getByLabel("Area").fill(s.force1);
        browser.button("Show").click();
        page.locator("#meeting-pack-link").click();
        assertThat(page.locator("h1")).hasText("Meeting pack");
        assertThat(page.locator("#pack-scope")).containsText("Area: " + s.force1);
        Locator place = page.locator("#locations tbody tr").first();
        assertThat(place.locator("th")).containsText(s.flatAsForce1Writes);
        assertThat(place).containsText("Linked to 2 children");
        assertThat(page.locator("#victims tbody tr")).hasCount(2);
        assertThat(page.locator("#victims")).containsText("Ava " + s.familyA);
        assertThat(page.locator("#victims"))
                .containsText("A child known to Test agency " + s.la2 + ": contact MASH 0113 000 0000");
        assertThat(page.locator("#victims")).containsText("Linked to the place " + s.flatAsForce1Writes);
        assertThat(page.locator("body")).not().containsText(s.familyB);
        assertThat(page.locator("#offenders-heading")).isVisible();
        assertThat(page.locator("#themes-heading")).isVisible();
        assertThat(page.locator("#locations-map g.sl-map__place--approximate[data-rank='1'] title"))
                .containsText("(the centre of its postcode district, approximate)");
        assertThat(page.locator("#hotspot-map-source")).containsText("Test district positions");
        checkBoth("network-07-meeting-pack");
        // Printed: the pack without the service's header, the filters or the download link.
        page.emulateMedia(new Page.EmulateMediaOptions().setMedia(com.microsoft.playwright.options.Media.PRINT));
        assertThat(page.locator(".govuk-header")).isHidden();
        assertThat(page.locator(".sl-filters")).isHidden();
        assertThat(page.locator("#pack-csv")).isHidden();
        assertThat(page.locator("#locations")).isVisible();
        assertThat(page.locator("#hotspot-map")).isVisible();
        // Without each link's address printed after it (govuk-frontend's print style does that).
        assertThat(page.locator("#locations tbody a").first().evaluate("a => getComputedStyle(a, '::after').content"))
                .isEqualTo("none");
        browser.check("network-08-meeting-pack-print");
        page.emulateMedia(new Page.EmulateMediaOptions().setMedia(com.microsoft.playwright.options.Media.SCREEN));
        var csv = page.request()
                .get(
                        page.locator("#pack-csv").getAttribute("href").startsWith("http")
                                ? page.locator("#pack-csv").getAttribute("href")
                                : base() + page.locator("#pack-csv").getAttribute("href"));
        assertThat(csv.status()).isEqualTo(200);
        String body = csv.text();
        assertThat(body).startsWith("section,rank,what,score_or_children,reasons_or_links");
        assertThat(body).contains("locations,1,\"" + s.flatAsForce1Writes + ", " + s.postcode + "\",2,");
        assertThat(body).contains("A child known to Test agency " + s.la2).doesNotContain(s.familyB);
        assertThat(body.lines().filter(l -> l.startsWith("victims,")).count()).isEqualTo(2);
    }
}
