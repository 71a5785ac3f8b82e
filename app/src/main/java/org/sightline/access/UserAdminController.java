package org.sightline.access;

import jakarta.servlet.http.HttpSession;
import java.util.List;
import java.util.UUID;
import org.sightline.shared.InvalidRequestException;
import org.sightline.shared.Violation;
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
 * Account administration for administrators: the list, a new account (form, check answers, one-time password shown
 * once), and per account its role and agency, disable or enable, and a password reset.
 */
@Controller
class UserAdminController {

    private static final String DRAFT = "sightline.newAccount";

    private final UserAdministration users;

    UserAdminController(UserAdministration users) {
        this.users = users;
    }

    /** Role and agency as posted. */
    record AccessForm(String role, String agency) {}

    @GetMapping("/admin/users")
    @PreAuthorize(Roles.ACCOUNTS)
    String list(@AuthenticationPrincipal SightlineUser admin, Model model) {
        model.addAttribute("accounts", users.list(admin));
        model.addAttribute("administers", UserAdministration.administers(admin));
        return "access/users";
    }

    @GetMapping("/admin/users/new")
    @PreAuthorize(Roles.ACCOUNTS)
    String newAccount(@AuthenticationPrincipal SightlineUser admin, HttpSession session, Model model) {
        Object draft = session.getAttribute(DRAFT);
        return form(
                admin,
                draft instanceof UserAdministration.NewAccount d
                        ? d
                        : new UserAdministration.NewAccount(null, null, null, null),
                List.of(),
                model);
    }

    @PostMapping("/admin/users/new")
    @PreAuthorize(Roles.ACCOUNTS)
    String submitNew(
            @AuthenticationPrincipal SightlineUser admin,
            UserAdministration.NewAccount form,
            HttpSession session,
            Model model) {
        List<Violation> broken = users.check(admin, form);
        if (!broken.isEmpty()) {
            return form(admin, form, broken, model);
        }
        session.setAttribute(DRAFT, form);
        return "redirect:/admin/users/new/check";
    }

    @GetMapping("/admin/users/new/check")
    @PreAuthorize(Roles.ACCOUNTS)
    String check(@AuthenticationPrincipal SightlineUser admin, HttpSession session, Model model) {
        if (!(session.getAttribute(DRAFT) instanceof UserAdministration.NewAccount draft)) {
            return "redirect:/admin/users/new";
        }
        model.addAttribute("draft", draft);
        model.addAttribute(
                "agencyName",
                users.agencies(admin, null).stream()
                        .filter(a -> a.code().equals(draft.agency()))
                        .map(UserAdministration.Agency::name)
                        .findFirst()
                        .orElse(draft.agency()));
        return "access/user-check";
    }

    @PostMapping("/admin/users/new/check")
    @PreAuthorize(Roles.ACCOUNTS)
    String create(@AuthenticationPrincipal SightlineUser admin, HttpSession session, Model model) {
        if (!(session.getAttribute(DRAFT) instanceof UserAdministration.NewAccount draft)) {
            return "redirect:/admin/users/new";
        }
        try {
            UserAdministration.OneTimePassword created = users.create(admin, draft);
            session.removeAttribute(DRAFT);
            model.addAttribute("oneTime", created);
            model.addAttribute("created", true);
            return "access/user-password";
        } catch (InvalidRequestException e) {
            // Someone took the user name meanwhile: back to the form with the reason.
            return form(admin, draft, e.violations(), model);
        }
    }

    @GetMapping("/admin/users/{user}")
    @PreAuthorize(Roles.ACCOUNTS)
    String account(@AuthenticationPrincipal SightlineUser admin, @PathVariable UUID user, Model model) {
        UserAdministration.Account account = users.find(admin, user);
        return page(admin, account, new AccessForm(account.role(), account.agencyCode()), List.of(), model);
    }

    @PostMapping("/admin/users/{user}/access")
    @PreAuthorize(Roles.ACCOUNTS)
    String changeAccess(
            @AuthenticationPrincipal SightlineUser admin,
            @PathVariable UUID user,
            AccessForm form,
            Model model,
            RedirectAttributes redirect) {
        try {
            users.changeAccess(admin, user, form.role(), form.agency());
        } catch (InvalidRequestException e) {
            return page(admin, users.find(admin, user), form, e.violations(), model);
        }
        redirect.addFlashAttribute("changed", "access");
        return "redirect:/admin/users/" + user;
    }

    @PostMapping("/admin/users/{user}/enabled")
    @PreAuthorize(Roles.ACCOUNTS)
    String setEnabled(
            @AuthenticationPrincipal SightlineUser admin,
            @PathVariable UUID user,
            @RequestParam(name = "enabled", required = false) String enabled,
            Model model,
            RedirectAttributes redirect) {
        boolean enable = "true".equals(enabled);
        try {
            users.setEnabled(admin, user, enable);
        } catch (InvalidRequestException e) {
            UserAdministration.Account account = users.find(admin, user);
            return page(admin, account, new AccessForm(account.role(), account.agencyCode()), e.violations(), model);
        }
        redirect.addFlashAttribute("changed", enable ? "enabled" : "disabled");
        return "redirect:/admin/users/" + user;
    }

    @PostMapping("/admin/users/{user}/password")
    @PreAuthorize(Roles.ACCOUNTS)
    String resetPassword(@AuthenticationPrincipal SightlineUser admin, @PathVariable UUID user, Model model) {
        model.addAttribute("oneTime", users.resetPassword(admin, user));
        model.addAttribute("created", false);
        return "access/user-password";
    }

    private String form(SightlineUser admin, UserAdministration.NewAccount form, List<Violation> broken, Model model) {
        model.addAttribute("form", form);
        model.addAttribute("errors", errors(broken));
        model.addAttribute("agencies", users.agencies(admin, null));
        model.addAttribute("roles", users.roles(admin));
        return "access/user-new";
    }

    private String page(
            SightlineUser admin,
            UserAdministration.Account account,
            AccessForm form,
            List<Violation> broken,
            Model model) {
        model.addAttribute("account", account);
        model.addAttribute("form", form);
        model.addAttribute("errors", errors(broken));
        model.addAttribute("agencies", users.agencies(admin, account.agencyCode()));
        model.addAttribute("roles", users.roles(admin));
        return "access/user";
    }

    static List<BreakGlassController.FieldError> errors(List<Violation> broken) {
        return broken.stream()
                .map(v -> new BreakGlassController.FieldError(v.field(), "account.error." + v.field() + "." + v.rule()))
                .toList();
    }
}
