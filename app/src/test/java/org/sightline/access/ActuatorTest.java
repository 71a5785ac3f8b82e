package org.sightline.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.sightline.support.IntegrationTest;
import org.sightline.support.TestData;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/** Metrics are for administrators only; nothing but health, info and prometheus is exposed. */
@IntegrationTest
class ActuatorTest {

    @LocalServerPort
    int port;

    @Autowired
    TestData data;

    private int get(String path, String user) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path));
        if (user != null) {
            request.header(
                    "Authorization",
                    "Basic "
                            + Base64.getEncoder()
                                    .encodeToString((user + ":" + TestData.PASSWORD).getBytes(StandardCharsets.UTF_8)));
        }
        return HttpClient.newHttpClient()
                .send(request.build(), HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    @Test
    void administratorsScrapePrometheusOthersCannot() throws Exception {
        String admin = data.user("SIGHTLINE", Roles.ADMIN);
        String officer = data.user(data.agency("police_force"), Roles.POLICE_OFFICER);
        assertThat(get("/actuator/prometheus", admin)).isEqualTo(200);
        assertThat(get("/actuator/prometheus", officer)).isEqualTo(403);
    }

    @Test
    void onlyTheThreeEndpointsAreExposed() throws Exception {
        String admin = data.user("SIGHTLINE", Roles.ADMIN);
        for (String hidden :
                new String[] {"/actuator/env", "/actuator/beans", "/actuator/configprops", "/actuator/heapdump"}) {
            assertThat(get(hidden, admin)).as(hidden).isEqualTo(404);
        }
    }

    @Autowired
    @org.springframework.beans.factory.annotation.Qualifier("requestMappingHandlerMapping")
    org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping routes;

    @org.springframework.beans.factory.annotation.Value("${management.metrics.web.server.max-uri-tags}")
    int maxUriTags;

    /** Every route's requests are measured: the route templates (and room for the actuator's) fit in the tag limit. */
    @Test
    void everyRouteFitsInTheRequestMetricsUriTags() {
        long templates = routes.getHandlerMethods().keySet().stream()
                .flatMap(info -> info.getPatternValues().stream())
                .distinct()
                .count();
        assertThat(templates).isGreaterThan(100);
        assertThat(maxUriTags).isGreaterThanOrEqualTo((int) templates + 50);
    }
}
