package org.sightline.access;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Page;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sightline.support.Browser;
import org.sightline.support.IntegrationTest;
import org.sightline.support.TestData;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * An administrator creates an account (error summary, check answers, one-time password shown once); its user must
 * choose their own password at first sign-in, against the password policy; the administrator changes the role,
 * disables the account (it can no longer sign in), resets the password and enables it again. Every change is
 * audited; every page is captured and checked with axe at 1280 and 375 pixels wide.
 */
@IntegrationTest
class AccountAdministrationBrowserTest {

    @LocalServerPort
    int port;

    @Autowired
    TestData data;

    @Autowired
    JdbcClient jdbc;

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

    /** Captured and checked wide and narrow. */
    private void check(String name) {
        page.setViewportSize(1280, 900);
        browser.check("accounts-" + name + "-1280");
        page.setViewportSize(375, 800);
        browser.check("accounts-" + name + "-375");
        page.setViewportSize(1280, 900);
    }

    private void signIn(String username, String password) {
        page.context().clearCookies();
        page.navigate(url("/sign-in"));
        page.getByLabel("User name").fill(username);
        page.getByLabel("Password", new Page.GetByLabelOptions().setExact(true)).fill(password);
        browser.button("Sign in").click();
    }

    private int audited(String action, UUID id) {
        return jdbc.sql("SELECT count(*) FROM audit_event WHERE action = ? AND subject_id = ?")
                .params(action, id.toString())
                .query(Integer.class)
                .single();
    }

