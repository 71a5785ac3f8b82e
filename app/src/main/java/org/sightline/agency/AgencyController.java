package org.sightline.agency;

import jakarta.servlet.http.HttpSession;
import java.util.List;
import java.util.UUID;
import org.sightline.access.Roles;
import org.sightline.access.SightlineUser;
import org.sightline.shared.ConflictException;
import org.sightline.shared.InvalidRequestException;
import org.sightline.shared.Violation;
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

/**
 * Agency administration pages for administrators: the list, a new agency (form, check answers), and per agency its
 * name and its closing. GOV.UK patterns; every error names its field.
 */
@Controller
class AgencyController {

    private static final String DRAFT = "sightline.newAgency";

    private final AgencyAdministration agencies;

    AgencyController(AgencyAdministration agencies) {
        this.agencies = agencies;
    }

    /** The closing day as the GOV.UK date input posts it. */
    record CloseForm(String day, String month, String year) {

        /** yyyy-mm-dd when the three parts are numbers, else what was typed (refused as not a real date). */
        String iso() {
            String d = AgencyAdministration.strip(day);
            String m = AgencyAdministration.strip(month);
            String y = AgencyAdministration.strip(year);
            if (d == null && m == null && y == null) {
                return null;
            }
            if (d == null || m == null || y == null || !(d + m + y).matches("[0-9]+") || y.length() != 4) {
                return "invalid";
            }
            return y + "-" + (m.length() == 1 ? "0" + m : m) + "-" + (d.length() == 1 ? "0" + d : d);
        }
    }

    record NameForm(String name, Integer version) {}

    private static AgencyAdministration.Actor actor(SightlineUser user) {
        return new AgencyAdministration.Actor(user.username(), user.agencyCode());
    }

    @GetMapping("/admin/agencies")
    @PreAuthorize(Roles.ADMINISTRATION)
    String list(
            @AuthenticationPrincipal SightlineUser admin,
            @RequestParam(name = "q", required = false) String query,
            @RequestParam(name = "page", required = false) String page,
            Model model) {
        // A page number that is not one (a hand-edited link) shows the first page rather than an error.
        int number = page != null && page.matches("\\d{1,6}") ? Integer.parseInt(page) : 1;
        String typed = query == null ? "" : query.strip();
        typed = typed.length() > 100 ? typed.substring(0, 100) : typed;
        AgencyAdministration.AgencyPage result = agencies.page(actor(admin), typed, number);
        model.addAttribute("q", typed);
        model.addAttribute("result", result);
        model.addAttribute("pagination", Pagination.of(result.page(), result.pages(), "/admin/agencies", "q", typed));
        return "agency/agencies";
    }

    @GetMapping("/admin/agencies/new")
    @PreAuthorize(Roles.ADMINISTRATION)
    String newAgency(HttpSession session, Model model) {
        Object draft = session.getAttribute(DRAFT);
        return form(
                draft instanceof AgencyAdministration.NewAgency d
                        ? d
                        : new AgencyAdministration.NewAgency(null, null, null, null, null),
                List.of(),
                model);
    }

    @PostMapping("/admin/agencies/new")
    @PreAuthorize(Roles.ADMINISTRATION)
    String submitNew(AgencyAdministration.NewAgency form, HttpSession session, Model model) {
        // An Ofsted URN typed and then another kind chosen is not kept: only care providers have one.
        AgencyAdministration.NewAgency posted = "care_provider".equals(form.kind())
                ? form
                : new AgencyAdministration.NewAgency(form.code(), form.name(), form.kind(), form.areaCode(), null);
        List<Violation> broken = agencies.check(posted);
        if (!broken.isEmpty()) {
            return form(posted, broken, model);
        }
        session.setAttribute(DRAFT, posted.normalised());
        return "redirect:/admin/agencies/new/check";
    }

    @GetMapping("/admin/agencies/new/check")
    @PreAuthorize(Roles.ADMINISTRATION)
    String check(HttpSession session, Model model) {
        if (!(session.getAttribute(DRAFT) instanceof AgencyAdministration.NewAgency draft)) {
            return "redirect:/admin/agencies/new";
        }
        model.addAttribute("draft", draft);
        return "agency/agency-check";
    }

