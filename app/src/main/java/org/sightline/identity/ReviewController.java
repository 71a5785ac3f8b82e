package org.sightline.identity;

import java.util.List;
import java.util.UUID;
import org.sightline.access.Roles;
import org.sightline.access.SightlineUser;
import org.sightline.shared.ConflictException;
import org.sightline.shared.InvalidRequestException;
import org.sightline.web.FieldError;
import org.sightline.web.Pagination;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** Supervisors decide the identity matches the engine was unsure about: a managed queue and one pair at a time. */
@Controller
class ReviewController {

    private final ReviewService reviews;

    ReviewController(ReviewService reviews) {
        this.reviews = reviews;
    }

    /** The queue, filtered by state, other agency, probability band and age, a page at a time (GET: no personal data). */
    @GetMapping("/identity-reviews")
    @PreAuthorize(Roles.SUPERVISION)
    String list(
            @AuthenticationPrincipal SightlineUser user,
            @RequestParam(required = false) String state,
            @RequestParam(required = false) String agency,
            @RequestParam(required = false) String band,
            @RequestParam(required = false) String age,
            @RequestParam(defaultValue = "1") String page,
            Model model) {
        ReviewService.Filter filter = new ReviewService.Filter(state, agency, band, age);
        int pageNumber;
        try {
            pageNumber = Integer.parseInt(page.strip());
        } catch (NumberFormatException e) {
            pageNumber = 1;
        }
        model.addAttribute("filter", filter);
        var result = reviews.list(user, filter, pageNumber);
        model.addAttribute("result", result);
        model.addAttribute(
                "pagination",
                Pagination.of(
                        result.page(),
                        result.pages(),
                        "/identity-reviews",
                        "state",
                        filter.state(),
                        "agency",
                        filter.agency(),
                        "band",
                        filter.band(),
                        "age",
                        filter.age()));
        model.addAttribute("states", ReviewService.Filter.STATES);
        model.addAttribute("bands", ReviewService.Filter.BANDS);
        model.addAttribute("ages", ReviewService.Filter.AGES);
        return "identity/reviews";
    }

    @GetMapping("/identity-reviews/{publicId}")
    @PreAuthorize(Roles.SUPERVISION)
    String show(@AuthenticationPrincipal SightlineUser user, @PathVariable UUID publicId, Model model) {
        model.addAttribute("review", reviews.get(user, publicId));
        model.addAttribute("form", new DecisionForm(null, null, null));
        return "identity/review";
    }

    record DecisionForm(String decision, String rationale, Integer version) {}

    @PostMapping("/identity-reviews/{publicId}")
    @PreAuthorize(Roles.SUPERVISION)
    String decide(
            @AuthenticationPrincipal SightlineUser user,
            @PathVariable UUID publicId,
            DecisionForm form,
            Model model,
            RedirectAttributes redirect) {
        ReviewService.Outcome outcome;
        try {
            outcome = reviews.decide(
                    user, publicId, form.decision(), form.rationale(), form.version() == null ? -1 : form.version());
        } catch (InvalidRequestException e) {
            List<FieldError> errors = e.violations().stream()
                    .map(v -> new FieldError(v.field(), "review.error." + v.field()))
                    .toList();
            model.addAttribute("errors", errors);
            model.addAttribute("review", reviews.get(user, publicId));
            model.addAttribute("form", form);
            return "identity/review";
        } catch (ConflictException e) {
            model.addAttribute(
                    "errors",
                    List.of(new FieldError(
                            "decision",
                            "awaiting-other-agency".equals(e.rule())
                                    ? "review.error.awaitingOtherAgency"
                                    : "review.error.conflict")));
            model.addAttribute("review", reviews.get(user, publicId));
            model.addAttribute("form", form);
            return "identity/review";
        }
        redirect.addFlashAttribute("decided", outcome.name().toLowerCase(java.util.Locale.ROOT));
        return "redirect:/identity-reviews";
    }
}
