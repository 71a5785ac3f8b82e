package org.sightline.importexport;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.sightline.access.Roles;
import org.sightline.access.SightlineUser;
import org.sightline.importexport.ImportService.ImportRequest;
import org.sightline.shared.ConflictException;
import org.sightline.shared.InvalidRequestException;
import org.sightline.web.FieldError;
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
 * Web import: upload → preview (first rows, would-be counts, errors; nothing written) → commit → report page that
 * refreshes itself (HTTP Refresh header, no JavaScript) while the import runs → quarantined rows corrected and replayed.
 */
@Controller
class ImportController {

    private final ImportService imports;
    private final MappingProfiles profiles;

    ImportController(ImportService imports, MappingProfiles profiles) {
        this.imports = imports;
        this.profiles = profiles;
    }

    private void uploadPage(SightlineUser user, Model model, String kind, String profile) {
        model.addAttribute(
                "kinds",
                List.of(ImportKind.values()).stream().map(ImportKind::code).toList());
        model.addAttribute("profiles", profiles.list(user));
        model.addAttribute("kind", kind);
        model.addAttribute("profile", profile);
        model.addAttribute("runs", imports.recent(user, 20));
    }

    @GetMapping("/imports")
    @PreAuthorize(Roles.IMPORTS)
    String list(@AuthenticationPrincipal SightlineUser user, Model model) {
        uploadPage(user, model, null, null);
        return "importexport/imports";
    }

    @PostMapping("/imports")
    @PreAuthorize(Roles.IMPORTS)
    String upload(
            @AuthenticationPrincipal SightlineUser user,
            @RequestParam(required = false) String kind,
            @RequestParam(required = false) String profile,
            @RequestParam(required = false) MultipartFile file,
            Model model)
            throws IOException {
        List<FieldError> errors = new ArrayList<>();
        if (kind == null || ImportKind.fromCode(kind).isEmpty()) {
            errors.add(new FieldError("kind", "import.error.kind"));
        }
        if (file == null || file.isEmpty()) {
            errors.add(new FieldError("file", "import.error.file"));
        }
        if (errors.isEmpty()) {
            try {
                UUID id = imports.keepForCommit(
                        user,
                        new ImportRequest(
                                user.agencyCode(),
                                kind,
                                profile,
                                file.getOriginalFilename(),
                                user.username(),
                                ImportService.DEFAULT_BATCH_SIZE,
                                null),
                        file.getBytes());
                return "redirect:/imports/" + id + "/preview";
            } catch (InvalidRequestException e) {
                errors.add(new FieldError("profile", "import.error.profile"));
            }
        }
        model.addAttribute("errors", errors);
        uploadPage(user, model, kind, profile);
        return "importexport/imports";
    }

    @GetMapping("/imports/{id}/preview")
    @PreAuthorize(Roles.IMPORTS)
    String preview(@AuthenticationPrincipal SightlineUser user, @PathVariable UUID id, Model model) {
        model.addAttribute("id", id);
        model.addAttribute("preview", imports.previewKept(user, id));
        return "importexport/preview";
    }

    @PostMapping("/imports/{id}/commit")
    @PreAuthorize(Roles.IMPORTS)
    String commit(@AuthenticationPrincipal SightlineUser user, @PathVariable UUID id) {
        imports.commitInBackground(user, id);
        return "redirect:/imports/" + id;
    }

    @PostMapping("/imports/{id}/discard")
    @PreAuthorize(Roles.IMPORTS)
    String discard(@AuthenticationPrincipal SightlineUser user, @PathVariable UUID id) {
        boolean previewed = "previewed".equals(imports.report(user, id).status());
        try {
            imports.discard(user, id);
        } catch (ConflictException e) {
            // Already resumed, discarded or finished (a second click, another tab): the report shows which.
            return "redirect:/imports/" + id;
        }
        return previewed ? "redirect:/imports" : "redirect:/imports/" + id;
    }

    @PostMapping("/imports/{id}/resume")
    @PreAuthorize(Roles.IMPORTS)
    String resume(@AuthenticationPrincipal SightlineUser user, @PathVariable UUID id) {
        try {
            imports.resume(user, id);
        } catch (ConflictException e) {
            // No longer interrupted, or its upload has expired: the report says what can still be done.
            return "redirect:/imports/" + id;
        }
        return "redirect:/imports/" + id;
    }

