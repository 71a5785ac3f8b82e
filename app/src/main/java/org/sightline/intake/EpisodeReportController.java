package org.sightline.intake;

import jakarta.servlet.http.HttpSession;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;
import org.sightline.access.Roles;
import org.sightline.access.SightlineUser;
import org.sightline.person.LikelyChildren;
import org.sightline.person.PartialDate;
import org.sightline.person.PersonRecordService;
import org.sightline.person.PersonRecordView;
import org.sightline.person.SearchCriteria;
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

/**
 * "Report a child missing": who is missing → circumstances → grab profile → check your answers → confirmation.
 * One question page at a time, answers kept in the session ({@link ReportDraft}), POST/redirect/GET throughout.
 */
@Controller
class EpisodeReportController {

    private static final String BASE = "/episodes/new";

    private final EpisodeService episodes;
    private final PersonRecordService records;
    private final IntakeForms forms;
    private final LikelyChildren likely;

    EpisodeReportController(
            EpisodeService episodes, PersonRecordService records, IntakeForms forms, LikelyChildren likely) {
        this.likely = likely;
        this.episodes = episodes;
        this.records = records;
        this.forms = forms;
    }

    /** Start: a fresh draft; from a record page the child is already chosen. */
    @GetMapping(BASE)
    @PreAuthorize(Roles.REPORT_MISSING)
    String start(
            @AuthenticationPrincipal SightlineUser user,
            @RequestParam(required = false) UUID record,
            HttpSession session,
            Model model) {
        ReportDraft draft = new ReportDraft();
        session.setAttribute(ReportDraft.SESSION_KEY, draft);
        if (record != null) {
            return chosen(user, draft, record, model);
        }
        return "redirect:" + BASE + "/child";
    }

    record ChildSearch(String givenName, String familyName, String search) {}

    @GetMapping(BASE + "/child")
    @PreAuthorize(Roles.REPORT_MISSING)
    String child(HttpSession session, Model model) {
        draft(session);
        model.addAttribute("form", new ChildSearch(null, null, null));
        return "intake/report-child";
    }

    /** POSTed so a child's name never travels in a URL. */
    @PostMapping(BASE + "/child/search")
    @PreAuthorize(Roles.REPORT_MISSING)
    String childSearch(
            @AuthenticationPrincipal SightlineUser user, ChildSearch form, HttpSession session, Model model) {
        draft(session);
        model.addAttribute("form", form);
        SearchCriteria criteria = new SearchCriteria(form.givenName(), form.familyName(), PartialDate.unknown());
        if (criteria.isEmpty()) {
            model.addAttribute("errors", List.of(new FieldError("familyName", "intake.error.search.empty")));
        } else {
            model.addAttribute(
                    "likely",
                    likely.find(
                            user,
                            new LikelyChildren.Query(
                                    form.givenName(), form.familyName(), PartialDate.unknown(), null, null)));
            PersonRecordService.SearchResults found = records.search(user, criteria);
            model.addAttribute("results", found.records());
            model.addAttribute("limited", found.limited());
            model.addAttribute("limit", PersonRecordService.SEARCH_LIMIT);
        }
        return "intake/report-child";
    }

    @PostMapping(BASE + "/child")
    @PreAuthorize(Roles.REPORT_MISSING)
    String chooseChild(
            @AuthenticationPrincipal SightlineUser user,
            @RequestParam UUID recordId,
            HttpSession session,
            Model model) {
        return chosen(user, draft(session), recordId, model);
    }

    /** The child is chosen, unless they already have an open episode: then the refusal, with that episode. */
    private String chosen(SightlineUser user, ReportDraft draft, UUID recordId, Model model) {
        var open = episodes.openEpisode(user, recordId);
        if (open.isPresent()) {
            records.view(user, recordId); // scope-checked and audited like a choice; 404 otherwise
            model.addAttribute("form", new ChildSearch(null, null, null));
            model.addAttribute("openEpisode", open.get());
            model.addAttribute("errors", List.of(new FieldError("open-episode", "intake.error.openEpisode")));
            return "intake/report-child";
        }
        choose(user, draft, recordId);
        return next(draft, "/circumstances");
    }

