package org.sightline.concern;

import jakarta.servlet.http.HttpSession;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.sightline.access.Roles;
import org.sightline.access.SightlineUser;
import org.sightline.shared.ConflictException;
import org.sightline.shared.InvalidRequestException;
import org.sightline.shared.Violation;
import org.sightline.web.FieldError;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * Raising a concern (question pages → check your answers → confirmation), the concern page and the outcome form.
 * Drafts live in the session, so every step works without JavaScript; every POST redirects.
 */
@Controller
class ConcernController {

    private final ConcernService concerns;
    private final ScreeningInstruments instruments;

    ConcernController(ConcernService concerns, ScreeningInstruments instruments) {
        this.concerns = concerns;
        this.instruments = instruments;
    }

    private static ConcernForms.RaiseDraft draft(HttpSession session, UUID recordId) {
        var draft = (ConcernForms.RaiseDraft) session.getAttribute(ConcernForms.RaiseDraft.key(recordId));
        if (draft == null) {
            draft = new ConcernForms.RaiseDraft();
            session.setAttribute(ConcernForms.RaiseDraft.key(recordId), draft);
        }
        return draft;
    }

    private void raiseModel(SightlineUser user, UUID recordId, Model model) {
        model.addAttribute("recordId", recordId);
        model.addAttribute("childName", concerns.childName(user, recordId));
        model.addAttribute(
                "significant",
                Arrays.stream(CseIndicator.values())
                        .filter(CseIndicator::significant)
                        .toList());
        model.addAttribute(
                "other",
                Arrays.stream(CseIndicator.values())
                        .filter(i -> !i.significant())
                        .toList());
    }

    @GetMapping("/records/{recordId}/concerns/new")
    @PreAuthorize(Roles.CASEWORK)
    String start(@PathVariable UUID recordId, HttpSession session) {
        session.removeAttribute(ConcernForms.RaiseDraft.key(recordId));
        return "redirect:/records/" + recordId + "/concerns/new/indicators";
    }

    @GetMapping("/records/{recordId}/concerns/new/indicators")
    @PreAuthorize(Roles.CASEWORK)
    String indicators(
            @AuthenticationPrincipal SightlineUser user,
            @PathVariable UUID recordId,
            HttpSession session,
            Model model) {
        raiseModel(user, recordId, model);
        model.addAttribute("chosen", draft(session, recordId).indicators);
        return "concern/raise-indicators";
    }

    @PostMapping("/records/{recordId}/concerns/new/indicators")
    @PreAuthorize(Roles.CASEWORK)
    String saveIndicators(
            @AuthenticationPrincipal SightlineUser user,
            @PathVariable UUID recordId,
            @RequestParam(required = false) List<String> indicators,
            HttpSession session,
            Model model) {
        List<String> chosen = indicators == null
                ? List.of()
                : indicators.stream()
                        .filter(i -> CseIndicator.fromCode(i).isPresent())
                        .distinct()
                        .toList();
        var draft = draft(session, recordId);
        draft.indicators = new java.util.ArrayList<>(chosen);
        if (chosen.isEmpty()) {
            raiseModel(user, recordId, model);
            model.addAttribute("chosen", chosen);
            model.addAttribute("errors", List.of(new FieldError("indicators", "concern.error.indicators.required")));
            return "concern/raise-indicators";
        }
        return "redirect:/records/" + recordId + "/concerns/new/" + (draft.summary == null ? "summary" : "check");
    }

    @GetMapping("/records/{recordId}/concerns/new/summary")
    @PreAuthorize(Roles.CASEWORK)
    String summary(
            @AuthenticationPrincipal SightlineUser user,
            @PathVariable UUID recordId,
            HttpSession session,
            Model model) {
        raiseModel(user, recordId, model);
        model.addAttribute("summary", draft(session, recordId).summary);
        return "concern/raise-summary";
    }

    @PostMapping("/records/{recordId}/concerns/new/summary")
    @PreAuthorize(Roles.CASEWORK)
    String saveSummary(
            @AuthenticationPrincipal SightlineUser user,
            @PathVariable UUID recordId,
            @RequestParam(required = false) String summary,
            HttpSession session,
            Model model) {
        var draft = draft(session, recordId);
        draft.summary = summary;
        List<Violation> violations =
                concerns.validateRaise(new ConcernRequests.Raise(recordId, List.of("disclosure"), summary, null));
        if (!violations.isEmpty()) {
            raiseModel(user, recordId, model);
            model.addAttribute("summary", summary);
            model.addAttribute("errors", ConcernForms.errors(violations));
            return "concern/raise-summary";
        }
        return "redirect:/records/" + recordId + "/concerns/new/"
                + (draft.indicators.isEmpty() ? "indicators" : "check");
    }

    @GetMapping("/records/{recordId}/concerns/new/when")
    @PreAuthorize(Roles.CASEWORK)
    String when(
            @AuthenticationPrincipal SightlineUser user,
            @PathVariable UUID recordId,
            HttpSession session,
            Model model) {
        raiseModel(user, recordId, model);
        whenModel(draft(session, recordId), model);
        return "concern/raise-when";
    }

