package org.sightline.api;

import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.util.List;
import org.sightline.access.RefusalAudit;
import org.sightline.shared.ConflictException;
import org.sightline.shared.InvalidRequestException;
import org.sightline.shared.NotFoundException;
import org.sightline.shared.Violation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.validation.BindException;
import org.springframework.web.bind.MissingRequestHeaderException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;

/**
 * Every API error is application/problem+json. Validation problems carry {@code errors: [{field, rule, message}]};
 * nothing from an exception's internals (stack, SQL, rejected values) reaches the client.
 */
@RestControllerAdvice(annotations = RestController.class)
public class ApiExceptionHandler {

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
        ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, "invalid-request",
                "The request breaks " + e.violations().size() + " rule(s); see errors.");
        problem.setProperty("errors", e.violations());
        return problem;
    }

    @ExceptionHandler(BindException.class)
    ProblemDetail binding(BindException e) {
        List<Violation> violations = e.getFieldErrors().stream()
                .map(f -> new Violation(f.getField(), f.getCode() == null ? "invalid" : f.getCode(),
                        f.getDefaultMessage() == null ? "is not valid" : f.getDefaultMessage()))
                .toList();
        return invalid(new InvalidRequestException(violations));
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ProblemDetail unreadable(HttpMessageNotReadableException e) {
        return problem(HttpStatus.BAD_REQUEST, "unreadable-body",
                "The request body is not valid JSON of the expected shape (check types, dates as ISO-8601 and enum values).");
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ProblemDetail typeMismatch(MethodArgumentTypeMismatchException e) {
        return invalid(new InvalidRequestException(e.getName(), "type",
                "must be a " + (e.getRequiredType() == null ? "valid value" : e.getRequiredType().getSimpleName())));
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

    @ExceptionHandler(Exception.class)
    ProblemDetail unexpected(Exception e) {
        LOG.error("Unexpected error answering an API request", e);
        return problem(HttpStatus.INTERNAL_SERVER_ERROR, "internal", "Something went wrong on our side; nothing was saved.");
    }
}
