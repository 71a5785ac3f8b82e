package org.sightline.importexport;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.commons.codec.digest.DigestUtils;
import org.sightline.access.Roles;
import org.sightline.access.SightlineUser;
import org.sightline.api.IdempotencyKeys;
import org.sightline.importexport.ImportService.ImportRequest;
import org.sightline.shared.InvalidRequestException;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MaxUploadSizeExceededException;
import org.springframework.web.multipart.MultipartException;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.multipart.support.MissingServletRequestPartException;

@RestController
@RequestMapping("/api/v1/imports")
@Tag(name = "Imports", description = "Bulk CSV import for the caller's agency: preview, run, report, quarantine")
class ImportApiController {

    private final ImportService imports;
    private final IdempotencyKeys idempotency;

    ImportApiController(ImportService imports, IdempotencyKeys idempotency) {
        this.imports = imports;
        this.idempotency = idempotency;
    }

    /** What the idempotency check compares: a retry with the same file and options replays the first report. */
    record ImportCreate(String kind, String profile, String fileName, String sha256) {}

    /**
     * A correction: {@code values} by the file's column names, or {@code line}, the whole row as one CSV line (the
     * only form a row with the wrong number of fields takes); {@code overwriteNewer} confirms overwriting a record
     * changed since the file was imported.
     */
    record Correction(Map<String, String> values, String line, Integer version, Boolean overwriteNewer) {}

