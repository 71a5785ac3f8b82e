package org.sightline.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sightline.access.Roles;
import org.sightline.shared.TextRules;
import org.sightline.support.IntegrationTest;
import org.sightline.support.TestData;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Over real HTTP (Tomcat parses multipart bodies and chooses methods before any controller): a wrong method, a
 * malformed or truncated multipart body and a control character in a concern's text all answer problem+json with a
 * 4xx, never Spring's default error format or a 500.
 */
@IntegrationTest
class ApiProblemFormatTest {

    @LocalServerPort
    int port;

    @Autowired
    TestData data;

    private final HttpClient http = HttpClient.newHttpClient();
    private String authorization;
    private UUID record;

    @BeforeEach
    void setUp() {
        String authority = data.agency("local_authority");
        authorization = "Basic "
                + Base64.getEncoder()
                        .encodeToString((data.user(authority, Roles.SOCIAL_WORKER) + ":" + TestData.PASSWORD)
                                .getBytes(StandardCharsets.UTF_8));
        record = data.personRecord(authority, "Nell", TestData.unique("Farrowdale"), 2010, 5, 5, null);
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.header("Authorization", authorization).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest.Builder to(String path) {
        return HttpRequest.newBuilder(URI.create("http://localhost:" + port + path));
    }

    private static void assertProblem(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
        assertThat(response.body())
                .contains("\"status\":" + status)
                .doesNotContain("\"error\":")
                .doesNotContain("trace");
    }

    @Test
    void aWrongMethodAnswers405ProblemJson() throws Exception {
        HttpResponse<String> response = send(to("/api/v1/imports").DELETE());
        assertProblem(response, 405);
        assertThat(response.headers().firstValue("Allow"))
                .hasValueSatisfying(a -> assertThat(a).contains("POST"));
        assertProblem(
                send(to("/api/v1/concerns/" + UUID.randomUUID())
                        .method("PATCH", HttpRequest.BodyPublishers.ofString("{}"))
                        .header("Content-Type", "application/json")),
                405);
    }

    @Test
    void aMultipartBodyWithoutItsBoundaryAnswers400ProblemJson() throws Exception {
        assertProblem(
                send(to("/api/v1/imports?kind=person-records")
                        .header("Idempotency-Key", UUID.randomUUID().toString())
                        .header("Content-Type", "multipart/form-data; boundary=never-used")
                        .POST(HttpRequest.BodyPublishers.ofString("this is not a multipart body at all\r\n"))),
                400);
        assertProblem(
                send(to("/api/v1/imports?kind=person-records")
                        .header("Idempotency-Key", UUID.randomUUID().toString())
                        .header("Content-Type", "multipart/form-data")
                        .POST(HttpRequest.BodyPublishers.ofString("no boundary was declared\r\n"))),
                400);
    }

    /** The body ends in the middle of the file part, as an upload cut off by a dropped connection. */
    @Test
    void aTruncatedMultipartBodyAnswers400ProblemJson() throws Exception {
        String body = "--cut\r\nContent-Disposition: form-data; name=\"file\"; filename=\"people.csv\"\r\n"
                + "Content-Type: text/csv\r\n\r\nrecord_ref,given_name,family_name,dob,sex\r\nT1,Ann,Test";
        assertProblem(
                send(to("/api/v1/imports?kind=person-records")
                        .header("Idempotency-Key", UUID.randomUUID().toString())
                        .header("Content-Type", "multipart/form-data; boundary=cut")
                        .POST(HttpRequest.BodyPublishers.ofString(body))),
                400);

        // Announced longer than sent, the client closing its side: the server must not wait for ever nor answer 500
        // (Tomcat answers 400 itself here, through the error page: the client has gone and reads no body).
        try (Socket socket = new Socket("localhost", port)) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/v1/imports?kind=person-records HTTP/1.1\r\nHost: localhost\r\nAuthorization: "
                            + authorization
                            + "\r\nIdempotency-Key: " + UUID.randomUUID()
                            + "\r\nContent-Type: multipart/form-data; boundary=cut\r\n"
                            + "Content-Length: " + (body.length() + 500) + "\r\nConnection: close\r\n\r\n" + body)
                    .getBytes(StandardCharsets.UTF_8));
            out.flush();
            socket.shutdownOutput();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            in.transferTo(answer);
            String text = answer.toString(StandardCharsets.UTF_8);
            if (!text.isEmpty()) {
                assertThat(text).startsWith("HTTP/1.1 400");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"\\u0000", "\\u001b", "\\u202e"})
    void aControlCharacterInAConcernIsRefusedNamingTheField(String bad) throws Exception {
        HttpResponse<String> response = send(to("/api/v1/concerns")
                .header("Idempotency-Key", UUID.randomUUID().toString())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                        """
                        {"recordId":"%s","indicators":["missing_repeat"],"summary":"Seen %s in a car."}"""
                                .formatted(record, bad))));
        assertProblem(response, 400);
        assertThat(response.body())
                .contains("\"field\":\"summary\"")
                .contains("\"rule\":\"" + TextRules.RULE + "\"")
                .doesNotContain("Seen");
    }

    @Test
    void multiLineTextKeepsItsLineBreaksAndTabs() throws Exception {
        HttpResponse<String> response = send(to("/api/v1/concerns")
                .header("Idempotency-Key", UUID.randomUUID().toString())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                        """
                        {"recordId":"%s","indicators":["missing_repeat"],"summary":"Seen in a car.\\r\\nTwice:\\tMonday"}"""
                                .formatted(record))));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    }
}
