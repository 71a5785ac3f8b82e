package org.sightline.intake;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import org.sightline.access.Roles;
import org.sightline.access.SightlineUser;
import org.sightline.network.NetworkService;
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

/**
 * The episode page (status, 72-hour clock, timeline, next steps) and one form per step. Each form carries the
 * version the page showed; a stale version or a step that no longer follows is shown in the error summary.
 */
@Controller
class EpisodeController {

    private final EpisodeService episodes;
    private final IntakeForms forms;

    EpisodeController(EpisodeService episodes, IntakeForms forms) {
        this.episodes = episodes;
        this.forms = forms;
    }

    @GetMapping("/episodes/{id}")
    @PreAuthorize(Roles.CASEWORK)
    String episode(@AuthenticationPrincipal SightlineUser user, @PathVariable UUID id, Model model) {
        model.addAttribute("episode", episodes.view(user, id));
        return "intake/episode";
    }

    // ------------------------------------------------------------ grade

    record GradeForm(String version, String grade, String rationale) {}

    @GetMapping("/episodes/{id}/grade")
    @PreAuthorize(Roles.POLICE)
    String gradeForm(@AuthenticationPrincipal SightlineUser user, @PathVariable UUID id, Model model) {
        EpisodeView e = episodes.view(user, id);
        return gradePage(e, new GradeForm(String.valueOf(e.version()), null, null), List.of(), model);
    }

    @PostMapping("/episodes/{id}/grade")
    @PreAuthorize(Roles.POLICE)
    String grade(
            @AuthenticationPrincipal SightlineUser user,
            @PathVariable UUID id,
            GradeForm form,
            Model model,
            RedirectAttributes flash) {
        return submit(
                user,
                id,
                flash,
                new ArrayList<>(),
                errors -> episodes.grade(
                        user, id, new EpisodeRequests.Grade(version(form.version()), form.grade(), form.rationale())),
                errors -> gradePage(episodes.view(user, id), form, errors, model),
                "intake.done.grade");
    }

    private String gradePage(EpisodeView e, GradeForm form, List<FieldError> errors, Model model) {
        model.addAttribute("episode", e);
        model.addAttribute("form", form);
        model.addAttribute("grades", episodes.gradesValidOn(episodes.today()));
        model.addAttribute("errors", errors);
        return "intake/grade";
    }

    // ------------------------------------------------------------ found

    record FoundForm(
            String version,
            String foundAtDay,
            String foundAtMonth,
            String foundAtYear,
            String foundAtTime,
            String foundPlace,
            String foundPostcode,
            String foundBy,
            String placeChoice,
            String checked) {

        /** The typed place the known places were offered for; offered again when the user changes it. */
        String typedPlace() {
            return strip(foundPlace) + "|" + strip(foundPostcode);
        }

        FoundForm checkedNow() {
            return new FoundForm(
                    version,
                    foundAtDay,
                    foundAtMonth,
                    foundAtYear,
                    foundAtTime,
                    foundPlace,
                    foundPostcode,
                    foundBy,
                    placeChoice,
                    typedPlace());
        }

        private static String strip(String s) {
            return s == null ? "" : s.strip();
        }
    }

    @GetMapping("/episodes/{id}/found")
    @PreAuthorize(Roles.POLICE)
    String foundForm(@AuthenticationPrincipal SightlineUser user, @PathVariable UUID id, Model model) {
        EpisodeView e = episodes.view(user, id);
        return page(
                "intake/found",
                e,
                new FoundForm(String.valueOf(e.version()), null, null, null, null, null, null, null, null, null),
                List.of(),
                model);
    }

