package org.sightline.retention;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.sightline.access.SightlineUser;
import org.sightline.audit.AuditEntry;
import org.sightline.audit.AuditLog;
import org.sightline.identity.RecordErasure;
import org.sightline.person.PersonRecords;
import org.sightline.shared.InvalidRequestException;
import org.sightline.shared.NotFoundException;
import org.sightline.shared.Violation;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * An administrator's decision about a record that is due: reviewed and kept until a later date (with the reason), or
 * erased. Erasure deletes the record and what it owns in one transaction and leaves in the audit only that it
 * happened: who, when, the reason, the record type and its ids, never what it held. Existing audit entries stay.
 */
@Service
class RetentionActions {

    private static final ZoneId LONDON = ZoneId.of("Europe/London");
    static final int MAX_REASON = 1000;

    private final JdbcClient jdbc;
    private final AuditLog audit;
    private final Clock clock;
    private final RetentionDue due;
    private final RecordErasure identities;
    private final PersonRecords people;

    RetentionActions(
            JdbcClient jdbc,
            AuditLog audit,
            Clock clock,
            RetentionDue due,
            RecordErasure identities,
            PersonRecords people) {
        this.jdbc = jdbc;
        this.audit = audit;
        this.clock = clock;
        this.due = due;
        this.identities = identities;
        this.people = people;
    }

    LocalDate today() {
        return LocalDate.now(clock.withZone(LONDON));
    }

    /** The record with its review date; not found for an unknown (or erased) id. The read is audited. */
    @Transactional
    RetentionDue.Due find(SightlineUser admin, RecordType type, UUID publicId) {
        RetentionDue.Due found = due.find(type, publicId)
                .orElseThrow(() -> new NotFoundException("No " + type.code() + " with this id"));
        audit.record(AuditEntry.of(
                admin.username(), admin.agencyCode(), "RETENTION_VIEW", type.code(), publicId.toString()));
        return found;
    }

    /** The reason's rules: required, at most 1000 characters. */
    static List<Violation> checkReason(String reason) {
        List<Violation> broken = new ArrayList<>();
        if (reason == null || reason.isBlank()) {
            broken.add(new Violation("reason", "required", "give the reason"));
        } else if (reason.strip().length() > MAX_REASON) {
            broken.add(new Violation("reason", "too-long", "the reason must be at most 1000 characters"));
        }
        return broken;
    }

    /** Reviewed and kept: the record is due again on {@code keepUntil}, which must be after today. */
    @Transactional
    void keep(SightlineUser admin, RecordType type, UUID publicId, String keepUntil, String reason) {
        List<Violation> broken = new ArrayList<>();
        LocalDate until = null;
        try {
            until = keepUntil == null || keepUntil.isBlank() ? null : LocalDate.parse(keepUntil.strip());
        } catch (java.time.format.DateTimeParseException e) {
            broken.add(new Violation("keepUntil", "date", "the date must be a real date, like 2031-03-27"));
        }
        if (until == null && broken.isEmpty()) {
            broken.add(new Violation("keepUntil", "required", "enter the date to keep the record until"));
        } else if (until != null && !until.isAfter(today())) {
            broken.add(new Violation("keepUntil", "future", "the date must be after today"));
        } else if (until != null && until.isAfter(today().plusYears(100))) {
            broken.add(new Violation("keepUntil", "too-far", "the date must be within 100 years"));
        }
        broken.addAll(checkReason(reason));
        if (!broken.isEmpty()) {
            throw new InvalidRequestException(broken);
        }
        RetentionDue.Due record = due.find(type, publicId)
                .orElseThrow(() -> new NotFoundException("No " + type.code() + " with this id"));
        jdbc.sql(
                        """
                INSERT INTO retention_review (record_type, record_id, keep_until, reason, reviewed_by, reviewed_at)
                VALUES (?, ?, ?, ?, ?, ?)""")
                .params(
                        type.code(),
                        record.id(),
                        until,
                        reason.strip(),
                        admin.username(),
                        Timestamp.from(clock.instant()))
                .update();
        audit.record(
                AuditEntry.of(admin.username(), admin.agencyCode(), "RETENTION_KEEP", type.code(), publicId.toString())
                        .withReason(reason.strip())
                        .withDetails("keep_until=" + until + ";was_due=" + record.reviewDate()));
    }

