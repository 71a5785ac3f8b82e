package org.sightline.concern;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
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

/**
 * The screening form: one page per instrument section, then check your answers with the score, the band and its
 * breakdown, where the screener may override the band with a reason and set the reassessment date.
 */
@Controller
class ScreeningController {

    /** Checkbox names are {@code a_<itemId>}, values the window ids. */
    private static final String ANSWER_PREFIX = "a_";

    private final ConcernService concerns;
    private final ScreeningInstruments instruments;

    ScreeningController(ConcernService concerns, ScreeningInstruments instruments) {
        this.concerns = concerns;
        this.instruments = instruments;
    }

    private ConcernForms.ScreeningDraft draft(HttpSession session, UUID id) {
        return (ConcernForms.ScreeningDraft) session.getAttribute(ConcernForms.ScreeningDraft.key(id));
    }

    @GetMapping("/concerns/{id}/screening")
    @PreAuthorize(Roles.SCREENING)
    String start(@AuthenticationPrincipal SightlineUser user, @PathVariable UUID id, HttpSession session) {
        var concern = concerns.view(user, id);
        if (!ConcernStatus.of(concern.status()).allows(ConcernStatus.Action.SCREEN)) {
            return "redirect:/concerns/" + id;
        }
        ScreeningInstrument instrument =
                instruments.latest(ScreeningInstruments.DEFAULT_CODE).orElseThrow();
        var draft = new ConcernForms.ScreeningDraft(instrument.code(), instrument.version());
        draft.answers.putAll(fromIndicators(
                instrument,
                concern.indicators(),
                concern.raised().earliest(),
                concern.raised().latest(),
                concerns.today()));
        draft.prefilled.addAll(draft.answers.keySet());
        session.setAttribute(ConcernForms.ScreeningDraft.key(id), draft);
        return "redirect:/concerns/" + id + "/screening/"
                + instrument.sections().get(0).id();
    }

    /**
     * The screening's answers implied by the indicators ticked when the concern was raised (same codes as the
     * instrument's items), for the user to check and change: dated by when the concern was raised, so an
     * indicator from 6 to 12 months ago counts in that period only, and older ones are not carried over.
     */
    static java.util.Map<String, Set<String>> fromIndicators(
            ScreeningInstrument instrument,
            java.util.List<String> indicators,
            java.time.LocalDate raisedOn,
            java.time.LocalDate today) {
        return fromIndicators(instrument, indicators, raisedOn, raisedOn, today);
    }

    /**
     * As above for a concern whose date is known only as a period (a month, a year: earliest to latest day): its
     * indicators count in a period only when the whole of it lies there; with no date known, none is pre-ticked.
     */
    static java.util.Map<String, Set<String>> fromIndicators(
            ScreeningInstrument instrument,
            java.util.List<String> indicators,
            java.time.LocalDate earliest,
            java.time.LocalDate latest,
            java.time.LocalDate today) {
        java.util.Map<String, Set<String>> answers = new java.util.LinkedHashMap<>();
        if (earliest == null || latest == null) {
            return answers;
        }
        boolean recent = !earliest.isBefore(today.minusMonths(6));
        boolean withinYear = !earliest.isBefore(today.minusMonths(12)) && latest.isBefore(today.minusMonths(6));
        for (String code : indicators) {
            instrument.sectionOf(code).ifPresent(section -> {
                java.util.Optional<ScreeningInstrument.Window> window = recent
                        ? section.window("last_6_months").or(() -> section.window("present"))
                        : withinYear ? section.window("months_6_to_12") : java.util.Optional.empty();
                window.ifPresent(w -> answers.put(code, new LinkedHashSet<>(Set.of(w.id()))));
            });
        }
        return answers;
    }

    @GetMapping("/concerns/{id}/screening/{sectionId}")
    @PreAuthorize(Roles.SCREENING)
    String section(
            @AuthenticationPrincipal SightlineUser user,
            @PathVariable UUID id,
            @PathVariable String sectionId,
            HttpSession session,
            Model model) {
        var draft = draft(session, id);
        if (draft == null) {
            return "redirect:/concerns/" + id + "/screening";
        }
        ScreeningInstrument instrument = instruments.require(draft.instrumentCode, draft.instrumentVersion);
        var section = instrument.section(sectionId);
        if (section.isEmpty()) {
            return "redirect:/concerns/" + id + "/screening";
        }
        model.addAttribute("concern", concerns.view(user, id));
        model.addAttribute("instrument", instrument);
        model.addAttribute("section", section.get());
        model.addAttribute("sectionNumber", instrument.sections().indexOf(section.get()) + 1);
        model.addAttribute("answers", draft.answers);
        model.addAttribute("prefilled", section.get().items().stream().anyMatch(i -> draft.prefilled.contains(i.id())));
        return "concern/screening-section";
    }

