package org.sightline.statistics;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.APIResponse;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.sightline.access.Roles;
import org.sightline.support.Browser;
import org.sightline.support.IntegrationTest;
import org.sightline.support.TestData;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * An analyst opens Statistics from the menu: the reconciliation of police and authority counts and the data-quality
 * page work in a real browser, each table's CSV download has exactly the table's cells, small counts are suppressed,
 * and the pages pass axe at 1280 and 375 pixels.
 */
@IntegrationTest
class StatisticsBrowserTest {

    @LocalServerPort
    int port;

    @Autowired
    TestData data;

    @Autowired
    JdbcClient jdbc;

    private String area;
    private String authority;
    private String police;

    /** A looked-after child of the authority with one episode over 24 hours per agency given. */
    private void child(boolean byAuthority, boolean byPolice, int hours) {
        long identity = data.identity();
        String laRecord = record(authority, identity, "looked_after");
        String policeRecord = record(police, identity, "not_recorded");
        jdbc.sql("UPDATE person_record SET sex = ? WHERE record_ref = ?")
                .params(identity % 3 == 0 ? "male" : "female", policeRecord)
                .update();
        if (byAuthority) {
            episode(authority, laRecord, hours);
            // The authority also raised an exploitation concern: the child is in the victim profile.
            jdbc.sql(
                            """
                    INSERT INTO exploitation_concern (agency_id, person_record_id, concern_ref, raised_at)
                    SELECT a.id, pr.id, ?, TIMESTAMPTZ '2024-09-03 10:00Z'
                    FROM agency a JOIN person_record pr ON pr.agency_id = a.id AND pr.record_ref = ? WHERE a.code = ?""")
                    .params(TestData.unique("CON"), laRecord, authority)
                    .update();
        }
        if (byPolice) {
            episode(police, policeRecord, hours + 2);
        }
    }

    private String record(String agency, long identity, String care) {
        String ref = TestData.unique("REC");
        jdbc.sql(
                        """
                INSERT INTO person_record (agency_id, record_ref, identity_id, given_name, family_name, care_status)
                SELECT id, ?, ?, 'Testchild', 'Statistica', ? FROM agency WHERE code = ?""")
                .params(ref, identity, care, agency)
                .update();
        return ref;
    }

    private void episode(String agency, String recordRef, int hours) {
        jdbc.sql(
                        """
                INSERT INTO missing_episode (agency_id, person_record_id, episode_ref, reported_at, last_seen_at, found_at,
                                             missing_from, category)
                SELECT a.id, pr.id, ?, TIMESTAMPTZ '2024-09-01 20:00Z', TIMESTAMPTZ '2024-09-01 18:00Z',
                       TIMESTAMPTZ '2024-09-01 18:00Z' + make_interval(hours => ?), 'care', 'missing'
                FROM agency a JOIN person_record pr ON pr.agency_id = a.id AND pr.record_ref = ? WHERE a.code = ?""")
                .params(TestData.unique("EP"), hours, recordRef, agency)
                .update();
    }

    private String agencyIn(String type) {
        String code = data.agency(type);
        jdbc.sql("UPDATE agency SET area_code = ? WHERE code = ?")
                .params(area, code)
                .update();
        return code;
    }

