package org.sightline.importexport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.sightline.access.Roles;
import org.sightline.access.SightlineUser;
import org.sightline.access.UserAccounts;
import org.sightline.support.IntegrationTest;
import org.sightline.support.TestData;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.web.servlet.MockMvc;

/**
 * Runs are owned through a lease: a run whose lease expired (its process died or stalled) is swept to interrupted,
 * one whose owner keeps renewing it is left alone. An interrupted web run can be resumed from its kept upload
 * (no row counted or written twice) or discarded; uploads expire; the report page stops refreshing.
 */
@IntegrationTest
class InterruptedImportSweeperTest {

    private static final int ROWS = 30;
    /** Lines (1 = header) whose dates of birth are impossible: quarantined, one before and one after the stall. */
    private static final long BAD_EARLY = 5;

    private static final long BAD_LATE = 28;

    @Autowired
    InterruptedImportSweeper sweeper;

    @Autowired
    ImportService imports;

    @Autowired
    TestData data;

    @Autowired
    UserAccounts accounts;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    MockMvc mvc;

    private UUID running(String agency, String owner, String leaseExpiry) {
        return jdbc.sql(
                        """
                INSERT INTO import_run (agency_id, kind, file_name, sha256, status, started_by, started_at, received, imported,
                                        lease_owner, lease_expires_at)
                SELECT id, 'person-records', 'children.csv', '', 'running', 'tester', now(), 500, 500, ?,
                       now() + ?::interval FROM agency WHERE code = ?
                RETURNING public_id""")
                .params(owner, leaseExpiry, agency)
                .query(UUID.class)
                .single();
    }

    private String status(UUID run) {
        return jdbc.sql("SELECT status FROM import_run WHERE public_id = ?")
                .param(run)
                .query(String.class)
                .single();
    }

    private int audits(String action, UUID run) {
        return jdbc.sql("SELECT count(*) FROM audit_event WHERE action = ? AND subject_id = ?")
                .params(action, run.toString())
                .query(Integer.class)
                .single();
    }

    private boolean uploadKept(UUID run) {
        return jdbc.sql(
                        "SELECT EXISTS (SELECT 1 FROM import_upload u JOIN import_run r ON r.id = u.run_id WHERE r.public_id = ?)")
                .param(run)
                .query(Boolean.class)
                .single();
    }

    private SightlineUser worker(String agency) {
        return (SightlineUser) accounts.loadUserByUsername(data.user(agency, Roles.SOCIAL_WORKER));
    }

    @Test
    void runsWhoseLeaseExpiredAreInterruptedAndLiveOnesAreLeftAlone() throws Exception {
        String agency = data.agency("local_authority");
        UUID expired = running(agency, "4242-a-killed-process", "-1 minute");
        UUID live = running(agency, "4343-another-live-process", "+1 minute");
        UUID legacy = running(agency, null, "0 seconds");
        jdbc.sql("UPDATE import_run SET lease_expires_at = NULL WHERE public_id = ?")
                .param(legacy)
                .update();
        assertThat(sweeper.sweep()).isGreaterThanOrEqualTo(2);
        assertThat(status(expired)).isEqualTo("interrupted");
        assertThat(status(legacy))
                .as("a run left running before leases existed has no owner")
                .isEqualTo("interrupted");
        assertThat(status(live)).isEqualTo("running");
        assertThat(audits("IMPORT_INTERRUPTED", expired)).isEqualTo(1);

        SightlineUser worker = worker(agency);
        MockHttpServletResponse page = mvc.perform(get("/imports/" + expired).with(user(worker)))
                .andReturn()
                .getResponse();
        assertThat(page.getHeader("Refresh"))
                .as("an interrupted run's page stops refreshing")
                .isNull();
        assertThat(page.getContentAsString())
                .contains("Interrupted")
                .contains("cannot be resumed")
                .contains("Discard this import")
                .doesNotContain("Resume the import")
                .doesNotContain("Importing:");
        assertThat(mvc.perform(get("/imports/" + live).with(user(worker)))
                        .andReturn()
                        .getResponse()
                        .getHeader("Refresh"))
                .as("a live run's page refreshes")
                .isEqualTo("2");

        // The live owner stops renewing (killed): once its lease has run out, the scheduled sweep takes it too.
        jdbc.sql("UPDATE import_run SET lease_expires_at = now() - interval '1 second' WHERE public_id = ?")
                .param(live)
                .update();
        sweeper.onSchedule();
        assertThat(status(live)).isEqualTo("interrupted");
    }