    /** What an erasure removed, counted for the confirmation (counts only). */
    record Erased(
            RecordType type,
            UUID publicId,
            int episodes,
            int concerns,
            int links,
            int quarantinedRows,
            int alerts,
            boolean identityRemoved,
            int identitiesSplit) {}

    /**
     * Erases the record and what it owns, in one transaction. Not found if it is gone already (a second click). The
     * audit entry names the record type, its internal and public ids, the reason and counts, never its contents.
     */
    @Transactional
    Erased erase(SightlineUser admin, RecordType type, UUID publicId, String reason) {
        List<Violation> broken = checkReason(reason);
        if (!broken.isEmpty()) {
            throw new InvalidRequestException(broken);
        }
        long id = jdbc.sql("SELECT id FROM " + table(type) + " WHERE public_id = ?")
                .param(publicId)
                .query(Long.class)
                .optional()
                .orElseThrow(() -> new NotFoundException("No " + type.code() + " with this id"));
        Erased erased =
                switch (type) {
                    case PERSON_RECORD -> erasePerson(id, publicId);
                    case MISSING_EPISODE -> eraseEpisodes(type, publicId, List.of(id));
                    case CONCERN -> eraseConcerns(type, publicId, List.of(id));
                    case IMPORT_RUN -> eraseImportRun(id, publicId);
                    case ADULT -> eraseAdult(id, publicId);
                };
        jdbc.sql("DELETE FROM retention_review WHERE record_type = ? AND record_id = ?")
                .params(type.code(), id)
                .update();
        audit.record(AuditEntry.of(admin.username(), admin.agencyCode(), "ERASE", type.code(), publicId.toString())
                .withReason(reason.strip())
                .withDetails(String.format(
                        "id=%d;episodes=%d;concerns=%d;links=%d;quarantined_rows=%d;alerts=%d;identity_removed=%s;"
                                + "identities_split=%d",
                        id,
                        erased.episodes(),
                        erased.concerns(),
                        erased.links(),
                        erased.quarantinedRows(),
                        erased.alerts(),
                        erased.identityRemoved(),
                        erased.identitiesSplit())));
        return erased;
    }

    private static String table(RecordType type) {
        return switch (type) {
            case PERSON_RECORD -> "person_record";
            case MISSING_EPISODE -> "missing_episode";
            case CONCERN -> "exploitation_concern";
            case IMPORT_RUN -> "import_run";
            case ADULT -> "adult_of_concern";
        };
    }

