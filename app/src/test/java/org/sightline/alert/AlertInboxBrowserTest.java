package org.sightline.alert;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sightline.access.Roles;
import org.sightline.support.Browser;
import org.sightline.support.IntegrationTest;
import org.sightline.support.TestData;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The "done when": a looked-after child missing from a placement in one authority is found by another force
 * at a flat linked to two other missing children. The alerts appear, with their explanations, in the inboxes of both
 * forces, both authorities and the provider; acknowledging, actioning and dismissing work and are audited; the alert
 * opens the child's page to the force that found the child. Pages at 1280 and 375 px pass axe.
 */
@IntegrationTest
class AlertInboxBrowserTest {

    @LocalServerPort
    int port;

    @Autowired
    TestData data;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    AlertWorker worker;

    @BeforeEach
    void pause() {
        worker.pause(true);
    }

    @AfterEach
    void resume() {
        worker.pause(false);
    }

    private long audited(String action, String alert) {
        return jdbc.sql(
                        "SELECT count(*) FROM audit_event WHERE action = ? AND subject_type = 'alert' AND subject_id = ?")
                .params(action, alert)
                .query(Long.class)
                .single();
    }

    private String alertId(AlertScenario s, String rule) {
        return jdbc.sql(
                        """
                SELECT a.public_id::text FROM alert a JOIN person_record pr ON pr.id = a.person_record_id
                WHERE pr.identity_id = ? AND a.rule = ?""")
                .params(s.identityId, rule)
                .query(String.class)
                .single();
    }

