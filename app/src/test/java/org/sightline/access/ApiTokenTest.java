package org.sightline.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sightline.shared.InvalidRequestException;
import org.sightline.support.IntegrationTest;
import org.sightline.support.TestData;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Personal API tokens: the API as the token's user, within its scope, until it expires or is revoked. */
@IntegrationTest
class ApiTokenTest {

    @LocalServerPort
    int port;

    @Autowired
    TestData data;

    @Autowired
    ApiTokens tokens;

    @Autowired
    UserAccounts accounts;

    @Autowired
    JdbcClient jdbc;

    private SightlineUser officer;

    @BeforeEach
    void officer() {
        officer = accounts.loadUserByUsername(data.user(data.agency("police_force"), Roles.POLICE_OFFICER));
    }

    private HttpResponse<String> call(String method, String path, String token, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Content-Type", "application/json")
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private int signIns(SightlineUser user) {
        return jdbc.sql("SELECT count(*) FROM audit_event WHERE actor = ? AND action = 'SIGN_IN_TOKEN'")
                .param(user.username())
                .query(Integer.class)
                .single();
    }

    @Test
    void aReadTokenReadsAndSearchesButCannotChangeAnything() throws Exception {
        String token = tokens.create(officer, "dashboard", "read", 7).token();
        assertThat(call("GET", "/api/v1/screening-instruments", token, null).statusCode())
                .isEqualTo(200);
        assertThat(call("POST", "/api/v1/records/search", token, "{\"familyName\": \"Nobody\"}")
                        .statusCode())
                .isEqualTo(200);
        HttpResponse<String> write = call("POST", "/api/v1/episodes", token, "{}");
        assertThat(write.statusCode()).isEqualTo(403);
        assertThat(write.headers().firstValue("Content-Type").orElse("")).contains("application/problem+json");
        assertThat(write.body()).contains("may only read");
    }

    @Test
    void aReadWriteTokenReachesTheHandlerWithTheUsersOwnRoles() throws Exception {
        String token = tokens.create(officer, "case system", "read_write", 7).token();
        // Past authentication: the handler's own validation answers (400 naming the fields), not 401/403.
        HttpResponse<String> write = call("POST", "/api/v1/episodes", token, "{}");
        assertThat(write.statusCode()).isEqualTo(400);
        // The token is the user: an analyst's token cannot do what the analyst may not.
        SightlineUser analyst = accounts.loadUserByUsername(data.user(data.agency("local_authority"), Roles.ANALYST));
        String analysts = tokens.create(analyst, "figures", "read_write", 7).token();
        assertThat(call("POST", "/api/v1/episodes", analysts, "{}").statusCode())
                .isEqualTo(403);
    }

    @Test
    void unknownRevokedAndExpiredTokensAreRefused() throws Exception {
        ApiTokens.Created created = tokens.create(officer, "short lived", "read", 1);
        assertThat(call("GET", "/api/v1/screening-instruments", created.token(), null)
                        .statusCode())
                .isEqualTo(200);
        HttpResponse<String> unknown = call("GET", "/api/v1/screening-instruments", created.token() + "x", null);
        assertThat(unknown.statusCode()).isEqualTo(401);
        assertThat(unknown.headers().firstValue("WWW-Authenticate").orElse("")).contains("invalid_token");
        assertThat(call("GET", "/api/v1/screening-instruments", "not-a-token", null)
                        .statusCode())
                .isEqualTo(401);

        tokens.revoke(officer, created.view().publicId());
        assertThat(call("GET", "/api/v1/screening-instruments", created.token(), null)
                        .statusCode())
                .as("revoked: refused at once, not after the cache expires")
                .isEqualTo(401);

        String other = tokens.create(officer, "expiring", "read", 1).token();
        jdbc.sql("UPDATE api_token SET created_at = now() - interval '2 days', expires_at = now() - interval '1 day' "
                        + "WHERE name = 'expiring'")
                .update();
        assertThat(call("GET", "/api/v1/screening-instruments", other, null).statusCode())
                .as("expired in the database: refused on the first use")
                .isEqualTo(401);
        // Someone else's token cannot be revoked by guessing its id.
        SightlineUser stranger =
                accounts.loadUserByUsername(data.user(data.agency("police_force"), Roles.POLICE_OFFICER));
        ApiTokens.Created mine = tokens.create(officer, "mine", "read", 1);
        assertThatThrownBy(() -> tokens.revoke(stranger, mine.view().publicId()))
                .isInstanceOf(org.sightline.shared.NotFoundException.class);
        assertThat(call("GET", "/api/v1/screening-instruments", mine.token(), null)
                        .statusCode())
                .isEqualTo(200);
    }

    @Test
    void useIsAuditedOncePerSessionNotPerRequestAndOnlyAKeyedHashIsStored() throws Exception {
        SightlineUser user = accounts.loadUserByUsername(data.user(data.agency("police_force"), Roles.POLICE_OFFICER));
        String token = tokens.create(user, "batch", "read", 3).token();
        for (int i = 0; i < 5; i++) {
            assertThat(call("GET", "/api/v1/screening-instruments", token, null).statusCode())
                    .isEqualTo(200);
        }
        assertThat(signIns(user)).isEqualTo(1);
        String stored = jdbc.sql("SELECT token_hash FROM api_token WHERE name = 'batch' AND user_id = "
                        + "(SELECT id FROM app_user WHERE username = ?)")
                .param(user.username())
                .query(String.class)
                .single();
        String plainSha256 = HexFormat.of()
                .formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        assertThat(stored)
                .doesNotContain(token.substring(4))
                .isNotEqualTo(plainSha256)
                .hasSize(64);
        assertThat(jdbc.sql("SELECT last_used_at IS NOT NULL FROM api_token WHERE token_hash = ?")
                        .param(stored)
                        .query(Boolean.class)
                        .single())
                .isTrue();
    }

    @Test
    void badRequestsForATokenNameTheField() {
        assertThatThrownBy(() -> tokens.create(officer, " ", "admin", 0))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.violations())
                        .extracting(v -> v.field())
                        .containsExactly("name", "scope", "days"));
        assertThatThrownBy(() -> tokens.create(officer, "x", "read", ApiTokens.MAX_DAYS + 1))
                .isInstanceOf(InvalidRequestException.class);
    }
}
