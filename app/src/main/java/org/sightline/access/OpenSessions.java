package org.sightline.access;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.core.session.SessionInformation;
import org.springframework.security.core.session.SessionRegistry;
import org.springframework.security.core.session.SessionRegistryImpl;
import org.springframework.security.web.session.HttpSessionEventPublisher;
import org.springframework.stereotype.Component;

/**
 * The web sessions open for each account (Spring Security's {@link SessionRegistry}, fed by the web chain's
 * concurrency control), so that disabling an account, resetting its password or second factor, or changing its role
 * or agency ends them: the session's next request gets the sign-in page. The registry is in this server's memory; an
 * installation that runs several servers behind a load balancer needs a shared registry (docs/operations.md).
 */
@Component
public class OpenSessions {

    private final SessionRegistry registry;

    OpenSessions(SessionRegistry registry) {
        this.registry = registry;
    }

    /** Ends every open session of the account; answers how many there were. */
    public int end(String username) {
        int ended = 0;
        for (Object principal : registry.getAllPrincipals()) {
            if (username.equals(usernameOf(principal))) {
                for (SessionInformation session : registry.getAllSessions(principal, false)) {
                    session.expireNow();
                    ended++;
                }
            }
        }
        return ended;
    }

    /** A local sign-in registers the account; an OpenID Connect sign-in the provider's user mapped to it. */
    private static String usernameOf(Object principal) {
        if (principal instanceof SightlineUser user) {
            return user.username();
        }
        if (principal instanceof OidcSignIn.Mapped mapped) {
            return mapped.user().username();
        }
        return null;
    }

    @Configuration
    static class Beans {

        @Bean
        SessionRegistry sessionRegistry() {
            return new SessionRegistryImpl();
        }

        /** Tells the registry when sessions end or change id (a servlet listener in a web server; idle otherwise). */
        @Bean
        HttpSessionEventPublisher httpSessionEventPublisher() {
            return new HttpSessionEventPublisher();
        }
    }
}
