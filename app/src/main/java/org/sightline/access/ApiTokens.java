package org.sightline.access;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.sightline.audit.AuditEntry;
import org.sightline.audit.AuditKeys;
import org.sightline.audit.AuditLog;
import org.sightline.shared.InvalidRequestException;
import org.sightline.shared.NotFoundException;
import org.sightline.shared.Violation;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Personal API tokens: the API without a bcrypt per request (issue 14). A token is 256 random bits, shown once;
 * only its HMAC-SHA256 under a key derived from the installation's audit key is stored, so the database alone
 * cannot confirm a guessed token. A token acts as its user, within its scope ({@code read}: safe methods and
 * searches; {@code read_write}: everything the user may do), until it expires or is revoked.
 *
 * <p>A verified token is trusted for {@link #RECHECK} before the database is asked again (revocation here takes
 * effect at once; in another instance of the application within that time), and its use is audited once per
 * {@link #AUDIT_SESSION} of use, not per request.
 */
@Service
public class ApiTokens {

    public static final String PREFIX = "slt_";
    static final List<String> SCOPES = List.of("read", "read_write");
    static final int DEFAULT_DAYS = 30;
    static final int MAX_DAYS = 365;
    static final int MAX_NAME = 100;
    static final Duration RECHECK = Duration.ofSeconds(60);
    static final Duration AUDIT_SESSION = Duration.ofMinutes(30);

    /** A token as its owner sees it in the list (never the token itself). */
    public record TokenView(
            UUID publicId,
            String name,
            String hint,
            String scope,
            Instant createdAt,
            Instant expiresAt,
            Instant revokedAt,
            Instant lastUsedAt,
            boolean active) {}

    /** A new token: the secret (shown once) and how it is listed. */
    public record Created(String token, TokenView view) {}

    /** A request's verified token: the user it acts as and what it may do. */
    public record Verified(SightlineUser user, String scope) {
        public boolean mayWrite() {
            return "read_write".equals(scope);
        }
    }

    private record Cached(String scope, Instant expiresAt, Instant checkedAt, Instant auditedAt, SightlineUser user) {}

    private final JdbcClient jdbc;
    private final UserAccounts accounts;
    private final AuditLog audit;
    private final Clock clock;
    private final byte[] key;
    private final TransactionTemplate separate;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Cached> verified = new ConcurrentHashMap<>();

    ApiTokens(
            JdbcClient jdbc,
            UserAccounts accounts,
            AuditLog audit,
            Clock clock,
            AuditKeys keys,
            PlatformTransactionManager transactions) {
        this.jdbc = jdbc;
        this.accounts = accounts;
        this.audit = audit;
        this.clock = clock;
        this.key = keys.derive("sightline api tokens v1");
        this.separate = new TransactionTemplate(transactions);
        this.separate.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    }

    @Transactional
    public Created create(SightlineUser user, String name, String scope, Integer days) {
        List<Violation> violations = new ArrayList<>();
        String trimmed = name == null ? "" : name.strip();
        if (trimmed.isEmpty() || trimmed.length() > MAX_NAME) {
            violations.add(
                    new Violation("name", "required", "give the token a name of up to " + MAX_NAME + " characters"));
        }
        if (scope == null || !SCOPES.contains(scope)) {
            violations.add(new Violation("scope", "required", "choose what the token may do"));
        }
        if (days == null || days < 1 || days > MAX_DAYS) {
            violations.add(new Violation("days", "range", "a token lasts from 1 to " + MAX_DAYS + " days"));
        }
        if (!violations.isEmpty()) {
            throw new InvalidRequestException(violations);
        }
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        String token = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        Instant now = clock.instant();
        Instant expires = now.plus(Duration.ofDays(days));
        String hint = token.substring(0, PREFIX.length() + 4) + "…";
        UUID publicId = jdbc.sql(
                        """
                INSERT INTO api_token (user_id, name, token_hash, hint, scope, created_at, expires_at)
                SELECT id, ?, ?, ?, ?, ?, ? FROM app_user WHERE username = ? RETURNING public_id""")
                .params(
                        trimmed,
                        hash(token),
                        hint,
                        scope,
                        Timestamp.from(now),
                        Timestamp.from(expires),
                        user.username())
                .query(UUID.class)
                .single();
        audit.record(AuditEntry.of(user.username(), user.agencyCode(), "CREATE", "api_token", publicId.toString())
                .withDetails("scope=" + scope + ";days=" + days));
        return new Created(token, new TokenView(publicId, trimmed, hint, scope, now, expires, null, null, true));
    }

    @Transactional
    public List<TokenView> list(SightlineUser user) {
        Instant now = clock.instant();
        audit.record(AuditEntry.of(user.username(), user.agencyCode(), "LIST", "api_token", null));
        return jdbc.sql(
                        """
                SELECT t.public_id, t.name, t.hint, t.scope, t.created_at, t.expires_at, t.revoked_at, t.last_used_at
                FROM api_token t JOIN app_user u ON u.id = t.user_id WHERE u.username = ?
                ORDER BY t.created_at DESC, t.id DESC""")
                .param(user.username())
                .query((rs, n) -> {
                    Instant expires = rs.getTimestamp("expires_at").toInstant();
                    Instant revoked = instant(rs.getTimestamp("revoked_at"));
                    return new TokenView(
                            rs.getObject("public_id", UUID.class),
                            rs.getString("name"),
                            rs.getString("hint"),
                            rs.getString("scope"),
                            rs.getTimestamp("created_at").toInstant(),
                            expires,
                            revoked,
                            instant(rs.getTimestamp("last_used_at")),
                            revoked == null && expires.isAfter(now));
                })
                .list();
    }

    /** Revokes one of the user's own tokens; it stops working at once in this process. */
    @Transactional
    public void revoke(SightlineUser user, UUID publicId) {
        String hash = jdbc.sql(
                        """
                UPDATE api_token t SET revoked_at = coalesce(t.revoked_at, ?), revoked_by = coalesce(t.revoked_by, ?)
                FROM app_user u WHERE u.id = t.user_id AND u.username = ? AND t.public_id = ? RETURNING t.token_hash""")
                .params(Timestamp.from(clock.instant()), user.username(), user.username(), publicId)
                .query(String.class)
                .optional()
                .orElseThrow(() -> new NotFoundException("api token"));
        verified.remove(hash);
        audit.record(AuditEntry.of(user.username(), user.agencyCode(), "REVOKE", "api_token", publicId.toString()));
    }

    /**
     * The user and scope of a bearer token, or empty when it is unknown, revoked, expired or its user is disabled.
     * Its use is audited as a sign-in once per {@link #AUDIT_SESSION}.
     */
    public Optional<Verified> verify(String token) {
        if (token == null || !token.startsWith(PREFIX) || token.length() > 100) {
            return Optional.empty();
        }
        String hash = hash(token);
        Instant now = clock.instant();
        Cached cached = verified.get(hash);
        if (cached == null || cached.checkedAt().plus(RECHECK).isBefore(now)) {
            cached = check(hash, now, cached);
            if (cached == null) {
                verified.remove(hash);
                return Optional.empty();
            }
        }
        if (!cached.expiresAt().isAfter(now)) {
            verified.remove(hash);
            return Optional.empty();
        }
        if (cached.auditedAt() == null || cached.auditedAt().plus(AUDIT_SESSION).isBefore(now)) {
            SightlineUser user = cached.user();
            separate.executeWithoutResult(tx -> audit.record(AuditEntry.of(
                    user.username(),
                    user.agencyCode(),
                    "SIGN_IN_TOKEN",
                    "app_user",
                    user.publicId().toString())));
            cached = new Cached(cached.scope(), cached.expiresAt(), cached.checkedAt(), now, user);
        }
        verified.put(hash, cached);
        return Optional.of(new Verified(cached.user(), cached.scope()));
    }

    private Cached check(String hash, Instant now, Cached previous) {
        record Row(String username, String scope, Instant expiresAt) {}
        Row row = separate.execute(tx -> jdbc.sql(
                        """
                UPDATE api_token t SET last_used_at = ? FROM app_user u
                WHERE u.id = t.user_id AND t.token_hash = ? AND t.revoked_at IS NULL AND t.expires_at > ? AND u.enabled
                RETURNING u.username, t.scope, t.expires_at""")
                .params(Timestamp.from(now), hash, Timestamp.from(now))
                .query((rs, n) -> new Row(
                        rs.getString(1), rs.getString(2), rs.getTimestamp(3).toInstant()))
                .optional()
                .orElse(null));
        if (row == null) {
            return null;
        }
        SightlineUser user;
        try {
            user = accounts.loadUserByUsername(row.username());
        } catch (UsernameNotFoundException e) {
            return null;
        }
        return new Cached(row.scope(), row.expiresAt(), now, previous == null ? null : previous.auditedAt(), user);
    }

    private String hash(String token) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(token.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is required by the Java platform", e);
        }
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
