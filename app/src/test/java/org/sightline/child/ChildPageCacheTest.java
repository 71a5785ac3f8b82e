package org.sightline.child;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sightline.access.SightlineUser;
import org.sightline.access.UserAccounts;
import org.sightline.support.IntegrationTest;
import org.sightline.support.TestData;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;

/**
 * The child's page drawn once is served again from {@code RenderedPages} only while nothing it shows has changed;
 * access is still checked and the view still audited on every request; each response carries its own CSRF token.
 */
@IntegrationTest
class ChildPageCacheTest {

    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

    @Autowired
    TestData data;

    @Autowired
    UserAccounts accounts;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    MockMvc mvc;

    ChildFixture f;

    @BeforeEach
    void setUp() {
        f = new ChildFixture(data, accounts, jdbc);
    }

    @Test
    void aKeptPageIsTheSamePageWithThisRequestsTokenAndEveryViewIsAudited() throws Exception {
        alertsSettled();
        long audited = views();
        MvcResult first = page(f.officer);
        MvcResult second = page(f.officer);
        String a = first.getResponse().getContentAsString();
        String b = second.getResponse().getContentAsString();

        assertThat(tokens(a)).containsOnly(token(first));
        assertThat(tokens(b)).containsOnly(token(second));
        assertThat(token(first)).isNotEqualTo(token(second));
        assertThat(b.replace(token(second), "T")).isEqualTo(a.replace(token(first), "T"));
        assertThat(second.getResponse().getContentType()).isEqualTo("text/html;charset=UTF-8");
        assertThat(second.getResponse().getHeader("Content-Language")).isEqualTo("en-GB");
        // Both views are audited alike, the kept one too.
        assertThat(views() - audited).isEqualTo(2);
        assertThat(jdbc.sql(
                                """
                        SELECT DISTINCT details FROM audit_event WHERE action = 'VIEW_CHILD' AND subject_id = ?
                        AND actor = ?""")
                        .params(f.identity.toString(), f.officer.username())
                        .query(String.class)
                        .list())
                .singleElement()
                .asString()
                .matches("records=\\d+;episodes=6;concerns=1");
    }

    @Test
    void aChangeToAnythingThePageShowsIsSeenAtOnce() throws Exception {
        assertThat(html(f.officer)).contains("Night Owl Kebabs").doesNotContain("Very high");

        // A new grading of the open episode (risk_grading).
        long open = jdbc.sql("SELECT id FROM missing_episode WHERE person_record_id = ? AND found_at IS NULL")
                .param(f.policeRecord)
                .query(Long.class)
                .single();
        jdbc.sql(
                        """
                        INSERT INTO risk_grading (episode_id, grade_code, code_list_version, graded_by, graded_at)
                        VALUES (?, 'high', 'APP', 'PC Newgrade', ?)""")
                .params(open, Timestamp.from(Instant.now()))
                .update();
        assertThat(html(f.officer)).contains("PC Newgrade");

        // A place linked through a concern is renamed (location, reached through association).
        jdbc.sql("UPDATE location SET name = 'Owl Night Grill' WHERE name = 'Night Owl Kebabs' AND postcode = 'ZZ9 9ZZ'"
                        + " AND agency_id = (SELECT id FROM agency WHERE code = ?)")
                .param(f.authority)
                .update();
        // (Alerts raised earlier keep the name they were raised with: only the connections show the new one.)
        assertThat(html(f.officer)).contains("<span>Owl Night Grill, ZZ9 9ZZ, Takeaway</span>");

        // An agency holding a record is renamed.
        String renamed = TestData.unique("Renamed Provider");
        jdbc.sql("UPDATE agency SET name = ? WHERE code = ?")
                .params(renamed, f.provider)
                .update();
        assertThat(html(f.officer)).contains(renamed);

        // An episode record is deleted: the counts go down (6 records to 5).
        String before = html(f.officer);
        jdbc.sql("DELETE FROM missing_episode WHERE person_record_id = ? AND reported_at < ?")
                .params(f.policeRecord, Timestamp.from(f.ago(Duration.ofDays(150))))
                .update();
        String after = html(f.officer);
        assertThat(before).contains("from 6 agency records");
        assertThat(after).contains("from 5 agency records");
    }

