package org.sightline.child;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sightline.access.Roles;
import org.sightline.importexport.ImportReport;
import org.sightline.importexport.ImportService;
import org.sightline.importexport.ImportService.ImportRequest;
import org.sightline.support.Browser;
import org.sightline.support.IntegrationTest;
import org.sightline.support.TestData;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Issue 7's journey: a care home reports missing a child whose other records sit in a police force and a local
 * authority (imported, so resolved into one child as they arrive). The officer's search finds the child despite a
 * typo and sees the earlier episodes across agencies; the authority's social worker sees the new episode at once in
 * the same chronology; a second report while the first is open is refused.
 */
@IntegrationTest
class OneChildAcrossAgenciesBrowserTest {

    private static final ZoneId UK = ZoneId.of("Europe/London");
    private static final String PERSON_HEADER =
            "record_ref,agency_code,given_name,middle_names,family_name,aliases,dob,sex,"
                    + "ethnicity_code,ethnicity_scheme,address_line,postcode,upn,local_child_id,care_status,responsible_authority,"
                    + "cp_plan,known_to_social_care,recorded_at\n";
    private static final String EPISODE_HEADER =
            "episode_ref,agency_code,record_ref,reported_at,last_seen_at,last_seen_place,"
                    + "last_seen_postcode,missing_from,category,risk_grade,found_at,found_place,found_postcode,found_by,"
                    + "safe_and_well_at,return_interview,return_interview_at\n";

    @LocalServerPort
    int port;

    @Autowired
    TestData data;

    @Autowired
    ImportService imports;

    @Autowired
    JdbcClient jdbc;

    Browser browser;
    Page page;
    String force;
    String authority;
    String provider;
    String family;
    String dob;

    @BeforeEach
    void setUp() {
        browser = Browser.open();
        page = browser.page;
        force = data.agency("police_force");
        authority = data.agency("local_authority");
        provider = data.agency("care_provider");
        // A name no other test uses, and a birth date of its own, so that no other test's child resembles this one.
        family = "Quillby" + TestData.unique("x").substring(2, 8).replaceAll("[^a-z]", "q");
        var random = ThreadLocalRandom.current();
        dob = String.format("%d-%02d-%02d", 2009 + random.nextInt(4), 1 + random.nextInt(12), 1 + random.nextInt(28));
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        // The authority: a looked-after child of its own, placed with the provider; missing from care last month.
        importFile(authority, "person-records", PERSON_HEADER + person("LA-1", authority, "looked_after", authority));
        importFile(
                authority,
                "missing-episodes",
                EPISODE_HEADER + episode("LA-EP-1", authority, "LA-1", now.minus(30, ChronoUnit.DAYS), "care"));
        // The force: the same child, its own record, an episode from two weeks ago (found, closed by the import).
        importFile(force, "person-records", PERSON_HEADER + person("MET-1", force, "", ""));
        importFile(
                force,
                "missing-episodes",
                EPISODE_HEADER + episode("MET-EP-1", force, "MET-1", now.minus(14, ChronoUnit.DAYS), "care"));
        // The care home: its record of the child in its placement.
        importFile(provider, "person-records", PERSON_HEADER + person("CH-1", provider, "looked_after", authority));
    }

    private String person(String ref, String agency, String careStatus, String responsible) {
        return ref + "," + agency + ",Nathan,," + family + ",," + dob + ",male,WBRI,DFE,,,,," + careStatus + ","
                + responsible + ",,,2026-01-02T10:00:00Z\n";
    }

    private static String episode(String ref, String agency, String record, Instant reported, String from) {
        return ref + "," + agency + "," + record + "," + reported + "," + reported.minus(2, ChronoUnit.HOURS)
                + ",High Street,," + from + ",missing,medium," + reported.plus(20, ChronoUnit.HOURS)
                + ",Bus station,,police," + reported.plus(22, ChronoUnit.HOURS) + ",completed,"
                + reported.plus(40, ChronoUnit.HOURS) + "\n";
    }

