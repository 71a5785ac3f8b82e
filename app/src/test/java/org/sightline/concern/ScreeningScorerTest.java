package org.sightline.concern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The shipped SERAF-model instrument scored item by item, rule by rule, band edge by band edge. */
class ScreeningScorerTest {

    static final ScreeningInstruments SHIPPED = new ScreeningInstruments();
    static final ScreeningInstrument V1 = SHIPPED.find("seraf", 1).orElseThrow();

    static Map<String, Set<String>> answers(Object... pairs) {
        Map<String, Set<String>> m = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.put((String) pairs[i], (Set<String>) pairs[i + 1]);
        }
        return m;
    }

    static final Set<String> NOW = Set.of("present");
    static final Set<String> RECENT = Set.of("last_6_months");
    static final Set<String> OLDER = Set.of("months_6_to_12");
    static final Set<String> BOTH = Set.of("last_6_months", "months_6_to_12");

    @Test
    void noAnswersScoreZeroNotAtRisk() {
        var r = ScreeningScorer.score(V1, Map.of(), 15);
        assertThat(r.score()).isZero();
        assertThat(r.band()).isEqualTo("not_at_risk");
        assertThat(r.rulesApplied()).isEmpty();
    }

    @Test
    void eachVulnerabilityScoresOnePoint() {
        for (var item : V1.section("vulnerabilities").orElseThrow().items()) {
            var r = ScreeningScorer.score(V1, answers(item.id(), NOW), 15);
            assertThat(r.score()).as(item.id()).isEqualTo(1);
        }
    }

    @Test
    void eachModerateIndicatorScoresOneInTheLastSixMonths() {
        for (var item : V1.section("moderate").orElseThrow().items()) {
            assertThat(ScreeningScorer.score(V1, answers(item.id(), RECENT), 15).score())
                    .as(item.id())
                    .isEqualTo(1);
        }
    }

    @Test
    void significantIndicatorsScoreFiveRecentOneOlderSixBoth() {
        for (var item : V1.section("significant").orElseThrow().items()) {
            if (item.id().equals("disclosure")) {
                continue; // scored the same, but its rule lifts the band; tested below
            }
            assertThat(ScreeningScorer.score(V1, answers(item.id(), RECENT), 15).score())
                    .as(item.id())
                    .isEqualTo(5);
            assertThat(ScreeningScorer.score(V1, answers(item.id(), OLDER), 15).score())
                    .as(item.id())
                    .isEqualTo(1);
            assertThat(ScreeningScorer.score(V1, answers(item.id(), BOTH), 15).score())
                    .as(item.id())
                    .isEqualTo(6);
        }
    }

    @Test
    void bandEdgesFollowTheInstrument() {
        List<String> vulnerabilities = V1.section("vulnerabilities").orElseThrow().items().stream()
                .map(ScreeningInstrument.Item::id)
                .toList();
        List<String> moderate = V1.section("moderate").orElseThrow().items().stream()
                .map(ScreeningInstrument.Item::id)
                .toList();
        List<String> all = new ArrayList<>();
        vulnerabilities.forEach(all::add);
        moderate.forEach(all::add);
        // 1 point each: scores 5 | 6, 10 | 11, 15 | 16 sit either side of the edges.
        int[][] edges = {{5, 0}, {6, 1}, {10, 1}, {11, 2}, {15, 2}, {16, 3}};
        for (int[] edge : edges) {
            Map<String, Set<String>> a = new HashMap<>();
            for (int i = 0; i < edge[0]; i++) {
                String id = all.get(i);
                a.put(id, vulnerabilities.contains(id) ? NOW : RECENT);
            }
            var r = ScreeningScorer.score(V1, a, 16);
            assertThat(r.score()).isEqualTo(edge[0]);
            assertThat(r.band())
                    .as("score " + edge[0])
                    .isEqualTo(V1.bands().get(edge[1]).id());
        }
    }

    @Test
    void aged13OrUnderOneSignificantItemSuffices() {
        var young = ScreeningScorer.score(V1, answers("cars_unknown_adults", OLDER), 13);
        assertThat(young.score()).isEqualTo(1);
        assertThat(young.scoreBand()).isEqualTo("not_at_risk");
        assertThat(young.band()).isEqualTo("significant");
        assertThat(young.rulesApplied()).containsExactly("young_child_one_significant");

        var fourteen = ScreeningScorer.score(V1, answers("cars_unknown_adults", OLDER), 14);
        assertThat(fourteen.band()).isEqualTo("not_at_risk");
        assertThat(fourteen.rulesApplied()).isEmpty();
    }

    @Test
    void theAgeRuleNeedsASignificantItemNotJustAnyItem() {
        var r = ScreeningScorer.score(V1, answers("self_harm", RECENT), 11);
        assertThat(r.band()).isEqualTo("not_at_risk");
    }

    @Test
    void unknownAgeNeverAppliesTheAgeRuleButSaysSo() {
        var r = ScreeningScorer.score(V1, answers("cars_unknown_adults", OLDER), null);
        assertThat(r.band()).isEqualTo("not_at_risk");
        assertThat(r.rulesNotChecked()).containsExactly("young_child_one_significant");
    }

    @Test
    void aDisclosureIsAutomaticallySignificantAtAnyAge() {
        var r = ScreeningScorer.score(V1, answers("disclosure", OLDER), 17);
        assertThat(r.score()).isEqualTo(1);
        assertThat(r.band()).isEqualTo("significant");
        assertThat(r.rulesApplied()).containsExactly("disclosure_is_significant");
    }

    @Test
    void rulesNeverLowerTheScoredBand() {
        Map<String, Set<String>> a =
                answers("cars_unknown_adults", BOTH, "hotels_parties", BOTH, "taxi_takeaway", BOTH);
        var r = ScreeningScorer.score(V1, a, 12);
        assertThat(r.score()).isEqualTo(18);
        assertThat(r.scoreBand()).isEqualTo("significant");
        assertThat(r.band()).isEqualTo("significant");
    }

    @Test
    void breakdownListsEveryScoredItemWithItsWindowsInInstrumentOrder() {
        var r = ScreeningScorer.score(
                V1, answers("hotels_parties", Set.of("months_6_to_12", "last_6_months"), "isolation", NOW), 15);
        assertThat(r.sections())
                .extracting(ScreeningScorer.SectionScore::points)
                .containsExactly(1, 0, 6);
        var item = r.sections().get(2).items().get(0);
        assertThat(item.itemId()).isEqualTo("hotels_parties");
        assertThat(item.windows()).containsExactly("last_6_months", "months_6_to_12");
        assertThat(item.points()).isEqualTo(6);
    }

    @Test
    void emptyWindowSetsCountAsNotSeen() {
        assertThat(ScreeningScorer.score(V1, answers("isolation", Set.of()), 15)
                        .sections()
                        .get(0)
                        .items())
                .isEmpty();
    }

    @Test
    void unknownItemsAndWindowsAreViolationsNamingTheItem() {
        var v = ScreeningScorer.validate(V1, answers("made_up", NOW, "isolation", RECENT));
        assertThat(v)
                .extracting(x -> x.field() + ":" + x.rule())
                .containsExactlyInAnyOrder("answers.made_up:unknown-item", "answers.isolation:unknown-window");
        assertThat(ScreeningScorer.validate(V1, answers("isolation", NOW, "disclosure", BOTH)))
                .isEmpty();
    }

    @Test
    void addingVersion2ChangesNothingForVersion1() {
        List<ScreeningInstrument> both = new ArrayList<>(ScreeningInstruments.loadAll(ScreeningInstruments.LOCATION));
        both.addAll(ScreeningInstruments.loadAll("classpath*:screening-test/*.yaml"));
        ScreeningInstruments registry = new ScreeningInstruments(both);
        assertThat(registry.latest("seraf").orElseThrow().version()).isEqualTo(2);
        ScreeningInstrument v1 = registry.find("seraf", 1).orElseThrow();
        ScreeningInstrument v2 = registry.find("seraf", 2).orElseThrow();
        Map<String, Set<String>> a = answers(
                "staying_out_late",
                RECENT,
                "unknown_callers",
                RECENT,
                "cars_unknown_adults",
                BOTH,
                "emotional_neglect",
                NOW);
        var before = ScreeningScorer.score(V1, a, 15);
        var afterV1 = ScreeningScorer.score(v1, a, 15);
        assertThat(afterV1).isEqualTo(before);
        assertThat(afterV1.score()).isEqualTo(9);
        assertThat(afterV1.band()).isEqualTo("mild");
        var underV2 = ScreeningScorer.score(v2, a, 15);
        assertThat(underV2.score()).isEqualTo(11);
        assertThat(underV2.band()).isEqualTo("moderate");
    }

    @Test
    void theSameVersionTwiceIsRefusedAtStart() {
        assertThatThrownBy(() -> new ScreeningInstruments(List.of(V1, V1)))
                .hasMessageContaining("seraf/v1 is defined twice");
    }

    // ---- the loader fails fast with the file, path and rule ------------------------------------------------

    static ScreeningInstrument parse(String yaml) {
        return InstrumentLoader.load(
                "screening/x.yaml", new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
    }

    static final String MINIMAL =
            """
            code: t
            version: 1
            name: T
            reassess_after_months: 3
            sections:
              - id: s
                title: S
                windows: [{id: w, label: W, points: 2}]
                items: [{id: a, label: A}]
            bands:
              - {id: low, label: Low, min: 0}
              - {id: high, label: High, min: 2}
            """;

    @Test
    void aMinimalDefinitionLoads() {
        var i = parse(MINIMAL);
        assertThat(ScreeningScorer.score(i, answers("a", Set.of("w")), null).band())
                .isEqualTo("high");
    }

    @Test
    void brokenDefinitionsNameFilePathAndRule() {
        assertThatThrownBy(() -> parse(MINIMAL.replace("min: 0", "min: 1")))
                .hasMessage("screening/x.yaml: bands[0].min: the first band must start at 0 so every score has a band");
        assertThatThrownBy(() -> parse(MINIMAL.replace("min: 2", "min: 0")))
                .hasMessageContaining("bands[1].min: bands must be in rising order");
        assertThatThrownBy(() -> parse(MINIMAL.replace("points: 2", "points: -1")))
                .hasMessageContaining("sections[0].windows[0].points: must be a whole number from 0 to 100");
        assertThatThrownBy(() -> parse(
                        MINIMAL.replace("items: [{id: a, label: A}]", "items: [{id: a, label: A}, {id: a, label: B}]")))
                .hasMessageContaining("sections[0].items[1].id: item id 'a' is used twice");
        assertThatThrownBy(
                        () -> parse(MINIMAL + "rules:\n  - {id: r, label: R, min_band: extreme, any_answered: [a]}\n"))
                .hasMessageContaining("rules[0].min_band: no band 'extreme'");
        assertThatThrownBy(() -> parse(MINIMAL + "rules:\n  - {id: r, label: R, min_band: high, any_answered: [zz]}\n"))
                .hasMessageContaining("rules[0].any_answered: every entry must be an item id");
        assertThatThrownBy(() -> parse(MINIMAL + "rules:\n  - {id: r, label: R, min_band: high}\n"))
                .hasMessageContaining("rules[0]: a rule needs at least one condition");
        assertThatThrownBy(() -> parse("code: 'unclosed")).hasMessageStartingWith("screening/x.yaml: not valid YAML");
        assertThatThrownBy(() -> parse("- a list")).hasMessage("screening/x.yaml: (top level): must be a mapping");
        assertThatThrownBy(() -> parse(MINIMAL.replace("code: t", "code: Bad Code")))
                .hasMessageContaining("code: is required: lower-case letters");
        // Bound by Jackson: a misspelt key, a fraction or quoted number, and a missing list say where.
        assertThatThrownBy(() -> parse(MINIMAL.replace("label: W", "lable: W")))
                .hasMessage(
                        "screening/x.yaml: sections[0].windows[0].lable: is not a field of an instrument definition");
        assertThatThrownBy(() -> parse(MINIMAL.replace("points: 2", "points: 1.5")))
                .hasMessage("screening/x.yaml: sections[0].windows[0].points: must be a whole number");
        assertThatThrownBy(() -> parse(MINIMAL.replace("version: 1", "version: [1]")))
                .hasMessage("screening/x.yaml: version: must be a whole number");
        assertThatThrownBy(
                        () -> parse(MINIMAL.replace("items: [{id: a, label: A}]", "items: [{id: a, label: A}, null]")))
                .hasMessage("screening/x.yaml: sections[0].items[1]: must be a mapping");
        assertThatThrownBy(() -> parse(MINIMAL.replace("reassess_after_months: 3\n", "")))
                .hasMessage("screening/x.yaml: reassess_after_months: must be a whole number from 1 to 24");
        assertThatThrownBy(() -> parse("")).hasMessage("screening/x.yaml: (top level): must be a mapping");
    }
}
