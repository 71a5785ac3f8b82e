package org.sightline.retention;

import jakarta.servlet.http.HttpSession;
import java.util.List;
import java.util.UUID;
import org.sightline.access.Roles;
import org.sightline.access.SightlineUser;
import org.sightline.audit.AuditEntry;
import org.sightline.audit.AuditLog;
import org.sightline.shared.InvalidRequestException;
import org.sightline.shared.NotFoundException;
import org.sightline.shared.Violation;
import org.sightline.web.FieldError;
import org.sightline.web.Pagination;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * Administrators' retention pages: what is due for review (counts by type and agency, then the list, paged), one
 * record's review with "reviewed, keep until" or "erase", and erasure confirmed on a check-your-answers page. Pages
 * name records by type, agency and public id only: an administrator decides from dates, not from a child's details.
 */
@Controller
class RetentionController {

    private static final String DRAFT = "sightline.retention.erase";

    private final RetentionDue due;
    private final RetentionActions actions;
    private final RetentionProperties settings;
    private final AuditLog audit;

    RetentionController(RetentionDue due, RetentionActions actions, RetentionProperties settings, AuditLog audit) {
        this.due = due;
        this.actions = actions;
        this.settings = settings;
        this.audit = audit;
    }

    record KeepForm(String keepDay, String keepMonth, String keepYear, String reason) {
        static final KeepForm EMPTY = new KeepForm(null, null, null, null);

        String keepUntil() {
            if (blank(keepDay) && blank(keepMonth) && blank(keepYear)) {
                return null;
            }
            return String.format("%s-%s-%s", pad(keepYear, 4), pad(keepMonth, 2), pad(keepDay, 2));
        }

        private static boolean blank(String s) {
            return s == null || s.isBlank();
        }

        private static String pad(String s, int width) {
            String v = s == null ? "" : s.strip();
            return v.length() < width && v.chars().allMatch(Character::isDigit) && !v.isEmpty()
                    ? "0".repeat(width - v.length()) + v
                    : v;
        }
    }

    /** An erasure waiting for its confirmation (in the session). */
    record EraseDraft(RecordType type, UUID publicId, String reason) implements java.io.Serializable {}

    @GetMapping("/admin/retention")
    @PreAuthorize(Roles.ADMINISTRATION)
    @Transactional
    String list(
            @AuthenticationPrincipal SightlineUser admin,
            @RequestParam(required = false) String type,
            @RequestParam(required = false) String agency,
            @RequestParam(defaultValue = "1") int page,
            Model model) {
        RecordType chosen = type == null || type.isBlank()
                ? null
                : RecordType.fromCode(type.strip()).orElse(null);
        String agencyCode = agency == null || agency.isBlank() ? null : agency.strip();
        var today = actions.today();
        List<RetentionDue.Count> counts = due.counts(today);
        RetentionDue.Page rows = due.page(today, chosen, agencyCode, page, settings.pageSize(), counts);
        audit.record(AuditEntry.of(admin.username(), admin.agencyCode(), "RETENTION_LIST", "retention", null)
                .withDetails("type=" + (chosen == null ? "" : chosen.code()) + ";agency="
                        + (agencyCode == null ? "" : agencyCode) + ";page=" + rows.page()));
        model.addAttribute("today", today);
        model.addAttribute("counts", counts);
        model.addAttribute(
                "total", counts.stream().mapToLong(RetentionDue.Count::count).sum());
        model.addAttribute("types", RecordType.values());
        model.addAttribute(
                "agencies",
                counts.stream()
                        .map(c -> new String[] {c.agencyCode(), c.agencyName()})
                        .collect(java.util.stream.Collectors.toMap(
                                a -> a[0], a -> a[1], (x, y) -> x, java.util.TreeMap::new)));
        model.addAttribute("type", chosen == null ? "" : chosen.code());
        model.addAttribute("agency", agencyCode == null ? "" : agencyCode);
        model.addAttribute("rows", rows);
        model.addAttribute(
                "pagination",
                Pagination.of(
                        rows.page(),
                        rows.pages(),
                        "/admin/retention",
                        "type",
                        chosen == null ? null : chosen.code(),
                        "agency",
                        agencyCode));
        return "retention/list";
    }

