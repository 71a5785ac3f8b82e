package org.sightline.access;

import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.sightline.audit.AuditEntry;
import org.sightline.audit.AuditLog;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** The language each user chose ({@code app_user.language}): "en" or "cy", empty while they have not chosen. */
@Service
public class UserLanguage {

    public static final Set<String> SUPPORTED = Set.of("en", "cy");

    private final JdbcClient jdbc;
    private final AuditLog audit;

    UserLanguage(JdbcClient jdbc, AuditLog audit) {
        this.jdbc = jdbc;
        this.audit = audit;
    }

    public Optional<String> of(UUID user) {
        return jdbc.sql("SELECT language FROM app_user WHERE public_id = ?")
                .param(user)
                .query(String.class)
                .optional();
    }

    @Transactional
    public void choose(SightlineUser user, String language) {
        if (!SUPPORTED.contains(language)) {
            throw new IllegalArgumentException("language must be one of " + SUPPORTED);
        }
        int changed = jdbc.sql("UPDATE app_user SET language = :language WHERE public_id = :user"
                        + " AND language IS DISTINCT FROM :language")
                .param("language", language)
                .param("user", user.publicId())
                .update();
        if (changed > 0) {
            audit.record(AuditEntry.of(
                            user.username(),
                            user.agencyCode(),
                            "USER_LANGUAGE_SET",
                            "app_user",
                            user.publicId().toString())
                    .withDetails("language=" + language));
        }
    }
}
