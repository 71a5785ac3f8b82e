package org.sightline.concern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sightline.access.Roles;
import org.sightline.access.SightlineUser;
import org.sightline.access.UserAccounts;
import org.sightline.network.NetworkRequests;
import org.sightline.shared.ClockConfiguration;
import org.sightline.shared.InvalidRequestException;
import org.sightline.shared.NotFoundException;
import org.sightline.support.IntegrationTest;
import org.sightline.support.TestData;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The concern service on PostgreSQL: agency scope across agencies, audit of every read and write, history. */
@IntegrationTest
class ConcernServiceTest {

    @Autowired
    ConcernService concerns;

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
    SightlineUser stranger;
    UUID policeRecord;

    @BeforeEach
    void setUp() {
        force = data.agency("police_force");
        authority = data.agency("local_authority");
        officer = accounts.loadUserByUsername(data.user(force, Roles.POLICE_OFFICER));
        socialWorker = accounts.loadUserByUsername(data.user(authority, Roles.SOCIAL_WORKER));
        stranger = accounts.loadUserByUsername(data.user(data.agency("local_authority"), Roles.SOCIAL_WORKER));
        // The police record and the authority's record are linked to the same child.
        long identity = data.identity();
        String family = TestData.unique("Ashcombe");
        policeRecord = data.personRecord(force, "Lola", family, 2010, 1, 1, identity);
        UUID authorityRecord = data.personRecord(authority, "Lola", family, 2010, 1, 1, identity);
        // The authority's relationship with the child (C8): it records the child as looked after.
        jdbc.sql("UPDATE person_record SET care_status = 'looked_after' WHERE public_id = ?")
                .param(authorityRecord)
                .update();
    }

    private UUID raise(SightlineUser as, UUID record, String... indicators) {
        return concerns.raise(as, new ConcernRequests.Raise(record, List.of(indicators), "Seen at a hotel.", null));
    }

    private long audits(String action, UUID subject, SightlineUser actor) {
        return jdbc.sql("SELECT count(*) FROM audit_event WHERE action = ? AND subject_id = ? AND actor = ?")
                .params(action, subject.toString(), actor.username())
                .query(Long.class)
                .single();
    }

    private static ConcernRequests.Screen screening(Map<String, List<String>> answers) {
        return new ConcernRequests.Screen(null, null, answers, null, null, null);
    }

    @Test
    void policeRaiseAndSocialCareOfTheLinkedAuthorityScreen() {
        UUID concern = raise(officer, policeRecord, "hotels_parties");
        concerns.screen(socialWorker, concern, screening(Map.of("hotels_parties", List.of("last_6_months"))));
        var view = concerns.view(officer, concern);
        assertThat(view.status()).isEqualTo("screened");
        assertThat(view.raisedByRole()).isEqualTo("police_officer");
        assertThat(view.latestScreening().score()).isEqualTo(5);
    }