    @GetMapping("/admin/retention/{type}/{publicId}")
    @PreAuthorize(Roles.ADMINISTRATION)
    String record(
            @AuthenticationPrincipal SightlineUser admin,
            @PathVariable String type,
            @PathVariable UUID publicId,
            HttpSession session,
            Model model) {
        RecordType t = type(type);
        String reason = session.getAttribute(DRAFT) instanceof EraseDraft d
                        && d.publicId().equals(publicId)
                ? d.reason()
                : null;
        return page(actions.find(admin, t, publicId), KeepForm.EMPTY, reason, List.of(), model);
    }

    @PostMapping("/admin/retention/{type}/{publicId}/keep")
    @PreAuthorize(Roles.ADMINISTRATION)
    String keep(
            @AuthenticationPrincipal SightlineUser admin,
            @PathVariable String type,
            @PathVariable UUID publicId,
            KeepForm form,
            Model model,
            RedirectAttributes redirect) {
        RecordType t = type(type);
        try {
            actions.keep(admin, t, publicId, form.keepUntil(), form.reason());
        } catch (InvalidRequestException e) {
            return page(actions.find(admin, t, publicId), form, null, errors(e.violations(), "keep"), model);
        }
        redirect.addFlashAttribute("kept", publicId.toString());
        return "redirect:/admin/retention";
    }

    @PostMapping("/admin/retention/{type}/{publicId}/erase")
    @PreAuthorize(Roles.ADMINISTRATION)
    String erase(
            @AuthenticationPrincipal SightlineUser admin,
            @PathVariable String type,
            @PathVariable UUID publicId,
            @RequestParam(required = false) String eraseReason,
            HttpSession session,
            Model model) {
        RecordType t = type(type);
        List<Violation> broken = RetentionActions.checkReason(eraseReason);
        if (!broken.isEmpty()) {
            return page(actions.find(admin, t, publicId), KeepForm.EMPTY, eraseReason, errors(broken, "erase"), model);
        }
        session.setAttribute(DRAFT, new EraseDraft(t, publicId, eraseReason.strip()));
        return "redirect:/admin/retention/" + t.code() + "/" + publicId + "/erase/check";
    }

    @GetMapping("/admin/retention/{type}/{publicId}/erase/check")
    @PreAuthorize(Roles.ADMINISTRATION)
    String check(
            @AuthenticationPrincipal SightlineUser admin,
            @PathVariable String type,
            @PathVariable UUID publicId,
            HttpSession session,
            Model model) {
        RecordType t = type(type);
        if (!(session.getAttribute(DRAFT) instanceof EraseDraft draft)
                || !draft.publicId().equals(publicId)) {
            return "redirect:/admin/retention/" + t.code() + "/" + publicId;
        }
        model.addAttribute("record", actions.find(admin, t, publicId));
        model.addAttribute("draft", draft);
        return "retention/erase-check";
    }

    @PostMapping("/admin/retention/{type}/{publicId}/erase/check")
    @PreAuthorize(Roles.ADMINISTRATION)
    String confirm(
            @AuthenticationPrincipal SightlineUser admin,
            @PathVariable String type,
            @PathVariable UUID publicId,
            HttpSession session,
            RedirectAttributes redirect) {
        RecordType t = type(type);
        if (!(session.getAttribute(DRAFT) instanceof EraseDraft draft)
                || !draft.publicId().equals(publicId)) {
            return "redirect:/admin/retention/" + t.code() + "/" + publicId;
        }
        RetentionActions.Erased erased = actions.erase(admin, t, publicId, draft.reason());
        session.removeAttribute(DRAFT);
        redirect.addFlashAttribute("erased", erased);
        return "redirect:/admin/retention";
    }

    private static RecordType type(String code) {
        return RecordType.fromCode(code).orElseThrow(() -> new NotFoundException("No such record type"));
    }

    private String page(
            RetentionDue.Due record, KeepForm form, String eraseReason, List<FieldError> errors, Model model) {
        model.addAttribute("record", record);
        model.addAttribute("form", form);
        model.addAttribute("eraseReason", eraseReason);
        model.addAttribute("errors", errors);
        model.addAttribute("today", actions.today());
        return "retention/record";
    }

    /** Field ids on the page: the keep form's date is its day box, the erase form's reason is eraseReason. */
    private static List<FieldError> errors(List<Violation> broken, String form) {
        return broken.stream()
                .map(v -> {
                    String field =
                            "erase".equals(form) ? "eraseReason" : "keepUntil".equals(v.field()) ? "keepDay" : "reason";
                    return new FieldError(field, "retention.error." + form + "." + v.field() + "." + v.rule());
                })
                .toList();
    }
}
