package org.sightline.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.sightline.access.Roles;
import org.sightline.access.SightlineUser;
import org.sightline.access.UserAccounts;
import org.sightline.shared.ConflictException;
import org.sightline.shared.InvalidRequestException;
import org.sightline.support.IntegrationTest;
import org.sightline.support.TestData;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;

@IntegrationTest
class IdempotencyKeysTest {

    @Autowired
    IdempotencyKeys keys;

    @Autowired
    TestData data;

    @Autowired
    UserAccounts accounts;

    @Autowired
    JdbcClient jdbc;

    @Test
    void aRetriedCreateRunsOnceAndReplaysTheFirstAnswer() {
        SightlineUser user = accounts.loadUserByUsername(data.user("SIGHTLINE", Roles.ADMIN));
        AtomicInteger creates = new AtomicInteger();
        String key = UUID.randomUUID().toString();
        Map<String, String> request = Map.of("name", "x");
        ResponseEntity<?> first = keys.once(user, key, "POST /api/v1/test", request, () -> {
            creates.incrementAndGet();
            return ResponseEntity.created(URI.create("/api/v1/test/1")).body(Map.of("id", "1"));
        });
        ResponseEntity<?> second = keys.once(user, key, "POST /api/v1/test", request, () -> {
            creates.incrementAndGet();
            return ResponseEntity.created(URI.create("/api/v1/test/2")).body(Map.of("id", "2"));
        });
        assertThat(creates).hasValue(1);
        assertThat(second.getStatusCode().value()).isEqualTo(201);
        assertThat(second.getHeaders().getLocation())
                .isEqualTo(first.getHeaders().getLocation());
        assertThat(second.getHeaders().getFirst("Idempotent-Replayed")).isEqualTo("true");
        // The replay names where the created resource is, and holds nothing of it; the replay is audited.
        assertThat(second.getBody()).isEqualTo(new IdempotencyKeys.Replayed(true, "/api/v1/test/1"));
        assertThat(jdbc.sql(
                                "SELECT count(*) FROM audit_event WHERE actor = ? AND action = 'API_REPLAY' AND details = ?")
                        .param(user.username())
                        .param("POST /api/v1/test -> 201 /api/v1/test/1")
                        .query(Integer.class)
                        .single())
                .isEqualTo(1);
        assertThat(jdbc.sql("SELECT to_jsonb(i)::text FROM api_idempotency i WHERE idempotency_key = ?")
                        .param(key)
                        .query(String.class)
                        .single())
                .doesNotContain("response_body")
                .contains("request_hash");
    }

    @Test
    void keysExpireAfterTheirLifetimeAndARetryAfterThatIsANewRequest() {
        SightlineUser user = accounts.loadUserByUsername(data.user("SIGHTLINE", Roles.ADMIN));
        String old = UUID.randomUUID().toString();
        String fresh = UUID.randomUUID().toString();
        keys.once(user, old, "POST /api/v1/test", Map.of(), () -> ResponseEntity.ok()
                .build());
        keys.once(user, fresh, "POST /api/v1/test", Map.of(), () -> ResponseEntity.ok()
                .build());
        jdbc.sql("UPDATE api_idempotency SET created_at = now() - interval '25 hours' WHERE idempotency_key = ?")
                .param(old)
                .update();
        assertThat(keys.expire()).isGreaterThanOrEqualTo(1);
        assertThat(jdbc.sql("SELECT idempotency_key FROM api_idempotency WHERE idempotency_key IN (?, ?)")
                        .params(old, fresh)
                        .query(String.class)
                        .list())
                .containsExactly(fresh);
        AtomicInteger creates = new AtomicInteger();
        keys.once(user, old, "POST /api/v1/test", Map.of(), () -> {
            creates.incrementAndGet();
            return ResponseEntity.ok().build();
        });
        assertThat(creates).hasValue(1);
    }

    @Test
    void aKeyReusedForADifferentRequestIsRefused() {
        SightlineUser user = accounts.loadUserByUsername(data.user("SIGHTLINE", Roles.ADMIN));
        String key = UUID.randomUUID().toString();
        keys.once(user, key, "POST /api/v1/test", Map.of("a", 1), () -> ResponseEntity.ok()
                .build());
        assertThatThrownBy(() -> keys.once(user, key, "POST /api/v1/test", Map.of("a", 2), () -> ResponseEntity.ok()
                        .build()))
                .isInstanceOf(ConflictException.class)
                .hasMessageContaining("different request");
    }

    @Test
    void aMissingOrMalformedKeyNamesTheHeader() {
        SightlineUser user = accounts.loadUserByUsername(data.user("SIGHTLINE", Roles.ADMIN));
        assertThatThrownBy(() -> keys.once(
                        user, "short", "r", Map.of(), () -> ResponseEntity.ok().build()))
                .isInstanceOf(InvalidRequestException.class)
                .satisfies(e -> assertThat(((InvalidRequestException) e)
                                .violations()
                                .get(0)
                                .field())
                        .isEqualTo("Idempotency-Key"));
    }
}
