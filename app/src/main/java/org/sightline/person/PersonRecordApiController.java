package org.sightline.person;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import java.util.UUID;
import org.sightline.access.Roles;
import org.sightline.access.SightlineUser;
import org.sightline.shared.InvalidRequestException;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/records")
@Tag(name = "Person records", description = "Agencies' records of a person, within the caller's agency scope")
class PersonRecordApiController {

    private final PersonRecordService records;

    PersonRecordApiController(PersonRecordService records) {
        this.records = records;
    }

    @GetMapping
    @PreAuthorize(Roles.CASEWORK)
    @Operation(summary = "Search records by name and (partial) date of birth: yyyy, yyyy-mm or yyyy-mm-dd")
    List<PersonRecordSummary> search(@AuthenticationPrincipal SightlineUser user,
                                     @RequestParam(required = false) String givenName,
                                     @RequestParam(required = false) String familyName,
                                     @RequestParam(required = false) String dob) {
        PartialDate date;
        try {
            date = PartialDate.parseIso(dob);
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException("dob", "format", e.getMessage());
        }
        SearchCriteria criteria = new SearchCriteria(givenName, familyName, date);
        if (criteria.isEmpty()) {
            throw new InvalidRequestException("familyName", "required", "give a family name, a given name or a date of birth");
        }
        return records.search(user, criteria);
    }

    @GetMapping("/{publicId}")
    @PreAuthorize(Roles.CASEWORK)
    @Operation(summary = "One record with its linked records, episodes and concerns")
    PersonRecordView get(@AuthenticationPrincipal SightlineUser user, @PathVariable UUID publicId) {
        return records.view(user, publicId);
    }
}
