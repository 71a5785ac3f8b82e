package org.sightline.access;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.sightline.audit.AuditEntry;
import org.sightline.audit.AuditLog;
import org.sightline.shared.TextRules;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Accounts of users who sign in through an OpenID Connect provider (Entra ID, Keycloak …). The provider vouches for
 * who the user is; its claims say the user's roles and agency ({@link OidcSettings}), and are read afresh at every
 * sign-in, so a role removed at the provider is gone at the next sign-in. Each such user has an {@code app_user}
 * row (for audit, API tokens and grants) tied to the provider's subject, with no usable password. A claim that is
 * missing or names an unknown role or agency refuses the sign-in, audited, rather than guessing.
 */
@Service
@EnableConfigurationProperties(OidcSettings.class)
class OidcAccounts {

    /** The reason a sign-in was refused; shown on the sign-in page as a message key, never the claim values. */
    static final String REFUSED = "sightline_account_refused";

    private static final int MAX_USERNAME = 100;

    private final JdbcClient jdbc;
    private final UserAccounts accounts;
    private final PasswordEncoder passwords;
    private final AuditLog audit;
    private final OidcSettings settings;
    private final SecureRandom random = new SecureRandom();

    OidcAccounts(
            JdbcClient jdbc, UserAccounts accounts, PasswordEncoder passwords, AuditLog audit, OidcSettings settings) {
        this.jdbc = jdbc;
        this.accounts = accounts;
        this.passwords = passwords;
        this.audit = audit;
        this.settings = settings;
    }

    /** The Sightline user for a verified OIDC sign-in, creating or updating its account from the claims. */
    @Transactional(noRollbackFor = OAuth2AuthenticationException.class)
    SightlineUser signIn(String registrationId, OidcUser oidc) {
        String source = "oidc:" + registrationId;
        String subject = oidc.getSubject();
        String username = oidc.getClaimAsString(settings.usernameClaim());
        if (username == null || username.isBlank() || username.length() > MAX_USERNAME || !TextRules.clean(username)) {
            throw refuse(source, subject, "no usable " + settings.usernameClaim() + " claim");
        }
        Set<String> roles = roles(oidc.getClaim(settings.rolesClaim()));
        if (roles.isEmpty() || !Roles.ALL.containsAll(roles)) {
            throw refuse(source, subject, settings.rolesClaim() + " claim missing or naming no Sightline role");
        }
        String agencyCode = oidc.getClaimAsString(settings.agencyClaim());
        Long agencyId = agencyCode == null
                ? null
                : jdbc.sql("SELECT id FROM agency WHERE code = ? AND active")
                        .param(agencyCode)
                        .query(Long.class)
                        .optional()
                        .orElse(null);
        if (agencyId == null) {
            throw refuse(source, subject, settings.agencyClaim() + " claim missing or naming no active agency");
        }
        String owner = jdbc.sql(
                        "SELECT auth_source || ' ' || coalesce(oidc_subject, '') FROM app_user WHERE username = ?")
                .param(username)
                .query(String.class)
                .optional()
                .orElse(null);
        if (owner != null && !owner.equals(source + " " + subject)) {
            // A local account, or another provider's user, already has this name: never take it over.
            throw refuse(source, subject, "user name belongs to another account");
        }
        String displayName =
                oidc.getFullName() != null && !oidc.getFullName().isBlank() ? oidc.getFullName() : username;
        UUID id = jdbc.sql(
                        """
                INSERT INTO app_user (username, password_hash, display_name, agency_id, roles, auth_source, oidc_subject)
                VALUES (:username, :hash, :display, :agency, :roles, :source, :subject)
                ON CONFLICT (username) DO UPDATE SET display_name = EXCLUDED.display_name,
                    agency_id = EXCLUDED.agency_id, roles = EXCLUDED.roles, version = app_user.version + 1
                RETURNING public_id""")
                .param("username", username)
                .param("hash", passwords.encode(unguessable()))
                .param("display", displayName.length() > 200 ? displayName.substring(0, 200) : displayName)
                .param("agency", agencyId)
                .param("roles", roles.toArray(String[]::new))
                .param("source", source)
                .param("subject", subject)
                .query(UUID.class)
                .single();
        SightlineUser user = accounts.loadUserByUsername(username);
        if (!user.isEnabled()) {
            throw refuse(source, subject, "account disabled in Sightline");
        }
        audit.record(AuditEntry.of(username, agencyCode, "SIGN_IN", "app_user", id.toString())
                .withDetails("via " + source + " roles=" + roles));
        return user;
    }

    private static Set<String> roles(Object claim) {
        Set<String> roles = new LinkedHashSet<>();
        if (claim instanceof Collection<?> list) {
            list.forEach(r -> roles.add(String.valueOf(r).strip()));
        } else if (claim instanceof String s) {
            roles.addAll(List.of(s.strip().split("\\s+")));
        }
        roles.remove("");
        return roles;
    }

    private OAuth2AuthenticationException refuse(String source, String subject, String why) {
        audit.record(AuditEntry.of("anonymous", null, "SIGN_IN_REFUSED", "app_user", null)
                .withDetails(source + " subject=" + subject + ": " + why));
        return new OAuth2AuthenticationException(new OAuth2Error(REFUSED), why);
    }

    /** OIDC accounts sign in only through their provider: the stored hash is of a secret nobody holds. */
    private String unguessable() {
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        return Base64.getEncoder().encodeToString(secret);
    }
}
