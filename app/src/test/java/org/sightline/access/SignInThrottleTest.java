package org.sightline.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.sightline.audit.AuditLog;
import org.sightline.support.IntegrationTest;
import org.sightline.support.TestData;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.authentication.WebAuthenticationDetails;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * Sign-in throttling (issue 11) through the application's own security chains: per account name with back-off,
 * per source address across accounts, the same for HTTP Basic and API tokens, every failure and refusal audited with
 * the name tried and the source. Requests come from made-up documentation addresses (RFC 5737), one set per test, so
 * the suite's own sign-ins from localhost are never locked out.
 */
@IntegrationTest
class SignInThrottleTest {

    private static final String WRONG = "not-the-password-at-all";

    @LocalServerPort
    int port;

    @Autowired
    MockMvc mvc;

    @Autowired
    TestData data;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    SignInSettings settings;

    @Autowired
    UserAccounts accounts;

    @Autowired
    PasswordEncoder encoder;

    @Autowired
    AuditLog audit;

    @Autowired
    PlatformTransactionManager transactions;

    @Autowired
    UserAdministration administration;

    @Autowired
    SecondFactors secondFactors;

    private static final AtomicInteger ADDRESSES = new AtomicInteger();

    /**
     * A made-up source address no other test in this JVM (whose database this is) uses: counted, not drawn at random,
     * as several tests here leave their address locked and a random draw could land on one of them.
     */
    private static String address() {
        int n = ADDRESSES.getAndIncrement();
        return "198.51." + (n / 254) % 256 + "." + (1 + n % 254);
    }

    private static MockHttpServletRequestBuilder from(MockHttpServletRequestBuilder request, String address) {
        return request.with(r -> {
            r.setRemoteAddr(address);
            return r;
        });
    }

    /** Signs in through the form; answers where it redirects. */
    private String signIn(String username, String password, String address) throws Exception {
        return mvc.perform(from(post("/sign-in").param("username", username).param("password", password), address)
                        .with(csrf()))
                .andReturn()
                .getResponse()
                .getRedirectedUrl();
    }

    private MockHttpServletResponse basic(String username, String password, String address) throws Exception {
        return mvc.perform(from(get("/api/v1/screening-instruments"), address)
                        .header(
                                "Authorization",
                                "Basic "
                                        + Base64.getEncoder()
                                                .encodeToString(
                                                        (username + ":" + password).getBytes(StandardCharsets.UTF_8))))
                .andReturn()
                .getResponse();
    }

    private int audited(String action, String subjectId) {
        return jdbc.sql("SELECT count(*) FROM audit_event WHERE action = ? AND subject_id = ?")
                .params(action, subjectId)
                .query(Integer.class)
                .single();
    }

    @AfterEach
    void forgetLocalhost() {
        // The one test that goes through a real socket counts a refused attempt against localhost.
        jdbc.sql("DELETE FROM sign_in_throttle WHERE kind = 'source' AND key IN ('127.0.0.1', '0:0:0:0:0:0:0:1')")
                .update();
    }

    @Test
    void fiftyWrongPasswordsThenTheRightOneIsRefusedWhileLocked() throws Exception {
        String user = data.user(data.agency("police_force"), Roles.POLICE_OFFICER);
        String address = address();
        int limit = settings.accountFailures();
        long minutes = settings.accountLock().toMinutes();
        for (int i = 1; i <= 50; i++) {
            String answer = signIn(user, WRONG, address);
            // Up to the limit the password is checked; the attempt reaching it already answers with the lock.
            assertThat(answer)
                    .as("attempt " + i)
                    .isEqualTo(i < limit ? "/sign-in?error" : "/sign-in?locked=" + minutes);
        }
        assertThat(signIn(user, TestData.PASSWORD, address)).isEqualTo("/sign-in?locked=" + minutes);
        // The account is locked, not only the address: the right password from elsewhere is refused too ...
        assertThat(signIn(user, TestData.PASSWORD, address())).isEqualTo("/sign-in?locked=" + minutes);
        // ... and the lock holds however the name is written.
        assertThat(signIn(user.toUpperCase(), TestData.PASSWORD, address())).startsWith("/sign-in?locked=");

        assertThat(audited("SIGN_IN_FAILED", user)).isEqualTo(limit);
        assertThat(audited("SIGN_IN_LOCKED", user)).isEqualTo(50 - limit + 2);
        assertThat(jdbc.sql("SELECT details FROM audit_event WHERE action = 'SIGN_IN_FAILED' AND subject_id = ? "
                                + "ORDER BY id DESC LIMIT 1")
                        .param(user)
                        .query(String.class)
                        .single())
                .contains("source=" + address)
                .contains("now locked until");
        assertThat(audited(
                        "SIGN_IN", accounts.loadUserByUsername(user).publicId().toString()))
                .isZero();
    }