    @PostMapping("/episodes/{id}/found")
    @PreAuthorize(Roles.POLICE)
    String found(
            @AuthenticationPrincipal SightlineUser user,
            @PathVariable UUID id,
            FoundForm form,
            Model model,
            RedirectAttributes flash) {
        List<FieldError> errors = new ArrayList<>();
        Instant at = IntakeForms.dateTime(
                "foundAt",
                form.foundAtDay(),
                form.foundAtMonth(),
                form.foundAtYear(),
                form.foundAtTime(),
                true,
                errors);
        // At report time: before a place is recorded, the known places it may be are offered (a step of its own,
        // so it works without JavaScript); the user picks one or says none of these.
        List<NetworkService.PlaceSuggestion> suggestions = List.of();
        UUID knownPlace = null;
        if (errors.isEmpty() && episodes.view(user, id).allows(EpisodeAction.RECORD_FOUND.code())) {
            suggestions = episodes.foundPlaceSuggestions(user, form.foundPlace(), form.foundPostcode());
        }
        FoundForm shown = form;
        if (!suggestions.isEmpty()) {
            String choice = form.placeChoice() == null ? "" : form.placeChoice().strip();
            if (!form.typedPlace().equals(form.checked())) {
                model.addAttribute("suggestions", suggestions);
                return page("intake/found", episodes.view(user, id), form.checkedNow(), List.of(), model);
            }
            if (choice.isEmpty()) {
                errors.add(new FieldError("placeChoice", "network.error.placeChoice.required"));
            } else if (!choice.equals("new")) {
                knownPlace = suggestions.stream()
                        .map(NetworkService.PlaceSuggestion::id)
                        .filter(p -> p.toString().equals(choice))
                        .findFirst()
                        .orElse(null);
                if (knownPlace == null) {
                    errors.add(new FieldError("placeChoice", "network.error.placeChoice.required"));
                }
            }
            model.addAttribute("suggestions", suggestions);
            shown = form.checkedNow();
            if (!errors.isEmpty()) {
                return page("intake/found", episodes.view(user, id), shown, errors, model);
            }
        }
        UUID chosen = knownPlace;
        FoundForm again = shown;
        return submit(
                user,
                id,
                flash,
                errors,
                x -> episodes.found(
                        user,
                        id,
                        new EpisodeRequests.Found(
                                version(form.version()), at, form.foundPlace(), form.foundPostcode(), form.foundBy()),
                        chosen),
                x -> page("intake/found", episodes.view(user, id), again, x, model),
                "intake.done.found");
    }

    // ------------------------------------------------------------ safe and well

    record SafeAndWellForm(
            String version,
            String checkedAtDay,
            String checkedAtMonth,
            String checkedAtYear,
            String checkedAtTime,
            String checkedBy,
            String notes) {}

    @GetMapping("/episodes/{id}/safe-and-well")
    @PreAuthorize(Roles.POLICE)
    String safeAndWellForm(@AuthenticationPrincipal SightlineUser user, @PathVariable UUID id, Model model) {
        EpisodeView e = episodes.view(user, id);
        return page(
                "intake/safe-and-well",
                e,
                new SafeAndWellForm(String.valueOf(e.version()), null, null, null, null, user.displayName(), null),
                List.of(),
                model);
    }

    @PostMapping("/episodes/{id}/safe-and-well")
    @PreAuthorize(Roles.POLICE)
    String safeAndWell(
            @AuthenticationPrincipal SightlineUser user,
            @PathVariable UUID id,
            SafeAndWellForm form,
            Model model,
            RedirectAttributes flash) {
        List<FieldError> errors = new ArrayList<>();
        Instant at = IntakeForms.dateTime(
                "checkedAt",
                form.checkedAtDay(),
                form.checkedAtMonth(),
                form.checkedAtYear(),
                form.checkedAtTime(),
                true,
                errors);
        return submit(
                user,
                id,
                flash,
                errors,
                x -> episodes.safeAndWell(
                        user,
                        id,
                        new EpisodeRequests.SafeAndWell(version(form.version()), at, form.checkedBy(), form.notes())),
                x -> page("intake/safe-and-well", episodes.view(user, id), form, x, model),
                "intake.done.safeAndWell");
    }

    // ------------------------------------------------------------ return interview

    record ReturnInterviewForm(
            String version, String outcome, String atDay, String atMonth, String atYear, String atTime, String notes) {}

