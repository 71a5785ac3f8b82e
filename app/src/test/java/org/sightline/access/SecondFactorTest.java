package org.sightline.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.commons.codec.binary.Base32;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.sightline.support.IntegrationTest;
import org.sightline.support.TestData;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The TOTP second factor (issue 11) over real HTTP against the running application: setting it up, the second step of
 * sign-in, replay, throttling, recovery codes, switching it off, an administrator's reset, roles that require it and
 * HTTP Basic. Expected codes are computed here with javax.crypto per RFC 6238, checked first against the RFC's own
 * test vectors.
 */
@IntegrationTest
class SecondFactorTest {

    private static final Pattern SECRET = Pattern.compile("id=\"secret\">([A-Z2-7 ]+)<");
    private static final Pattern RECOVERY = Pattern.compile("<code class=\"sl-code\">([a-z0-9-]{19})</code>");

    @LocalServerPort
    int port;

    @Autowired
    TestData data;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    SecondFactors factors;

    @Autowired
    UserAccounts accounts;

    @Autowired
    SignInSettings throttleSettings;

    @Autowired
    ApiTokens tokens;

    @AfterEach
    void forgetLocalhost() {
        // Wrong codes from this machine count against its address like wrong passwords.
        jdbc.sql("DELETE FROM sign_in_throttle WHERE kind = 'source' AND key IN ('127.0.0.1', '0:0:0:0:0:0:0:1')")
                .update();
    }

    // RFC 6238 section 4, independently of the application.

