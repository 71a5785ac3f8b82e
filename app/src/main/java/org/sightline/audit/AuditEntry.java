package org.sightline.audit;

import java.time.Instant;

/**
 * One audited action: who did what to which subject, and why. {@code details} must not carry more
 * personal data than the action needs (ids, field names, counts), never free text from a record.
 * Every field is bounded, because the log can never be cleaned: a longer value is cut and marked.
 */
public record AuditEntry(
        String actor,
        String actorAgency,
        String action,
        String subjectType,
        String subjectId,
        String reason,
        String details) {

    /** Longest stored reason or details; other fields are names and ids. */
    static final int MAX_TEXT = 2_000;

    static final int MAX_NAME = 200;

    public AuditEntry {
        actor = bounded(actor, MAX_NAME);
        actorAgency = bounded(actorAgency, MAX_NAME);
        action = bounded(action, MAX_NAME);
        subjectType = bounded(subjectType, MAX_NAME);
        subjectId = bounded(subjectId, MAX_NAME);
        reason = bounded(reason, MAX_TEXT);
        details = bounded(details, MAX_TEXT);
    }

    public static AuditEntry of(String actor, String actorAgency, String action, String subjectType, String subjectId) {
        return new AuditEntry(actor, actorAgency, action, subjectType, subjectId, null, null);
    }

    public AuditEntry withReason(String newReason) {
        return new AuditEntry(actor, actorAgency, action, subjectType, subjectId, newReason, details);
    }

    public AuditEntry withDetails(String newDetails) {
        return new AuditEntry(actor, actorAgency, action, subjectType, subjectId, reason, newDetails);
    }

    static String bounded(String value, int max) {
        if (value == null || value.length() <= max) {
            return value;
        }
        String marker = "…[cut " + (value.length() - max) + " characters]";
        return value.substring(0, max - marker.length()) + marker;
    }

    /**
     * The unambiguous form the MAC covers: each field length-prefixed, null distinct from empty. Times are stored to
     * the microsecond, so callers pass the stored instant.
     */
    String canonical(Instant occurredAt, String correlationId) {
        StringBuilder s = new StringBuilder(256);
        for (String field : new String[] {
            occurredAt.toString(), actor, actorAgency, action, subjectType, subjectId, reason, correlationId, details
        }) {
            if (field == null) {
                s.append("-1:");
            } else {
                s.append(field.length()).append(':').append(field);
            }
        }
        return s.toString();
    }
}