    @GetMapping(BASE + "/new-child")
    @PreAuthorize(Roles.REPORT_MISSING)
    String newChild(HttpSession session, Model model) {
        ReportDraft draft = draft(session);
        model.addAttribute(
                "form",
                draft.newChild == null ? new ReportDraft.NewChild(null, null, null, null, null, null) : draft.newChild);
        return "intake/report-new-child";
    }

    @PostMapping(BASE + "/new-child")
    @PreAuthorize(Roles.REPORT_MISSING)
    String saveNewChild(
            @AuthenticationPrincipal SightlineUser user, ReportDraft.NewChild form, HttpSession session, Model model) {
        ReportDraft draft = draft(session);
        ReportDraft attempt = copy(draft);
        attempt.subjectRecordId = null;
        attempt.newChild = form;
        List<FieldError> errors = IntakeForms.inPageOrder(
                check(user, attempt, f -> f.startsWith("newPerson.")),
                List.of("givenName", "familyName", "dobDay", "sex"));
        if (!errors.isEmpty()) {
            model.addAttribute("form", form);
            model.addAttribute("errors", errors);
            return "intake/report-new-child";
        }
        draft.subjectRecordId = null;
        draft.subjectLabel = null;
        draft.newChild = form;
        return next(draft, "/circumstances");
    }

    @GetMapping(BASE + "/circumstances")
    @PreAuthorize(Roles.REPORT_MISSING)
    String circumstances(@AuthenticationPrincipal SightlineUser user, HttpSession session, Model model) {
        ReportDraft draft = draft(session);
        if (!draft.hasSubject()) {
            return "redirect:" + BASE + "/child";
        }
        model.addAttribute(
                "form",
                draft.circumstances == null
                        ? new ReportDraft.Circumstances(
                                null,
                                null,
                                null,
                                null,
                                null,
                                null,
                                null,
                                null,
                                null,
                                null,
                                null,
                                null,
                                null,
                                defaultMissingFrom(user),
                                null)
                        : draft.circumstances);
        return "intake/report-circumstances";
    }

    @PostMapping(BASE + "/circumstances")
    @PreAuthorize(Roles.REPORT_MISSING)
    String saveCircumstances(
            @AuthenticationPrincipal SightlineUser user,
            ReportDraft.Circumstances form,
            HttpSession session,
            Model model) {
        ReportDraft draft = draft(session);
        ReportDraft attempt = copy(draft);
        attempt.circumstances = form;
        List<FieldError> errors = IntakeForms.inPageOrder(
                check(
                        user,
                        attempt,
                        f -> f.startsWith("reporter")
                                || f.startsWith("lastSeen")
                                || f.equals("reportedAt")
                                || f.equals("missingFrom")
                                || f.equals("category")),
                List.of(
                        "reporterName",
                        "reporterRole",
                        "reporterRelationship",
                        "reportedAtDay",
                        "lastSeenAtDay",
                        "lastSeenPlace",
                        "lastSeenPostcode",
                        "missingFrom",
                        "category"));
        if (!errors.isEmpty()) {
            model.addAttribute("form", form);
            model.addAttribute("errors", errors);
            return "intake/report-circumstances";
        }
        draft.circumstances = form;
        return next(draft, "/grab-profile");
    }

    @GetMapping(BASE + "/grab-profile")
    @PreAuthorize(Roles.REPORT_MISSING)
    String grab(HttpSession session, Model model) {
        ReportDraft draft = draft(session);
        model.addAttribute(
                "form", draft.grab == null ? new ReportDraft.Grab(null, null, null, null, null, null) : draft.grab);
        return "intake/report-grab-profile";
    }

    @PostMapping(BASE + "/grab-profile")
    @PreAuthorize(Roles.REPORT_MISSING)
    String saveGrab(
            @AuthenticationPrincipal SightlineUser user, ReportDraft.Grab form, HttpSession session, Model model) {
        ReportDraft draft = draft(session);
        ReportDraft attempt = copy(draft);
        attempt.grab = form;
        List<FieldError> errors = check(user, attempt, f -> f.startsWith("grabProfile."));
        if (!errors.isEmpty()) {
            model.addAttribute("form", form);
            model.addAttribute("errors", errors);
            return "intake/report-grab-profile";
        }
        draft.grab = form;
        return "redirect:" + BASE + "/check";
    }

