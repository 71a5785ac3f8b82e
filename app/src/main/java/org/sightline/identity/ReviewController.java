package org.sightline.identity;

import java.util.List;
import java.util.UUID;
import org.sightline.access.Roles;
import org.sightline.access.SightlineUser;
import org.sightline.shared.ConflictException;
import org.sightline.shared.InvalidRequestException;
import org.sightline.web.FieldError;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** Supervisors decide the identity matches the engine was unsure about. */
@Controller
class ReviewController {

    private final ReviewService reviews;

    ReviewController(ReviewService reviews) {
        this.reviews = reviews;
    }

    @GetMapping("/identity-reviews")
    @PreAuthorize(Roles.SUPERVISION)
    String list(@AuthenticationPrincipal SightlineUser user, Model model) {
        model.addAttribute("reviews", reviews.open(user));
        return "identity/reviews";
    }

    @GetMapping("/identity-reviews/{publicId}")
    @PreAuthorize(Roles.SUPERVISION)
    String show(@AuthenticationPrincipal SightlineUser user, @PathVariable UUID publicId, Model model) {
        model.addAttribute("review", reviews.get(user, publicId));
        model.addAttribute("form", new DecisionForm(null, null, null));
        return "identity/review";
    }

    record DecisionForm(String decision, String rationale, Integer version) {
    }

    @PostMapping("/identity-reviews/{publicId}")
    @PreAuthorize(Roles.SUPERVISION)
    String decide(@AuthenticationPrincipal SightlineUser user, @PathVariable UUID publicId, DecisionForm form, Model model,
                  RedirectAttributes redirect) {
        try {
            reviews.decide(user, publicId, form.decision(), form.rationale(), form.version() == null ? -1 : form.version());
        } catch (InvalidRequestException e) {
            List<FieldError> errors = e.violations().stream()
                    .map(v -> new FieldError(v.field(), "review.error." + v.field())).toList();
            model.addAttribute("errors", errors);
            model.addAttribute("review", reviews.get(user, publicId));
            model.addAttribute("form", form);
            return "identity/review";
        } catch (ConflictException e) {
            model.addAttribute("errors", List.of(new FieldError("decision", "review.error.conflict")));
            model.addAttribute("review", reviews.get(user, publicId));
            model.addAttribute("form", form);
            return "identity/review";
        }
        redirect.addFlashAttribute("decided", form.decision());
        return "redirect:/identity-reviews";
    }
}