    @Test
    void accessIsCheckedOnEveryRequestNotOnlyWhenThePageIsDrawn() throws Exception {
        SightlineUser stranger = f.strangerCarer;
        assertThat(html(stranger)).doesNotContain(f.family);
        jdbc.sql(
                        """
                        INSERT INTO child_relationship (person_record_id, agency_id, user_public_id, kind, reason_code,
                                                        reason_text, granted_by, granted_at, expires_at)
                        SELECT ?, id, ?, 'break_glass', 'risk_to_life', 'Test', 'test', now(), now() + interval '1 hour'
                        FROM agency WHERE code = ?""")
                .params(f.policeRecord, stranger.publicId(), f.stranger)
                .update();
        assertThat(html(stranger)).contains(f.family);
        assertThat(html(stranger)).contains(f.family); // kept
        jdbc.sql("UPDATE child_relationship SET expires_at = now() - interval '1 second' WHERE user_public_id = ?")
                .param(stranger.publicId())
                .update();
        assertThat(html(stranger)).doesNotContain(f.family);
    }

    /**
     * Guard: every table the picture reads is covered by the fingerprint, so a new section of the page cannot be
     * served stale. Reads the SQL of the classes that draw the picture from their sources.
     */
    @Test
    void theFingerprintCoversEveryTableThePictureReads() throws Exception {
        Set<String> read = new TreeSet<>();
        for (String source : new String[] {
            "src/main/java/org/sightline/child/ChildService.java", "src/main/java/org/sightline/alert/AlertInbox.java"
        }) {
            String text = Files.readString(Path.of(source));
            if (source.endsWith("AlertInbox.java")) {
                int start = text.indexOf("aboutChild(");
                text = text.substring(start, text.indexOf("\n    }\n", start));
            } else {
                text = text.substring(0, text.indexOf("static final String FINGERPRINT_SQL"))
                        + text.substring(text.indexOf("private Stamp stamp("));
            }
            Matcher m = Pattern.compile("(?:FROM|JOIN)\\s+([a-z_]+)\\s").matcher(text);
            while (m.find()) {
                read.add(m.group(1));
            }
        }
        // Common table expressions of the picture's own queries, and reference code lists (release data).
        read.removeAll(Set.of("mine", "ends", "ref_ethnicity", "ref_local_authority"));
        assertThat(read).contains("person_record", "missing_episode", "alert_recipient", "grab_profile");
        for (String table : read) {
            assertThat(ChildService.FINGERPRINT_SQL)
                    .as("table %s read by the child's picture", table)
                    .containsPattern("(FROM|JOIN) " + ("agency".equals(table) ? "agency_version" : table) + "\\b");
        }
    }

    /** The alert worker evaluates the new child in the background; its alerts change the page (as they should). */
    private void alertsSettled() throws InterruptedException {
        for (int i = 0; i < 600; i++) {
            if (jdbc.sql("SELECT count(*) FROM alert_outbox").query(Long.class).single() == 0) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the alert outbox did not drain in 60 s");
    }

    private long views() {
        return jdbc.sql("SELECT count(*) FROM audit_event WHERE action = 'VIEW_CHILD' AND subject_id = ?")
                .param(f.identity.toString())
                .query(Long.class)
                .single();
    }

    private MvcResult page(SightlineUser who) throws Exception {
        MvcResult result =
                mvc.perform(get("/children/" + f.identity).with(user(who))).andReturn();
        assertThat(result.getResponse().getStatus()).isEqualTo(200);
        return result;
    }

    private String html(SightlineUser who) throws Exception {
        return page(who).getResponse().getContentAsString();
    }

    private static String token(MvcResult result) {
        return ((CsrfToken) result.getRequest().getAttribute(CsrfToken.class.getName())).getToken();
    }

    private static Set<String> tokens(String html) {
        Set<String> found = new TreeSet<>();
        Matcher m = CSRF.matcher(html);
        while (m.find()) {
            found.add(m.group(1));
        }
        return found;
    }
}
