package org.sightline.api;

import java.net.URI;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.apache.commons.codec.digest.DigestUtils;
import org.sightline.access.SightlineUser;
import org.sightline.audit.AuditEntry;
import org.sightline.audit.AuditLog;
import org.sightline.shared.ConflictException;
import org.sightline.shared.InvalidRequestException;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.ObjectMapper;

/**
 * Runs a create at most once per (user, Idempotency-Key). The key row is inserted first in the same transaction
 * as the create, so a concurrent retry waits on it and then replays the answer; a key reused for a different request
 * is refused. Only the request's hash, the answer's status and the created resource's address are kept, never the
 * answer's body (it holds children's details): a replay answers the same status and Location with a body naming
 * only that address, the client reads the resource there (an access-checked, audited read), and the replay itself
 * is audited. Keys expire after {@code sightline.api.idempotency-hours} (default 24): retry within that time.
 */
@Component
public class IdempotencyKeys {

    public static final String HEADER = "Idempotency-Key";
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9_-]{8,128}");

    private final JdbcClient jdbc;
    private final ObjectMapper json;
    private final AuditLog audit;
    private final Clock clock;
    private final Duration lifetime;

    IdempotencyKeys(
            JdbcClient jdbc,
            ObjectMapper json,
            AuditLog audit,
            Clock clock,
            @Value("${sightline.api.idempotency-hours:24}") long hours) {
        this.jdbc = jdbc;
        this.json = json;
        this.audit = audit;
        this.clock = clock;
        this.lifetime = Duration.ofHours(hours);
    }

    /** A replay's body: where the created resource is, and nothing of what it holds. */
    public record Replayed(boolean replayed, String location) {}

    @Transactional
    public ResponseEntity<?> once(
            SightlineUser user, String key, String route, Object request, Supplier<ResponseEntity<?>> create) {
        if (key == null || !VALID.matcher(key).matches()) {
            throw new InvalidRequestException(
                    HEADER,
                    "format",
                    "header is required on creates: 8 to 128 letters, digits, '-' or '_' (a UUID is ideal)");
        }
        String hash = DigestUtils.sha256Hex(route + "\n" + json.writeValueAsString(request));
        int inserted = jdbc.sql(
                        """
                INSERT INTO api_idempotency (username, idempotency_key, route, request_hash) VALUES (?, ?, ?, ?)
                ON CONFLICT (username, idempotency_key) DO NOTHING""")
                .params(user.username(), key, route, hash)
                .update();
        if (inserted == 0) {
            return replay(user, key, hash);
        }
        ResponseEntity<?> response = create.get();
        URI location = response.getHeaders().getLocation();
        jdbc.sql(
                        """
                UPDATE api_idempotency SET response_status = ?, location = ?
                WHERE username = ? AND idempotency_key = ?""")
                .params(
                        response.getStatusCode().value(),
                        location == null ? null : location.toString(),
                        user.username(),
                        key)
                .update();
        return response;
    }

    /** Forgets keys older than their lifetime; a retry after that is a new request. */
    @Scheduled(fixedDelayString = "${sightline.api.idempotency-sweep:1h}", initialDelay = 60_000)
    @Transactional
    public int expire() {
        return jdbc.sql("DELETE FROM api_idempotency WHERE created_at < ?")
                .param(Timestamp.from(clock.instant().minus(lifetime)))
                .update();
    }

    private ResponseEntity<?> replay(SightlineUser user, String key, String hash) {
        record Stored(String requestHash, Integer status, String location, String route) {}
        Optional<Stored> stored = jdbc.sql(
                        """
                SELECT request_hash, response_status, location, route FROM api_idempotency
                WHERE username = ? AND idempotency_key = ?""")
                .params(user.username(), key)
                .query((rs, n) ->
                        new Stored(rs.getString(1), (Integer) rs.getObject(2), rs.getString(3), rs.getString(4)))
                .optional();
        if (stored.isEmpty() || stored.get().status() == null) {
            throw new ConflictException(
                    "idempotency-in-progress", "a request with this Idempotency-Key is still being processed");
        }
        if (!stored.get().requestHash().equals(hash)) {
            throw new ConflictException(
                    "idempotency-key-reused",
                    "this Idempotency-Key was already used for a different request; use a new key for a new request");
        }
        audit.record(AuditEntry.of(user.username(), user.agencyCode(), "API_REPLAY", "api_request", null)
                .withDetails(stored.get().route() + " -> " + stored.get().status()
                        + (stored.get().location() == null
                                ? ""
                                : " " + stored.get().location())));
        ResponseEntity.BodyBuilder builder = ResponseEntity.status(stored.get().status())
                .header("Idempotent-Replayed", "true")
                .contentType(MediaType.APPLICATION_JSON);
        if (stored.get().location() != null) {
            builder.header(HttpHeaders.LOCATION, stored.get().location());
        }
        return builder.body(new Replayed(true, stored.get().location()));
    }
}
