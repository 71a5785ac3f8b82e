package org.sightline.shared;

/**
 * One broken rule: the field (JSON property path, or CSV column), a stable rule code clients can act on, and
 * the message a person reads. Messages never echo the rejected value: it may be personal data.
 */
public record Violation(String field, String rule, String message) {}