    /** A person file of {@link #ROWS} rows on lines 2..31, two of them with an impossible date of birth. */
    private static byte[] file(String prefix) {
        StringBuilder csv = new StringBuilder("record_ref,given_name,family_name,dob,sex\n");
        for (int i = 1; i <= ROWS; i++) {
            long line = i + 1;
            String dob = line == BAD_EARLY || line == BAD_LATE
                    ? "2010-13-02"
                    : "2010-01-" + String.format("%02d", 1 + i % 28);
            csv.append(prefix)
                    .append(i)
                    .append(",Ann")
                    .append(i)
                    .append(",Leasetest,")
                    .append(dob)
                    .append(",female\n");
        }
        return csv.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Gives the first {@code cut} bytes, then blocks until released, as a process frozen mid-import. */
    private static final class StallingStream extends InputStream {
        private final InputStream first;
        private final InputStream rest;
        private final CountDownLatch release = new CountDownLatch(1);
        private boolean stalled;

        StallingStream(byte[] content, int cut) {
            this.first = new ByteArrayInputStream(content, 0, cut);
            this.rest = new ByteArrayInputStream(content, cut, content.length - cut);
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = first.read(b, off, len);
            if (n > 0) {
                return n;
            }
            if (!stalled) {
                stalled = true;
                try {
                    release.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return rest.read(b, off, len);
        }
    }

    /** What a killed web import leaves: two batches of ten committed, its owner gone, the run swept. */
    private record Killed(
            UUID run,
            SightlineUser worker,
            String prefix,
            CompletableFuture<ImportReport> owner,
            StallingStream stream) {}

    private Killed killedAfterTwoBatches() throws Exception {
        String agency = data.agency("local_authority");
        SightlineUser worker = worker(agency);
        String prefix = TestData.unique("L");
        byte[] content = file(prefix);
        UUID run = imports.keepForCommit(
                worker,
                new ImportService.ImportRequest(
                        worker.agencyCode(),
                        "person-records",
                        null,
                        "children.csv",
                        worker.username(),
                        ImportService.DEFAULT_BATCH_SIZE,
                        null),
                content);
        ImportService.Kept kept = imports.take(worker, run, "previewed", "IMPORT_COMMITTED");
        // The header and 25 rows arrive, then the process freezes: batches of 10 commit lines 2-21.
        int cut = new String(content, StandardCharsets.UTF_8)
                .lines()
                .limit(26)
                .mapToInt(l -> l.length() + 1)
                .sum();
        StallingStream stream = new StallingStream(content, cut);
        CompletableFuture<ImportReport> owner =
                CompletableFuture.supplyAsync(() -> imports.runKept(worker, kept, 10, stream));
        for (int i = 0; i < 400 && imports.report(worker, run).received() < 20; i++) {
            Thread.sleep(25);
        }
        assertThat(imports.report(worker, run).received()).isEqualTo(20);
        assertThat(status(run)).isEqualTo("running");
        // Its process is gone: nothing renews the lease (as another process's, which this one's heartbeat leaves
        // alone).
        jdbc.sql(
                        "UPDATE import_run SET lease_owner = '999-dead', lease_expires_at = now() - interval '1 second' WHERE public_id = ?")
                .param(run)
                .update();
        assertThat(sweeper.sweep()).isGreaterThanOrEqualTo(1);
        assertThat(status(run)).isEqualTo("interrupted");
        assertThat(uploadKept(run)).as("kept for resuming").isTrue();
        return new Killed(run, worker, prefix, owner, stream);
    }

    private long records(String prefix) {
        return jdbc.sql("SELECT count(*) FROM person_record WHERE record_ref LIKE ?")
                .param(prefix + "%")
                .query(Long.class)
                .single();
    }

    @Test
    void anInterruptedRunResumesAfterItsCommittedBatchesAndItsStalledOwnerWritesNoMore() throws Exception {
        Killed killed = killedAfterTwoBatches();
        UUID run = killed.run();
        SightlineUser worker = killed.worker();
        assertThat(records(killed.prefix())).isEqualTo(19);

        // The frozen owner wakes: its next batch finds the lease gone and is not written; the run stays interrupted.
        killed.stream().release.countDown();
        ImportReport afterWake = killed.owner().get(30, TimeUnit.SECONDS);
        assertThat(afterWake.status()).isEqualTo("interrupted");
        assertThat(afterWake.received()).isEqualTo(20);
        assertThat(records(killed.prefix())).isEqualTo(19);

        MockHttpServletResponse page = mvc.perform(get("/imports/" + run).with(user(worker)))
                .andReturn()
                .getResponse();
        assertThat(page.getHeader("Refresh")).isNull();
        assertThat(page.getContentAsString()).contains("Resume the import").contains("Discard this import");

        assertThat(mvc.perform(post("/imports/" + run + "/resume")
                                .with(user(worker))
                                .with(csrf()))
                        .andReturn()
                        .getResponse()
                        .getStatus())
                .isEqualTo(302);
        ImportReport report = imports.report(worker, run);
        for (int i = 0; i < 400 && !report.finished(); i++) {
            Thread.sleep(25);
            report = imports.report(worker, run);
        }
        assertThat(report.status()).isEqualTo("completed");
        // Every line of the file counted once: the 19 + 1 of the first attempt and the 10 after the stall.
        assertThat(report.received()).isEqualTo(ROWS);
        assertThat(report.imported()).isEqualTo(ROWS - 2);
        assertThat(report.quarantined()).isEqualTo(2);
        assertThat(report.unchanged()).isZero();
        assertThat(records(killed.prefix())).isEqualTo(ROWS - 2);
        assertThat(jdbc.sql("SELECT count(DISTINCT record_ref) FROM person_record WHERE record_ref LIKE ?")
                        .param(killed.prefix() + "%")
                        .query(Long.class)
                        .single())
                .isEqualTo(ROWS - 2);
        assertThat(jdbc.sql(
                                """
                SELECT array_agg(q.line ORDER BY q.line)::text FROM import_quarantine q JOIN import_run r ON r.id = q.run_id
                WHERE r.public_id = ?""")
                        .param(run)
                        .query(String.class)
                        .single())
                .isEqualTo("{" + BAD_EARLY + "," + BAD_LATE + "}");
        assertThat(jdbc.sql("SELECT committed_lines::text FROM import_run WHERE public_id = ?")
                        .param(run)
                        .query(String.class)
                        .single())
                .isEqualTo("{[2," + (ROWS + 2) + ")}");
        assertThat(audits("IMPORT_RESUMED", run)).isEqualTo(1);
        assertThat(uploadKept(run)).as("freed once the run has read it").isFalse();
        mvc.perform(post("/imports/" + run + "/resume").with(user(worker)).with(csrf()));
        assertThat(audits("IMPORT_RESUMED", run))
                .as("only an interrupted run resumes")
                .isEqualTo(1);
        assertThat(imports.report(worker, run).received()).isEqualTo(ROWS);
    }

    @Test
    void anInterruptedRunCanBeDiscardedAndUploadsExpire() throws Exception {
        Killed killed = killedAfterTwoBatches();
        killed.stream().release.countDown();
        killed.owner().get(30, TimeUnit.SECONDS);
        UUID run = killed.run();
        SightlineUser worker = killed.worker();
        SightlineUser other = worker(data.agency("local_authority"));
        assertThat(mvc.perform(post("/imports/" + run + "/discard")
                                .with(user(other))
                                .with(csrf()))
                        .andReturn()
                        .getResponse()
                        .getStatus())
                .isEqualTo(404);

        assertThat(mvc.perform(post("/imports/" + run + "/discard")
                                .with(user(worker))
                                .with(csrf()))
                        .andReturn()
                        .getResponse()
                        .getRedirectedUrl())
                .isEqualTo("/imports/" + run);
        assertThat(status(run)).isEqualTo("discarded");
        assertThat(uploadKept(run)).isFalse();
        assertThat(jdbc.sql(
                                "SELECT count(*) FROM import_quarantine q JOIN import_run r ON r.id = q.run_id WHERE r.public_id = ?")
                        .param(run)
                        .query(Integer.class)
                        .single())
                .as("the row waiting in quarantine went with it")
                .isZero();
        assertThat(records(killed.prefix())).as("rows already imported stay").isEqualTo(19);
        assertThat(imports.report(worker, run).received()).isEqualTo(20);
        assertThat(audits("IMPORT_DISCARDED", run)).isEqualTo(1);

        // Uploads expire: an interrupted run's can no longer be resumed, a previewed run's goes with its run.
        Killed second = killedAfterTwoBatches();
        second.stream().release.countDown();
        second.owner().get(30, TimeUnit.SECONDS);
        UUID previewed = imports.keepForCommit(
                worker,
                new ImportService.ImportRequest(
                        worker.agencyCode(),
                        "person-records",
                        null,
                        "later.csv",
                        worker.username(),
                        ImportService.DEFAULT_BATCH_SIZE,
                        null),
                file(TestData.unique("P")));
        jdbc.sql(
                        """
                UPDATE import_upload SET stored_at = now() - interval '25 hours'
                WHERE run_id IN (SELECT id FROM import_run WHERE public_id IN (?, ?))""")
                .params(second.run(), previewed)
                .update();
        assertThat(sweeper.expireUploads()).isGreaterThanOrEqualTo(2);
        assertThat(uploadKept(second.run())).isFalse();
        assertThat(imports.resumable(second.worker(), second.run())).isFalse();
        assertThat(mvc.perform(get("/imports/" + second.run()).with(user(second.worker())))
                        .andReturn()
                        .getResponse()
                        .getContentAsString())
                .contains("cannot be resumed")
                .doesNotContain("Resume the import");
        assertThat(mvc.perform(post("/imports/" + second.run() + "/resume")
                                .with(user(second.worker()))
                                .with(csrf()))
                        .andReturn()
                        .getResponse()
                        .getRedirectedUrl())
                .isEqualTo("/imports/" + second.run());
        assertThat(status(second.run())).as("nothing to resume from").isEqualTo("interrupted");
        assertThat(audits("IMPORT_RESUMED", second.run())).isZero();
        assertThat(status(previewed)).isEqualTo("discarded");
        assertThat(audits("IMPORT_UPLOAD_EXPIRED", previewed)).isEqualTo(1);
    }
}
