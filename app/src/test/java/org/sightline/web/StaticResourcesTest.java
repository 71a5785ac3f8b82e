package org.sightline.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.sightline.support.IntegrationTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.util.AntPathMatcher;
import org.springframework.web.servlet.resource.ResourceUrlProvider;

/** Static files are served from their own prefixes, and nothing else is ever looked up as one. */
@IntegrationTest
class StaticResourcesTest {

    @LocalServerPort
    int port;

    @Autowired
    ResourceUrlProvider resources;

    private HttpResponse<byte[]> get(String path) throws Exception {
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                                .build(),
                        HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void stylesScriptsWebJarsAndGovukAssetsAreServedWithoutSigningIn() throws Exception {
        for (String[] file : new String[][] {
            {"/css/sightline.css", "text/css"},
            {"/js/sightline.js", "javascript"},
            {"/webjars/govuk-frontend/dist/govuk/govuk-frontend.min.css", "text/css"},
            {"/assets/images/favicon.ico", "image/"},
            {"/favicon.svg", "image/svg+xml"}
        }) {
            HttpResponse<byte[]> response = get(file[0]);
            assertThat(response.statusCode()).as(file[0]).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type").orElse(""))
                    .as(file[0])
                    .contains(file[1]);
            assertThat(response.body()).as(file[0]).isNotEmpty();
            assertThat(response.headers().firstValue("Cache-Control").orElse(""))
                    .as(file[0])
                    .contains("max-age=3600");
        }
        // Not there, but answered as such to a browser not signed in: a redirect to sign-in would be saved as the
        // page to show after signing in.
        assertThat(get("/favicon.ico").statusCode()).isEqualTo(404);
        // Not a static file: the page is found by the controllers' security (sign-in), not served from the classpath.
        assertThat(get("/static/css/sightline.css").statusCode()).isNotEqualTo(200);
        assertThat(get("/application.properties").statusCode()).isNotEqualTo(200);
    }

    @Test
    void pageLinksMatchNoResourcePattern() {
        // A "/**" pattern would make every @{...} link on a page a classpath lookup (serialised inside the jar).
        AntPathMatcher matcher = new AntPathMatcher();
        assertThat(resources.getHandlerMap().keySet())
                .contains("/css/**", "/js/**", "/webjars/**", "/assets/**")
                .noneMatch(pattern -> matcher.match(pattern, "/children/0b6e8a52-0000-4000-8000-000000000000")
                        || matcher.match(pattern, "/records")
                        || matcher.match(pattern, "/"));
        assertThat(resources.getForLookupPath("/children/0b6e8a52-0000-4000-8000-000000000000"))
                .isNull();
        assertThat(resources.getForLookupPath("/css/sightline.css")).isEqualTo("/css/sightline.css");
    }
}
