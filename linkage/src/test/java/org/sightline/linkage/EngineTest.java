package org.sightline.linkage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.sightline.linkage.block.BlockingRuleSpec;
import org.sightline.linkage.eval.Evaluation;
import org.sightline.linkage.model.Record;
import org.sightline.linkage.score.Explanation;

/** Training determinism, term frequencies, blocking de-duplication, explanations and constraints. */
class EngineTest {
    @Test
    void sameSeedSameModelAndClustersWhateverTheThreads() {
        List<Record> recs = TestData.people(400, 11);
        LinkResult one = new Linker(TestData.personBuilder().threads(1).build()).link(recs);
        LinkResult two = new Linker(TestData.personBuilder().threads(2).build()).link(recs);
        assertThat(two.candidatePairCount()).isEqualTo(one.candidatePairCount());
        for (int c = 0; c < one.model().comparisons().size(); c++) {
            for (int l = 1; l < one.model().comparisons().get(c).levelCount(); l++) {
                assertThat(two.model().m(c, l)).isEqualTo(one.model().m(c, l));
                assertThat(two.model().u(c, l)).isEqualTo(one.model().u(c, l));
            }
        }
        for (int i = 0; i < recs.size(); i++) {
            assertThat(two.clusterId(i)).isEqualTo(one.clusterId(i));
        }
        Evaluation e = Evaluation.of(one, TestData.truth(recs));
        assertThat(e.f1()).as(e.toString()).isGreaterThan(0.9);
    }

    @Test
    void emLearnsThatNamesAgreeMoreAmongMatchesThanRandomPairs() {
        LinkResult r = new Linker(TestData.person()).link(TestData.people(400, 3));
        int given = 0;
        int exact = r.model().comparisons().get(given).exactLevel();
        int elseLevel = r.model().comparisons().get(given).levelCount() - 1;
        assertThat(r.model().m(given, exact)).isGreaterThan(0.5);
        assertThat(r.model().levelWeight(given, exact)).isGreaterThan(3);
        assertThat(r.model().levelWeight(given, elseLevel)).isLessThan(-1);
    }

    @Test
    void commonSurnameWeighsLessThanRareOne() {
        List<Record> recs = new ArrayList<>(TestData.people(300, 5));
        for (int i = 0; i < 60; i++) {
            recs.add(TestData.rec("s" + i + "-0", "x" + i, "smith", null, null));
        }
        recs.add(TestData.rec("a-0", "anna", "smith", "2010-01-01", null));
        recs.add(TestData.rec("a-1", "anna", "smith", "2010-01-01", null));
        recs.add(TestData.rec("b-0", "anna", "zebedee", "2010-01-01", null));
        recs.add(TestData.rec("b-1", "anna", "zebedee", "2010-01-01", null));
        LinkResult r = new Linker(TestData.person()).link(recs);
        int n = recs.size();
        Explanation common = r.explain(n - 4, n - 3);
        Explanation rare = r.explain(n - 2, n - 1);
        double commonFamily = common.terms().get(1).total();
        double rareFamily = rare.terms().get(1).total();
        assertThat(common.terms().get(1).level()).isEqualTo("exact");
        assertThat(rareFamily).isGreaterThan(commonFamily + 3);
        assertThat(common.terms().get(1).tfAdjustment()).isLessThan(0);
    }

    @Test
    void overlappingRulesYieldEachPairOnce() {
        LinkageConfig cfg = TestData.personBuilder()
                .blockingRule(BlockingRuleSpec.of("dob_again", "dob"))
                .blockingRule(BlockingRuleSpec.of("family_only", "family_name"))
                .build();
        LinkResult r = new Linker(cfg).link(TestData.people(300, 9));
        Set<Long> seen = new HashSet<>();
        for (int i = 0; i < r.candidatePairCount(); i++) {
            ScoredPair p = r.pair(i);
            assertThat(p.a()).isLessThan(p.b());
            assertThat(seen.add(((long) p.a() << 32) | p.b()))
                    .as("duplicate pair")
                    .isTrue();
        }
        assertThat(r.blockingReport().get(4).newPairs())
                .as("a repeated rule adds nothing")
                .isZero();
    }

