package org.sightline.admin;

import java.time.Instant;
import java.util.List;
import org.sightline.access.Roles;
import org.sightline.access.SightlineUser;
import org.sightline.audit.AuditEntry;
import org.sightline.audit.AuditLog;
import org.sightline.audit.AuditVerifier;
import org.sightline.shared.Progress;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/** Administration: auditors read the trail (newest first, filtered by actor, action or subject) and verify its chain. */
@Controller
class AuditTrailController {

    private final JdbcClient jdbc;
    private final AuditLog audit;
    private final AuditVerifier verifier;

    AuditTrailController(JdbcClient jdbc, AuditLog audit, AuditVerifier verifier) {
        this.jdbc = jdbc;
        this.audit = audit;
        this.verifier = verifier;
    }

    record Row(
            long id,
            Instant occurredAt,
            String actor,
            String actorAgency,
            String action,
            String subjectType,
            String subjectId,
            String details) {}

    @GetMapping("/audit")
    @PreAuthorize(Roles.ADMINISTRATION)
    @Transactional
    String trail(
            @AuthenticationPrincipal SightlineUser user,
            @RequestParam(required = false) String actor,
            @RequestParam(required = false) String action,
            @RequestParam(required = false) String subject,
            Model model) {
        List<Row> rows = jdbc.sql(
                        """
                SELECT id, occurred_at, actor, actor_agency, action, subject_type, subject_id, details FROM audit_event
                WHERE (:actor = '' OR actor = :actor) AND (:action = '' OR action = :action)
                  AND (:subject = '' OR subject_id = :subject)
                ORDER BY id DESC LIMIT 100""")
                .param("actor", blank(actor))
                .param("action", blank(action))
                .param("subject", blank(subject))
                .query((rs, n) -> new Row(
                        rs.getLong(1),
                        rs.getTimestamp(2).toInstant(),
                        rs.getString(3),
                        rs.getString(4),
                        rs.getString(5),
                        rs.getString(6),
                        rs.getString(7),
                        rs.getString(8)))
                .list();
        audit.record(AuditEntry.of(user.username(), user.agencyCode(), "READ_AUDIT", "audit_event", null)
                .withDetails("actor=" + blank(actor) + ";action=" + blank(action) + ";subject=" + blank(subject)));
        model.addAttribute("rows", rows);
        model.addAttribute("actor", blank(actor));
        model.addAttribute("action", blank(action));
        model.addAttribute("subject", blank(subject));
        return "audit/trail";
    }

    @PostMapping("/audit/verify")
    @PreAuthorize(Roles.ADMINISTRATION)
    String verify(@AuthenticationPrincipal SightlineUser user, Model model) {
        AuditVerifier.Result result = verifier.verify(Progress.NONE);
        model.addAttribute("result", result);
        return "audit/verified";
    }

    private static String blank(String s) {
        return s == null ? "" : s.strip();
    }
}
