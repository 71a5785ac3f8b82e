package org.sightline.ssda903;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.sightline.access.Roles;
import org.sightline.support.Browser;
import org.sightline.support.IntegrationTest;
import org.sightline.support.TestData;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/** An analyst of an authority exports a year: the report, the rule result and the download links; axe passes. */
@IntegrationTest
class Ssda903PageBrowserTest {

    @LocalServerPort
    int port;
    @Autowired
    TestData data;
    @Autowired
    Ssda903ImportService imports;

    @Test
    void analystExportsAYearAndSeesTheReport() {
        String la = data.agency("local_authority");
        String user = data.user(la, Roles.ANALYST);
        imports.importAsOperator("test", la, new CollectionYear(2025), new Ssda903ImportService.Files(
                in(Ssda903ImportTest.HEADER), in(Ssda903ImportTest.EPISODES), in(Ssda903ImportTest.MISSING)));
        try (Browser browser = Browser.open()) {
            Page page = browser.page;
            page.navigate("http://localhost:" + port + "/sign-in");
            page.getByLabel("User name").fill(user);
            page.getByLabel("Password").fill(TestData.PASSWORD);
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in")).click();
            page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("SSDA903 return")).click();
            browser.check("ssda903-01-page");
            page.getByLabel("Collection year", new Page.GetByLabelOptions().setExact(true)).fill("2025");
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Export and check")).click();
            assertThat(page.locator("#report-heading")).containsText("2024 to 2025");
            assertThat(page.locator(".govuk-panel__body")).hasText("Every DfE rule for the Missing table passes.");
            assertThat(page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Download Missing CSV")))
                    .hasAttribute("href", "/ssda903/2025/missing.csv");
            browser.check("ssda903-02-report");
            narrow(browser, "ssda903-02-report");
            page.getByLabel("Collection year", new Page.GetByLabelOptions().setExact(true)).fill("twenty");
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Export and check")).click();
            assertThat(page.locator(".govuk-error-summary")).containsText("Enter the collection year as 4 digits");
            browser.check("ssda903-03-error");
        }
    }

    /** The page at 375 px: it must not scroll sideways (tables scroll in their own box). */
    private static void narrow(Browser browser, String name) {
        browser.page.setViewportSize(375, 800);
        org.assertj.core.api.Assertions.assertThat((Integer) browser.page.evaluate("document.documentElement.scrollWidth"))
                .as(name + " at 375 px").isLessThanOrEqualTo(375);
        browser.check(name + "-375");
        browser.page.setViewportSize(1200, 900);
    }

    private static ByteArrayInputStream in(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
    }
}
