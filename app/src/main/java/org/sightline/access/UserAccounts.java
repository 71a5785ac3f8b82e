package org.sightline.access;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.sightline.audit.AuditEntry;
import org.sightline.audit.AuditLog;
import org.sightline.shared.InvalidRequestException;
import org.sightline.shared.Violation;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Local accounts with hashed passwords (the embedded default; OpenID Connect comes later). */
@Service
public class UserAccounts implements UserDetailsService {

    private final JdbcClient jdbc;
    private final PasswordEncoder passwords;
    private final AuditLog audit;
    private final PasswordPolicy policy;

    UserAccounts(JdbcClient jdbc, PasswordEncoder passwords, AuditLog audit, PasswordPolicy policy) {
        this.jdbc = jdbc;
        this.passwords = passwords;
        this.audit = audit;
        this.policy = policy;
    }

    @Override
    public SightlineUser loadUserByUsername(String username) {
        return jdbc.sql(
                        """
                SELECT u.public_id, u.username, u.password_hash, u.display_name, u.roles, u.enabled,
                       u.password_must_change,
                       a.id AS agency_id, a.code AS agency_code, a.name AS agency_name, a.agency_type
                FROM app_user u JOIN agency a ON a.id = u.agency_id
                WHERE u.username = ?""")
                .param(username)
                .query(UserAccounts::map)
                .optional()
                .orElseThrow(() -> new UsernameNotFoundException("unknown user"));
    }

    /**
     * Creates an account, or resets its password and roles when it exists (used for demo and seeded users).
     * The actor is recorded in the audit log. The password must meet the {@link PasswordPolicy}.
     */
    @Transactional
    public UUID createOrReset(
            String actor,
            String username,
            String rawPassword,
            String displayName,
            String agencyCode,
            Set<String> roles) {
        for (String role : roles) {
            if (!Roles.ALL.contains(role)) {
                throw new IllegalArgumentException("unknown role " + role + "; roles are " + Roles.ALL);
            }
        }
        List<Violation> weak = policy.check("password", username, rawPassword);
        if (!weak.isEmpty()) {
            throw new InvalidRequestException(weak);
        }
        Long agencyId = jdbc.sql("SELECT id FROM agency WHERE code = ?")
                .param(agencyCode)
                .query(Long.class)
                .optional()
                .orElseThrow(() -> new IllegalArgumentException("unknown agency code " + agencyCode));
        UUID id = jdbc.sql(
                        """
                INSERT INTO app_user (username, password_hash, display_name, agency_id, roles)
                VALUES (:username, :hash, :display, :agency, :roles)
                ON CONFLICT (username) DO UPDATE SET password_hash = EXCLUDED.password_hash,
                    display_name = EXCLUDED.display_name, agency_id = EXCLUDED.agency_id, roles = EXCLUDED.roles,
                    password_must_change = false,
                    version = app_user.version + 1
                RETURNING public_id""")
                .param("username", username)
                .param("hash", passwords.encode(rawPassword))
                .param("display", displayName)
                .param("agency", agencyId)
                .param("roles", roles.toArray(String[]::new))
                .query(UUID.class)
                .single();
        audit.record(AuditEntry.of(actor, null, "USER_SAVED", "app_user", id.toString())
                .withDetails("roles=" + roles + " agency=" + agencyCode));
        return id;
    }

    private static SightlineUser map(ResultSet rs, int row) throws SQLException {
        Array roles = rs.getArray("roles");
        Set<String> roleSet = new LinkedHashSet<>(Arrays.asList((String[]) roles.getArray()));
        return new SightlineUser(
                rs.getObject("public_id", UUID.class),
                rs.getString("username"),
                rs.getString("password_hash"),
                rs.getString("display_name"),
                rs.getLong("agency_id"),
                rs.getString("agency_code"),
                rs.getString("agency_name"),
                rs.getString("agency_type"),
                Set.copyOf(roleSet),
                rs.getBoolean("enabled"),
                rs.getBoolean("password_must_change"));
    }
}
