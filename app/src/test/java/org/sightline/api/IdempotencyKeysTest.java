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

@IntegrationTest
class IdempotencyKeysTest {

    @Autowired
    IdempotencyKeys keys;
    @Autowired
    TestData data;
    @Autowired
    UserAccounts accounts;

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
        assertThat(second.getHeaders().getLocation()).isEqualTo(first.getHeaders().getLocation());
        assertThat(second.getHeaders().getFirst("Idempotent-Replayed")).isEqualTo("true");
        assertThat((String) second.getBody()).contains("\"1\"");
    }

    @Test
    void aKeyReusedForADifferentRequestIsRefused() {
        SightlineUser user = accounts.loadUserByUsername(data.user("SIGHTLINE", Roles.ADMIN));
        String key = UUID.randomUUID().toString();
        keys.once(user, key, "POST /api/v1/test", Map.of("a", 1), () -> ResponseEntity.ok().build());
        assertThatThrownBy(() -> keys.once(user, key, "POST /api/v1/test", Map.of("a", 2), () -> ResponseEntity.ok().build()))
                .isInstanceOf(ConflictException.class).hasMessageContaining("different request");
    }

    @Test
    void aMissingOrMalformedKeyNamesTheHeader() {
        SightlineUser user = accounts.loadUserByUsername(data.user("SIGHTLINE", Roles.ADMIN));
        assertThatThrownBy(() -> keys.once(user, "short", "r", Map.of(), () -> ResponseEntity.ok().build()))
                .isInstanceOf(InvalidRequestException.class)
                .satisfies(e -> assertThat(((InvalidRequestException) e).violations().get(0).field())
                        .isEqualTo("Idempotency-Key"));
    }
}
