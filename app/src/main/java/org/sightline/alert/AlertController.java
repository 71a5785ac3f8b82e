package org.sightline.alert;

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
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** The agency's alert inbox and one alert's page with its actions; plain forms, no JavaScript needed. */
@Controller
class AlertController {

    private final AlertInbox inbox;
    private final MeetingList meetings;

    AlertController(AlertInbox inbox, MeetingList meetings) {
        this.inbox = inbox;
        this.meetings = meetings;
    }

    /** The meeting list's filters as typed; dates are checked here so a bad one is named, never a 500. */
    record MeetingFilter(String from, String to, String area) {}

    @GetMapping("/alerts/meeting")
    @PreAuthorize(Roles.CASEWORK)
    String meeting(@AuthenticationPrincipal SightlineUser user, MeetingFilter filter, Model model) {
        List<FieldError> errors = new java.util.ArrayList<>();
        java.time.LocalDate from = date(filter.from(), "from", errors);
        java.time.LocalDate to = date(filter.to(), "to", errors);
        if (from != null && to != null && from.isAfter(to)) {
            errors.add(new FieldError("to", "meeting.error.to.beforeFrom"));
        }
        model.addAttribute("filter", filter);
        model.addAttribute("errors", errors);
        model.addAttribute(
                "meeting",
                errors.isEmpty()
                        ? meetings.forUser(user, from, to, filter.area())
                        : meetings.forUser(user, null, null, filter.area()));
        return "alerts/meeting";
    }

    @GetMapping(value = "/alerts/meeting.csv", produces = "text/csv")
    @PreAuthorize(Roles.CASEWORK)
    org.springframework.http.ResponseEntity<String> meetingCsv(
            @AuthenticationPrincipal SightlineUser user, MeetingFilter filter) {
        List<FieldError> errors = new java.util.ArrayList<>();
        java.time.LocalDate from = date(filter.from(), "from", errors);
        java.time.LocalDate to = date(filter.to(), "to", errors);
        if (!errors.isEmpty()) {
            throw new InvalidRequestException(errors.get(0).field(), "date", "must be a date as yyyy-mm-dd");
        }
        return org.springframework.http.ResponseEntity.ok()
                .header(
                        org.springframework.http.HttpHeaders.CONTENT_DISPOSITION,
                        "attachment; filename=\"meeting-list.csv\"")
                .contentType(
                        new org.springframework.http.MediaType("text", "csv", java.nio.charset.StandardCharsets.UTF_8))
                .body(meetings.exportCsv(user, from, to, filter.area()));
    }

    private static java.time.LocalDate date(String value, String field, List<FieldError> errors) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return java.time.LocalDate.parse(value.strip());
        } catch (java.time.format.DateTimeParseException e) {
            errors.add(new FieldError(field, "meeting.error." + field + ".date"));
            return null;
        }
    }

    record ActionForm(Integer version, String note, String reason, String text) {}

    @GetMapping("/alerts")
    @PreAuthorize(Roles.CASEWORK)
    String list(
            @AuthenticationPrincipal SightlineUser user,
            @RequestParam(required = false) String state,
            @RequestParam(required = false) String rule,
            Model model) {
        model.addAttribute("inbox", inbox.list(user, state, rule));
        model.addAttribute("state", AlertInbox.knownState(state));
        model.addAttribute("rule", AlertInbox.knownRule(rule));
        model.addAttribute("states", AlertInbox.STATES);
        model.addAttribute("rules", Rules.ALL.stream().map(Rule::code).toList());
        return "alerts/list";
    }

    @GetMapping("/alerts/{id}")
    @PreAuthorize(Roles.CASEWORK)
    String view(@AuthenticationPrincipal SightlineUser user, @PathVariable UUID id, Model model) {
        return page(user, id, new ActionForm(null, null, null, null), model);
    }

    @PostMapping("/alerts/{id}/acknowledge")
    @PreAuthorize(Roles.CASEWORK)
    String acknowledge(
            @AuthenticationPrincipal SightlineUser user,
            @PathVariable UUID id,
            ActionForm form,
            Model model,
            RedirectAttributes redirect) {
        return change(
                user, id, form, model, redirect, "acknowledged", () -> inbox.acknowledge(user, id, form.version()));
    }

    @PostMapping("/alerts/{id}/action")
    @PreAuthorize(Roles.CASEWORK)
    String action(
            @AuthenticationPrincipal SightlineUser user,
            @PathVariable UUID id,
            ActionForm form,
            Model model,
            RedirectAttributes redirect) {
        return change(
                user, id, form, model, redirect, "actioned", () -> inbox.action(user, id, form.version(), form.note()));
    }

    @PostMapping("/alerts/{id}/dismiss")
    @PreAuthorize(Roles.CASEWORK)
    String dismiss(
            @AuthenticationPrincipal SightlineUser user,
            @PathVariable UUID id,
            ActionForm form,
            Model model,
            RedirectAttributes redirect) {
        return change(
                user,
                id,
                form,
                model,
                redirect,
                "dismissed",
                () -> inbox.dismiss(user, id, form.version(), form.reason(), form.text()));
    }

    private String change(
            SightlineUser user,
            UUID id,
            ActionForm form,
            Model model,
            RedirectAttributes redirect,
            String to,
            Runnable step) {
        try {
            step.run();
        } catch (InvalidRequestException e) {
            model.addAttribute(
                    "errors",
                    e.violations().stream()
                            .map(v -> new FieldError(v.field(), "alert.error." + v.field() + "." + v.rule()))
                            .toList());
            return page(user, id, form, model);
        } catch (ConflictException e) {
            model.addAttribute(
                    "conflict", "stale-version".equals(e.rule()) ? "alert.error.version" : "alert.error.state");
            return page(user, id, new ActionForm(null, null, null, null), model);
        }
        redirect.addFlashAttribute("done", to);
        return "redirect:/alerts/" + id;
    }

    private String page(SightlineUser user, UUID id, ActionForm form, Model model) {
        model.addAttribute("alert", inbox.view(user, id));
        model.addAttribute("form", form);
        model.addAttribute("dismissReasons", AlertInbox.DISMISS_REASONS);
        if (!model.containsAttribute("errors")) {
            model.addAttribute("errors", List.of());
        }
        return "alerts/detail";
    }
}
