package org.sightline.child;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Locale;
import java.util.UUID;
import org.sightline.access.Roles;
import org.sightline.access.SightlineUser;
import org.sightline.web.RenderedPages;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;

/** The child's page: one identity across every agency's records, as far as the user may see it. */
@Controller
class ChildController {

    private final ChildService children;
    private final RenderedPages pages;

    ChildController(ChildService children, RenderedPages pages) {
        this.children = children;
        this.pages = pages;
    }

    @GetMapping("/children/{identityId}")
    @PreAuthorize(Roles.CASEWORK)
    ResponseEntity<String> child(
            @AuthenticationPrincipal SightlineUser user,
            @PathVariable UUID identityId,
            Model model,
            HttpServletRequest request,
            HttpServletResponse response)
            throws Exception {
        Locale locale = LocaleContextHolder.getLocale();
        // A query string (?lang=cy) changes the page's links: such views are drawn afresh and not kept.
        ChildService.Page page = children.page(user, identityId, locale, request.getQueryString() == null);
        if (page instanceof ChildService.Kept kept) {
            return pages.serve(kept.page(), locale, request);
        }
        ChildService.ToDraw draw = (ChildService.ToDraw) page;
        model.addAttribute("child", draw.picture());
        return pages.draw(
                "child/child",
                model.asMap(),
                locale,
                draw.key(),
                draw.auditDetails(),
                draw.rightUntil(),
                request,
                response);
    }
}
