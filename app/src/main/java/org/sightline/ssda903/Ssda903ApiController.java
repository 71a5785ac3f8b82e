package org.sightline.ssda903;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.sightline.access.Roles;
import org.sightline.access.SightlineUser;
import org.sightline.api.IdempotencyKeys;
import org.sightline.shared.InvalidRequestException;
import org.sightline.ssda903.Ssda903ExportService.ExportReport;
import org.sightline.ssda903.Ssda903ExportService.Failure;
import org.sightline.ssda903.Ssda903ImportService.ImportReport;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

@RestController
@RequestMapping("/api/v1/ssda903")
@Tag(
        name = "SSDA903",
        description = "The DfE children looked after return: export with the Missing-table rules, import")
class Ssda903ApiController {

    private final Ssda903ExportService exports;
    private final Ssda903ImportService imports;
    private final Ssda903Previews previews;
    private final IdempotencyKeys idempotency;

    Ssda903ApiController(
            Ssda903ExportService exports,
            Ssda903ImportService imports,
            Ssda903Previews previews,
            IdempotencyKeys idempotency) {
        this.exports = exports;
        this.imports = imports;
        this.previews = previews;
        this.idempotency = idempotency;
    }

    record ExportResponse(
            String authority,
            String authorityName,
            String laNumber,
            int year,
            LocalDate collectionStart,
            LocalDate collectionEnd,
            int headerRows,
            int episodeRows,
            int missingRows,
            boolean passes,
            List<Failure> failures,
            List<String> rulesNotChecked,
            Map<String, Integer> adjustments,
            Map<String, URI> files) {}

    record ImportRequest(int year, String header, String episodes, String missing) {}

    @GetMapping("/exports")
    @PreAuthorize(Roles.SSDA903_RETURNS)
    @Operation(
            summary = "Build the return of the caller's authority for a collection year (2025 = 1 April 2024 to "
                    + "31 March 2025) and report the DfE Missing-table rules; files are linked")
    ExportResponse export(
            @AuthenticationPrincipal SightlineUser user,
            @RequestParam(required = false) String authority,
            @RequestParam String year) {
        ExportReport r = exports.export(user, authority, year(year));
        String query =
                "?authority=" + r.authority().code() + "&year=" + r.year().endYear();
        Map<String, URI> files = new java.util.LinkedHashMap<>();
        Ssda903ExportService.FILES.forEach(
                f -> files.put(f, URI.create("/api/v1/ssda903/exports/" + f + ".csv" + query)));
        return new ExportResponse(
                r.authority().code(),
                r.authority().name(),
                r.authority().laNumber(),
                r.year().endYear(),
                r.year().start(),
                r.year().end(),
                r.headerRows(),
                r.episodeRows(),
                r.missingRows(),
                r.passes(),
                r.failures(),
                r.notChecked(),
                r.noteTotals(),
                files);
    }

