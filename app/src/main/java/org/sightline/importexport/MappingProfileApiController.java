package org.sightline.importexport;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.sightline.access.Roles;
import org.sightline.access.SightlineUser;
import org.sightline.api.IdempotencyKeys;
import org.sightline.importexport.MappingProfiles.ProfileView;
import org.sightline.shared.InvalidRequestException;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/import-profiles")
@Tag(
        name = "Import mapping profiles",
        description = "The caller's agency's saved column mappings for its own CSV layouts")
class MappingProfileApiController {

    private final MappingProfiles profiles;
    private final IdempotencyKeys idempotency;

    MappingProfileApiController(MappingProfiles profiles, IdempotencyKeys idempotency) {
        this.profiles = profiles;
        this.idempotency = idempotency;
    }

    record ProfileRequest(
            String kind,
            String name,
            Map<String, String> columnMap,
            Map<String, Map<String, String>> valueMaps,
            String dateFormat,
            String dateTimeFormat,
            Integer version) {}

    @GetMapping
    @PreAuthorize(Roles.IMPORTS)
    @Operation(summary = "The agency's mapping profiles")
    List<ProfileView> list(@AuthenticationPrincipal SightlineUser user) {
        return profiles.list(user);
    }

    @PostMapping
    @PreAuthorize(Roles.IMPORTS)
    @Operation(
            summary = "Create a profile: columnMap {source: standard}, valueMaps {standard: {from: to}}, optional "
                    + "dateFormat (e.g. dd/MM/yyyy) and dateTimeFormat (UK local time); needs an Idempotency-Key")
    ResponseEntity<?> create(
            @AuthenticationPrincipal SightlineUser user,
            @RequestHeader(name = IdempotencyKeys.HEADER, required = false) String key,
            @RequestBody ProfileRequest request) {
        return idempotency.once(user, key, "POST /api/v1/import-profiles", request, () -> {
            ProfileView created = profiles.create(
                    user,
                    request.kind(),
                    request.name(),
                    request.columnMap(),
                    request.valueMaps(),
                    request.dateFormat(),
                    request.dateTimeFormat());
            return ResponseEntity.created(URI.create("/api/v1/import-profiles/" + created.id()))
                    .body(created);
        });
    }

    @GetMapping("/{id}")
    @PreAuthorize(Roles.IMPORTS)
    @Operation(summary = "One mapping profile")
    ProfileView get(@AuthenticationPrincipal SightlineUser user, @PathVariable UUID id) {
        return profiles.get(user, id);
    }

    @PutMapping("/{id}")
    @PreAuthorize(Roles.IMPORTS)
    @Operation(summary = "Replace a mapping profile; 'version' as read (409 if stale)")
    ProfileView update(
            @AuthenticationPrincipal SightlineUser user, @PathVariable UUID id, @RequestBody ProfileRequest request) {
        if (request.version() == null) {
            throw new InvalidRequestException("version", "required", "send the version you read");
        }
        return profiles.update(
                user,
                id,
                request.version(),
                request.kind(),
                request.name(),
                request.columnMap(),
                request.valueMaps(),
                request.dateFormat(),
                request.dateTimeFormat());
    }

    @DeleteMapping("/{id}")
    @PreAuthorize(Roles.IMPORTS)
    @Operation(summary = "Delete a mapping profile (past runs keep their reports)")
    ResponseEntity<Void> delete(@AuthenticationPrincipal SightlineUser user, @PathVariable UUID id) {
        profiles.delete(user, id);
        return ResponseEntity.noContent().build();
    }
}
