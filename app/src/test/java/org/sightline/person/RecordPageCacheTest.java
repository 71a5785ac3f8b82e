package org.sightline.person;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sightline.access.Roles;
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
 * The record page drawn once is served again from {@code RenderedPages} only while nothing it shows has changed,
 * including which of the child's other records the viewer may see; every view is audited.
 */
@IntegrationTest
class RecordPageCacheTest {

    @Autowired
    TestData data;

    @Autowired
    UserAccounts accounts;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    MockMvc mvc;

    String force;
    String carer;
    String family;
    long identity;
    UUID policeRecord;
    UUID carerRecord;
    SightlineUser officer;
    SightlineUser carerUser;

    @BeforeEach
    void setUp() {
        force = data.agency("police_force");
        carer = data.agency("care_provider");
        family = TestData.unique("Ashworth");
        identity = data.identity();
        policeRecord = data.personRecord(force, "Tamsin", family, 2012, 5, 6, identity);
        carerRecord = data.personRecord(carer, "Tamsin", family, 2012, 5, 6, identity);
        officer = accounts.loadUserByUsername(data.user(force, Roles.POLICE_OFFICER));
        carerUser = accounts.loadUserByUsername(data.user(carer, Roles.CARE_STAFF));
    }

    @Test
    void aKeptPageIsTheSamePageWithThisRequestsTokenAndEveryViewIsAudited() throws Exception {
        long before = views(policeRecord);
        MvcResult first = page(officer, policeRecord);
        MvcResult second = page(officer, policeRecord);
        String a = first.getResponse().getContentAsString();
        String b = second.getResponse().getContentAsString();
        assertThat(a).contains(token(first)).contains(family);
        assertThat(b.replace(token(second), "T")).isEqualTo(a.replace(token(first), "T"));
        assertThat(views(policeRecord) - before).isEqualTo(2);
    }

    @Test
    void changesToTheRecordAndToWhatTheViewerMaySeeAreSeenAtOnce() throws Exception {
        String alias = TestData.unique("Tami Ashley");
        assertThat(html(officer, policeRecord)).doesNotContain(alias);
        jdbc.sql("INSERT INTO person_alias (person_record_id, full_name) SELECT id, ? FROM person_record"
                        + " WHERE public_id = ?")
                .params(alias, policeRecord)
                .update();
        assertThat(html(officer, policeRecord)).contains(alias);

        // The carer's page lists the police record only while a break-glass grant lets the carer see it.
        assertThat(html(carerUser, carerRecord)).doesNotContain("/records/" + policeRecord);
        jdbc.sql(
                        """
                        INSERT INTO child_relationship (person_record_id, agency_id, user_public_id, kind, reason_code,
                                                        reason_text, granted_by, granted_at, expires_at)
                        SELECT pr.id, a.id, ?, 'break_glass', 'risk_to_life', 'Test', 'test', now(),
                               now() + interval '1 hour'
                        FROM person_record pr, agency a WHERE pr.public_id = ? AND a.code = ?""")
                .params(carerUser.publicId(), policeRecord, carer)
                .update();
        assertThat(html(carerUser, carerRecord)).contains("/records/" + policeRecord);
        assertThat(html(carerUser, carerRecord)).contains("/records/" + policeRecord); // kept
        jdbc.sql("UPDATE child_relationship SET expires_at = now() - interval '1 second' WHERE user_public_id = ?")
                .param(carerUser.publicId())
                .update();
        assertThat(html(carerUser, carerRecord)).doesNotContain("/records/" + policeRecord);
    }

    /** Guard: every table the record page reads is covered by the fingerprint. */
    @Test
    void theFingerprintCoversEveryTableThePageReads() throws Exception {
        String text = Files.readString(Path.of("src/main/java/org/sightline/person/PersonRecordService.java"));
        text = text.substring(
                text.indexOf("public PersonRecordView view("),
                text.indexOf("private static PersonRecordSummary summary("));
        Set<String> read = new TreeSet<>();
        Matcher m = Pattern.compile("(?:FROM|JOIN)\\s+([a-z_]+)\\s").matcher(text);
        while (m.find()) {
            read.add(m.group(1));
        }
        // A reference code list (release data).
        read.removeAll(Set.of("ref_ethnicity"));
        assertThat(read).contains("person_record", "person_alias", "missing_episode", "identity_link");
        for (String table : read) {
            assertThat(PersonRecordService.FINGERPRINT_SQL)
                    .as("table %s read by the record page", table)
                    .containsPattern("(FROM|JOIN) " + ("agency".equals(table) ? "agency_version" : table) + "\\b");
        }
    }

    private long views(UUID record) {
        return jdbc.sql("SELECT count(*) FROM audit_event WHERE action = 'VIEW' AND subject_id = ?")
                .param(record.toString())
                .query(Long.class)
                .single();
    }

    private MvcResult page(SightlineUser who, UUID record) throws Exception {
        MvcResult result =
                mvc.perform(get("/records/" + record).with(user(who))).andReturn();
        assertThat(result.getResponse().getStatus()).isEqualTo(200);
        return result;
    }

    private String html(SightlineUser who, UUID record) throws Exception {
        return page(who, record).getResponse().getContentAsString();
    }

    private static String token(MvcResult result) {
        return ((CsrfToken) result.getRequest().getAttribute(CsrfToken.class.getName())).getToken();
    }
}
