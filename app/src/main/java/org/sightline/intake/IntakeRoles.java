package org.sightline.intake;

/**
 * {@code @PreAuthorize} expressions for episodes. The controller admits the roles that may take some step; the
 * service decides per step (police grade and record found, social workers record return interviews, ...).
 */
final class IntakeRoles {

    /** Who may report a child missing: police for any episode, social workers and care staff from care. */
    static final String REPORTERS = "hasAnyRole('POLICE_OFFICER','SOCIAL_WORKER','CARE_STAFF')";
    static final String POLICE = "hasRole('POLICE_OFFICER')";
    static final String RETURN_INTERVIEWERS = "hasRole('SOCIAL_WORKER')";

    private IntakeRoles() {
    }
}
