package org.sightline.web;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.Serial;
import java.io.Serializable;
import java.time.Duration;
import java.util.Locale;
import java.util.UUID;
import org.sightline.access.SightlineUser;
import org.sightline.access.UserLanguage;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseCookie;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.servlet.LocaleResolver;

/**
 * The language a page is shown in, English or Welsh only: the signed-in user's choice, else the language cookie (set
 * by the switch, so it also holds on the sign-in page), else the first of en/cy in Accept-Language, else English.
 * Never the machine's locale (with {@code spring.messages.fallback-to-system-locale=false}).
 */
final class LanguageResolver implements LocaleResolver {

    static final Locale ENGLISH = Locale.UK;
    static final Locale WELSH = Locale.forLanguageTag("cy-GB");
    static final String COOKIE = "sightline-language";
    private static final String REQUEST_CACHE = LanguageResolver.class.getName() + ".locale";
    private static final String SESSION_CACHE = LanguageResolver.class.getName() + ".choice";

    private final UserLanguage users;
    private final boolean secureCookie;

    LanguageResolver(UserLanguage users, boolean secureCookie) {
        this.users = users;
        this.secureCookie = secureCookie;
    }

    /** A user's choice read once per session: pages ask for the locale many times. */
    private record Choice(UUID user, String language) implements Serializable {
        @Serial
        private static final long serialVersionUID = 1L;
    }

    @Override
    public Locale resolveLocale(HttpServletRequest request) {
        if (request.getAttribute(REQUEST_CACHE) instanceof Locale cached) {
            return cached;
        }
        String language = userChoice(request);
        if (language == null) {
            language = cookie(request);
        }
        if (language == null) {
            language = fromBrowser(request.getHeader(HttpHeaders.ACCEPT_LANGUAGE));
        }
        Locale locale = locale(language);
        request.setAttribute(REQUEST_CACHE, locale);
        return locale;
    }

    @Override
    public void setLocale(HttpServletRequest request, HttpServletResponse response, Locale locale) {
        String language = locale == null ? "en" : locale.getLanguage();
        if (!UserLanguage.SUPPORTED.contains(language)) {
            return;
        }
        SightlineUser user = user();
        if (user != null) {
            users.choose(user, language);
            HttpSession session = request.getSession(false);
            if (session != null) {
                session.setAttribute(SESSION_CACHE, new Choice(user.publicId(), language));
            }
        }
        response.addHeader(
                HttpHeaders.SET_COOKIE,
                ResponseCookie.from(COOKIE, language)
                        .path(request.getContextPath().isEmpty() ? "/" : request.getContextPath())
                        .maxAge(Duration.ofDays(365))
                        .httpOnly(true)
                        .secure(secureCookie)
                        .sameSite("Lax")
                        .build()
                        .toString());
        request.setAttribute(REQUEST_CACHE, locale(language));
    }

    static Locale locale(String language) {
        return "cy".equals(language) ? WELSH : ENGLISH;
    }

    /** The first of en and cy the browser accepts, in its order of preference; English when it names neither. */
    static String fromBrowser(String acceptLanguage) {
        if (acceptLanguage == null || acceptLanguage.isBlank()) {
            return "en";
        }
        try {
            for (Locale.LanguageRange range : Locale.LanguageRange.parse(acceptLanguage)) {
                String language = range.getRange().split("-", 2)[0];
                if (range.getWeight() > 0 && UserLanguage.SUPPORTED.contains(language)) {
                    return language;
                }
            }
        } catch (IllegalArgumentException malformed) {
            // a malformed header is not the user's fault: English
        }
        return "en";
    }

    private String userChoice(HttpServletRequest request) {
        SightlineUser user = user();
        if (user == null) {
            return null;
        }
        HttpSession session = request.getSession(false);
        if (session != null
                && session.getAttribute(SESSION_CACHE) instanceof Choice c
                && c.user().equals(user.publicId())) {
            return c.language();
        }
        String language = users.of(user.publicId()).orElse(null);
        if (session != null) {
            session.setAttribute(SESSION_CACHE, new Choice(user.publicId(), language));
        }
        return language;
    }

    private static String cookie(HttpServletRequest request) {
        Cookie[] cookies = request.getCookies();
        if (cookies != null) {
            for (Cookie c : cookies) {
                if (COOKIE.equals(c.getName()) && UserLanguage.SUPPORTED.contains(c.getValue())) {
                    return c.getValue();
                }
            }
        }
        return null;
    }

    private static SightlineUser user() {
        Authentication auth = SecurityContextHolder.getContext().getAuthentication();
        return auth != null && auth.getPrincipal() instanceof SightlineUser u ? u : null;
    }
}
