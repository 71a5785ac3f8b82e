package org.sightline.importexport;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sightline.access.Roles;
import org.sightline.support.Browser;
import org.sightline.support.IntegrationTest;
import org.sightline.support.TestData;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/** An officer uploads a file, checks the preview, imports it, and corrects the one row that was quarantined. */
@IntegrationTest
class ImportBrowserTest {

    @LocalServerPort
    int port;

    @Autowired
    TestData data;

    @Test
    void uploadPreviewCommitAndCorrectAQuarantinedRow(@TempDir Path dir) throws Exception {
        String force = data.agency("police_force");
        String username = data.user(force, Roles.POLICE_OFFICER);
        String family = TestData.unique("Oakhurst");
        Path csv = dir.resolve("records.csv");
        Files.writeString(
                csv,
                String.join(
                                "\n",
                                "record_ref,given_name,family_name,dob,sex",
                                "BR-1,Ivy," + family + ",2012-04-05,female",
                                "BR-2,Noah," + family + ",2011-13-40,male",
                                "BR-3,Ada," + family + ",2010,female")
                        + "\n",
                StandardCharsets.UTF_8);
        try (Browser browser = Browser.open()) {
            Page page = browser.page;
            page.navigate("http://localhost:" + port + "/sign-in");
            page.getByLabel("User name").fill(username);
            page.getByLabel("Password").fill(TestData.PASSWORD);
            page.getByRole(
                            AriaRole.BUTTON,
                            new Page.GetByRoleOptions().setName("Sign in").setExact(true))
                    .click();

            page.navigate("http://localhost:" + port + "/imports");
            browser.check("import-01-upload");
            narrow(browser, "import-01-upload");
            page.getByLabel("Person records").check();
            page.getByLabel("CSV file").setInputFiles(csv);
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Check the file"))
                    .click();

            assertThat(page.locator("h1")).hasText("Check the file before importing");
            assertThat(page.locator("main")).containsText("E1003");
            browser.check("import-02-preview");
            narrow(browser, "import-02-preview");
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Import these rows"))
                    .click();

            assertThat(page.locator("h1")).hasText("Import report");
            Locator status = page.locator(".govuk-tag").first();
            for (int i = 0; i < 30 && !status.textContent().contains("Completed"); i++) {
                page.waitForTimeout(1000);
                page.reload();
            }
            assertThat(status).containsText("Completed");
            browser.check("import-03-report");
            narrow(browser, "import-03-report");
            assertThat(page.locator("#quarantine-heading")).hasText("Quarantined rows");
            assertThat(page.locator("tbody").last()).containsText("E1003 · Date of birth: Not a valid date");

            page.getByRole(
                            AriaRole.LINK,
                            new Page.GetByRoleOptions().setName(java.util.regex.Pattern.compile("correct this row")))
                    .first()
                    .click();
            // Human labels; the one error once in the summary and once under the date of birth only.
            assertThat(page)
                    .hasTitle(java.util.regex.Pattern.compile("^Error: Correct the quarantined row from line 3"));
            assertThat(page.locator("label[for=v3]")).hasText("Date of birth");
            assertThat(page.locator(".govuk-error-summary li")).hasCount(1);
            assertThat(page.locator(".govuk-error-summary a[href='#v3']"))
                    .containsText("Date of birth: Not a valid date");
            assertThat(page.locator("main .govuk-error-message")).hasCount(1);
            assertThat(page.locator("#v3-error")).containsText("must be a real date");
            browser.check("import-04-quarantined-row");
            narrow(browser, "import-04-quarantined-row");
            page.getByLabel("Date of birth").fill("2011-12-04");
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Save and import this row"))
                    .click();
            assertThat(page.locator(".govuk-notification-banner")).containsText("has been imported");
            browser.check("import-05-replayed");
        }
    }

    /** The page at 375 px: it must not scroll sideways (tables scroll in their own box). */
    private static void narrow(Browser browser, String name) {
        browser.page.setViewportSize(375, 800);
        org.assertj.core.api.Assertions.assertThat(
                        (Integer) browser.page.evaluate("document.documentElement.scrollWidth"))
                .as(name + " at 375 px")
                .isLessThanOrEqualTo(375);
        browser.check(name + "-375");
        browser.page.setViewportSize(1200, 900);
    }
}
