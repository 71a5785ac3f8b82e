package org.sightline.admin;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import org.junit.jupiter.api.Test;
import org.sightline.access.Roles;
import org.sightline.access.UserAccounts;
import org.sightline.support.Browser;
import org.sightline.support.IntegrationTest;
import org.sightline.support.TestData;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.web.servlet.MockMvc;

/** An auditor reads the trail and verifies the chain; nobody else may. */
@IntegrationTest
class AuditPagesTest {

    @LocalServerPort
    int port;

    @Autowired
    TestData data;

    @Autowired
    UserAccounts accounts;

    @Autowired
    MockMvc mvc;

    @Test
    void onlyAdministratorsReadTheTrail() throws Exception {
        var officer = accounts.loadUserByUsername(data.user(data.agency("police_force"), Roles.POLICE_OFFICER));
        mvc.perform(get("/audit").with(user(officer))).andExpect(status().isForbidden());
    }

    @Test
    void auditorFiltersTheTrailAndVerifiesTheChain() {
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
            page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Read and verify the audit trail"))
                    .click();
            page.getByLabel("Actor").fill(admin);
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Filter"))
                    .click();
            assertThat(page.locator("tbody")).containsText("SIGN_IN");
            browser.check("30-audit-trail");
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Verify the chain"))
                    .click();
            assertThat(page.locator("h1")).hasText("The audit chain is intact");
            browser.check("31-audit-verified");
        }
    }
}
