package org.sightline.access;

import jakarta.servlet.http.HttpServletResponse;
import org.sightline.shared.DatabaseOutage;
import org.springframework.security.authentication.InternalAuthenticationServiceException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;
import org.springframework.security.web.authentication.SimpleUrlAuthenticationFailureHandler;

/**
 * Signing in reads the account from the database. When it cannot be reached, say so (503 with Retry-After for the API,
 * "sign-in is unavailable" on the page) instead of telling the user their password is wrong.
 */
final class DatabaseOutageEntryPoints {

    private DatabaseOutageEntryPoints() {}

    static boolean outage(AuthenticationException e) {
        return e instanceof InternalAuthenticationServiceException && DatabaseOutage.causedBy(e.getCause());
    }

    /**
     * API: 401 for bad or missing credentials, 429 with Retry-After while the account name or source is locked after
     * too many failures, 503 when the accounts cannot be read.
     */
    static AuthenticationEntryPoint api() {
        return (request, response, e) -> {
            if (e instanceof SignInThrottledException throttled) {
                tooManyAttempts(response, throttled.retryAfterSeconds());
            } else if (outage(e)) {
                response.setHeader("Retry-After", DatabaseOutage.RETRY_AFTER_SECONDS);
                response.sendError(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
            } else {
                response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
            }
        };
    }

    /** 429 with Retry-After and a problem saying nothing about whether the account exists. */
    static void tooManyAttempts(HttpServletResponse response, long retryAfterSeconds) throws java.io.IOException {
        response.setStatus(429);
        response.setHeader("Retry-After", String.valueOf(retryAfterSeconds));
        response.setContentType("application/problem+json");
        response.setCharacterEncoding("UTF-8");
        response.getWriter()
                .write("{\"type\":\"about:blank\",\"title\":\"Too Many Requests\",\"status\":429,"
                        + "\"detail\":\"too many failed sign-in attempts; try again after Retry-After seconds\"}");
    }

    /** Sign-in page: back to the form with the right message (a lock names its minutes, never the account). */
    static AuthenticationFailureHandler signIn() {
        SimpleUrlAuthenticationFailureHandler wrong = new SimpleUrlAuthenticationFailureHandler("/sign-in?error");
        SimpleUrlAuthenticationFailureHandler unavailable =
                new SimpleUrlAuthenticationFailureHandler("/sign-in?unavailable");
        return (request, response, e) -> {
            if (e instanceof SignInThrottledException throttled) {
                response.sendRedirect(request.getContextPath() + "/sign-in?locked=" + throttled.retryAfterMinutes());
            } else {
                (outage(e) ? unavailable : wrong).onAuthenticationFailure(request, response, e);
            }
        };
    }
}
