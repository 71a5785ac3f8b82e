package org.sightline.person;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * The only writer of {@code person_record} (PersonRecordOwnerTest enforces it): intake, imports, SSDA903 and
 * identity call this instead of writing the table themselves. Every create or change publishes
 * {@link PersonRecordsChanged} inside the caller's transaction (one event per record, or one per import batch), so
 * identity resolution matches the records before they commit. Identity assignment publishes nothing: identity is
 * the caller. Methods join the caller's transaction; none opens one of its own.
 */
@Service
public class PersonRecords {

    private final JdbcClient jdbc;
    private final ApplicationEventPublisher events;

    PersonRecords(JdbcClient jdbc, ApplicationEventPublisher events) {
        this.jdbc = jdbc;
        this.events = events;
    }

    /** A new record's details; null is "not recorded". {@code sex} is male, female, not_known or not_recorded. */
    public record NewRecord(
            String recordRef,
            String givenName,
            String familyName,
            PartialDate dateOfBirth,
            String sex,
            String ethnicityCode,
            String ethnicityScheme,
            String ethnicityStatus,
            String upn,
            String localChildId,
            String careStatus,
            String responsibleAuthority,
            Instant recordedAt) {

        /** A record made while reporting a child missing: names, date of birth and sex only. */
        public static NewRecord reported(
                String recordRef,
                String givenName,
                String familyName,
                PartialDate dateOfBirth,
                String sex,
                Instant recordedAt) {
            return new NewRecord(
                    recordRef,
                    givenName,
                    familyName,
                    dateOfBirth,
                    sex,
                    null,
                    null,
                    "not_recorded",
                    null,
                    null,
                    "not_recorded",
                    null,
                    recordedAt);
        }
    }

    public record Created(long id, UUID publicId) {}

    /** The facts an SSDA903 return states about a child. */
    public record Demographics(
            PartialDate dateOfBirth,
            String sex,
            String ethnicityCode,
            String ethnicityScheme,
            String ethnicityStatus,
            String upn) {}

    @Transactional(propagation = Propagation.MANDATORY)
    public Created create(long agencyId, NewRecord r) {
        return createIfAbsent(agencyId, r)
                .orElseThrow(() -> new IllegalStateException("the agency already holds a record with this reference"));
    }

    /** Creates the record unless the agency already holds one with its reference (then empty). */
    @Transactional(propagation = Propagation.MANDATORY)
    public Optional<Created> createIfAbsent(long agencyId, NewRecord r) {
        PartialDate dob = r.dateOfBirth() == null ? PartialDate.unknown() : r.dateOfBirth();
        Timestamp recorded = Timestamp.from(r.recordedAt());
        Optional<Created> created = jdbc.sql(
                        """
                INSERT INTO person_record (agency_id, record_ref, given_name, family_name, dob_year, dob_month, dob_day, sex,
                    ethnicity_code, ethnicity_scheme, ethnicity_status, upn, local_child_id, care_status,
                    responsible_authority, recorded_at, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (agency_id, record_ref) DO NOTHING RETURNING id, public_id""")
                .params(
                        agencyId,
                        r.recordRef(),
                        r.givenName(),
                        r.familyName(),
                        dob.year(),
                        dob.month(),
                        dob.day(),
                        r.sex() == null ? "not_recorded" : r.sex(),
                        r.ethnicityCode(),
                        r.ethnicityScheme(),
                        r.ethnicityStatus() == null ? "not_recorded" : r.ethnicityStatus(),
                        r.upn(),
                        r.localChildId(),
                        r.careStatus() == null ? "not_recorded" : r.careStatus(),
                        r.responsibleAuthority(),
                        recorded,
                        recorded,
                        recorded)
                .query((rs, n) -> new Created(rs.getLong(1), rs.getObject(2, UUID.class)))
                .optional();
        created.ifPresent(c -> events.publishEvent(new PersonRecordsChanged(List.of(c.id()), List.of())));
        return created;
    }

