package org.sightline.access;

import java.util.List;
import java.util.UUID;
import org.sightline.shared.ConflictException;
import org.sightline.shared.InvalidRequestException;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** Break glass for caseworkers, and the supervisors' list of their agency's break-glass access to review. */
@Controller
class BreakGlassController {

    private final BreakGlass breakGlass;

    BreakGlassController(BreakGlass breakGlass) {
        this.breakGlass = breakGlass;
    }

    /** A form error for the shared error summary (access cannot use web's: web depends on access). */
    record FieldError(String field, String messageKey) {}

    record RequestForm(UUID child, String reason, String details) {}

    record ReviewForm(String note, Integer version) {}

    @GetMapping("/break-glass/new")
    @PreAuthorize(Roles.CASEWORK)
    String requestForm(@RequestParam UUID child, Model model) {
        model.addAttribute("form", new RequestForm(child, null, null));
        model.addAttribute("reasons", BreakGlass.REASONS);
        model.addAttribute("hours", breakGlass.hours());
        return "access/break-glass-request";
    }

    @PostMapping("/break-glass")
    @PreAuthorize(Roles.CASEWORK)
    String request(@AuthenticationPrincipal SightlineUser user, RequestForm form, Model model) {
        try {
            breakGlass.open(user, form.child(), form.reason(), form.details());
        } catch (InvalidRequestException e) {
            model.addAttribute(
                    "errors",
                    e.violations().stream()
                            .map(v -> new FieldError(v.field(), "breakglass.error." + v.field() + "." + v.rule()))
                            .toList());
            model.addAttribute("form", form);
            model.addAttribute("reasons", BreakGlass.REASONS);
            model.addAttribute("hours", breakGlass.hours());
            return "access/break-glass-request";
        }
        return "redirect:/break-glass/children/" + form.child();
    }

    @GetMapping("/break-glass/children/{child}")
    @PreAuthorize(Roles.CASEWORK)
    String opened(@AuthenticationPrincipal SightlineUser user, @PathVariable UUID child, Model model) {
        model.addAttribute("until", breakGlass.activeUntil(user, child));
        model.addAttribute("records", breakGlass.openRecords(user, child));
        return "access/break-glass-opened";
    }

    @GetMapping("/break-glass")
    @PreAuthorize(Roles.SUPERVISION)
    String list(@AuthenticationPrincipal SightlineUser user, Model model) {
        model.addAttribute("grants", breakGlass.forSupervisors(user));
        return "access/break-glass-list";
    }

    @GetMapping("/break-glass/{grant}")
    @PreAuthorize(Roles.SUPERVISION)
    String reviewForm(@AuthenticationPrincipal SightlineUser user, @PathVariable UUID grant, Model model) {
        model.addAttribute("grant", breakGlass.forReview(user, grant));
        model.addAttribute("form", new ReviewForm(null, null));
        return "access/break-glass-review";
    }

    @PostMapping("/break-glass/{grant}")
    @PreAuthorize(Roles.SUPERVISION)
    String review(
            @AuthenticationPrincipal SightlineUser user,
            @PathVariable UUID grant,
            ReviewForm form,
            Model model,
            RedirectAttributes redirect) {
        try {
            breakGlass.review(user, grant, form.note(), form.version() == null ? -1 : form.version());
        } catch (InvalidRequestException | ConflictException e) {
            String key = e instanceof ConflictException ? "breakglass.error.conflict" : "breakglass.error.note";
            model.addAttribute("errors", List.of(new FieldError("note", key)));
            model.addAttribute("grant", breakGlass.forReview(user, grant));
            model.addAttribute("form", form);
            return "access/break-glass-review";
        }
        redirect.addFlashAttribute("reviewed", true);
        return "redirect:/break-glass";
    }
}
