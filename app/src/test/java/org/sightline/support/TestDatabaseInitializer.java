package org.sightline.support;

import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;

/** Points the application at {@link TestDatabase}: the datasource as the application role, Flyway as the owner. */
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
                        "server.forward-headers-strategy=native")
                .applyTo(context.getEnvironment());
    }
}
