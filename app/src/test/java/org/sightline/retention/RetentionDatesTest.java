package org.sightline.retention;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sightline.access.Roles;
import org.sightline.access.SightlineUser;
import org.sightline.access.UserAccounts;
import org.sightline.shared.InvalidRequestException;
import org.sightline.support.IntegrationTest;
import org.sightline.support.TestData;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Review dates computed by the database against dates worked out by hand from the rules' defaults (child's records:
 * the later of the 25th birthday, 75th when looked after, and 6 years after the last activity of the record and its
 * dependants; episodes 6 years, concerns 10; import runs 90 days; adults 6 years), and the list of what is due.
 */
@IntegrationTest
class RetentionDatesTest {

    @Autowired
    RetentionDue due;

    @Autowired
    RetentionActions actions;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    TestData data;

    @Autowired
    UserAccounts accounts;

    String agency;
    long agencyId;

    @BeforeEach
    void agency() {
        agency = data.agency("local_authority");
        agencyId = jdbc.sql("SELECT id FROM agency WHERE code = ?")
                .param(agency)
                .query(Long.class)
                .single();
    }

    /** A person record last changed at {@code changed} (UTC). */
    private UUID person(Integer year, Integer month, Integer day, String changed) {
        UUID id = data.personRecord(agency, "Test", "Child", year == null ? 2000 : year, month, day, null);
        jdbc.sql("UPDATE person_record SET updated_at = ?::timestamptz, dob_year = ? WHERE public_id = ?")
                .params(changed, year, id)
                .update();
        return id;
    }

    private long id(UUID person) {
        return jdbc.sql("SELECT id FROM person_record WHERE public_id = ?")
                .param(person)
                .query(Long.class)
                .single();
    }

    private RetentionDue.Due of(RecordType type, UUID publicId) {
        return due.find(type, publicId).orElseThrow();
    }

    @Test
    void aChildsRecordIsDueAtTheLaterOfTheBirthdayAndYearsAfterItsLastActivity() {
        // Born on a leap day: the 25th birthday, in a common year, is 1 March 2029 (never a day early).
        UUID leap = person(2004, 2, 29, "2010-01-01T12:00:00Z");
        RetentionDue.Due d = of(RecordType.PERSON_RECORD, leap);
        assertThat(d.ageDate()).isEqualTo(LocalDate.of(2029, 3, 1));
        assertThat(d.lastActivity()).isEqualTo(LocalDate.of(2010, 1, 1));
        assertThat(d.reviewDate()).isEqualTo(LocalDate.of(2029, 3, 1));
        assertThat(d.basis()).isEqualTo("age");

        // The day after 28 February in a common year stays 1 March when the 25th birthday falls in a leap year.
        UUID march = person(2003, 3, 1, "2010-01-01T12:00:00Z");
        assertThat(of(RecordType.PERSON_RECORD, march).ageDate()).isEqualTo(LocalDate.of(2028, 3, 1));
        UUID february = person(2003, 2, 28, "2010-01-01T12:00:00Z");
        assertThat(of(RecordType.PERSON_RECORD, february).ageDate()).isEqualTo(LocalDate.of(2028, 2, 28));

        // Only the year recorded: the latest birthday it can be, 31 December; activity on 29 February 2020 (London)
        // plus 6 years lands on 1 March 2026, which is later.
        UUID yearOnly = person(1990, null, null, "2020-02-29T10:00:00Z");
        d = of(RecordType.PERSON_RECORD, yearOnly);
        assertThat(d.ageDate()).isEqualTo(LocalDate.of(2015, 12, 31));
        assertThat(d.reviewDate()).isEqualTo(LocalDate.of(2026, 3, 1));
        assertThat(d.basis()).isEqualTo("activity");

        // Month recorded, not the day: the month's last day, 28 February 1995 → 28 February 2020.
        UUID monthOnly = person(1995, 2, null, "2001-01-01T00:00:00Z");
        assertThat(of(RecordType.PERSON_RECORD, monthOnly).ageDate()).isEqualTo(LocalDate.of(2020, 2, 28));

        // 31 February (the columns allow it): the month's last day, not an error that would stop the list.
        UUID impossible = person(2001, 2, 31, "2001-01-01T00:00:00Z");
        assertThat(of(RecordType.PERSON_RECORD, impossible).ageDate()).isEqualTo(LocalDate.of(2026, 2, 28));

        // Late in the evening UTC in summer is the next day in London.
        UUID noBirth = person(null, null, null, "2015-05-04T23:30:00Z");
        d = of(RecordType.PERSON_RECORD, noBirth);
        assertThat(d.ageDate()).isNull();
        assertThat(d.lastActivity()).isEqualTo(LocalDate.of(2015, 5, 5));
        assertThat(d.reviewDate()).isEqualTo(LocalDate.of(2021, 5, 5));
        assertThat(d.basis()).isEqualTo("no_birth_date");

        // Looked after: the 75th birthday.
        UUID lookedAfter = person(2000, 6, 15, "2010-01-01T12:00:00Z");
        jdbc.sql("UPDATE person_record SET care_status = 'looked_after' WHERE public_id = ?")
                .param(lookedAfter)
                .update();
        assertThat(of(RecordType.PERSON_RECORD, lookedAfter).reviewDate()).isEqualTo(LocalDate.of(2075, 6, 15));
    }

