package org.sightline.child;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.UUID;
import org.sightline.access.Roles;
import org.sightline.access.SightlineUser;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/children")
@Tag(
        name = "Children",
        description = "One child's picture across every agency's records, as far as the caller may see it")
class ChildApiController {

    private final ChildService children;

    ChildApiController(ChildService children) {
        this.children = children;
    }

    @GetMapping("/{identityId}")
    @PreAuthorize(Roles.CASEWORK)
    @Operation(
            summary =
                    "A child (identity): with access FULL the linked records and why, merged facts with conflicts, "
                            + "one chronology, repeat-missing counts, current risk, connections and grab profile; with "
                            + "EXISTENCE_ONLY only which agencies hold records (picture is null). Labels are resolved, times are UTC.")
    ChildPicture get(@AuthenticationPrincipal SightlineUser user, @PathVariable UUID identityId) {
        return children.picture(user, identityId);
    }
}
