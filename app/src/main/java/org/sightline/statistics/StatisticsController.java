package org.sightline.statistics;

import de.siegmar.fastcsv.writer.CsvWriter;
import de.siegmar.fastcsv.writer.LineDelimiter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.sightline.access.Roles;
import org.sightline.access.SightlineUser;
import org.sightline.shared.CsvCells;
import org.sightline.shared.NotFoundException;
import org.sightline.web.FieldError;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;

/**
 * The statistics pages (issue 9 part 6): profiles, reconciliation and data quality for an area and period given in
 * the URL (so a view can be shared), each table with its CSV download of exactly the same cells. Published figures
 * only: counts of 1 to 4 are suppressed; charts are drawn in the browser from the tables.
 */
@Controller
class StatisticsController {

    private final StatisticsPages pages;
    private final Clock clock;

    StatisticsController(StatisticsPages pages, Clock clock) {
        this.pages = pages;
        this.clock = clock;
    }

    /** The filters as typed (URL parameters). */
    record Filters(String area, String from, String to, String asAt) {

        String query() {
            List<String> parts = new ArrayList<>();
            add(parts, "area", area);
            add(parts, "from", from);
            add(parts, "to", to);
            add(parts, "asAt", asAt);
            return parts.isEmpty() ? "" : "?" + String.join("&", parts);
        }

        private static void add(List<String> parts, String name, String value) {
            if (value != null && !value.isBlank()) {
                parts.add(name + "=" + java.net.URLEncoder.encode(value.strip(), StandardCharsets.UTF_8));
            }
        }
    }

    @GetMapping("/statistics")
    @PreAuthorize(Roles.STATISTICS)
    String dashboard(@AuthenticationPrincipal SightlineUser user, @ModelAttribute Filters filters, Model model) {
        return page(user, "victims", filters, model);
    }

    @GetMapping("/statistics/{view}")
    @PreAuthorize(Roles.STATISTICS)
    String page(
            @AuthenticationPrincipal SightlineUser user,
            @PathVariable String view,
            @ModelAttribute Filters filters,
            Model model) {
        if (!StatisticsPages.VIEWS.contains(view)) {
            throw new NotFoundException("Statistics page");
        }
        model.addAttribute("view", view);
        model.addAttribute("views", StatisticsPages.VIEWS);
        model.addAttribute("filters", filters);
        model.addAttribute("query", filters.query());
        List<FieldError> errors = new ArrayList<>();
        ProfileQuery q = query(filters, errors);
        model.addAttribute("errorFields", errors.stream().map(FieldError::field).collect(Collectors.toSet()));
        if (!errors.isEmpty()) {
            model.addAttribute("errors", errors);
            return "statistics/statistics";
        }
        model.addAttribute("areaName", pages.areaName(q.area()));
        model.addAttribute(
                "result",
                pages.view(view, q, user.username(), user.agencyCode(), user.hasRole(Roles.SUPERVISOR) ? user : null));
        return "statistics/statistics";
    }

    @GetMapping("/statistics/{view}/{table}.csv")
    @PreAuthorize(Roles.STATISTICS)
    ResponseEntity<byte[]> csv(
            @AuthenticationPrincipal SightlineUser user,
            @PathVariable String view,
            @PathVariable String table,
            @ModelAttribute Filters filters) {
        if (!StatisticsPages.VIEWS.contains(view)) {
            throw new NotFoundException("Statistics page");
        }
        List<FieldError> errors = new ArrayList<>();
        ProfileQuery q = query(filters, errors);
        if (!errors.isEmpty()) {
            throw new org.sightline.shared.InvalidRequestException(
                    errors.get(0).field(), "date", "must be a date written yyyy-mm-dd, not before from");
        }
        StatTable t = pages.view(view, q, user.username(), user.agencyCode(), null).tables().stream()
                .filter(x -> x.id().equals(table))
                .findFirst()
                .orElseThrow(() -> new NotFoundException("Table"));
        return csv(t, view + "-" + table + ".csv");
    }

