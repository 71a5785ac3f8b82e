package org.sightline.access;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code sightline.passwords.*}: bcrypt's cost for new password hashes (2^cost rounds). A hash is checked at the cost
 * it was made with, so changing it affects only passwords set afterwards.
 */
@ConfigurationProperties("sightline.passwords")
record PasswordSettings(@DefaultValue("" + PasswordSettings.DEFAULT_COST) int bcryptCost) {

    /** Spring Security's default, and the least this product should use outside its tests. */
    static final int DEFAULT_COST = 10;

    PasswordSettings {
        if (bcryptCost < 4 || bcryptCost > 31) {
            throw new IllegalArgumentException(
                    "sightline.passwords.bcrypt-cost must be from 4 to 31 (bcrypt's range); it is " + bcryptCost);
        }
    }
}
