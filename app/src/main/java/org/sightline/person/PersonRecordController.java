package org.sightline.person;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.sightline.access.Roles;
import org.sightline.access.SightlineUser;
import org.sightline.shared.InvalidRequestException;
import org.sightline.web.FieldError;
import org.sightline.web.RenderedPages;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/** Search for a child's records by name and date of birth, and the record page. */
@Controller
class PersonRecordController {

    private final PersonRecordService records;
    private final LikelyChildren likely;
    private final RenderedPages pages;
    private final Clock clock;

    PersonRecordController(PersonRecordService records, LikelyChildren likely, RenderedPages pages, Clock clock) {
        this.records = records;
        this.likely = likely;
        this.pages = pages;
        this.clock = clock;
    }

    @GetMapping("/records")
    @PreAuthorize(Roles.CASEWORK)
    String searchForm(Model model) {
        model.addAttribute("form", new SearchForm(null, null, null, null, null, null, null, null));
        return "person/search";
    }

    /**
     * Searches are POSTed and answered on the same page: a child's name and date of birth must not travel in a URL
     * (browser history, proxy and server logs, referrers).
     */
    @PostMapping("/records")
    @PreAuthorize(Roles.CASEWORK)
    String search(@AuthenticationPrincipal SightlineUser user, SearchForm form, Model model) {
        model.addAttribute("form", form);
        List<FieldError> errors = new ArrayList<>();
        PartialDate dob = form.dateOfBirth(errors);
        SearchCriteria criteria = new SearchCriteria(form.givenName(), form.familyName(), dob);
        if (errors.isEmpty() && criteria.isEmpty()) {
            errors.add(new FieldError("familyName", "search.error.empty"));
        }
        if (!errors.isEmpty()) {
            model.addAttribute("errors", errors);
            return "person/search";
        }
        // Likely children across every agency (the engine), then this user's visible records (by name prefix).
        model.addAttribute(
                "likely",
                likely.find(
                        user,
                        new LikelyChildren.Query(
                                form.givenName(), form.familyName(), dob, form.sex(), form.postcode())));
        PersonRecordService.SearchResults found = records.search(user, criteria);
        model.addAttribute("results", found.records());
        model.addAttribute("limited", found.limited());
        model.addAttribute("limit", PersonRecordService.SEARCH_LIMIT);
        return "person/search";
    }

    @GetMapping("/records/{publicId}")
    @PreAuthorize(Roles.CASEWORK)
    ResponseEntity<String> record(
            @AuthenticationPrincipal SightlineUser user,
            @PathVariable UUID publicId,
            Model model,
            HttpServletRequest request,
            HttpServletResponse response)
            throws Exception {
        Locale locale = LocaleContextHolder.getLocale();
        // A query string (?lang=cy) changes the page's links: such views are drawn afresh and not kept.
        PersonRecordService.Page page = records.page(user, publicId, locale, request.getQueryString() == null);
        if (page instanceof PersonRecordService.Kept kept) {
            return pages.serve(kept.page(), locale, request);
        }
        PersonRecordService.ToDraw draw = (PersonRecordService.ToDraw) page;
        model.addAttribute("record", draw.record());
        // Nothing on the record page moves with the clock; an hour bounds what a missed change could cost.
        return pages.draw(
                "person/record",
                model.asMap(),
                locale,
                draw.key(),
                "",
                clock.instant().plus(Duration.ofHours(1)),
                request,
                response);
    }

    /** The holding agency records whether the child was ever reported missing (yes, no, not known, not recorded). */
    @PostMapping("/records/{publicId}/reported-missing")
    @PreAuthorize(Roles.CASEWORK)
    String reportedMissing(
            @AuthenticationPrincipal SightlineUser user,
            @PathVariable UUID publicId,
            @RequestParam(required = false) String reportedMissing,
            Model model) {
        try {
            records.setReportedMissing(user, publicId, reportedMissing);
        } catch (InvalidRequestException e) {
            model.addAttribute("record", records.view(user, publicId));
            model.addAttribute("errors", List.of(new FieldError("reportedMissing", "record.reportedMissing.error")));
            return "person/record";
        }
        return "redirect:/records/" + publicId;
    }

    /** The search form as typed: every field optional text, validated here with GOV.UK-style messages. */
    record SearchForm(
            String givenName,
            String familyName,
            String dobDay,
            String dobMonth,
            String dobYear,
            String sex,
            String postcode,
            String search) {

        PartialDate dateOfBirth(List<FieldError> errors) {
            Integer day = number(dobDay, 1, 31, "dobDay", "search.error.dob.day", errors);
            Integer month = number(dobMonth, 1, 12, "dobMonth", "search.error.dob.month", errors);
            Integer year = number(dobYear, 1900, 2100, "dobYear", "search.error.dob.year", errors);
            if (!errors.isEmpty()) {
                return PartialDate.unknown();
            }
            if (day != null && month == null || month != null && year == null) {
                errors.add(new FieldError("dobYear", "search.error.dob.partial"));
                return PartialDate.unknown();
            }
            try {
                return new PartialDate(year, month, day);
            } catch (IllegalArgumentException e) {
                errors.add(new FieldError("dobDay", "search.error.dob.real"));
                return PartialDate.unknown();
            }
        }

        private static Integer number(
                String text, int min, int max, String field, String key, List<FieldError> errors) {
            if (text == null || text.isBlank()) {
                return null;
            }
            try {
                int value = Integer.parseInt(text.trim());
                if (value >= min && value <= max) {
                    return value;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            errors.add(new FieldError(field, key));
            return null;
        }
    }
}
