package org.sightline.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.sightline.support.IntegrationTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Behind a TLS-terminating proxy ({@code serve --behind-proxy}; the suite's server trusts forwarded headers from
 * loopback as that option does): a request the proxy received over HTTPS gets Strict-Transport-Security and a
 * Secure session cookie; a plain HTTP request gets neither, so HSTS is never sent where it cannot be honoured.
 */
@IntegrationTest
class TransportSecurityTest {

    @LocalServerPort
    int port;

    private HttpResponse<String> signInPage(String forwardedProto) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/sign-in"));
        if (forwardedProto != null) {
            request.header("X-Forwarded-Proto", forwardedProto);
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void overHttpsThroughTheProxyHstsAndSecureCookies() throws Exception {
        HttpResponse<String> secure = signInPage("https");
        assertThat(secure.statusCode()).isEqualTo(200);
        assertThat(secure.headers().firstValue("Strict-Transport-Security"))
                .hasValueSatisfying(
                        v -> assertThat(v).contains("max-age=31536000").contains("includeSubDomains"));
        assertThat(secure.headers().allValues("Set-Cookie")).anySatisfy(c -> assertThat(c)
                .startsWith("JSESSIONID=")
                .contains("Secure")
                .contains("HttpOnly")
                .contains("SameSite=Strict"));
    }

    @Test
    void overPlainHttpNeither() throws Exception {
        HttpResponse<String> plain = signInPage(null);
        assertThat(plain.headers().firstValue("Strict-Transport-Security")).isEmpty();
        assertThat(plain.headers().allValues("Set-Cookie"))
                .allSatisfy(c -> assertThat(c).doesNotContain("Secure"));
    }
}
