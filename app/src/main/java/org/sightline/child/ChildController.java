package org.sightline.child;

import java.util.UUID;
import org.sightline.access.Roles;
import org.sightline.access.SightlineUser;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;

/** The child's page: one identity across every agency's records, as far as the user may see it. */
@Controller
class ChildController {

    private final ChildService children;

    ChildController(ChildService children) {
        this.children = children;
    }

    @GetMapping("/children/{identityId}")
    @PreAuthorize(Roles.CASEWORK)
    String child(@AuthenticationPrincipal SightlineUser user, @PathVariable UUID identityId, Model model) {
        model.addAttribute("child", children.picture(user, identityId));
        return "child/child";
    }
}
