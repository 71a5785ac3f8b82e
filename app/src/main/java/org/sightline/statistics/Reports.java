package org.sightline.statistics;

import org.sightline.audit.AuditEntry;
import org.sightline.audit.AuditLog;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Profiles as they leave Sightline: suppressed for publication by default; exact figures only for those entitled to
 * them (the operator of the offline command, a supervisor on the pages), and every exact report is audited.
 */
@Service
public class Reports {

    private final Profiles profiles;
    private final AuditLog audit;

    Reports(Profiles profiles, AuditLog audit) {
        this.profiles = profiles;
        this.audit = audit;
    }

    @Transactional
    public PublishedProfile profile(ProfileKind kind, ProfileQuery query, boolean exact, String actor, String agency) {
        Profile p = profiles.profile(kind, query);
        audit.record(AuditEntry.of(actor, agency, exact ? "REPORT_EXACT" : "REPORT", "statistics", kind.code())
                .withDetails("area=" + query.area() + ";from=" + query.from() + ";to=" + query.to() + ";asAt="
                        + query.asAt()));
        return PublishedProfile.of(p, !exact);
    }
}
