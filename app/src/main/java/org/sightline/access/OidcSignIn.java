package org.sightline.access;

import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.client.oidc.userinfo.OidcUserRequest;
import org.springframework.security.oauth2.client.oidc.userinfo.OidcUserService;
import org.springframework.security.oauth2.client.userinfo.OAuth2UserService;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.oidc.user.DefaultOidcUser;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;
import org.springframework.security.web.authentication.AuthenticationSuccessHandler;
import org.springframework.security.web.context.DelegatingSecurityContextRepository;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.security.web.context.RequestAttributeSecurityContextRepository;
import org.springframework.security.web.context.SecurityContextRepository;

/**
 * OpenID Connect sign-in on the web chain. After the provider's ID token is verified, the session holds the same
 * {@link SightlineUser} principal as a local sign-in, so every page, role check and audit entry works alike
 * whichever way the user signed in.
 */
final class OidcSignIn {

    private OidcSignIn() {}

    static void configure(HttpSecurity http, OidcAccounts accounts) throws Exception {
        SecurityContextRepository contexts = new DelegatingSecurityContextRepository(
                new RequestAttributeSecurityContextRepository(), new HttpSessionSecurityContextRepository());
        // The account is checked while the ID token is read, so a refusal reaches the failure handler.
        OidcUserService verified = new OidcUserService();
        OAuth2UserService<OidcUserRequest, OidcUser> mapped = request -> {
            OidcUser oidc = verified.loadUser(request);
            SightlineUser user = accounts.signIn(request.getClientRegistration().getRegistrationId(), oidc);
            return new Mapped(oidc, user);
        };
        AuthenticationSuccessHandler success = (request, response, authentication) -> {
            SightlineUser user = ((Mapped) authentication.getPrincipal()).user();
            SecurityContext context = SecurityContextHolder.createEmptyContext();
            context.setAuthentication(
                    UsernamePasswordAuthenticationToken.authenticated(user, null, user.getAuthorities()));
            SecurityContextHolder.setContext(context);
            contexts.saveContext(context, request, response);
            response.sendRedirect(request.getContextPath() + "/");
        };
        AuthenticationFailureHandler failure = (request, response, e) -> {
            boolean refused = e instanceof OAuth2AuthenticationException o
                    && OidcAccounts.REFUSED.equals(o.getError().getErrorCode());
            SecurityContextHolder.clearContext();
            response.sendRedirect(
                    request.getContextPath() + (refused ? "/sign-in?oidc-refused" : "/sign-in?oidc-failed"));
        };
        http.oauth2Login(o -> o.loginPage("/sign-in")
                .userInfoEndpoint(u -> u.oidcUserService(mapped))
                .successHandler(success)
                .failureHandler(failure));
    }

    /** The verified OIDC user with the Sightline account it signed in to; replaced by the account at success. */
    static final class Mapped extends DefaultOidcUser {
        private final transient SightlineUser user;

        Mapped(OidcUser oidc, SightlineUser user) {
            super(user.getAuthorities(), oidc.getIdToken(), oidc.getUserInfo());
            this.user = user;
        }

        SightlineUser user() {
            return user;
        }
    }
}
