package org.sightline.ssda903;

/** Who works with the SSDA903 return: an authority's social workers, analysts and supervisors. */
final class Ssda903Roles {

    static final String RETURNS = "hasAnyRole('SOCIAL_WORKER','ANALYST','SUPERVISOR')";

    private Ssda903Roles() {
    }
}
