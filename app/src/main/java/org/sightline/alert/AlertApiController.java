package org.sightline.alert;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.UUID;
import org.sightline.access.Roles;
import org.sightline.access.SightlineUser;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** /api/v1/alerts: the agency's inbox and the same steps as the pages; problem+json, 409 for stale or wrong steps. */
@RestController
@RequestMapping("/api/v1/alerts")
@Tag(
        name = "Alerts",
        description = "Alerts the caller's agency received, with their explanations. Each step carries "
                + "the version read: 409 stale-version when someone changed it since, 409 illegal-transition when the alert "
                + "is no longer in a state the step starts from. Another agency's alert answers 404.")
class AlertApiController {

    private final AlertInbox inbox;

    AlertApiController(AlertInbox inbox) {
        this.inbox = inbox;
    }

    record Step(Integer version, String note, String reason, String text) {}

    @GetMapping
    @PreAuthorize(Roles.CASEWORK)
    @Operation(summary = "The newest 200 alerts of the caller's agency; filter by state and rule code")
    AlertInbox.Inbox list(
            @AuthenticationPrincipal SightlineUser user,
            @RequestParam(required = false) String state,
            @RequestParam(required = false) String rule) {
        return inbox.list(user, state, rule);
    }

    @GetMapping("/{id}")
    @PreAuthorize(Roles.CASEWORK)
    @Operation(summary = "One alert: explanation, the agencies alerted, history, what the rules could not decide")
    AlertInbox.Detail get(@AuthenticationPrincipal SightlineUser user, @PathVariable UUID id) {
        return inbox.view(user, id);
    }

    @PostMapping("/{id}/acknowledge")
    @PreAuthorize(Roles.CASEWORK)
    @Operation(summary = "New → acknowledged")
    AlertInbox.Detail acknowledge(
            @AuthenticationPrincipal SightlineUser user, @PathVariable UUID id, @RequestBody Step step) {
        inbox.acknowledge(user, id, step.version());
        return inbox.view(user, id);
    }

    @PostMapping("/{id}/action")
    @PreAuthorize(Roles.CASEWORK)
    @Operation(summary = "New or acknowledged → actioned; note (what was done) required, at most 2,000 characters")
    AlertInbox.Detail action(
            @AuthenticationPrincipal SightlineUser user, @PathVariable UUID id, @RequestBody Step step) {
        inbox.action(user, id, step.version(), step.note());
        return inbox.view(user, id);
    }

    @PostMapping("/{id}/dismiss")
    @PreAuthorize(Roles.CASEWORK)
    @Operation(
            summary = "New or acknowledged → dismissed; reason one of already_known, wrong_child, not_our_case, "
                    + "facts_wrong, other (text required for other)")
    AlertInbox.Detail dismiss(
            @AuthenticationPrincipal SightlineUser user, @PathVariable UUID id, @RequestBody Step step) {
        inbox.dismiss(user, id, step.version(), step.reason(), step.text());
        return inbox.view(user, id);
    }
}
