package org.sightline.importexport;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.sightline.access.ApiTokens;
import org.sightline.access.Roles;
import org.sightline.access.SightlineUser;
import org.sightline.access.UserAccounts;
import org.sightline.support.IntegrationTest;
import org.sightline.support.TestData;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Twenty API uploads at once over real HTTP: every one is accepted and completes with its rows, none fails, at most
 * the configured number import at a time while the others wait with a visible queue position, and reads keep
 * answering quickly meanwhile (a request waiting for its turn holds no database connection).
 */
@IntegrationTest
class ImportQueueTest {

    private static final int UPLOADS = 20;
    private static final int ROWS = 400;

    @LocalServerPort
    int port;

    @Autowired
    TestData data;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    ObjectMapper json;

    @Autowired
    ApiTokens tokens;

    @Autowired
    UserAccounts accounts;

    @Value("${sightline.imports.concurrent:2}")
    int concurrent;

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private static String basic(String username) {
        return "Basic "
                + Base64.getEncoder()
                        .encodeToString((username + ":" + TestData.PASSWORD).getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] multipart(String boundary, String prefix) {
        StringBuilder csv = new StringBuilder("record_ref,given_name,family_name,dob,sex\r\n");
        for (int i = 0; i < ROWS; i++) {
            csv.append(prefix)
                    .append(i)
                    .append(",Queue")
                    .append(i)
                    .append(",Testperson,2011-02-")
                    .append(String.format("%02d", 1 + i % 28))
                    .append(",male\r\n");
        }
        return ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"kind\"\r\n\r\nperson-records\r\n"
                        + "--" + boundary
                        + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"queue.csv\"\r\n"
                        + "Content-Type: text/csv\r\n\r\n" + csv + "\r\n--" + boundary + "--\r\n")
                .getBytes(StandardCharsets.UTF_8);
    }

    private JsonNode get(String authorization, String path) throws Exception {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                        .header("Authorization", authorization)
                        .timeout(Duration.ofSeconds(30))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return json.readTree(response.body());
    }

