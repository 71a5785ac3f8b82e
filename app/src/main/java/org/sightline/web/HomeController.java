package org.sightline.web;

import org.sightline.access.Roles;
import org.sightline.access.SightlineUser;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/** A home page per role: the tasks that role does first. */
@Controller
class HomeController {

    @GetMapping("/")
    @PreAuthorize(Roles.SIGNED_IN)
    String home(@AuthenticationPrincipal SightlineUser user, Model model) {
        model.addAttribute("role", user.primaryRole());
        return "home";
    }
}
