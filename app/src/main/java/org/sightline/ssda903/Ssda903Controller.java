package org.sightline.ssda903;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import org.sightline.access.Roles;
import org.sightline.access.SightlineUser;
import org.sightline.shared.NotFoundException;
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
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The SSDA903 page of an authority: export a year with its rule report and downloads; upload the three files, see
 * what importing them would do (nothing is written), then import or cancel.
 */
@Controller
class Ssda903Controller {

    private final Ssda903ExportService exports;
    private final Ssda903Previews previews;
    private final Clock clock;

    Ssda903Controller(Ssda903ExportService exports, Ssda903Previews previews, Clock clock) {
        this.exports = exports;
        this.previews = previews;
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
        UUID id;
        try {
            id = previews.keep(
                    user, collection, new Ssda903Previews.Upload(bytes(header), bytes(episodes), bytes(missing)));
        } catch (Ssda903FileException e) {
            model.addAttribute("errors", List.of(new FieldError(e.file(), "ssda903.error.file")));
            model.addAttribute("fileProblem", e.getMessage());
            return "ssda903/ssda903";
        }
        return "redirect:/ssda903/previews/" + id;
    }

    /** What importing the kept files would do: counts, first rows, refusals, held rows, rules; import or cancel. */
    @GetMapping("/ssda903/previews/{id}")
    @PreAuthorize(Roles.SSDA903_IMPORT)
    String preview(
            @AuthenticationPrincipal SightlineUser user, @PathVariable UUID id, Model model, RedirectAttributes flash) {
        try {
            model.addAttribute("kept", previews.view(user, id));
        } catch (NotFoundException e) {
            flash.addFlashAttribute("previewGone", true);
            return "redirect:/ssda903";
        }
        return "ssda903/preview";
    }

    @PostMapping("/ssda903/previews/{id}/import")
    @PreAuthorize(Roles.SSDA903_IMPORT)
    String importPreviewed(
            @AuthenticationPrincipal SightlineUser user, @PathVariable UUID id, Model model, RedirectAttributes flash) {
        try {
            model.addAttribute("imported", previews.commit(user, id));
        } catch (NotFoundException e) {
            flash.addFlashAttribute("previewGone", true);
            return "redirect:/ssda903";
        }
        model.addAttribute("year", defaultYear());
        return "ssda903/ssda903";
    }

    @PostMapping("/ssda903/previews/{id}/cancel")
    @PreAuthorize(Roles.SSDA903_IMPORT)
    String cancelPreview(@AuthenticationPrincipal SightlineUser user, @PathVariable UUID id, RedirectAttributes flash) {
        try {
            previews.cancel(user, id);
            flash.addFlashAttribute("previewCancelled", true);
        } catch (NotFoundException e) {
            flash.addFlashAttribute("previewGone", true);
        }
        return "redirect:/ssda903";
    }

    private static boolean empty(MultipartFile f) {
        return f == null || f.isEmpty();
    }

    private static byte[] bytes(MultipartFile f) {
        try {
            return empty(f) ? null : f.getBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
