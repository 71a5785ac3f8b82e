package org.sightline.access;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.sightline.shared.InvalidRequestException;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.session.SessionRegistry;
import org.springframework.security.web.authentication.WebAuthenticationDetails;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The authenticator app pages: a signed-in user sets it up (scan or type the secret, then confirm with a current code;
 * recovery codes shown once) and switches it off with a code; the second step of a sign-in asks for the code; an
 * administrator resets a user's second factor.
 */
@Controller
class SecondFactorController {

    private final SecondFactors factors;
    private final UserAccounts accounts;
    private final SessionRegistry sessions;
    private final UserAdministration administration;
    private final Clock clock;
    private final HttpSessionSecurityContextRepository contexts = new HttpSessionSecurityContextRepository();

    SecondFactorController(
            SecondFactors factors,
            UserAccounts accounts,
            SessionRegistry sessions,
            UserAdministration administration,
            Clock clock) {
        this.administration = administration;
        this.factors = factors;
        this.accounts = accounts;
        this.sessions = sessions;
        this.clock = clock;
    }

    @GetMapping(SecondFactorSignIn.SETUP_PAGE)
    @PreAuthorize(Roles.SIGNED_IN)
    String status(@AuthenticationPrincipal SightlineUser user, HttpSession session, Model model) {
        return statusPage(user, session, List.of(), model);
    }

    @PostMapping(SecondFactorSignIn.SETUP_PAGE + "/start")
    @PreAuthorize(Roles.SIGNED_IN)
    String start(@AuthenticationPrincipal SightlineUser user) {
        return factors.enrolment(user, true).isPresent()
                ? "redirect:" + SecondFactorSignIn.SETUP_PAGE + "/setup"
                : "redirect:" + SecondFactorSignIn.SETUP_PAGE;
    }

    @GetMapping(SecondFactorSignIn.SETUP_PAGE + "/setup")
    @PreAuthorize(Roles.SIGNED_IN)
    String setup(@AuthenticationPrincipal SightlineUser user, Model model) {
        return setupPage(user, List.of(), model);
    }

    @PostMapping(SecondFactorSignIn.SETUP_PAGE + "/setup")
    @PreAuthorize(Roles.SIGNED_IN)
    String confirm(
            @AuthenticationPrincipal SightlineUser user,
            @RequestParam(name = "code", required = false) String code,
            HttpServletRequest request,
            HttpSession session,
            Model model) {
        List<String> recovery;
        try {
            recovery = factors.confirm(user, code, source(request));
        } catch (InvalidRequestException e) {
            return setupPage(user, UserAdminController.errors(e.violations()), model);
        } catch (SignInThrottledException e) {
            model.addAttribute("lockedMinutes", e.retryAfterMinutes());
            return setupPage(user, List.of(), model);
        }
        session.removeAttribute(SecondFactorSignIn.MUST_SET_UP);
        model.addAttribute("recoveryCodes", recovery);
        return "access/two-factor-recovery";
    }

    @PostMapping(SecondFactorSignIn.SETUP_PAGE + "/disable")
    @PreAuthorize(Roles.SIGNED_IN)
    String disable(
            @AuthenticationPrincipal SightlineUser user,
            @RequestParam(name = "code", required = false) String code,
            HttpServletRequest request,
            HttpSession session,
            Model model,
            RedirectAttributes redirect) {
        try {
            factors.disable(user, code, source(request));
        } catch (InvalidRequestException e) {
            return statusPage(user, session, UserAdminController.errors(e.violations()), model);
        } catch (SignInThrottledException e) {
            model.addAttribute("lockedMinutes", e.retryAfterMinutes());
            return statusPage(user, session, List.of(), model);
        }
        redirect.addFlashAttribute("switchedOff", true);
        return "redirect:" + SecondFactorSignIn.SETUP_PAGE;
    }

    @GetMapping(SecondFactorSignIn.CODE_PAGE)
    @PreAuthorize("permitAll()")
    String codePage(HttpSession session, Model model) {
        if (pending(session).isEmpty()) {
            return "redirect:/sign-in";
        }
        model.addAttribute("errors", List.of());
        return "access/sign-in-code";
    }

