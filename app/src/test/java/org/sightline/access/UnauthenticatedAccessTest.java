package org.sightline.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sightline.support.IntegrationTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/** Nobody gets past the door without signing in: pages redirect to sign-in, the API and metrics answer 401. */
@IntegrationTest
class UnauthenticatedAccessTest {

    @LocalServerPort
    int port;

    private final HttpClient http =
            HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "/",
                "/records",
                "/records?familyName=x&search=1",
                "/anything/else",
                "/swagger-ui/index.html",
                "/v3/api-docs"
            })
    void pagesRedirectToSignIn(String path) throws Exception {
        HttpResponse<String> response = get(path);
        assertThat(response.statusCode()).isEqualTo(302);
        assertThat(response.headers().firstValue("Location"))
                .hasValueSatisfying(l -> assertThat(l).endsWith("/sign-in"));
    }

    @Test
    void recordPagesRedirectToSignIn() throws Exception {
        assertThat(get("/records/" + UUID.randomUUID()).statusCode()).isEqualTo(302);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/api/v1/records", "/api/v1/anything", "/actuator/prometheus", "/actuator/env"})
    void apiAndMetricsAnswer401(String path) throws Exception {
        assertThat(get(path).statusCode()).isEqualTo(401);
    }

    @Test
    void healthIsOpenForLoadBalancersButSaysNothingElse() throws Exception {
        HttpResponse<String> response = get("/actuator/health");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("UP").doesNotContain("postgres");
    }

    @Test
    void signInPageCarriesSecurityHeaders() throws Exception {
        HttpResponse<String> response = get("/sign-in");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Security-Policy"))
                .hasValueSatisfying(
                        csp -> assertThat(csp).contains("default-src 'self'").contains("frame-ancestors 'none'"));
        assertThat(response.headers().firstValue("X-Frame-Options")).hasValue("DENY");
        assertThat(response.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(response.body()).contains("name=\"_csrf\"");
    }
}
