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

/**
 * An analyst of an authority exports a year: the report, the rule result and the download links; a social worker
 * uploads files, checks the preview (at 1280 and 375 px), imports or cancels; axe passes on every page.
 */
@IntegrationTest
class Ssda903PageBrowserTest {

    @LocalServerPort
    int port;

    @Autowired
    TestData data;

    @Autowired
    Ssda903ImportService imports;

    @Autowired
    org.springframework.jdbc.core.simple.JdbcClient jdbc;

    @Test
    void analystExportsAYearAndSeesTheReport() {
        String la = data.agency("local_authority");
        String user = data.user(la, Roles.ANALYST);
        imports.importAsOperator(
                "test",
                la,
                new CollectionYear(2025),
                new Ssda903ImportService.Files(
                        in(Ssda903ImportTest.HEADER), in(Ssda903ImportTest.EPISODES), in(Ssda903ImportTest.MISSING)));
        try (Browser browser = Browser.open()) {
            Page page = browser.page;
            page.navigate("http://localhost:" + port + "/sign-in");
            page.getByLabel("User name").fill(user);
            page.getByLabel("Password").fill(TestData.PASSWORD);
            page.getByRole(
                            AriaRole.BUTTON,
                            new Page.GetByRoleOptions().setName("Sign in").setExact(true))
                    .click();
            page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("SSDA903 return"))
                    .click();
            browser.check("ssda903-01-page");
            page.getByLabel("Collection year", new Page.GetByLabelOptions().setExact(true))
                    .fill("2025");
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Export and check"))
                    .click();
            assertThat(page.locator("#report-heading")).containsText("2024 to 2025");
            assertThat(page.locator(".govuk-panel__body")).hasText("Every DfE rule Sightline checks passes.");
            assertThat(page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Download Missing CSV")))
                    .hasAttribute("href", "/ssda903/2025/missing.csv");
            browser.check("ssda903-02-report");
            narrow(browser, "ssda903-02-report");
            page.getByLabel("Collection year", new Page.GetByLabelOptions().setExact(true))
                    .fill("twenty");
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Export and check"))
                    .click();
            assertThat(page.locator(".govuk-error-summary")).containsText("Enter the collection year as 4 digits");
            browser.check("ssda903-03-error");

            // Analysts read the return but never change records through it: no import form for them.
            assertThat(page.locator("#importYear")).hasCount(0);
            browser.signIn("http://localhost:" + port, data.user(la, Roles.SOCIAL_WORKER));
            page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("SSDA903 return"))
                    .click();

            // An upload with a lower-case code and an adult still recorded as looked after: accepted, told, flagged.
            page.locator("#importYear").fill("2025");
            page.locator("#header")
                    .setInputFiles(new com.microsoft.playwright.options.FilePayload(
                            "header.csv",
                            "text/csv",
                            "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\nA7,1,28/11/2000,wbri,,,\n"
                                    .getBytes(StandardCharsets.UTF_8)));
            page.locator("#episodes")
                    .setInputFiles(new com.microsoft.playwright.options.FilePayload(
                            "episodes.csv",
                            "text/csv",
                            ("CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,"
                                            + "PL_POST,URN\nA7,26/10/2019,S,C2,N1,U1,PR1,,,,,,\n")
                                    .getBytes(StandardCharsets.UTF_8)));
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Check files"))
                    .click();
            // The preview first: nothing written yet, what importing would do, read as the import reads it.
            assertThat(page.locator("h1")).hasText("Check the files before importing");
            assertThat(page.locator("#counts-header td")).hasText(new String[] {"dd/mm/yyyy", "1", "1", "0", "0", "0"});
            assertThat(page.locator("#rows-header")).containsText("WBRI");
            assertThat(page.locator("#preview-rules"))
                    .containsText("Child was over 21 at the start of the collection year");
            page.setViewportSize(1280, 900);
            browser.check("ssda903-04a-preview");
            narrow(browser, "ssda903-04a-preview");
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Import these files"))
                    .click();
            assertThat(page.locator("#import-heading")).isVisible();
            assertThat(page.locator("body")).containsText("Header: ETHNIC: 1 lower-case code(s) read as upper case");
            assertThat(page.locator("body")).containsText("Child was over 21 at the start of the collection year");
            browser.check("ssda903-04-import");
            page.getByLabel("Collection year", new Page.GetByLabelOptions().setExact(true))
                    .fill("2025");
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Export and check"))
                    .click();
            assertThat(page.locator(".govuk-warning-text")).containsText("1 rule failure. Correct the records");
            assertThat(page.locator("body")).containsText("Header: withheld from the file, correct the record");
            browser.check("ssda903-05-withheld");

            // A refused Header row and its held episode: set aside, and corrected through the import's own pages.
            page.locator("#importYear").fill("2025");
            page.locator("#header")
                    .setInputFiles(new com.microsoft.playwright.options.FilePayload(
                            "header.csv",
                            "text/csv",
                            "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\nA9,1,13/06/2010,WBRI,,2,\n"
                                    .getBytes(StandardCharsets.UTF_8)));
            page.locator("#episodes")
                    .setInputFiles(new com.microsoft.playwright.options.FilePayload(
                            "episodes.csv",
                            "text/csv",
                            ("CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,"
                                            + "PL_POST,URN\nA9,01/05/2024,S,C2,N1,U1,PR1,,,,,,\n")
                                    .getBytes(StandardCharsets.UTF_8)));
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Check files"))
                    .click();
            assertThat(page.locator("#held-episodes"))
                    .containsText("the Header row for CHILD A9 was refused: MOTHER: must be one of 0/1");
            assertThat(page.locator("#counts-episodes td"))
                    .containsText(new String[] {"dd/mm/yyyy (assumed", "1", "0", "0", "0", "1"});
            browser.check("ssda903-05a-preview-held");
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Import these files"))
                    .click();
            assertThat(page.locator("body"))
                    .containsText("the Header row for CHILD A9 was refused: MOTHER: must be one of 0/1");
            browser.check("ssda903-06-refused");
            page.getByRole(
                            AriaRole.LINK,
                            new Page.GetByRoleOptions()
                                    .setName("Correct the rows set aside from the Header file and import them again"))
                    .click();
            assertThat(page.locator("#quarantine-heading")).hasText("Quarantined rows");
            browser.check("ssda903-07-run");
            page.getByRole(
                            AriaRole.LINK,
                            new Page.GetByRoleOptions().setName(java.util.regex.Pattern.compile("correct this row")))
                    .first()
                    .click();
            page.getByLabel("MOTHER", new Page.GetByLabelOptions().setExact(true))
                    .fill("0");
            browser.check("ssda903-08-correct");
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Save and import this row"))
                    .click();
            assertThat(page.locator("body")).containsText("The row from line 2 has been imported.");

            // A file refused whole: the error summary names it, and nothing is kept to preview.
            page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("SSDA903 return"))
                    .click();
            page.locator("#importYear").fill("2025");
            page.locator("#header")
                    .setInputFiles(new com.microsoft.playwright.options.FilePayload(
                            "header.csv",
                            "text/csv",
                            "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\nB1,1,05/06/2006,WBRI,,,\nB2,2,05/13/2006,WBRI,,,\n"
                                    .getBytes(StandardCharsets.UTF_8)));
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Check files"))
                    .click();
            assertThat(page.locator(".govuk-error-summary")).containsText("A file could not be read");
            assertThat(page.locator(".govuk-inset-text")).containsText("dates are month first (mm/dd/yyyy)");
            browser.check("ssda903-09-refused-file");

