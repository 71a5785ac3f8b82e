package org.sightline.access;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Page;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sightline.support.Browser;
import org.sightline.support.IntegrationTest;
import org.sightline.support.TestData;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * A user sets up an authenticator app (QR code and the key to type, a wrong code, recovery codes shown once) and signs
 * in with password and then code; an administrator sees it on the account and chooses the roles that must use one.
 * Codes are computed by the test (RFC 6238). Every page is captured and checked with axe, wide and narrow.
 */
@IntegrationTest
class SecondFactorBrowserTest {

    @LocalServerPort
    int port;

    @Autowired
    TestData data;

    @Autowired
    UserAccounts accounts;

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

    private String url(String path) {
        return "http://localhost:" + port + path;
    }

    private void check(String name) {
        page.setViewportSize(1280, 900);
        browser.check("two-factor-" + name + "-1280");
        page.setViewportSize(375, 800);
        browser.check("two-factor-" + name + "-375");
        page.setViewportSize(1280, 900);
    }

    @Test
    void aUserSetsUpTheAppAndSignsInWithTheCode() {
        String user = data.user(data.agency("local_authority"), Roles.SOCIAL_WORKER);
        browser.signIn(url(""), user);
        browser.link("Authenticator app").click();
        assertThat(page.locator("h1")).hasText("Authenticator app");
        assertThat(page.locator(".govuk-summary-list")).containsText("Off");
        check("01-status");

        browser.button("Set up an authenticator app").click();
        assertThat(page).hasURL(url("/account/two-factor/setup"));
        assertThat(page.getByAltText("QR code to scan with your authenticator app"))
                .isVisible();
        String key = page.locator("#secret").textContent().replace(" ", "");
        assertThat(key).matches("[A-Z2-7]{32}");
        check("02-setup");

        browser.button("Switch on").click();
        assertThat(page).hasTitle(Pattern.compile("^Error: "));
        assertThat(page.locator(".govuk-error-summary a")).hasAttribute("href", "#code");
        assertThat(page.locator("#code-error")).containsText("Enter the code");
        check("03-setup-error");

        page.getByLabel("Code from your app").fill(SecondFactorTest.code(key, SecondFactorTest.step()));
        browser.button("Switch on").click();
        assertThat(page.locator("h1")).hasText("Your authenticator app is set up");
        assertThat(page.locator("#recovery-codes li")).hasCount(SecondFactors.RECOVERY_CODES);
        check("04-recovery");
        browser.button("Continue").click();
        assertThat(page).hasURL(url("/"));

        // The key is not shown again.
        page.navigate(url("/account/two-factor"));
        assertThat(page.locator(".govuk-summary-list")).containsText("On");
        assertThat(page.locator("body")).not().containsText(key.substring(0, 4) + " " + key.substring(4, 8));
        check("05-status-on");

        // Sign out and in again: the password, then the code.
        browser.button("Sign out").click();
        browser.signIn(url(""), user);
        assertThat(page).hasURL(url("/sign-in/code"));
        assertThat(page.locator("h1")).hasText("Enter the code from your authenticator app");
        check("06-code");
        page.navigate(url("/records"));
        assertThat(page).hasURL(Pattern.compile("/sign-in$"));
        page.navigate(url("/sign-in/code"));
        page.getByLabel("Code", new Page.GetByLabelOptions().setExact(true)).fill(SecondFactorTest.wrongCode(key));
        browser.button("Continue").click();
        assertThat(page.locator(".govuk-error-summary")).containsText("The code is not right");
        check("07-code-error");
        page.getByLabel("Code", new Page.GetByLabelOptions().setExact(true))
                .fill(SecondFactorTest.code(key, SecondFactorTest.step() + 1));
        browser.button("Continue").click();
        assertThat(page).hasURL(url("/"));
        page.navigate(url("/records"));
        assertThat(page).hasURL(url("/records"));

        // The administrator sees it on the account, and the page that chooses the roles that must use one.
        browser.signIn(url(""), data.user("SIGHTLINE", Roles.ADMIN));
        page.navigate(url("/admin/users/" + accounts.loadUserByUsername(user).publicId()));
        assertThat(page.locator(".govuk-summary-list")).containsText("On");
        assertThat(browser.button("Reset authenticator app")).isVisible();
        check("08-admin-account");
        page.navigate(url("/admin/users"));
        browser.link("Who must use an authenticator app").click();
        assertThat(page.locator("h1")).hasText("Who must use an authenticator app");
        check("09-policy");
    }
}
