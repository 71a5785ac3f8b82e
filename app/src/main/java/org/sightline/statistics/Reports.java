package org.sightline.statistics;

import java.util.Optional;
import org.sightline.access.SightlineUser;
import org.sightline.access.UserAccounts;
import org.sightline.audit.AuditEntry;
import org.sightline.audit.AuditLog;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
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
    private final UserAccounts accounts;

    Reports(Profiles profiles, AuditLog audit, UserAccounts accounts) {
        this.profiles = profiles;
        this.audit = audit;
        this.accounts = accounts;
    }

    /**
     * The account a report is made for, when it is enabled and, for exact figures, holds the role entitled to see
     * the children behind them (supervisor, as on the pages); empty otherwise.
     */
    public Optional<SightlineUser> entitled(String username, boolean exact) {
        SightlineUser user;
        try {
            user = accounts.loadUserByUsername(username);
        } catch (UsernameNotFoundException e) {
            return Optional.empty();
        }
        return user.isEnabled() && (!exact || StatisticsPages.entitled(user)) ? Optional.of(user) : Optional.empty();
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
