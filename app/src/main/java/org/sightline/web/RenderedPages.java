package org.sightline.web;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.UUID;
import org.sightline.access.SightlineUser;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.View;
import org.springframework.web.util.ContentCachingResponseWrapper;
import org.thymeleaf.spring6.view.ThymeleafViewResolver;

/**
 * Pages that are costly to draw (the child's page renders every agency's records through Thymeleaf, about nine
 * tenths of its cost) kept as HTML for the same viewer while nothing they show has changed. Only the drawing is
 * saved: the caller still checks access and writes the audit entry on every request, and its key must carry a
 * fingerprint of everything the page shows (docs/benchmarks.md, "Rendered pages"). The one value that differs
 * between two responses of the same page, the CSRF token masked afresh for each response, is kept as a
 * placeholder and put back per request.
 */
@Component
public class RenderedPages {

    private static final String CSRF_PLACEHOLDER = "\u0000csrf\u0000";

    /**
     * A page as one viewer sees it: which page, about what, the fingerprint of what it shows, who looks (their name,
     * agency and roles decide the menu and what the page holds), and in which language.
     */
    public record Key(String page, UUID subject, String fingerprint, String viewer, Locale locale) {}

    /**
     * The drawn page, what its audit entry says (a view served from here is audited as a drawn one), and until when
     * it stays right by the clock alone (pages say "for 3 hours" and count the last 30 days).
     */
    public record Page(String html, String auditDetails, Instant rightUntil) {}

    private final Cache<Key, Page> pages;
    private final ObjectProvider<ThymeleafViewResolver> views;
    private final Clock clock;

    RenderedPages(
            @Value("${sightline.rendered-pages.max-mb:64}") long maxMegabytes,
            ObjectProvider<ThymeleafViewResolver> thymeleafViewResolver,
            Clock clock) {
        this.views = thymeleafViewResolver;
        this.clock = clock;
        this.pages = Caffeine.newBuilder()
                .maximumWeight(maxMegabytes * 1024 * 1024)
                // Java strings of HTML are Latin-1 almost throughout: a byte a character.
                .<Key, Page>weigher((k, p) -> p.html().length() + 200)
                .build();
    }

    /** Everything in a page's header and menu that depends on who looks. */
    public static String viewer(SightlineUser user) {
        return user.publicId() + "|" + user.displayName() + "|" + user.agencyId() + "|" + user.agencyName() + "|"
                + new TreeSet<>(user.roles());
    }

    public Optional<Page> get(Key key) {
        Page page = pages.getIfPresent(key);
        return page == null || !clock.instant().isBefore(page.rightUntil()) ? Optional.empty() : Optional.of(page);
    }

    /**
     * Draws a view to a string with this request's model (the controller advice's attributes are in it) and keeps
     * it under {@code key} (null keeps nothing). Returns the response to send.
     */
    public ResponseEntity<String> draw(
            String viewName,
            Map<String, Object> model,
            Locale locale,
            Key key,
            String auditDetails,
            Instant rightUntil,
            HttpServletRequest request,
            HttpServletResponse response)
            throws Exception {
        // Offline commands run without the web stack (no view resolver): they never draw pages.
        View view = views.getObject().resolveViewName(viewName, locale);
        if (view == null) {
            throw new IllegalStateException("no view " + viewName);
        }
        ContentCachingResponseWrapper capture = new ContentCachingResponseWrapper(response);
        view.render(model, request, capture);
        String html = new String(capture.getContentAsByteArray(), StandardCharsets.UTF_8);
        String token = csrfToken(request);
        if (key != null && token != null) {
            pages.put(key, new Page(html.replace(token, CSRF_PLACEHOLDER), auditDetails, rightUntil));
        }
        return respond(html, locale);
    }

    /** A kept page with this request's CSRF token in its forms. */
    public ResponseEntity<String> serve(Page page, Locale locale, HttpServletRequest request) {
        String token = csrfToken(request);
        return respond(page.html().replace(CSRF_PLACEHOLDER, token == null ? "" : token), locale);
    }

    private static ResponseEntity<String> respond(String html, Locale locale) {
        return ResponseEntity.ok()
                .contentType(new MediaType(MediaType.TEXT_HTML, StandardCharsets.UTF_8))
                .header("Content-Language", locale.toLanguageTag())
                .body(html);
    }

    private static String csrfToken(HttpServletRequest request) {
        return request.getAttribute(CsrfToken.class.getName()) instanceof CsrfToken t ? t.getToken() : null;
    }
}
