package org.sightline.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.springframework.security.crypto.password.PasswordEncoder;

/** bcrypt at the configured cost for new hashes; any cost's hash is checked; the shipped cost is not the tests'. */
class PasswordHashingTest {

    private static final String PASSWORD = "correct horse battery staple";

    @Test
    void newHashesUseTheConfiguredCostAndEveryCostsHashIsChecked() {
        PasswordEncoder production = new PasswordConfiguration().passwordEncoder(new PasswordSettings(10));
        PasswordEncoder tests = new PasswordConfiguration().passwordEncoder(new PasswordSettings(4));
        String strong = production.encode(PASSWORD);
        String cheap = tests.encode(PASSWORD);
        // The cost is the two digits after the scheme in bcrypt's modular crypt format.
        assertThat(strong).startsWith("{bcrypt}$2a$10$").hasSize("{bcrypt}".length() + 60);
        assertThat(cheap).startsWith("{bcrypt}$2a$04$");
        assertThat(production.matches(PASSWORD, cheap)).isTrue();
        assertThat(tests.matches(PASSWORD, strong)).isTrue();
        assertThat(production.matches(PASSWORD + "!", strong)).isFalse();
        assertThat(production.matches(PASSWORD + "!", cheap)).isFalse();
    }

    @Test
    void aCostOutsideBcryptsRangeIsRefusedNamingTheSetting() {
        for (int cost : new int[] {3, 32}) {
            assertThatThrownBy(() -> new PasswordSettings(cost))
                    .hasMessage("sightline.passwords.bcrypt-cost must be from 4 to 31 (bcrypt's range); it is " + cost);
        }
    }

    @Test
    void theShippedSettingIsTheDefaultCost() throws Exception {
        Properties shipped = new Properties();
        try (InputStream in = getClass().getResourceAsStream("/application.properties")) {
            shipped.load(in);
        }
        assertThat(shipped.getProperty("sightline.passwords.bcrypt-cost")).isEqualTo("10");
        assertThat(PasswordSettings.DEFAULT_COST).isEqualTo(10);
    }
}
