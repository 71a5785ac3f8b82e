package org.sightline.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sightline.support.IntegrationTest;
import org.sightline.support.TestData;
import org.sightline.support.TestOidcProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Signing in through an OpenID Connect provider (a real one, started for the suite: {@link TestOidcProvider}). The
 * whole authorization-code flow runs over HTTP: the application redirects to the provider, the provider back with a
 * code, the application exchanges it for a signed ID token and checks it.
 */
@IntegrationTest
class OidcSignInTest {

    @LocalServerPort
    int port;

    @Autowired
    TestData data;

    @Autowired
    JdbcClient jdbc;

    /** Follows the redirects of a sign-in through the provider in a fresh cookie jar; the final page and client. */
    private record Flow(HttpClient client, HttpResponse<String> landing) {}

    private Flow signInThroughProvider() throws Exception {
        HttpClient client = HttpClient.newBuilder()
                .cookieHandler(new CookieManager())
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
        HttpResponse<String> landing = client.send(
                HttpRequest.newBuilder(URI.create(
                                "http://localhost:" + port + "/oauth2/authorization/" + TestOidcProvider.REGISTRATION))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        return new Flow(client, landing);
    }

    private HttpResponse<String> get(HttpClient client, String path) throws Exception {
        return client.send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static Map<String, Object> claims(String username, Object roles, String agency) {
        Map<String, Object> claims = new HashMap<>();
        claims.put("preferred_username", username);
        claims.put("name", "Olu Provider");
        if (roles != null) {
            claims.put("sightline_roles", roles);
        }
        if (agency != null) {
            claims.put("agency_code", agency);
        }
        return claims;
    }

    private int audited(String action, String detailsLike) {
        return jdbc.sql("SELECT count(*) FROM audit_event WHERE action = ? AND details LIKE ?")
                .param(action)
                .param(detailsLike)
                .query(Integer.class)
                .single();
    }

    @Test
    void theSignInPageOffersTheProvider() throws Exception {
        HttpResponse<String> page = get(HttpClient.newHttpClient(), "/sign-in");
        assertThat(page.body())
                .contains("Sign in with Test identity provider")
                .contains("/oauth2/authorization/" + TestOidcProvider.REGISTRATION);
    }

    @Test
    void aUserSignsInWithTheRolesAndAgencyTheProviderStatesAndTheyAreReadAfreshEachTime() throws Exception {
        String agency = data.agency("police_force");
        String username = TestData.unique("oidc.officer");
        String subject = TestData.unique("subject");
        TestOidcProvider.nextSignIn(subject, claims(username, List.of("POLICE_OFFICER"), agency));

        Flow flow = signInThroughProvider();
        assertThat(flow.landing().statusCode()).isEqualTo(200);
        assertThat(flow.landing().uri().getPath()).isEqualTo("/");
        assertThat(flow.landing().body()).contains("Olu Provider");
        // The session is an ordinary Sightline session: casework pages open, the role check holds.
        assertThat(get(flow.client(), "/records").statusCode()).isEqualTo(200);
        assertThat(get(flow.client(), "/audit").statusCode()).isEqualTo(403);
        var account = jdbc.sql("SELECT auth_source, oidc_subject, roles::text FROM app_user WHERE username = ?")
                .param(username)
                .query((rs, n) -> List.of(rs.getString(1), rs.getString(2), rs.getString(3)))
                .single();
        assertThat(account).containsExactly("oidc:" + TestOidcProvider.REGISTRATION, subject, "{POLICE_OFFICER}");
        assertThat(audited("SIGN_IN", "via oidc:" + TestOidcProvider.REGISTRATION + " roles=[POLICE_OFFICER]"))
                .isPositive();

        // The provider now says supervisor (space-separated form): the next sign-in carries that role, not the old one.
        TestOidcProvider.nextSignIn(subject, claims(username, "SUPERVISOR", agency));
        Flow again = signInThroughProvider();
        assertThat(again.landing().uri().getPath()).isEqualTo("/");
        assertThat(jdbc.sql("SELECT roles::text FROM app_user WHERE username = ?")
                        .param(username)
                        .query(String.class)
                        .single())
                .isEqualTo("{SUPERVISOR}");
        assertThat(get(again.client(), "/identity-reviews").statusCode()).isEqualTo(200);
    }

    @Test
    void withoutARoleOrAKnownAgencyTheSignInIsRefusedAndAudited() throws Exception {
        String agency = data.agency("local_authority");
        for (Map<String, Object> claims : List.of(
                claims(TestData.unique("norole"), null, agency),
                claims(TestData.unique("badrole"), List.of("ROOT"), agency),
                claims(TestData.unique("noagency"), List.of("SOCIAL_WORKER"), "E99999999"))) {
            String subject = TestData.unique("refused");
            TestOidcProvider.nextSignIn(subject, claims);
            Flow flow = signInThroughProvider();
            assertThat(flow.landing().uri().getPath()).isEqualTo("/sign-in");
            assertThat(flow.landing().uri().getQuery()).isEqualTo("oidc-refused");
            assertThat(flow.landing().body()).contains("does not name a Sightline role and an agency");
            // No session was left behind: the home page still asks to sign in.
            assertThat(get(flow.client(), "/").uri().getPath()).isEqualTo("/sign-in");
            assertThat(audited("SIGN_IN_REFUSED", "%subject=" + subject + ":%")).isEqualTo(1);
            assertThat(jdbc.sql("SELECT count(*) FROM app_user WHERE oidc_subject = ?")
                            .param(subject)
                            .query(Integer.class)
                            .single())
                    .isZero();
        }
    }

    @Test
    void aProviderUserCannotTakeOverALocalAccountOfTheSameName() throws Exception {
        String agency = data.agency("police_force");
        String local = data.user(agency, Roles.SUPERVISOR);
        String subject = TestData.unique("takeover");
        TestOidcProvider.nextSignIn(subject, claims(local, List.of("ADMIN"), agency));
        Flow flow = signInThroughProvider();
        assertThat(flow.landing().uri().getQuery()).isEqualTo("oidc-refused");
        assertThat(jdbc.sql("SELECT auth_source || ' ' || roles::text FROM app_user WHERE username = ?")
                        .param(local)
                        .query(String.class)
                        .single())
                .isEqualTo("local {SUPERVISOR}");
        assertThat(audited("SIGN_IN_REFUSED", "%subject=" + subject + ": user name belongs to another account"))
                .isEqualTo(1);
    }
}
