package org.sightline.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sightline.access.Roles;
import org.sightline.access.SightlineUser;
import org.sightline.access.UserAccounts;
import org.sightline.shared.ConflictException;
import org.sightline.shared.InvalidRequestException;
import org.sightline.shared.NotFoundException;
import org.sightline.shared.Violation;
import org.sightline.support.IntegrationTest;
import org.sightline.support.TestData;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.access.AccessDeniedException;

/** The episode service against PostgreSQL: history kept, scope and roles enforced, every step audited. */
@IntegrationTest
class EpisodeServiceTest {

    @Autowired
    EpisodeService episodes;

    @Autowired
    TestData data;

    @Autowired
    UserAccounts accounts;

    @Autowired
    JdbcClient jdbc;

    String force;
    String authority;
    SightlineUser officer;
    SightlineUser socialWorker;
    SightlineUser supervisor;
    UUID policeRecord;

    @BeforeEach
    void setUp() {
        force = data.agency("police_force");
        authority = data.agency("local_authority");
        officer = accounts.loadUserByUsername(data.user(force, Roles.POLICE_OFFICER));
        socialWorker = accounts.loadUserByUsername(data.user(authority, Roles.SOCIAL_WORKER));
        supervisor = accounts.loadUserByUsername(data.user(force, Roles.SUPERVISOR));
        long identity = data.identity();
        policeRecord = data.personRecord(force, "Tamsin", TestData.unique("Brackenbury"), 2011, 4, 2, identity);
        UUID authorityRecord =
                data.personRecord(authority, "Tamsin", TestData.unique("Brackenbury"), 2011, 4, 2, identity);
        // The authority's relationship with the child (C8): it records the child as looked after.
        jdbc.sql("UPDATE person_record SET care_status = 'looked_after' WHERE public_id = ?")
                .param(authorityRecord)
                .update();
    }