            // Cancelled: nothing imported, the files deleted.
            page.locator("#importYear").fill("2025");
            page.locator("#header")
                    .setInputFiles(new com.microsoft.playwright.options.FilePayload(
                            "header.csv",
                            "text/csv",
                            "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\nB3,1,13/06/2010,WBRI,,,\n"
                                    .getBytes(StandardCharsets.UTF_8)));
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Check files"))
                    .click();
            assertThat(page.locator("#counts-header td")).hasText(new String[] {"dd/mm/yyyy", "1", "1", "0", "0", "0"});
            assertThat(page.locator("body")).containsText("The DfE rules were not checked");
            String previewUrl = page.url();
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Cancel"))
                    .click();
            assertThat(page.locator("#preview-banner")).hasText("The files were not imported and have been deleted.");
            browser.check("ssda903-10-cancelled");
            // Gone once cancelled (as once imported or expired): the page says so instead of showing it again.
            page.navigate(previewUrl);
            assertThat(page.locator("#preview-banner")).containsText("no longer kept");
            browser.check("ssda903-11-gone");
            org.assertj.core.api.Assertions.assertThat(
                            jdbc.sql("SELECT count(*) FROM person_record WHERE local_child_id = 'B3' AND agency_id = "
                                            + "(SELECT id FROM agency WHERE code = ?)")
                                    .param(la)
                                    .query(Long.class)
                                    .single())
                    .isZero();
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

    private static ByteArrayInputStream in(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
    }
}
