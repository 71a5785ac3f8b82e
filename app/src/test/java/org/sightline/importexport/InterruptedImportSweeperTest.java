package org.sightline.importexport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.sightline.access.Roles;
import org.sightline.access.UserAccounts;
import org.sightline.support.IntegrationTest;
import org.sightline.support.TestData;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;

/**
 * A run left 'running' by a killed process is marked interrupted at start and its report says so; a run another
 * process is still importing (it holds the agency-and-kind lock) is left alone.
 */
@IntegrationTest
@AutoConfigureMockMvc
class InterruptedImportSweeperTest {

    @Autowired
    InterruptedImportSweeper sweeper;
    @Autowired
    TestData data;
    @Autowired
    UserAccounts accounts;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    DataSource dataSource;
    @Autowired
    MockMvc mvc;

    private UUID running(String agency) {
        return jdbc.sql("""
                INSERT INTO import_run (agency_id, kind, file_name, sha256, status, started_by, started_at, received, imported)
                SELECT id, 'person-records', 'children.csv', '', 'running', 'tester', now(), 500, 500 FROM agency WHERE code = ?
                RETURNING public_id""").param(agency).query(UUID.class).single();
    }

    private String status(UUID run) {
        return jdbc.sql("SELECT status FROM import_run WHERE public_id = ?").param(run).query(String.class).single();
    }

    @Test
    void abandonedRunsAreMarkedInterruptedAndLiveOnesAreLeftAlone() throws Exception {
        String killed = data.agency("local_authority");
        String live = data.agency("local_authority");
        UUID abandoned = running(killed);
        UUID inProgress = running(live);
        long liveId = jdbc.sql("SELECT id FROM agency WHERE code = ?").param(live).query(Long.class).single();
        try (Connection other = dataSource.getConnection();
             PreparedStatement lock = other.prepareStatement("SELECT pg_advisory_lock(?, ?)")) {
            // As another process importing for this agency holds it (JdbcImportStore.lockRun).
            lock.setInt(1, (int) liveId);
            lock.setInt(2, JdbcImportStore.lockKey(ImportKind.PERSON_RECORDS));
            lock.executeQuery().close();
            assertThat(sweeper.sweep()).isGreaterThanOrEqualTo(1);
            assertThat(status(abandoned)).isEqualTo("interrupted");
            assertThat(status(inProgress)).isEqualTo("running");
            other.createStatement().execute("SELECT pg_advisory_unlock_all()");
        }
        assertThat(jdbc.sql("SELECT count(*) FROM audit_event WHERE action = 'IMPORT_INTERRUPTED' AND subject_id = ?")
                .param(abandoned.toString()).query(Integer.class).single()).isEqualTo(1);

        String page = mvc.perform(get("/imports/" + abandoned)
                        .with(user(accounts.loadUserByUsername(data.user(killed, Roles.SOCIAL_WORKER)))))
                .andReturn().getResponse().getContentAsString();
        assertThat(page).contains("Interrupted").contains("run the same file again").doesNotContain("Importing");

        // Once the other process has finished with it, a later start sweeps it too.
        sweeper.sweep();
        assertThat(status(inProgress)).isEqualTo("interrupted");
    }
}
