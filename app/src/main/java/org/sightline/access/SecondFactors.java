package org.sightline.access;

import dev.samstevens.totp.code.CodeGenerator;
import dev.samstevens.totp.code.DefaultCodeGenerator;
import dev.samstevens.totp.code.HashingAlgorithm;
import dev.samstevens.totp.exceptions.CodeGenerationException;
import dev.samstevens.totp.qr.QrData;
import dev.samstevens.totp.recovery.RecoveryCodeGenerator;
import dev.samstevens.totp.secret.DefaultSecretGenerator;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.Arrays;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.sightline.audit.AuditEntry;
import org.sightline.audit.AuditKeys;
import org.sightline.audit.AuditLog;
import org.sightline.shared.InvalidRequestException;
import org.sightline.shared.NotFoundException;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The optional TOTP second factor of local accounts (RFC 6238: HMAC-SHA1, 30-second steps, 6 digits, one step either
 * side accepted for clock drift), generated and checked with {@code dev.samstevens.totp}.
 *
 * <p>The shared secret is stored only encrypted (AES-256-GCM under a key derived from the installation's audit key,
 * which is kept outside the database; the account's public id is bound in as associated data, so a secret cannot be
 * moved to another account). It is shown while the user sets the factor up and never after it is switched on, and
 * it is never logged. A code is accepted once: its time step is kept and a code of that step or an earlier one is
 * refused. Recovery codes are shown once and kept as keyed hashes. Every code checked counts in the {@link
 * SignInThrottle} under the account's name like a password, so wrong codes lock the account and are audited with the
 * name and the source.
 */
@Service
@EnableConfigurationProperties(SecondFactorSettings.class)
public class SecondFactors {

    static final int STEP_SECONDS = 30;
    static final int DIGITS = 6;
    static final int RECOVERY_CODES = 10;
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;

    /** What the user needs to set up their authenticator app: shown on the set-up page only. */
    record Enrolment(String secretInGroups, String otpauthUri, String qrDataUri) {}

    /** Whether the user has the factor on, whether their role requires it, and how many recovery codes are left. */
    record Status(boolean enabled, boolean required, int recoveryCodesLeft) {}

    private record Factor(long userId, UUID publicId, String secret, Long lastUsedStep) {}

    private final JdbcClient jdbc;
    private final SignInThrottle throttle;
    private final AuditLog audit;
    private final Clock clock;
    private final SecondFactorSettings settings;
    private final OpenSessions sessions;
    private final TransactionTemplate transaction;
    private final SecretKeySpec secretKey;
    private final byte[] recoveryKey;
    private final CodeGenerator codes = new DefaultCodeGenerator(HashingAlgorithm.SHA1, DIGITS);
    private final SecureRandom random = new SecureRandom();

    SecondFactors(
            JdbcClient jdbc,
            SignInThrottle throttle,
            AuditLog audit,
            Clock clock,
            SecondFactorSettings settings,
            OpenSessions sessions,
            AuditKeys keys,
            PlatformTransactionManager transactions) {
        this.jdbc = jdbc;
        this.throttle = throttle;
        this.audit = audit;
        this.clock = clock;
        this.settings = settings;
        this.sessions = sessions;
        this.transaction = new TransactionTemplate(transactions);
        this.secretKey = new SecretKeySpec(keys.derive("sightline second factor secrets v1"), "AES");
        this.recoveryKey = keys.derive("sightline recovery codes v1");
    }

    /** Whether the account has a second factor switched on (not merely being set up). */
    boolean enrolled(String username) {
        return jdbc.sql(
                        """
                SELECT EXISTS (SELECT 1 FROM user_second_factor f JOIN app_user u ON u.id = f.user_id
                               WHERE u.username = ? AND f.enabled_at IS NOT NULL)""")
                .param(username)
                .query(Boolean.class)
                .single();
    }

    /** Whether a role of the user's requires a second factor (chosen by administrators; none by default). */
    boolean required(SightlineUser user) {
        return requiredRoles().stream().anyMatch(user::hasRole);
    }

    /** The roles whose local accounts must use an authenticator app, in {@link Roles#ALL} order. */
    List<String> requiredRoles() {
        List<String> chosen = jdbc.sql("SELECT role FROM second_factor_required_role")
                .query(String.class)
                .list();
        return Roles.ALL.stream().filter(chosen::contains).toList();
    }

