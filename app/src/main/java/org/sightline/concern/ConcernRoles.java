package org.sightline.concern;

/**
 * Who may do what with concerns (role checks on controllers; agency scope is checked in {@link ConcernService}).
 * Police officers, social workers and care staff raise and link; social workers and supervisors screen and decide
 * the outcome.
 */
final class ConcernRoles {

    static final String READ = "hasAnyRole('POLICE_OFFICER','SOCIAL_WORKER','CARE_STAFF','SUPERVISOR')";
    static final String RAISE = "hasAnyRole('POLICE_OFFICER','SOCIAL_WORKER','CARE_STAFF','SUPERVISOR')";
    static final String LINK = "hasAnyRole('POLICE_OFFICER','SOCIAL_WORKER','CARE_STAFF','SUPERVISOR')";
    static final String SCREEN = "hasAnyRole('SOCIAL_WORKER','SUPERVISOR')";
    static final String DECIDE = "hasAnyRole('SOCIAL_WORKER','SUPERVISOR')";

    private ConcernRoles() {
    }

    static boolean canScreen(org.sightline.access.SightlineUser user) {
        return user.hasRole("SOCIAL_WORKER") || user.hasRole("SUPERVISOR");
    }
}