    private void importFile(String agency, String kind, String csv) {
        ImportReport report = imports.importNow(
                new ImportRequest(agency, kind, null, "fixture.csv", "tester", 100, null),
                new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)),
                n -> {});
        assertThat(report.quarantined())
                .as(kind + " for " + agency + ": " + report.errorsByCode())
                .isZero();
    }

    @AfterEach
    void tearDown() {
        if (browser != null) {
            browser.close();
        }
    }

    private String url(String path) {
        return "http://localhost:" + port + path;
    }

    private void chooseTheChild() {
        page.navigate(url("/episodes/new"));
        page.getByLabel("Family name").fill(family);
        browser.button("Search").click();
        page.locator("tr", new Page.LocatorOptions().setHasText("Test agency " + provider))
                .getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Choose Nathan " + family))
                .click();
    }

    @Test
    void aCareHomeReportIsSeenAcrossAgenciesInOneChronologyAndASecondReportIsRefused() {
        assertThat(jdbc.sql("SELECT count(DISTINCT identity_id) FROM person_record WHERE family_name = ?")
                        .param(family)
                        .query(Long.class)
                        .single())
                .as("the three agencies' records resolved into one child as they arrived")
                .isEqualTo(1);
        LocalDateTime now = LocalDateTime.now(UK).withSecond(0).withNano(0);

        // The care home reports the child missing.
        browser.signIn(url(""), data.user(provider, Roles.CARE_STAFF));
        chooseTheChild();
        assertThat(page.locator("h1")).hasText("When and where");
        page.getByLabel("Name of the person reporting").fill("Robin Example");
        browser.fillDateTime("reportedAt", now.minusHours(2));
        browser.fillDateTime("lastSeenAt", now.minusHours(3));
        page.locator("#missingFrom-care").check();
        page.locator("#category").check();
        browser.button("Continue").click();
        assertThat(page.locator("h1")).hasText("Grab profile");
        page.getByLabel("Clothing when last seen").fill("Blue hoodie");
        browser.button("Continue").click();
        browser.button("Report the child missing").click();
        assertThat(page.locator(".govuk-panel__title")).hasText("Child reported missing");
        browser.check("one-child-01-care-home-reported");

        // The officer searches with a typo in the given name and finds the child through the engine.
        browser.signIn(url(""), data.user(force, Roles.POLICE_OFFICER));
        page.navigate(url("/records"));
        page.getByLabel("Given name").fill("Nathen");
        page.getByLabel("Family name").fill(family);
        browser.button("Search").click();
        assertThat(page.locator("#likely-heading")).isVisible();
        assertThat(page.locator("main")).containsText("Nathan " + family);
        browser.check("one-child-02-officer-search-typo");
        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("View the child across agencies"))
                .first()
                .click();

        // The child's page: earlier episodes from the force and the authority, and today's from the care home.
        Locator chronology = page.locator("#chronology");
        assertThat(chronology).containsText("Test agency " + force);
        assertThat(chronology).containsText("Test agency " + authority);
        assertThat(chronology).containsText("Test agency " + provider);
        browser.check("one-child-03-officer-child-page");

        // The authority's social worker sees the new episode at once, in the same chronology, newest first.
        browser.signIn(url(""), data.user(authority, Roles.SOCIAL_WORKER));
        String identity = jdbc.sql(
                        "SELECT DISTINCT i.public_id::text FROM person_record pr JOIN identity i ON i.id = pr.identity_id "
                                + "WHERE pr.family_name = ?")
                .param(family)
                .query(String.class)
                .single();
        page.navigate(url("/children/" + identity));
        Locator first = page.locator("#chronology .sl-timeline__entry").first();
        assertThat(first).containsText("Test agency " + provider);
        assertThat(page.locator("#chronology")).containsText("Test agency " + force);
        browser.check("one-child-04-social-worker-child-page");

        // A second report for the same child while the first is open is refused, with a link to the open episode.
        browser.signIn(url(""), data.user(provider, Roles.CARE_STAFF));
        chooseTheChild();
        assertThat(page.locator(".govuk-error-summary")).containsText("already has an open missing episode");
        assertThat(page.locator("main a[href*='/episodes/']").first()).isVisible();
        browser.check("one-child-05-second-report-refused");
    }
}