    private Erased erasePerson(long id, UUID publicId) {
        RecordErasure.Detached detached = identities.detach(id);
        List<Long> episodes = jdbc.sql("SELECT id FROM missing_episode WHERE person_record_id = ?")
                .param(id)
                .query(Long.class)
                .list();
        List<Long> concerns = jdbc.sql("SELECT id FROM exploitation_concern WHERE person_record_id = ?")
                .param(id)
                .query(Long.class)
                .list();
        // Quarantined rows that hold this record (its reference, its SSDA903 child id, or its episodes' and concerns'
        // references, in the agency's runs): the rows as received, personal data included.
        int quarantined = jdbc.sql(
                        """
                DELETE FROM import_quarantine q USING import_run r, person_record p
                WHERE p.id = :id AND r.id = q.run_id AND r.agency_id = p.agency_id
                  AND (q.row_ref = p.record_ref OR q.raw ->> 'record_ref' = p.record_ref
                       OR q.raw ->> 'CHILD' IN (p.record_ref, p.local_child_id)
                       OR q.row_ref IN (SELECT episode_ref FROM missing_episode WHERE person_record_id = :id)
                       OR q.row_ref IN (SELECT concern_ref FROM exploitation_concern WHERE person_record_id = :id))""")
                .param("id", id)
                .update();
        // SSDA903 rule failures name the child by its SSDA903 id (CHILD).
        jdbc.sql(
                        """
                DELETE FROM ssda903_rule_failure f USING person_record p
                WHERE p.id = ? AND f.agency_id = p.agency_id AND f.child IN (p.record_ref, p.local_child_id)""")
                .param(id)
                .update();
        Erased episodesErased = eraseEpisodes(RecordType.PERSON_RECORD, publicId, episodes);
        Erased concernsErased = eraseConcerns(RecordType.PERSON_RECORD, publicId, concerns);
        int links = unlink("person_record", List.of(id));
        jdbc.sql("DELETE FROM import_history WHERE kind = 'person-records' AND target_id = ?")
                .param(id)
                .update();
        int alerts = jdbc.sql("SELECT count(*) FROM alert WHERE person_record_id = ?")
                .param(id)
                .query(Integer.class)
                .single();
        if (!people.erase(id)) {
            // Erased meanwhile by another administrator: nothing of this transaction stays.
            throw new NotFoundException("No person_record with this id");
        }
        identities.finish(detached);
        boolean identityRemoved =
                detached.identityId() != null && detached.remaining().isEmpty();
        requeue(detached.remaining());
        return new Erased(
                RecordType.PERSON_RECORD,
                publicId,
                episodes.size(),
                concerns.size(),
                links + episodesErased.links() + concernsErased.links(),
                quarantined + episodesErased.quarantinedRows() + concernsErased.quarantinedRows(),
                alerts + episodesErased.alerts() + concernsErased.alerts(),
                identityRemoved,
                detached.split());
    }

    /**
     * Deletes episodes with their links, import history and the alerts raised for them (cause keys name the episode);
     * their gradings, events and SSDA903 periods go by cascade. The child's other records are re-evaluated.
     */
    private Erased eraseEpisodes(RecordType type, UUID publicId, List<Long> ids) {
        if (ids.isEmpty()) {
            return new Erased(type, publicId, 0, 0, 0, 0, 0, false, 0);
        }
        Long[] array = ids.toArray(Long[]::new);
        List<Long> children = childRecords("missing_episode", array);
        int quarantined = 0;
        if (type != RecordType.PERSON_RECORD) { // a person's erasure takes its quarantined rows itself
            quarantined = jdbc.sql(
                            """
                    DELETE FROM import_quarantine q USING import_run r, missing_episode e
                    WHERE e.id = ANY(?) AND r.id = q.run_id AND r.agency_id = e.agency_id AND q.row_ref = e.episode_ref""")
                    .param(array)
                    .update();
        }
        int links = unlink("episode", ids);
        int alerts = dropAlerts(children, ids);
        jdbc.sql("DELETE FROM import_history WHERE kind = 'missing-episodes' AND target_id = ANY(?)")
                .param(array)
                .update();
        jdbc.sql("DELETE FROM missing_episode WHERE id = ANY(?)").param(array).update();
        requeue(children);
        return new Erased(type, publicId, ids.size(), 0, links, quarantined, alerts, false, 0);
    }

    private Erased eraseConcerns(RecordType type, UUID publicId, List<Long> ids) {
        if (ids.isEmpty()) {
            return new Erased(type, publicId, 0, 0, 0, 0, 0, false, 0);
        }
        Long[] array = ids.toArray(Long[]::new);
        List<Long> children = childRecords("exploitation_concern", array);
        int quarantined = type != RecordType.PERSON_RECORD
                ? jdbc.sql(
                                """
                        DELETE FROM import_quarantine q USING import_run r, exploitation_concern c
                        WHERE c.id = ANY(?) AND r.id = q.run_id AND r.agency_id = c.agency_id AND q.row_ref = c.concern_ref""")
                        .param(array)
                        .update()
                : 0;
        int links = unlink("concern", ids);
        int alerts = dropAlerts(children, ids);
        jdbc.sql("DELETE FROM import_history WHERE kind = 'concerns' AND target_id = ANY(?)")
                .param(array)
                .update();
        jdbc.sql("DELETE FROM exploitation_concern WHERE id = ANY(?)")
                .param(array)
                .update();
        requeue(children);
        return new Erased(type, publicId, 0, ids.size(), links, quarantined, alerts, false, 0);
    }

