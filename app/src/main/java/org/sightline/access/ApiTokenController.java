package org.sightline.access;

import java.util.UUID;
import org.sightline.shared.InvalidRequestException;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** A user's own API tokens: list, create (the token is shown once) and revoke. */
@Controller
class ApiTokenController {

    private final ApiTokens tokens;

    ApiTokenController(ApiTokens tokens) {
        this.tokens = tokens;
    }

    /** Days as typed: a value that is not a whole number is refused with the form's message, not a binding error. */
    record CreateForm(String name, String scope, String days) {
        Integer dayCount() {
            try {
                return days == null ? null : Integer.valueOf(days.strip());
            } catch (NumberFormatException e) {
                return null;
            }
        }
    }

    @GetMapping("/account/api-tokens")
    @PreAuthorize(Roles.SIGNED_IN)
    String list(@AuthenticationPrincipal SightlineUser user, Model model) {
        return page(user, new CreateForm(null, "read", String.valueOf(ApiTokens.DEFAULT_DAYS)), model);
    }

    @PostMapping("/account/api-tokens")
    @PreAuthorize(Roles.SIGNED_IN)
    String create(@AuthenticationPrincipal SightlineUser user, CreateForm form, Model model) {
        try {
            ApiTokens.Created created = tokens.create(user, form.name(), form.scope(), form.dayCount());
            model.addAttribute("created", created);
            return "access/api-token-created";
        } catch (InvalidRequestException e) {
            model.addAttribute(
                    "errors",
                    e.violations().stream()
                            .map(v -> new BreakGlassController.FieldError(v.field(), "apitoken.error." + v.field()))
                            .toList());
            return page(user, form, model);
        }
    }

    @PostMapping("/account/api-tokens/{token}/revoke")
    @PreAuthorize(Roles.SIGNED_IN)
    String revoke(@AuthenticationPrincipal SightlineUser user, @PathVariable UUID token, RedirectAttributes redirect) {
        tokens.revoke(user, token);
        redirect.addFlashAttribute("revoked", true);
        return "redirect:/account/api-tokens";
    }

    private String page(SightlineUser user, CreateForm form, Model model) {
        model.addAttribute("tokens", tokens.list(user));
        model.addAttribute("form", form);
        model.addAttribute("scopes", ApiTokens.SCOPES);
        model.addAttribute("maxDays", ApiTokens.MAX_DAYS);
        return "access/api-tokens";
    }
}
