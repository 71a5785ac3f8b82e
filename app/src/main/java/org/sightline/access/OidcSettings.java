package org.sightline.access;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code sightline.oidc.*}: which ID-token claims carry the user name, the Sightline roles (a list, or a
 * space-separated string, of {@link Roles#ALL}) and the agency's ONS code. The provider itself is configured with
 * Spring's standard {@code spring.security.oauth2.client.registration.<id>.*} settings (docs/operations.md).
 */
@ConfigurationProperties("sightline.oidc")
record OidcSettings(
        @DefaultValue("preferred_username") String usernameClaim,
        @DefaultValue("sightline_roles") String rolesClaim,
        @DefaultValue("agency_code") String agencyClaim) {}
