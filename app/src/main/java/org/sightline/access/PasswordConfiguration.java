package org.sightline.access;

import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.DelegatingPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * Password hashing for web and batch alike: bcrypt behind an id prefix ({@code {bcrypt}}), so hashes can be upgraded
 * to another scheme later. A hash is checked at the cost it was made with; {@code sightline.passwords.bcrypt-cost}
 * sets the cost of new ones.
 */
@Configuration
class PasswordConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(PasswordConfiguration.class);
    /** Spring Security's default, and the least this product should use outside its tests. */
    static final int DEFAULT_COST = 10;

    @Bean
    PasswordEncoder passwordEncoder(@Value("${sightline.passwords.bcrypt-cost:" + DEFAULT_COST + "}") int cost) {
        if (cost < 4 || cost > 31) {
            throw new IllegalArgumentException(
                    "sightline.passwords.bcrypt-cost must be from 4 to 31 (bcrypt's range); it is " + cost);
        }
        if (cost < DEFAULT_COST) {
            LOG.warn(
                    "new password hashes use bcrypt cost {} (sightline.passwords.bcrypt-cost), below {}: "
                            + "for tests only",
                    cost,
                    DEFAULT_COST);
        }
        return new DelegatingPasswordEncoder("bcrypt", Map.of("bcrypt", new BCryptPasswordEncoder(cost)));
    }
}
