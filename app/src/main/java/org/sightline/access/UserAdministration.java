package org.sightline.access;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.sightline.audit.AuditEntry;
import org.sightline.audit.AuditLog;
import org.sightline.shared.InvalidRequestException;
import org.sightline.shared.NotFoundException;
import org.sightline.shared.Violation;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Local accounts as administrators manage them (issue 11): list, create with one role and an agency, disable and
 * enable, reset the password to a one-time password the user must change at their next sign-in, change role and
 * agency. Every change, and every listing, is audited with who did it. Users change their own password here too.
 */
@Service
public class UserAdministration {

    static final int MAX_USERNAME = 64;
    static final int MAX_DISPLAY_NAME = 100;
    private static final String ONE_TIME_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    private static final int ONE_TIME_LENGTH = 16;

    /** An account as the list and the account page show it. */
    public record Account(
            UUID publicId,
            String username,
            String displayName,
            String agencyCode,
            String agencyName,
            String role,
            boolean enabled,
            boolean passwordMustChange,
            boolean secondFactor) {}

    /** An agency to choose from. */
    public record Agency(String code, String name) {}

    /** What an administrator typed to create an account (kept between the form and the check answers page). */
    public record NewAccount(String username, String displayName, String agency, String role)
            implements java.io.Serializable {}

    /** A one-time password, shown once to the administrator to pass on. */
    public record OneTimePassword(Account account, String password) {}

    private final JdbcClient jdbc;
    private final PasswordEncoder encoder;
    private final PasswordPolicy policy;
    private final AuditLog audit;
    private final OpenSessions sessions;
    private final SecureRandom random = new SecureRandom();

    UserAdministration(
            JdbcClient jdbc, PasswordEncoder encoder, PasswordPolicy policy, AuditLog audit, OpenSessions sessions) {
        this.jdbc = jdbc;
        this.encoder = encoder;
        this.policy = policy;
        this.audit = audit;
        this.sessions = sessions;
    }

    /**
     * Administrators manage every account; a supervisor manages the accounts of their own agency, below the
     * administrator role (issue 11).
     */
    static boolean administers(SightlineUser actor) {
        return actor.hasRole(Roles.ADMIN);
    }

    @Transactional
    public List<Account> list(SightlineUser admin) {
        audit.record(AuditEntry.of(admin.username(), admin.agencyCode(), "LIST", "app_user", null));
        if (administers(admin)) {
            return jdbc.sql(SELECT + " ORDER BY a.name, u.display_name, u.username")
                    .query(UserAdministration::map)
                    .list();
        }
        return jdbc.sql(SELECT + " WHERE a.code = ? AND NOT ('ADMIN' = ANY (u.roles))"
                        + " ORDER BY a.name, u.display_name, u.username")
                .param(admin.agencyCode())
                .query(UserAdministration::map)
                .list();
    }

    @Transactional
    public Account find(SightlineUser admin, UUID publicId) {
        Account account = account(admin, publicId);
        audit.record(AuditEntry.of(admin.username(), admin.agencyCode(), "READ", "app_user", publicId.toString()));
        return account;
    }

    /**
     * The agencies the actor may put accounts in (every one for administrators, their own for supervisors), open
     * ones only, and {@code current} (the account's own, even if closed).
     */
    public List<Agency> agencies(SightlineUser actor, String current) {
        return jdbc.sql(
                        "SELECT code, name FROM agency WHERE (active OR code = ?) AND (? OR code = ?) ORDER BY name, code")
                .params(current == null ? "" : current, administers(actor), actor.agencyCode())
                .query((rs, n) -> new Agency(rs.getString(1), rs.getString(2)))
                .list();
    }

    /** The roles the actor may give: every one for administrators; for supervisors, none above their own. */
    public List<String> roles(SightlineUser actor) {
        return administers(actor)
                ? Roles.ALL
                : Roles.ALL.stream().filter(r -> !Roles.ADMIN.equals(r)).toList();
    }

    /** The rules a new account breaks, in the form's order; none when it can be created. */
    public List<Violation> check(SightlineUser actor, NewAccount form) {
        List<Violation> broken = new ArrayList<>();
        String name = strip(form.displayName());
        if (name.isEmpty() || name.length() > MAX_DISPLAY_NAME) {
            broken.add(new Violation(
                    "displayName", "required", "enter the person's name, up to " + MAX_DISPLAY_NAME + " characters"));
        }
        String username = strip(form.username());
        if (username.isEmpty()) {
            broken.add(new Violation("username", "required", "enter a user name"));
        } else if (!username.matches("[a-z0-9][a-z0-9._-]{2," + (MAX_USERNAME - 1) + "}")) {
            broken.add(new Violation(
                    "username",
                    "format",
                    "a user name is 3 to " + MAX_USERNAME
                            + " lower-case letters, digits, dots, hyphens or underscores"));
        } else if (jdbc.sql("SELECT count(*) FROM app_user WHERE lower(username) = ?")
                        .param(username)
                        .query(Long.class)
                        .single()
                > 0) {
            broken.add(new Violation("username", "taken", "there is already an account with this user name"));
        }
        checkAccess(actor, form.role(), form.agency(), null, broken);
        return broken;
    }