    @Test
    void twentyConcurrentUploadsAllCompleteInTurnAndReadsStillAnswer() throws Exception {
        List<String> agencies = new ArrayList<>();
        List<String> users = new ArrayList<>();
        for (int a = 0; a < 5; a++) {
            String agency = data.agency("local_authority");
            agencies.add(agency);
            for (int u = 0; u < UPLOADS / 5; u++) {
                users.add(data.user(agency, Roles.SOCIAL_WORKER));
            }
        }
        // A token, as an API client would use: the read measures the database pool, not a bcrypt per request.
        String reader = "Bearer "
                + tokens.create((SightlineUser) accounts.loadUserByUsername(users.get(0)), "reader", "read", 1)
                        .token();
        String prefix = TestData.unique("Q");
        Object[] agencyIds = agencies.stream()
                .map(code -> jdbc.sql("SELECT id FROM agency WHERE code = ?")
                        .param(code)
                        .query(Long.class)
                        .single())
                .toArray();

        // Watch while the uploads run: never more than the bound importing, and reads answering.
        AtomicBoolean uploading = new AtomicBoolean(true);
        AtomicBoolean accepted = new AtomicBoolean(false);
        AtomicInteger mostRunning = new AtomicInteger();
        AtomicInteger mostQueued = new AtomicInteger();
        AtomicLong slowestRead = new AtomicLong();
        AtomicInteger reads = new AtomicInteger();
        CompletableFuture<Void> watcher = CompletableFuture.runAsync(() -> {
            while (uploading.get()) {
                try {
                    List<String> statuses = jdbc.sql("SELECT status FROM import_run WHERE agency_id = ANY(?)")
                            .param(java.util.Arrays.stream(agencyIds)
                                    .mapToLong(o -> (Long) o)
                                    .boxed()
                                    .toArray(Long[]::new))
                            .query(String.class)
                            .list();
                    mostRunning.accumulateAndGet(
                            (int) statuses.stream().filter("running"::equals).count(), Math::max);
                    mostQueued.accumulateAndGet(
                            (int) statuses.stream().filter("queued"::equals).count(), Math::max);
                    long started = System.nanoTime();
                    get(reader, "/api/v1/import-profiles");
                    if (accepted.get()) {
                        slowestRead.accumulateAndGet((System.nanoTime() - started) / 1_000_000, Math::max);
                        reads.incrementAndGet();
                    }
                    Thread.sleep(100);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        });

        ExecutorService clients = Executors.newFixedThreadPool(UPLOADS);
        List<CompletableFuture<HttpResponse<String>>> sent = new ArrayList<>();
        for (int i = 0; i < UPLOADS; i++) {
            String boundary = "b" + UUID.randomUUID();
            String user = users.get(i);
            byte[] body = multipart(boundary, prefix + "-" + i + "-");
            sent.add(CompletableFuture.supplyAsync(
                    () -> {
                        try {
                            return http.send(
                                    HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/v1/imports"))
                                            .header("Authorization", basic(user))
                                            .header(
                                                    "Idempotency-Key",
                                                    UUID.randomUUID().toString())
                                            .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                                            .timeout(Duration.ofSeconds(60))
                                            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString());
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    },
                    clients));
        }
        ConcurrentHashMap<String, String> runs = new ConcurrentHashMap<>();
        List<Integer> positions = new ArrayList<>();
        for (int i = 0; i < UPLOADS; i++) {
            HttpResponse<String> response = sent.get(i).get(90, TimeUnit.SECONDS);
            assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
            assertThat(response.headers().firstValue("Location")).isPresent();
            JsonNode report = json.readTree(response.body());
            if ("queued".equals(report.get("status").asString())) {
                positions.add(report.get("queuePosition").asInt());
            }
            runs.put(report.get("id").asString(), users.get(i));
        }
        clients.shutdown();
        accepted.set(true);
        assertThat(jdbc.sql(
                                "SELECT count(*) FROM import_run WHERE agency_id = ANY(?) AND status IN ('queued', 'running')")
                        .param(java.util.Arrays.stream(agencyIds)
                                .mapToLong(o -> (Long) o)
                                .boxed()
                                .toArray(Long[]::new))
                        .query(Integer.class)
                        .single())
                .as("imports still to do while reads are measured")
                .isPositive();

        // Every run completes with all its rows; none failed.
        for (var run : runs.entrySet()) {
            JsonNode report = get(basic(run.getValue()), "/api/v1/imports/" + run.getKey());
            for (int i = 0;
                    i < 1200
                            && List.of("queued", "running")
                                    .contains(report.get("status").asString());
                    i++) {
                if ("queued".equals(report.get("status").asString())) {
                    assertThat(report.get("queuePosition").asInt()).isPositive();
                }
                Thread.sleep(100);
                report = get(basic(run.getValue()), "/api/v1/imports/" + run.getKey());
            }
            assertThat(report.get("status").asString()).as(report.toString()).isEqualTo("completed");
            assertThat(report.get("received").asLong()).isEqualTo(ROWS);
            assertThat(report.get("imported").asLong()).isEqualTo(ROWS);
            assertThat(report.get("fileError").isNull()).isTrue();
        }
        uploading.set(false);
        watcher.get(30, TimeUnit.SECONDS);

        assertThat(jdbc.sql("SELECT count(*) FROM person_record WHERE record_ref LIKE ?")
                        .param(prefix + "-%")
                        .query(Long.class)
                        .single())
                .isEqualTo((long) UPLOADS * ROWS);
        assertThat(mostRunning.get()).as("imports running at once").isLessThanOrEqualTo(concurrent);
        assertThat(mostQueued.get() + positions.size())
                .as("some uploads waited their turn")
                .isPositive();
        assertThat(positions).allSatisfy(p -> assertThat(p).isBetween(1, UPLOADS));
        assertThat(reads.get()).isPositive();
        assertThat(slowestRead.get()).as("slowest read (ms) while importing").isLessThan(3_000);
    }
}