    /** When the concern arose: now, a date known to the day, the month or only the year, or not known. */
    @PostMapping("/records/{recordId}/concerns/new/when")
    @PreAuthorize(Roles.CASEWORK)
    String saveWhen(
            @AuthenticationPrincipal SightlineUser user,
            @PathVariable UUID recordId,
            @RequestParam(required = false) String when,
            @RequestParam(required = false) String day,
            @RequestParam(required = false) String month,
            @RequestParam(required = false) String year,
            HttpSession session,
            Model model) {
        var draft = draft(session, recordId);
        draft.when = when != null && List.of("now", "date", "not_known").contains(when) ? when : "now";
        draft.day = day;
        draft.month = month;
        draft.year = year;
        List<Violation> violations = concerns
                .validateRaise(
                        new ConcernRequests.Raise(recordId, List.of("disclosure"), "when", null, draft.raisedOn()))
                .stream()
                .filter(v -> v.field().equals("raisedOn"))
                .toList();
        if (!violations.isEmpty()) {
            raiseModel(user, recordId, model);
            whenModel(draft, model);
            model.addAttribute("errors", ConcernForms.errors(violations));
            return "concern/raise-when";
        }
        return "redirect:/records/" + recordId + "/concerns/new/check";
    }

    private static void whenModel(ConcernForms.RaiseDraft draft, Model model) {
        model.addAttribute("when", draft.when);
        model.addAttribute("day", draft.day);
        model.addAttribute("month", draft.month);
        model.addAttribute("year", draft.year);
    }

    @GetMapping("/records/{recordId}/concerns/new/check")
    @PreAuthorize(Roles.CASEWORK)
    String check(
            @AuthenticationPrincipal SightlineUser user,
            @PathVariable UUID recordId,
            HttpSession session,
            Model model) {
        var draft = draft(session, recordId);
        if (draft.indicators.isEmpty()) {
            return "redirect:/records/" + recordId + "/concerns/new/indicators";
        }
        if (draft.summary == null) {
            return "redirect:/records/" + recordId + "/concerns/new/summary";
        }
        raiseModel(user, recordId, model);
        model.addAttribute("draftIndicators", List.copyOf(draft.indicators));
        model.addAttribute("draftSummary", draft.summary);
        ConcernDate when;
        try {
            when = draft.raisedOn() == null ? null : ConcernDate.parse(draft.raisedOn());
        } catch (IllegalArgumentException e) {
            return "redirect:/records/" + recordId + "/concerns/new/when";
        }
        model.addAttribute("draftWhen", when);
        return "concern/raise-check";
    }

    @PostMapping("/records/{recordId}/concerns/new/check")
    @PreAuthorize(Roles.CASEWORK)
    String submit(
            @AuthenticationPrincipal SightlineUser user,
            @PathVariable UUID recordId,
            HttpSession session,
            Model model) {
        var draft = draft(session, recordId);
        try {
            UUID id = concerns.raise(
                    user, new ConcernRequests.Raise(recordId, draft.indicators, draft.summary, null, draft.raisedOn()));
            session.removeAttribute(ConcernForms.RaiseDraft.key(recordId));
            return "redirect:/concerns/" + id + "/raised";
        } catch (InvalidRequestException e) {
            raiseModel(user, recordId, model);
            model.addAttribute("draftIndicators", List.copyOf(draft.indicators));
            model.addAttribute("draftSummary", draft.summary);
            model.addAttribute("draftWhen", null);
            model.addAttribute("errors", ConcernForms.errors(e.violations()));
            return "concern/raise-check";
        }
    }

    @GetMapping("/concerns/{id}/raised")
    @PreAuthorize(Roles.CASEWORK)
    String raised(@AuthenticationPrincipal SightlineUser user, @PathVariable UUID id, Model model) {
        model.addAttribute("concern", concerns.view(user, id));
        model.addAttribute("canScreen", user.screensConcerns());
        return "concern/raised";
    }

    @GetMapping("/concerns/{id}")
    @PreAuthorize(Roles.CASEWORK)
    String concern(@AuthenticationPrincipal SightlineUser user, @PathVariable UUID id, Model model) {
        model.addAttribute("concern", concerns.view(user, id));
        model.addAttribute("instruments", instruments);
        model.addAttribute("canScreen", user.screensConcerns());
        return "concern/concern";
    }

    @GetMapping("/concerns/{id}/outcome")
    @PreAuthorize(Roles.SCREENING)
    String outcome(@AuthenticationPrincipal SightlineUser user, @PathVariable UUID id, Model model) {
        var concern = concerns.view(user, id);
        if (!ConcernStatus.of(concern.status()).allows(ConcernStatus.Action.RECORD_OUTCOME)) {
            return "redirect:/concerns/" + id; // the page explains what can be done next
        }
        model.addAttribute("concern", concern);
        model.addAttribute("version", concern.version());
        model.addAttribute("outcomes", ConcernService.OUTCOMES);
        return "concern/outcome";
    }

    @PostMapping("/concerns/{id}/outcome")
    @PreAuthorize(Roles.SCREENING)
    String saveOutcome(
            @AuthenticationPrincipal SightlineUser user,
            @PathVariable UUID id,
            @RequestParam(required = false) String outcome,
            @RequestParam(required = false) String notes,
            @RequestParam(required = false) Integer version,
            Model model,
            RedirectAttributes redirect) {
        List<FieldError> errors;
        try {
            concerns.recordOutcome(user, id, new ConcernRequests.Outcome(outcome, notes, version));
            redirect.addFlashAttribute("banner", "concern.banner.closed");
            return "redirect:/concerns/" + id;
        } catch (InvalidRequestException e) {
            errors = ConcernForms.errors(e.violations());
        } catch (ConflictException e) {
            errors = List.of(new FieldError("outcome", "concern.error.conflict." + e.rule()));
        }
        var concern = concerns.view(user, id);
        model.addAttribute("concern", concern);
        model.addAttribute("version", version == null ? concern.version() : version);
        model.addAttribute("outcomes", ConcernService.OUTCOMES);
        model.addAttribute("chosenOutcome", outcome);
        model.addAttribute("notes", notes);
        model.addAttribute("errors", errors);
        return "concern/outcome";
    }
}
