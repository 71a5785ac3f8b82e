package org.sightline.ssda903;

import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.multipart;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.sightline.access.Roles;
import org.sightline.support.IntegrationTest;
import org.sightline.support.TestData;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.mock.web.MockMultipartFile;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.test.web.servlet.MockMvc;

/** Import through the API once (replayed by its Idempotency-Key), then the export report and a file; other authorities' returns are 404. */
@IntegrationTest
class Ssda903ApiTest {

    @Autowired
    MockMvc mvc;

    @Autowired
    TestData data;

    @Autowired
    UserDetailsService users;

    @Autowired
    org.springframework.jdbc.core.simple.JdbcClient jdbc;

    @Test
    void importThenExportWithinTheCallersAuthority() throws Exception {
        String la = data.agency("local_authority");
        var analyst = users.loadUserByUsername(data.user(la, Roles.ANALYST));
        var socialWorker = users.loadUserByUsername(data.user(la, Roles.SOCIAL_WORKER));
        // Issue 11: an analyst overwrote a child's date of birth, sex and UPN through this import. Now 403, audited.
        mvc.perform(multipart("/api/v1/ssda903/imports")
                        .file(file("header", Ssda903ImportTest.HEADER))
                        .param("year", "2025")
                        .header("Idempotency-Key", TestData.unique("key"))
                        .with(user(analyst)))
                .andExpect(status().isForbidden());
        org.assertj.core.api.Assertions.assertThat(jdbc.sql("SELECT count(*) FROM audit_event WHERE actor = ? "
                                + "AND action = 'ROLE_REFUSED' AND subject_id = 'POST /api/v1/ssda903/imports'")
                        .param(analyst.getUsername())
                        .query(Integer.class)
                        .single())
                .isEqualTo(1);
        var upload = multipart("/api/v1/ssda903/imports")
                .file(file("header", Ssda903ImportTest.HEADER))
                .file(file("episodes", Ssda903ImportTest.EPISODES))
                .file(file("missing", Ssda903ImportTest.MISSING))
                .param("year", "2025")
                .header("Idempotency-Key", TestData.unique("key"))
                .with(user(socialWorker));
        mvc.perform(upload)
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.files[2].quarantined").value(2))
                .andExpect(jsonPath("$.errors[0].line").isNumber())
                .andExpect(jsonPath("$.errors[0].problems[0].code").value("E1004"))
                .andExpect(jsonPath("$.errors[0].problems[0].field").value("SEX"));
        mvc.perform(upload).andExpect(status().isOk()).andExpect(header().string("Idempotent-Replayed", "true"));
        mvc.perform(multipart("/api/v1/ssda903/imports")
                        .file(file("header", Ssda903ImportTest.HEADER))
                        .param("year", "2025")
                        .with(user(socialWorker)))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("Idempotency-Key"));

        mvc.perform(get("/api/v1/ssda903/exports").param("year", "2025").with(user(analyst)))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.passes").value(true))
                .andExpect(jsonPath("$.missingRows").value(3))
                .andExpect(jsonPath("$.collectionStart").value("2024-04-01"))
                .andExpect(jsonPath("$.files.missing")
                        .value("/api/v1/ssda903/exports/missing.csv?authority=" + la + "&year=2025"));
        mvc.perform(get("/api/v1/ssda903/exports/missing.csv")
                        .param("authority", la)
                        .param("year", "2025")
                        .with(user(analyst)))
                .andExpect(status().isOk())
                .andExpect(
                        content().string(org.hamcrest.Matchers.startsWith("CHILD,DOB,MISSING,MIS_START,MIS_END\r\n")));
        mvc.perform(get("/api/v1/ssda903/exports").param("year", "20x5").with(user(analyst)))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("year"));

        String other = data.agency("local_authority");
        mvc.perform(get("/api/v1/ssda903/exports")
                        .param("authority", other)
                        .param("year", "2025")
                        .with(user(analyst)))
                .andExpect(status().isNotFound());
    }

    private static MockMultipartFile file(String name, String content) {
        return new MockMultipartFile(name, name + ".csv", "text/csv", content.getBytes(StandardCharsets.UTF_8));
    }
}
