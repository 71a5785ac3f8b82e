package org.sightline.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.sightline.support.IntegrationTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * An anonymous request announcing a large body is refused before the body is read: the test sends only the headers
 * of a 199 MB upload and must get its answer without sending a byte of the body (a server that read it would wait).
 */
@IntegrationTest
class AnonymousBodyLimitTest {

    @LocalServerPort
    int port;

    private String statusLine(String method, String path, long contentLength) throws Exception {
        try (Socket socket = new Socket("localhost", port)) {
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            out.write((method + " " + path + " HTTP/1.1\r\nHost: localhost\r\n"
                            + "Content-Type: multipart/form-data; boundary=x\r\nContent-Length: " + contentLength
                            + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
                    .readLine();
        }
    }

    @Test
    void anAnonymousLargeUploadIsRefusedUnread() throws Exception {
        assertThat(statusLine("POST", "/imports", 199L * 1024 * 1024)).contains(" 413");
        assertThat(statusLine("POST", "/sign-in", 1024 * 1024)).contains(" 413");
    }

    @Test
    void aSmallAnonymousPostStillReachesSecurity() throws Exception {
        // No body sent for a 10-byte announcement would stall a reader; an empty body is answered by security (403, no
        // CSRF token) — the limit is not in the way of ordinary sign-in forms.
        assertThat(statusLine("POST", "/sign-in", 0)).doesNotContain(" 413");
    }
}
