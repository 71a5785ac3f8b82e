package org.sightline.access;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sightline.support.Browser;
import org.sightline.support.IntegrationTest;
import org.sightline.support.TestData;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The session timeout warning, with the page's clock driven by the test (Playwright's fake timers) instead of waiting
 * half an hour: the dialog opens two minutes before the 30-minute session ends, holds focus, "Stay signed in" renews
 * the session on the server and restarts the clock, Escape does the same, and doing nothing signs the user out.
 */
@IntegrationTest
class SessionTimeoutBrowserTest {

    private static final long MINUTE = 60_000;

    @LocalServerPort
    int port;

    @Autowired
    TestData data;

    Browser browser;
    Page page;

    @BeforeEach
    void open() {
        browser = Browser.open();
        page = browser.page;
        page.clock().install();
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

    /**
     * Signs in and waits until the home page's scripts have run. The click returns before the next page loads; the
     * fake clock run before the script sets its timers would pass unseen (the dialog then never opened in CI).
     */
    private void signIn(String username) {
        browser.signIn(url(""), username);
        page.waitForURL(url("/")); // waits for the load event, after every script has run
    }

    @Test
    void theWarningOpensBeforeTheEndAndStayingSignedInRenewsTheSession() {
        signIn(data.user(data.agency("police_force"), Roles.POLICE_OFFICER));
        var dialog = page.locator("#session-timeout");
        assertThat(dialog).hasAttribute("data-timeout", "1800");
        assertThat(dialog).isHidden();

        page.clock().runFor(27 * MINUTE);
        assertThat(dialog).isHidden();
        page.clock().runFor(MINUTE + 1000);
        assertThat(dialog).isVisible();
        assertThat(page.locator("#session-timeout-title")).isFocused();
        assertThat(dialog).containsText("You are about to be signed out");
        assertThat(page.locator(".sl-timeout__until")).hasText(java.util.regex.Pattern.compile("^\\d\\d:\\d\\d$"));
        page.setViewportSize(1280, 900);
        browser.check("session-timeout-1280");
        page.setViewportSize(375, 800);
        browser.check("session-timeout-375");
        page.setViewportSize(1280, 900);

        Response renewed =
                page.waitForResponse(r -> r.url().endsWith("/account/session"), () -> browser.button("Stay signed in")
                        .click());
        assertThat(renewed.status()).isEqualTo(204);
        assertThat(dialog).isHidden();

        // The clock starts again: 27 more minutes pass without a warning, then Escape also keeps the session.
        page.clock().runFor(27 * MINUTE);
        assertThat(dialog).isHidden();
        page.clock().runFor(MINUTE + 1000);
        assertThat(dialog).isVisible();
        Response escaped = page.waitForResponse(
                r -> r.url().endsWith("/account/session"), () -> page.keyboard().press("Escape"));
        assertThat(escaped.status()).isEqualTo(204);
        assertThat(dialog).isHidden();
        assertThat(page).hasURL(url("/"));
    }

    @Test
    void doingNothingSignsTheUserOut() {
        signIn(data.user(data.agency("local_authority"), Roles.SOCIAL_WORKER));
        page.clock().runFor(28 * MINUTE + 1000);
        assertThat(page.locator("#session-timeout")).isVisible();
        page.clock().runFor(2 * MINUTE);
        page.waitForURL(url("/sign-in?signed-out"));
        assertThat(page.locator("body")).containsText("You have signed out");
        page.navigate(url("/"));
        assertThat(page).hasURL(url("/sign-in"));
    }
}
