package org.sightline.api;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Spring's own errors raised before any controller is chosen (a multipart body Tomcat refuses, a wrong method) as
 * problem+json. Boot registers this handler only while no other ResponseEntityExceptionHandler exists; the API's
 * handler is one, so this takes Boot's place, last in line.
 */
@ControllerAdvice
@Order(Ordered.LOWEST_PRECEDENCE)
class FrameworkProblemDetails extends ResponseEntityExceptionHandler {
}