    private EpisodeRequests.NewEpisode report(UUID record, String missingFrom) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        return new EpisodeRequests.NewEpisode(
                record,
                null,
                new EpisodeRequests.Reporter("Pat Example", "carer", "key worker"),
                now.minus(Duration.ofHours(30)),
                now.minus(Duration.ofHours(31)),
                "Bus station",
                "ls1 4dy",
                missingFrom,
                "missing",
                new EpisodeRequests.GrabProfile(
                        "Tall, short dark hair", "Grey hoodie", null, "Town centre", null, "Asthma"));
    }

    private long audits(UUID episode, String action) {
        return jdbc.sql(
                        "SELECT count(*) FROM audit_event WHERE subject_type = 'missing_episode' AND subject_id = ? AND action = ?")
                .params(episode.toString(), action)
                .query(Long.class)
                .single();
    }

    @Test
    void theWholeLifecycleKeepsHistoryAndAuditsEveryStep() {
        EpisodeView e = episodes.report(officer, report(policeRecord, "care"));
        assertThat(e.status()).isEqualTo("reported");
        assertThat(e.lastSeenPostcode()).isEqualTo("LS1 4DY");
        assertThat(e.grabProfile().clothing()).isEqualTo("Grey hoodie");
        assertThat(e.clock().over24Hours()).isTrue();
        assertThat(e.allowedActions()).containsExactly("grade");

        e = episodes.grade(officer, e.publicId(), new EpisodeRequests.Grade(e.version(), "medium", "Out of character"));
        e = episodes.grade(
                officer, e.publicId(), new EpisodeRequests.Grade(e.version(), "high", "Seen with an adult of concern"));
        assertThat(e.status()).isEqualTo("graded");
        assertThat(e.currentRiskGrade()).isEqualTo("high");
        assertThat(e.gradings()).extracting(EpisodeView.Grading::grade).containsExactly("medium", "high");
        assertThat(e.gradings())
                .extracting(EpisodeView.Grading::codeListVersion)
                .containsOnly("APP");

        Instant found = Instant.now().minus(Duration.ofHours(2)).truncatedTo(ChronoUnit.SECONDS);
        e = episodes.found(
                officer,
                e.publicId(),
                new EpisodeRequests.Found(e.version(), found, "Friend's flat", "LS2 7HY", "Police patrol"));
        assertThat(e.clock().returnInterviewDueAt()).isEqualTo(found.plus(Duration.ofHours(72)));
        assertThat(e.clock().returnInterview()).isEqualTo("due");
        e = episodes.safeAndWell(
                officer,
                e.publicId(),
                new EpisodeRequests.SafeAndWell(
                        e.version(), found.plusSeconds(1800), "PC Example", "No harm disclosed"));
        // The social worker sees the episode through the authority's record of the same child.
        e = episodes.returnInterview(
                socialWorker,
                e.publicId(),
                new EpisodeRequests.ReturnInterview(e.version(), "offered", found.plusSeconds(3600), null));
        e = episodes.returnInterview(
                socialWorker,
                e.publicId(),
                new EpisodeRequests.ReturnInterview(e.version(), "accepted", found.plusSeconds(3700), null));
        e = episodes.returnInterview(
                socialWorker,
                e.publicId(),
                new EpisodeRequests.ReturnInterview(e.version(), "completed", found.plusSeconds(5000), "Done"));
        assertThat(e.clock().returnInterview()).isEqualTo("completed_in_time");
        e = episodes.close(supervisor, e.publicId(), new EpisodeRequests.Close(e.version(), null));
        assertThat(e.status()).isEqualTo("closed");
        assertThat(e.allowedActions()).isEmpty();
        assertThat(e.events())
                .extracting(EpisodeView.Event::type)
                .containsExactly(
                        "reported",
                        "found",
                        "safe_and_well_checked",
                        "return_interview_offered",
                        "return_interview_accepted",
                        "return_interview_completed",
                        "closed");

        assertThat(audits(e.publicId(), "EPISODE_REPORTED")).isEqualTo(1);
        assertThat(audits(e.publicId(), "EPISODE_GRADED")).isEqualTo(2);
        assertThat(audits(e.publicId(), "EPISODE_FOUND")).isEqualTo(1);
        assertThat(audits(e.publicId(), "EPISODE_SAFE_AND_WELL")).isEqualTo(1);
        assertThat(audits(e.publicId(), "EPISODE_RETURN_INTERVIEW")).isEqualTo(3);
        assertThat(audits(e.publicId(), "EPISODE_CLOSED")).isEqualTo(1);
        assertThat(jdbc.sql("SELECT version FROM missing_episode WHERE public_id = ?")
                        .param(e.publicId())
                        .query(Integer.class)
                        .single())
                .isEqualTo(8);
    }

    @Test
    void anotherAgencyCannotSeeOrChangeTheEpisodeAndTheRefusalIsAudited() {
        EpisodeView e = episodes.report(officer, report(policeRecord, "home"));
        SightlineUser stranger =
                accounts.loadUserByUsername(data.user(data.agency("police_force"), Roles.POLICE_OFFICER));
        assertThatThrownBy(() -> episodes.view(stranger, e.publicId())).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> episodes.grade(stranger, e.publicId(), new EpisodeRequests.Grade(0, "low", null)))
                .isInstanceOf(NotFoundException.class);
        assertThat(audits(e.publicId(), "VIEW_REFUSED")).isEqualTo(2);
        assertThat(jdbc.sql(
                                "SELECT count(*) FROM risk_grading g JOIN missing_episode m ON m.id = g.episode_id WHERE m.public_id = ?")
                        .param(e.publicId())
                        .query(Long.class)
                        .single())
                .isZero();
    }

    @Test
    void aReportCannotNameARecordOutsideTheReportersScope() {
        UUID elsewhere = data.personRecord(
                data.agency("police_force"), "Nell", TestData.unique("Farrow"), 2012, null, null, null);
        assertThatThrownBy(() -> episodes.report(officer, report(elsewhere, "home")))
                .isInstanceOf(InvalidRequestException.class)
                .satisfies(ex -> assertThat(((InvalidRequestException) ex).violations())
                        .containsExactly(new Violation(
                                "subjectRecordId", "not-found", "no record with this id that your agency may see")));
    }

    @Test
    void aNewChildBecomesARecordOfTheReportingAgency() {
        SightlineUser carer = accounts.loadUserByUsername(data.user(data.agency("care_provider"), Roles.CARE_STAFF));
        var base = report(null, "care");
        String family = TestData.unique("Ashdown");
        var request = new EpisodeRequests.NewEpisode(
                null,
                new EpisodeRequests.NewPerson("Robyn", family, "2010-07", "female"),
                base.reporter(),
                base.reportedAt(),
                base.lastSeenAt(),
                null,
                null,
                "care",
                "away",
                null);
        EpisodeView e = episodes.report(carer, request);
        assertThat(e.subject().familyName()).isEqualTo(family);
        assertThat(e.subject().dateOfBirth().display()).isEqualTo("July 2010");
        assertThat(e.category()).isEqualTo("away");
        assertThat(jdbc.sql(
                                "SELECT a.code FROM person_record p JOIN agency a ON a.id = p.agency_id WHERE p.public_id = ?")
                        .param(e.subject().recordId())
                        .query(String.class)
                        .single())
                .isEqualTo(carer.agencyCode());
        assertThat(e.allowedActions())
                .as("care staff neither grade nor record found")
                .isEmpty();
    }

    @Test
    void careStaffReportOnlyChildrenMissingFromCareAndCannotGrade() {
        SightlineUser carer = accounts.loadUserByUsername(data.user(data.agency("care_provider"), Roles.CARE_STAFF));
        var request = new EpisodeRequests.NewEpisode(
                null,
                new EpisodeRequests.NewPerson("Ivy", "Example", null, "not_known"),
                new EpisodeRequests.Reporter("Sam", null, null),
                Instant.now().minusSeconds(60),
                null,
                null,
                null,
                "home",
                "missing",
                null);
        assertThatThrownBy(() -> episodes.report(carer, request))
                .isInstanceOf(InvalidRequestException.class)
                .satisfies(ex -> assertThat(((InvalidRequestException) ex).violations())
                        .extracting(Violation::field, Violation::rule)
                        .containsExactly(org.assertj.core.groups.Tuple.tuple("missingFrom", "role")));
        EpisodeView e = episodes.report(officer, report(policeRecord, "home"));
        assertThatThrownBy(() -> episodes.grade(socialWorker, e.publicId(), new EpisodeRequests.Grade(0, "low", null)))
                .isInstanceOf(AccessDeniedException.class);
    }

    @Test
    void staleVersionsAndIllegalStepsAreConflictsThatChangeNothing() {
        EpisodeView e = episodes.report(officer, report(policeRecord, "home"));
        EpisodeView graded = episodes.grade(officer, e.publicId(), new EpisodeRequests.Grade(e.version(), "low", null));
        assertThatThrownBy(() ->
                        episodes.grade(officer, e.publicId(), new EpisodeRequests.Grade(e.version(), "high", "x")))
                .isInstanceOf(ConflictException.class)
                .satisfies(ex -> assertThat(((ConflictException) ex).rule()).isEqualTo("stale-version"));
        assertThatThrownBy(() -> episodes.safeAndWell(
                        officer,
                        e.publicId(),
                        new EpisodeRequests.SafeAndWell(
                                graded.version(), Instant.now().minusSeconds(10), "PC", "fine")))
                .isInstanceOf(ConflictException.class)
                .satisfies(ex -> assertThat(((ConflictException) ex).rule()).isEqualTo("illegal-transition"))
                .hasMessageContaining("Record the child found first");
        assertThat(episodes.view(officer, e.publicId()).gradings()).hasSize(1);
    }

    @Test
    void gradesComeFromTheListValidTodayAndOldAbsentGradingsStillRead() {
        EpisodeView e = episodes.report(officer, report(policeRecord, "home"));
        assertThat(episodes.gradesValidOn(episodes.today())).containsExactly("very_low", "low", "medium", "high");
        assertThat(episodes.gradesValidOn(java.time.LocalDate.of(2014, 6, 1)))
                .containsExactly("absent", "low", "medium", "high");
        assertThatThrownBy(() ->
                        episodes.grade(officer, e.publicId(), new EpisodeRequests.Grade(e.version(), "absent", null)))
                .isInstanceOf(InvalidRequestException.class)
                .satisfies(ex -> assertThat(((InvalidRequestException) ex)
                                .violations()
                                .get(0)
                                .rule())
                        .isEqualTo("one-of"));
        assertThatThrownBy(() ->
                        episodes.grade(officer, e.publicId(), new EpisodeRequests.Grade(e.version(), "high", " ")))
                .isInstanceOf(InvalidRequestException.class)
                .satisfies(ex -> assertThat(((InvalidRequestException) ex).violations())
                        .extracting(Violation::field, Violation::rule)
                        .containsExactly(org.assertj.core.groups.Tuple.tuple("rationale", "required-for-grade")));
        // A 2014 grading imported from an older system keeps its meaning.
        jdbc.sql(
                        """
                INSERT INTO risk_grading (episode_id, grade_code, code_list_version, rationale, graded_by, graded_at)
                SELECT id, 'absent', 'ACPO-2013', NULL, 'legacy', TIMESTAMPTZ '2014-06-01 10:00:00+00'
                FROM missing_episode WHERE public_id = ?""")
                .param(e.publicId())
                .update();
        List<EpisodeView.Grading> gradings =
                episodes.view(officer, e.publicId()).gradings();
        assertThat(gradings.get(0).grade()).isEqualTo("absent");
        assertThat(gradings.get(0).codeListVersion()).isEqualTo("ACPO-2013");
    }

    @Test
    void aCompletedReturnInterviewIsRecordedInOneSaveWithEveryStepInTheHistory() {
        EpisodeView e = episodes.report(officer, report(policeRecord, "care"));
        e = episodes.grade(officer, e.publicId(), new EpisodeRequests.Grade(e.version(), "low", null));
        Instant found = Instant.now().minus(Duration.ofHours(2)).truncatedTo(ChronoUnit.SECONDS);
        e = episodes.found(officer, e.publicId(), new EpisodeRequests.Found(e.version(), found, "Park", null, "carer"));
        // Before the safe and well check the interview is refused, saying what must happen first.
        UUID id = e.publicId();
        int early = e.version();
        assertThatThrownBy(() -> episodes.returnInterview(
                        socialWorker,
                        id,
                        new EpisodeRequests.ReturnInterview(early, "completed", found.plusSeconds(60), null)))
                .isInstanceOf(EpisodeLifecycle.IllegalStep.class)
                .hasMessageContaining("Record the safe and well check before recording a return interview");
        e = episodes.safeAndWell(
                officer,
                id,
                new EpisodeRequests.SafeAndWell(e.version(), found.plusSeconds(600), "PC Example", "Well"));
        int before = e.version();

        Instant at = found.plusSeconds(7200);
        e = episodes.returnInterview(
                socialWorker, id, new EpisodeRequests.ReturnInterview(before, "completed", at, "Done"));
        assertThat(e.status()).isEqualTo("return_interview");
        assertThat(e.returnInterviewStatus()).isEqualTo("completed");
        assertThat(e.version()).as("one save").isEqualTo(before + 1);
        assertThat(e.returnInterviewOfferedAt()).isEqualTo(at);
        assertThat(e.returnInterviewAt()).isEqualTo(at);
        assertThat(e.clock().returnInterview()).isEqualTo("completed_in_time");
        assertThat(e.events())
                .extracting(EpisodeView.Event::type)
                .endsWith("return_interview_offered", "return_interview_accepted", "return_interview_completed");
        assertThat(e.events().get(e.events().size() - 1).notes()).isEqualTo("Done");
        assertThat(episodes.view(supervisor, id).allowedActions()).contains("close");
        assertThat(audits(id, "EPISODE_RETURN_INTERVIEW")).isEqualTo(1);
    }
}
