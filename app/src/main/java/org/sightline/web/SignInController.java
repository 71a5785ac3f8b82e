package org.sightline.web;

import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

@Controller
class SignInController {

    @GetMapping("/sign-in")
    @PreAuthorize("permitAll()")
    String signIn() {
        return "sign-in";
    }
}