    @GetMapping("/episodes/{id}/return-interview")
    @PreAuthorize(Roles.RETURN_INTERVIEW)
    String returnInterviewForm(@AuthenticationPrincipal SightlineUser user, @PathVariable UUID id, Model model) {
        EpisodeView e = episodes.view(user, id);
        return page(
                "intake/return-interview",
                e,
                new ReturnInterviewForm(String.valueOf(e.version()), null, null, null, null, null, null),
                List.of(),
                model);
    }

    @PostMapping("/episodes/{id}/return-interview")
    @PreAuthorize(Roles.RETURN_INTERVIEW)
    String returnInterview(
            @AuthenticationPrincipal SightlineUser user,
            @PathVariable UUID id,
            ReturnInterviewForm form,
            Model model,
            RedirectAttributes flash) {
        List<FieldError> errors = new ArrayList<>();
        Instant at =
                IntakeForms.dateTime("at", form.atDay(), form.atMonth(), form.atYear(), form.atTime(), true, errors);
        return submit(
                user,
                id,
                flash,
                errors,
                x -> episodes.returnInterview(
                        user,
                        id,
                        new EpisodeRequests.ReturnInterview(version(form.version()), form.outcome(), at, form.notes())),
                x -> page("intake/return-interview", episodes.view(user, id), form, x, model),
                "intake.done.returnInterview");
    }

    // ------------------------------------------------------------ close

    record CloseForm(String version, String notes) {}

    @GetMapping("/episodes/{id}/close")
    @PreAuthorize(Roles.CASEWORK)
    String closeForm(@AuthenticationPrincipal SightlineUser user, @PathVariable UUID id, Model model) {
        EpisodeView e = episodes.view(user, id);
        return page("intake/close", e, new CloseForm(String.valueOf(e.version()), null), List.of(), model);
    }

    @PostMapping("/episodes/{id}/close")
    @PreAuthorize(Roles.CASEWORK)
    String close(
            @AuthenticationPrincipal SightlineUser user,
            @PathVariable UUID id,
            CloseForm form,
            Model model,
            RedirectAttributes flash) {
        return submit(
                user,
                id,
                flash,
                new ArrayList<>(),
                x -> episodes.close(user, id, new EpisodeRequests.Close(version(form.version()), form.notes())),
                x -> page("intake/close", episodes.view(user, id), form, x, model),
                "intake.done.close");
    }

    // ------------------------------------------------------------ shared

    private static String page(String template, EpisodeView e, Object form, List<FieldError> errors, Model model) {
        model.addAttribute("episode", e);
        model.addAttribute("form", form);
        model.addAttribute("errors", errors);
        return template;
    }

    /**
     * Runs the step; on success back to the episode page with a banner, otherwise the form again with every error:
     * entry errors, the service's rule violations, a stale version or an illegal step.
     */
    private String submit(
            SightlineUser user,
            UUID id,
            RedirectAttributes flash,
            List<FieldError> errors,
            Function<List<FieldError>, EpisodeView> step,
            Function<List<FieldError>, String> again,
            String doneKey) {
        try {
            step.apply(errors);
            if (errors.isEmpty()) {
                flash.addFlashAttribute("done", doneKey);
                return "redirect:/episodes/" + id;
            }
        } catch (InvalidRequestException e) {
            // Fields with an entry error already say so; the service's "required" for them adds nothing.
            forms.addViolations(e, f -> true, errors);
        } catch (EpisodeLifecycle.IllegalStep e) {
            errors.add(new FieldError("episode-status", e.messageKey()));
        } catch (ConflictException e) {
            errors.add(new FieldError(
                    "episode-status",
                    "stale-version".equals(e.rule()) ? "intake.error.staleVersion" : "intake.error.illegalTransition"));
        }
        return again.apply(IntakeForms.inPageOrder(errors, PAGE_ORDER));
    }

    /** Every field of the step forms in page order (each form uses a subset). */
    private static final List<String> PAGE_ORDER = List.of(
            "episode-status",
            "grade",
            "rationale",
            "foundAtDay",
            "foundPlace",
            "foundPostcode",
            "placeChoice",
            "foundBy",
            "checkedAtDay",
            "checkedBy",
            "outcome",
            "atDay",
            "notes");

    private static Integer version(String v) {
        try {
            return v == null ? null : Integer.valueOf(v.strip());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