    @PostMapping("/concerns/{id}/screening/{sectionId}")
    @PreAuthorize(Roles.SCREENING)
    String saveSection(
            @PathVariable UUID id, @PathVariable String sectionId, HttpServletRequest request, HttpSession session) {
        var draft = draft(session, id);
        if (draft == null) {
            return "redirect:/concerns/" + id + "/screening";
        }
        ScreeningInstrument instrument = instruments.require(draft.instrumentCode, draft.instrumentVersion);
        var section = instrument.section(sectionId).orElse(null);
        if (section == null) {
            return "redirect:/concerns/" + id + "/screening";
        }
        for (ScreeningInstrument.Item item : section.items()) {
            String[] values = request.getParameterValues(ANSWER_PREFIX + item.id());
            Set<String> windows = new LinkedHashSet<>();
            if (values != null) {
                for (String v : values) {
                    if (section.window(v).isPresent()) {
                        windows.add(v);
                    }
                }
            }
            if (windows.isEmpty()) {
                draft.answers.remove(item.id());
            } else {
                draft.answers.put(item.id(), windows);
            }
        }
        draft.seen.add(sectionId);
        session.setAttribute(ConcernForms.ScreeningDraft.key(id), draft);
        int index = instrument.sections().indexOf(section);
        boolean allSeen = instrument.sections().stream().allMatch(s -> draft.seen.contains(s.id()));
        if (index + 1 < instrument.sections().size() && !allSeen) {
            return "redirect:/concerns/" + id + "/screening/"
                    + instrument.sections().get(index + 1).id();
        }
        return "redirect:/concerns/" + id + "/screening-check";
    }

    @GetMapping("/concerns/{id}/screening-check")
    @PreAuthorize(Roles.SCREENING)
    String check(@AuthenticationPrincipal SightlineUser user, @PathVariable UUID id, HttpSession session, Model model) {
        var draft = draft(session, id);
        if (draft == null) {
            return "redirect:/concerns/" + id + "/screening";
        }
        checkModel(user, id, draft, model);
        return "concern/screening-check";
    }

    private void checkModel(SightlineUser user, UUID id, ConcernForms.ScreeningDraft draft, Model model) {
        ScreeningInstrument instrument = instruments.require(draft.instrumentCode, draft.instrumentVersion);
        model.addAttribute("concern", concerns.view(user, id));
        model.addAttribute("instrument", instrument);
        model.addAttribute("answers", draft.answers);
        model.addAttribute("result", concerns.preview(user, id, instrument, draft.answers));
        LocalDate reassess = concerns.defaultReassessBy(instrument);
        model.addAttribute("defaultReassessBy", reassess);
    }

    @PostMapping("/concerns/{id}/screening-check")
    @PreAuthorize(Roles.SCREENING)
    String save(
            @AuthenticationPrincipal SightlineUser user,
            @PathVariable UUID id,
            HttpSession session,
            @RequestParam(required = false) String overrideBand,
            @RequestParam(required = false) String overrideReason,
            @RequestParam(required = false) String reassessDay,
            @RequestParam(required = false) String reassessMonth,
            @RequestParam(required = false) String reassessYear,
            Model model,
            RedirectAttributes redirect) {
        var draft = draft(session, id);
        if (draft == null) {
            return "redirect:/concerns/" + id + "/screening";
        }
        List<FieldError> errors = new ArrayList<>();
        LocalDate reassessBy = null;
        boolean anyDatePart = !ConcernService.blank(reassessDay)
                || !ConcernService.blank(reassessMonth)
                || !ConcernService.blank(reassessYear);
        if (anyDatePart) {
            try {
                reassessBy = LocalDate.of(
                        Integer.parseInt(reassessYear.strip()),
                        Integer.parseInt(reassessMonth.strip()),
                        Integer.parseInt(reassessDay.strip()));
            } catch (NumberFormatException | NullPointerException | DateTimeException e) {
                errors.add(new FieldError("reassessDay", "concern.error.reassessBy.real"));
            }
        }
        String band = "none".equals(overrideBand) ? null : overrideBand;
        Map<String, List<String>> answers = draft.answers.entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> List.copyOf(e.getValue())));
        var request = new ConcernRequests.Screen(
                draft.instrumentCode, draft.instrumentVersion, answers, band, overrideReason, reassessBy);
        if (errors.isEmpty()) {
            try {
                concerns.screen(user, id, request);
                session.removeAttribute(ConcernForms.ScreeningDraft.key(id));
                redirect.addFlashAttribute("banner", "concern.banner.screened");
                return "redirect:/concerns/" + id;
            } catch (InvalidRequestException e) {
                errors.addAll(ConcernForms.errors(e.violations()).stream()
                        .map(f -> f.field().equals("reassessBy") ? new FieldError("reassessDay", f.messageKey()) : f)
                        .toList());
            } catch (ConflictException e) {
                errors.add(new FieldError("overrideBand", "concern.error.conflict." + e.rule()));
            }
        }
        checkModel(user, id, draft, model);
        model.addAttribute("overrideBand", overrideBand);
        model.addAttribute("overrideReason", overrideReason);
        model.addAttribute("reassessDay", reassessDay);
        model.addAttribute("reassessMonth", reassessMonth);
        model.addAttribute("reassessYear", reassessYear);
        model.addAttribute("errors", errors);
        return "concern/screening-check";
    }
}
