package org.sightline.access;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.io.Serializable;
import java.time.Clock;
import java.time.Instant;
import org.sightline.audit.AuditEntry;
import org.sightline.audit.AuditLog;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.authentication.AuthenticationSuccessHandler;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Where a local sign-in goes after the password. For an account with a second factor the session is <em>not</em>
 * signed in: it only remembers, for {@code code-timeout}, whose password was right, and the code page ({@value
 * #CODE_PAGE}, {@link SecondFactorController}) signs it in once the code is right. A user whose role requires a second
 * factor and who has none is signed in but can only set one up ({@link MustSetUp}). HTTP Basic cannot carry a code, so
 * it is refused for such accounts ({@link BasicRefused}); personal API tokens, made after a full sign-in, are their way
 * into the API. OpenID Connect sign-ins do not come here: the provider is responsible for their second factor.
 */
final class SecondFactorSignIn {

    static final String PENDING = "sightline.secondFactor.pending";
    static final String MUST_SET_UP = "sightline.secondFactor.mustSetUp";
    static final String CODE_PAGE = "/sign-in/code";
    static final String SETUP_PAGE = "/account/two-factor";

    /** Whose password was right, and until when the code may be entered. */
    record Pending(String username, Instant until) implements Serializable {}

    private SecondFactorSignIn() {}

    /** The form login's success handler. */
    static AuthenticationSuccessHandler afterPassword(
            SecondFactors factors, SecondFactorSettings settings, Clock clock) {
        return (request, response, authentication) -> {
            SightlineUser user = (SightlineUser) authentication.getPrincipal();
            HttpSession session = request.getSession();
            if (factors.enrolled(user.username())) {
                // Not signed in yet: take back what the form login saved.
                SecurityContextHolder.clearContext();
                session.removeAttribute(HttpSessionSecurityContextRepository.SPRING_SECURITY_CONTEXT_KEY);
                session.setAttribute(
                        PENDING, new Pending(user.username(), clock.instant().plus(settings.codeTimeout())));
                response.sendRedirect(request.getContextPath() + CODE_PAGE);
                return;
            }
            if (factors.required(user)) {
                session.setAttribute(MUST_SET_UP, Boolean.TRUE);
            }
            response.sendRedirect(request.getContextPath() + "/");
        };
    }

    /**
     * A signed-in user whose role requires a second factor and who has none may only set one up (and choose their own
     * password first, when an administrator set a one-time one). Not a bean: the web chain adds it.
     */
    static final class MustSetUp extends OncePerRequestFilter {

        @Override
        protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                throws ServletException, IOException {
            HttpSession session = request.getSession(false);
            Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
            if (session != null
                    && session.getAttribute(MUST_SET_UP) != null
                    && authentication != null
                    && authentication.isAuthenticated()
                    && !allowed(request)) {
                response.sendRedirect(request.getContextPath() + SETUP_PAGE);
                return;
            }
            chain.doFilter(request, response);
        }

        private static boolean allowed(HttpServletRequest request) {
            String path =
                    request.getRequestURI().substring(request.getContextPath().length());
            return path.equals(SETUP_PAGE)
                    || path.startsWith(SETUP_PAGE + "/")
                    || path.equals(PasswordChangeRequired.PAGE)
                    || path.equals("/account/session")
                    || path.equals("/sign-out")
                    || path.equals("/error")
                    || path.startsWith("/css/")
                    || path.startsWith("/js/")
                    || path.startsWith("/webjars/")
                    || path.startsWith("/assets/");
        }
    }

    /**
     * HTTP Basic with the right password for an account that has, or must have, a second factor: 403 with a problem
     * that says to use a personal API token, audited with the source. Not a bean: the API and actuator chains add it
     * after their Basic filter.
     */
    static final class BasicRefused extends OncePerRequestFilter {

        private final SecondFactors factors;
        private final AuditLog audit;

        BasicRefused(SecondFactors factors, AuditLog audit) {
            this.factors = factors;
            this.audit = audit;
        }

        @Override
        protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                throws ServletException, IOException {
            String header = request.getHeader("Authorization");
            Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
            if (header != null
                    && header.regionMatches(true, 0, "Basic ", 0, 6)
                    && authentication != null
                    && authentication.getPrincipal() instanceof SightlineUser user
                    && (factors.required(user) || factors.enrolled(user.username()))) {
                audit.recordRefusal(AuditEntry.of(
                                user.username(),
                                user.agencyCode(),
                                "SIGN_IN_REFUSED",
                                "app_user",
                                user.publicId().toString())
                        .withDetails("source=" + SignInThrottle.sourceOf(request.getRemoteAddr())
                                + "; HTTP Basic for an account with a second factor"));
                SecurityContextHolder.clearContext();
                response.setStatus(HttpServletResponse.SC_FORBIDDEN);
                response.setContentType("application/problem+json");
                response.setCharacterEncoding("UTF-8");
                response.getWriter()
                        .write("{\"type\":\"about:blank\",\"title\":\"Forbidden\",\"status\":403,"
                                + "\"detail\":\"this account signs in with a second factor, which HTTP Basic cannot"
                                + " carry: sign in on the web and use a personal API token"
                                + " (Authorization: Bearer) instead\"}");
                return;
            }
            chain.doFilter(request, response);
        }
    }
}