    @Test
    void anAgencyWithNoRecordOfTheChildCannotSeeOrTouchTheConcern() {
        UUID concern = raise(officer, policeRecord, "disclosure");
        assertThatThrownBy(() -> concerns.view(stranger, concern)).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> concerns.screen(stranger, concern, screening(Map.of())))
                .isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> raise(stranger, policeRecord, "disclosure")).isInstanceOf(NotFoundException.class);
        assertThat(audits("VIEW_REFUSED", concern, stranger)).isEqualTo(2);
        assertThat(audits("VIEW_REFUSED", policeRecord, stranger)).isEqualTo(1);
    }

    @Test
    void everyReadAndWriteIsAudited() {
        UUID concern = raise(officer, policeRecord, "disclosure");
        concerns.view(officer, concern);
        concerns.screen(socialWorker, concern, screening(Map.of("disclosure", List.of("last_6_months"))));
        concerns.link(
                officer,
                concern,
                new ConcernRequests.Link(
                        "phone", null, null, null, null, null, new NetworkRequests.NewPhone("07700 900456")));
        int version = concerns.view(socialWorker, concern).version();
        concerns.recordOutcome(socialWorker, concern, new ConcernRequests.Outcome("investigation", null, version));
        assertThat(audits("RAISE_CONCERN", concern, officer)).isEqualTo(1);
        assertThat(audits("VIEW", concern, officer)).isEqualTo(1);
        assertThat(audits("SCREEN", concern, socialWorker)).isEqualTo(1);
        assertThat(audits("LINK", concern, officer)).isEqualTo(1);
        assertThat(audits("RECORD_OUTCOME", concern, socialWorker)).isEqualTo(1);
        assertThat(jdbc.sql(
                                "SELECT count(*) FROM audit_event WHERE action = 'CREATE' AND subject_type = 'phone' AND actor = ?")
                        .param(officer.username())
                        .query(Long.class)
                        .single())
                .isEqualTo(1);
    }

    @Test
    void rescreeningKeepsEveryScreeningAndTheHistoryTellsTheStory() {
        UUID concern = raise(officer, policeRecord, "cars_unknown_adults");
        concerns.screen(socialWorker, concern, screening(Map.of("isolation", List.of("present"))));
        concerns.screen(
                socialWorker,
                concern,
                new ConcernRequests.Screen(
                        "seraf",
                        1,
                        Map.of("cars_unknown_adults", List.of("last_6_months")),
                        "significant",
                        "Known exploiter's car",
                        null));
        var view = concerns.view(socialWorker, concern);
        assertThat(view.screenings()).hasSize(2);
        assertThat(view.screenings().get(0).effectiveBand()).isEqualTo("significant");
        assertThat(view.screenings().get(0).band()).isEqualTo("not_at_risk");
        assertThat(view.screenings().get(0).overrideReason()).isEqualTo("Known exploiter's car");
        assertThat(view.screenings().get(1).score()).isEqualTo(1);
        assertThat(view.history())
                .extracting(h -> h.action() + ":" + h.fromStatus() + ">" + h.toStatus())
                .containsExactly("raised:null>raised", "screened:raised>screened", "screened:screened>screened");
        assertThat(view.version()).isEqualTo(2);
    }

    @Test
    void theAgeRuleUsesTheChildsDateOfBirth() {
        LocalDate today = LocalDate.now(ClockConfiguration.DISPLAY_ZONE);
        UUID young = data.personRecord(force, "Mia", TestData.unique("Pellow"), today.getYear() - 12, null, null, null);
        UUID concern = raise(officer, young, "out_of_area");
        concerns.screen(socialWorker(force), concern, screening(Map.of("out_of_area", List.of("months_6_to_12"))));
        var s = concerns.view(officer, concern).latestScreening();
        assertThat(s.score()).isEqualTo(1);
        assertThat(s.subjectAge()).isEqualTo(11);
        assertThat(s.band()).isEqualTo("significant");
        assertThat(s.rulesApplied()).containsExactly("young_child_one_significant");

        UUID unknownAge = data.personRecord(force, "Zoe", TestData.unique("Pellow"), 2000, null, null, null);
        jdbc.sql("UPDATE person_record SET dob_year = NULL WHERE public_id = ?")
                .param(unknownAge)
                .update();
        UUID other = raise(officer, unknownAge, "out_of_area");
        concerns.screen(socialWorker(force), other, screening(Map.of("out_of_area", List.of("months_6_to_12"))));
        var t = concerns.view(officer, other).latestScreening();
        assertThat(t.band()).isEqualTo("not_at_risk");
        assertThat(t.rulesNotChecked()).containsExactly("young_child_one_significant");
    }

    private SightlineUser socialWorker(String agency) {
        return accounts.loadUserByUsername(data.user(agency, Roles.SOCIAL_WORKER));
    }

    @Test
    void reassessmentDateDefaultsToTheIntervalAndMayNotExceedIt() {
        UUID concern = raise(officer, policeRecord, "gifts_money");
        LocalDate today = LocalDate.now(ClockConfiguration.DISPLAY_ZONE);
        assertThatThrownBy(() -> concerns.screen(
                        socialWorker,
                        concern,
                        new ConcernRequests.Screen(null, null, Map.of(), null, null, today.plusMonths(4))))
                .isInstanceOf(InvalidRequestException.class)
                .satisfies(e -> assertThat(((InvalidRequestException) e)
                                .violations()
                                .get(0)
                                .rule())
                        .isEqualTo("within-interval"));
        assertThatThrownBy(() -> concerns.screen(
                        socialWorker, concern, new ConcernRequests.Screen(null, null, Map.of(), null, null, today)))
                .satisfies(e -> assertThat(((InvalidRequestException) e)
                                .violations()
                                .get(0)
                                .rule())
                        .isEqualTo("in-future"));
        concerns.screen(socialWorker, concern, screening(Map.of()));
        assertThat(concerns.view(socialWorker, concern).latestScreening().reassessBy())
                .isEqualTo(today.plusMonths(3));
        assertThat(jdbc.sql(
                                "SELECT instrument_code || '/' || instrument_version FROM screening s JOIN exploitation_concern c "
                                        + "ON c.id = s.concern_id WHERE c.public_id = ?")
                        .param(concern)
                        .query(String.class)
                        .single())
                .isEqualTo("seraf/1");
    }

    @Test
    void linkSearchFindsOnlyWhatTheAgencyHolds() {
        UUID concern = raise(officer, policeRecord, "older_associate");
        String family = TestData.unique("Vantreck").toLowerCase();
        concerns.link(
                officer,
                concern,
                new ConcernRequests.Link(
                        "adult",
                        null,
                        null,
                        new NetworkRequests.NewAdult("Col", family, "1985", null),
                        null,
                        null,
                        null));
        assertThat(concerns.searchLinkable(officer, "adult", family)).hasSize(1);
        assertThat(concerns.searchLinkable(socialWorker, "adult", family)).isEmpty();
        assertThat(concerns.searchLinkable(officer, "adult", "v"))
                .as("too short to search")
                .isEmpty();
    }
}