    /** Applies the facts where they differ from what is held; true when the record changed. */
    @Transactional(propagation = Propagation.MANDATORY)
    public boolean updateDemographics(long id, Demographics d, Instant now) {
        PartialDate dob = d.dateOfBirth() == null ? PartialDate.unknown() : d.dateOfBirth();
        int changed = jdbc.sql(
                        """
                UPDATE person_record SET dob_year = ?, dob_month = ?, dob_day = ?, sex = ?, ethnicity_code = ?,
                    ethnicity_scheme = ?, ethnicity_status = ?, upn = ?, version = version + 1, updated_at = ?
                WHERE id = ? AND (dob_year, dob_month, dob_day, sex, ethnicity_code, ethnicity_scheme, upn)
                      IS DISTINCT FROM (?, ?, ?, ?, ?, ?, ?)""")
                .params(
                        dob.year(),
                        dob.month(),
                        dob.day(),
                        d.sex(),
                        d.ethnicityCode(),
                        d.ethnicityScheme(),
                        d.ethnicityStatus(),
                        d.upn(),
                        Timestamp.from(now),
                        id,
                        dob.year(),
                        dob.month(),
                        dob.day(),
                        d.sex(),
                        d.ethnicityCode(),
                        d.ethnicityScheme(),
                        d.upn())
                .update();
        if (changed > 0) {
            events.publishEvent(new PersonRecordsChanged(List.of(), List.of(id)));
        }
        return changed > 0;
    }

    /** Sets the record's own "reported missing" fact (yes, no, not_known, not_recorded); true when it changed. */
    @Transactional(propagation = Propagation.MANDATORY)
    public boolean setReportedMissing(long id, String value, Instant now) {
        int changed = jdbc.sql(
                        """
                UPDATE person_record SET reported_missing = CAST(? AS tri_state), version = version + 1, updated_at = ?
                WHERE id = ? AND reported_missing IS DISTINCT FROM CAST(? AS tri_state)""")
                .params(value, Timestamp.from(now), id, value)
                .update();
        if (changed > 0) {
            events.publishEvent(new PersonRecordsChanged(List.of(), List.of(id)));
        }
        return changed > 0;
    }

    /** What one staged batch did. */
    public record StagedResult(int created, int updated) {}

    /**
     * The bulk import's set-based write of one batch, over a transaction-scoped staging table {@code stage} holding
     * the standard person-records columns as text (see importexport's ImportKind), plus {@code hash} (content hash)
     * and {@code target_id} (the record a changed row replaces; empty for a new row). Changed rows whose hash
     * differs are updated (aliases replaced, the current address closed when it moved); new rows are inserted for
     * {@code agencyId}. One {@link PersonRecordsChanged} for the batch.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public StagedResult writeStaged(long agencyId, boolean hasChanged, boolean hasNew, Instant now, LocalDate today) {
        Timestamp nowTs = Timestamp.from(now);
        List<Long> changed = hasChanged
                ? jdbc.sql(StagedSql.UPDATE)
                        .param("now", nowTs)
                        .param("today", today)
                        .query(Long.class)
                        .list()
                : List.of();
        List<Long> created = hasNew
                ? jdbc.sql(StagedSql.INSERT)
                        .param("agency", agencyId)
                        .param("now", nowTs)
                        .param("today", today)
                        .query(Long.class)
                        .list()
                : List.of();
        PersonRecordsChanged event = new PersonRecordsChanged(created, changed);
        if (!event.isEmpty()) {
            events.publishEvent(event);
        }
        return new StagedResult(created.size(), changed.size());
    }

    /**
     * The demo population loader's write, over its COPY staging table {@code stage_person_records} (the generator's
     * person_records.csv columns as text, with agency_code). Records an agency already holds are left alone.
     * One {@link PersonRecordsChanged} for the whole load, marked as a bulk load: the caller must relink at once.
     * Returns the number created.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public int writePopulationStage() {
        List<Long> created = jdbc.sql(StagedSql.POPULATION).query(Long.class).list();
        if (!created.isEmpty()) {
            events.publishEvent(new PersonRecordsChanged(created, List.of(), true));
        }
        return created.size();
    }

    /** Sets each record's identity ({@code identityIds[i]} for {@code recordIds[i]}); identity's own call. */
    @Transactional(propagation = Propagation.MANDATORY)
    public int assignIdentities(long[] recordIds, long[] identityIds) {
        if (recordIds.length != identityIds.length) {
            throw new IllegalArgumentException("one identity per record");
        }
        int updated = 0;
        for (int from = 0; from < recordIds.length; from += 50_000) {
            int to = Math.min(recordIds.length, from + 50_000);
            Long[] a = new Long[to - from];
            Long[] b = new Long[to - from];
            for (int i = from; i < to; i++) {
                a[i - from] = recordIds[i];
                b[i - from] = identityIds[i];
            }
            updated += jdbc.sql(
                            """
                    UPDATE person_record pr SET identity_id = r.identity_id
                    FROM unnest(?::bigint[], ?::bigint[]) AS r(record_id, identity_id)
                    WHERE pr.id = r.record_id AND pr.identity_id IS DISTINCT FROM r.identity_id""")
                    .params(a, b)
                    .update();
        }
        return updated;
    }

