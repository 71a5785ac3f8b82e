package org.sightline.support;

import java.util.List;
import java.util.Map;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A real OpenID Connect provider for the suite (NAV's mock-oauth2-server on a free port), started once per test JVM
 * before the application, which is registered with it as {@value #REGISTRATION}. Tests choose the claims of the next
 * sign-in with {@link #nextSignIn}.
 */
public final class TestOidcProvider implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    public static final String REGISTRATION = "test-idp";
    public static final String CLIENT_ID = "sightline";
    private static final String ISSUER = "sightline-test";

    private static MockOAuth2Server server;

    private static synchronized MockOAuth2Server server() {
        if (server == null) {
            server = new MockOAuth2Server();
            server.start(0);
            Runtime.getRuntime().addShutdownHook(new Thread(server::shutdown));
        }
        return server;
    }

    /** The ID token of the next sign-in through the provider has this subject and these claims. */
    public static void nextSignIn(String subject, Map<String, Object> claims) {
        server().enqueueCallback(
                        new DefaultOAuth2TokenCallback(ISSUER, subject, "JWT", List.of(CLIENT_ID), claims, 3600));
    }

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        String prefix = "spring.security.oauth2.client.registration." + REGISTRATION + ".";
        TestPropertyValues.of(
                        prefix + "client-id=" + CLIENT_ID,
                        prefix + "client-secret=test-secret",
                        prefix + "client-name=Test identity provider",
                        prefix + "scope=openid,profile",
                        "spring.security.oauth2.client.provider." + REGISTRATION + ".issuer-uri="
                                + server().issuerUrl(ISSUER))
                .applyTo(context.getEnvironment());
    }
}
