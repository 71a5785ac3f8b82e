package org.sightline.access;

import java.time.Clock;
import org.sightline.audit.AuditLog;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.security.config.annotation.method.configuration.EnableMethodSecurity;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.session.SessionRegistry;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.AccessDeniedHandlerImpl;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.authentication.HttpStatusEntryPoint;
import org.springframework.security.web.authentication.session.SessionLimit;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter.ReferrerPolicy;

/**
 * Two chains: the REST API is stateless with personal API tokens ({@link ApiTokens}) or HTTP Basic (so a browser
 * session can never be ridden by a forged cross-site request), the web pages use a session, a sign-in form and CSRF tokens. Everything
 * not explicitly public needs a signed-in user; every controller method also declares its roles. When an OpenID Connect
 * provider is configured, the web chain also signs users in through it ({@link OidcSignIn}).
 * Batch commands run without a web server and so without these chains.
 */
@Configuration
@ConditionalOnWebApplication
@EnableMethodSecurity
class SecurityConfiguration {

    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data:; font-src 'self' data:; object-src 'none'; base-uri 'self'; "
            + "form-action 'self'; frame-ancestors 'none'";

    /**
     * No Micrometer observation around every security filter of every request: it cost CPU on each page (profiled
     * on the child's page) and told nothing the server's own {@code http.server.requests} metrics do not.
     */
    @Bean
    SecurityObservationSettings securityObservations() {
        return SecurityObservationSettings.noObservations();
    }

    @Bean
    @Order(1)
    SecurityFilterChain api(
            HttpSecurity http, ApiTokens tokens, SignInThrottle throttle, SecondFactors secondFactors, AuditLog audit)
            throws Exception {
        http.securityMatcher("/api/**")
                .addFilterBefore(new ApiTokenFilter(tokens, throttle), BasicAuthenticationFilter.class)
                .addFilterAfter(new PasswordChangeRequired(true), BasicAuthenticationFilter.class)
                .addFilterAfter(
                        new SecondFactorSignIn.BasicRefused(secondFactors, audit), BasicAuthenticationFilter.class)
                .authorizeHttpRequests(a -> a.anyRequest().authenticated())
                .httpBasic(b -> b.authenticationEntryPoint(DatabaseOutageEntryPoints.api()))
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .csrf(c -> c.disable())
                .exceptionHandling(e -> e.authenticationEntryPoint(DatabaseOutageEntryPoints.api()))
                .headers(h ->
                        h.contentSecurityPolicy(c -> c.policyDirectives("default-src 'none'; frame-ancestors 'none'")));
        return http.build();
    }

    @Bean
    @Order(2)
    SecurityFilterChain actuator(HttpSecurity http, SecondFactors secondFactors, AuditLog audit) throws Exception {
        http.securityMatcher("/actuator/**")
                .addFilterAfter(
                        new SecondFactorSignIn.BasicRefused(secondFactors, audit), BasicAuthenticationFilter.class)
                .authorizeHttpRequests(a -> a.requestMatchers("/actuator/health", "/actuator/health/**")
                        .permitAll()
                        .anyRequest()
                        .hasRole(Roles.ADMIN))
                .httpBasic(b -> b.authenticationEntryPoint(new HttpStatusEntryPoint(HttpStatus.UNAUTHORIZED)))
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .csrf(c -> c.disable());
        return http.build();
    }

    @Bean
    @Order(3)
    SecurityFilterChain web(
            HttpSecurity http,
            RefusalAudit refusals,
            ObjectProvider<ClientRegistrationRepository> oidcProviders,
            OidcAccounts oidcAccounts,
            SecondFactors secondFactors,
            SecondFactorSettings secondFactorSettings,
            SessionRegistry sessions,
            Clock clock)
            throws Exception {
        AccessDeniedHandlerImpl forbidden = new AccessDeniedHandlerImpl();
        if (oidcProviders.getIfAvailable() != null) {
            OidcSignIn.configure(http, oidcAccounts);
        }
        http.addFilterBefore(new PasswordChangeRequired(false), AuthorizationFilter.class)
                .addFilterBefore(new SecondFactorSignIn.MustSetUp(), AuthorizationFilter.class)
                .authorizeHttpRequests(a -> a.requestMatchers(
                                "/sign-in",
                                SecondFactorSignIn.CODE_PAGE,
                                "/assets/**",
                                "/webjars/**",
                                "/css/**",
                                "/js/**",
                                // A browser may still ask for /favicon.ico (a page without the layout): answered
                                // as a 404, never a sign-in redirect that would become the page shown after sign-in.
                                "/favicon.ico",
                                "/favicon.svg",
                                "/error")
                        .permitAll()
                        .anyRequest()
                        .authenticated())
                .formLogin(f -> f.loginPage("/sign-in")
                        .loginProcessingUrl("/sign-in")
                        .successHandler(SecondFactorSignIn.afterPassword(secondFactors, secondFactorSettings, clock))
                        .failureHandler(DatabaseOutageEntryPoints.signIn())
                        .permitAll())
                .logout(l -> l.logoutUrl("/sign-out").logoutSuccessUrl("/sign-in?signed-out"))
                // Every session is registered so that disabling an account or changing its access ends them.
                .sessionManagement(s -> s.sessionFixation(f -> f.newSession())
                        .sessionConcurrency(c -> c.maximumSessions(SessionLimit.UNLIMITED)
                                .sessionRegistry(sessions)
                                .expiredUrl("/sign-in?ended")))
                .exceptionHandling(e -> e.accessDeniedHandler((request, response, denied) -> {
                    refusals.roleRefused(SecurityContextHolder.getContext().getAuthentication(), request);
                    forbidden.handle(request, response, denied);
                }))
                .headers(h -> h.contentSecurityPolicy(c -> c.policyDirectives(CONTENT_SECURITY_POLICY))
                        .referrerPolicy(r -> r.policy(ReferrerPolicy.NO_REFERRER))
                        .frameOptions(f -> f.deny())
                        .permissionsPolicyHeader(p -> p.policy("camera=(), microphone=(), geolocation=()")));
        return http.build();
    }
}
