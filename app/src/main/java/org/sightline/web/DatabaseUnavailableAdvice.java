package org.sightline.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.sightline.shared.DatabaseOutage;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessResourceException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * While the database cannot be reached: 503 with Retry-After and a page that says so, instead of a 500 after a
 * 30-second wait. Controllers' failures get the page here (the API's own handler answers problem+json first); a
 * failure before any controller (signing in reads the account, the sign-in audit writes) is caught by the filter,
 * which runs outside every other one.
 */
@ControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE + 1)
class DatabaseUnavailableAdvice {

    @ExceptionHandler({
        DataAccessResourceFailureException.class,
        TransientDataAccessResourceException.class,
        CannotCreateTransactionException.class
    })
    String unavailable(HttpServletResponse response, Model model) {
        response.setStatus(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
        response.setHeader("Retry-After", DatabaseOutage.RETRY_AFTER_SECONDS);
        model.addAttribute("status", 503);
        return "error";
    }

    @Bean
    static FilterRegistrationBean<OncePerRequestFilter> databaseOutageFilter() {
        FilterRegistrationBean<OncePerRequestFilter> registration =
                new FilterRegistrationBean<>(new OncePerRequestFilter() {
                    @Override
                    protected void doFilterInternal(
                            HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                            throws ServletException, IOException {
                        try {
                            chain.doFilter(request, response);
                        } catch (ServletException | RuntimeException e) {
                            if (!DatabaseOutage.causedBy(e) || response.isCommitted()) {
                                throw e;
                            }
                            response.setHeader("Retry-After", DatabaseOutage.RETRY_AFTER_SECONDS);
                            response.sendError(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
                        }
                    }
                });
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return registration;
    }
}
