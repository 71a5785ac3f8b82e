package org.sightline.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sightline.access.Roles;
import org.sightline.access.SightlineUser;
import org.sightline.access.UserAccounts;
import org.sightline.shared.InvalidRequestException;
import org.sightline.shared.NotFoundException;
import org.sightline.support.IntegrationTest;
import org.sightline.support.TestData;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The network on PostgreSQL: one place from two forces' spellings, hotspots with reasons, the graph with the child
 * page's access rules, flows with suppression, and audited merge and unmerge.
 */
@IntegrationTest
class NetworkServiceTest {

    @Autowired
    NetworkService network;

    @Autowired
    Hotspots hotspots;

    @Autowired
    NetworkGraph graphs;

    @Autowired
    Flows flows;

    @Autowired
    GraphExport export;

    @Autowired
    MeetingPack pack;

    @Autowired
    TestData data;

    @Autowired
    UserAccounts accounts;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    TransactionTemplate tx;

    NetworkScenario s;
    SightlineUser officer1;
    SightlineUser officer2;
    SightlineUser supervisor;
    Period year;

    @Autowired
    org.springframework.context.ApplicationContext context;

    /** The scenario is looked at before alerts: an alert routed to force 1 about child B would open B's page to it. */
    private org.sightline.alert.HeldEvaluation held;

    @BeforeEach
    void setUp() {
        held = org.sightline.alert.HeldEvaluation.hold(context);
        s = new NetworkScenario(data, jdbc);
        officer1 = NetworkScenario.as(accounts, s.officer1);
        officer2 = NetworkScenario.as(accounts, s.officer2);
        supervisor = NetworkScenario.as(accounts, s.supervisor);
        LocalDate today = LocalDate.now();
        year = new Period(today.minusYears(1), today);
    }

    @org.junit.jupiter.api.AfterEach
    void release() {
        held.close();
    }

