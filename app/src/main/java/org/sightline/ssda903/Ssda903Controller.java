package org.sightline.ssda903;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import org.sightline.access.Roles;
import org.sightline.access.SightlineUser;
import org.sightline.web.FieldError;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.multipart.MultipartFile;

/** The SSDA903 page of an authority: export a year with its rule report and downloads; upload the three files. */
@Controller
class Ssda903Controller {

    private final Ssda903ExportService exports;
    private final Ssda903ImportService imports;
    private final Clock clock;

    Ssda903Controller(Ssda903ExportService exports, Ssda903ImportService imports, Clock clock) {
        this.exports = exports;
        this.imports = imports;
        this.clock = clock;
    }

    /** The collection year under way today (it ends on the next 31 March). */
    private String defaultYear() {
        LocalDate today = LocalDate.now(clock);
        return String.valueOf(today.getMonthValue() >= 4 ? today.getYear() + 1 : today.getYear());
    }

    @GetMapping("/ssda903")
    @PreAuthorize(Roles.SSDA903_RETURNS)
    String page(@AuthenticationPrincipal SightlineUser user, @RequestParam(required = false) String year, Model model) {
        model.addAttribute("year", year == null ? defaultYear() : year);
        if (year == null) {
            return "ssda903/ssda903";
        }
        CollectionYear collection;
        try {
            collection = CollectionYear.parse(year);
        } catch (IllegalArgumentException e) {
            model.addAttribute("errors", List.of(new FieldError("year", "ssda903.error.year")));
            return "ssda903/ssda903";
        }
        model.addAttribute("report", exports.export(user, null, collection));
        return "ssda903/ssda903";
    }

    @GetMapping("/ssda903/{year}/{file}.csv")
    @PreAuthorize(Roles.SSDA903_RETURNS)
    ResponseEntity<byte[]> download(
            @AuthenticationPrincipal SightlineUser user, @PathVariable String year, @PathVariable String file) {
        if (!Ssda903ExportService.FILES.contains(file)) {
            throw new org.sightline.shared.NotFoundException("File");
        }
        CollectionYear collection;
        try {
            collection = CollectionYear.parse(year);
        } catch (IllegalArgumentException e) {
            throw new org.sightline.shared.NotFoundException("File");
        }
        var report = exports.export(user, null, collection);
        return ResponseEntity.ok()
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + file + ".csv\"")
                .contentType(new MediaType("text", "csv", StandardCharsets.UTF_8))
                .body(Ssda903ExportService.csv(report.data(), file).getBytes(StandardCharsets.UTF_8));
    }

    @PostMapping("/ssda903/import")
    @PreAuthorize(Roles.SSDA903_IMPORT)
    String upload(
            @AuthenticationPrincipal SightlineUser user,
            @RequestParam(required = false) String importYear,
            @RequestParam(required = false) MultipartFile header,
            @RequestParam(required = false) MultipartFile episodes,
            @RequestParam(required = false) MultipartFile missing,
            Model model) {
        model.addAttribute("year", defaultYear());
        model.addAttribute("importYear", importYear);
        CollectionYear collection;
        try {
            collection = CollectionYear.parse(importYear);
        } catch (IllegalArgumentException e) {
            model.addAttribute("errors", List.of(new FieldError("importYear", "ssda903.error.year")));
            return "ssda903/ssda903";
        }
        if (empty(header) && empty(episodes) && empty(missing)) {
            model.addAttribute("errors", List.of(new FieldError("header", "ssda903.error.nofile")));
            return "ssda903/ssda903";
        }
        try {
            model.addAttribute(
                    "imported",
                    imports.importFor(
                            user,
                            collection,
                            new Ssda903ImportService.Files(stream(header), stream(episodes), stream(missing))));
        } catch (Ssda903FileException e) {
            model.addAttribute("errors", List.of(new FieldError(e.file(), "ssda903.error.file")));
            model.addAttribute("fileProblem", e.getMessage());
        }
        return "ssda903/ssda903";
    }

    private static boolean empty(MultipartFile f) {
        return f == null || f.isEmpty();
    }

    private static InputStream stream(MultipartFile f) {
        try {
            return empty(f) ? null : f.getInputStream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