    @Test
    void oversizedBlocksUseAWindowNotAllPairs() {
        List<Record> recs = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            recs.add(TestData.rec("p" + i + "-0", "n" + i, "f" + i, "2010-01-01", null));
        }
        LinkageConfig cfg =
                TestData.personBuilder().maxBlockSize(500).window(10).build();
        LinkResult r = new Linker(cfg).link(recs);
        assertThat(r.blockingReport().get(0).oversizedBlocks()).isEqualTo(1);
        assertThat(r.candidatePairCount()).isLessThanOrEqualTo(3000 * 9); // not 4.5 million
    }

    @Test
    void everyPairIsExplainedAndWeightsAddUp() {
        LinkResult r = new Linker(TestData.person()).link(TestData.people(200, 1));
        for (int i = 0; i < Math.min(50, r.candidatePairCount()); i++) {
            Explanation e = r.explain(r.pair(i));
            double sum = e.priorWeight()
                    + e.terms().stream().mapToDouble(Explanation.Term::total).sum();
            assertThat(e.matchWeight()).isCloseTo(sum, org.assertj.core.data.Offset.offset(1e-9));
            assertThat(e.matchWeight()).isCloseTo(r.pair(i).weight(), org.assertj.core.data.Offset.offset(1e-3));
            assertThat(e.terms()).hasSize(4);
            assertThat(e.toString()).doesNotContain("smith"); // levels, never values
        }
    }

    @Test
    void mustAndCannotLinkOverrideTheModel() {
        List<Record> recs = List.of(
                TestData.rec("a-0", "oliver", "okafor", "2011-02-03", "M1 1AA"),
                TestData.rec("a-1", "oliver", "okafor", "2011-02-03", "M1 1AA"),
                TestData.rec("b-0", "zara", "quinn", "2001-09-09", "B1 1AA"),
                TestData.rec("c-0", "yusuf", "hale", "1999-12-12", "L1 1AA"));
        List<Record> all = new ArrayList<>(recs);
        all.addAll(TestData.people(200, 4));
        Constraints c = new Constraints(
                List.of(new Constraints.Pair("b-0", "c-0")), List.of(new Constraints.Pair("a-0", "a-1")));
        LinkResult r = new Linker(TestData.person()).link(all, c, ProgressListener.NONE);
        assertThat(r.clusterId(0)).isNotEqualTo(r.clusterId(1));
        assertThat(r.clusterId(2)).isEqualTo(r.clusterId(3));
        assertThat(r.reviewQueue()).anyMatch(x -> x.reason().equals("cannot_link"));
        assertThatThrownBy(() -> new Linker(TestData.person())
                        .link(
                                all,
                                new Constraints(List.of(new Constraints.Pair("a-0", "nope")), List.of()),
                                ProgressListener.NONE))
                .hasMessageContaining("unknown record id 'nope'");
    }

    @Test
    void configFailsFastNamingTheSetting() {
        assertThatThrownBy(() -> TestData.personBuilder()
                        .matchWeight(-10)
                        .reviewWeight(0)
                        .build())
                .isInstanceOf(LinkageConfigException.class)
                .hasMessageContaining("thresholds.review_weight");
        assertThatThrownBy(() -> TestData.personBuilder()
                        .blockingRule(BlockingRuleSpec.of("bad", "soundex(nope)"))
                        .build())
                .hasMessageContaining("blocking rule 'bad'")
                .hasMessageContaining("unknown field 'nope'");
        assertThatThrownBy(() -> TestData.personBuilder().priorRecall(0).build())
                .hasMessageContaining("training.prior.recall");
    }

    @Test
    void theOnlineMatchWeightDefaultsToTheMatchWeightAndIsReadFromProfiles() {
        assertThat(TestData.personBuilder().matchWeight(2).build().onlineMatchWeight())
                .isEqualTo(2);
        assertThat(TestData.personBuilder().onlineMatchWeight(5.0).build().onlineMatchWeight())
                .isEqualTo(5);
        assertThatThrownBy(() -> TestData.personBuilder()
                        .reviewWeight(-6)
                        .onlineMatchWeight(-7.0)
                        .build())
                .isInstanceOf(LinkageConfigException.class)
                .hasMessageContaining("thresholds.online_match_weight");
        String profile =
                """
                name: p
                csv: {id_column: id}
                fields: [{name: g, type: given_name}]
                comparisons: [{field: g}]
                blocking: {rules: [{keys: [g], train: false}]}
                training: {prior: {probability: 0.001}}
                thresholds: {match_weight: 1%s}
                """;
        assertThat(org.sightline.linkage.profile.Profile.parse(profile.formatted(""))
                        .config()
                        .onlineMatchWeight())
                .isEqualTo(1);
        assertThat(org.sightline.linkage.profile.Profile.parse(profile.formatted(", online_match_weight: 3.5"))
                        .config()
                        .onlineMatchWeight())
                .isEqualTo(3.5);
    }

    @Test
    void badDateNamesRecordAndField() {
        List<Record> recs = new ArrayList<>(TestData.people(5, 1));
        recs.add(TestData.rec("bad-0", "ann", "lee", "12/05/2010", null));
        assertThatThrownBy(() -> new Linker(TestData.person()).link(recs))
                .isInstanceOf(RecordException.class)
                .hasMessageContaining("bad-0")
                .hasMessageContaining("dob")
                .hasMessageContaining("yyyy-MM-dd");
    }

    @Test
    void reasonIsTheRuleAloneEvenWhenTheIdHoldsAColon() {
        // reason() once cut the message at its first ": ", which an id may hold (e.g. "case: 12")
        List<Record> recs = new ArrayList<>(TestData.people(5, 1));
        recs.add(TestData.rec("case: 12", "ann", "lee", "2010-02-30", null));
        assertThatThrownBy(() -> new Linker(TestData.person()).link(recs))
                .isInstanceOfSatisfying(RecordException.class, e -> {
                    assertThat(e.recordId()).isEqualTo("case: 12");
                    assertThat(e.field()).isEqualTo("dob");
                    assertThat(e.reason()).isEqualTo("'2010-02-30' is not a calendar date");
                });
    }
}
