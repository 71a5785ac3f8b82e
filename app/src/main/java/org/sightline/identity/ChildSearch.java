package org.sightline.identity;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.sightline.access.AgencyScope;
import org.sightline.access.SightlineUser;
import org.sightline.audit.AuditEntry;
import org.sightline.audit.AuditLog;
import org.sightline.linkage.LinkageConfig;
import org.sightline.linkage.RecordException;
import org.sightline.linkage.model.FieldSpec;
import org.sightline.linkage.model.Record;
import org.sightline.linkage.online.OnlineIndex;
import org.sightline.person.LikelyChildren;
import org.sightline.person.PartialDate;
import org.sightline.shared.ClockConfiguration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The officer's child search through the engine: what was typed becomes a query record matched against every
 * agency's records in the online index, so typos, swapped names, nicknames and partial dates still find the child.
 * Each likely child is shown as far as {@link AgencyScope#childAccess} allows: the picture in brief, or only which
 * agencies hold records (whom to contact). Audited like every search.
 */
@Service
class ChildSearch implements LikelyChildren {

    /**
     * A search carries less evidence than a record (often no date of birth, sex or address), so its weights run
     * lower: children down to this many bits below the review band are still shown, as less likely.
     */
    static final double SEARCH_MARGIN = 6;
    /** Most likely children shown. */
    static final int LIMIT = 8;
    /** Ages of the children Sightline holds records of (records of young adults are from their childhood). */
    private static final int YOUNGEST = 2;

    private static final int OLDEST = 21;

    private final OnlineResolution online;
    private final AgencyScope scope;
    private final AuditLog audit;
    private final JdbcClient jdbc;
    private final Clock clock;

    ChildSearch(OnlineResolution online, AgencyScope scope, AuditLog audit, JdbcClient jdbc, Clock clock) {
        this.online = online;
        this.scope = scope;
        this.audit = audit;
        this.jdbc = jdbc;
        this.clock = clock;
    }

    @Override
    @Transactional
    public List<Likely> find(SightlineUser user, Query query) {
        if (query.isEmpty()) {
            throw new IllegalArgumentException("a child search needs a name or a date of birth");
        }
        OnlineIndex index = online.current();
        LinkageConfig config = index.config();
        PartialDate dob = query.dateOfBirth() == null ? PartialDate.unknown() : query.dateOfBirth();
        List<Record> probes = new ArrayList<>();
        if (dob.isUnknown()) {
            // Without a year the name-and-year blocking rule cannot find a misspelt name: probe every plausible year.
            int thisYear = LocalDate.now(clock.withZone(ClockConfiguration.DISPLAY_ZONE))
                    .getYear();
            for (int year = thisYear - OLDEST; year <= thisYear - YOUNGEST; year++) {
                probes.add(record(config, query, new PartialDate(year, null, null)));
            }
        }
        List<OnlineIndex.Candidate> candidates;
        try {
            candidates = index.match(record(config, query, dob), probes, LIMIT * 2);
        } catch (RecordException e) {
            candidates = List.of();
        }
        List<Likely> out = new ArrayList<>();
        for (OnlineIndex.Candidate c : candidates) {
            if (out.size() == LIMIT || c.weight() < config.reviewWeight() - SEARCH_MARGIN) {
                break;
            }
            if (!Character.isDigit(c.identityId().charAt(0))) {
                continue; // a record not yet resolved into an identity
            }
            likely(user, Long.parseLong(c.identityId()), Long.parseLong(c.recordId()), c.probability())
                    .ifPresent(out::add);
        }
        audit.record(AuditEntry.of(user.username(), user.agencyCode(), "SEARCH", "identity", null)
                .withDetails(query.describe() + ";results=" + out.size() + ";full="
                        + out.stream().filter(Likely::full).count()));
        return out;
    }

    private java.util.Optional<Likely> likely(SightlineUser user, long identityId, long recordId, double probability) {
        var identity = jdbc.sql(
                        """
                SELECT i.public_id, array_agg(DISTINCT a.name ORDER BY a.name) AS agencies
                FROM identity i JOIN person_record pr ON pr.identity_id = i.id JOIN agency a ON a.id = pr.agency_id
                WHERE i.id = ? GROUP BY i.public_id""")
                .param(identityId)
                .query((rs, n) -> Map.entry(rs.getObject(1, UUID.class), List.of((String[])
                        rs.getArray(2).getArray())))
                .optional();
        if (identity.isEmpty()) {
            return java.util.Optional.empty();
        }
        Details details = null;
        if (scope.childAccess(user, identityId) == AgencyScope.ChildAccess.FULL) {
            details = jdbc.sql(
                            """
                    SELECT pr.public_id, pr.given_name, pr.family_name, pr.dob_year, pr.dob_month, pr.dob_day,
                           (SELECT count(*) FROM missing_episode e JOIN person_record o ON o.id = e.person_record_id
                            WHERE o.identity_id = :identity) AS episodes,
                           (SELECT max(e.reported_at) FROM missing_episode e JOIN person_record o ON o.id = e.person_record_id
                            WHERE o.identity_id = :identity) AS last_episode,
                           EXISTS (SELECT 1 FROM missing_episode e JOIN person_record o ON o.id = e.person_record_id
                                   WHERE o.identity_id = :identity AND e.status <> 'closed') AS open_episode
                    FROM person_record pr WHERE pr.id = :record""")
                    .param("identity", identityId)
                    .param("record", recordId)
                    .query((rs, n) -> {
                        Timestamp last = rs.getTimestamp("last_episode");
                        return new Details(
                                rs.getObject("public_id", UUID.class),
                                rs.getString("given_name"),
                                rs.getString("family_name"),
                                new PartialDate(
                                        (Integer) rs.getObject("dob_year"),
                                        (Integer) rs.getObject("dob_month"),
                                        (Integer) rs.getObject("dob_day")),
                                rs.getInt("episodes"),
                                last == null ? null : last.toInstant(),
                                rs.getBoolean("open_episode"));
                    })
                    .single();
        }
        return java.util.Optional.of(
                new Likely(identity.get().getKey(), probability, identity.get().getValue(), details));
    }

    /** The query as a record of the profile's layout: only the typed fields are present. */
    private static Record record(LinkageConfig config, Query query, PartialDate dob) {
        List<FieldSpec> fields = config.fields();
        String[] values = new String[fields.size()];
        for (int f = 0; f < fields.size(); f++) {
            values[f] = switch (fields.get(f).name()) {
                case "given_name" -> blankToNull(query.givenName());
                case "family_name" -> blankToNull(query.familyName());
                case "dob" -> iso(dob);
                case "sex" -> "male".equals(query.sex()) || "female".equals(query.sex()) ? query.sex() : null;
                case "postcode" -> blankToNull(query.postcode());
                default -> null;
            };
        }
        return new Record("search", "", values);
    }

    private static String iso(PartialDate d) {
        if (d.isUnknown()) {
            return null;
        }
        StringBuilder s = new StringBuilder(String.valueOf(d.year()));
        if (d.month() != null) {
            s.append(String.format("-%02d", d.month()));
        }
        if (d.day() != null) {
            s.append(String.format("-%02d", d.day()));
        }
        return s.toString();
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