    /** Moves every record of identity {@code from} into {@code to}; returns the ids of the records moved. */
    @Transactional(propagation = Propagation.MANDATORY)
    public List<Long> moveIdentity(long from, long to) {
        return jdbc.sql("UPDATE person_record SET identity_id = ? WHERE identity_id = ? RETURNING id")
                .params(to, from)
                .query(Long.class)
                .list();
    }

    /**
     * Deletes a person record for an erasure (retention): its aliases, addresses, placements, SSDA903 rows, grants and
     * alerts go with it (ON DELETE CASCADE). The caller removes what refers to it without a cascade (episodes,
     * concerns, associations) first, and identity detaches it from its identity. Returns whether it was there.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public boolean erase(long id) {
        return jdbc.sql("DELETE FROM person_record WHERE id = ?").param(id).update() == 1;
    }

    /** The set-based statements, kept together so the import and the demo loader map values the same way. */
    static final class StagedSql {

        private static String nz(String column) {
            return "nullif(s." + column + ", '')";
        }

        private static final Map<String, String> EXPRESSIONS = new LinkedHashMap<>();
        private static final Map<String, String> IMPORT_EXPRESSIONS = new LinkedHashMap<>();

        static {
            Map<String, String> e = EXPRESSIONS;
            e.put("given_name", nz("given_name"));
            e.put("middle_names", nz("middle_names"));
            e.put("family_name", nz("family_name"));
            e.put("dob_year", "nullif(split_part(s.dob, '-', 1), '')::int");
            e.put("dob_month", "nullif(split_part(s.dob, '-', 2), '')::int");
            e.put("dob_day", "nullif(split_part(s.dob, '-', 3), '')::int");
            e.put(
                    "sex",
                    "CASE s.sex WHEN 'male' THEN 'male' WHEN 'female' THEN 'female' WHEN 'unknown' THEN 'not_known' "
                            + "ELSE 'not_recorded' END");
            e.put("ethnicity_code", nz("ethnicity_code"));
            e.put("ethnicity_scheme", nz("ethnicity_scheme"));
            e.put(
                    "ethnicity_status",
                    "CASE WHEN coalesce(s.ethnicity_code, '') = '' THEN 'not_recorded' "
                            + "WHEN s.ethnicity_code = 'REFU' THEN 'refused' WHEN s.ethnicity_code = 'NOBT' THEN 'not_known' "
                            + "ELSE 'recorded' END");
            e.put("upn", nz("upn"));
            e.put("local_child_id", nz("local_child_id"));
            e.put(
                    "care_status",
                    "CASE WHEN s.care_status IN ('looked_after', 'not_looked_after', 'not_known') "
                            + "THEN s.care_status ELSE 'not_recorded' END");
            e.put("responsible_authority", nz("responsible_authority"));
            e.put(
                    "cp_plan",
                    "CASE WHEN s.cp_plan IN ('yes', 'no', 'not_known') THEN s.cp_plan "
                            + "ELSE 'not_recorded' END::tri_state");
            e.put(
                    "known_to_social_care",
                    "CASE WHEN s.known_to_social_care IN ('yes', 'no', 'not_known') "
                            + "THEN s.known_to_social_care ELSE 'not_recorded' END::tri_state");
            IMPORT_EXPRESSIONS.putAll(e);
            // Only the import layout has it: the generator's person_records.csv (the demo loader's stage) does not.
            IMPORT_EXPRESSIONS.put(
                    "reported_missing",
                    "CASE WHEN s.reported_missing IN ('yes', 'no', 'not_known') "
                            + "THEN s.reported_missing ELSE 'not_recorded' END::tri_state");
        }

        private static final String RECORDED_AT = "nullif(s.recorded_at, '')::timestamptz";
        private static final String NEW_ADDRESS = "(nullif(s.address_line, ''), nullif(s.postcode, ''))";

        private static String set() {
            return IMPORT_EXPRESSIONS.entrySet().stream()
                    .map(x -> x.getKey() + " = " + x.getValue())
                    .collect(Collectors.joining(",\n    "));
        }

