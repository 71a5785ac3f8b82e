package org.sightline.child;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sightline.access.Roles;
import org.sightline.access.SightlineUser;
import org.sightline.access.UserAccounts;
import org.sightline.child.WorkLists.Row;
import org.sightline.child.WorkLists.WorkList;
import org.sightline.support.IntegrationTest;
import org.sightline.support.TestData;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The home page's lists: children, not records; only children the agency has a relationship with; sortable. */
@IntegrationTest
class WorkListsTest {

    @Autowired
    WorkLists lists;

    @Autowired
    TestData data;

    @Autowired
    UserAccounts accounts;

    @Autowired
    JdbcClient jdbc;

    ChildFixture f;
    String childPage;

    @BeforeEach
    void setUp() {
        f = new ChildFixture(data, accounts, jdbc);
        childPage = "/children/" + f.identity;
    }

    private static WorkList list(List<WorkList> lists, String id) {
        return lists.stream().filter(l -> l.id().equals(id)).findFirst().orElseThrow();
    }

    private List<Row> mine(WorkList list) {
        return list.rows().stream().filter(r -> r.href().equals(childPage)).toList();
    }

    @Test
    void theAuthorityRespondsibleForTheChildSeesItMissingOverdueAndAtHighRisk() {
        List<WorkList> l = lists.forUser(f.socialWorker, Map.of());
        assertThat(l).extracting(WorkList::id).containsExactly("missing", "interviews", "risk");

        Row missing = mine(list(l, "missing")).get(0);
        assertThat(mine(list(l, "missing"))).hasSize(1);
        assertThat(missing.name()).isEqualTo(f.given + " " + f.family);
        assertThat(missing.riskGrade()).isEqualTo("high");
        assertThat(missing.since()).isEqualTo(f.ago(java.time.Duration.ofHours(6)));
        assertThat(missing.reportingAgencies()).isEqualTo(f.forceName);
        assertThat(missing.responsibleAgencies())
                .as("the force's record names no authority; others do")
                .isEqualTo(f.authorityName);

        // Incident A: found nine days ago, no interview; the force has closed its record, the authority and the
        // second force have not: one overdue row, due 72 hours after the earliest outstanding find.
        List<Row> interviews = mine(list(l, "interviews"));
        assertThat(interviews).singleElement().satisfies(r -> {
            assertThat(r.overdue()).isTrue();
            assertThat(r.dueAt()).isEqualTo(f.ago(java.time.Duration.ofDays(9)).plus(java.time.Duration.ofHours(72)));
            assertThat(r.reportingAgencies().split(", ")).containsExactlyInAnyOrder(f.authorityName, f.otherForceName);
            assertThat(r.responsibleAgencies()).isEqualTo(f.authorityName);
        });

        assertThat(mine(list(l, "risk"))).singleElement().satisfies(r -> assertThat(r.reason())
                .isEqualTo("missing,concern"));
    }

    @Test
    void aCompletedInterviewByAnyAgencyTakesTheChildOffTheList() {
        jdbc.sql(
                        """
                UPDATE missing_episode SET return_interview_status = 'completed', return_interview_at = now()
                WHERE agency_id = (SELECT id FROM agency WHERE code = ?) AND found_at IS NOT NULL""")
                .param(f.authority)
                .update();
        assertThat(mine(lists.interviews(f.socialWorker, "due"))).isEmpty();
    }

    @Test
    void aScreeningOlderThanAYearOrSupersededNoLongerMakesTheChildHighRisk() {
        jdbc.sql(
                        "UPDATE missing_episode SET current_risk_grade = 'medium' WHERE found_at IS NULL AND person_record_id = ?")
                .param(f.policeRecord)
                .update();
        assertThat(mine(lists.highRisk(f.socialWorker, "risk"))).singleElement().satisfies(r -> assertThat(r.reason())
                .isEqualTo("concern"));
        // A later screening in a lower band supersedes it.
        jdbc.sql(
                        """
                INSERT INTO screening (concern_id, instrument_code, instrument_version, answers, score, band, assessed_by, assessed_at)
                SELECT s.concern_id, 'seraf', '1', '{}'::jsonb, 7, 'mild', 'Test screener', now()
                FROM screening s JOIN exploitation_concern c ON c.id = s.concern_id WHERE c.person_record_id = ?""")
                .param(f.authorityRecord)
                .update();
        assertThat(mine(lists.highRisk(f.socialWorker, "risk"))).isEmpty();
    }