    static String totp(byte[] key, long step, int digits) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(key, "HmacSHA1"));
            byte[] h = mac.doFinal(ByteBuffer.allocate(8).putLong(step).array());
            int offset = h[h.length - 1] & 0x0f;
            int binary = ((h[offset] & 0x7f) << 24)
                    | ((h[offset + 1] & 0xff) << 16)
                    | ((h[offset + 2] & 0xff) << 8)
                    | (h[offset + 3] & 0xff);
            int modulus = (int) Math.pow(10, digits);
            return String.format("%0" + digits + "d", binary % modulus);
        } catch (java.security.GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    static String code(String base32Secret, long step) {
        return totp(new Base32().decode(base32Secret), step, 6);
    }

    static long step() {
        return Instant.now().getEpochSecond() / 30;
    }

    /** Waits for the next time step when this one is about to end, so the server sees the step the test computed. */
    static void awayFromStepBoundary() throws InterruptedException {
        long intoStep = Instant.now().getEpochSecond() % 30;
        if (intoStep >= 27) {
            Thread.sleep((30 - intoStep) * 1000 + 200);
        }
    }

    /** A 6-digit code that is none of those accepted around now. */
    static String wrongCode(String secret) {
        long now = step();
        Set<String> accepted = Set.of(code(secret, now - 1), code(secret, now), code(secret, now + 1));
        for (int i = 0; ; i++) {
            String candidate = String.format("%06d", (123457 + i * 7919) % 1_000_000);
            if (!accepted.contains(candidate)) {
                return candidate;
            }
        }
    }

    @Test
    void theCodesAreThoseOfRfc6238() {
        byte[] key = "12345678901234567890".getBytes(StandardCharsets.US_ASCII);
        // Appendix B, SHA1: time in seconds -> 8-digit TOTP
        Map<Long, String> vectors = Map.of(
                59L, "94287082",
                1111111109L, "07081804",
                1111111111L, "14050471",
                1234567890L, "89005924",
                2000000000L, "69279037",
                20000000000L, "65353130");
        String base32 = new Base32().encodeAsString(key);
        vectors.forEach((seconds, expected) -> {
            assertThat(totp(key, seconds / 30, 8)).as("reference at " + seconds).isEqualTo(expected);
            // The application's codes are the last 6 digits of the same values.
            assertThat(factors.codeAt(base32, seconds / 30))
                    .as("application at " + seconds)
                    .isEqualTo(expected.substring(2));
        });
    }

    /** Signs in, sets the app up through the pages and answers the secret; the recovery codes go into the list. */
    private String enrol(WebSession web, String username, List<String> recoveryCodes) {
        assertThat(web.signIn(username)).isEqualTo("/");
        assertThat(web.get("/account/two-factor").body()).contains("Off");
        HttpResponse<String> started = web.post("/account/two-factor", "/account/two-factor/start", Map.of());
        assertThat(web.path(started)).isEqualTo("/account/two-factor/setup");
        String page = web.get("/account/two-factor/setup").body();
        Matcher secret = SECRET.matcher(page);
        assertThat(secret.find()).as("the key for typing in").isTrue();
        String key = secret.group(1).replace(" ", "");
        assertThat(key).hasSize(32);
        assertThat(page).contains("src=\"data:image/svg+xml;base64,");

        // A wrong code does not switch it on.
        HttpResponse<String> wrong =
                web.post("/account/two-factor/setup", "/account/two-factor/setup", Map.of("code", wrongCode(key)));
        assertThat(wrong.statusCode()).isEqualTo(200);
        assertThat(wrong.body()).contains("govuk-error-summary").contains("href=\"#code\"");
        assertThat(factors.enrolled(username)).isFalse();

        HttpResponse<String> confirmed =
                web.post("/account/two-factor/setup", "/account/two-factor/setup", Map.of("code", code(key, step())));
        assertThat(confirmed.statusCode()).isEqualTo(200);
        assertThat(confirmed.body()).contains("Your recovery codes");
        Matcher codes = RECOVERY.matcher(confirmed.body());
        while (codes.find()) {
            recoveryCodes.add(codes.group(1));
        }
        assertThat(recoveryCodes).hasSize(SecondFactors.RECOVERY_CODES).doesNotHaveDuplicates();
        assertThat(factors.enrolled(username)).isTrue();
        return key;
    }

    private int audited(String action, String subject) {
        return jdbc.sql("SELECT count(*) FROM audit_event WHERE action = ? AND subject_id = ?")
                .params(action, subject)
                .query(Integer.class)
                .single();
    }

    private String publicId(String username) {
        return accounts.loadUserByUsername(username).publicId().toString();
    }

    @Test
    void aUserSetsUpTheAppAndThenSignsInWithPasswordAndCode() throws Exception {
        String user = data.user(data.agency("local_authority"), Roles.SOCIAL_WORKER);
        List<String> recovery = new ArrayList<>();
        String key = enrol(new WebSession(port), user, recovery);

        // The key is never shown again, is stored only encrypted and is in no audit entry.
        WebSession enrolled = new WebSession(port);
        assertThat(enrolled.signIn(user)).isEqualTo("/sign-in/code");
        byte[] stored = jdbc.sql(
                        "SELECT f.secret_encrypted FROM user_second_factor f JOIN app_user u ON u.id = f.user_id WHERE u.username = ?")
                .param(user)
                .query(byte[].class)
                .single();
        assertThat(new String(stored, StandardCharsets.ISO_8859_1)).doesNotContain(key);
        assertThat(jdbc.sql("SELECT count(*) FROM audit_event WHERE details LIKE ? OR subject_id LIKE ?")
                        .params("%" + key + "%", "%" + key + "%")
                        .query(Integer.class)
                        .single())
                .isZero();
        assertThat(jdbc.sql("SELECT count(*) FROM user_recovery_code r JOIN app_user u ON u.id = r.user_id "
                                + "WHERE u.username = ? AND r.code_hash = ?")
                        .params(user, recovery.get(0))
                        .query(Integer.class)
                        .single())
                .as("recovery codes are kept hashed")
                .isZero();

        // After the password alone the session is not signed in.
        assertThat(enrolled.path(enrolled.get("/records"))).endsWith("/sign-in");
        assertThat(enrolled.get("/sign-in/code").statusCode()).isEqualTo(200);

        // A wrong code: the page again with the error, audited with the user name and the source.
        HttpResponse<String> wrong = enrolled.code(wrongCode(key));
        assertThat(wrong.statusCode()).isEqualTo(200);
        assertThat(wrong.body()).contains("The code is not right");
        assertThat(jdbc.sql("SELECT details FROM audit_event WHERE action = 'SIGN_IN_FAILED' AND subject_id = ? "
                                + "ORDER BY id DESC LIMIT 1")
                        .param(user)
                        .query(String.class)
                        .single())
                .containsPattern("source=(127\\.0\\.0\\.1|0:0:0:0:0:0:0:1)")
                .contains("second-factor code");
        assertThat(enrolled.path(enrolled.get("/records"))).endsWith("/sign-in");

        // The code used to set it up is spent; the next step's code (within the tolerance) signs in.
        String next = code(key, step() + 1);
        HttpResponse<String> right = enrolled.code(next);
        assertThat(enrolled.path(right)).isEqualTo("/");
        assertThat(enrolled.get("/records").statusCode()).isEqualTo(200);
        // Signed in twice: before it was on (password alone) and now with the code.
        assertThat(audited("SIGN_IN", publicId(user))).isEqualTo(2);
        assertThat(audited("SIGN_IN_PASSWORD_ACCEPTED", publicId(user))).isEqualTo(1);

        // The same code cannot be used again in another sign-in (replay), though it is still within the tolerance.
        WebSession replay = new WebSession(port);
        assertThat(replay.signIn(user)).isEqualTo("/sign-in/code");
        assertThat(replay.code(next).body()).contains("already been used");
        assertThat(replay.path(replay.get("/records"))).endsWith("/sign-in");

        // A code two steps ahead is outside the tolerance (one step either side).
        awayFromStepBoundary();
        assertThat(replay.code(code(key, step() + 2)).body()).contains("The code is not right");
        assertThat(replay.path(replay.get("/records"))).endsWith("/sign-in");

        // A recovery code works once.
        assertThat(replay.path(replay.code(recovery.get(3).toUpperCase()))).isEqualTo("/");
        assertThat(replay.get("/records").statusCode()).isEqualTo(200);
        WebSession again = new WebSession(port);
        assertThat(again.signIn(user)).isEqualTo("/sign-in/code");
        assertThat(again.code(recovery.get(3)).body()).contains("already been used");
        assertThat(again.get("/account/two-factor").statusCode()).isEqualTo(302);
        assertThat(jdbc.sql("SELECT count(*) FROM audit_event WHERE action = 'RECOVERY_CODE_USED' AND actor = ?")
                        .param(user)
                        .query(Integer.class)
                        .single())
                .isEqualTo(1);
        // Blank and malformed entries are errors of the form, named for the field.
        assertThat(again.code("").body()).contains("Enter the code").contains("href=\"#code\"");
        assertThat(again.code("12ab").body()).contains("Enter the 6-digit code");
    }

    @Test
    void wrongCodesLockTheAccountAndTheRightPasswordDoesNotClearThem() {
        String user = data.user(data.agency("police_force"), Roles.POLICE_OFFICER);
        String key = enrol(new WebSession(port), user, new ArrayList<>());
        int limit = throttleSettings.accountFailures();
        WebSession web = new WebSession(port);
        assertThat(web.signIn(user)).isEqualTo("/sign-in/code");
        for (int i = 1; i < limit; i++) {
            assertThat(web.code(wrongCode(key)).body()).as("attempt " + i).contains("The code is not right");
        }
        // A new sign-in with the right password does not give the guesses back ...
        WebSession fresh = new WebSession(port);
        assertThat(fresh.signIn(user)).isEqualTo("/sign-in/code");
        // ... so the next wrong code locks the account,
        assertThat(fresh.code(wrongCode(key)).body()).contains("too many attempts to sign in");
        // and while it is locked the right code is refused too, as is the password.
        String right = code(key, step() + 1);
        assertThat(fresh.code(right).body()).contains("too many attempts to sign in");
        assertThat(fresh.path(fresh.get("/records"))).endsWith("/sign-in");
        assertThat(new WebSession(port).signIn(user)).startsWith("/sign-in?locked=");
        assertThat(jdbc.sql("SELECT count(*) FROM audit_event WHERE action = 'SIGN_IN_FAILED' AND subject_id = ? "
                                + "AND details LIKE '%wrong or reused second-factor code%'")
                        .param(user)
                        .query(Integer.class)
                        .single())
                .isEqualTo(limit);
        assertThat(audited("SIGN_IN_LOCKED", user)).isGreaterThanOrEqualTo(1);
        // Only the sign-in before the app was set up.
        assertThat(audited("SIGN_IN", publicId(user))).isEqualTo(1);
    }

    @Test
    void switchingItOffNeedsACodeAndAnAdministratorCanResetIt() {
        String user = data.user(data.agency("local_authority"), Roles.SOCIAL_WORKER);
        WebSession web = new WebSession(port);
        String key = enrol(web, user, new ArrayList<>());
        // Still signed in from setting it up: switching off without a right code is refused.
        HttpResponse<String> refused =
                web.post("/account/two-factor", "/account/two-factor/disable", Map.of("code", wrongCode(key)));
        assertThat(refused.body()).contains("The code is not right");
        assertThat(factors.enrolled(user)).isTrue();
        HttpResponse<String> off =
                web.post("/account/two-factor", "/account/two-factor/disable", Map.of("code", code(key, step() + 1)));
        assertThat(web.path(off)).isEqualTo("/account/two-factor");
        assertThat(factors.enrolled(user)).isFalse();
        assertThat(audited("SECOND_FACTOR_DISABLED", publicId(user))).isEqualTo(1);
        assertThat(new WebSession(port).signIn(user)).isEqualTo("/");

        // Set up again; the administrator resets it (a lost phone) and the user's open session ends.
        WebSession phone = new WebSession(port);
        enrol(phone, user, new ArrayList<>());
        WebSession signedIn = new WebSession(port);
        assertThat(signedIn.signIn(user)).isEqualTo("/sign-in/code");
        // The old key no longer gives codes that are accepted.
        assertThat(signedIn.code(code(key, step() + 1)).body()).contains("The code is not right");
        WebSession admin = new WebSession(port);
        String adminUser = data.user("SIGHTLINE", Roles.ADMIN);
        assertThat(admin.signIn(adminUser)).isEqualTo("/");
        String id = publicId(user);
        assertThat(admin.get("/admin/users/" + id).body()).contains("Reset authenticator app");
        HttpResponse<String> reset =
                admin.post("/admin/users/" + id, "/admin/users/" + id + "/second-factor", Map.of());
        assertThat(admin.path(reset)).isEqualTo("/admin/users/" + id);
        assertThat(audited("SECOND_FACTOR_RESET", id)).isEqualTo(1);
        assertThat(factors.enrolled(user)).isFalse();
        assertThat(phone.path(phone.get("/records"))).isEqualTo("/sign-in?ended");
        assertThat(new WebSession(port).signIn(user)).isEqualTo("/");
    }

    @Test
    void aRoleThatRequiresTheAppSendsItsUsersToSetItUpAndHttpBasicIsRefused() throws Exception {
        SightlineUser admin = accounts.loadUserByUsername(data.user("SIGHTLINE", Roles.ADMIN));
        String analyst = data.user(data.agency("local_authority"), Roles.ANALYST);
        List<String> before = factors.requiredRoles();
        try {
            WebSession policy = new WebSession(port);
            assertThat(policy.signIn(admin.username())).isEqualTo("/");
            HttpResponse<String> saved =
                    policy.post("/admin/second-factor", "/admin/second-factor", Map.of("roles", Roles.ANALYST));
            assertThat(policy.path(saved)).isEqualTo("/admin/second-factor");
            assertThat(factors.requiredRoles()).containsExactly(Roles.ANALYST);
            assertThat(jdbc.sql("SELECT count(*) FROM audit_event WHERE action = 'SECOND_FACTOR_POLICY_SET' "
                                    + "AND actor = ?")
                            .param(admin.username())
                            .query(Integer.class)
                            .single())
                    .isEqualTo(1);

            WebSession web = new WebSession(port);
            assertThat(web.signIn(analyst)).isEqualTo("/");
            // Nothing but setting it up until it is on.
            assertThat(web.path(web.get("/statistics"))).isEqualTo("/account/two-factor");
            assertThat(web.path(web.get("/account/api-tokens"))).isEqualTo("/account/two-factor");
            assertThat(web.get("/account/two-factor").body()).contains("Your role requires an authenticator app");
            // HTTP Basic cannot carry a code: refused with a clear answer, and audited.
            HttpResponse<String> basic = basic(analyst);
            assertThat(basic.statusCode()).isEqualTo(403);
            assertThat(basic.body()).contains("personal API token");
            assertThat(audited("SIGN_IN_REFUSED", publicId(analyst))).isEqualTo(1);

            web.post("/account/two-factor", "/account/two-factor/start", Map.of());
            Matcher secret = SECRET.matcher(web.get("/account/two-factor/setup").body());
            assertThat(secret.find()).isTrue();
            String key = secret.group(1).replace(" ", "");
            web.post("/account/two-factor/setup", "/account/two-factor/setup", Map.of("code", code(key, step())));
            assertThat(web.get("/statistics").statusCode()).isEqualTo(200);
            // Required: it cannot be switched off.
            assertThat(web.get("/account/two-factor").body()).contains("cannot be switched off");
            assertThat(web.post(
                                    "/account/two-factor",
                                    "/account/two-factor/disable",
                                    Map.of("code", code(key, step() + 1)))
                            .body())
                    .contains("you cannot switch it off");
            assertThat(factors.enrolled(analyst)).isTrue();

            // Enrolled: Basic is refused still; a personal API token made after a full sign-in is the way in.
            assertThat(basic(analyst).statusCode()).isEqualTo(403);
            String token = tokens.create(accounts.loadUserByUsername(analyst), "figures", "read", 1)
                    .token();
            HttpResponse<String> bearer = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/v1/ssda903/exports"))
                                    .header("Authorization", "Bearer " + token)
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(bearer.statusCode()).isNotIn(401, 403);
        } finally {
            factors.requireFor(admin, before);
        }
        // A user of another role is not affected.
        String officer = data.user(data.agency("police_force"), Roles.POLICE_OFFICER);
        WebSession other = new WebSession(port);
        assertThat(other.signIn(officer)).isEqualTo("/");
        assertThat(other.get("/records").statusCode()).isEqualTo(200);
        assertThat(basic(officer).statusCode()).isEqualTo(200);
    }

    private HttpResponse<String> basic(String username) throws Exception {
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/v1/screening-instruments"))
                                .header(
                                        "Authorization",
                                        "Basic "
                                                + Base64.getEncoder()
                                                        .encodeToString((username + ":" + TestData.PASSWORD)
                                                                .getBytes(StandardCharsets.UTF_8)))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
    }
}