    @Test
    void theLockNoticeIsTheSameWhetherOrNotTheAccountExists() throws Exception {
        String real = data.user(data.agency("local_authority"), Roles.SOCIAL_WORKER);
        String madeUp = TestData.unique("nobody").toLowerCase();
        String realAnswer = null;
        String madeUpAnswer = null;
        for (int i = 0; i < settings.accountFailures(); i++) {
            realAnswer = signIn(real, WRONG, address());
            madeUpAnswer = signIn(madeUp, WRONG, address());
        }
        assertThat(realAnswer).isEqualTo(madeUpAnswer).startsWith("/sign-in?locked=");
        assertThat(signIn(real, TestData.PASSWORD, address())).isEqualTo(signIn(madeUp, TestData.PASSWORD, address()));

        String page = mvc.perform(get(realAnswer)).andReturn().getResponse().getContentAsString();
        assertThat(page)
                .contains("There have been too many attempts to sign in. Try again in "
                        + settings.accountLock().toMinutes() + " minutes.");
        assertThat(page).doesNotContain(real).doesNotContain("match an account");
        // Nonsense in the address shows no notice.
        assertThat(mvc.perform(get("/sign-in?locked=soon"))
                        .andReturn()
                        .getResponse()
                        .getContentAsString())
                .doesNotContain("too many attempts");
    }

    @Test
    void oneSourceTryingManyAccountsIsStopped() throws Exception {
        String address = address();
        String user = data.user(data.agency("police_force"), Roles.POLICE_OFFICER);
        int limit = settings.sourceFailures();
        for (int i = 1; i <= limit; i++) {
            // A different name each time: no account reaches its own limit.
            String answer = signIn(TestData.unique("spray").toLowerCase(), WRONG, address);
            assertThat(answer)
                    .as("attempt " + i)
                    .isEqualTo(
                            i < limit
                                    ? "/sign-in?error"
                                    : "/sign-in?locked=" + settings.sourceLock().toMinutes());
        }
        // The source is locked for everyone, the right password of a real account included ...
        assertThat(signIn(user, TestData.PASSWORD, address)).startsWith("/sign-in?locked=");
        assertThat(basic(user, TestData.PASSWORD, address).getStatus()).isEqualTo(429);
        // ... while the account itself is not: from another address it signs in.
        assertThat(signIn(user, TestData.PASSWORD, address())).isEqualTo("/");
        assertThat(jdbc.sql("SELECT count(*) FROM audit_event WHERE action = 'SIGN_IN_LOCKED' AND details LIKE ?")
                        .param("source=" + address + ";%")
                        .query(Integer.class)
                        .single())
                .isEqualTo(2);
    }

    @Test
    void httpBasicIsThrottledLikeTheFormAndIsNoWayAroundIt() throws Exception {
        String user = data.user(data.agency("police_force"), Roles.POLICE_OFFICER);
        assertThat(basic(user, TestData.PASSWORD, address()).getStatus()).isEqualTo(200);
        for (int i = 1; i < settings.accountFailures(); i++) {
            assertThat(basic(user, WRONG, address()).getStatus()).isEqualTo(401);
        }
        MockHttpServletResponse locking = basic(user, WRONG, address());
        assertThat(locking.getStatus()).isEqualTo(429);
        assertThat(locking.getContentType()).contains("application/problem+json");
        long retryAfter = Long.parseLong(locking.getHeader("Retry-After"));
        assertThat(retryAfter)
                .isBetween(
                        settings.accountLock().toSeconds() - 5,
                        settings.accountLock().toSeconds());
        // Locked through the API, so the form refuses the right password too, and so does a real connection.
        assertThat(signIn(user, TestData.PASSWORD, address())).startsWith("/sign-in?locked=");
        HttpResponse<String> real = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/v1/screening-instruments"))
                                .header(
                                        "Authorization",
                                        "Basic "
                                                + Base64.getEncoder()
                                                        .encodeToString((user + ":" + TestData.PASSWORD)
                                                                .getBytes(StandardCharsets.UTF_8)))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(real.statusCode()).isEqualTo(429);
        assertThat(real.headers().firstValue("Retry-After")).isPresent();
    }

    @Test
    void guessingApiTokensLocksTheSource() throws Exception {
        String address = address();
        int limit = settings.sourceFailures();
        for (int i = 1; i <= limit; i++) {
            MockHttpServletResponse answer = mvc.perform(from(get("/api/v1/screening-instruments"), address)
                            .header("Authorization", "Bearer " + ApiTokens.PREFIX + "guess" + i))
                    .andReturn()
                    .getResponse();
            assertThat(answer.getStatus()).as("guess " + i).isEqualTo(i < limit ? 401 : 429);
        }
        assertThat(jdbc.sql("SELECT count(*) FROM audit_event WHERE action = 'SIGN_IN_FAILED' "
                                + "AND subject_type = 'api_token' AND details LIKE ?")
                        .param("source=" + address + ";%")
                        .query(Integer.class)
                        .single())
                .isEqualTo(limit);
        // The locked source cannot switch to guessing passwords instead.
        String user = data.user(data.agency("police_force"), Roles.POLICE_OFFICER);
        assertThat(basic(user, TestData.PASSWORD, address).getStatus()).isEqualTo(429);
    }

