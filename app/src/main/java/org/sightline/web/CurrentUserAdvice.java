package org.sightline.web;

import org.sightline.access.SightlineUser;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

/** Puts the signed-in user in every page's model for the header. */
@ControllerAdvice
class CurrentUserAdvice {

    @ModelAttribute("currentUser")
    SightlineUser currentUser(@AuthenticationPrincipal SightlineUser user) {
        return user;
    }
}
