package org.sightline.agency;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import java.util.UUID;
import org.sightline.access.Roles;
import org.sightline.access.SightlineUser;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Agency administration over the API: the same rules as the pages; errors as problem+json naming the field. */
@RestController
@RequestMapping("/api/v1/agencies")
@Tag(name = "Agencies", description = "The agencies that hold records: create, rename and close (administrators)")
class AgencyApiController {

    private final AgencyAdministration agencies;

    AgencyApiController(AgencyAdministration agencies) {
        this.agencies = agencies;
    }

    /**
     * code: 2–40 letters, digits, hyphens or underscores (upper-cased), never reused; kind: police_force,
     * local_authority, care_provider, health, education or other; ofstedUrn: 6 or 7 digits, care providers only,
     * unique among open agencies; areaCode: an ONS area code (optional).
     */
    @io.swagger.v3.oas.annotations.media.Schema(name = "NewAgency")
    record Create(String code, String name, String kind, String areaCode, String ofstedUrn) {}

    /** version: the agency's version as read, so a rename never overwrites another unseen. */
    @io.swagger.v3.oas.annotations.media.Schema(name = "AgencyName")
    record Rename(String name, Integer version) {}

    /** closedOn: yyyy-mm-dd, today or earlier. */
    @io.swagger.v3.oas.annotations.media.Schema(name = "AgencyClosing")
    record Close(String closedOn) {}

    private static AgencyAdministration.Actor actor(SightlineUser user) {
        return new AgencyAdministration.Actor(user.username(), user.agencyCode());
    }

    @GetMapping
    @PreAuthorize(Roles.ADMINISTRATION)
    @Operation(summary = "Every agency, open ones first")
    List<AgencyAdministration.Agency> list(@AuthenticationPrincipal SightlineUser admin) {
        return agencies.list(actor(admin));
    }

    @PostMapping
    @PreAuthorize(Roles.ADMINISTRATION)
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Create an agency")
    AgencyAdministration.Agency create(@AuthenticationPrincipal SightlineUser admin, @RequestBody Create body) {
        return agencies.create(
                actor(admin),
                new AgencyAdministration.NewAgency(
                        body.code(), body.name(), body.kind(), body.areaCode(), body.ofstedUrn()));
    }

    @GetMapping("/{agency}")
    @PreAuthorize(Roles.ADMINISTRATION)
    @Operation(summary = "One agency")
    AgencyAdministration.Agency get(@AuthenticationPrincipal SightlineUser admin, @PathVariable UUID agency) {
        return agencies.find(actor(admin), agency);
    }

    @PutMapping("/{agency}/name")
    @PreAuthorize(Roles.ADMINISTRATION)
    @Operation(summary = "Rename an agency (409 when its version has moved on)")
    AgencyAdministration.Agency rename(
            @AuthenticationPrincipal SightlineUser admin, @PathVariable UUID agency, @RequestBody Rename body) {
        return agencies.rename(actor(admin), agency, body.name(), body.version());
    }

    @PostMapping("/{agency}/close")
    @PreAuthorize(Roles.ADMINISTRATION)
    @Operation(summary = "Close an agency from a day: it keeps its records but takes no new accounts or imports")
    AgencyAdministration.Agency close(
            @AuthenticationPrincipal SightlineUser admin, @PathVariable UUID agency, @RequestBody Close body) {
        return agencies.close(actor(admin), agency, body.closedOn());
    }
}
