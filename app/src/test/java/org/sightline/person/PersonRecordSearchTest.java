package org.sightline.person;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sightline.access.Roles;
import org.sightline.access.SightlineUser;
import org.sightline.access.UserAccounts;
import org.sightline.support.IntegrationTest;
import org.sightline.support.TestData;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;

/**
 * What a search finds: family names by prefix (any case) or inside an alias, given names by prefix, a partial date of
 * birth matching unknown parts, only records the user may see, own agency's first, at most fifty.
 */
@IntegrationTest
class PersonRecordSearchTest {

    @Autowired
    MockMvc mvc;

    @Autowired
    TestData data;

    @Autowired
    UserAccounts accounts;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    PersonRecordService records;

    String own;
    String other;
    SightlineUser officer;
    String family;

    @BeforeEach
    void setUp() {
        own = data.agency("police_force");
        other = data.agency("police_force");
        officer = accounts.loadUserByUsername(data.user(own, Roles.POLICE_OFFICER));
        family = TestData.unique("Quorndon").toLowerCase();
    }

    @Test
    void familyNamesMatchByPrefixOrInsideAnAliasAndOnlyVisibleRecordsAreShownOwnFirst() {
        long child = data.identity();
        UUID ownAva = data.personRecord(own, "Ava", family.toUpperCase() + "-smith", 2009, 3, 27, child);
        // The same child held by another agency: visible because the officer's agency has a relationship (care status).
        jdbc.sql("UPDATE person_record SET care_status = 'looked_after' WHERE public_id = ?")
                .param(ownAva)
                .update();
        UUID linkedEva = data.personRecord(other, "Eva", family + "-jones", 2009, 3, 27, child);
        UUID strangerAda = data.personRecord(other, "Ada", family + "-brown", 2010, 1, 2, null);
        UUID aliasBo = data.personRecord(own, "Bo", "Unrelated", 2011, null, null, null);
        jdbc.sql("INSERT INTO person_alias (person_record_id, full_name) "
                        + "SELECT id, ? FROM person_record WHERE public_id = ?")
                .params("Bo " + family + "-alias", aliasBo)
                .update();
        UUID notThePrefix = data.personRecord(own, "Cy", "x" + family, 2009, 3, 27, null);

        List<PersonRecordSummary> found = search(null, family, null, null, null);

        assertThat(found)
                .extracting(PersonRecordSummary::publicId)
                .containsExactly(ownAva, aliasBo, linkedEva); // own agency first, then by family name
        assertThat(found).extracting(PersonRecordSummary::publicId).doesNotContain(strangerAda, notThePrefix);
    }

    @Test
    void givenNamesAndPartialDatesNarrowTheSearchAndUnknownDatePartsStillMatch() {
        UUID exact = data.personRecord(own, "Morwenna", family, 2012, 5, 6, null);
        UUID dayUnknown = data.personRecord(own, "Morgan", family, 2012, 5, null, null);
        UUID otherMonth = data.personRecord(own, "Morwenna", family, 2012, 7, 6, null);
        UUID otherYear = data.personRecord(own, "Morwenna", family, 2013, 5, 6, null);
        UUID otherGiven = data.personRecord(own, "Tamsin", family, 2012, 5, 6, null);

        assertThat(search("mor", family, 2012, 5, 6))
                .extracting(PersonRecordSummary::publicId)
                .containsExactlyInAnyOrder(exact, dayUnknown)
                .doesNotContain(otherMonth, otherYear, otherGiven);
        assertThat(search("MORW", null, 2012, null, null))
                .extracting(PersonRecordSummary::publicId)
                .contains(exact, otherMonth)
                .doesNotContain(dayUnknown, otherYear, otherGiven);
    }

    @Test
    void aWildcardTypedIsTakenLiterallyAndNothingFoundIsAnEmptyList() {
        data.personRecord(own, "Ava", family, 2009, 3, 27, null);
        assertThat(search(null, family.substring(0, 3) + "%", null, null, null)).isEmpty();
        assertThat(search(null, family + "-nobody", null, null, null)).isEmpty();
    }

    @Test
    void atMostFiftyAreShown() {
        for (int i = 0; i < PersonRecordService.SEARCH_LIMIT + 3; i++) {
            data.personRecord(own, "Kit", family + "-" + (100 + i), 2009, 3, 27, null);
        }
        PersonRecordService.SearchResults found = results(null, family, null, null, null);
        assertThat(found.records()).hasSize(PersonRecordService.SEARCH_LIMIT);
        assertThat(found.records()).extracting(PersonRecordSummary::familyName).isSorted();
        assertThat(found.limited()).as("more match than are shown").isTrue();
    }

    @Test
    void aBroadSearchLooksAtABoundedNumberOfRecordsOwnAgencysFirstAndSaysSo() throws Exception {
        // More records than a search looks at, none of them the officer's to see, all sorting before the one that is.
        jdbc.sql("INSERT INTO person_record (agency_id, record_ref, given_name, family_name, dob_year)"
                        + " SELECT (SELECT id FROM agency WHERE code = ?), 'BROAD-' || g, 'Kit',"
                        + " ? || '-a' || lpad(g::text, 5, '0'), 2009"
                        + " FROM generate_series(1, ?) g")
                .params(other, family, PersonRecordService.CANDIDATE_LIMIT + 5)
                .update();
        UUID mine = data.personRecord(own, "Kit", family + "-zz", 2009, 3, 27, null);

        PersonRecordService.SearchResults found = results(null, family, null, null, null);
        assertThat(found.records()).extracting(PersonRecordSummary::publicId).containsExactly(mine);
        assertThat(found.limited())
                .as("fewer than fifty shown, yet more records matched than were looked at")
                .isTrue();

        assertThat(results(null, family + "-zz", null, null, null).limited())
                .as("a narrow search")
                .isFalse();

        // The API says so in a header, as its body is the list alone.
        mvc.perform(post("/api/v1/records/search")
                        .with(user(officer))
                        .with(csrf())
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"familyName\": \"" + family + "\"}"))
                .andExpect(status().isOk())
                .andExpect(header().string(PersonRecordApiController.LIMITED_HEADER, "true"))
                .andExpect(jsonPath("$.length()").value(1));
        mvc.perform(post("/api/v1/records/search")
                        .with(user(officer))
                        .with(csrf())
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"familyName\": \"" + family + "-zz\"}"))
                .andExpect(status().isOk())
                .andExpect(header().doesNotExist(PersonRecordApiController.LIMITED_HEADER));
    }

    private List<PersonRecordSummary> search(
            String given, String familyName, Integer year, Integer month, Integer day) {
        return results(given, familyName, year, month, day).records();
    }

    private PersonRecordService.SearchResults results(
            String given, String familyName, Integer year, Integer month, Integer day) {
        return records.search(officer, new SearchCriteria(given, familyName, new PartialDate(year, month, day)));
    }
}
