package org.sightline.access;

import java.util.List;

/**
 * The roles of PRODUCT.md and the expressions controllers declare with {@code @PreAuthorize}.
 * Agency scope is not a role: it is a data policy checked in the services ({@link AgencyScope}).
 */
public final class Roles {

    public static final String POLICE_OFFICER = "POLICE_OFFICER";
    public static final String SOCIAL_WORKER = "SOCIAL_WORKER";
    public static final String CARE_STAFF = "CARE_STAFF";
    public static final String ANALYST = "ANALYST";
    public static final String SUPERVISOR = "SUPERVISOR";
    public static final String ADMIN = "ADMIN";

    public static final List<String> ALL =
            List.of(POLICE_OFFICER, SOCIAL_WORKER, CARE_STAFF, ANALYST, SUPERVISOR, ADMIN);

    /** Anyone signed in: pages that show only the user's own information. */
    public static final String SIGNED_IN = "isAuthenticated()";
    /** People who work cases and may read a child's details within their agency scope. */
    public static final String CASEWORK = "hasAnyRole('POLICE_OFFICER','SOCIAL_WORKER','CARE_STAFF','SUPERVISOR')";
    /** Reporting a child missing: police for any episode, social workers and care staff from care (service decides). */
    public static final String REPORT_MISSING = "hasAnyRole('POLICE_OFFICER','SOCIAL_WORKER','CARE_STAFF')";
    /** Police steps of a missing episode: grading, found, safe and well check. */
    public static final String POLICE = "hasRole('POLICE_OFFICER')";
    /** Return interviews are the local authority's. */
    public static final String RETURN_INTERVIEW = "hasRole('SOCIAL_WORKER')";
    /** Exploitation screening and its outcome: social care, with supervisors. */
    public static final String SCREENING = "hasAnyRole('SOCIAL_WORKER','SUPERVISOR')";
    /** Reading the DfE SSDA903 return: an authority's social workers, analysts and supervisors. */
    public static final String SSDA903_RETURNS = "hasAnyRole('SOCIAL_WORKER','ANALYST','SUPERVISOR')";
    /** Importing an SSDA903 return changes children's records: social workers and supervisors; analysts never write. */
    public static final String SSDA903_IMPORT = "hasAnyRole('SOCIAL_WORKER','SUPERVISOR')";
    /**
     * Bulk CSV import and its mapping profiles (they write many records at once): police officers, social workers and
     * supervisors. Care staff record one child at a time; a care provider's imports are run by its supervisor.
     */
    public static final String IMPORTS = "hasAnyRole('POLICE_OFFICER','SOCIAL_WORKER','SUPERVISOR')";
    /** Statistics pages (published figures, small counts suppressed): analysts and supervisors. */
    public static final String STATISTICS = "hasAnyRole('ANALYST','SUPERVISOR')";
    /** Decisions that need a supervisor: identity matches, closures. */
    public static final String SUPERVISION = "hasRole('SUPERVISOR')";
    /**
     * Local accounts: administrators manage every account, supervisors those of their own agency below the
     * administrator role (the service checks the agency and the roles given).
     */
    public static final String ACCOUNTS = "hasAnyRole('ADMIN','SUPERVISOR')";
    /** Administration and audit. */
    public static final String ADMINISTRATION = "hasRole('ADMIN')";

    private Roles() {}
}
