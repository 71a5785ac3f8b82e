package org.sightline.importexport;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.sightline.access.SightlineUser;
import org.sightline.audit.AuditEntry;
import org.sightline.audit.AuditLog;
import org.sightline.shared.ConflictException;
import org.sightline.shared.InvalidRequestException;
import org.sightline.shared.NotFoundException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.ObjectMapper;

/** Saved per-agency column-mapping profiles: validated before saving, optimistic locking, audited. */
@Service
public class MappingProfiles {

    private final JdbcClient jdbc;
    private final ObjectMapper json;
    private final AuditLog audit;
    private final Clock clock;

    MappingProfiles(JdbcClient jdbc, ObjectMapper json, AuditLog audit, Clock clock) {
        this.jdbc = jdbc;
        this.json = json;
        this.audit = audit;
        this.clock = clock;
    }

    record Stored(long id, MappingProfile profile) {}

    /** A profile as people and clients see it. */
    public record ProfileView(
            UUID id,
            String name,
            String kind,
            Map<String, String> columnMap,
            Map<String, Map<String, String>> valueMaps,
            String dateFormat,
            String dateTimeFormat,
            int version) {}

    Optional<Stored> find(long agencyId, ImportKind kind, String name) {
        return jdbc.sql(
                        """
                SELECT id, name, kind, column_map::text, value_maps::text, date_format, datetime_format, public_id, version
                FROM import_mapping_profile WHERE agency_id = ? AND kind = ? AND name = ?""")
                .params(agencyId, kind.code(), name)
                .query((rs, n) -> new Stored(rs.getLong(1), profile(rs)))
                .optional();
    }

    private MappingProfile profile(ResultSet rs) throws SQLException {
        ImportKind kind = ImportKind.fromCode(rs.getString(3)).orElseThrow();
        return new MappingProfile(
                rs.getString(2),
                kind,
                json.readValue(rs.getString(4), new TypeReference<Map<String, String>>() {}),
                json.readValue(rs.getString(5), new TypeReference<Map<String, Map<String, String>>>() {}),
                rs.getString(6),
                rs.getString(7));
    }

    private ProfileView view(ResultSet rs) throws SQLException {
        MappingProfile p = profile(rs);
        return new ProfileView(
                rs.getObject(8, UUID.class),
                p.name(),
                p.kind().code(),
                p.columnMap(),
                p.valueMaps(),
                p.dateFormat(),
                p.dateTimeFormat(),
                rs.getInt(9));
    }

    private static final String SELECT =
            """
            SELECT id, name, kind, column_map::text, value_maps::text, date_format, datetime_format, public_id, version
            FROM import_mapping_profile""";

    @Transactional(readOnly = true)
    public List<ProfileView> list(SightlineUser user) {
        return jdbc.sql(SELECT + " WHERE agency_id = ? ORDER BY kind, name")
                .param(user.agencyId())
                .query((rs, n) -> view(rs))
                .list();
    }

    @Transactional(readOnly = true)
    public ProfileView get(SightlineUser user, UUID id) {
        return jdbc.sql(SELECT + " WHERE agency_id = ? AND public_id = ?")
                .params(user.agencyId(), id)
                .query((rs, n) -> view(rs))
                .optional()
                .orElseThrow(() -> new NotFoundException("mapping profile"));
    }

    private static MappingProfile checked(
            String kindCode,
            String name,
            Map<String, String> columnMap,
            Map<String, Map<String, String>> valueMaps,
            String dateFormat,
            String dateTimeFormat) {
        ImportKind kind = ImportKind.fromCode(kindCode == null ? "" : kindCode)
                .orElseThrow(
                        () -> new InvalidRequestException("kind", "code-list", "must be one of " + ImportKind.codes()));
        MappingProfile profile = new MappingProfile(
                name == null ? "" : name.strip(), kind, columnMap, valueMaps, dateFormat, dateTimeFormat);
        var problems = profile.problems();
        if (!problems.isEmpty()) {
            throw new InvalidRequestException(problems);
        }
        return profile;
    }

    @Transactional
    public ProfileView create(
            SightlineUser user,
            String kind,
            String name,
            Map<String, String> columnMap,
            Map<String, Map<String, String>> valueMaps,
            String dateFormat,
            String dateTimeFormat) {
        MappingProfile p = checked(kind, name, columnMap, valueMaps, dateFormat, dateTimeFormat);
        Timestamp now = Timestamp.from(clock.instant());
        UUID id;
        try {
            id = jdbc.sql(
                            """
                    INSERT INTO import_mapping_profile (agency_id, kind, name, column_map, value_maps, date_format,
                        datetime_format, created_by, created_at, updated_at)
                    VALUES (?, ?, ?, ?::jsonb, ?::jsonb, ?, ?, ?, ?, ?) RETURNING public_id""")
                    .params(
                            user.agencyId(),
                            p.kind().code(),
                            p.name(),
                            json.writeValueAsString(p.columnMap()),
                            json.writeValueAsString(p.valueMaps()),
                            p.dateFormat(),
                            p.dateTimeFormat(),
                            user.username(),
                            now,
                            now)
                    .query(UUID.class)
                    .single();
        } catch (DuplicateKeyException e) {
            throw new InvalidRequestException(
                    "name", "unique", "the agency already has a " + p.kind().code() + " profile with this name");
        }
        audit.record(AuditEntry.of(
                user.username(),
                user.agencyCode(),
                "MAPPING_PROFILE_CREATED",
                "import_mapping_profile",
                id.toString()));
        return get(user, id);
    }

    @Transactional
    public ProfileView update(
            SightlineUser user,
            UUID id,
            int version,
            String kind,
            String name,
            Map<String, String> columnMap,
            Map<String, Map<String, String>> valueMaps,
            String dateFormat,
            String dateTimeFormat) {
        get(user, id);
        MappingProfile p = checked(kind, name, columnMap, valueMaps, dateFormat, dateTimeFormat);
        int n;
        try {
            n = jdbc.sql(
                            """
                    UPDATE import_mapping_profile SET kind = ?, name = ?, column_map = ?::jsonb, value_maps = ?::jsonb,
                        date_format = ?, datetime_format = ?, updated_at = ?, version = version + 1
                    WHERE public_id = ? AND agency_id = ? AND version = ?""")
                    .params(
                            p.kind().code(),
                            p.name(),
                            json.writeValueAsString(p.columnMap()),
                            json.writeValueAsString(p.valueMaps()),
                            p.dateFormat(),
                            p.dateTimeFormat(),
                            Timestamp.from(clock.instant()),
                            id,
                            user.agencyId(),
                            version)
                    .update();
        } catch (DuplicateKeyException e) {
            throw new InvalidRequestException(
                    "name", "unique", "the agency already has a " + p.kind().code() + " profile with this name");
        }
        if (n == 0) {
            throw ConflictException.staleVersion("The mapping profile");
        }
        audit.record(AuditEntry.of(
                user.username(),
                user.agencyCode(),
                "MAPPING_PROFILE_UPDATED",
                "import_mapping_profile",
                id.toString()));
        return get(user, id);
    }

    @Transactional
    public void delete(SightlineUser user, UUID id) {
        int n = jdbc.sql("DELETE FROM import_mapping_profile WHERE public_id = ? AND agency_id = ?")
                .params(id, user.agencyId())
                .update();
        if (n == 0) {
            throw new NotFoundException("mapping profile");
        }
        audit.record(AuditEntry.of(
                user.username(),
                user.agencyCode(),
                "MAPPING_PROFILE_DELETED",
                "import_mapping_profile",
                id.toString()));
    }
}
