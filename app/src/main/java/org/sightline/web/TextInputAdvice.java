package org.sightline.web;

import java.beans.PropertyEditorSupport;
import java.util.List;
import org.sightline.shared.TextRules;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.ui.Model;
import org.springframework.validation.BindException;
import org.springframework.web.bind.WebDataBinder;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.InitBinder;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;

/**
 * Every text a page or the API binds follows {@link TextRules}. On pages, input that cannot be bound (such text, or
 * a value of the wrong type) answers 400 with a page naming the fields, never a 500 or Spring's JSON error; the API's
 * own handler answers problem+json instead (it comes first for API controllers).
 */
@ControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE + 1)
class TextInputAdvice {

    @InitBinder
    void textRules(WebDataBinder binder) {
        binder.registerCustomEditor(String.class, new PropertyEditorSupport() {
            @Override
            public void setAsText(String text) {
                if (!TextRules.clean(text)) {
                    throw new IllegalArgumentException(TextRules.MESSAGE);
                }
                setValue(text);
            }
        });
    }

    @ExceptionHandler(BindException.class)
    @ResponseStatus(HttpStatus.BAD_REQUEST)
    String unbindable(BindException e, Model model) {
        return page(
                e.getFieldErrors().stream().map(f -> f.getField()).distinct().toList(), model);
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    @ResponseStatus(HttpStatus.BAD_REQUEST)
    String unbindable(MethodArgumentTypeMismatchException e, Model model) {
        return page(List.of(e.getName()), model);
    }

    private static String page(List<String> fields, Model model) {
        model.addAttribute("status", 400);
        // Field names as words ("familyName" -> "family name"); the values are never shown back.
        model.addAttribute(
                "fields",
                fields.stream()
                        .map(f -> f.replaceAll("([a-z])([A-Z])", "$1 $2").toLowerCase())
                        .toList());
        return "error";
    }
}