    @Test
    void alertsReachEveryAgencyThatMustActAndAreWorkedThroughTheirStates() {
        AlertScenario s = new AlertScenario(data, jdbc);
        worker.drain();
        String base = "http://localhost:" + port;
        String findingForceName = s.name(s.findingForce);
        Map<String, String> users = Map.of(
                s.homeForce, data.user(s.homeForce, Roles.POLICE_OFFICER),
                s.findingForce, data.user(s.findingForce, Roles.POLICE_OFFICER),
                s.responsible, data.user(s.responsible, Roles.SOCIAL_WORKER),
                s.host, data.user(s.host, Roles.SOCIAL_WORKER),
                s.provider, data.user(s.provider, Roles.CARE_STAFF));
        String found = alertId(s, "found-outside-force");

        try (Browser browser = Browser.open()) {
            Page page = browser.page;
            for (String agency : List.of(s.homeForce, s.findingForce, s.responsible, s.host, s.provider)) {
                browser.signIn(base, users.get(agency));
                if (agency.equals(s.homeForce)) {
                    assertThat(page.locator("#home-alerts")).containsText("4 new, 0 acknowledged");
                }
                browser.link("Alerts").first().click();
                assertThat(page.locator("h1")).hasText("Alerts for " + s.name(agency));
                assertThat(page.locator("tbody")).containsText("Found outside the home force area");
                assertThat(page.locator("tbody")).containsText("found on");
                assertThat(page.locator("tbody")).containsText("by " + findingForceName + ", another force");
                assertThat(page.locator("tbody")).containsText("Linked to " + s.flatName + ", ZZ1 1ZZ");
                assertThat(page.locator("tbody")).containsText(s.given + " " + s.family);
                if (agency.equals(s.homeForce)) {
                    browser.check("alerts-inbox-1280");
                }
            }

            // The home force works the alert: acknowledge, then action with a note (refused without one).
            browser.signIn(base, users.get(s.homeForce));
            page.navigate(base + "/alerts/" + found);
            assertThat(page.locator("#explanation")).containsText("reported to " + s.name(s.homeForce));
            assertThat(page.locator(".sl-recipient")).hasCount(5);
            browser.check("alert-detail-1280");
            browser.button("Acknowledge").click();
            assertThat(page.locator(".govuk-notification-banner")).containsText("Alert updated: Acknowledged");
            assertThat(page.locator("#state")).hasText("Acknowledged");
            browser.button("Mark as actioned").click();
            assertThat(page.locator(".govuk-error-summary")).containsText("Enter what was done");
            browser.check("alert-detail-error-1280");
            page.locator("#note").fill("Strategy discussion with the host authority booked.");
            browser.button("Mark as actioned").click();
            assertThat(page.locator("#state")).hasText("Actioned");
            assertThat(page.locator("#history")).containsText("Acknowledged");
            assertThat(page.locator("#history")).containsText("Strategy discussion with the host authority booked.");
            assertThat(audited("ALERT_ACKNOWLEDGED", found)).isEqualTo(1);
            assertThat(audited("ALERT_ACTIONED", found)).isEqualTo(1);
            assertThat(page.locator("form[action$='/action']")).hasCount(0);

            // Each agency works its own copy: the responsible authority still sees it new, and dismisses it.
            browser.signIn(base, users.get(s.responsible));
            page.navigate(base + "/alerts/" + found);
            assertThat(page.locator("#state")).hasText("New");
            page.locator("#reason-other").check();
            browser.button("Dismiss").click();
            assertThat(page.locator(".govuk-error-summary")).containsText("Explain why the alert is dismissed");
            page.locator("#reason-other").check();
            page.locator("#text").fill("Handled at yesterday's multi-agency meeting.");
            browser.button("Dismiss").click();
            assertThat(page.locator("#state")).hasText("Dismissed");
            assertThat(audited("ALERT_DISMISSED", found)).isEqualTo(1);

            // The alert opened the child's page to the force that found the child.
            browser.signIn(base, users.get(s.findingForce));
            page.navigate(base + "/alerts/" + found);
            browser.link("Open the child's page").click();
            assertThat(page.locator("h1")).containsText(s.family);
            // The child's chronology holds the alert, its explanation, where it went and this agency's state.
            Locator foundEntry = page.locator(".sl-alert-entry")
                    .filter(new Locator.FilterOptions().setHasText("Alert: Found outside the home force area"));
            assertThat(foundEntry).containsText("by " + findingForceName + ", another force");
            assertThat(foundEntry.locator(".sl-alert-routed")).containsText(s.name(s.provider));
            assertThat(foundEntry.locator(".sl-alert-state")).containsText("For your agency: New.");
            assertThat(page.locator(".sl-alert-entry")).hasCount((int) (long) jdbc.sql(
                            """
                    SELECT count(*) FROM alert a JOIN person_record pr ON pr.id = a.person_record_id
                    WHERE pr.identity_id = ?""")
                    .param(s.identityId)
                    .query(Long.class)
                    .single());
            foundEntry.scrollIntoViewIfNeeded();
            browser.check("child-alerts-1280");
            page.setViewportSize(375, 800);
            page.reload();
            page.locator(".sl-alert-entry").first().scrollIntoViewIfNeeded();
            browser.check("child-alerts-375");
            foundEntry.getByText("Open the alert").click();
            assertThat(page.locator("#explanation")).containsText("another force");
            page.setViewportSize(1280, 800);

            // An agency that was not alerted is told the alert does not exist.
            browser.signIn(base, data.user(s.stranger, Roles.SOCIAL_WORKER));
            assertThat(page.navigate(base + "/alerts/" + found).status()).isEqualTo(404);

            // The meeting list: the host authority's children ranked, with the reasons.
            browser.signIn(base, users.get(s.host));
            page.navigate(base + "/alerts");
            browser.link("Ranked list for the exploitation meeting").click();
            assertThat(page.locator(".sl-meeting-row").first()).containsText(s.family);
            assertThat(page.locator(".sl-meeting-row").first())
                    .containsText("Linked to a place where other children were: 1 alert, 4 points");
            browser.check("meeting-1280");
            page.locator("#from").fill("31-02-2026");
            browser.button("Show the list").click();
            assertThat(page.locator(".govuk-error-summary"))
                    .containsText("Enter the start of the period as year-month-day");
            page.setViewportSize(375, 800);
            page.navigate(base + "/alerts/meeting");
            browser.check("meeting-375");

            browser.signIn(base, users.get(s.provider));
            page.navigate(base + "/alerts?state=new");
            browser.check("alerts-inbox-375");
            page.navigate(base + "/alerts/" + alertId(s, "place-linked"));
            browser.check("alert-detail-375");
        }
    }
}
