package org.sightline.person;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import java.util.UUID;
import org.sightline.access.Roles;
import org.sightline.access.SightlineUser;
import org.sightline.shared.InvalidRequestException;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/records")
@Tag(name = "Person records", description = "Agencies' records of a person, within the caller's agency scope")
class PersonRecordApiController {

    private final PersonRecordService records;

    PersonRecordApiController(PersonRecordService records) {
        this.records = records;
    }

    /** Set on a search's answer when more records may match than it holds. */
    static final String LIMITED_HEADER = "X-Results-Limited";

    /** A search: every field optional, at least one given. */
    record SearchRequest(String givenName, String familyName, String dob) {}

    /** POST, not GET: a child's name and date of birth must not travel in a URL (logs, proxies, history). */
    @PostMapping("/search")
    @PreAuthorize(Roles.CASEWORK)
    @Operation(
            summary = "Search records by name and (partial) date of birth: yyyy, yyyy-mm or yyyy-mm-dd",
            description = "At most 50 records the caller may see, own agency's first, then by family and given name."
                    + " A search matching more than 1,000 records looks at the first 1,000 in that order only."
                    + " When more may match than are returned, the response carries the header "
                    + LIMITED_HEADER + ": true; narrow the search.")
    ResponseEntity<List<PersonRecordSummary>> search(
            @AuthenticationPrincipal SightlineUser user, @RequestBody SearchRequest request) {
        PartialDate date;
        try {
            date = PartialDate.parseIso(request.dob());
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException("dob", "format", e.getMessage());
        }
        SearchCriteria criteria = new SearchCriteria(request.givenName(), request.familyName(), date);
        if (criteria.isEmpty()) {
            throw new InvalidRequestException(
                    "familyName", "required", "give a family name, a given name or a date of birth");
        }
        PersonRecordService.SearchResults found = records.search(user, criteria);
        var response = ResponseEntity.ok();
        if (found.limited()) {
            response.header(LIMITED_HEADER, "true");
        }
        return response.body(found.records());
    }

    /** The holding agency's "reported missing" fact: yes, no, not_known or not_recorded. */
    record ReportedMissingRequest(String reportedMissing) {}

    @PutMapping("/{publicId}/reported-missing")
    @PreAuthorize(Roles.CASEWORK)
    @Operation(summary = "Set whether the child was ever reported missing, as the holding agency knows it")
    PersonRecordView reportedMissing(
            @AuthenticationPrincipal SightlineUser user,
            @PathVariable UUID publicId,
            @RequestBody ReportedMissingRequest body) {
        return records.setReportedMissing(user, publicId, body == null ? null : body.reportedMissing());
    }

    @GetMapping("/{publicId}")
    @PreAuthorize(Roles.CASEWORK)
    @Operation(summary = "One record with its linked records, episodes and concerns")
    PersonRecordView get(@AuthenticationPrincipal SightlineUser user, @PathVariable UUID publicId) {
        return records.view(user, publicId);
    }
}
