package org.sightline.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.sightline.access.UserLanguage;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.web.servlet.DispatcherServlet;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.LocaleResolver;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.springframework.web.servlet.support.RequestContextUtils;

/**
 * English and Welsh (issue 11): the {@link LanguageResolver}, and the header's switch. The switch is a plain link to
 * the same page with {@code ?lang=cy} (GOV.UK pattern, works without JavaScript); a GET carrying {@code lang} stores
 * the choice and is redirected to the page without it, so the address stays clean and a bookmark does not fix the
 * language.
 */
@Configuration
class LanguageConfiguration implements WebMvcConfigurer {

    static final String PARAMETER = "lang";

    @Bean(name = DispatcherServlet.LOCALE_RESOLVER_BEAN_NAME)
    LocaleResolver localeResolver(
            UserLanguage users, @Value("${server.servlet.session.cookie.secure:false}") boolean secureCookie) {
        return new LanguageResolver(users, secureCookie);
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(new Switch()).excludePathPatterns("/api/**");
    }

    private static final class Switch implements HandlerInterceptor {
        @Override
        public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
            String language = request.getParameter(PARAMETER);
            if (language == null || !"GET".equals(request.getMethod())) {
                return true;
            }
            if (UserLanguage.SUPPORTED.contains(language)) {
                LocaleResolver resolver = RequestContextUtils.getLocaleResolver(request);
                if (resolver != null) {
                    resolver.setLocale(request, response, LanguageResolver.locale(language));
                }
            }
            response.setStatus(HttpStatus.SEE_OTHER.value());
            response.setHeader("Location", withoutSwitch(request));
            return false;
        }
    }

    /** The current page's path and query without {@code lang}: same origin, so never an open redirect. */
    static String withoutSwitch(HttpServletRequest request) {
        String query = otherParameters(request.getQueryString());
        return request.getRequestURI() + (query.isEmpty() ? "" : "?" + query);
    }

    /** The link that shows the page at {@code path} (with its query, still encoded) in {@code language}. */
    static String switchTo(String path, String query, String language) {
        String others = otherParameters(query);
        return path + "?" + (others.isEmpty() ? "" : others + "&") + PARAMETER + "=" + language;
    }

    private static String otherParameters(String query) {
        if (query == null) {
            return "";
        }
        return Arrays.stream(query.split("&"))
                .filter(p -> !p.isEmpty() && !p.equals(PARAMETER) && !p.startsWith(PARAMETER + "="))
                .collect(Collectors.joining("&"));
    }
}
