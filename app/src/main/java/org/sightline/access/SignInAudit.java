package org.sightline.access;

import org.sightline.audit.AuditEntry;
import org.sightline.audit.AuditLog;
import org.springframework.context.event.EventListener;
import org.springframework.security.authentication.event.AbstractAuthenticationFailureEvent;
import org.springframework.security.authentication.event.AuthenticationSuccessEvent;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/** Sign-ins and failed attempts go into the audit log (the attempted name is not stored: it may be personal). */
@Component
class SignInAudit {

    private final AuditLog audit;
    private final TransactionTemplate transaction;

    SignInAudit(AuditLog audit, TransactionTemplate transaction) {
        this.audit = audit;
        this.transaction = transaction;
    }

    @EventListener
    void onSuccess(AuthenticationSuccessEvent event) {
        if (event.getAuthentication().getPrincipal() instanceof SightlineUser user) {
            transaction.executeWithoutResult(s -> audit.record(
                    AuditEntry.of(user.username(), user.agencyCode(), "SIGN_IN", "app_user", user.publicId().toString())));
        }
    }

    @EventListener
    void onFailure(AbstractAuthenticationFailureEvent event) {
        transaction.executeWithoutResult(s -> audit.record(
                AuditEntry.of("anonymous", null, "SIGN_IN_FAILED", "app_user", null)
                        .withDetails(event.getException().getClass().getSimpleName())));
    }
}
