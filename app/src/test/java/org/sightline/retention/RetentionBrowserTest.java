package org.sightline.retention;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.sightline.access.Roles;
import org.sightline.support.Browser;
import org.sightline.support.IntegrationTest;
import org.sightline.support.TestData;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * An administrator finds the records due from the home page, filters by agency, keeps one with a reason, and erases
 * another after checking the answers; a missing reason is named in the error summary. Every page passes axe.
 */
@IntegrationTest
class RetentionBrowserTest {

    @LocalServerPort
    int port;

    @Autowired
    TestData data;

    @Autowired
    JdbcClient jdbc;

    private UUID due(String agency, int born) {
        UUID id = data.personRecord(agency, "Test", "Child", born, 1, 1, null);
        jdbc.sql("UPDATE person_record SET updated_at = '2010-01-01T12:00:00Z' WHERE public_id = ?")
                .param(id)
                .update();
        return id;
    }

    @Test
    void anAdministratorKeepsOneRecordAndErasesAnother() {
        String agency = data.agency("local_authority");
        String agencyName = "Test agency " + agency;
        UUID toKeep = due(agency, 1995);
        UUID toErase = due(agency, 1996);
        String admin = data.user("SIGHTLINE", Roles.ADMIN);
        try (Browser browser = Browser.open()) {
            Page page = browser.page;
            page.navigate("http://localhost:" + port + "/sign-in");
            page.getByLabel("User name").fill(admin);
            page.getByLabel("Password").fill(TestData.PASSWORD);
            page.getByRole(
                            AriaRole.BUTTON,
                            new Page.GetByRoleOptions().setName("Sign in").setExact(true))
                    .click();
            page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Records due for review"))
                    .click();
            assertThat(page.locator("h1")).hasText("Records due for review");
            page.getByLabel("Agency").selectOption(agency);
            page.getByLabel("Type").selectOption("person_record");
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Filter"))
                    .click();
            assertThat(page.locator("#list-title")).hasText("2 records listed");
            assertThat(page.locator("main")).containsText(agencyName);
            browser.check("retention-01-due");

            // Oldest review date first: born 1995, 25th birthday on 1 January 2020.
            page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Review " + toKeep))
                    .click();
            assertThat(page.locator("main")).containsText("1 January 2020");
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Keep the record"))
                    .click();
            assertThat(page.locator(".govuk-error-summary")).containsText("Enter the date to keep the record until");
            assertThat(page.locator(".govuk-error-summary")).containsText("Enter why the record is kept");
            browser.check("retention-02-keep-errors");
            page.getByLabel("Day").fill("1");
            page.getByLabel("Month").fill("1");
            page.getByLabel("Year").fill("2099");
            page.getByLabel("Why the record is kept").fill("Subject of a serious case review");
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Keep the record"))
                    .click();
            assertThat(page.locator(".govuk-notification-banner")).containsText("Review recorded");

            page.navigate("http://localhost:" + port + "/admin/retention?type=person_record&agency=" + agency);
            assertThat(page.locator("#list-title")).hasText("1 record listed");
            page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Review " + toErase))
                    .click();
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Continue to erase"))
                    .click();
            assertThat(page.locator(".govuk-error-summary")).containsText("Enter why the record is erased");
            page.getByLabel("Why the record is erased").fill("Retention period ended; nothing open");
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Continue to erase"))
                    .click();
            assertThat(page.locator("h1")).hasText("Check before you erase this record");
            assertThat(page.locator("main")).containsText("Retention period ended; nothing open");
            browser.check("retention-03-check");
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Erase the record"))
                    .click();
            assertThat(page.locator(".govuk-notification-banner")).containsText("Person record erased");
            browser.check("retention-04-erased");
            page.navigate("http://localhost:" + port + "/admin/retention?type=person_record&agency=" + agency);
            assertThat(page.locator("#list-title")).hasText("No records listed");
        }
        assertThat(jdbc.sql("SELECT count(*) FROM person_record WHERE public_id = ?")
                        .param(toErase)
                        .query(Long.class)
                        .single())
                .isZero();
        assertThat(jdbc.sql("SELECT count(*) FROM person_record WHERE public_id = ?")
                        .param(toKeep)
                        .query(Long.class)
                        .single())
                .isEqualTo(1);
    }
}
