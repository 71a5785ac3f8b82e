package org.sightline.access;

import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.DelegatingPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * Password hashing for web and batch alike: bcrypt behind an id prefix ({@code {bcrypt}}), so hashes can be upgraded
 * to another scheme later, at the cost {@link PasswordSettings} gives for new hashes.
 */
@Configuration
@EnableConfigurationProperties(PasswordSettings.class)
class PasswordConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(PasswordConfiguration.class);

    @Bean
    PasswordEncoder passwordEncoder(PasswordSettings settings) {
        int cost = settings.bcryptCost();
        if (cost < PasswordSettings.DEFAULT_COST) {
            LOG.warn(
                    "new password hashes use bcrypt cost {} (sightline.passwords.bcrypt-cost), below {}: "
                            + "for tests only",
                    cost,
                    PasswordSettings.DEFAULT_COST);
        }
        return new DelegatingPasswordEncoder("bcrypt", Map.of("bcrypt", new BCryptPasswordEncoder(cost)));
    }
}
