package org.sightline.access;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import org.sightline.audit.AuditEntry;
import org.sightline.audit.AuditLog;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.security.web.authentication.WebAuthenticationDetails;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Throttles password sign-ins per account name tried and per source address (issue 11), for every path that checks
 * a password (sign-in form, HTTP Basic on the API and actuator) and for unknown API tokens.
 *
 * <p>An attempt is counted <em>before</em> its password is checked ({@link #begin}), so a burst of concurrent guesses
 * cannot all slip in before the first failure is written; a success takes the count back. A locked key refuses
 * without checking the password at all, so the right password is refused too while it lasts. Names that do not exist
 * are counted and locked exactly like real ones: the lock notice says nothing about whether an account exists.
 * Every failure and every refused attempt is audited in its own transaction with the name tried (bounded) and the
 * source.
 */
@Service
@EnableConfigurationProperties(SignInSettings.class)
public class SignInThrottle {

    /** Longest name tried that is kept (audit and throttle key); longer ones are cut and marked. */
    static final int MAX_NAME = 64;

    static final String ACCOUNT = "account";
    static final String SOURCE = "source";

    /** An attempt let through to the password check: the keys it was counted under. */
    record Attempt(String name, String source) {}

    private record State(int failures, Instant windowStart, Instant lockedUntil, int lockouts) {
        boolean lockedAt(Instant now) {
            return lockedUntil != null && lockedUntil.isAfter(now);
        }
    }

    private final JdbcClient jdbc;
    private final SignInSettings settings;
    private final Clock clock;
    private final AuditLog audit;
    private final TransactionTemplate separate;

    SignInThrottle(
            JdbcClient jdbc,
            SignInSettings settings,
            Clock clock,
            AuditLog audit,
            PlatformTransactionManager transactions) {
        this.jdbc = jdbc;
        this.settings = settings;
        this.clock = clock;
        this.audit = audit;
        this.separate = new TransactionTemplate(transactions);
        this.separate.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    }

    /**
     * Counts an attempt to sign in as {@code name} from {@code source} and lets it through to the password check, or
     * refuses it (audited) while the account name or the source is locked.
     */
    Attempt begin(String name, String source) {
        String tried = triedName(name);
        String account = accountKey(tried);
        Instant now = clock.instant();
        Instant refusedUntil = separate.execute(tx -> {
            State accountState = rolled(lock(ACCOUNT, account, now), now);
            State sourceState = rolled(lock(SOURCE, source, now), now);
            if (sourceState.lockedAt(now)) {
                return sourceState.lockedUntil();
            }
            if (overLimit(ACCOUNT, accountState, now)) {
                // Locked, or a burst of concurrent attempts beyond the limit: refused, and it still counts for the
                // source, so one place cannot keep trying a locked account for ever.
                Instant until = accountState.lockedAt(now)
                        ? accountState.lockedUntil()
                        : engage(ACCOUNT, account, accountState, now).lockedUntil();
                State counted = counted(sourceState);
                save(SOURCE, source, overLimit(SOURCE, counted, now) ? engaged(SOURCE, counted, now) : counted, now);
                return until;
            }
            if (overLimit(SOURCE, sourceState, now)) {
                return engage(SOURCE, source, sourceState, now).lockedUntil();
            }
            save(ACCOUNT, account, counted(accountState), now);
            save(SOURCE, source, counted(sourceState), now);
            return null;
        });
        if (refusedUntil != null) {
            audit.recordRefusal(AuditEntry.of("anonymous", null, "SIGN_IN_LOCKED", "sign_in", tried)
                    .withDetails("source=" + source + "; locked until " + refusedUntil));
            throw new SignInThrottledException(refusedUntil, now);
        }
        return new Attempt(tried, source);
    }

    /**
     * The attempt's password was wrong (or its account cannot sign in): audited, and when that reaches a limit the
     * account name or source is locked and this attempt already answers with the lock.
     */
    void failed(Attempt attempt, String why) {
        Instant now = clock.instant();
        String account = accountKey(attempt.name());
        Instant lockedUntil = separate.execute(tx -> {
            Instant until = null;
            State accountState = lock(ACCOUNT, account, now);
            if (!accountState.lockedAt(now) && accountState.failures() >= settings.accountFailures()) {
                until = engage(ACCOUNT, account, accountState, now).lockedUntil();
            }
            State sourceState = lock(SOURCE, attempt.source(), now);
            if (!sourceState.lockedAt(now) && sourceState.failures() >= settings.sourceFailures()) {
                Instant sourceUntil =
                        engage(SOURCE, attempt.source(), sourceState, now).lockedUntil();
                until = until == null || sourceUntil.isAfter(until) ? sourceUntil : until;
            }
            audit.record(AuditEntry.of("anonymous", null, "SIGN_IN_FAILED", "sign_in", attempt.name())
                    .withDetails("source=" + attempt.source() + "; " + why
                            + (until == null ? "" : "; now locked until " + until)));
            return until;
        });
        if (lockedUntil != null) {
            throw new SignInThrottledException(lockedUntil, now);
        }
    }

    /** The password was right: the account name's failures and back-off are cleared, the source's count given back. */
    void succeeded(Attempt attempt) {
        separate.executeWithoutResult(tx -> {
            jdbc.sql("DELETE FROM sign_in_throttle WHERE kind = ? AND key = ?")
                    .params(ACCOUNT, accountKey(attempt.name()))
                    .update();
            jdbc.sql("UPDATE sign_in_throttle SET failures = greatest(failures - 1, 0) WHERE kind = ? AND key = ?")
                    .params(SOURCE, attempt.source())
                    .update();
        });
    }

    /**
     * The password was right but the account has a second factor still to check: the attempt's own count is given
     * back (account and source), but earlier failures stay, so right passwords cannot clear the count of wrong codes;
     * only the whole sign-in ({@link #succeeded}) does.
     */
    void passwordAccepted(Attempt attempt) {
        separate.executeWithoutResult(tx -> {
            for (String[] key : new String[][] {{ACCOUNT, accountKey(attempt.name())}, {SOURCE, attempt.source()}}) {
                jdbc.sql("UPDATE sign_in_throttle SET failures = greatest(failures - 1, 0) WHERE kind = ? AND key = ?")
                        .params(key[0], key[1])
                        .update();
            }
        });
    }

    /**
     * An API request with an unknown, revoked or expired token: a failure of its source (audited; the token itself is
     * never stored). Returns the lock when the source is locked.
     */
    Optional<SignInThrottledException> tokenFailed(String source) {
        Instant now = clock.instant();
        return Optional.ofNullable(separate.execute(tx -> {
                    State state = rolled(lock(SOURCE, source, now), now);
                    if (!state.lockedAt(now)) {
                        State counted = counted(state);
                        state = overLimit(SOURCE, counted, now) ? engaged(SOURCE, counted, now) : counted;
                        save(SOURCE, source, state, now);
                    }
                    Instant until = state.lockedAt(now) ? state.lockedUntil() : null;
                    audit.record(AuditEntry.of("anonymous", null, "SIGN_IN_FAILED", "api_token", null)
                            .withDetails("source=" + source + "; unknown, revoked or expired token"
                                    + (until == null ? "" : "; source locked until " + until)));
                    return until;
                }))
                .map(until -> new SignInThrottledException(until, now));
    }

    /** Forgets keys that have been quiet, and whose last lock ended, longer than {@code forget-after}. */
    @Scheduled(fixedDelayString = "PT1H", initialDelayString = "PT5M")
    void forgetQuietKeys() {
        Timestamp before = Timestamp.from(clock.instant().minus(settings.forgetAfter()));
        jdbc.sql(
                        """
                DELETE FROM sign_in_throttle
                WHERE last_attempt < :before AND (locked_until IS NULL OR locked_until < :before)""")
                .param("before", before)
                .update();
    }

    /** The source of a request as counted: an IPv4 address, or an IPv6 address's /64 (one host's usual share). */
    static String source(Object details) {
        String address = details instanceof WebAuthenticationDetails web ? web.getRemoteAddress() : null;
        return sourceOf(address);
    }

    static String sourceOf(String address) {
        if (address == null || address.isBlank()) {
            return "unknown";
        }
        try {
            // A literal address is parsed, never looked up.
            InetAddress parsed = InetAddress.getByName(address.strip());
            if (parsed instanceof Inet6Address && !parsed.isLoopbackAddress()) {
                byte[] bytes = parsed.getAddress();
                StringBuilder prefix = new StringBuilder();
                for (int i = 0; i < 8; i += 2) {
                    prefix.append(Integer.toHexString(((bytes[i] & 0xff) << 8) | (bytes[i + 1] & 0xff)))
                            .append(':');
                }
                return prefix.append(":/64").toString();
            }
            return parsed.getHostAddress();
        } catch (UnknownHostException | SecurityException e) {
            return "unknown";
        }
    }

    /** The name as tried, safe to keep: control and bidirectional characters replaced, at most {@link #MAX_NAME}. */
    static String triedName(String name) {
        if (name == null || name.isEmpty()) {
            return "(empty)";
        }
        String safe = name.replaceAll("[\\p{Cc}\\p{Cf}]", "?");
        return safe.length() <= MAX_NAME ? safe : safe.substring(0, MAX_NAME - 1) + "…";
    }

    /** One key per account however its name is cased, so case variants share the count. */
    private static String accountKey(String tried) {
        return tried.toLowerCase(Locale.ROOT);
    }

    private boolean overLimit(String kind, State state, Instant now) {
        return state.lockedAt(now) || state.failures() >= limit(kind);
    }

    private int limit(String kind) {
        return ACCOUNT.equals(kind) ? settings.accountFailures() : settings.sourceFailures();
    }

    private State lock(String kind, String key, Instant now) {
        jdbc.sql("INSERT INTO sign_in_throttle (kind, key, last_attempt) VALUES (?, ?, ?) ON CONFLICT DO NOTHING")
                .params(kind, key, Timestamp.from(now))
                .update();
        return jdbc.sql(
                        """
                SELECT failures, window_start, locked_until, lockouts FROM sign_in_throttle
                WHERE kind = ? AND key = ? FOR UPDATE""")
                .params(kind, key)
                .query((rs, n) ->
                        new State(rs.getInt(1), instant(rs.getTimestamp(2)), instant(rs.getTimestamp(3)), rs.getInt(4)))
                .single();
    }

    /** Failures older than the window no longer count. */
    private State rolled(State state, Instant now) {
        if (state.windowStart() == null
                || !state.windowStart().plus(settings.window()).isAfter(now)) {
            return new State(0, now, state.lockedUntil(), state.lockouts());
        }
        return state;
    }

    private static State counted(State state) {
        return new State(state.failures() + 1, state.windowStart(), state.lockedUntil(), state.lockouts());
    }

    private State engage(String kind, String key, State state, Instant now) {
        State locked = engaged(kind, state, now);
        save(kind, key, locked, now);
        return locked;
    }

    /** The next lock: the base period doubled for each lockout before it, unless the last one ended long ago. */
    private State engaged(String kind, State state, Instant now) {
        boolean forgotten = state.lockedUntil() == null
                || state.lockedUntil().plus(settings.forgetAfter()).isBefore(now);
        int lockouts = forgotten ? 1 : state.lockouts() + 1;
        Duration base = ACCOUNT.equals(kind) ? settings.accountLock() : settings.sourceLock();
        Duration period = base.multipliedBy(1L << Math.min(lockouts - 1, 20));
        if (period.compareTo(settings.maxLock()) > 0) {
            period = settings.maxLock();
        }
        return new State(0, null, now.plus(period), lockouts);
    }

    private void save(String kind, String key, State state, Instant now) {
        jdbc.sql(
                        """
                UPDATE sign_in_throttle SET failures = ?, window_start = ?, locked_until = ?, lockouts = ?,
                    last_attempt = ? WHERE kind = ? AND key = ?""")
                .params(
                        state.failures(),
                        timestamp(state.windowStart()),
                        timestamp(state.lockedUntil()),
                        state.lockouts(),
                        Timestamp.from(now),
                        kind,
                        key)
                .update();
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }

    private static Timestamp timestamp(Instant i) {
        return i == null ? null : Timestamp.from(i);
    }
}