    /**
     * The children behind one authority's reconciliation row and group (matched, authority-only, police-only), for
     * supervisors and only the children their agency may open; others are told the list is not theirs to see.
     */
    @GetMapping("/statistics/reconciliation/{authority}/{group}")
    @PreAuthorize(Roles.STATISTICS)
    String reconciliationChildren(
            @AuthenticationPrincipal SightlineUser user,
            @PathVariable String authority,
            @PathVariable String group,
            @ModelAttribute Filters filters,
            Model model) {
        Reconciliation.Group g = group(authority, group);
        model.addAttribute("filters", filters);
        model.addAttribute("query", filters.query());
        List<FieldError> errors = new ArrayList<>();
        ProfileQuery q = query(filters, errors);
        if (!errors.isEmpty()) {
            throw new org.sightline.shared.InvalidRequestException(
                    errors.get(0).field(), "date", "must be a date written yyyy-mm-dd, not before from");
        }
        model.addAttribute("entitled", StatisticsPages.entitled(user));
        model.addAttribute("authority", authority);
        model.addAttribute("group", group);
        if (StatisticsPages.entitled(user)) {
            model.addAttribute("list", pages.children(q, authority, g, user));
        }
        return "statistics/reconciliation-children";
    }

    @GetMapping("/statistics/reconciliation/{authority}/{group}.csv")
    @PreAuthorize(Roles.STATISTICS)
    ResponseEntity<byte[]> reconciliationChildrenCsv(
            @AuthenticationPrincipal SightlineUser user,
            @PathVariable String authority,
            @PathVariable String group,
            @ModelAttribute Filters filters) {
        Reconciliation.Group g = group(authority, group);
        List<FieldError> errors = new ArrayList<>();
        ProfileQuery q = query(filters, errors);
        if (!errors.isEmpty()) {
            throw new org.sightline.shared.InvalidRequestException(
                    errors.get(0).field(), "date", "must be a date written yyyy-mm-dd, not before from");
        }
        StatTable t = pages.children(q, authority, g, user).table();
        return csv(t, "reconciliation-" + authority + "-" + group + ".csv");
    }

    private static Reconciliation.Group group(String authority, String group) {
        if (!authority.matches("[A-Za-z0-9-]{1,40}")) {
            throw new NotFoundException("Authority");
        }
        return Reconciliation.Group.fromCode(group).orElseThrow(() -> new NotFoundException("Statistics page"));
    }

    private static ResponseEntity<byte[]> csv(StatTable t, String filename) {
        StringWriter out = new StringWriter();
        CsvWriter csv = CsvWriter.builder().lineDelimiter(LineDelimiter.CRLF).build(out);
        csv.writeRecord(CsvCells.neutralise(t.columns()));
        t.rows().forEach(r -> csv.writeRecord(CsvCells.neutralise(r)));
        try {
            csv.flush();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return ResponseEntity.ok()
                .contentType(new MediaType("text", "csv", StandardCharsets.UTF_8))
                .header(
                        HttpHeaders.CONTENT_DISPOSITION,
                        ContentDisposition.attachment()
                                .filename(filename)
                                .build()
                                .toString())
                .body(out.toString().getBytes(StandardCharsets.UTF_8));
    }

    private ProfileQuery query(Filters f, List<FieldError> errors) {
        LocalDate from = date(f.from(), "from", errors);
        LocalDate to = date(f.to(), "to", errors);
        LocalDate asAt = date(f.asAt(), "asAt", errors);
        if (from != null && to != null && to.isBefore(from)) {
            errors.add(new FieldError("to", "statistics.error.order"));
        }
        LocalDate at = asAt != null ? asAt : to != null ? to : LocalDate.now(clock.withZone(Profiles.LONDON));
        String area = f.area() == null || f.area().isBlank() ? null : f.area().strip();
        if (area != null && (area.length() > 20 || !area.matches("[A-Za-z0-9-]+"))) {
            errors.add(new FieldError("area", "statistics.error.area"));
        }
        return new ProfileQuery(area, from, to, at);
    }

    private static LocalDate date(String value, String field, List<FieldError> errors) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return LocalDate.parse(value.strip());
        } catch (DateTimeParseException e) {
            errors.add(new FieldError(field, "statistics.error.date." + field));
            return null;
        }
    }
}
