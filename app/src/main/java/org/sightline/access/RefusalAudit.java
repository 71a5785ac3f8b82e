package org.sightline.access;

import jakarta.servlet.http.HttpServletRequest;
import org.sightline.audit.AuditEntry;
import org.sightline.audit.AuditLog;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Component;

/**
 * A signed-in user refused by role (403), on a page or through the API, is audited in a transaction of its own, so
 * the entry survives the rollback of the refused request. The subject is the method and path: paths carry random
 * ids only, never a name or date of birth (searches are POSTed).
 */
@Component
public class RefusalAudit {

    private final AuditLog audit;

    RefusalAudit(AuditLog audit) {
        this.audit = audit;
    }

    public void roleRefused(Authentication authentication, HttpServletRequest request) {
        if (authentication != null && authentication.getPrincipal() instanceof SightlineUser user) {
            audit.recordRefusal(AuditEntry.of(
                            user.username(),
                            user.agencyCode(),
                            "ROLE_REFUSED",
                            "endpoint",
                            request.getMethod() + " " + request.getRequestURI())
                    .withDetails("roles=" + user.roles()));
        }
    }
}
