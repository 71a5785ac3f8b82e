package org.sightline.child;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sightline.access.UserAccounts;
import org.sightline.support.Browser;
import org.sightline.support.IntegrationTest;
import org.sightline.support.TestData;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A social worker goes from the home page's work lists to the child's page, at desktop and phone widths; a
 * care provider without a relationship sees only whom to contact. Every page passes axe and is captured.
 */
@IntegrationTest
class ChildPageBrowserTest {

    @LocalServerPort
    int port;

    @Autowired
    TestData data;

    @Autowired
    UserAccounts accounts;

    @Autowired
    JdbcClient jdbc;

    Browser browser;
    Page page;
    ChildFixture f;

    @BeforeEach
    void setUp() {
        browser = Browser.open();
        page = browser.page;
        f = new ChildFixture(data, accounts, jdbc);
    }

    @AfterEach
    void tearDown() {
        if (browser != null) {
            browser.close();
        }
    }

    private void signIn(String username) {
        page.navigate("http://localhost:" + port + "/sign-in");
        page.getByLabel("User name").fill(username);
        page.getByLabel("Password").fill(TestData.PASSWORD);
        page.getByRole(
                        AriaRole.BUTTON,
                        new Page.GetByRoleOptions().setName("Sign in").setExact(true))
                .click();
    }

    private void assertNoHorizontalOverflow(int width) {
        Object scrollWidth = page.evaluate("document.documentElement.scrollWidth");
        assertThat(((Number) scrollWidth).intValue())
                .as("page width at " + width + " px")
                .isLessThanOrEqualTo(width);
    }

    @Test
    void fromTheWorkListsToOneChildAtBothWidths() {
        signIn(f.socialWorker.username());
        for (int width : new int[] {1280, 375}) {
            page.setViewportSize(width, 900);
            page.navigate("http://localhost:" + port + "/");
            assertThat(page.locator("#list-missing h2")).containsText("Children missing now");
            assertThat(page.locator("#list-interviews")).containsText("Overdue");
            assertThat(page.locator("#list-risk")).containsText("Exploitation screening in the top band");
            assertNoHorizontalOverflow(width);
            browser.check("child-01-home-" + width);

            // Sorting is a plain link: it works without JavaScript and keeps the reader at the list.
            page.locator("#list-missing")
                    .getByRole(
                            AriaRole.LINK,
                            new com.microsoft.playwright.Locator.GetByRoleOptions().setName("time missing"))
                    .click();
            assertThat(page).hasURL(java.util.regex.Pattern.compile(".*\\?missing=time#list-missing$"));
            assertThat(page.locator("#list-missing strong").first()).hasText("time missing");

            page.locator("#list-missing")
                    .getByRole(
                            AriaRole.LINK,
                            new com.microsoft.playwright.Locator.GetByRoleOptions().setName(f.given + " " + f.family))
                    .click();
            assertThat(page.locator("h1")).hasText(f.given + " " + f.family);
            assertThat(page.locator("#current-risk")).containsText("Missing now");
            assertThat(page.locator("#current-risk")).containsText("High: graded");
            assertThat(page.locator("#counts")).containsText("4 incidents from 6 agency records");
            assertThat(page.locator("#facts")).containsText("White British (" + f.authorityName + ")");
            assertThat(page.locator("#facts")).containsText("Not known (" + f.forceName + ")");
            assertThat(page.locator("#facts")).containsText("Records disagree");
            assertThat(page.locator("#chronology")).containsText("Found outside the home force area");
            assertThat(page.locator("#chronology")).containsText("Recorded by each of");
            assertThat(page.locator("#records")).containsText("Date of birth: day and month swapped");
            assertThat(page.locator("#grab-profile")).containsText("Green parka");
            String text = page.locator("main").innerText();
            assertThat(text).doesNotContain("null", "dm_swap", "not_recorded", "looked_after", "APP", "seraf");
            // Times through DisplayTime only (its pattern is another change's); dates of birth in words.
            assertThat(text)
                    .containsPattern("\\d{1,2} [A-Z][a-z]+ \\d{4}, \\d{2}:\\d{2}")
                    .doesNotContainPattern("\\d{2}/\\d{2}/\\d{4}");
            assertThat(page.locator("#facts")).containsText("4 February 2011");
            assertNoHorizontalOverflow(width);
            browser.check("child-02-page-" + width);
        }
    }

    @Test
    void anAgencyWithoutARelationshipSeesOnlyWhomToContact() {
        signIn(f.strangerCarer.username());
        page.setViewportSize(375, 900);
        page.navigate("http://localhost:" + port + "/children/" + f.identity);
        assertThat(page.locator("h1")).hasText("Other agencies hold records of this child");
        assertThat(page.locator("#holders")).containsText(f.authorityName + " (Local authority)");
        String text = page.locator("main").innerText();
        assertThat(text).doesNotContain(f.family, f.given, "2011", "Ashford", "Green parka");
        assertNoHorizontalOverflow(375);
        browser.check("child-03-existence-only-375");
    }
}