    /**
     * An administrator chooses the roles that must use an authenticator app. Their users who have none are sent to set
     * one up at their next sign-in.
     */
    void requireFor(SightlineUser admin, Collection<String> roles) {
        for (String role : roles) {
            if (!Roles.ALL.contains(role)) {
                throw new InvalidRequestException("roles", "unknown", "choose from the roles listed");
            }
        }
        transaction.executeWithoutResult(tx -> {
            List<String> before = requiredRoles();
            jdbc.sql("DELETE FROM second_factor_required_role").update();
            for (String role : Set.copyOf(roles)) {
                jdbc.sql("INSERT INTO second_factor_required_role (role, chosen_by, chosen_at) VALUES (?, ?, ?)")
                        .params(role, admin.username(), Timestamp.from(clock.instant()))
                        .update();
            }
            audit.record(
                    AuditEntry.of(admin.username(), admin.agencyCode(), "SECOND_FACTOR_POLICY_SET", "setting", null)
                            .withDetails("required roles " + before + " -> " + requiredRoles()));
        });
    }

    Status status(SightlineUser user) {
        boolean enabled = enrolled(user.username());
        int left = enabled
                ? jdbc.sql(
                                """
                        SELECT count(*) FROM user_recovery_code r JOIN app_user u ON u.id = r.user_id
                        WHERE u.username = ? AND r.used_at IS NULL""")
                        .param(user.username())
                        .query(Integer.class)
                        .single()
                : 0;
        return new Status(enabled, required(user), left);
    }

    /**
     * The secret being set up, to show again; with {@code start}, a new one when there is none. Empty when the factor
     * is already on, or (without {@code start}) when nothing is being set up.
     */
    Optional<Enrolment> enrolment(SightlineUser user, boolean start) {
        return transaction.execute(tx -> {
            Optional<Factor> existing = factor(user.username(), false);
            if (existing.isEmpty() && (!start || enrolled(user.username()))) {
                return Optional.empty();
            }
            String secret;
            if (existing.isPresent()) {
                secret = existing.get().secret();
            } else {
                secret = new DefaultSecretGenerator().generate();
                jdbc.sql(
                                """
                        INSERT INTO user_second_factor (user_id, secret_encrypted, created_at)
                        SELECT id, ?, ? FROM app_user WHERE username = ?""")
                        .params(encrypt(secret, user.publicId()), Timestamp.from(clock.instant()), user.username())
                        .update();
                audit.record(AuditEntry.of(
                        user.username(),
                        user.agencyCode(),
                        "SECOND_FACTOR_SETUP_STARTED",
                        "app_user",
                        user.publicId().toString()));
            }
            QrData data = new QrData.Builder()
                    .label(user.username())
                    .secret(secret)
                    .issuer(settings.issuer())
                    .algorithm(HashingAlgorithm.SHA1)
                    .digits(DIGITS)
                    .period(STEP_SECONDS)
                    .build();
            return Optional.of(new Enrolment(inGroups(secret), data.getUri(), QrCodes.dataUri(data.getUri())));
        });
    }

    /**
     * Switches the factor on once the user has typed a current code from their app, and answers the recovery codes to
     * show once. Violations name the field {@code code}; a lock answers {@link SignInThrottledException}.
     */
    List<String> confirm(SightlineUser user, String code, String source) {
        if (factorBeingSetUp(user.username()).isEmpty()) {
            throw new InvalidRequestException("code", "expired", "start setting up the authenticator app again");
        }
        check(user.username(), code, source, false, false, "wrong second-factor code while setting it up");
        String[] recovery = new RecoveryCodeGenerator().generateCodes(RECOVERY_CODES);
        transaction.executeWithoutResult(tx -> {
            jdbc.sql(
                            """
                    UPDATE user_second_factor f SET enabled_at = ? FROM app_user u
                    WHERE u.id = f.user_id AND u.username = ?""")
                    .params(Timestamp.from(clock.instant()), user.username())
                    .update();
            replaceRecoveryCodes(user.username(), recovery);
            audit.record(AuditEntry.of(
                    user.username(),
                    user.agencyCode(),
                    "SECOND_FACTOR_ENABLED",
                    "app_user",
                    user.publicId().toString()));
        });
        return List.of(recovery);
    }

