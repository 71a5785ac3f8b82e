package org.sightline.access;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code sightline.second-factor.*}: how long the code page waits after the password before the user must start again,
 * and the issuer name authenticator apps show beside the account. The roles that must use a second factor are chosen
 * by administrators ({@link SecondFactors#requiredRoles}).
 */
@ConfigurationProperties("sightline.second-factor")
record SecondFactorSettings(@DefaultValue("5m") Duration codeTimeout, @DefaultValue("Sightline") String issuer) {

    SecondFactorSettings {
        if (codeTimeout.isNegative() || codeTimeout.isZero()) {
            throw new IllegalArgumentException("sightline.second-factor.code-timeout must be positive");
        }
        if (issuer.isBlank() || issuer.contains(":")) {
            throw new IllegalArgumentException("sightline.second-factor.issuer must be a name without a colon");
        }
    }
}
