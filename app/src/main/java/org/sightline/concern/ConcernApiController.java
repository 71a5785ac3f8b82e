package org.sightline.concern;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.util.UUID;
import org.sightline.access.Roles;
import org.sightline.access.SightlineUser;
import org.sightline.api.IdempotencyKeys;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/concerns")
@Tag(
        name = "Exploitation concerns",
        description = "Raise, screen, link and close concerns about a child in the caller's scope")
class ConcernApiController {

    private final ConcernService concerns;
    private final IdempotencyKeys idempotency;

    ConcernApiController(ConcernService concerns, IdempotencyKeys idempotency) {
        this.concerns = concerns;
        this.idempotency = idempotency;
    }

    @PostMapping
    @PreAuthorize(Roles.CASEWORK)
    @Operation(
            summary = "Raise a concern (status raised)",
            responses = {
                @ApiResponse(responseCode = "201", description = "raised; Location names the concern"),
                @ApiResponse(responseCode = "400", description = "a rule broken, named by field and rule"),
                @ApiResponse(responseCode = "404", description = "no such record in the caller's scope")
            })
    ResponseEntity<?> raise(
            @AuthenticationPrincipal SightlineUser user,
            @Parameter(description = "unique per create, 8-128 of [A-Za-z0-9_-]")
                    @RequestHeader(name = IdempotencyKeys.HEADER, required = false)
                    String key,
            @RequestBody ConcernRequests.Raise request) {
        return idempotency.once(user, key, "POST /api/v1/concerns", request, () -> {
            UUID id = concerns.raise(user, request);
            return ResponseEntity.created(URI.create("/api/v1/concerns/" + id)).body(concerns.view(user, id));
        });
    }

    @GetMapping("/{id}")
    @PreAuthorize(Roles.CASEWORK)
    @Operation(summary = "A concern with its screenings (as scored, with their instrument version), links and history")
    ConcernViews.Concern get(@AuthenticationPrincipal SightlineUser user, @PathVariable UUID id) {
        return concerns.view(user, id);
    }

    @PostMapping("/{id}/screenings")
    @PreAuthorize(Roles.SCREENING)
    @Operation(
            summary = "Screen (or screen again) with a versioned instrument; the concern becomes screened",
            responses = {
                @ApiResponse(responseCode = "201", description = "screened; body is the concern"),
                @ApiResponse(responseCode = "409", description = "illegal-transition: the concern is closed")
            })
    ResponseEntity<?> screen(
            @AuthenticationPrincipal SightlineUser user,
            @PathVariable UUID id,
            @RequestHeader(name = IdempotencyKeys.HEADER, required = false) String key,
            @RequestBody ConcernRequests.Screen request) {
        return idempotency.once(user, key, "POST /api/v1/concerns/" + id + "/screenings", request, () -> {
            UUID screening = concerns.screen(user, id, request);
            return ResponseEntity.created(URI.create("/api/v1/concerns/" + id + "#screening-" + screening))
                    .body(concerns.view(user, id));
        });
    }

    @PostMapping("/{id}/links")
    @PreAuthorize(Roles.CASEWORK)
    @Operation(
            summary = "Link an existing or new adult, location, vehicle or phone to the concern",
            responses = {
                @ApiResponse(responseCode = "201", description = "linked; body is the concern"),
                @ApiResponse(responseCode = "409", description = "illegal-transition: the concern is closed")
            })
    ResponseEntity<?> link(
            @AuthenticationPrincipal SightlineUser user,
            @PathVariable UUID id,
            @RequestHeader(name = IdempotencyKeys.HEADER, required = false) String key,
            @RequestBody ConcernRequests.Link request) {
        return idempotency.once(user, key, "POST /api/v1/concerns/" + id + "/links", request, () -> {
            UUID link = concerns.link(user, id, request);
            return ResponseEntity.created(URI.create("/api/v1/concerns/" + id + "#link-" + link))
                    .body(concerns.view(user, id));
        });
    }

    @PostMapping("/{id}/outcome")
    @PreAuthorize(Roles.SCREENING)
    @Operation(
            summary = "Record the outcome and close the concern; send the version you read",
            responses = {
                @ApiResponse(responseCode = "200", description = "closed; body is the concern"),
                @ApiResponse(
                        responseCode = "409",
                        description = "stale-version, or illegal-transition (not screened yet, or closed)")
            })
    ResponseEntity<ConcernViews.Concern> outcome(
            @AuthenticationPrincipal SightlineUser user,
            @PathVariable UUID id,
            @RequestBody ConcernRequests.Outcome request) {
        concerns.recordOutcome(user, id, request);
        return ResponseEntity.status(HttpStatus.OK).body(concerns.view(user, id));
    }
}
