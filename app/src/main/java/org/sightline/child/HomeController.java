package org.sightline.child;

import java.util.Map;
import org.sightline.access.Roles;
import org.sightline.access.SightlineUser;
import org.sightline.alert.AlertInbox;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * A home page per role: the tasks that role does first, and the agency's work lists. Lives with the child
 * capability (not web) because its lists are children; web stays below every capability.
 */
@Controller
class HomeController {

    private final WorkLists workLists;
    private final AlertInbox alerts;

    HomeController(WorkLists workLists, AlertInbox alerts) {
        this.workLists = workLists;
        this.alerts = alerts;
    }

    /** {@code ?missing=time&risk=name...}: each list's sort, unknown values ignored. */
    @GetMapping("/")
    @PreAuthorize(Roles.SIGNED_IN)
    String home(@AuthenticationPrincipal SightlineUser user, @RequestParam Map<String, String> sorts, Model model) {
        model.addAttribute("role", user.primaryRole());
        model.addAttribute("workLists", workLists.forUser(user, sorts));
        model.addAttribute("sorts", sorts);
        if (user.worksCases()) {
            model.addAttribute("alertCounts", alerts.counts(user));
        }
        return "home";
    }
}
