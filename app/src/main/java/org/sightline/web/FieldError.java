package org.sightline.web;

/** A form error for the GOV.UK error summary and the field: the field's id and the message key. */
public record FieldError(String field, String messageKey) {}
