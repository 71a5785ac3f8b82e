package org.sightline.access;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.ResponseStatus;

/**
 * The session timeout warning (GOV.UK pattern, issue 11): every page of a signed-in user carries the session's
 * lifetime, {@code js/session-timeout.js} opens a dialog {@code sightline.session.warning-before} ahead of its end
 * and "Stay signed in" posts here, which is all it takes to keep the session. Without JavaScript the session simply
 * expires, as before.
 */
@Controller
@ControllerAdvice
class SessionTimeout {

    /** Seconds before the end at which the warning opens. */
    private final long warnSeconds;

    SessionTimeout(@Value("${sightline.session.warning-before:2m}") java.time.Duration warningBefore) {
        this.warnSeconds = warningBefore.toSeconds();
    }

    /** The session's lifetime in seconds and when to warn, for the layout; none without a session. */
    @ModelAttribute("sessionTimeout")
    Timeout sessionTimeout(HttpServletRequest request) {
        HttpSession session = request.getSession(false);
        return session == null || session.getMaxInactiveInterval() <= 0
                ? null
                : new Timeout(session.getMaxInactiveInterval(), warnSeconds);
    }

    record Timeout(int seconds, long warnSeconds) {}

    @PostMapping("/account/session")
    @PreAuthorize(Roles.SIGNED_IN)
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void keepAlive() {
        // Nothing to do: reaching here with the session is what renews it.
    }
}
