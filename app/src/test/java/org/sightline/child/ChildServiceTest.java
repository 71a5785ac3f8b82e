package org.sightline.child;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sightline.access.AgencyScope.ChildAccess;
import org.sightline.access.Roles;
import org.sightline.access.UserAccounts;
import org.sightline.child.ChildPicture.Entry;
import org.sightline.child.ChildPicture.Fact;
import org.sightline.child.ChildPicture.Source;
import org.sightline.shared.NotFoundException;
import org.sightline.support.IntegrationTest;
import org.sightline.support.TestData;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/** The child's picture against PostgreSQL: one chronology across agencies, incidents once, facts with conflicts. */
@IntegrationTest
class ChildServiceTest {

    @Autowired
    ChildService children;

    @Autowired
    TestData data;

    @Autowired
    UserAccounts accounts;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    MockMvc mvc;

    @Autowired
    ObjectMapper json;

    ChildFixture f;

    @BeforeEach
    void setUp() {
        f = new ChildFixture(data, accounts, jdbc);
    }

    private long audits(String action, UUID subject, String actor) {
        return jdbc.sql(
                        "SELECT count(*) FROM audit_event WHERE action = ? AND subject_type = 'identity' AND subject_id = ? AND actor = ?")
                .params(action, subject.toString(), actor)
                .query(Long.class)
                .single();
    }

    @Test
    void theChronologyIsOneNewestFirstListWithEachIncidentOnceAndEverySource() {
        ChildPicture picture = children.picture(f.socialWorker, f.identity);
        assertThat(picture.access()).isEqualTo(ChildAccess.FULL);
        List<Entry> chronology = picture.picture().chronology();

        assertThat(chronology).extracting(Entry::at).isSortedAccordingTo(Comparator.<Instant>reverseOrder());
        // Incident D's second grading, three hours ago, is the newest thing that happened.
        assertThat(chronology.get(0).what()).isEqualTo("Risk graded: High");
        assertThat(chronology.get(0).at()).isEqualTo(f.ago(java.time.Duration.ofHours(3)));
        assertThat(chronology.get(0).detail()).isEqualTo("By PC Test");

        // Incident A: reported by three agencies, shown once with all three records.
        List<Entry> reportedTenDaysAgo = chronology.stream()
                .filter(e -> e.what().startsWith("Reported missing"))
                .filter(e -> e.sources().size() > 1)
                .toList();
        assertThat(reportedTenDaysAgo).hasSize(1);
        assertThat(reportedTenDaysAgo.get(0).sources())
                .extracting(Source::agencyName)
                .containsExactlyInAnyOrder(f.forceName, f.authorityName, f.otherForceName);
        assertThat(reportedTenDaysAgo.get(0).at())
                .as("the earliest of the three times")
                .isEqualTo(f.ago(java.time.Duration.ofDays(10)));
        assertThat(reportedTenDaysAgo.get(0).what()).isEqualTo("Reported missing from Care placement");
        assertThat(reportedTenDaysAgo.get(0).detail()).isEqualTo("Last seen: Meadow House");
        // Four incidents, so four "reported" entries although six episodes are recorded.
        assertThat(chronology)
                .filteredOn(e -> e.what().startsWith("Reported missing"))
                .hasSize(4);

        Entry found = chronology.stream()
                .filter(e -> e.what().equals("Found or returned") && e.sources().size() == 3)
                .findFirst()
                .orElseThrow();
        assertThat(found.detail()).isEqualTo("Found at Ashford bus station");
        assertThat(found.note())
                .isEqualTo("Found outside the home force area: reported to " + f.forceName + ", also recorded by "
                        + f.otherForceName);

        assertThat(chronology)
                .extracting(Entry::what)
                .contains(
                        "Return interview completed",
                        "Exploitation concern raised",
                        "Exploitation screening: Significant risk",
                        "Episode closed");
        assertThat(chronology).allSatisfy(e -> {
            assertThat(e.what()).doesNotContain("null", "_");
            assertThat(e.sources()).isNotEmpty().allSatisfy(s -> assertThat(s.href())
                    .matches("/(episodes|concerns)/[0-9a-f-]{36}"));
        });
    }

    @Test
    void repeatMissingIsCountedInIncidentsNotRecords() {
        ChildPicture.Counts counts =
                children.picture(f.officer, f.identity).picture().counts();
        assertThat(counts).isEqualTo(new ChildPicture.Counts(2, 3, 4, 4, 6));
    }