    @PostMapping("/admin/agencies/new/check")
    @PreAuthorize(Roles.ADMINISTRATION)
    String create(
            @AuthenticationPrincipal SightlineUser admin,
            HttpSession session,
            Model model,
            RedirectAttributes redirect) {
        if (!(session.getAttribute(DRAFT) instanceof AgencyAdministration.NewAgency draft)) {
            return "redirect:/admin/agencies/new";
        }
        try {
            AgencyAdministration.Agency created = agencies.create(actor(admin), draft);
            session.removeAttribute(DRAFT);
            redirect.addFlashAttribute("changed", "created");
            return "redirect:/admin/agencies/" + created.id();
        } catch (InvalidRequestException e) {
            // Someone took the code or the name meanwhile: back to the form with the reason.
            return form(draft, e.violations(), model);
        }
    }

    @GetMapping("/admin/agencies/{agency}")
    @PreAuthorize(Roles.ADMINISTRATION)
    String agency(@AuthenticationPrincipal SightlineUser admin, @PathVariable UUID agency, Model model) {
        AgencyAdministration.Agency found = agencies.find(actor(admin), agency);
        return page(
                found, new NameForm(found.name(), found.version()), new CloseForm(null, null, null), List.of(), model);
    }

    @PostMapping("/admin/agencies/{agency}/name")
    @PreAuthorize(Roles.ADMINISTRATION)
    String rename(
            @AuthenticationPrincipal SightlineUser admin,
            @PathVariable UUID agency,
            NameForm form,
            Model model,
            RedirectAttributes redirect) {
        try {
            agencies.rename(actor(admin), agency, form.name(), form.version());
        } catch (InvalidRequestException e) {
            return page(
                    agencies.find(actor(admin), agency), form, new CloseForm(null, null, null), e.violations(), model);
        } catch (ConflictException e) {
            AgencyAdministration.Agency now = agencies.find(actor(admin), agency);
            return page(
                    now,
                    new NameForm(form.name(), now.version()),
                    new CloseForm(null, null, null),
                    List.of(new Violation("name", "stale", e.getMessage())),
                    model);
        }
        redirect.addFlashAttribute("changed", "renamed");
        return "redirect:/admin/agencies/" + agency;
    }

    @PostMapping("/admin/agencies/{agency}/close")
    @PreAuthorize(Roles.ADMINISTRATION)
    String close(
            @AuthenticationPrincipal SightlineUser admin,
            @PathVariable UUID agency,
            CloseForm form,
            Model model,
            RedirectAttributes redirect) {
        try {
            agencies.close(actor(admin), agency, form.iso());
        } catch (InvalidRequestException e) {
            AgencyAdministration.Agency found = agencies.find(actor(admin), agency);
            return page(found, new NameForm(found.name(), found.version()), form, e.violations(), model);
        }
        redirect.addFlashAttribute("changed", "closed");
        return "redirect:/admin/agencies/" + agency;
    }

    private String form(AgencyAdministration.NewAgency form, List<Violation> broken, Model model) {
        model.addAttribute("form", form);
        model.addAttribute("errors", errors(broken));
        model.addAttribute("kinds", AgencyAdministration.KINDS);
        return "agency/agency-new";
    }

    private String page(
            AgencyAdministration.Agency agency, NameForm name, CloseForm close, List<Violation> broken, Model model) {
        model.addAttribute("agency", agency);
        model.addAttribute("nameForm", name);
        model.addAttribute("closeForm", close);
        model.addAttribute("errors", errors(broken));
        return "agency/agency";
    }

    /** The closing day's errors point at its first input, as the GOV.UK date input does. */
    static List<FieldError> errors(List<Violation> broken) {
        return broken.stream()
                .map(v -> new FieldError(
                        v.field().equals("closedOn") ? "closedOn-day" : v.field(),
                        "agency.error." + v.field() + "." + v.rule()))
                .toList();
    }
}