    /** Switches the factor off after a current code or a recovery code; refused while the user's role requires it. */
    void disable(SightlineUser user, String code, String source) {
        if (required(user)) {
            throw new InvalidRequestException("code", "roleRequires", "your role requires a second factor");
        }
        check(user.username(), code, source, true, true, "wrong second-factor code while switching it off");
        transaction.executeWithoutResult(tx -> {
            delete(user.username());
            audit.record(AuditEntry.of(
                    user.username(),
                    user.agencyCode(),
                    "SECOND_FACTOR_DISABLED",
                    "app_user",
                    user.publicId().toString()));
        });
    }

    /**
     * The second step of a sign-in: a current code from the app or an unused recovery code. Violations name the field
     * {@code code}; a lock answers {@link SignInThrottledException}.
     */
    void signIn(String username, String code, String source) {
        check(username, code, source, true, true, "wrong or reused second-factor code");
    }

    /** The sign-in is complete: audited as {@code SIGN_IN} with its source. */
    void signedIn(SightlineUser user, String source) {
        transaction.executeWithoutResult(tx -> audit.record(AuditEntry.of(
                        user.username(),
                        user.agencyCode(),
                        "SIGN_IN",
                        "app_user",
                        user.publicId().toString())
                .withDetails("source=" + source + "; with second factor")));
    }

    /**
     * An administrator takes the account's second factor away (a lost phone): the user signs in with their password
     * alone, or is sent to set a new one up when their role requires it. Their open sessions end.
     */
    boolean reset(SightlineUser admin, UUID publicId) {
        String username = jdbc.sql("SELECT username FROM app_user WHERE public_id = ?")
                .param(publicId)
                .query(String.class)
                .optional()
                .orElseThrow(() -> new NotFoundException("account"));
        Boolean had = transaction.execute(tx -> {
            boolean existed = delete(username);
            audit.record(AuditEntry.of(
                            admin.username(),
                            admin.agencyCode(),
                            "SECOND_FACTOR_RESET",
                            "app_user",
                            publicId.toString())
                    .withDetails(existed ? "second factor removed" : "no second factor was set up"));
            return existed;
        });
        sessions.end(username);
        return Boolean.TRUE.equals(had);
    }

    /** The code for a secret at a time step (the tests compute theirs independently). */
    String codeAt(String secret, long step) {
        try {
            return codes.generate(secret, step);
        } catch (CodeGenerationException e) {
            throw new IllegalStateException("a TOTP code cannot be generated", e);
        }
    }

    /**
     * Checks a code, counted in the sign-in throttle under the account name. A blank or malformed entry is an error
     * of the form and not counted; a wrong or reused code is a failure.
     */
    private void check(
            String username, String code, String source, boolean enabledFactor, boolean recoveryAllowed, String why) {
        String entered = code == null ? "" : code.replaceAll("[\\s-]", "").toLowerCase(Locale.ROOT);
        if (entered.isEmpty()) {
            throw new InvalidRequestException("code", "required", "enter the code");
        }
        boolean totp = entered.matches("\\d{" + DIGITS + "}");
        boolean recovery = recoveryAllowed && entered.matches("[a-z0-9]{16}");
        if (!totp && !recovery) {
            throw new InvalidRequestException(
                    "code", recoveryAllowed ? "format" : "digits", "enter the 6-digit code or a recovery code");
        }
        SignInThrottle.Attempt attempt = throttle.begin(username, source);
        boolean accepted = Boolean.TRUE.equals(transaction.execute(
                tx -> totp ? acceptCode(username, entered, enabledFactor) : acceptRecoveryCode(username, entered)));
        if (!accepted) {
            throttle.failed(attempt, why);
            throw new InvalidRequestException("code", "wrong", "the code is not right or has been used");
        }
        throttle.succeeded(attempt);
    }

    /** Within the transaction, with the factor's row locked so two requests cannot both use one code. */
    private boolean acceptCode(String username, String entered, boolean enabledFactor) {
        Optional<Factor> found = factor(username, enabledFactor);
        if (found.isEmpty()) {
            return false;
        }
        Factor factor = found.get();
        long now = clock.instant().getEpochSecond() / STEP_SECONDS;
        for (long step = now - 1; step <= now + 1; step++) {
            boolean matches = MessageDigest.isEqual(
                    codeAt(factor.secret(), step).getBytes(StandardCharsets.US_ASCII),
                    entered.getBytes(StandardCharsets.US_ASCII));
            if (matches) {
                if (factor.lastUsedStep() != null && step <= factor.lastUsedStep()) {
                    return false; // replayed, or older than a code already used
                }
                jdbc.sql("UPDATE user_second_factor SET last_used_step = ? WHERE user_id = ?")
                        .params(step, factor.userId())
                        .update();
                return true;
            }
        }
        return false;
    }