    @Test
    void reconciliationAndDataQualityWithDownloadsThatMatchTheTables() {
        area = TestData.unique("AREA");
        authority = agencyIn("local_authority");
        police = agencyIn("police_force");
        for (int i = 0; i < 6; i++) {
            child(true, true, 30);
        }
        for (int i = 0; i < 7; i++) {
            child(true, false, 50);
        }
        for (int i = 0; i < 5; i++) {
            child(false, true, 26);
        }
        child(true, true, 20); // under 24 hours: in neither count
        child(false, true, 40); // one more police-only child: 6
        // A concern whose date the authority does not know: no period can place it, so the profile says so.
        jdbc.sql(
                        """
                INSERT INTO exploitation_concern (agency_id, person_record_id, concern_ref, raised_precision)
                SELECT a.id, pr.id, ?, 'not_known'
                FROM agency a JOIN person_record pr ON pr.agency_id = a.id AND pr.record_ref = ? WHERE a.code = ?""")
                .params(TestData.unique("CON"), record(authority, data.identity(), "not_known"), authority)
                .update();
        String analyst = data.user(authority, Roles.ANALYST);
        String base = "http://localhost:" + port;
        try (Browser browser = Browser.open()) {
            Page page = browser.page;
            browser.signIn(base, analyst);
            browser.link("Statistics").click();
            assertThat(page.locator("h1").textContent()).isEqualTo("Children with exploitation concerns");
            page.locator("#area").fill(area);
            page.locator("#from").fill("2024-04-01");
            page.locator("#to").fill("2025-03-31");
            browser.button("Show figures").click();
            assertThat(page.url())
                    .contains("area=" + area)
                    .contains("from=2024-04-01")
                    .contains("to=2025-03-31");
            // 6 + 7 + 1 children the authority raised a concern about, each held by the authority and the police.
            assertThat(page.locator("#summary").textContent())
                    .isEqualTo("14 children counted once each, from 28 agency records.");
            assertThat(page.locator("#unplaced").textContent())
                    .as("one child, published as a count of 1 to 4 is: suppressed")
                    .startsWith("Children not counted above because no concern date places them in this period: [c].");
            assertThat(table(page, "looked_after")).contains(List.of("Yes", "14", "100.0"));
            assertThat(csv(page, "sex")).isEqualTo(withHeader(page, "sex", table(page, "sex")));
            assertThat(page.locator("canvas").count())
                    .as("a chart per profile table")
                    .isEqualTo(8);
            browser.check("statistics-00-victims");
            browser.link("Police and authority counts").click();
            assertThat(page.url()).contains("/statistics/reconciliation?area=" + area);
            List<List<String>> table = table(page, "reconciliation");
            String name = jdbc.sql("SELECT name FROM agency WHERE code = ?")
                    .param(authority)
                    .query(String.class)
                    .single();
            // authority 13 = 6 both + 7 authority only; police 12 = 6 both + 6 police only.
            assertThat(table)
                    .containsExactly(
                            List.of(name + " (" + authority + ")", "13", "12", "6", "7", "6"),
                            List.of("Total", "13", "12", "6", "7", "6"));
            assertThat(csv(page, "reconciliation")).isEqualTo(withHeader(page, "reconciliation", table));
            browser.check("statistics-01-reconciliation");
            narrow(browser, "statistics-02-reconciliation-375");
            page.setViewportSize(1280, 900);

            browser.link("Missing episodes").click();
            // 20 children, each one incident (the authority's and the police's records of a period are one incident).
            assertThat(table(page, "overview"))
                    .containsExactly(
                            List.of("Episode records (every agency's)", "27"),
                            List.of("Incidents", "20"),
                            List.of("Children", "20"),
                            List.of("Children missing more than once", "0"),
                            List.of("Repeat rate (% of children)", "0.0"),
                            List.of("Incidents per child", "1.0"));
            // One incident under 24 hours: hidden, and the 19 beside it too, or 20 - 19 would give it back.
            assertThat(table(page, "duration"))
                    .contains(
                            List.of("6 to 24 hours", "[c]", "[c]"),
                            List.of("1 to 3 days", "[c]", "[c]"),
                            List.of("Under 6 hours", "0", "0.0"),
                            List.of("Total", "20", "100.0"));
            assertThat(table(page, "category")).contains(List.of("Missing", "13", "14", "0", "0", "27"));
            for (String id : List.of("overview", "duration", "from", "category", "grades", "interviews")) {
                assertThat(csv(page, id)).isEqualTo(withHeader(page, id, table(page, id)));
            }
            browser.check("statistics-06-missing");

            browser.link("Data quality").click();
            for (String id : List.of("completeness", "timeliness", "checks")) {
                assertThat(csv(page, id)).isEqualTo(withHeader(page, id, table(page, id)));
            }
            List<List<String>> completeness = table(page, "completeness");
            assertThat(completeness).anySatisfy(r -> assertThat(r.subList(0, 3))
                    .containsExactly(name + " (" + authority + ")", "21", "0.0")); // 20 children's + the undated one
            browser.check("statistics-03-data-quality");
            narrow(browser, "statistics-04-data-quality-375");
        }
    }