    private void foundAtTheFlat() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        NetworkScenario.markFound(jdbc, s.episodeA, now.minusSeconds(10 * 86400), s.flatAsForce1Writes, s.postcode);
        NetworkScenario.markFound(jdbc, s.episodeB, now.minusSeconds(5 * 86400), s.flatAsForce2Writes, s.postcode);
        tx.executeWithoutResult(t -> network.recordFound(
                officer1, s.episodeA, s.flatAsForce1Writes, s.postcode, now.minusSeconds(10 * 86400)));
        // The second force writes the postcode without its space, in lower case.
        tx.executeWithoutResult(t -> network.recordFound(
                officer2,
                s.episodeB,
                s.flatAsForce2Writes,
                s.postcode.replace(" ", "").toLowerCase(),
                now.minusSeconds(5 * 86400)));
    }

    private long placeOfEpisode(long episode) {
        return jdbc.sql(
                        """
                SELECT l.place_id FROM association x JOIN location l ON l.id = x.to_id
                WHERE x.from_kind = 'episode' AND x.from_id = ? AND x.to_kind = 'location'""")
                .param(episode)
                .query(Long.class)
                .single();
    }

    private long location(String agency, String name, String postcode, String uprn) {
        return jdbc.sql(
                        """
                INSERT INTO location (agency_id, location_ref, kind, name, postcode, uprn)
                SELECT id, ?, 'address', ?, ?, ? FROM agency WHERE code = ? RETURNING place_id""")
                .params(TestData.unique("LOC"), name, postcode, uprn, agency)
                .query(Long.class)
                .single();
    }

    private long audits(String action, String actor) {
        return jdbc.sql("SELECT count(*) FROM audit_event WHERE action = ? AND actor = ?")
                .params(action, actor)
                .query(Long.class)
                .single();
    }

    @Test
    void addressTextIsNormalisedAsTheDocumentedRuleSays() {
        assertThat(jdbc.sql("SELECT network_address_norm('Flat 2, 10 High St., Leeds LS1 4AP')")
                        .query(String.class)
                        .single())
                .isEqualTo("flat 2 10 high street");
        assertThat(jdbc.sql("SELECT network_address_norm('Apt2 10 HIGH STREET')")
                        .query(String.class)
                        .single())
                .isEqualTo("flat 2 10 high street");
        assertThat(jdbc.sql("SELECT network_postcode_norm(' ls1  4ap ')")
                        .query(String.class)
                        .single())
                .isEqualTo("LS14AP");
    }

    @Test
    void twoForcesSpellingsOfOneFlatAreOnePlaceButTheNextFlatIsNot() {
        foundAtTheFlat();
        long a = placeOfEpisode(s.episodeA);
        assertThat(placeOfEpisode(s.episodeB)).isEqualTo(a);
        assertThat(location(s.force1, "Flat 3, " + s.house + " High St", s.postcode, null))
                .as("another flat")
                .isNotEqualTo(a);
        long postcodeOnly = location(s.force1, null, s.postcode, null);
        assertThat(postcodeOnly)
                .as("a postcode alone is too little")
                .isNotEqualTo(a)
                .isNotEqualTo(location(s.force2, null, s.postcode, null));
        // A UPRN joins the place its address matched, and a later recording with the UPRN alone finds it.
        String uprn = Long.toString(ThreadLocalRandom.current().nextLong(1_000_000_000L, 9_999_999_999L));
        assertThat(location(s.force2, "FLAT 2 " + s.house + " HIGH ST", s.postcode, uprn))
                .isEqualTo(a);
        assertThat(location(s.la1, "Top floor flat", null, uprn)).isEqualTo(a);
        assertThat(audits("ASSOCIATE", s.officer1)).isEqualTo(1);
        assertThat(jdbc.sql(
                                "SELECT area_code FROM location l JOIN association x ON x.to_id = l.id AND x.to_kind = 'location' "
                                        + "WHERE x.from_kind = 'episode' AND x.from_id = ?")
                        .param(s.episodeA)
                        .query(String.class)
                        .single())
                .as("found in the finding force's area")
                .isEqualTo(s.force1);
    }

    @Test
    void theFlatTopsTheHotspotsWithItsReasons() {
        foundAtTheFlat();
        List<Hotspots.Hotspot> top = hotspots.rank(officer1, Hotspots.Kind.PLACES, s.force1, year);
        assertThat(top).isNotEmpty();
        Hotspots.Hotspot h = top.get(0);
        assertThat(h.node().key().id()).isEqualTo(placeOfEpisode(s.episodeA));
        assertThat(h.children()).isEqualTo(2);
        assertThat(h.foundHere()).isEqualTo(2);
        assertThat(h.homeAreas()).containsExactlyInAnyOrder("Test agency " + s.la1, "Test agency " + s.la2);
        assertThat(h.reasons())
                .extracting(Hotspots.Reason::key)
                .contains(
                        "network.reason.children",
                        "network.reason.areas",
                        "network.reason.found",
                        "network.reason.agencies");
        // The officer's force reported child A; child B is another force's and authority's: existence and contact.
        NetworkNodes.Node a = h.childNodes().stream()
                .filter(n -> n.key().id() == s.childA)
                .findFirst()
                .orElseThrow();
        NetworkNodes.Node b = h.childNodes().stream()
                .filter(n -> n.key().id() == s.childB)
                .findFirst()
                .orElseThrow();
        assertThat(a.full()).isTrue();
        assertThat(a.label()).isEqualTo("Ava " + s.familyA);
        assertThat(b.full()).isFalse();
        assertThat(b.label()).isNull();
        assertThat(export.label(b, java.util.Locale.UK))
                .isEqualTo("A child known to Test agency " + s.la2 + ": contact MASH 0113 000 0000")
                .doesNotContain(s.familyB);
        // Another area's hotspots do not include it; a period before the finds has none.
        assertThat(hotspots.rank(officer1, Hotspots.Kind.PLACES, TestData.unique("NOWHERE"), year))
                .isEmpty();
        // The other force's list has it through its own link; an area that only a recording of the place names has
        // it with both children, though none of that area's agencies recorded a link.
        assertThat(hotspots.rank(officer1, Hotspots.Kind.PLACES, s.force2, year))
                .anyMatch(o -> o.node().key().equals(h.node().key()) && o.children() == 2);
        String namedArea = TestData.unique("AREA");
        jdbc.sql("UPDATE location SET area_code = ? WHERE id = (SELECT min(id) FROM location WHERE place_id = ?)")
                .params(namedArea, h.node().key().id())
                .update();
        assertThat(hotspots.rank(officer1, Hotspots.Kind.PLACES, namedArea, year))
                .singleElement()
                .satisfies(o -> {
                    assertThat(o.node().key()).isEqualTo(h.node().key());
                    assertThat(o.children()).isEqualTo(2);
                    assertThat(o.links()).isEqualTo(h.links());
                });

        assertThat(hotspots.rank(
                        officer1,
                        Hotspots.Kind.PLACES,
                        s.force1,
                        new Period(
                                LocalDate.now().minusYears(3), LocalDate.now().minusYears(2))))
                .isEmpty();
    }

    @Test
    void aPlaceIsDrawnAtItsPostcodeOrElseAtItsDistrictWithTheSourceNamed() {
        foundAtTheFlat();
        String unit = s.postcode.replace(" ", "");
        String district = unit.substring(0, unit.length() - 3);
        jdbc.sql("DELETE FROM postcode_centroid WHERE code IN (?, ?)")
                .params(unit, district)
                .update();
        java.util.function.Supplier<Hotspots.Hotspot> flat =
                () -> hotspots.rank(officer1, Hotspots.Kind.PLACES, s.force1, year).stream()
                        .filter(h -> h.node().key().id() == placeOfEpisode(s.episodeA))
                        .findFirst()
                        .orElseThrow();
        assertThat(flat.get().position()).isNull();

        String insert = "INSERT INTO postcode_centroid (code, latitude, longitude, source) VALUES (?, ?, ?, ?)";
        jdbc.sql(insert).params(district, 53.79, -1.55, "Test districts").update();
        assertThat(flat.get().position()).isEqualTo(new Hotspots.Position(53.79, -1.55, true, "Test districts"));
        jdbc.sql(insert).params(unit, 53.8001, -1.5498, "Test postcodes").update();
        assertThat(flat.get().position()).isEqualTo(new Hotspots.Position(53.8001, -1.5498, false, "Test postcodes"));
        // Adults have no position of their own.
        assertThat(hotspots.rank(officer1, Hotspots.Kind.ADULTS, null, year))
                .allSatisfy(h -> assertThat(h.position()).isNull());
        jdbc.sql("DELETE FROM postcode_centroid WHERE code IN (?, ?)")
                .params(unit, district)
                .update();
    }

    @Test
    void theGraphAroundThePlaceLinksBothChildrenWithWhoRecordedEachLink() {
        foundAtTheFlat();
        UUID place = jdbc.sql("SELECT public_id FROM place WHERE id = ?")
                .param(placeOfEpisode(s.episodeA))
                .query(UUID.class)
                .single();
        NetworkNodes.Key start = graphs.start(officer1, "place", place);
        NetworkGraph.Graph g = graphs.around(officer1, start, 2, year, Set.of());
        assertThat(g.nodes())
                .extracting(n -> n.key().toString())
                .containsExactlyInAnyOrder(start.toString(), "child:" + s.childA, "child:" + s.childB);
        assertThat(g.edges())
                .hasSize(2)
                .extracting(NetworkGraph.Edge::agency)
                .containsExactlyInAnyOrder("Test agency " + s.force1, "Test agency " + s.force2);
        assertThat(g.edges()).extracting(NetworkGraph.Edge::via).containsOnly("episode");
        assertThat(g.edges()).extracting(NetworkGraph.Edge::recordedBy).containsOnly("Test " + Roles.POLICE_OFFICER);
        // Filtered by a type that is not there, only the start remains.
        assertThat(graphs.around(officer1, start, 2, year, Set.of("seen_with")).nodes())
                .hasSize(1);
        // From child A the place is one step, child B two.
        NetworkNodes.Key fromA = graphs.start(officer1, "child", s.identityA);
        assertThat(graphs.around(officer1, fromA, 1, year, Set.of()).nodes()).hasSize(2);
        assertThat(graphs.around(officer1, fromA, 2, year, Set.of()).nodes()).hasSize(3);
        // Child B's own network cannot be opened by a force with no relationship with B.
        assertThatThrownBy(() -> graphs.start(officer1, "child", s.identityB)).isInstanceOf(NotFoundException.class);
        // Downloads: the nodes and edges, with no id of ours and B only as existence.
        String nodes = export.nodesCsv(g, java.util.Locale.UK);
        assertThat(nodes.lines()).hasSize(4);
        assertThat(nodes).contains("Ava " + s.familyA).doesNotContain(s.familyB).doesNotContain(s.identityB.toString());
        // Where a child lives goes with the child's name: A's home area is there, B's is not.
        assertThat(nodes.lines().filter(l -> l.contains("Ava " + s.familyA)))
                .singleElement()
                .asString()
                .endsWith(",Test agency " + s.la1);
        assertThat(nodes.lines().filter(l -> l.contains("A child known to")))
                .singleElement()
                .asString()
                .endsWith(",");
        assertThat(export.edgesCsv(g, java.util.Locale.UK).lines()).hasSize(3).anyMatch(l -> l.contains("found_at"));
        assertThat(export.graphml(g, java.util.Locale.UK))
                .contains("<node id=\"n3\">")
                .contains("<edge id=\"e2\"")
                .doesNotContain("<edge id=\"e3\"");
    }

    @Test
    void flowsCountHomeAreaToFoundAreaAndSuppressSmallCounts() {
        foundAtTheFlat();
        Flows.Matrix m = flows.matrix(supervisor, year, "not known", "not recorded");
        int row = m.homes().indexOf("Test agency " + s.la1);
        int col = m.founds().indexOf("Test agency " + s.force1);
        assertThat(row).isNotNegative();
        assertThat(col).isNotNegative();
        Flows.Cell cell = m.cells().get(row).get(col);
        assertThat(cell.value()).isEqualTo(1);
        assertThat(cell.suppressed()).isTrue();
        assertThat(cell.text()).isEqualTo("[c]");
        assertThat(m.cells()
                        .get(m.homes().indexOf("Test agency " + s.la2))
                        .get(m.founds().indexOf("Test agency " + s.force2))
                        .value())
                .isEqualTo(1);
        // The grand total is every episode counted. The top flows (other tests' flows share this database, so which
        // ten is not this test's to say) cross a border with both ends known, published before suppressed.
        assertThat(m.cells().get(m.homes().size()).get(m.founds().size()).value())
                .isEqualTo(m.episodes());
        assertThat(m.top()).isNotEmpty().hasSizeLessThanOrEqualTo(10).allSatisfy(f -> {
            assertThat(f.home()).isNotEqualTo(f.found()).isNotEqualTo("not known");
            assertThat(f.found()).isNotEqualTo("not recorded");
        });
        assertThat(m.top()).extracting(f -> f.count().suppressed()).isSorted();

        // The drill-down behind a suppressed cell, for the first authority's supervisor: child A (a child of that
        // authority) listed, pseudonymised, with the episode's times; child B (the other authority's) only counted.
        long before = audits("VIEW_LIST", supervisor.username());
        Flows.Episodes a = flows.episodes(
                supervisor, year, m.homeCodes().get(row), m.foundCodes().get(col), "not known", "not recorded");
        assertThat(a.home()).isEqualTo("Test agency " + s.la1);
        assertThat(a.found()).isEqualTo("Test agency " + s.force1);
        assertThat(a.hidden()).isZero();
        assertThat(a.episodes()).singleElement().satisfies(e -> {
            assertThat(e.child()).isEqualTo(1);
            assertThat(e.childId()).isEqualTo(s.identityA);
            assertThat(e.agency()).isEqualTo("Test agency " + s.force1);
            assertThat(e.found()).isAfter(e.reported());
        });
        int rowB = m.homes().indexOf("Test agency " + s.la2);
        int colB = m.founds().indexOf("Test agency " + s.force2);
        Flows.Episodes b = flows.episodes(
                supervisor, year, m.homeCodes().get(rowB), m.foundCodes().get(colB), "not known", "not recorded");
        assertThat(b.episodes()).isEmpty();
        assertThat(b.hidden()).isEqualTo(1);
        assertThat(audits("VIEW_LIST", supervisor.username())).isEqualTo(before + 2);
        // An officer sees the figures, never the list.
        assertThatThrownBy(() -> flows.episodes(
                        officer1, year, m.homeCodes().get(row), m.foundCodes().get(col), "not known", "not recorded"))
                .isInstanceOf(org.springframework.security.access.AccessDeniedException.class);
    }

    @Test
    void aSupervisorMergesAndUnmergesPlacesAndBothAreAudited() {
        long a = location(s.force1, "Flat 2, " + s.house + " High St", s.postcode, null);
        long b = location(s.force2, "2nd floor, " + s.house + " High St", s.postcode, null);
        assertThat(b).isNotEqualTo(a);
        UUID aId = jdbc.sql("SELECT public_id FROM place WHERE id = ?")
                .param(a)
                .query(UUID.class)
                .single();
        UUID bId = jdbc.sql("SELECT public_id FROM place WHERE id = ?")
                .param(b)
                .query(UUID.class)
                .single();
        assertThat(network.place(supervisor, aId).candidates())
                .extracting(NetworkService.Candidate::id)
                .contains(bId);

        assertThatThrownBy(() -> network.merge(supervisor, bId, aId, " ")).isInstanceOf(InvalidRequestException.class);
        UUID merge = network.merge(supervisor, bId, aId, "Same flat: the second floor is flat 2");
        assertThat(jdbc.sql("SELECT count(*) FROM location WHERE place_id = ?")
                        .param(a)
                        .query(Long.class)
                        .single())
                .isEqualTo(2);
        // A later recording matching the merged place's key goes to the place it was merged into.
        assertThat(location(s.la1, "2nd Floor " + s.house + " High Street", s.postcode, null))
                .isEqualTo(a);
        assertThat(network.place(supervisor, bId).mergedInto()).isEqualTo(aId);
        assertThat(audits("PLACE_MERGED", s.supervisor)).isEqualTo(1);

        network.unmerge(supervisor, merge);
        assertThat(jdbc.sql("SELECT count(*) FROM location WHERE place_id = ?")
                        .param(a)
                        .query(Long.class)
                        .single())
                .isEqualTo(1);
        assertThat(jdbc.sql("SELECT count(*) FROM location WHERE place_id = ?")
                        .param(b)
                        .query(Long.class)
                        .single())
                .isEqualTo(2);
        assertThat(network.place(supervisor, bId).mergedInto()).isNull();
        assertThat(network.place(supervisor, aId).merges()).singleElement().satisfies(l -> assertThat(l.undone())
                .isTrue());
        assertThat(audits("PLACE_UNMERGED", s.supervisor)).isEqualTo(1);
        assertThatThrownBy(() -> network.unmerge(supervisor, merge)).isInstanceOf(NotFoundException.class);
    }

    @Test
    void typingANameOrAddressSlightlyWrongStillOffersTheKnownOne() {
        String family = "Featherstonehaugh" + TestData.unique("").replaceAll("[^a-z]", "");
        tx.executeWithoutResult(t -> network.resolve(
                officer1,
                new NetworkRequests.Entity(
                        "adult", null, new NetworkRequests.NewAdult("Col", family, "1985", null), null, null, null),
                "test"));
        tx.executeWithoutResult(t -> network.resolve(
                officer1,
                new NetworkRequests.Entity(
                        "location",
                        null,
                        null,
                        new NetworkRequests.NewLocation("address", s.flatAsForce1Writes, s.postcode),
                        null,
                        null),
                "test"));
        // A letter dropped from the family name; "Hihg Stret" and a postcode written without its space.
        String typo = family.replaceFirst("ea", "e");
        assertThat(network.search(officer1, "adult", typo, "test"))
                .extracting(NetworkViews.Linkable::description)
                .contains("Col " + family + " (1985)");
        assertThat(network.search(
                        officer1,
                        "location",
                        "flat 2 " + s.house + " hihg stret " + s.postcode.replace(" ", ""),
                        "test"))
                .extracting(NetworkViews.Linkable::description)
                .anyMatch(d -> d.startsWith(s.flatAsForce1Writes));
        // Something else entirely is not offered, nor is another agency's adult.
        assertThat(network.search(officer1, "adult", "Fzzzzzzzzzzz", "test")).isEmpty();
        assertThat(network.search(officer2, "adult", typo, "test")).isEmpty();
        assertThat(network.search(officer1, "location", "Old Mill, Unit 9, " + s.postcode, "test"))
                .isEmpty();
    }

    @Test
    void atReportTimeKnownPlacesAreOfferedAndTheChosenOneIsLinked() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        NetworkScenario.markFound(jdbc, s.episodeA, now.minusSeconds(86400), s.flatAsForce1Writes, s.postcode);
        tx.executeWithoutResult(t ->
                network.recordFound(officer1, s.episodeA, s.flatAsForce1Writes, s.postcode, now.minusSeconds(86400)));
        long flat = placeOfEpisode(s.episodeA);
        UUID flatId = jdbc.sql("SELECT public_id FROM place WHERE id = ?")
                .param(flat)
                .query(UUID.class)
                .single();
        String typo = "Flat 2, " + s.house + " Hihg Stret";
        // Another force types it wrong: the flat is offered (places show to every agency as recorded).
        List<NetworkService.PlaceSuggestion> offered = network.suggestPlaces(officer2, typo, s.postcode, "test");
        // First: the same postcode counts most (other tests' flats in the district may follow).
        assertThat(offered.get(0).id()).isEqualTo(flatId);
        assertThat(offered.get(0).description()).isEqualTo(s.flatAsForce1Writes + ", " + s.postcode);
        assertThat(offered.get(0).heldBy()).isEqualTo("Test agency " + s.force1);
        // The same words with the postcode's last letters swapped (same district): still offered.
        String district = s.postcode.substring(0, s.postcode.indexOf(' '));
        String swapped = district + " " + s.postcode.charAt(s.postcode.length() - 3)
                + s.postcode.charAt(s.postcode.length() - 1) + s.postcode.charAt(s.postcode.length() - 2);
        if (!swapped.equals(s.postcode)) {
            assertThat(network.suggestPlaces(officer2, s.flatAsForce2Writes, swapped, "test"))
                    .extracting(NetworkService.PlaceSuggestion::id)
                    .contains(flatId);
        }
        // Exactly the flat's key: nothing to choose (it joins the flat anyway); another address there: not offered.
        assertThat(network.suggestPlaces(officer2, s.flatAsForce2Writes, s.postcode, "test"))
                .isEmpty();
        assertThat(network.suggestPlaces(officer2, "Old Mill, Unit 9", s.postcode, "test"))
                .isEmpty();
        // No postcode: only the user's agency's recordings, as nothing says where it is.
        assertThat(network.suggestPlaces(officer2, typo, null, "test")).isEmpty();
        assertThat(network.suggestPlaces(officer1, typo, null, "test"))
                .extracting(NetworkService.PlaceSuggestion::id)
                .containsExactly(flatId);

        // Child B's finder picks the flat: its recording (as typed) is of the flat, and the next recording spelt the
        // same way joins the flat too, without being asked.
        NetworkScenario.markFound(jdbc, s.episodeB, now, typo, s.postcode);
        tx.executeWithoutResult(
                t -> network.recordFound(officer2, s.episodeB, typo, s.postcode, now.minusSeconds(60), flatId));
        assertThat(placeOfEpisode(s.episodeB)).isEqualTo(flat);
        assertThat(jdbc.sql(
                                "SELECT name FROM location l JOIN association x ON x.to_id = l.id AND x.to_kind = 'location' "
                                        + "WHERE x.from_kind = 'episode' AND x.from_id = ?")
                        .param(s.episodeB)
                        .query(String.class)
                        .single())
                .as("kept as the finder wrote it")
                .isEqualTo(typo);
        assertThat(location(s.la2, typo.toUpperCase(), s.postcode, null)).isEqualTo(flat);
        assertThat(hotspots.rank(officer2, Hotspots.Kind.PLACES, s.force2, year)
                        .get(0)
                        .children())
                .isEqualTo(2);
        assertThat(jdbc.sql("SELECT count(*) FROM audit_event WHERE actor = ? AND details LIKE ?")
                        .params(s.officer2, "via=episode-found;chosen=" + flatId)
                        .query(Long.class)
                        .single())
                .isEqualTo(1);
        UUID unknown = UUID.randomUUID();
        assertThatThrownBy(() -> tx.executeWithoutResult(
                        t -> network.recordFound(officer2, s.episodeB, typo, s.postcode, now, unknown)))
                .isInstanceOf(InvalidRequestException.class);
    }

    @Test
    void theMeetingPackHasVictimsOffendersWithTheirLinksAndThemesByMonth() {
        java.time.ZoneId london = java.time.ZoneId.of("Europe/London");
        LocalDate today = LocalDate.now(london);
        Period quarter = new Period(today.withDayOfMonth(1).minusMonths(2), today);
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        String family = "Ashdown" + TestData.unique("").replaceAll("[^a-z]", "");
        tx.executeWithoutResult(t -> {
            var adult = network.resolve(
                    officer1,
                    new NetworkRequests.Entity(
                            "adult", null, new NetworkRequests.NewAdult("Col", family, "1980", null), null, null, null),
                    "test");
            var car = network.resolve(
                    officer1,
                    new NetworkRequests.Entity(
                            "vehicle",
                            null,
                            null,
                            null,
                            new NetworkRequests.NewVehicle("YX19 ABC", "Ford", "blue"),
                            null),
                    "test");
            network.associate(
                    officer1,
                    EntityKind.EPISODE,
                    s.episodeA,
                    EntityKind.ADULT,
                    adult.id(),
                    "seen_with",
                    now.minusSeconds(3600));
            network.associate(
                    officer1,
                    EntityKind.EPISODE,
                    s.episodeB,
                    EntityKind.ADULT,
                    adult.id(),
                    "seen_with",
                    now.minusSeconds(60));
            network.associate(
                    officer1,
                    EntityKind.ADULT,
                    adult.id(),
                    EntityKind.VEHICLE,
                    car.id(),
                    "seen_in",
                    now.minusSeconds(120));
        });
        // Concerns raised by the officer's force: two in the first month of the quarter, one today.
        long record = jdbc.sql("SELECT person_record_id FROM missing_episode WHERE id = ?")
                .param(s.episodeA)
                .query(Long.class)
                .single();
        Instant early =
                quarter.from().withDayOfMonth(10).atTime(11, 0).atZone(london).toInstant();
        Instant late = today.atStartOfDay(london).toInstant().plusSeconds(60);
        for (Object[] c : new Object[][] {
            {early, "{missing_repeat,gifts_money}"},
            {early.plusSeconds(86400), "{missing_repeat,gifts_money}"},
            {late, "{gifts_money,hotels_parties}"}
        }) {
            jdbc.sql(
                            """
                    INSERT INTO exploitation_concern (agency_id, person_record_id, concern_ref, raised_at, indicators)
                    SELECT id, ?, ?, ?, CAST(? AS text[]) FROM agency WHERE code = ?""")
                    .params(record, TestData.unique("EC"), java.sql.Timestamp.from((Instant) c[0]), c[1], s.force1)
                    .update();
        }

        MeetingPack.Pack p = pack.build(officer1, s.force1, quarter, java.util.Locale.UK);
        assertThat(p.fromAlerts())
                .as("a force is not an authority the meeting list filters by")
                .isFalse();
        assertThat(p.offenders()).hasSize(1);
        MeetingPack.Offender o = p.offenders().get(0);
        assertThat(o.hotspot().node().label()).startsWith("Col " + family + ", WAD-");
        assertThat(o.hotspot().children()).isEqualTo(2);
        assertThat(o.links()).hasSize(1);
        assertThat(o.links().get(0).label()).isEqualTo("Vehicle: YX19 ABC, Ford, blue");
        assertThat(o.links().get(0).recordedBy()).isEqualTo("Test agency " + s.force1);
        // Victims from the links: both children, the other force's child as existence and contact only.
        assertThat(p.victims())
                .extracting(MeetingPack.Victim::label)
                .containsExactlyInAnyOrder(
                        "Ava " + s.familyA, "A child known to Test agency " + s.la2 + ": contact MASH 0113 000 0000");
        assertThat(p.victims()).allSatisfy(v -> assertThat(v.reasons()).hasSize(1));
        assertThat(p.victims().stream().filter(v -> v.link() == null).count()).isEqualTo(1);
        assertThat(p.locations()).isEmpty();
        // Themes: counted by month, most frequent first, with the trend of the later month against the earlier.
        assertThat(p.months()).hasSize(3);
        assertThat(p.themes())
                .extracting(
                        MeetingPack.Theme::code,
                        MeetingPack.Theme::byMonth,
                        MeetingPack.Theme::total,
                        MeetingPack.Theme::trend)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("gifts_money", List.of(2, 0, 1), 3, "falling"),
                        org.assertj.core.groups.Tuple.tuple("missing_repeat", List.of(2, 0, 0), 2, "falling"),
                        org.assertj.core.groups.Tuple.tuple("hotels_parties", List.of(0, 0, 1), 1, "rising"));
        String csv = pack.csv(p, java.util.Locale.UK);
        assertThat(csv.lines().filter(l -> l.startsWith("victims,")).count()).isEqualTo(2);
        assertThat(csv.lines().filter(l -> l.startsWith("offenders,")).toList())
                .singleElement()
                .satisfies(l ->
                        assertThat(l).contains("Col " + family).contains(",2,").contains("YX19 ABC"));
        assertThat(csv).contains("themes,1,\"Unexplained gifts, money or phones\",3,");
        assertThat(csv).doesNotContain(s.familyB);
        // Another area: none of it.
        MeetingPack.Pack elsewhere = pack.build(officer1, TestData.unique("NOWHERE"), quarter, java.util.Locale.UK);
        assertThat(elsewhere.offenders()).isEmpty();
        assertThat(elsewhere.themes()).isEmpty();
    }
}
