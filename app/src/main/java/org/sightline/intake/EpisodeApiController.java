package org.sightline.intake;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.util.UUID;
import org.sightline.access.Roles;
import org.sightline.access.SightlineUser;
import org.sightline.api.IdempotencyKeys;
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
@RequestMapping("/api/v1/episodes")
@Tag(
        name = "Missing episodes",
        description = "Report a child missing and follow the episode to closure: grade, "
                + "found, safe and well check, return interview (due 72 hours after found), close. Each step carries the "
                + "version read: 409 stale-version when someone changed it since, 409 illegal-transition when the step "
                + "does not follow from the episode's status.")
class EpisodeApiController {

    private final EpisodeService episodes;
    private final IdempotencyKeys idempotency;

    EpisodeApiController(EpisodeService episodes, IdempotencyKeys idempotency) {
        this.episodes = episodes;
        this.idempotency = idempotency;
    }

    @PostMapping
    @PreAuthorize(Roles.REPORT_MISSING)
    @Operation(summary = "Report a child missing (Idempotency-Key required)")
    @ApiResponse(responseCode = "201", description = "Created; Location names the episode")
    ResponseEntity<?> report(
            @AuthenticationPrincipal SightlineUser user,
            @Parameter(description = "8 to 128 letters, digits, '-' or '_'; a UUID is ideal")
                    @RequestHeader(value = IdempotencyKeys.HEADER, required = false)
                    String key,
            @RequestBody EpisodeRequests.NewEpisode request) {
        return idempotency.once(user, key, "POST /api/v1/episodes", request, () -> {
            EpisodeView created = episodes.report(user, request);
            return ResponseEntity.created(URI.create("/api/v1/episodes/" + created.publicId()))
                    .body(created);
        });
    }

    @GetMapping("/{id}")
    @PreAuthorize(Roles.CASEWORK)
    @Operation(summary = "One episode with its gradings, events, 72-hour clock and the steps you may take next")
    EpisodeView get(@AuthenticationPrincipal SightlineUser user, @PathVariable UUID id) {
        return episodes.view(user, id);
    }

    @PostMapping("/{id}/gradings")
    @PreAuthorize(Roles.POLICE)
    @Operation(summary = "Grade (or re-grade) the risk; the history is kept. Rationale required for medium and high")
    EpisodeView grade(
            @AuthenticationPrincipal SightlineUser user,
            @PathVariable UUID id,
            @RequestBody EpisodeRequests.Grade request) {
        return episodes.grade(user, id, request);
    }

    @PostMapping("/{id}/found")
    @PreAuthorize(Roles.POLICE)
    @Operation(summary = "Record the child found or returned: starts the 72-hour return-interview clock")
    EpisodeView found(
            @AuthenticationPrincipal SightlineUser user,
            @PathVariable UUID id,
            @RequestBody EpisodeRequests.Found request) {
        return episodes.found(user, id, request);
    }

    @PostMapping("/{id}/safe-and-well")
    @PreAuthorize(Roles.POLICE)
    @Operation(summary = "Record the police safe and well check")
    EpisodeView safeAndWell(
            @AuthenticationPrincipal SightlineUser user,
            @PathVariable UUID id,
            @RequestBody EpisodeRequests.SafeAndWell request) {
        return episodes.safeAndWell(user, id, request);
    }

    @PostMapping("/{id}/return-interview")
    @PreAuthorize(Roles.RETURN_INTERVIEW)
    @Operation(summary = "Record the return interview offered, accepted, declined or completed")
    EpisodeView returnInterview(
            @AuthenticationPrincipal SightlineUser user,
            @PathVariable UUID id,
            @RequestBody EpisodeRequests.ReturnInterview request) {
        return episodes.returnInterview(user, id, request);
    }

    @PostMapping("/{id}/close")
    @PreAuthorize(Roles.CASEWORK)
    @Operation(summary = "Close the episode (a supervisor, or the agency that recorded it)")
    EpisodeView close(
            @AuthenticationPrincipal SightlineUser user,
            @PathVariable UUID id,
            @RequestBody EpisodeRequests.Close request) {
        return episodes.close(user, id, request);
    }
}
