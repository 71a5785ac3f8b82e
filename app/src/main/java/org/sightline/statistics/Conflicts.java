package org.sightline.statistics;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.sightline.access.AgencyScope;
import org.sightline.access.SightlineUser;
import org.sightline.audit.AuditEntry;
import org.sightline.audit.AuditLog;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The children whose agencies' records disagree on a fact, listed for correction — only children the user may see
 * in full (their agency holds a relationship with the child), and the listing is audited like any read of children.
 */
@Service
public class Conflicts {

    /** At most this many are checked and listed at once; the profile's CONFLICTING counts give the full number. */
    static final int LIMIT = 100;

    /** One conflicting fact of a child the user may open. */
    public record Line(UUID identity, String dimension, List<String> values) {}

    private final JdbcClient jdbc;
    private final AgencyScope scope;
    private final AuditLog audit;

    Conflicts(JdbcClient jdbc, AgencyScope scope, AuditLog audit) {
        this.jdbc = jdbc;
        this.scope = scope;
        this.audit = audit;
    }

    @Transactional
    public List<Line> visible(SightlineUser user, Profile profile) {
        List<Line> out = new ArrayList<>();
        for (Profile.Conflict c : profile.conflicts()) {
            if (out.size() >= LIMIT) {
                break;
            }
            if (c.identityId() > 0 && scope.childAccess(user, c.identityId()) == AgencyScope.ChildAccess.FULL) {
                UUID id = jdbc.sql("SELECT public_id FROM identity WHERE id = ?")
                        .param(c.identityId())
                        .query(UUID.class)
                        .single();
                out.add(new Line(id, c.dimension(), c.values()));
            }
        }
        audit.record(AuditEntry.of(user.username(), user.agencyCode(), "VIEW_LIST", "identity", null)
                .withDetails("statistics conflicts;children="
                        + out.stream()
                                .map(l -> l.identity().toString())
                                .distinct()
                                .count()));
        return out;
    }
}
