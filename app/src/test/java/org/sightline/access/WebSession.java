package org.sightline.access;

import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.sightline.support.TestData;

/**
 * A browser's session over real HTTP without a browser: its own cookies, redirects not followed (the test reads
 * them), and each form posted with the CSRF token of the page it is on, as a browser would.
 */
final class WebSession {

    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

    private final HttpClient client;
    private final String base;

    WebSession(int port) {
        this.client = HttpClient.newBuilder()
                .cookieHandler(new CookieManager())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        this.base = "http://localhost:" + port;
    }

    HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET().build());
    }

    /** Opens {@code page}, then posts the form to {@code action} with that page's CSRF token. */
    HttpResponse<String> post(String page, String action, Map<String, String> fields) {
        HttpResponse<String> opened = get(page);
        Matcher token = CSRF.matcher(opened.body());
        if (!token.find()) {
            throw new AssertionError(page + " has no form (" + opened.statusCode() + " " + location(opened) + ")");
        }
        Map<String, String> form = new LinkedHashMap<>(fields);
        form.put("_csrf", token.group(1));
        String body = form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return send(HttpRequest.newBuilder(URI.create(base + action))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build());
    }

    /** The password step; answers where it sends the browser. */
    String signIn(String username) {
        return signIn(username, TestData.PASSWORD);
    }

    String signIn(String username, String password) {
        return path(post("/sign-in", "/sign-in", Map.of("username", username, "password", password)));
    }

    /** The code step; answers the response (a redirect when the code is right, the page again when not). */
    HttpResponse<String> code(String code) {
        return post("/sign-in/code", "/sign-in/code", Map.of("code", code));
    }

    static String location(HttpResponse<String> response) {
        return response.headers().firstValue("Location").orElse(null);
    }

    /** The path of a redirect, without the host. */
    String path(HttpResponse<String> response) {
        String location = location(response);
        return location == null ? null : location.replace(base, "");
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