    @Test
    void smallCountsAreSuppressedOnThePageAndInTheDownload() {
        area = TestData.unique("AREA");
        authority = agencyIn("local_authority");
        police = agencyIn("police_force");
        for (int i = 0; i < 8; i++) {
            child(true, true, 30);
        }
        for (int i = 0; i < 2; i++) {
            child(true, false, 30);
        }
        String analyst = data.user(authority, Roles.ANALYST);
        try (Browser browser = Browser.open()) {
            Page page = browser.page;
            browser.signIn("http://localhost:" + port, analyst);
            page.navigate("http://localhost:" + port + "/statistics/reconciliation?area=" + area);
            // authority 10 = 8 + 2: the 2 is hidden, and so is a second cell of its row so 10 - 8 cannot give it back;
            // the police-only 0 stays. The column of authority-only values then has one [c] and the total: hidden too.
            List<List<String>> table = table(page, "reconciliation");
            assertThat(table.get(0).get(4)).isEqualTo("[c]");
            for (List<String> row : table) {
                assertThat(row.subList(1, 6).stream().filter("[c]"::equals).count())
                        .isNotEqualTo(1);
            }
            assertThat(csv(page, "reconciliation")).isEqualTo(withHeader(page, "reconciliation", table));
            assertThat(page.locator(".govuk-inset-text").textContent()).contains("[c]");
            page.navigate("http://localhost:" + port + "/statistics/reconciliation?from=2024-13-01");
            assertThat(page.locator(".govuk-error-summary").textContent()).contains("Enter the first day as a date");
            browser.check("statistics-05-error");
        }
    }

