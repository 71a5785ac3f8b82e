package org.sightline.alert;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.microsoft.playwright.Page;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sightline.access.Roles;
import org.sightline.access.SightlineUser;
import org.sightline.access.UserAccounts;
import org.sightline.shared.InvalidRequestException;
import org.sightline.support.Browser;
import org.sightline.support.IntegrationTest;
import org.sightline.support.TestData;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Settings as versioned data: a bad value is refused naming the field; a saved change is a new version (audited)
 * that re-evaluates open cases, so a child with two incidents raises repeat missing once the threshold is two.
 */
@IntegrationTest
class AlertSettingsTest {

    @LocalServerPort
    int port;

    @Autowired
    TestData data;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    AlertWorker worker;

    @Autowired
    AlertSettings settings;

    @Autowired
    UserAccounts accounts;

    @BeforeEach
    void pause() {
        worker.pause(true);
    }

    @AfterEach
    void restore() {
        // Later tests in the suite expect the configured defaults: store them as the newest version.
        SightlineUser admin = accounts.loadUserByUsername(data.user(data.agency("national"), Roles.ADMIN));
        settings.save(admin, form("3", List.of(), "back to the defaults"));
        worker.drain();
        worker.pause(false);
    }

    private static AlertSettings.Form form(String repeatCount, List<String> off, String note) {
        return new AlertSettings.Form(
                repeatCount,
                "90",
                "24",
                "2",
                "72",
                "significant,high",
                "13",
                Rules.ALL.stream().map(Rule::code).filter(c -> !off.contains(c)).toList(),
                Map.of(),
                note);
    }

    @Test
    void aSavedChangeIsAVersionThatReEvaluatesOpenCases() {
        String force = data.agency("police_force");
        long identity = data.identity();
        data.personRecord(force, "Rowan", TestData.unique("Pike"), 2011, 5, 5, identity);
        long record = jdbc.sql("SELECT id FROM person_record WHERE identity_id = ?")
                .param(identity)
                .query(Long.class)
                .single();
        Instant now = Instant.now();
        for (int days : new int[] {20, 1}) {
            jdbc.sql(
                            """
                    INSERT INTO missing_episode (agency_id, person_record_id, episode_ref, status, reported_at)
                    SELECT id, ?, ?, 'reported', ? FROM agency WHERE code = ?""")
                    .params(record, TestData.unique("EP"), Timestamp.from(now.minus(Duration.ofDays(days))), force)
                    .update();
        }
        worker.drain();
        assertThat(repeatAlerts(identity))
                .as("two incidents: not repeat missing at 3 in 90 days")
                .isZero();
        SightlineUser admin = accounts.loadUserByUsername(data.user(data.agency("national"), Roles.ADMIN));

        assertThatThrownBy(() -> settings.save(admin, form("one", List.of(), "")))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.violations())
                        .extracting(v -> v.field())
                        .containsExactly("repeatCount", "note"));

        int version = settings.save(admin, form("2", List.of(), "Pilot: two in 90 days"));
        assertThat(settings.current().version()).isEqualTo(version);
        assertThat(settings.current().settings().repeatCount()).isEqualTo(2);
        assertThat(jdbc.sql("SELECT count(*) FROM alert_outbox WHERE subject_kind = 'person_record' AND subject_id = ?")
                        .param(record)
                        .query(Long.class)
                        .single())
                .as("the open case was queued")
                .isPositive();
        worker.drain();
        assertThat(repeatAlerts(identity)).isEqualTo(1);
        assertThat(jdbc.sql("SELECT settings_version FROM alert a JOIN person_record pr ON pr.id = a.person_record_id "
                                + "WHERE pr.identity_id = ? AND a.rule = 'repeat-missing'")
                        .param(identity)
                        .query(Integer.class)
                        .single())
                .as("the alert names the settings that raised it")
                .isEqualTo(version);
        assertThat(jdbc.sql(
                                "SELECT count(*) FROM audit_event WHERE action = 'ALERT_SETTINGS_CHANGED' AND subject_id = ?")
                        .param(Integer.toString(version))
                        .query(Long.class)
                        .single())
                .isEqualTo(1L);
    }

    private long repeatAlerts(long identity) {
        return jdbc.sql(
                        """
                SELECT count(*) FROM alert a JOIN person_record pr ON pr.id = a.person_record_id
                WHERE pr.identity_id = ? AND a.rule = 'repeat-missing'""")
                .param(identity)
                .query(Long.class)
                .single();
    }

    @Test
    void theSettingsPageRefusesBadValuesAndSavesAVersion() {
        String admin = data.user(data.agency("national"), Roles.ADMIN);
        String base = "http://localhost:" + port;
        try (Browser browser = Browser.open()) {
            Page page = browser.page;
            browser.signIn(base, admin);
            browser.link("Alert rules").click();
            assertThat(page.locator("h1")).hasText("Alert rules");
            page.locator("#repeatCount").fill("0");
            browser.button("Save as a new version").click();
            assertThat(page.locator(".govuk-error-summary"))
                    .containsText("Enter a whole number of incidents from 2 to 20");
            assertThat(page.locator(".govuk-error-summary")).containsText("Say why the settings change");
            browser.check("alert-settings-error-1280");
            page.locator("#repeatCount").fill("3");
            page.locator("#off-under-13").fill("NO-SUCH-AGENCY");
            page.locator("#note").fill("Checking the page");
            browser.button("Save as a new version").click();
            assertThat(page.locator(".govuk-error-summary")).containsText("Enter agency codes of authorities");
            page.locator("#off-under-13").fill("");
            browser.button("Save as a new version").click();
            assertThat(page.locator(".govuk-notification-banner")).containsText("Saved as version");
            assertThat(page.locator("#versions")).containsText("Checking the page");
            page.setViewportSize(375, 800);
            browser.check("alert-settings-375");
        }
    }
}