    @GetMapping(BASE + "/check")
    @PreAuthorize(Roles.REPORT_MISSING)
    String checkAnswers(HttpSession session, Model model) {
        ReportDraft draft = draft(session);
        if (!draft.hasSubject()) {
            return "redirect:" + BASE + "/child";
        }
        if (draft.circumstances == null) {
            return "redirect:" + BASE + "/circumstances";
        }
        return checkPage(draft, model, List.of());
    }

    @PostMapping(BASE + "/check")
    @PreAuthorize(Roles.REPORT_MISSING)
    String submit(@AuthenticationPrincipal SightlineUser user, HttpSession session, Model model) {
        ReportDraft draft = draft(session);
        List<FieldError> errors = new ArrayList<>();
        EpisodeRequests.NewEpisode request = draft.toRequest(errors);
        if (errors.isEmpty()) {
            try {
                EpisodeView created = episodes.report(user, request);
                session.removeAttribute(ReportDraft.SESSION_KEY);
                return "redirect:/episodes/" + created.publicId() + "/reported";
            } catch (InvalidRequestException e) {
                forms.addViolations(e, f -> true, errors);
            } catch (EpisodeService.OpenEpisodeExists e) {
                // Opened by someone else while this report was being written.
                model.addAttribute("openEpisode", e.open());
                errors.add(new FieldError("open-episode", "intake.error.openEpisode"));
            }
        }
        return checkPage(draft, model, errors);
    }

    @GetMapping("/episodes/{id}/reported")
    @PreAuthorize(Roles.REPORT_MISSING)
    String confirmation(@AuthenticationPrincipal SightlineUser user, @PathVariable UUID id, Model model) {
        model.addAttribute("episode", episodes.view(user, id));
        return "intake/report-confirmation";
    }

    private String checkPage(ReportDraft draft, Model model, List<FieldError> errors) {
        List<FieldError> ignored = new ArrayList<>();
        model.addAttribute("draft", draft);
        model.addAttribute("request", draft.toRequest(ignored));
        model.addAttribute("errors", errors);
        return "intake/report-check";
    }

    private void choose(SightlineUser user, ReportDraft draft, UUID recordId) {
        PersonRecordView record = records.view(user, recordId); // scope-checked and audited; 404 otherwise
        draft.subjectRecordId = recordId;
        draft.subjectLabel = ((record.givenName() == null ? "" : record.givenName()) + " "
                                + (record.familyName() == null ? "" : record.familyName()))
                        .strip()
                + " (" + record.agencyName() + ", "
                + record.recordRef() + ")";
        draft.newChild = null;
    }

    private List<FieldError> check(SightlineUser user, ReportDraft attempt, Predicate<String> onThisPage) {
        List<FieldError> errors = new ArrayList<>();
        EpisodeRequests.NewEpisode request = attempt.toRequest(new ArrayList<>());
        // Entry errors for this page's own date fields only (the others belong to other pages).
        if (attempt.circumstances != null && onThisPage.test("reportedAt")) {
            attempt.circumstances.reportedAt(errors);
            attempt.circumstances.lastSeenAt(errors);
        }
        try {
            episodes.validate(user, request);
        } catch (InvalidRequestException e) {
            forms.addViolations(e, onThisPage, errors);
        }
        return errors;
    }

    /** After a "Change" from the check page, go back there once the page is complete. */
    private static String next(ReportDraft draft, String page) {
        boolean complete = draft.hasSubject() && draft.circumstances != null && draft.grab != null;
        return "redirect:" + BASE + (complete ? "/check" : page);
    }

    private static ReportDraft copy(ReportDraft d) {
        ReportDraft c = new ReportDraft();
        c.subjectRecordId = d.subjectRecordId;
        c.subjectLabel = d.subjectLabel;
        c.newChild = d.newChild;
        c.circumstances = d.circumstances;
        c.grab = d.grab;
        return c;
    }

    private static ReportDraft draft(HttpSession session) {
        Object d = session.getAttribute(ReportDraft.SESSION_KEY);
        if (d instanceof ReportDraft draft) {
            return draft;
        }
        ReportDraft draft = new ReportDraft();
        session.setAttribute(ReportDraft.SESSION_KEY, draft);
        return draft;
    }

    private static String defaultMissingFrom(SightlineUser user) {
        return user.hasRole(org.sightline.access.Roles.POLICE_OFFICER) ? null : "care";
    }
}
