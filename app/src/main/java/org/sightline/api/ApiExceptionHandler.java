package org.sightline.api;

import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.util.List;
import java.util.stream.Collectors;
import org.sightline.access.RefusalAudit;
import org.sightline.shared.ConflictException;
import org.sightline.shared.DatabaseOutage;
import org.sightline.shared.InvalidRequestException;
import org.sightline.shared.NotFoundException;
import org.sightline.shared.TextRules;
import org.sightline.shared.Violation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.dao.TransientDataAccessResourceException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.validation.BindException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.MissingRequestHeaderException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import tools.jackson.databind.DatabindException;

/**
 * Every API error is application/problem+json. First among the controller advices, so Spring's own exceptions (an
 * unreadable body, a missing part, a wrong method) get problem+json in this format too, through the base class. Validation problems carry {@code errors: [{field, rule, message}]};
 * nothing from an exception's internals (stack, SQL, rejected values) reaches the client.
 */
@RestControllerAdvice(annotations = RestController.class)
@Order(Ordered.HIGHEST_PRECEDENCE)
public class ApiExceptionHandler extends ResponseEntityExceptionHandler {

    private static final Logger LOG = LoggerFactory.getLogger(ApiExceptionHandler.class);
    private static final String TYPE = "https://sightline.invalid/problems/";

    private final RefusalAudit refusals;

    ApiExceptionHandler(RefusalAudit refusals) {
        this.refusals = refusals;
    }

    static ProblemDetail problem(HttpStatus status, String rule, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(URI.create(TYPE + rule));
        problem.setProperty("rule", rule);
        return problem;
    }

    @ExceptionHandler(InvalidRequestException.class)
    ProblemDetail invalid(InvalidRequestException e) {
        ProblemDetail problem = problem(
                HttpStatus.BAD_REQUEST,
                "invalid-request",
                "The request breaks " + e.violations().size() + " rule(s); see errors.");
        problem.setProperty("errors", e.violations());
        return problem;
    }

    @ExceptionHandler(BindException.class)
    ProblemDetail binding(BindException e) {
        List<Violation> violations = e.getFieldErrors().stream()
                .map(f -> new Violation(
                        f.getField(),
                        f.getCode() == null ? "invalid" : f.getCode(),
                        f.getDefaultMessage() == null ? "is not valid" : f.getDefaultMessage()))
                .toList();
        return invalid(new InvalidRequestException(violations));
    }

    /**
     * A body that is not JSON of the right shape (a date that is not an instant, a number as text, a string with a
     * control character): name the JSON property that failed and the rule, so clients can fix it. Never echoes the
     * value.
     */
    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(
            HttpMessageNotReadableException e, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        return ResponseEntity.badRequest()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(unreadable(e));
    }

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(
            MethodArgumentNotValidException e, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        return ResponseEntity.badRequest()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(binding(e));
    }

    private ProblemDetail unreadable(HttpMessageNotReadableException e) {
        for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
            // Mapping errors carry the property; a syntax error (truncated, not JSON) is the body's, whatever its path.
            if (t instanceof DatabindException j && !j.getPath().isEmpty()) {
                String field = j.getPath().stream()
                        .map(r -> r.getPropertyName() != null ? r.getPropertyName() : String.valueOf(r.getIndex()))
                        .collect(Collectors.joining("."));
                boolean text =
                        j.getOriginalMessage() != null && j.getOriginalMessage().startsWith(TextRulesModule.MARK);
                return invalid(new InvalidRequestException(
                        field,
                        text ? TextRules.RULE : "type",
                        text
                                ? TextRules.MESSAGE
                                : "has the wrong type or format (instants are ISO-8601 like 2026-03-28T10:00:00Z, dates "
                                        + "2026-03-28; numbers as numbers; codes from the documented lists)"));
            }
        }
        return problem(HttpStatus.BAD_REQUEST, "unreadable-body", "The request body is not valid JSON.");
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ProblemDetail typeMismatch(MethodArgumentTypeMismatchException e) {
        return invalid(new InvalidRequestException(
                e.getName(),
                "type",
                "must be a "
                        + (e.getRequiredType() == null
                                ? "valid value"
                                : e.getRequiredType().getSimpleName())));
    }

    @ExceptionHandler(MissingRequestHeaderException.class)
    ProblemDetail missingHeader(MissingRequestHeaderException e) {
        return invalid(new InvalidRequestException(e.getHeaderName(), "required", "header is required"));
    }

    @ExceptionHandler(NotFoundException.class)
    ProblemDetail notFound(NotFoundException e) {
        return problem(HttpStatus.NOT_FOUND, "not-found", "No such record, or not one your agency may see.");
    }

    @ExceptionHandler(ConflictException.class)
    ProblemDetail conflict(ConflictException e) {
        return problem(HttpStatus.CONFLICT, e.rule(), e.getMessage());
    }

    @ExceptionHandler(OptimisticLockingFailureException.class)
    ProblemDetail optimisticLock(OptimisticLockingFailureException e) {
        return conflict(ConflictException.staleVersion("The record"));
    }

    @ExceptionHandler(AccessDeniedException.class)
    ProblemDetail denied(AccessDeniedException e, HttpServletRequest request) {
        refusals.roleRefused(SecurityContextHolder.getContext().getAuthentication(), request);
        return problem(HttpStatus.FORBIDDEN, "forbidden", "Your role does not allow this.");
    }

    /** The database cannot be reached: try again shortly; nothing was saved. */
    @ExceptionHandler({
        DataAccessResourceFailureException.class,
        TransientDataAccessResourceException.class,
        CannotCreateTransactionException.class
    })
    ResponseEntity<ProblemDetail> unavailable(Exception e) {
        LOG.warn("database unavailable: {}", e.getClass().getSimpleName());
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                .header(HttpHeaders.RETRY_AFTER, DatabaseOutage.RETRY_AFTER_SECONDS)
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(problem(
                        HttpStatus.SERVICE_UNAVAILABLE,
                        "unavailable",
                        "Sightline cannot reach its database just now; nothing was saved. Try again shortly."));
    }

    @ExceptionHandler(Exception.class)
    ProblemDetail unexpected(Exception e) {
        LOG.error("Unexpected error answering an API request", e);
        return problem(
                HttpStatus.INTERNAL_SERVER_ERROR, "internal", "Something went wrong on our side; nothing was saved.");
    }
}