    @Test
    void currentRiskIsTheLatestGradeTheOpenEpisodeAndTheLatestScreening() {
        ChildPicture.CurrentRisk risk =
                children.picture(f.officer, f.identity).picture().currentRisk();
        assertThat(risk.riskGrade()).isEqualTo("High");
        assertThat(risk.gradedAt()).isEqualTo(f.ago(java.time.Duration.ofHours(3)));
        assertThat(risk.gradedBy()).isEqualTo("PC Test");
        assertThat(risk.openEpisode()).isNotNull();
        assertThat(risk.openEpisode().missingSince()).isEqualTo(f.ago(java.time.Duration.ofHours(6)));
        assertThat(risk.openEpisode().hoursMissing()).isBetween(5L, 6L);
        assertThat(risk.openEpisode().sources()).extracting(Source::agencyName).containsExactly(f.forceName);
        assertThat(risk.screeningBand()).isEqualTo("Significant risk");
        assertThat(risk.screenedByAgency()).isEqualTo(f.authorityName);
    }

    @Test
    void factsShowEverySourceAndConflictsBetweenRecordedValues() {
        Map<String, Fact> facts = new java.util.HashMap<>();
        children.picture(f.socialWorker, f.identity).picture().facts().forEach(x -> facts.put(x.label(), x));

        Fact ethnicity = facts.get("Ethnicity");
        assertThat(ethnicity.conflict()).isTrue();
        assertThat(ethnicity.values())
                .extracting(v -> v.value() + " " + v.sources())
                .containsExactlyInAnyOrder(
                        "White British [" + f.authorityName + "]",
                        "Not known [" + f.forceName + "]",
                        "Not recorded [" + f.providerName + "]");
        assertThat(ethnicity.values().get(2).value())
                .as("values nobody recorded come last")
                .isEqualTo("Not recorded");

        Fact dob = facts.get("Date of birth");
        assertThat(dob.conflict()).isTrue();
        assertThat(dob.values())
                .extracting(ChildPicture.FactValue::value)
                .containsExactlyInAnyOrder("2 April 2011", "4 February 2011");

        Fact sex = facts.get("Sex");
        assertThat(sex.conflict()).isFalse();
        assertThat(sex.values()).singleElement().satisfies(v -> {
            assertThat(v.value()).isEqualTo("Female");
            assertThat(v.sources()).containsExactlyInAnyOrder(f.forceName, f.authorityName, f.providerName);
        });

        Fact authority = facts.get("Responsible authority");
        assertThat(authority.conflict()).isFalse();
        assertThat(authority.values())
                .extracting(ChildPicture.FactValue::value)
                .containsExactly(f.authorityName, "Not recorded");
        assertThat(facts.get("Child protection plan").values())
                .extracting(ChildPicture.FactValue::value)
                .containsExactly("Not recorded");
    }

    @Test
    void linkedRecordsSayWhyInPlainWords() {
        List<ChildPicture.LinkedRecord> records =
                children.picture(f.officer, f.identity).picture().records();
        assertThat(records).hasSize(3);
        ChildPicture.LinkedRecord police = records.stream()
                .filter(r -> r.agencyName().equals(f.forceName))
                .findFirst()
                .orElseThrow();
        assertThat(police.linkedWith()).startsWith(f.authorityName + " record ");
        assertThat(police.why())
                .containsExactly(
                        "Family name: the same",
                        "Given name: the same",
                        "Date of birth: day and month swapped",
                        "The full name is uncommon, so its agreement counts for more",
                        "Sex: the same",
                        "Postcode differs");
        assertThat(records)
                .flatExtracting(ChildPicture.LinkedRecord::why)
                .noneMatch(w -> w.contains("=") || w.contains("dm_swap") || w.contains("phonetic"));
    }

