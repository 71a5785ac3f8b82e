package org.sightline.audit;

/**
 * One audited action: who did what to which subject, and why. {@code details} must not carry more
 * personal data than the action needs (ids, field names, counts), never free text from a record.
 */
public record AuditEntry(String actor, String actorAgency, String action, String subjectType,
                         String subjectId, String reason, String details) {

    public static AuditEntry of(String actor, String actorAgency, String action, String subjectType, String subjectId) {
        return new AuditEntry(actor, actorAgency, action, subjectType, subjectId, null, null);
    }

    public AuditEntry withReason(String newReason) {
        return new AuditEntry(actor, actorAgency, action, subjectType, subjectId, newReason, details);
    }

    public AuditEntry withDetails(String newDetails) {
        return new AuditEntry(actor, actorAgency, action, subjectType, subjectId, reason, newDetails);
    }
}
