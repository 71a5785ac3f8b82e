package org.sightline.access;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;
import org.sightline.shared.DatabaseOutage;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * {@code Authorization: Bearer slt_…} on the API: the token's user, within the token's scope. A read token may use
 * safe methods and searches ({@code POST …/search}); anything else answers 403. An unknown, revoked or expired
 * token answers 401 and counts as a failed sign-in of its source ({@link SignInThrottle}); once the source is locked,
 * 429. Other requests pass on to HTTP Basic. Not a bean: it belongs to the API chain only.
 */
final class ApiTokenFilter extends OncePerRequestFilter {

    private final ApiTokens tokens;
    private final SignInThrottle throttle;

    ApiTokenFilter(ApiTokens tokens, SignInThrottle throttle) {
        this.tokens = tokens;
        this.throttle = throttle;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String header = request.getHeader("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            chain.doFilter(request, response);
            return;
        }
        Optional<ApiTokens.Verified> verified;
        try {
            verified = tokens.verify(header.substring(7).strip());
        } catch (RuntimeException e) {
            if (!DatabaseOutage.causedBy(e)) {
                throw e;
            }
            response.setHeader("Retry-After", DatabaseOutage.RETRY_AFTER_SECONDS);
            problem(
                    response,
                    HttpServletResponse.SC_SERVICE_UNAVAILABLE,
                    "Service unavailable",
                    "the database cannot be reached; try again shortly");
            return;
        }
        if (verified.isEmpty()) {
            // A failure of the source like a wrong password, so guessing tokens is throttled too.
            Optional<SignInThrottledException> locked;
            try {
                locked = throttle.tokenFailed(SignInThrottle.sourceOf(request.getRemoteAddr()));
            } catch (RuntimeException e) {
                locked = Optional.empty(); // counting failed: the token is refused all the same
            }
            if (locked.isPresent()) {
                DatabaseOutageEntryPoints.tooManyAttempts(response, locked.get().retryAfterSeconds());
                return;
            }
            response.setHeader("WWW-Authenticate", "Bearer error=\"invalid_token\"");
            problem(
                    response,
                    HttpServletResponse.SC_UNAUTHORIZED,
                    "Unauthorized",
                    "the token is unknown, revoked or expired");
            return;
        }
        if (!verified.get().mayWrite() && !readOnly(request)) {
            response.setHeader("WWW-Authenticate", "Bearer error=\"insufficient_scope\", scope=\"read_write\"");
            problem(
                    response,
                    HttpServletResponse.SC_FORBIDDEN,
                    "Forbidden",
                    "this token may only read; create a read and write token to change records");
            return;
        }
        SightlineUser user = verified.get().user();
        var context = SecurityContextHolder.createEmptyContext();
        context.setAuthentication(UsernamePasswordAuthenticationToken.authenticated(user, null, user.getAuthorities()));
        SecurityContextHolder.setContext(context);
        try {
            chain.doFilter(request, response);
        } finally {
            SecurityContextHolder.clearContext();
        }
    }

    private static boolean readOnly(HttpServletRequest request) {
        String method = request.getMethod();
        return "GET".equals(method)
                || "HEAD".equals(method)
                || "OPTIONS".equals(method)
                || ("POST".equals(method) && request.getRequestURI().endsWith("/search"));
    }

    private static void problem(HttpServletResponse response, int status, String title, String detail)
            throws IOException {
        response.setStatus(status);
        response.setContentType("application/problem+json");
        response.setCharacterEncoding("UTF-8");
        response.getWriter()
                .write("{\"type\":\"about:blank\",\"title\":\"" + title + "\",\"status\":" + status + ",\"detail\":\""
                        + detail + "\"}");
    }
}