    @PostMapping(consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    @PreAuthorize(Roles.IMPORTS)
    @Operation(
            summary = "Import a CSV file (multipart 'file', 'kind', optional 'profile'): 202 with the run's report, "
                    + "'queued' (queuePosition) or 'running'; follow Location until it has finished. ?dryRun=true previews "
                    + "without writing. Creates need an Idempotency-Key header.")
    ResponseEntity<?> create(
            @AuthenticationPrincipal SightlineUser user,
            @RequestHeader(name = IdempotencyKeys.HEADER, required = false) String key,
            @RequestPart(name = "file", required = false) MultipartFile file,
            @io.swagger.v3.oas.annotations.Parameter(
                            description = "The kind of file (docs/csv-format.md)",
                            schema =
                                    @io.swagger.v3.oas.annotations.media.Schema(
                                            allowableValues = {
                                                "person-records",
                                                "missing-episodes",
                                                "concerns",
                                                "adults-of-concern",
                                                "locations",
                                                "vehicles",
                                                "phones",
                                                "associations"
                                            }))
                    @RequestParam(required = false)
                    String kind,
            @RequestParam(required = false) String profile,
            @RequestParam(defaultValue = "false") boolean dryRun)
            throws IOException {
        if (file == null || file.isEmpty()) {
            throw new InvalidRequestException("file", "required", "attach the CSV file as the multipart part 'file'");
        }
        byte[] content = file.getBytes();
        ImportRequest request = new ImportRequest(
                user.agencyCode(),
                kind,
                profile,
                file.getOriginalFilename(),
                user.username(),
                ImportService.DEFAULT_BATCH_SIZE,
                null);
        if (dryRun) {
            return ResponseEntity.ok(imports.preview(request, new ByteArrayInputStream(content)));
        }
        ImportCreate body = new ImportCreate(kind, profile, file.getOriginalFilename(), DigestUtils.sha256Hex(content));
        // Queued, not run on this thread: a request waiting for an import slot would hold a connection meanwhile.
        return idempotency.once(user, key, "POST /api/v1/imports", body, () -> {
            ImportReport report = imports.queue(user, request, content);
            return ResponseEntity.accepted()
                    .location(URI.create("/api/v1/imports/" + report.id()))
                    .header(org.springframework.http.HttpHeaders.RETRY_AFTER, "2")
                    .body(report);
        });
    }

    @GetMapping("/{id}")
    @PreAuthorize(Roles.IMPORTS)
    @Operation(summary = "An import's report: received = imported + updated + unchanged + quarantined")
    ImportReport get(@AuthenticationPrincipal SightlineUser user, @PathVariable UUID id) {
        return imports.report(user, id);
    }

    @GetMapping("/{id}/quarantine")
    @PreAuthorize(Roles.IMPORTS)
    @Operation(summary = "The import's quarantined (and replayed) rows with their errors, by line")
    List<QuarantinedRow> quarantine(
            @AuthenticationPrincipal SightlineUser user,
            @PathVariable UUID id,
            @RequestParam(defaultValue = "500") int limit) {
        return imports.quarantine(user, id, Math.max(1, Math.min(limit, 5_000)));
    }

    @GetMapping("/{id}/quarantine/{rowId}")
    @PreAuthorize(Roles.IMPORTS)
    @Operation(summary = "One quarantined row")
    QuarantinedRow quarantinedRow(
            @AuthenticationPrincipal SightlineUser user, @PathVariable UUID id, @PathVariable UUID rowId) {
        return imports.quarantinedRow(user, id, rowId);
    }

    @PutMapping("/{id}/quarantine/{rowId}")
    @PreAuthorize(Roles.IMPORTS)
    @Operation(
            summary =
                    "Correct a quarantined row and replay it: 'values' by the file's column names, or 'line', the "
                            + "whole row as one CSV line (required for a row with the wrong number of fields, E1008); 'version' as read "
                            + "(409 if stale); 409 'newer-version' when the record changed since the import unless 'overwriteNewer' is true")
    QuarantinedRow correct(
            @AuthenticationPrincipal SightlineUser user,
            @PathVariable UUID id,
            @PathVariable UUID rowId,
            @RequestBody Correction correction) {
        if (correction.version() == null) {
            throw new InvalidRequestException("version", "required", "send the version you read");
        }
        return imports.correctAndReplay(
                user,
                id,
                rowId,
                correction.values(),
                correction.line(),
                correction.version(),
                Boolean.TRUE.equals(correction.overwriteNewer()));
    }

    @PostMapping("/{id}/quarantine/{rowId}/replay")
    @PreAuthorize(Roles.IMPORTS)
    @Operation(
            summary = "Replay a quarantined row as it stands (e.g. after importing the person record it needs); "
                    + "?overwriteNewer=true confirms overwriting a record changed since the import")
    QuarantinedRow replay(
            @AuthenticationPrincipal SightlineUser user,
            @PathVariable UUID id,
            @PathVariable UUID rowId,
            @RequestParam(defaultValue = "false") boolean overwriteNewer) {
        QuarantinedRow row = imports.quarantinedRow(user, id, rowId);
        return imports.correctAndReplay(
                user,
                id,
                rowId,
                Map.of(),
                row.wholeLine() ? CsvRows.formatLine(List.copyOf(row.raw().values())) : null,
                row.version(),
                overwriteNewer);
    }

    // Multipart problems never reach the shared handler's catch-all: they are the caller's mistakes, not a 500.
    @ExceptionHandler(MaxUploadSizeExceededException.class)
    ProblemDetail tooLarge(MaxUploadSizeExceededException e) {
        return problem(
                HttpStatus.CONTENT_TOO_LARGE,
                "too-large",
                "The file is larger than the upload limit; use the CLI for very large files.");
    }

    @ExceptionHandler({
        MissingServletRequestPartException.class,
        MultipartException.class,
        MissingServletRequestParameterException.class
    })
    ProblemDetail badMultipart(Exception e) {
        return problem(
                HttpStatus.BAD_REQUEST,
                "invalid-request",
                "Send multipart/form-data with the CSV as part 'file' and the 'kind' (" + ImportKind.codes() + ").");
    }

    private static ProblemDetail problem(HttpStatus status, String rule, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(URI.create("https://sightline.invalid/problems/" + rule));
        problem.setProperty("rule", rule);
        return problem;
    }
}