    @Test
    void theLastActivityIsTheLatestChangeOfTheRecordAndWhatDependsOnIt() {
        UUID child = person(2004, 2, 29, "2010-01-01T12:00:00Z");
        long childId = id(child);
        UUID episode = jdbc.sql(
                        """
                INSERT INTO missing_episode (agency_id, person_record_id, episode_ref, reported_at, updated_at)
                VALUES (?, ?, ?, '2027-05-01T09:00:00Z', '2027-05-01T09:00:00Z') RETURNING public_id""")
                .params(agencyId, childId, TestData.unique("E"))
                .query(UUID.class)
                .single();
        long episodeId = jdbc.sql("SELECT id FROM missing_episode WHERE public_id = ?")
                .param(episode)
                .query(Long.class)
                .single();
        // A grading a year later is the episode's, and so the child's, last activity.
        jdbc.sql(
                        """
                INSERT INTO risk_grading (episode_id, grade_code, code_list_version, graded_at)
                VALUES (?, 'medium', 'v1', '2028-06-01T09:00:00Z')""")
                .param(episodeId)
                .update();
        RetentionDue.Due e = of(RecordType.MISSING_EPISODE, episode);
        assertThat(e.lastActivity()).isEqualTo(LocalDate.of(2028, 6, 1));
        assertThat(e.reviewDate()).isEqualTo(LocalDate.of(2034, 6, 1));
        RetentionDue.Due p = of(RecordType.PERSON_RECORD, child);
        assertThat(p.lastActivity()).isEqualTo(LocalDate.of(2028, 6, 1));
        assertThat(p.reviewDate()).isEqualTo(LocalDate.of(2034, 6, 1));
        assertThat(p.basis()).isEqualTo("activity");

        // A concern: 10 years after its last screening, but not before the child's 25th birthday.
        UUID concern = jdbc.sql(
                        """
                INSERT INTO exploitation_concern (agency_id, person_record_id, concern_ref, raised_at, updated_at)
                VALUES (?, ?, ?, '2012-02-29T09:00:00Z', '2012-02-29T09:00:00Z') RETURNING public_id""")
                .params(agencyId, childId, TestData.unique("C"))
                .query(UUID.class)
                .single();
        RetentionDue.Due c = of(RecordType.CONCERN, concern);
        assertThat(c.lastActivity()).isEqualTo(LocalDate.of(2012, 2, 29));
        assertThat(c.ageDate()).isEqualTo(LocalDate.of(2029, 3, 1));
        assertThat(c.reviewDate()).isEqualTo(LocalDate.of(2029, 3, 1));
    }

    @Test
    void importRunsAndAdultsHaveTheirOwnPeriods() {
        UUID run = jdbc.sql(
                        """
                INSERT INTO import_run (agency_id, kind, file_name, sha256, status, started_by, started_at, finished_at)
                VALUES (?, 'person-records', 'f.csv', 'x', 'completed', 'test', '2020-01-01T10:00:00Z',
                        '2020-01-02T10:00:00Z') RETURNING public_id""")
                .param(agencyId)
                .query(UUID.class)
                .single();
        // 2 January 2020 + 90 days (a leap year's February has 29) = 1 April 2020.
        assertThat(of(RecordType.IMPORT_RUN, run).reviewDate()).isEqualTo(LocalDate.of(2020, 4, 1));

        UUID adult = jdbc.sql(
                        """
                INSERT INTO adult_of_concern (agency_id, adult_ref, created_at) VALUES (?, ?, '2019-03-01T10:00:00Z')
                RETURNING public_id""")
                .params(agencyId, TestData.unique("A"))
                .query(UUID.class)
                .single();
        assertThat(of(RecordType.ADULT, adult).reviewDate()).isEqualTo(LocalDate.of(2025, 3, 1));
        long adultId = jdbc.sql("SELECT id FROM adult_of_concern WHERE public_id = ?")
                .param(adult)
                .query(Long.class)
                .single();
        jdbc.sql(
                        """
                INSERT INTO association (agency_id, from_kind, from_id, to_kind, to_id, association_type, observed_at,
                                         created_at)
                VALUES (?, 'adult', ?, 'adult', ?, 'associate', '2021-07-10T10:00:00Z', '2021-07-01T10:00:00Z')""")
                .params(agencyId, adultId, adultId)
                .update();
        assertThat(of(RecordType.ADULT, adult).reviewDate()).isEqualTo(LocalDate.of(2027, 7, 10));
    }