    @Test
    void supervisorsListTheChildrenBehindEachFigureAndAnalystsSeeCountsOnly() {
        area = TestData.unique("AREA");
        authority = agencyIn("local_authority");
        police = agencyIn("police_force");
        for (int i = 0; i < 5; i++) {
            child(true, true, 30);
        }
        for (int i = 0; i < 6; i++) {
            child(true, false, 50);
        }
        for (int i = 0; i < 7; i++) {
            child(false, true, 26);
        }
        String supervisor = data.user(authority, Roles.SUPERVISOR);
        // A supervisor of an agency that works with none of these children.
        String stranger = data.user(data.agency("care_provider"), Roles.SUPERVISOR);
        String analyst = data.user(authority, Roles.ANALYST);
        String base = "http://localhost:" + port;
        String period = "?area=" + area + "&from=2024-04-01&to=2025-03-31";
        String name = jdbc.sql("SELECT name FROM agency WHERE code = ?")
                .param(authority)
                .query(String.class)
                .single();
        try (Browser browser = Browser.open()) {
            Page page = browser.page;
            browser.signIn(base, supervisor);
            page.navigate(base + "/statistics/reconciliation" + period);
            assertThat(table(page, "reconciliation").get(0))
                    .containsExactly(name + " (" + authority + ")", "11", "12", "5", "6", "7");
            page.locator("a[data-group='police-only']").click();
            assertThat(page.locator("h1").textContent()).isEqualTo("Recorded by police only");
            List<List<String>> children = table(page, "children");
            // 7 police-only children, all looked after by the supervisor's authority, so all listed.
            assertThat(children).hasSize(7);
            assertThat(page.locator("#hidden-count").count()).isZero();
            for (int i = 0; i < children.size(); i++) {
                List<String> row = children.get(i);
                assertThat(row.get(0)).isEqualTo("Child " + (i + 1));
                assertThat(row.subList(2, 5)).containsExactly("1 September 2024", "0", "1");
            }
            List<String> ids = children.stream().map(r -> r.get(1)).toList();
            List<String> expected = jdbc.sql(
                            """
                    SELECT i.public_id::text FROM identity i
                    WHERE EXISTS (SELECT 1 FROM person_record pr JOIN agency a ON a.id = pr.agency_id
                                  WHERE pr.identity_id = i.id AND a.code = ?)
                      AND EXISTS (SELECT 1 FROM missing_episode e JOIN person_record pr ON pr.id = e.person_record_id
                                  JOIN agency a ON a.id = e.agency_id WHERE pr.identity_id = i.id AND a.code = ?)
                      AND NOT EXISTS (SELECT 1 FROM missing_episode e JOIN person_record pr ON pr.id = e.person_record_id
                                      JOIN agency a ON a.id = e.agency_id WHERE pr.identity_id = i.id AND a.code = ?)""")
                    .params(authority, police, authority)
                    .query(String.class)
                    .list();
            assertThat(ids).containsExactlyInAnyOrderElementsOf(expected);
            assertThat(csv(page, "police-only")).isEqualTo(withHeader(page, "children", children));
            browser.check("statistics-07-reconciliation-children");
            page.locator("#table-children tbody tr").first().locator("a").click();
            assertThat(page.url()).contains("/children/" + ids.get(0));
            long listed = jdbc.sql("SELECT count(*) FROM audit_event WHERE actor = ? AND action = 'VIEW_LIST' "
                            + "AND details LIKE 'statistics reconciliation police-only;%children=7'")
                    .param(supervisor)
                    .query(Long.class)
                    .single();
            assertThat(listed).as("each list and download audited").isEqualTo(2);
        }
        try (Browser browser = Browser.open()) {
            Page page = browser.page;
            browser.signIn(base, stranger);
            page.navigate(base + "/statistics/reconciliation/" + authority + "/police-only" + period);
            assertThat(page.locator("#hidden-count").textContent())
                    .isEqualTo("7 more children in this figure your agency may not open, so not listed.");
            assertThat(table(page, "children")).containsExactly(List.of("No children your agency may open."));
        }
        try (Browser browser = Browser.open()) {
            Page page = browser.page;
            browser.signIn(base, analyst);
            page.navigate(base + "/statistics/reconciliation" + period);
            assertThat(page.locator("a[data-group]").count()).isZero();
            page.navigate(base + "/statistics/reconciliation/" + authority + "/matched" + period);
            assertThat(page.locator("#not-entitled").textContent()).contains("supervisors only");
            assertThat(page.locator("#table-children").count()).isZero();
            browser.check("statistics-08-reconciliation-children-analyst");
            APIResponse csv =
                    page.request().get(base + "/statistics/reconciliation/" + authority + "/matched.csv" + period);
            assertThat(csv.status()).isEqualTo(403);
        }
    }

    private static List<List<String>> table(Page page, String id) {
        // count() does not wait: on a loaded machine the page may still be arriving below its first lines.
        page.waitForLoadState();
        List<List<String>> rows = new ArrayList<>();
        Locator trs = page.locator("#table-" + id + " tbody tr");
        for (int i = 0; i < trs.count(); i++) {
            rows.add(trs.nth(i).locator("th, td").allTextContents().stream()
                    .map(String::strip)
                    .toList());
        }
        return rows;
    }

    private static List<List<String>> withHeader(Page page, String id, List<List<String>> rows) {
        List<List<String>> out = new ArrayList<>();
        out.add(page.locator("#table-" + id + " thead th").allTextContents().stream()
                .map(String::strip)
                .toList());
        out.addAll(rows);
        return out;
    }

    /** Follows the table's download link with the browser's session and reads the CSV. */
    private static List<List<String>> csv(Page page, String id) {
        String href = page.locator("a[href*='/" + id + ".csv']").getAttribute("href");
        APIResponse response = page.request().get(page.url().replaceAll("(https?://[^/]+).*", "$1") + href);
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.headers().get("content-type")).startsWith("text/csv");
        List<List<String>> rows = new ArrayList<>();
        for (CsvRecord r : CsvReader.builder().ofCsvRecord(response.text())) {
            rows.add(r.getFields());
        }
        return rows;
    }

    private static void narrow(Browser browser, String name) {
        browser.page.setViewportSize(375, 800);
        assertThat((Integer) browser.page.evaluate("document.documentElement.scrollWidth"))
                .isLessThanOrEqualTo(375);
        browser.check(name);
    }
}
