package org.sightline.web;

import jakarta.servlet.http.HttpServletRequest;
import org.sightline.access.SightlineUser;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

/** Puts the signed-in user and the current menu section in every page's model for the header. */
@ControllerAdvice
class CurrentUserAdvice {

    @ModelAttribute("currentUser")
    SightlineUser currentUser(@AuthenticationPrincipal SightlineUser user) {
        return user;
    }

    /** The menu item the page belongs to, marked current in {@code layout.html}. */
    @ModelAttribute("navSection")
    String navSection(HttpServletRequest request) {
        return section(
                request.getRequestURI().substring(request.getContextPath().length()));
    }

    static String section(String path) {
        if (path.equals("/") || path.isEmpty()) {
            return "home";
        }
        if (path.startsWith("/admin/agencies")) {
            return "agencies";
        }
        if (path.startsWith("/network/flows")) {
            return "flows";
        }
        if (path.startsWith("/admin/retention")) {
            return "retention";
        }
        String first = path.substring(1).split("/", 2)[0];
        return switch (first) {
                // A child's records, episodes and concerns are reached from the search.
            case "records", "episodes", "concerns", "children", "identities" -> "search";
            case "imports", "import-profiles" -> "imports";
            case "audit" -> "audit";
            case "admin" -> "accounts";
            case "alerts" -> "alerts";
            case "identity-reviews" -> "reviews";
            case "ssda903" -> "ssda903";
            case "break-glass" -> "breakGlass";
            case "statistics" -> "statistics";
            case "network" -> "network";
            default -> "";
        };
    }
}
