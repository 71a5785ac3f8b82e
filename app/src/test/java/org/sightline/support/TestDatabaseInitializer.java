package org.sightline.support;

import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Points the application at {@link TestDatabase}: the datasource as the application role, Flyway as the owner; and
 * sets what every integration test shares (one context, so here and not on a test class).
 */
public class TestDatabaseInitializer implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        TestPropertyValues.of(
                        "spring.datasource.url=" + TestDatabase.url(),
                        "spring.datasource.username=" + TestDatabase.appUser(),
                        "spring.datasource.password=" + TestDatabase.password(),
                        "spring.flyway.user=" + TestDatabase.user(),
                        "spring.flyway.password=" + TestDatabase.password(),
                        // As `serve --behind-proxy`: forwarded headers from loopback are trusted
                        // (TransportSecurityTest).
                        "server.forward-headers-strategy=native",
                        // Every test makes users and signs in: at the production cost (10) bcrypt was half of the
                        // suite's Java CPU. Hashes are still bcrypt, checked the same way (PasswordHashingTest).
                        "sightline.passwords.bcrypt-cost=4")
                .applyTo(context.getEnvironment());
    }
}