    /** The run, its quarantined rows and kept upload (cascade), and the previous versions it kept. */
    private Erased eraseImportRun(long id, UUID publicId) {
        int quarantined = jdbc.sql("DELETE FROM import_quarantine WHERE run_id = ?")
                .param(id)
                .update();
        jdbc.sql("DELETE FROM import_history WHERE import_run_id = ?").param(id).update();
        jdbc.sql("DELETE FROM import_run WHERE id = ?").param(id).update();
        return new Erased(RecordType.IMPORT_RUN, publicId, 0, 0, 0, quarantined, 0, false, 0);
    }

    /** The adult and every link to it; the children it was linked to are re-evaluated. */
    private Erased eraseAdult(long id, UUID publicId) {
        List<Long> children = jdbc.sql(
                        """
                SELECT DISTINCT person_record_id FROM alert_child_link
                WHERE other_kind = 'adult' AND other_id = ? AND person_record_id IS NOT NULL""")
                .param(id)
                .query(Long.class)
                .list();
        List<Long> associations = jdbc.sql(
                        """
                SELECT id FROM association WHERE (from_kind = 'adult' AND from_id = :id) OR (to_kind = 'adult' AND to_id = :id)""")
                .param("id", id)
                .query(Long.class)
                .list();
        int alerts = dropAlerts(children, associations);
        int links = unlink("adult", List.of(id));
        jdbc.sql("DELETE FROM adult_of_concern WHERE id = ?").param(id).update();
        requeue(children);
        return new Erased(RecordType.ADULT, publicId, 0, 0, links, 0, alerts, false, 0);
    }

    /** Deletes the associations with an end of this kind among these ids; returns how many. */
    private int unlink(String kind, List<Long> ids) {
        return jdbc.sql(
                        """
                DELETE FROM association WHERE (from_kind = :kind AND from_id = ANY(:ids)) OR (to_kind = :kind AND to_id = ANY(:ids))""")
                .param("kind", kind)
                .param("ids", ids.toArray(Long[]::new))
                .update();
    }

    /** The person records of the identities that own these episodes or concerns (the child's records). */
    private List<Long> childRecords(String table, Long[] ids) {
        return jdbc.sql(
                        """
                SELECT DISTINCT p2.id FROM %s x JOIN person_record p ON p.id = x.person_record_id
                JOIN person_record p2 ON p2.id = p.id OR (p.identity_id IS NOT NULL AND p2.identity_id = p.identity_id)
                WHERE x.id = ANY(?)"""
                                .formatted(table))
                .param(ids)
                .query(Long.class)
                .list();
    }

    /**
     * Alerts of these records whose cause names one of the erased facts (cause keys are built from the facts: episode,
     * concern, association ids, see alert.Finding). What still holds without them is raised again by re-evaluation.
     */
    private int dropAlerts(List<Long> records, List<Long> factIds) {
        if (records.isEmpty() || factIds.isEmpty()) {
            return 0;
        }
        return jdbc.sql(
                        """
                DELETE FROM alert WHERE person_record_id = ANY(:records)
                  AND EXISTS (SELECT 1 FROM unnest(string_to_array(cause_key, ':')) part WHERE part = ANY(:facts))""")
                .param("records", records.toArray(Long[]::new))
                .param("facts", factIds.stream().map(String::valueOf).toArray(String[]::new))
                .update();
    }

    /** Queues the child's remaining records for the alert worker (rules read the identity's facts afresh). */
    private void requeue(List<Long> records) {
        if (!records.isEmpty()) {
            jdbc.sql("INSERT INTO alert_outbox (subject_kind, subject_id) SELECT 'person_record', unnest(?::bigint[])")
                    .param(records.toArray(Long[]::new))
                    .update();
        }
    }
}