    /** Creates the account with a one-time password the user must change when they first sign in. */
    @Transactional
    public OneTimePassword create(SightlineUser admin, NewAccount form) {
        List<Violation> broken = check(admin, form);
        if (!broken.isEmpty()) {
            throw new InvalidRequestException(broken);
        }
        String username = strip(form.username());
        String password = oneTimePassword(username);
        UUID id = jdbc.sql(
                        """
                INSERT INTO app_user (username, password_hash, display_name, agency_id, roles, password_must_change)
                SELECT ?, ?, ?, a.id, ?, true FROM agency a WHERE a.code = ? RETURNING public_id""")
                .params(
                        username,
                        encoder.encode(password),
                        strip(form.displayName()),
                        new String[] {form.role()},
                        form.agency())
                .query(UUID.class)
                .single();
        audit.record(AuditEntry.of(admin.username(), admin.agencyCode(), "USER_CREATED", "app_user", id.toString())
                .withDetails("role=" + form.role() + "; agency=" + form.agency()));
        return new OneTimePassword(account(id), password);
    }

    /** Changes the account's role and agency. */
    @Transactional
    public Account changeAccess(SightlineUser admin, UUID publicId, String role, String agency) {
        Account before = account(admin, publicId);
        List<Violation> broken = new ArrayList<>();
        checkAccess(admin, role, agency, before.agencyCode(), broken);
        if (!broken.isEmpty()) {
            throw new InvalidRequestException(broken);
        }
        if (before.username().equals(admin.username()) && !administers(admin)) {
            throw new InvalidRequestException("role", "self", "you cannot change your own role or agency");
        }
        if (before.username().equals(admin.username()) && !Roles.ADMIN.equals(role)) {
            throw new InvalidRequestException("role", "own", "you cannot take away your own administrator role");
        }
        jdbc.sql(
                        """
                UPDATE app_user SET roles = ?, agency_id = (SELECT id FROM agency WHERE code = ?), version = version + 1
                WHERE public_id = ?""")
                .params(new String[] {role}, agency, publicId)
                .update();
        // Sessions hold the roles and agency they signed in with: end them so the change takes effect at once.
        int ended = sessions.end(before.username());
        audit.record(AuditEntry.of(
                        admin.username(), admin.agencyCode(), "USER_ACCESS_CHANGED", "app_user", publicId.toString())
                .withDetails("role=" + before.role() + "->" + role + "; agency=" + before.agencyCode() + "->" + agency
                        + "; sessions ended=" + ended));
        return account(publicId);
    }

    /**
     * Disables or enables the account; a disabled account cannot sign in, nor use its API tokens, and its open
     * sessions end.
     */
    @Transactional
    public Account setEnabled(SightlineUser admin, UUID publicId, boolean enabled) {
        Account account = account(admin, publicId);
        if (!enabled && account.username().equals(admin.username())) {
            throw new InvalidRequestException("enabled", "own", "you cannot disable your own account");
        }
        jdbc.sql("UPDATE app_user SET enabled = ?, version = version + 1 WHERE public_id = ?")
                .params(enabled, publicId)
                .update();
        int ended = enabled ? 0 : sessions.end(account.username());
        audit.record(AuditEntry.of(
                        admin.username(),
                        admin.agencyCode(),
                        enabled ? "USER_ENABLED" : "USER_DISABLED",
                        "app_user",
                        publicId.toString())
                .withDetails(enabled ? null : "sessions ended=" + ended));
        return account(publicId);
    }

    /**
     * Sets a new one-time password the user must change at their next sign-in, lifts a sign-in lock on the account name
     * (the administrator has checked who is asking) and ends the account's open sessions.
     */
    @Transactional
    public OneTimePassword resetPassword(SightlineUser admin, UUID publicId) {
        Account account = account(admin, publicId);
        String password = oneTimePassword(account.username());
        jdbc.sql(
                        """
                UPDATE app_user SET password_hash = ?, password_must_change = true, version = version + 1
                WHERE public_id = ?""")
                .params(encoder.encode(password), publicId)
                .update();
        jdbc.sql("DELETE FROM sign_in_throttle WHERE kind = ? AND key = ?")
                .params(SignInThrottle.ACCOUNT, account.username().toLowerCase(Locale.ROOT))
                .update();
        int ended = sessions.end(account.username());
        audit.record(AuditEntry.of(
                        admin.username(), admin.agencyCode(), "USER_PASSWORD_RESET", "app_user", publicId.toString())
                .withDetails("sessions ended=" + ended));
        return new OneTimePassword(account(publicId), password);
    }