    @PostMapping(SecondFactorSignIn.CODE_PAGE)
    @PreAuthorize("permitAll()")
    String enterCode(
            @RequestParam(name = "code", required = false) String code,
            HttpServletRequest request,
            HttpServletResponse response,
            HttpSession session,
            Model model) {
        Optional<SecondFactorSignIn.Pending> pending = pending(session);
        if (pending.isEmpty()) {
            return session.getAttribute(SecondFactorSignIn.PENDING) == null
                    ? "redirect:/sign-in"
                    : "redirect:/sign-in?code-expired";
        }
        String username = pending.get().username();
        try {
            factors.signIn(username, code, source(request));
        } catch (InvalidRequestException e) {
            model.addAttribute("errors", UserAdminController.errors(e.violations()));
            return "access/sign-in-code";
        } catch (SignInThrottledException e) {
            model.addAttribute("errors", List.of());
            model.addAttribute("lockedMinutes", e.retryAfterMinutes());
            return "access/sign-in-code";
        }
        session.removeAttribute(SecondFactorSignIn.PENDING);
        SightlineUser user = accounts.loadUserByUsername(username);
        if (!user.isEnabled()) {
            // Disabled between the password and the code.
            return "redirect:/sign-in?error";
        }
        // A new session id for the signed-in session (as after a password), registered so it can be ended.
        String before = session.getId();
        String after = request.changeSessionId();
        sessions.removeSessionInformation(before);
        sessions.registerNewSession(after, user);
        UsernamePasswordAuthenticationToken authentication =
                UsernamePasswordAuthenticationToken.authenticated(user, null, user.getAuthorities());
        authentication.setDetails(new WebAuthenticationDetails(request));
        var context = SecurityContextHolder.createEmptyContext();
        context.setAuthentication(authentication);
        SecurityContextHolder.setContext(context);
        contexts.saveContext(context, request, response);
        factors.signedIn(user, source(request));
        return "redirect:/";
    }

    @PostMapping("/admin/users/{user}/second-factor")
    @PreAuthorize(Roles.ACCOUNTS)
    String reset(@AuthenticationPrincipal SightlineUser admin, @PathVariable UUID user, RedirectAttributes redirect) {
        administration.find(admin, user); // a supervisor: their own agency's accounts only
        factors.reset(admin, user);
        redirect.addFlashAttribute("changed", "secondFactor");
        return "redirect:/admin/users/" + user;
    }

    @GetMapping("/admin/second-factor")
    @PreAuthorize(Roles.ADMINISTRATION)
    String policy(Model model) {
        model.addAttribute("required", factors.requiredRoles());
        model.addAttribute("roles", Roles.ALL);
        model.addAttribute("errors", List.of());
        return "access/two-factor-policy";
    }

    @PostMapping("/admin/second-factor")
    @PreAuthorize(Roles.ADMINISTRATION)
    String setPolicy(
            @AuthenticationPrincipal SightlineUser admin,
            @RequestParam(name = "roles", required = false) List<String> roles,
            Model model,
            RedirectAttributes redirect) {
        try {
            factors.requireFor(admin, roles == null ? List.of() : roles);
        } catch (InvalidRequestException e) {
            model.addAttribute("required", factors.requiredRoles());
            model.addAttribute("roles", Roles.ALL);
            model.addAttribute("errors", UserAdminController.errors(e.violations()));
            return "access/two-factor-policy";
        }
        redirect.addFlashAttribute("saved", true);
        return "redirect:/admin/second-factor";
    }

    private String statusPage(
            SightlineUser user, HttpSession session, List<BreakGlassController.FieldError> errors, Model model) {
        model.addAttribute("status", factors.status(user));
        model.addAttribute("mustSetUp", session.getAttribute(SecondFactorSignIn.MUST_SET_UP) != null);
        model.addAttribute("errors", errors);
        return "access/two-factor";
    }

    private String setupPage(SightlineUser user, List<BreakGlassController.FieldError> errors, Model model) {
        Optional<SecondFactors.Enrolment> enrolment = factors.enrolment(user, false);
        if (enrolment.isEmpty()) {
            return "redirect:" + SecondFactorSignIn.SETUP_PAGE;
        }
        model.addAttribute("enrolment", enrolment.get());
        model.addAttribute("errors", errors);
        return "access/two-factor-setup";
    }

    private Optional<SecondFactorSignIn.Pending> pending(HttpSession session) {
        return session.getAttribute(SecondFactorSignIn.PENDING) instanceof SecondFactorSignIn.Pending p
                        && p.until().isAfter(clock.instant())
                ? Optional.of(p)
                : Optional.empty();
    }

    private static String source(HttpServletRequest request) {
        return SignInThrottle.sourceOf(request.getRemoteAddr());
    }
}
