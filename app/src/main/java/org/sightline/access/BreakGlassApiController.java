package org.sightline.access;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Instant;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/break-glass")
@Tag(name = "Break glass", description = "Time-limited, audited access to a child's records in an emergency")
class BreakGlassApiController {

    private final BreakGlass breakGlass;

    BreakGlassApiController(BreakGlass breakGlass) {
        this.breakGlass = breakGlass;
    }

    /** reason: risk_to_life, missing_now or safeguarding_emergency; details: the user's own words (1–1000 characters). */
    @io.swagger.v3.oas.annotations.media.Schema(name = "BreakGlassRequest")
    record Request(UUID childId, String reason, String details) {}

    record Granted(UUID grantId, UUID childId, Instant expiresAt) {}

    @PostMapping
    @PreAuthorize(Roles.CASEWORK)
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(
            summary = "Open a child's records to the caller for a limited time, with a reason; supervisors review it")
    Granted open(@AuthenticationPrincipal SightlineUser user, @RequestBody Request request) {
        BreakGlass.Grant grant = breakGlass.open(user, request.childId(), request.reason(), request.details());
        return new Granted(grant.publicId(), grant.childId(), grant.expiresAt());
    }
}
