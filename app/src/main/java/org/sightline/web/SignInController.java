package org.sightline.web;

import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

@Controller
class SignInController {

    @GetMapping("/sign-in")
    @PreAuthorize("permitAll()")
    String signIn(@RequestParam(name = "locked", required = false) String locked, Model model) {
        // Minutes until a sign-in lock ends (access.DatabaseOutageEntryPoints); anything else in the address is ignored.
        if (locked != null && locked.matches("\\d{1,4}")) {
            model.addAttribute("lockedMinutes", Integer.parseInt(locked));
        }
        return "sign-in";
    }
}
