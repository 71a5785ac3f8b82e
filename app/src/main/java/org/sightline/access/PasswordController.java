package org.sightline.access;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.List;
import org.sightline.shared.InvalidRequestException;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;

/** A user changes their own password; one signed in with a one-time password is sent here first. */
@Controller
class PasswordController {

    private final UserAdministration users;
    private final UserAccounts accounts;
    private final HttpSessionSecurityContextRepository contexts = new HttpSessionSecurityContextRepository();

    PasswordController(UserAdministration users, UserAccounts accounts) {
        this.users = users;
        this.accounts = accounts;
    }

    /** What was typed; never shown back. */
    record PasswordForm(String current, String password, String confirm) {}

    @GetMapping(PasswordChangeRequired.PAGE)
    @PreAuthorize(Roles.SIGNED_IN)
    String form(@AuthenticationPrincipal SightlineUser user, Model model) {
        model.addAttribute("errors", List.of());
        model.addAttribute("mustChange", user.passwordMustChange());
        model.addAttribute("minLength", PasswordPolicy.MIN_LENGTH);
        return "access/password";
    }

    @PostMapping(PasswordChangeRequired.PAGE)
    @PreAuthorize(Roles.SIGNED_IN)
    String change(
            @AuthenticationPrincipal SightlineUser user,
            PasswordForm form,
            Model model,
            HttpServletRequest request,
            HttpServletResponse response) {
        try {
            users.changeOwnPassword(user, form.current(), form.password(), form.confirm());
        } catch (InvalidRequestException e) {
            model.addAttribute("errors", UserAdminController.errors(e.violations()));
            model.addAttribute("mustChange", user.passwordMustChange());
            model.addAttribute("minLength", PasswordPolicy.MIN_LENGTH);
            return "access/password";
        }
        // The session's user no longer has to change it: replace it with the account as it now is.
        SightlineUser updated = accounts.loadUserByUsername(user.username());
        var context = SecurityContextHolder.createEmptyContext();
        context.setAuthentication(
                UsernamePasswordAuthenticationToken.authenticated(updated, null, updated.getAuthorities()));
        SecurityContextHolder.setContext(context);
        contexts.saveContext(context, request, response);
        return "redirect:/";
    }
}
