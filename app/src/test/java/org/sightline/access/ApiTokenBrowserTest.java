package org.sightline.access;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Page;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.sightline.support.Browser;
import org.sightline.support.IntegrationTest;
import org.sightline.support.TestData;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/** A user creates an API token on their page, uses it, and revokes it; at 1280 and 375 px. */
@IntegrationTest
class ApiTokenBrowserTest {

    @LocalServerPort
    int port;

    @Autowired
    TestData data;

    private int api(String token) throws Exception {
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/v1/screening-instruments"))
                                .header("Authorization", "Bearer " + token)
                                .build(),
                        HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    @Test
    void createUseAndRevokeAToken() throws Exception {
        String base = "http://localhost:" + port;
        String officer = data.user(data.agency("police_force"), Roles.POLICE_OFFICER);
        try (Browser browser = Browser.open()) {
            Page page = browser.page;
            browser.signIn(base, officer);
            browser.link("API tokens").click();
            assertThat(page).hasTitle(java.util.regex.Pattern.compile("^Your API tokens"));
            assertThat(page.locator("#tokens-count")).hasText("No tokens, 0 active");

            // Nothing filled in: the error summary names each field and links to it.
            page.locator("#days").fill("ninety");
            browser.button("Create token").click();
            assertThat(page.locator(".govuk-error-summary")).containsText("Enter a name for the token");
            assertThat(page.locator(".govuk-error-summary")).containsText("a whole number from 1 to 365");
            browser.check("api-tokens-errors-1280");

            page.locator("#name").fill("Case system feed");
            page.locator("#days").fill("14");
            browser.button("Create token").click();
            assertThat(page.locator("h1")).hasText("Token created");
            String token = page.locator("#token").inputValue();
            assertThat(token).startsWith(ApiTokens.PREFIX).hasSizeGreaterThan(40);
            browser.check("api-token-created-1280");
            assertThat(api(token)).isEqualTo(200);

            browser.link("Back to your tokens").click();
            assertThat(page.locator("#tokens-count")).hasText("1 token, 1 active");
            assertThat(page.locator("table")).containsText("Case system feed");
            assertThat(page.locator("table")).containsText("Read");
            assertThat(page.locator("table")).not().containsText(token);
            page.setViewportSize(375, 800);
            browser.check("api-tokens-375");
            page.setViewportSize(1280, 900);
            browser.check("api-tokens-1280");

            browser.button("Revoke Case system feed").click();
            assertThat(page.locator(".govuk-notification-banner")).containsText("has been revoked");
            assertThat(page.locator("#tokens-count")).hasText("1 token, 0 active");
            assertThat(api(token)).isEqualTo(401);
        }
    }
}
