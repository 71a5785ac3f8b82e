package org.sightline.alert;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sightline.access.Roles;
import org.sightline.access.SightlineUser;
import org.sightline.access.UserAccounts;
import org.sightline.support.IntegrationTest;
import org.sightline.support.TestData;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The meeting list ranks the agency's alerted children with the reasons, filters by area, and exports safe CSV. */
@IntegrationTest
class MeetingListTest {

    @Autowired
    TestData data;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    AlertWorker worker;

    @Autowired
    MeetingList meetings;

    @Autowired
    AlertInbox inbox;

    @Autowired
    UserAccounts accounts;

    @BeforeEach
    void pause() {
        worker.pause(true);
    }

    @AfterEach
    void resume() {
        worker.pause(false);
    }

    @Test
    void childrenAreRankedByWhatWasRaisedWithTheirReasonsAndFilteredByArea() {
        AlertScenario s = new AlertScenario(data, jdbc);
        jdbc.sql("UPDATE person_record SET given_name = '=HYPERLINK(1)' WHERE identity_id = ?")
                .param(s.identityId)
                .update();
        worker.drain();
        SightlineUser host = accounts.loadUserByUsername(data.user(s.host, Roles.SOCIAL_WORKER));

        MeetingList.Meeting all = meetings.forUser(host, null, null, null);
        assertThat(all.children()).hasSize(2);
        MeetingList.Child first = all.children().get(0);
        assertThat(first.child()).isEqualTo(s.identity);
        // found outside force 3 + looked after 24 h 3 + place 4 + return interview 2
        assertThat(first.score()).isEqualTo(12);
        assertThat(first.reasons())
                .extracting(MeetingList.Reason::rule)
                .containsExactly("place-linked", "found-outside-force", "looked-after-missing", "return-interview");
        assertThat(all.children().get(1).score())
                .as("the host's own child: the flat 4 + no return interview 2")
                .isEqualTo(6);
        assertThat(all.areas()).extracting(MeetingList.Area::code).contains(s.host, s.responsible);

        assertThat(meetings.forUser(host, null, null, s.responsible).children())
                .extracting(MeetingList.Child::child)
                .containsExactly(s.identity);
        assertThat(meetings.forUser(host, null, null, "not-an-area").children())
                .as("unknown area: all")
                .hasSize(2);
        assertThat(meetings.forUser(
                                host,
                                s.now.atZone(java.time.ZoneOffset.UTC)
                                        .toLocalDate()
                                        .plusDays(2),
                                null,
                                null)
                        .children())
                .as("nothing raised in a later period")
                .isEmpty();

        String csv = meetings.exportCsv(host, null, null, null);
        List<String> lines = csv.lines().toList();
        assertThat(lines.get(0)).isEqualTo("Rank,Child,Score,Reasons,Latest alert");
        assertThat(lines.get(1)).startsWith("1,'=HYPERLINK(1) " + s.family + ",12,");
        assertThat(jdbc.sql(
                                "SELECT count(*) FROM audit_event WHERE action = 'EXPORT' AND subject_type = 'meeting_list' "
                                        + "AND actor = ?")
                        .param(host.username())
                        .query(Long.class)
                        .single())
                .isEqualTo(1L);

        // A dismissed alert no longer counts.
        String place = jdbc.sql(
                        """
                SELECT a.public_id::text FROM alert a JOIN person_record pr ON pr.id = a.person_record_id
                WHERE pr.identity_id = ? AND a.rule = 'place-linked'""")
                .param(s.identityId)
                .query(String.class)
                .single();
        inbox.dismiss(host, java.util.UUID.fromString(place), 0, "already_known", null);
        assertThat(meetings.forUser(host, null, null, null).children().get(0).score())
                .isEqualTo(8);
    }
}