    @Test
    void theDueListHoldsWhatIsDueAndAReviewMovesItOn() {
        UUID dueNow = person(2000, 1, 1, "2010-01-01T12:00:00Z"); // 1 January 2025
        UUID notYet = person(2010, 1, 1, "2010-01-01T12:00:00Z"); // 1 January 2035
        UUID noBirth = person(null, null, null, "2015-05-05T10:00:00Z"); // 5 May 2021
        LocalDate asAt = LocalDate.of(2030, 1, 1);

        RetentionDue.Page page = due.page(asAt, RecordType.PERSON_RECORD, agency, 1, 50, due.counts(asAt));
        assertThat(page.rows()).extracting(RetentionDue.Due::publicId).containsExactly(noBirth, dueNow);
        assertThat(page.total()).isEqualTo(2);
        assertThat(due.counts(asAt))
                .filteredOn(c -> c.agencyCode().equals(agency))
                .singleElement()
                .satisfies(c -> {
                    assertThat(c.type()).isEqualTo(RecordType.PERSON_RECORD);
                    assertThat(c.count()).isEqualTo(2);
                });
        assertThat(due.page(asAt, RecordType.PERSON_RECORD, agency, 2, 1, due.counts(asAt))
                        .rows())
                .extracting(RetentionDue.Due::publicId)
                .containsExactly(dueNow);
        assertThat(due.find(RecordType.PERSON_RECORD, notYet).orElseThrow().reviewDate())
                .isEqualTo(LocalDate.of(2035, 1, 1));

        SightlineUser admin = accounts.loadUserByUsername(data.user("SIGHTLINE", Roles.ADMIN));
        LocalDate until = actions.today().plusYears(12);
        actions.keep(admin, RecordType.PERSON_RECORD, noBirth, until.toString(), "Subject of an open inquiry");
        RetentionDue.Due kept = due.find(RecordType.PERSON_RECORD, noBirth).orElseThrow();
        assertThat(kept.reviewDate()).isEqualTo(until);
        assertThat(kept.basis()).isEqualTo("kept");
        assertThat(due.page(asAt, RecordType.PERSON_RECORD, agency, 1, 50, due.counts(asAt))
                        .rows())
                .extracting(RetentionDue.Due::publicId)
                .containsExactly(dueNow);
        String audited = jdbc.sql("SELECT details FROM audit_event WHERE action = 'RETENTION_KEEP' AND subject_id = ? ")
                .param(noBirth.toString())
                .query(String.class)
                .single();
        assertThat(audited).contains("keep_until=" + until);

        // A date in the past, a missing reason: refused, naming each field and rule.
        try {
            actions.keep(
                    admin, RecordType.PERSON_RECORD, dueNow, actions.today().toString(), " ");
            throw new AssertionError("accepted");
        } catch (InvalidRequestException e) {
            assertThat(e.violations())
                    .extracting(v -> v.field() + ":" + v.rule())
                    .containsExactly("keepUntil:future", "reason:required");
        }
    }

    @Test
    void theDailyJobRunsOncePerDayAndRecordsTheCounts(@Autowired RetentionJob job) {
        jdbc.sql("DELETE FROM retention_job_run WHERE run_date = ?")
                .param(actions.today())
                .update();
        var counts = job.run();
        assertThat(counts).isNotNull();
        long personRecordsDue = due.counts(actions.today()).stream()
                .filter(c -> c.type() == RecordType.PERSON_RECORD)
                .mapToLong(RetentionDue.Count::count)
                .sum();
        assertThat(counts.getOrDefault("person_record", 0L)).isEqualTo(personRecordsDue);
        assertThat(job.run())
                .as("a second run the same day (a restart) does nothing")
                .isNull();
        assertThat(jdbc.sql("SELECT count(*) FROM retention_job_run WHERE run_date = ?")
                        .param(actions.today())
                        .query(Long.class)
                        .single())
                .isEqualTo(1);
    }
}