    @Test
    void theNameTriedIsAuditedBoundedAndWithoutControlCharacters() throws Exception {
        String address = address();
        String name = "probe\u202e\u0000" + "x".repeat(10_000);
        assertThat(signIn(name, WRONG, address)).isEqualTo("/sign-in?error");
        String stored = jdbc.sql(
                        "SELECT subject_id FROM audit_event WHERE action = 'SIGN_IN_FAILED' AND details LIKE ? "
                                + "ORDER BY id DESC LIMIT 1")
                .param("source=" + address + ";%")
                .query(String.class)
                .single();
        assertThat(stored)
                .hasSize(SignInThrottle.MAX_NAME)
                .startsWith("probe??xxx")
                .endsWith("…");
    }

    @Test
    void aResetLiftsTheLockAndItsOneTimePasswordOpensOnlyThePasswordPage() throws Exception {
        String user = data.user(data.agency("police_force"), Roles.POLICE_OFFICER);
        SightlineUser admin = accounts.loadUserByUsername(data.user("SIGHTLINE", Roles.ADMIN));
        for (int i = 0; i < settings.accountFailures(); i++) {
            signIn(user, WRONG, address());
        }
        assertThat(signIn(user, TestData.PASSWORD, address())).startsWith("/sign-in?locked=");
        String oneTime = administration
                .resetPassword(admin, accounts.loadUserByUsername(user).publicId())
                .password();
        assertThat(signIn(user, TestData.PASSWORD, address())).isEqualTo("/sign-in?error");
        assertThat(signIn(user, oneTime, address())).isEqualTo("/");
        // Through the API a one-time password opens nothing.
        MockHttpServletResponse api = basic(user, oneTime, address());
        assertThat(api.getStatus()).isEqualTo(403);
        assertThat(api.getContentAsString()).contains("choose your own password first");
    }

    /** A clock the test moves. */
    private static final class MovableClock extends Clock {
        private Instant now;

        MovableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void aLockEndsAfterItsPeriodAndEachNextLockLastsTwiceAsLong() {
        // The application's own classes and database, with a clock the test moves instead of sleeping.
        MovableClock clock = new MovableClock(Instant.parse("2030-03-01T09:00:00Z"));
        SignInThrottle throttle = new SignInThrottle(jdbc, settings, clock, audit, transactions);
        ThrottledAuthentication provider = new ThrottledAuthentication(accounts, encoder, throttle, secondFactors);
        String user = data.user(data.agency("police_force"), Roles.POLICE_OFFICER);
        String address = address();
        Duration lock = settings.accountLock();
        java.util.function.Function<String, Authentication> attempt = password -> {
            var token = UsernamePasswordAuthenticationToken.unauthenticated(user, password);
            token.setDetails(new WebAuthenticationDetails(address, null));
            return provider.authenticate(token);
        };

        lockOut(attempt, clock);
        clock.advance(lock.minusSeconds(1));
        assertThatThrownBy(() -> attempt.apply(TestData.PASSWORD)).isInstanceOf(SignInThrottledException.class);
        clock.advance(Duration.ofSeconds(2));
        assertThat(attempt.apply(TestData.PASSWORD).isAuthenticated()).isTrue();

        // A success clears the back-off: the next lock is the first period again.
        SignInThrottledException first = lockOut(attempt, clock);
        assertThat(Duration.between(clock.instant(), first.until())).isEqualTo(lock);
        // Without a success in between, the next lockout lasts twice as long, then four times.
        clock.advance(lock.plusSeconds(1));
        SignInThrottledException second = lockOut(attempt, clock);
        assertThat(Duration.between(clock.instant(), second.until())).isEqualTo(lock.multipliedBy(2));
        clock.advance(lock.plusSeconds(1));
        assertThatThrownBy(() -> attempt.apply(TestData.PASSWORD)).isInstanceOf(SignInThrottledException.class);
        clock.advance(lock);
        SignInThrottledException third = lockOut(attempt, clock);
        assertThat(Duration.between(clock.instant(), third.until())).isEqualTo(lock.multipliedBy(4));
        // Failures spread wider than the window never add up to a lock.
        clock.advance(lock.multipliedBy(4).plusSeconds(1));
        assertThat(attempt.apply(TestData.PASSWORD).isAuthenticated()).isTrue();
        for (int i = 0; i < settings.accountFailures() * 3; i++) {
            assertThatThrownBy(() -> attempt.apply(WRONG)).isInstanceOf(BadCredentialsException.class);
            clock.advance(
                    settings.window().dividedBy(settings.accountFailures() - 1).plusSeconds(1));
        }
    }

    /** Wrong passwords up to the limit: the last one answers with the lock, which it returns. */
    private SignInThrottledException lockOut(
            java.util.function.Function<String, Authentication> attempt, MovableClock clock) {
        for (int i = 1; i < settings.accountFailures(); i++) {
            assertThatThrownBy(() -> attempt.apply(WRONG)).isInstanceOf(BadCredentialsException.class);
        }
        try {
            attempt.apply(WRONG);
        } catch (SignInThrottledException e) {
            assertThat(e.until()).isAfter(clock.instant());
            return e;
        }
        throw new AssertionError("the attempt reaching the limit did not lock the account");
    }
}
