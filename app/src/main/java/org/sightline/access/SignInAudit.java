package org.sightline.access;

import org.sightline.audit.AuditEntry;
import org.sightline.audit.AuditLog;
import org.springframework.context.event.EventListener;
import org.springframework.security.authentication.event.AuthenticationSuccessEvent;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Sign-ins go into the audit log with their source address. Failed and refused attempts are audited by the
 * {@link SignInThrottle}, which counts them, with the name tried (bounded) and the source. For an account with a second
 * factor the password alone is {@code SIGN_IN_PASSWORD_ACCEPTED}; {@code SIGN_IN} follows the right code
 * ({@link SecondFactorController}).
 */
@Component
class SignInAudit {

    private final AuditLog audit;
    private final TransactionTemplate transaction;
    private final SecondFactors secondFactors;

    SignInAudit(AuditLog audit, TransactionTemplate transaction, SecondFactors secondFactors) {
        this.audit = audit;
        this.transaction = transaction;
        this.secondFactors = secondFactors;
    }

    @EventListener
    void onSuccess(AuthenticationSuccessEvent event) {
        if (event.getAuthentication().getPrincipal() instanceof SightlineUser user) {
            transaction.executeWithoutResult(s -> audit.record(AuditEntry.of(
                            user.username(),
                            user.agencyCode(),
                            secondFactors.enrolled(user.username()) ? "SIGN_IN_PASSWORD_ACCEPTED" : "SIGN_IN",
                            "app_user",
                            user.publicId().toString())
                    .withDetails("source="
                            + SignInThrottle.source(event.getAuthentication().getDetails()))));
        }
    }
}