    @GetMapping(value = "/exports/{file}.csv", produces = "text/csv")
    @PreAuthorize(Roles.SSDA903_RETURNS)
    @Operation(summary = "One file of the return (header, episodes or missing) in the DfE layout")
    ResponseEntity<String> file(
            @AuthenticationPrincipal SightlineUser user,
            @PathVariable String file,
            @RequestParam(required = false) String authority,
            @RequestParam String year) {
        if (!Ssda903ExportService.FILES.contains(file)) {
            throw new InvalidRequestException("file", "one-of", "must be header, episodes or missing");
        }
        ExportReport r = exports.export(user, authority, year(year));
        return ResponseEntity.ok()
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + file + ".csv\"")
                .contentType(new MediaType("text", "csv", java.nio.charset.StandardCharsets.UTF_8))
                .body(Ssda903ExportService.csv(r.data(), file));
    }

    @PostMapping(value = "/imports", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    @PreAuthorize(Roles.SSDA903_IMPORT)
    @Operation(
            summary = "Import the caller's authority's Header, Episodes and/or Missing CSVs; refused rows are "
                    + "quarantined and listed with file, line and rule. Needs an Idempotency-Key.")
    ResponseEntity<?> importFiles(
            @AuthenticationPrincipal SightlineUser user,
            @RequestHeader(value = IdempotencyKeys.HEADER, required = false) String key,
            @RequestParam String year,
            @RequestPart(required = false) MultipartFile header,
            @RequestPart(required = false) MultipartFile episodes,
            @RequestPart(required = false) MultipartFile missing) {
        CollectionYear collection = year(year);
        if (empty(header) && empty(episodes) && empty(missing)) {
            throw new InvalidRequestException("header", "required", "send at least one of header, episodes, missing");
        }
        ImportRequest request =
                new ImportRequest(collection.endYear(), digest(header), digest(episodes), digest(missing));
        return idempotency.once(user, key, "POST /api/v1/ssda903/imports", request, () -> {
            try {
                ImportReport report = imports.importFor(
                        user,
                        collection,
                        new Ssda903ImportService.Files(stream(header), stream(episodes), stream(missing)));
                return ResponseEntity.ok(report);
            } catch (Ssda903FileException e) {
                throw new InvalidRequestException(e.file(), "ssda903-file", e.getMessage());
            }
        });
    }

    /** A kept preview: its id and links, when it expires, and what importing it would do. */
    record PreviewResponse(
            java.util.UUID id,
            int year,
            java.time.Instant expiresAt,
            Map<String, URI> links,
            Ssda903ImportService.Preview preview) {
        static PreviewResponse of(Ssda903Previews.Kept kept) {
            String self = "/api/v1/ssda903/previews/" + kept.id();
            Map<String, URI> links = new java.util.LinkedHashMap<>();
            links.put("self", URI.create(self));
            links.put("import", URI.create(self + "/import"));
            return new PreviewResponse(kept.id(), kept.year().endYear(), kept.expiresAt(), links, kept.preview());
        }
    }

    @PostMapping(value = "/previews", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    @PreAuthorize(Roles.SSDA903_IMPORT)
    @Operation(
            summary = "Keep the caller's authority's Header, Episodes and/or Missing CSVs and report what importing "
                    + "them would do, writing nothing: date format, would-be counts, first rows as read, refused, held "
                    + "and duplicate rows, notices and DfE rule failures. POST .../import to import, DELETE to "
                    + "cancel; kept until imported, cancelled or expired (sightline.imports.upload-retention).")
    ResponseEntity<PreviewResponse> preview(
            @AuthenticationPrincipal SightlineUser user,
            @RequestParam String year,
            @RequestPart(required = false) MultipartFile header,
            @RequestPart(required = false) MultipartFile episodes,
            @RequestPart(required = false) MultipartFile missing) {
        CollectionYear collection = year(year);
        if (empty(header) && empty(episodes) && empty(missing)) {
            throw new InvalidRequestException("header", "required", "send at least one of header, episodes, missing");
        }
        java.util.UUID id;
        try {
            id = previews.keep(
                    user, collection, new Ssda903Previews.Upload(bytes(header), bytes(episodes), bytes(missing)));
        } catch (Ssda903FileException e) {
            throw new InvalidRequestException(e.file(), "ssda903-file", e.getMessage());
        }
        PreviewResponse body = PreviewResponse.of(previews.view(user, id));
        return ResponseEntity.created(body.links().get("self")).body(body);
    }

    @GetMapping("/previews/{id}")
    @PreAuthorize(Roles.SSDA903_IMPORT)
    @Operation(summary = "A kept preview, read again; 404 once imported, cancelled or expired")
    PreviewResponse previewed(@AuthenticationPrincipal SightlineUser user, @PathVariable java.util.UUID id) {
        return PreviewResponse.of(previews.view(user, id));
    }

    @PostMapping("/previews/{id}/import")
    @PreAuthorize(Roles.SSDA903_IMPORT)
    @Operation(
            summary = "Import a kept preview's files (once; needs an Idempotency-Key, so a retry gets the same report)")
    ResponseEntity<?> importPreviewed(
            @AuthenticationPrincipal SightlineUser user,
            @RequestHeader(value = IdempotencyKeys.HEADER, required = false) String key,
            @PathVariable java.util.UUID id) {
        return idempotency.once(
                user,
                key,
                "POST /api/v1/ssda903/previews/{id}/import",
                Map.of("id", id),
                () -> ResponseEntity.ok(previews.commit(user, id)));
    }

    @org.springframework.web.bind.annotation.DeleteMapping("/previews/{id}")
    @PreAuthorize(Roles.SSDA903_IMPORT)
    @Operation(summary = "Cancel a kept preview: its files are dropped and nothing is imported")
    ResponseEntity<Void> cancel(@AuthenticationPrincipal SightlineUser user, @PathVariable java.util.UUID id) {
        previews.cancel(user, id);
        return ResponseEntity.noContent().build();
    }

    static CollectionYear year(String year) {
        try {
            return CollectionYear.parse(year);
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException("year", "collection-year", e.getMessage());
        }
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

    private static byte[] bytes(MultipartFile f) {
        try {
            return empty(f) ? null : f.getBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String digest(MultipartFile f) {
        if (empty(f)) {
            return null;
        }
        try {
            return org.apache.commons.codec.digest.DigestUtils.sha256Hex(f.getBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