    @Test
    void anAdministratorManagesAnAccountFromCreationToReset() {
        String admin = data.user("SIGHTLINE", Roles.ADMIN);
        String agency = data.agency("local_authority");
        String username = TestData.unique("new").toLowerCase().replace('-', '.');

        browser.signIn(url(""), admin);
        browser.link("Accounts").click();
        assertThat(page.locator("h1")).hasText("Accounts");
        assertThat(page.locator("tbody")).containsText(admin);

        browser.link("Create an account").click();
        browser.button("Continue").click();
        assertThat(page).hasTitle(java.util.regex.Pattern.compile("^Error: "));
        assertThat(page.locator(".govuk-error-summary li")).hasCount(4);
        assertThat(page.locator(".govuk-error-summary")).containsText("Enter a user name");
        // In the order of the form's fields.
        assertThat(page.locator(".govuk-error-summary a").first()).hasAttribute("href", "#displayName");
        assertThat(page.locator(".govuk-error-summary a").last()).hasAttribute("href", "#role");
        check("02-new-errors");

        page.getByLabel("Name", new Page.GetByLabelOptions().setExact(true)).fill("Test Person");
        page.getByLabel("User name").fill(username);
        page.getByLabel("Agency").selectOption(agency);
        page.getByLabel("Social worker").check();
        browser.button("Continue").click();
        assertThat(page.locator("h1")).hasText("Check the account before you create it");
        assertThat(page.locator(".govuk-summary-list")).containsText(username);
        assertThat(page.locator(".govuk-summary-list")).containsText("Test agency " + agency);
        check("03-check");

        browser.button("Create account").click();
        assertThat(page.locator("h1")).hasText("Account created");
        String oneTime = page.locator("#oneTime").inputValue();
        assertThat(oneTime).hasSize(16);
        check("04-created");
        UUID id = jdbc.sql("SELECT public_id FROM app_user WHERE username = ?")
                .param(username)
                .query(UUID.class)
                .single();
        assertThat(audited("USER_CREATED", id)).isEqualTo(1);
        assertThat(jdbc.sql("SELECT password_must_change FROM app_user WHERE public_id = ?")
                        .param(id)
                        .query(Boolean.class)
                        .single())
                .isTrue();

        // The new user signs in with the one-time password and can do nothing before choosing their own.
        signIn(username, oneTime);
        assertThat(page).hasURL(url("/account/password"));
        assertThat(page.locator("body")).containsText("You signed in with a one-time password");
        page.navigate(url("/records"));
        assertThat(page).hasURL(url("/account/password"));
        page.getByLabel("Current password").fill(oneTime);
        page.getByLabel("New password", new Page.GetByLabelOptions().setExact(true))
                .fill("sunshine2026!");
        page.getByLabel("New password again").fill("sunshine2026!");
        browser.button("Change password").click();
        assertThat(page.locator(".govuk-error-summary")).containsText("one of the most common passwords");
        check("05-password-error");
        page.getByLabel("Current password").fill(oneTime);
        page.getByLabel("New password", new Page.GetByLabelOptions().setExact(true))
                .fill("mango-tractor-velvet-42");
        page.getByLabel("New password again").fill("mango-tractor-velvet-42");
        browser.button("Change password").click();
        assertThat(page).hasURL(url("/"));
        assertThat(audited("PASSWORD_CHANGED", id)).isEqualTo(1);
        page.navigate(url("/records"));
        assertThat(page).hasURL(url("/records"));

        // The administrator makes them an analyst, then disables the account.
        browser.signIn(url(""), admin);
        page.navigate(url("/admin/users/" + id));
        assertThat(page.locator("h1")).hasText("Test Person");
        check("06-account");
        page.getByLabel("Analyst").check();
        browser.button("Save role and agency").click();
        assertThat(page.locator(".govuk-notification-banner")).containsText("The role and agency have been changed");
        assertThat(audited("USER_ACCESS_CHANGED", id)).isEqualTo(1);
        assertThat(jdbc.sql("SELECT details FROM audit_event WHERE action = 'USER_ACCESS_CHANGED' AND subject_id = ?")
                        .param(id.toString())
                        .query(String.class)
                        .single())
                .contains("SOCIAL_WORKER->ANALYST");
        browser.button("Disable account").click();
        assertThat(page.locator(".govuk-notification-banner")).containsText("The account has been disabled");
        check("07-disabled");
        assertThat(audited("USER_DISABLED", id)).isEqualTo(1);

        signIn(username, "mango-tractor-velvet-42");
        assertThat(page.locator(".govuk-error-summary")).containsText("Enter a user name and password that match");

        // Reset and enable: the user signs in with the new one-time password and is asked for their own again.
        browser.signIn(url(""), admin);
        page.navigate(url("/admin/users/" + id));
        browser.button("Reset password").click();
        assertThat(page.locator("h1")).hasText("Password reset");
        String reset = page.locator("#oneTime").inputValue();
        assertThat(reset).isNotEqualTo(oneTime).hasSize(16);
        assertThat(audited("USER_PASSWORD_RESET", id)).isEqualTo(1);
        page.navigate(url("/admin/users/" + id));
        browser.button("Enable account").click();
        assertThat(audited("USER_ENABLED", id)).isEqualTo(1);
        signIn(username, reset);
        assertThat(page).hasURL(url("/account/password"));
    }

    @Test
    void anAdministratorCannotDisableThemselvesAndOthersCannotAdminister() {
        String admin = data.user("SIGHTLINE", Roles.ADMIN);
        UUID self = jdbc.sql("SELECT public_id FROM app_user WHERE username = ?")
                .param(admin)
                .query(UUID.class)
                .single();
        browser.signIn(url(""), admin);
        page.navigate(url("/admin/users/" + self));
        browser.button("Disable account").click();
        assertThat(page.locator(".govuk-error-summary")).containsText("You cannot disable your own account");
        assertThat(jdbc.sql("SELECT enabled FROM app_user WHERE public_id = ?")
                        .param(self)
                        .query(Boolean.class)
                        .single())
                .isTrue();

        // Supervisors manage their own agency's accounts (SupervisorAccountsTest); other roles none.
        browser.signIn(url(""), data.user(data.agency("local_authority"), Roles.SOCIAL_WORKER));
        assertThat(browser.link("Accounts")).hasCount(0);
        assertThat(page.navigate(url("/admin/users")).status()).isEqualTo(403);
    }
}