    /**
     * The user's own new password, after the current one: it must meet the {@link PasswordPolicy} and differ from
     * the current one. Violations name the fields {@code current}, {@code password} and {@code confirm}.
     */
    @Transactional
    public void changeOwnPassword(SightlineUser user, String current, String password, String confirm) {
        String hash = jdbc.sql("SELECT password_hash FROM app_user WHERE username = ? AND enabled")
                .param(user.username())
                .query(String.class)
                .optional()
                .orElseThrow(() -> new NotFoundException("account"));
        List<Violation> broken = new ArrayList<>();
        if (current == null || current.isEmpty() || !encoder.matches(current, hash)) {
            broken.add(new Violation("current", "wrong", "enter your current password"));
        }
        broken.addAll(policy.check("password", user.username(), password));
        if (broken.stream().noneMatch(v -> v.field().equals("password")) && password.equals(current)) {
            broken.add(new Violation("password", "same", "choose a password different from your current one"));
        }
        if (password != null && !password.equals(confirm)) {
            broken.add(new Violation("confirm", "match", "enter the same new password twice"));
        }
        if (!broken.isEmpty()) {
            throw new InvalidRequestException(broken);
        }
        jdbc.sql(
                        """
                UPDATE app_user SET password_hash = ?, password_must_change = false, version = version + 1
                WHERE username = ?""")
                .params(encoder.encode(password), user.username())
                .update();
        audit.record(AuditEntry.of(
                user.username(),
                user.agencyCode(),
                "PASSWORD_CHANGED",
                "app_user",
                user.publicId().toString()));
    }

    /** A closed agency cannot be given to an account; an account already in one may keep it. */
    private void checkAccess(SightlineUser actor, String role, String agency, String current, List<Violation> broken) {
        if (agency == null
                || agency.isBlank()
                || jdbc.sql("SELECT count(*) FROM agency WHERE code = ? AND (active OR code = ?)")
                                .params(agency, current == null ? "" : current)
                                .query(Long.class)
                                .single()
                        == 0) {
            broken.add(new Violation("agency", "required", "choose the agency the person works for"));
        } else if (!administers(actor) && !agency.equals(actor.agencyCode())) {
            broken.add(new Violation("agency", "other", "you manage the accounts of your own agency only"));
        }
        if (role == null || !Roles.ALL.contains(role)) {
            broken.add(new Violation("role", "required", "choose a role"));
        } else if (!roles(actor).contains(role)) {
            broken.add(new Violation("role", "above", "you cannot give a role above your own"));
        }
    }

    /** Random, long enough, never one the policy refuses. */
    private String oneTimePassword(String username) {
        while (true) {
            char[] chars = new char[ONE_TIME_LENGTH];
            for (int i = 0; i < chars.length; i++) {
                chars[i] = ONE_TIME_ALPHABET.charAt(random.nextInt(ONE_TIME_ALPHABET.length()));
            }
            String password = new String(chars);
            Arrays.fill(chars, ' ');
            if (policy.check("password", username, password).isEmpty()) {
                return password;
            }
        }
    }

    /**
     * The account, when the actor may manage it; otherwise (another agency's, or an administrator's for a supervisor)
     * the refusal is audited and the account answers as not found, so its existence is not told.
     */
    private Account account(SightlineUser actor, UUID publicId) {
        Account account = account(publicId);
        if (!administers(actor)
                && (!account.agencyCode().equals(actor.agencyCode())
                        || Arrays.asList(account.role().split(", ")).contains(Roles.ADMIN))) {
            audit.recordRefusal(AuditEntry.of(
                    actor.username(), actor.agencyCode(), "ACCOUNT_REFUSED", "app_user", publicId.toString()));
            throw new NotFoundException("account");
        }
        return account;
    }

    private Account account(UUID publicId) {
        return jdbc.sql(SELECT + " WHERE u.public_id = ?")
                .param(publicId)
                .query(UserAdministration::map)
                .optional()
                .orElseThrow(() -> new NotFoundException("account"));
    }

    private static final String SELECT =
            """
            SELECT u.public_id, u.username, u.display_name, a.code, a.name, u.roles, u.enabled, u.password_must_change,
                   EXISTS (SELECT 1 FROM user_second_factor f WHERE f.user_id = u.id AND f.enabled_at IS NOT NULL)
            FROM app_user u JOIN agency a ON a.id = u.agency_id""";

    private static Account map(java.sql.ResultSet rs, int n) throws java.sql.SQLException {
        String[] roles = (String[]) rs.getArray("roles").getArray();
        return new Account(
                rs.getObject(1, UUID.class),
                rs.getString(2),
                rs.getString(3),
                rs.getString(4),
                rs.getString(5),
                roles.length == 0 ? "" : String.join(", ", roles),
                rs.getBoolean(7),
                rs.getBoolean(8),
                rs.getBoolean(9));
    }

    private static String strip(String s) {
        return s == null ? "" : s.strip();
    }
}
