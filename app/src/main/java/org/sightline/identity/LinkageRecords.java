package org.sightline.identity;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.sightline.linkage.model.FieldSpec;
import org.sightline.linkage.model.Record;
import org.sightline.linkage.profile.Profile;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Person records as the engine reads them: the standard layout's columns mapped by the shipped profile. */
@Component
class LinkageRecords {

    /** A record with its database id and current identity (null when it has none). */
    record Held(long id, Long identityId, Record record) {}

    private static final String SELECT =
            """
            SELECT pr.id, pr.identity_id, a.code AS agency_code, pr.record_ref, pr.given_name, pr.middle_names,
                   pr.family_name,
                   concat_ws('-', pr.dob_year, lpad(pr.dob_month::text, 2, '0'), lpad(pr.dob_day::text, 2, '0')) AS dob,
                   CASE pr.sex WHEN 'male' THEN 'male' WHEN 'female' THEN 'female' END AS sex,
                   pr.upn, pr.local_child_id, pr.responsible_authority, addr.address_line, addr.postcode,
                   (SELECT string_agg(al.full_name, '|' ORDER BY al.id) FROM person_alias al
                    WHERE al.person_record_id = pr.id) AS aliases
            FROM person_record pr JOIN agency a ON a.id = pr.agency_id
            LEFT JOIN LATERAL (SELECT address_line, postcode FROM person_address ad WHERE ad.person_record_id = pr.id
                               ORDER BY ad.is_current DESC, ad.id LIMIT 1) addr ON true
            """;

    private static final List<String> COLUMNS = List.of(
            "agency_code",
            "record_ref",
            "given_name",
            "middle_names",
            "family_name",
            "dob",
            "sex",
            "upn",
            "local_child_id",
            "responsible_authority",
            "address_line",
            "postcode",
            "aliases");

    private final JdbcClient jdbc;
    private final Profile profile;

    LinkageRecords(JdbcClient jdbc) {
        this.jdbc = jdbc;
        this.profile = IdentityResolver.PROFILE_LOADED;
    }

    Profile profile() {
        return profile;
    }

    List<Held> all() {
        return query(SELECT + " ORDER BY pr.id", Map.of());
    }

    /** The records among {@code ids} that exist, in id order. */
    List<Held> byIds(List<Long> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        return query(SELECT + " WHERE pr.id = ANY(:ids) ORDER BY pr.id", Map.of("ids", ids.toArray(Long[]::new)));
    }

    private List<Held> query(String sql, Map<String, Object> params) {
        List<FieldSpec> fields = profile.config().fields();
        Map<String, String> columnOf = profile.csv().columns();
        List<Held> out = new ArrayList<>();
        jdbc.sql(sql).params(params).query(rs -> {
            Map<String, String> row = new HashMap<>();
            for (String column : COLUMNS) {
                row.put(column, rs.getString(column));
            }
            String[] values = new String[fields.size()];
            for (int f = 0; f < fields.size(); f++) {
                values[f] = row.get(columnOf.getOrDefault(
                        fields.get(f).name(), fields.get(f).name()));
            }
            long id = rs.getLong("id");
            out.add(new Held(
                    id,
                    (Long) rs.getObject("identity_id"),
                    new Record(Long.toString(id), row.get("agency_code"), values)));
        });
        return out;
    }
}
