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
 * Welsh (issue 11): the "English | Cymraeg" switch on the sign-in page, the choice kept with the user, Welsh text
 * under {@code lang="cy"}, Welsh dates; sign-in, home, the child's page and a form with an error summary pass axe
 * at desktop and phone widths without overflowing.
 */
@IntegrationTest
class WelshBrowserTest {

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

    private String url(String path) {
        return "http://localhost:" + port + path;
    }

    private void assertWelshAndChecked(String name) {
        assertThat(page.locator("html")).hasAttribute("lang", "cy");
        for (int width : new int[] {1280, 375}) {
            page.setViewportSize(width, 900);
            Object scrollWidth = page.evaluate("document.documentElement.scrollWidth");
            assertThat(((Number) scrollWidth).intValue())
                    .as(name + " width at " + width + " px")
                    .isLessThanOrEqualTo(width);
            browser.check("welsh-" + name + "-" + width);
        }
        page.setViewportSize(1280, 900);
    }

    private String language(String username) {
        return jdbc.sql("SELECT language FROM app_user WHERE username = ?")
                .param(username)
                .query(String.class)
                .optional()
                .orElse(null);
    }

    @Test
    void aUserSwitchesToWelshAndKeepsIt() {
        String user = f.socialWorker.username();

        page.navigate(url("/sign-in"));
        assertThat(page.locator("html")).hasAttribute("lang", "en");
        // The other language's link says its name in that language, under its own lang attribute.
        assertThat(page.locator("a[hreflang=cy]")).hasAttribute("lang", "cy");
        assertThat(page.locator(".sl-language [aria-current=true]")).hasText("English");
        browser.link("Newid yr iaith i’r Gymraeg").click();

        assertThat(page.locator("h1")).hasText("Mewngofnodi");
        assertThat(page.locator(".sl-language [aria-current=true]")).hasText("Cymraeg");
        assertThat(page.locator(".sl-language [aria-current=true]")).hasAttribute("lang", "cy");
        assertThat(page).hasTitle("Mewngofnodi – Sightline");
        org.assertj.core.api.Assertions.assertThat(page.url()).doesNotContain("lang=");
        assertWelshAndChecked("01-sign-in");

        page.getByLabel("Enw defnyddiwr").fill(user);
        page.getByLabel("Cyfrinair").fill(TestData.PASSWORD);
        browser.button("Mewngofnodi").click();
        assertThat(page.locator("h1")).hasText("Gwasanaethau plant");
        assertThat(page.locator("#list-missing h2")).containsText("Plant sydd ar goll nawr");
        assertThat(page.locator("#list-interviews")).containsText("Yn hwyr");
        assertWelshAndChecked("02-home");

        // The switch on the sign-in page set only the cookie; switching while signed in stores the choice.
        assertThat(language(user)).isNull();
        page.navigate(url("/?lang=cy"));
        assertThat(language(user)).isEqualTo("cy");

        page.navigate(url("/children/" + f.identity));
        assertThat(page.locator("h1")).hasText(f.given + " " + f.family);
        assertThat(page.locator("#current-risk")).containsText("Ar goll nawr");
        assertThat(page.locator("#facts")).containsText("Mae’r cofnodion yn anghytuno");
        // Dates of birth and times with Welsh month names (ChildFixture: born 4 February 2011).
        assertThat(page.locator("#facts")).containsText("4 Chwefror 2011");
        String text = page.locator("main").innerText();
        assertThat(text)
                .containsPattern("\\d{1,2} (Ionawr|Chwefror|Mawrth|Ebrill|Mai|Mehefin|Gorffennaf|Awst|Medi"
                        + "|Hydref|Tachwedd|Rhagfyr) \\d{4}, \\d{2}:\\d{2}");
        assertThat(text).doesNotContain("February", "Not recorded", "Missing now");
        assertWelshAndChecked("03-child");

        page.navigate(url("/records"));
        browser.button("Chwilio").click();
        assertThat(page.locator(".govuk-error-summary__title")).hasText("Mae problem wedi codi");
        assertThat(page.locator(".govuk-error-summary__list"))
                .containsText("Rhowch gyfenw, enw cyntaf neu ddyddiad geni");
        assertThat(page).hasTitle(java.util.regex.Pattern.compile("^Gwall: .* – Sightline$"));
        assertWelshAndChecked("04-search-error");

        // A new browser with no language cookie, asking for English: the user's stored choice wins.
        page.context().clearCookies();
        page.navigate(url("/sign-in"));
        assertThat(page.locator("html")).hasAttribute("lang", "en");
        page.getByLabel("User name").fill(user);
        page.getByLabel("Password").fill(TestData.PASSWORD);
        browser.button("Sign in").click();
        assertThat(page.locator("h1")).hasText("Gwasanaethau plant");
        assertThat(page.locator("html")).hasAttribute("lang", "cy");

        // And back to English, from a page with a query, which is kept.
        page.navigate(url("/?missing=time"));
        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Change the language to English"))
                .click();
        assertThat(page.locator("h1")).hasText("Children's services");
        assertThat(page.locator("html")).hasAttribute("lang", "en");
        org.assertj.core.api.Assertions.assertThat(page.url()).endsWith("/?missing=time");
        assertThat(language(user)).isEqualTo("en");
    }

    @Test
    void aWelshBrowserGetsWelshAndAnyOtherLanguageGetsEnglish() {
        for (String[] c : new String[][] {{"cy-GB", "cy", "Mewngofnodi"}, {"fr-FR", "en", "Sign in"}}) {
            try (com.microsoft.playwright.BrowserContext context = page.context()
                    .browser()
                    .newContext(new com.microsoft.playwright.Browser.NewContextOptions().setLocale(c[0]))) {
                Page other = context.newPage();
                other.navigate(url("/sign-in"));
                assertThat(other.locator("html")).hasAttribute("lang", c[1]);
                assertThat(other.locator("h1")).hasText(c[2]);
            }
        }
    }
}