    private boolean acceptRecoveryCode(String username, String entered) {
        int used = jdbc.sql(
                        """
                UPDATE user_recovery_code r SET used_at = ? FROM app_user u, user_second_factor f
                WHERE u.id = r.user_id AND f.user_id = u.id AND f.enabled_at IS NOT NULL
                  AND u.username = ? AND r.code_hash = ? AND r.used_at IS NULL""")
                .params(Timestamp.from(clock.instant()), username, recoveryHash(entered))
                .update();
        if (used == 1) {
            audit.record(AuditEntry.of(username, null, "RECOVERY_CODE_USED", "app_user", null));
        }
        return used == 1;
    }

    private Optional<Factor> factorBeingSetUp(String username) {
        return factor(username, false);
    }

    private Optional<Factor> factor(String username, boolean enabled) {
        return jdbc.sql(
                        """
                SELECT f.user_id, u.public_id, f.secret_encrypted, f.last_used_step
                FROM user_second_factor f JOIN app_user u ON u.id = f.user_id
                WHERE u.username = ? AND (f.enabled_at IS NOT NULL) = ? FOR UPDATE OF f""")
                .params(username, enabled)
                .query((rs, n) -> {
                    UUID publicId = rs.getObject(2, UUID.class);
                    long last = rs.getLong(4);
                    return new Factor(
                            rs.getLong(1), publicId, decrypt(rs.getBytes(3), publicId), rs.wasNull() ? null : last);
                })
                .optional();
    }

    private boolean delete(String username) {
        jdbc.sql("DELETE FROM user_recovery_code r USING app_user u WHERE u.id = r.user_id AND u.username = ?")
                .param(username)
                .update();
        return jdbc.sql("DELETE FROM user_second_factor f USING app_user u WHERE u.id = f.user_id AND u.username = ?")
                        .param(username)
                        .update()
                > 0;
    }

    private void replaceRecoveryCodes(String username, String[] recovery) {
        jdbc.sql("DELETE FROM user_recovery_code r USING app_user u WHERE u.id = r.user_id AND u.username = ?")
                .param(username)
                .update();
        for (String code : recovery) {
            jdbc.sql(
                            "INSERT INTO user_recovery_code (user_id, code_hash) SELECT id, ? FROM app_user WHERE username = ?")
                    .params(recoveryHash(code.replace("-", "").toLowerCase(Locale.ROOT)), username)
                    .update();
        }
    }

    private String recoveryHash(String normalised) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(recoveryKey, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(normalised.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is required by the Java platform", e);
        }
    }

    private byte[] encrypt(String secret, UUID publicId) {
        try {
            byte[] iv = new byte[IV_BYTES];
            random.nextBytes(iv);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, secretKey, new GCMParameterSpec(TAG_BITS, iv));
            cipher.updateAAD(associatedData(publicId));
            byte[] sealed = cipher.doFinal(secret.getBytes(StandardCharsets.US_ASCII));
            return ByteBuffer.allocate(iv.length + sealed.length)
                    .put(iv)
                    .put(sealed)
                    .array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is required by the Java platform", e);
        }
    }

    private String decrypt(byte[] stored, UUID publicId) {
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(
                    Cipher.DECRYPT_MODE, secretKey, new GCMParameterSpec(TAG_BITS, Arrays.copyOf(stored, IV_BYTES)));
            cipher.updateAAD(associatedData(publicId));
            return new String(
                    cipher.doFinal(Arrays.copyOfRange(stored, IV_BYTES, stored.length)), StandardCharsets.US_ASCII);
        } catch (GeneralSecurityException e) {
            // Another installation's key, or a secret moved between accounts: the factor cannot be used.
            throw new IllegalStateException("a second-factor secret cannot be decrypted with this installation's key");
        }
    }

    private static byte[] associatedData(UUID publicId) {
        return ("sightline totp " + publicId).getBytes(StandardCharsets.US_ASCII);
    }

    /** Groups of four for typing into an app by hand. */
    static String inGroups(String secret) {
        return String.join(" ", secret.split("(?<=\\G.{4})"));
    }
}