    @Test
    void connectionsAndTheGrabProfileComeFromEveryRecord() {
        ChildPicture.Full p = children.picture(f.officer, f.identity).picture();
        assertThat(p.connections())
                .extracting(c -> c.kind() + ": " + c.description() + " / " + c.how())
                .contains(
                        "Adult: Dorian Vexley born 1990 / Seen with the child",
                        "Place: Night Owl Kebabs, ZZ9 9ZZ, Takeaway / The child goes there",
                        "Place: Ashford bus station / The child was found there");
        assertThat(p.connections())
                .filteredOn(c -> c.description().equals("Ashford bus station"))
                .singleElement()
                .satisfies(c ->
                        assertThat(c.heldBy().split(", ")).containsExactlyInAnyOrder(f.forceName, f.otherForceName));
        assertThat(p.grabProfile().clothing()).isEqualTo("Green parka");
        assertThat(p.grabProfile().agencyName()).isEqualTo(f.forceName);
    }

    @Test
    void existenceOnlyShowsWhoHoldsRecordsAndNothingElseAndIsAudited() throws Exception {
        ChildPicture picture = children.picture(f.strangerCarer, f.identity);
        assertThat(picture.access()).isEqualTo(ChildAccess.EXISTENCE_ONLY);
        assertThat(picture.picture()).isNull();
        assertThat(picture.holders())
                .extracting(ChildPicture.Holder::agencyName)
                .containsExactlyInAnyOrder(f.forceName, f.authorityName, f.providerName);
        assertThat(audits("VIEW_CHILD_EXISTENCE_ONLY", f.identity, f.strangerCarer.username()))
                .isEqualTo(1);
        assertThat(audits("VIEW_CHILD", f.identity, f.strangerCarer.username())).isZero();

        String body = mvc.perform(get("/api/v1/children/" + f.identity).with(user(f.strangerCarer)))
                .andExpect(status().isOk())
                .andReturn()
                .getResponse()
                .getContentAsString();
        assertThat(body).doesNotContain(f.family, f.given, "2011", "Ashford", "Dorian");
        assertThat(json.readTree(body).get("access").asString()).isEqualTo("EXISTENCE_ONLY");
        assertThat(audits("VIEW_CHILD_EXISTENCE_ONLY", f.identity, f.strangerCarer.username()))
                .isEqualTo(2);
    }

    @Test
    void everyFullViewIsAuditedAndAnUnknownChildIsARefusalThatIsAuditedToo() {
        children.picture(f.officer, f.identity);
        assertThat(audits("VIEW_CHILD", f.identity, f.officer.username())).isEqualTo(1);

        UUID unknown = UUID.randomUUID();
        assertThatThrownBy(() -> children.picture(f.officer, unknown)).isInstanceOf(NotFoundException.class);
        assertThat(audits("VIEW_CHILD_REFUSED", unknown, f.officer.username())).isEqualTo(1);
    }

    @Test
    void theApiReturnsTheSamePicture() throws Exception {
        ChildPicture picture = children.picture(f.socialWorker, f.identity);
        String body = mvc.perform(get("/api/v1/children/" + f.identity).with(user(f.socialWorker)))
                .andExpect(status().isOk())
                .andReturn()
                .getResponse()
                .getContentAsString();
        JsonNode doc = json.readTree(body);
        assertThat(doc.get("access").asString()).isEqualTo("FULL");
        assertThat(doc.at("/picture/counts/last90Days").asInt()).isEqualTo(3);
        // The alert worker may raise alerts about the new child between the two reads: compare the records' entries.
        long apiEntries = 0;
        for (JsonNode e : doc.at("/picture/chronology")) {
            apiEntries += "alert".equals(e.get("kind").asString()) ? 0 : 1;
        }
        assertThat(apiEntries)
                .isEqualTo(picture.picture().chronology().stream()
                        .filter(e -> !"alert".equals(e.kind()))
                        .count());
        JsonNode newest = null;
        for (JsonNode e : doc.at("/picture/chronology")) {
            if (newest == null && !"alert".equals(e.get("kind").asString())) {
                newest = e;
            }
        }
        assertThat(newest.get("what").asString()).isEqualTo("Risk graded: High");
        assertThat(doc.at("/picture/facts/2/conflict").asBoolean()).isTrue();

        mvc.perform(get("/api/v1/children/" + UUID.randomUUID()).with(user(f.socialWorker)))
                .andExpect(status().isNotFound());
        mvc.perform(get("/api/v1/children/not-a-uuid").with(user(f.socialWorker)))
                .andExpect(status().isBadRequest());
        var analyst = accounts.loadUserByUsername(data.user(f.authority, Roles.ANALYST));
        mvc.perform(get("/api/v1/children/" + f.identity).with(user(analyst))).andExpect(status().isForbidden());
    }
}
