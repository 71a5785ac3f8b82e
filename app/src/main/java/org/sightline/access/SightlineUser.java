package org.sightline.access;

import java.io.Serial;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.userdetails.UserDetails;

/**
 * The signed-in user: who they are, which agency they act for and their roles. {@code passwordMustChange}: signed in
 * with a one-time password an administrator set; nothing but choosing their own is allowed until they do.
 */
public record SightlineUser(
        UUID publicId,
        String username,
        String passwordHash,
        String displayName,
        long agencyId,
        String agencyCode,
        String agencyName,
        String agencyType,
        Set<String> roles,
        boolean enabled,
        boolean passwordMustChange)
        implements UserDetails {

    @Serial
    private static final long serialVersionUID = 1L;

    public boolean hasRole(String role) {
        return roles.contains(role);
    }

    /** Whether the user works cases (matches {@link Roles#CASEWORK}). */
    public boolean worksCases() {
        return hasRole(Roles.POLICE_OFFICER)
                || hasRole(Roles.SOCIAL_WORKER)
                || hasRole(Roles.CARE_STAFF)
                || hasRole(Roles.SUPERVISOR);
    }

    /** Whether the user may report a child missing (matches {@link Roles#REPORT_MISSING}). */
    public boolean reportsMissing() {
        return hasRole(Roles.POLICE_OFFICER) || hasRole(Roles.SOCIAL_WORKER) || hasRole(Roles.CARE_STAFF);
    }

    /** Whether the user may run bulk imports (matches {@link Roles#IMPORTS}). */
    public boolean importsFiles() {
        return hasRole(Roles.POLICE_OFFICER) || hasRole(Roles.SOCIAL_WORKER) || hasRole(Roles.SUPERVISOR);
    }

    /** Whether the user may import an SSDA903 return (matches {@link Roles#SSDA903_IMPORT}). */
    public boolean importsReturns() {
        return hasRole(Roles.SOCIAL_WORKER) || hasRole(Roles.SUPERVISOR);
    }

    /** Whether the user may screen exploitation concerns and record their outcome (matches {@link Roles#SCREENING}). */
    public boolean screensConcerns() {
        return hasRole(Roles.SOCIAL_WORKER) || hasRole(Roles.SUPERVISOR);
    }

    /** The role whose home page the user sees first (the first of theirs in {@link Roles#ALL} order). */
    public String primaryRole() {
        return Roles.ALL.stream().filter(roles::contains).findFirst().orElse(Roles.ANALYST);
    }

    @Override
    public Collection<? extends GrantedAuthority> getAuthorities() {
        List<GrantedAuthority> authorities = roles.stream()
                .map(r -> (GrantedAuthority) new SimpleGrantedAuthority("ROLE_" + r))
                .toList();
        return authorities;
    }

    @Override
    public String getPassword() {
        return passwordHash;
    }

    @Override
    public String getUsername() {
        return username;
    }

    @Override
    public boolean isEnabled() {
        return enabled;
    }

    @Override
    public String toString() {
        // Never print the hash.
        return "SightlineUser[" + username + " @ " + agencyCode + " " + roles + "]";
    }
}