    @Test
    void anAgencyWithoutARelationshipSeesNone() {
        List<WorkList> l = lists.forUser(f.strangerCarer, Map.of());
        assertThat(l).allSatisfy(list -> assertThat(mine(list)).isEmpty());
    }

    @Test
    void listsSortOnlyByTheirOwnColumns() {
        SightlineUser officer = f.officer;
        ChildFixture second = new ChildFixture(data, accounts, jdbc);
        // Make the officer's force hold the second child too, missing for longer but at lower risk.
        jdbc.sql(
                        """
                UPDATE missing_episode SET current_risk_grade = 'low', last_seen_at = now() - interval '3 days'
                WHERE found_at IS NULL AND person_record_id = ?""")
                .param(second.policeRecord)
                .update();
        jdbc.sql("UPDATE person_record SET agency_id = (SELECT id FROM agency WHERE code = ?) WHERE id = ?")
                .params(f.force, second.policeRecord)
                .update();
        String secondPage = "/children/" + second.identity;

        List<String> byRisk = lists.forUser(officer, Map.of("missing", "risk")).get(0).rows().stream()
                .map(Row::href)
                .filter(h -> h.equals(childPage) || h.equals(secondPage))
                .toList();
        assertThat(byRisk).containsExactly(childPage, secondPage);
        List<String> byTime = lists.forUser(officer, Map.of("missing", "time")).get(0).rows().stream()
                .map(Row::href)
                .filter(h -> h.equals(childPage) || h.equals(secondPage))
                .toList();
        assertThat(byTime).containsExactly(secondPage, childPage);

        WorkList injected = lists.forUser(officer, Map.of("missing", "since; DROP TABLE agency"))
                .get(0);
        assertThat(injected.sort()).isEqualTo("risk");
    }

    @Test
    void supervisorsSeeTheirAgencysRecordsAwaitingReview() {
        SightlineUser supervisor = accounts.loadUserByUsername(data.user(f.provider, Roles.SUPERVISOR));
        long other = jdbc.sql(
                        """
                INSERT INTO person_record (agency_id, record_ref, given_name, family_name)
                SELECT id, ?, 'Marla', 'Quenell' FROM agency WHERE code = ? RETURNING id""")
                .params(TestData.unique("REF"), f.stranger)
                .query(Long.class)
                .single();
        jdbc.sql(
                        """
                INSERT INTO identity_review (record_a, record_b, weight, probability, reason)
                VALUES (?, ?, -2, 0.2, 'uncertain')""")
                .params(Math.min(f.providerRecord, other), Math.max(f.providerRecord, other))
                .update();
        WorkList reviews = list(lists.forUser(supervisor, Map.of()), "reviews");
        assertThat(reviews.rows()).anySatisfy(r -> {
            assertThat(r.href()).startsWith("/identity-reviews/");
            assertThat(r.name()).isEqualTo(f.given + " " + f.family);
            assertThat(r.reportingAgencies())
                    .isEqualTo(jdbc.sql("SELECT name FROM agency WHERE code = ?")
                            .param(f.stranger)
                            .query(String.class)
                            .single());
            assertThat(r.reason()).isEqualTo("20");
        });
        assertThat(list(lists.forUser(f.socialWorker, Map.of()), "missing")).isNotNull();
        assertThat(lists.forUser(f.socialWorker, Map.of()))
                .extracting(WorkList::id)
                .doesNotContain("reviews");
    }
}