    @GetMapping("/imports/{id}")
    @PreAuthorize(Roles.IMPORTS)
    String report(
            @AuthenticationPrincipal SightlineUser user,
            @PathVariable UUID id,
            Model model,
            HttpServletResponse response) {
        ImportReport report = imports.report(user, id);
        if ("previewed".equals(report.status())) {
            return "redirect:/imports/" + id + "/preview";
        }
        if (!report.finished()) {
            // Progress without JavaScript: the browser reloads the page until the run has finished.
            response.setHeader("Refresh", "2");
        }
        model.addAttribute("report", report);
        model.addAttribute("resumable", "interrupted".equals(report.status()) && imports.resumable(user, id));
        model.addAttribute("rows", report.finished() ? imports.quarantine(user, id, 500) : List.of());
        return "importexport/report";
    }

    @GetMapping("/imports/{id}/quarantine/{rowId}")
    @PreAuthorize(Roles.IMPORTS)
    String row(
            @AuthenticationPrincipal SightlineUser user, @PathVariable UUID id, @PathVariable UUID rowId, Model model) {
        return correctionPage(id, imports.quarantineForm(user, id, rowId), model);
    }

    /** The correction form: its problems are the page's errors (summary, "Error:" title), each under its own field. */
    private static String correctionPage(UUID id, QuarantineForm form, Model model) {
        model.addAttribute("id", id);
        model.addAttribute("form", form);
        model.addAttribute("errors", form.problems());
        return "importexport/quarantine-row";
    }

    @PostMapping("/imports/{id}/quarantine/{rowId}")
    @PreAuthorize(Roles.IMPORTS)
    String correct(
            @AuthenticationPrincipal SightlineUser user,
            @PathVariable UUID id,
            @PathVariable UUID rowId,
            @RequestParam Map<String, String> form,
            Model model,
            RedirectAttributes flash) {
        QuarantinedRow row = imports.quarantinedRow(user, id, rowId);
        Map<String, String> values = new LinkedHashMap<>();
        int i = 0;
        for (String key : row.raw().keySet()) {
            values.put(key, form.getOrDefault("v" + i++, ""));
        }
        String line = row.wholeLine() ? form.getOrDefault(QuarantineForm.LINE, "") : null;
        int version;
        try {
            version = Integer.parseInt(form.getOrDefault("version", ""));
        } catch (NumberFormatException e) {
            version = -1;
        }
        try {
            QuarantinedRow after = imports.correctAndReplay(
                    user, id, rowId, values, line, version, "true".equals(form.get("overwriteNewer")));
            if ("replayed".equals(after.status())) {
                flash.addFlashAttribute("replayed", after.line());
                return "redirect:/imports/" + id;
            }
            model.addAttribute("stillFailing", true);
            return correctionPage(id, imports.quarantineForm(user, id, after), model);
        } catch (ConflictException e) {
            if (!"newer-version".equals(e.rule())) {
                model.addAttribute("stale", true);
                return correctionPage(id, imports.quarantineForm(user, id, rowId), model);
            }
            // Nothing saved: the form shows what was typed, with the choice to overwrite the newer version.
            model.addAttribute("newer", true);
            QuarantineForm typed = imports.quarantineForm(
                    user,
                    id,
                    new QuarantinedRow(
                            row.id(),
                            row.line(),
                            row.ref(),
                            values,
                            row.errors(),
                            row.status(),
                            row.outcome(),
                            row.version(),
                            row.history()));
            return correctionPage(
                    id,
                    line == null ? typed : new QuarantineForm(typed.row(), typed.fields(), typed.rowErrors(), line),
                    model);
        } catch (InvalidRequestException e) {
            model.addAttribute("notOneRow", true);
            return correctionPage(
                    id,
                    new QuarantineForm(
                            row,
                            List.of(),
                            List.of(RowError.of(
                                    ImportError.E1008, row.line(), null, "the corrected text is not one CSV row")),
                            line),
                    model);
        }
    }
}
