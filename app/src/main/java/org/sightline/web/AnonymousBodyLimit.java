package org.sightline.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Someone not signed in can send only a small body (the sign-in form): a larger or unsized one is refused with 413
 * before a byte of it is read. Otherwise the CSRF check reads a whole multipart upload to find its token, so an
 * anonymous 199 MB upload was read in full before its 403, and slow anonymous bodies held request threads.
 * Signed-in users (a session with a security context) and API calls with credentials keep the upload limits.
 */
@Configuration
class AnonymousBodyLimit {

    static final long MAX_ANONYMOUS_BODY = 64 * 1024;

    @Bean
    FilterRegistrationBean<OncePerRequestFilter> anonymousBodyLimitFilter() {
        FilterRegistrationBean<OncePerRequestFilter> registration =
                new FilterRegistrationBean<>(new OncePerRequestFilter() {
                    @Override
                    protected void doFilterInternal(
                            HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                            throws ServletException, IOException {
                        boolean hasBody =
                                request.getContentLengthLong() > 0 || request.getHeader("Transfer-Encoding") != null;
                        boolean tooLarge = request.getContentLengthLong() > MAX_ANONYMOUS_BODY
                                || request.getContentLengthLong() < 0;
                        if (hasBody && tooLarge && !signedIn(request) && request.getHeader("Authorization") == null) {
                            // Written here, not through the error page: rendering it would read the body after all.
                            response.setStatus(HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE);
                            response.setHeader("Connection", "close");
                            response.setContentType("text/plain;charset=UTF-8");
                            response.getWriter().write("Sign in first: only a signed-in user may send this much.\n");
                            response.flushBuffer();
                            return;
                        }
                        chain.doFilter(request, response);
                    }
                });
        // Before Spring Security's filters (-100), which would read the body looking for the CSRF token.
        registration.setOrder(-200);
        return registration;
    }

    private static boolean signedIn(HttpServletRequest request) {
        HttpSession session = request.getSession(false);
        Object context = session == null
                ? null
                : session.getAttribute(HttpSessionSecurityContextRepository.SPRING_SECURITY_CONTEXT_KEY);
        return context instanceof SecurityContext c
                && c.getAuthentication() != null
                && c.getAuthentication().isAuthenticated();
    }
}
