package org.sightline.api;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.multipart.MultipartException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Spring's own errors raised before any controller is chosen (a multipart body Tomcat refuses, a wrong method) as
 * problem+json. Boot registers this handler only while no other ResponseEntityExceptionHandler exists; the API's
 * handler is one, so this takes Boot's place, last in line.
 */
@ControllerAdvice
@Order(Ordered.LOWEST_PRECEDENCE)
class FrameworkProblemDetails extends ResponseEntityExceptionHandler {

    /**
     * A multipart body that cannot be parsed (no boundary, cut off before its end): the client's fault, answered
     * 400 (problem+json under /api, the error page elsewhere), not a 500. Too large a body keeps its 413 (base class).
     */
    @ExceptionHandler(MultipartException.class)
    ResponseEntity<ProblemDetail> malformedMultipart(
            MultipartException e, HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (!request.getRequestURI().startsWith("/api/")) {
            response.sendError(HttpStatus.BAD_REQUEST.value());
            return null;
        }
        return ResponseEntity.badRequest()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(
                        ApiExceptionHandler.problem(
                                HttpStatus.BAD_REQUEST,
                                "malformed-multipart",
                                "The multipart body could not be read (no boundary, or cut off before its end); send it again whole."));
    }
}