        static final String UPDATE =
                """
                WITH changed AS (
                  SELECT s.* FROM stage s JOIN person_record t ON t.id = s.target_id
                  WHERE t.content_hash IS DISTINCT FROM s.hash),
                upd AS (
                  UPDATE person_record t SET
                    %s,
                    content_hash = s.hash,
                    recorded_at = coalesce(%s, t.recorded_at),
                    updated_at = :now, version = t.version + 1
                  FROM changed s WHERE t.id = s.target_id RETURNING t.id),
                del_alias AS (DELETE FROM person_alias pa USING changed s WHERE pa.person_record_id = s.target_id),
                ins_alias AS (
                  INSERT INTO person_alias (person_record_id, full_name)
                  SELECT s.target_id, trim(a) FROM changed s CROSS JOIN LATERAL unnest(string_to_array(nullif(s.aliases, ''), '|')) a
                  WHERE trim(a) <> ''),
                old_addr AS (
                  UPDATE person_address pa SET is_current = false, valid_to = :today
                  FROM changed s WHERE pa.person_record_id = s.target_id AND pa.is_current
                    AND (pa.address_line, pa.postcode) IS DISTINCT FROM %s),
                new_addr AS (
                  INSERT INTO person_address (person_record_id, address_line, postcode, valid_from)
                  SELECT s.target_id, nullif(s.address_line, ''), nullif(s.postcode, ''), :today FROM changed s
                  WHERE (coalesce(s.address_line, '') <> '' OR coalesce(s.postcode, '') <> '')
                    AND NOT EXISTS (SELECT 1 FROM person_address pa WHERE pa.person_record_id = s.target_id AND pa.is_current
                                    AND (pa.address_line, pa.postcode) IS NOT DISTINCT FROM %s))
                SELECT id FROM upd"""
                        .formatted(set(), RECORDED_AT, NEW_ADDRESS, NEW_ADDRESS);

        static final String INSERT =
                """
                WITH inserted AS (
                  INSERT INTO person_record (agency_id, record_ref, %s, content_hash, recorded_at, created_at, updated_at)
                  SELECT :agency, s.record_ref, %s, s.hash, coalesce(%s, :now), :now, :now FROM stage s WHERE s.target_id IS NULL
                  RETURNING id, record_ref),
                aliases AS (
                  INSERT INTO person_alias (person_record_id, full_name)
                  SELECT i.id, trim(a) FROM inserted i JOIN stage s ON s.record_ref = i.record_ref
                  CROSS JOIN LATERAL unnest(string_to_array(nullif(s.aliases, ''), '|')) a WHERE trim(a) <> ''),
                addresses AS (
                  INSERT INTO person_address (person_record_id, address_line, postcode, valid_from)
                  SELECT i.id, nullif(s.address_line, ''), nullif(s.postcode, ''), :today
                  FROM inserted i JOIN stage s ON s.record_ref = i.record_ref
                  WHERE coalesce(s.address_line, '') <> '' OR coalesce(s.postcode, '') <> '')
                SELECT id FROM inserted"""
                        .formatted(
                                String.join(", ", IMPORT_EXPRESSIONS.keySet()),
                                String.join(", ", IMPORT_EXPRESSIONS.values()),
                                RECORDED_AT);

        static final String POPULATION =
                """
                WITH inserted AS (
                  INSERT INTO person_record (agency_id, record_ref, %s, recorded_at)
                  SELECT a.id, s.record_ref, %s, coalesce(%s, now())
                  FROM stage_person_records s JOIN agency a ON a.code = s.agency_code
                  ON CONFLICT (agency_id, record_ref) DO NOTHING
                  RETURNING id, agency_id, record_ref),
                aliases AS (
                  INSERT INTO person_alias (person_record_id, full_name)
                  SELECT i.id, trim(alias)
                  FROM inserted i JOIN agency a ON a.id = i.agency_id
                  JOIN stage_person_records s ON s.agency_code = a.code AND s.record_ref = i.record_ref
                  CROSS JOIN LATERAL unnest(string_to_array(nullif(s.aliases, ''), '|')) AS alias
                  WHERE trim(alias) <> ''),
                addresses AS (
                  INSERT INTO person_address (person_record_id, address_line, postcode)
                  SELECT i.id, nullif(s.address_line, ''), nullif(s.postcode, '')
                  FROM inserted i JOIN agency a ON a.id = i.agency_id
                  JOIN stage_person_records s ON s.agency_code = a.code AND s.record_ref = i.record_ref
                  WHERE coalesce(s.address_line, '') <> '' OR coalesce(s.postcode, '') <> '')
                SELECT id FROM inserted"""
                        .formatted(
                                String.join(", ", EXPRESSIONS.keySet()),
                                String.join(", ", EXPRESSIONS.values()),
                                RECORDED_AT);

        private StagedSql() {}
    }
}
