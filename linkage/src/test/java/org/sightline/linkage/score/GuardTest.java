package org.sightline.linkage.score;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.sightline.linkage.LinkageConfig;
import org.sightline.linkage.LinkageConfigException;
import org.sightline.linkage.block.BlockingRuleSpec;
import org.sightline.linkage.compare.Comparison;
import org.sightline.linkage.compare.ComparisonSpec;
import org.sightline.linkage.model.FieldSpec;
import org.sightline.linkage.model.FieldType;
import org.sightline.linkage.model.Record;
import org.sightline.linkage.normalise.NicknameTable;
import org.sightline.linkage.normalise.PreparedRecord;
import org.sightline.linkage.normalise.Preparer;
import org.sightline.linkage.profile.Profile;

/** Model adjustments: guards, one swap counted once, alias levels, partial-date typos, joint TF, missing values. */
class GuardTest {
    private static LinkageConfig.Builder base() {
        return LinkageConfig.builder()
                .field(FieldSpec.of("given_name", FieldType.GIVEN_NAME))
                .field(FieldSpec.of("family_name", FieldType.FAMILY_NAME))
                .field(new FieldSpec("dob", FieldType.DATE, "yyyy-MM-dd", null))
                .field(FieldSpec.of("address", FieldType.TEXT))
                .field(FieldSpec.of("postcode", FieldType.POSTCODE))
                .field(FieldSpec.of("aliases", FieldType.TEXT))
                .comparison(new ComparisonSpec(
                        "given_name",
                        "given_name",
                        List.of("exact", "swapped", "nickname", "alias", "jw:0.8"),
                        "family_name",
                        null,
                        null,
                        "aliases"))
                .comparison(new ComparisonSpec(
                        "family_name",
                        "family_name",
                        List.of("exact", "swapped", "alias"),
                        "given_name",
                        null,
                        null,
                        "aliases"))
                .comparison(ComparisonSpec.of("dob"))
                .comparison(new ComparisonSpec("address", "address", List.of("exact"), null, false, null))
                .comparison(new ComparisonSpec("postcode", "postcode", null, null, false, null))
                .blockingRule(BlockingRuleSpec.of("dob", "dob"))
                .priorRule(List.of("given_name", "family_name", "dob"));
    }

    private static PreparedRecord rec(
            LinkageConfig c, String g, String f, String dob, String addr, String pc, String aliases) {
        return new Preparer(c.fields(), NicknameTable.shipped())
                .prepare(new Record(g + f, "", new String[] {g, f, dob, addr, pc, aliases}), 0);
    }

    private static FellegiSunterModel model(LinkageConfig c) {
        List<Comparison> comps = c.comparisons();
        double[][] m = new double[comps.size()][];
        double[][] u = new double[comps.size()][];
        for (int i = 0; i < comps.size(); i++) {
            int k = comps.get(i).levelCount();
            m[i] = new double[k];
            u[i] = new double[k];
            for (int l = 0; l < k; l++) {
                m[i][l] = l == 0 ? 1 : l == k - 1 ? 0.05 : 0.5;
                u[i][l] = l == 0 ? 1 : l == k - 1 ? 0.9 : 0.01;
            }
        }
        return new FellegiSunterModel(comps, m, u, 1e-4, c.guards(), c.jointTf());
    }

    @Test
    void twinsGuardAddsItsWeightAndShowsInTheExplanation() {
        LinkageConfig plain = base().build();
        LinkageConfig guarded = base().guard(new Guard.Spec(
                        "twins",
                        Map.of("family_name", List.of("exact"), "dob", List.of("exact"), "given_name", List.of("else")),
                        -30))
                .build();
        PreparedRecord a = rec(plain, "Evie", "Shelbury", "2020-04-07", "11 Heron Avenue", "BW2 5PU", null);
        PreparedRecord b = rec(plain, "Freddie", "Shelbury", "2020-04-07", "11 Heron Avenue", "BW2 5PU", null);
        double before = model(plain).weight(a, b, null);
        Explanation e = model(guarded).explain(a, b, null);
        assertThat(e.matchWeight()).isCloseTo(before - 30, Offset.offset(1e-9));
        assertThat(e.terms()).anyMatch(t -> t.comparison().equals("guard:twins") && t.weight() == -30);
        assertThat(model(guarded).weight(a, b, null)).isCloseTo(e.matchWeight(), Offset.offset(1e-9));
        // a nickname is not "else": the same child recorded as Bob and Robert is not a twin
        PreparedRecord c = rec(plain, "Robert", "Shelbury", "2020-04-07", null, null, null);
        PreparedRecord d = rec(plain, "Bob", "Shelbury", "2020-04-07", null, null, null);
        assertThat(model(guarded).weight(c, d, null)).isCloseTo(model(plain).weight(c, d, null), Offset.offset(1e-9));
    }

    @Test
    void ignoreDropsTheDependentComparison() {
        LinkageConfig plain = base().build();
        LinkageConfig guarded = base().guard(new Guard.Spec(
                        "address_implies_postcode", Map.of("address", List.of("exact")), 0, List.of("postcode")))
                .build();
        PreparedRecord a = rec(plain, "Ann", "Lee", "2010-01-01", "1 High Street", "AB1 2CD", null);
        PreparedRecord b = rec(plain, "Ann", "Lee", "2010-01-01", "1 High Street", "AB1 2CD", null);
        FellegiSunterModel pm = model(plain);
        double postcodeExact = pm.levelWeight(4, 1);
        assertThat(model(guarded).weight(a, b, null))
                .isCloseTo(pm.weight(a, b, null) - postcodeExact, Offset.offset(1e-9));
        assertThat(model(guarded).explain(a, b, null).terms().get(4).override()).contains("address_implies_postcode");
    }

    @Test
    void aSwapOfBothNamesCountsOnce() {
        LinkageConfig c = base().build();
        PreparedRecord a = rec(c, "Ruby", "Gruffydd", null, null, null, null);
        PreparedRecord b = rec(c, "Gruffydd", "Ruby", null, null, null, null);
        FellegiSunterModel m = model(c);
        Explanation e = m.explain(a, b, null);
        assertThat(e.terms().get(0).level()).isEqualTo("swapped");
        assertThat(e.terms().get(1).level()).isEqualTo("swapped");
        assertThat(e.terms().get(1).total()).isZero();
        assertThat(e.matchWeight()).isCloseTo(m.priorWeight() + m.levelWeight(0, 2), Offset.offset(1e-9));
    }

    @Test
    void aliasLevelMatchesWholeWordsOfTheOtherRecordsAliases() {
        LinkageConfig c = base().build();
        Comparison family = c.comparisons().get(1);
        PreparedRecord a = rec(c, "Jason", "Chen", null, null, null, "Jason Wong|J Wong");
        PreparedRecord b = rec(c, "Jason", "Wong", null, null, null, null);
        PreparedRecord x = rec(c, "Jason", "Won", null, null, null, null);
        assertThat(family.label(family.level(a, b))).isEqualTo("alias");
        assertThat(family.label(family.level(b, a))).isEqualTo("alias");
        assertThat(family.label(family.level(a, x))).isEqualTo("else");
    }

    @Test
    void partialDatesAreNotTypos() {
        LinkageConfig c = base().build();
        Comparison dob = c.comparisons().get(2);
        assertThat(dob.label(dob.level(
                        rec(c, "a", "b", "2008-08", null, null, null), rec(c, "a", "b", "2008-09", null, null, null))))
                .isEqualTo("within_year");
        assertThat(dob.label(dob.level(
                        rec(c, "a", "b", "2008-08-06", null, null, null),
                        rec(c, "a", "b", "2008-08-07", null, null, null))))
                .isEqualTo("typo");
    }

    @Test
    void badGuardsAreNamed() {
        assertThatThrownBy(() -> base().guard(new Guard.Spec("g", Map.of("nope", List.of("exact")), -5))
                        .build())
                .isInstanceOf(LinkageConfigException.class)
                .hasMessageContaining("unknown comparison 'nope'");
        assertThatThrownBy(() -> base().guard(new Guard.Spec("g", Map.of("dob", List.of("fuzzy")), -5))
                        .build())
                .isInstanceOf(LinkageConfigException.class)
                .hasMessageContaining("has no level 'fuzzy'");
        assertThatThrownBy(
                        () -> Profile.parse(
                                """
                name: p
                csv: {id_column: id}
                fields: [{name: g, type: given_name}]
                comparisons: [{field: g}]
                blocking: {rules: [{keys: [g], train: false}]}
                training: {prior: {probability: 0.001}}
                guards: [{name: x, when: {g: [else]}}]
                """))
                .isInstanceOf(LinkageConfigException.class)
                .hasMessageContaining("needs a weight or an ignore list");
        Profile ok = Profile.parse(
                """
                name: p
                csv: {id_column: id}
                fields: [{name: g, type: given_name}]
                comparisons: [{field: g}]
                blocking: {rules: [{keys: [g], train: false}]}
                training: {prior: {probability: 0.001}}
                guards: [{name: x, when: {g: [else]}, weight: -4}]
                """);
        assertThat(ok.config().guards()).hasSize(1);
        assertThat(ok.config().blockingRules().get(0).train()).isFalse();
    }

    @Test
    void jointTermFrequencyReplacesTheProductOfMarginals() {
        LinkageConfig c = base().jointTf(List.of("given_name", "family_name")).build();
        assertThat(c.jointTf()).hasDimensions(1, 2);
        List<PreparedRecord> recs = new java.util.ArrayList<>();
        for (int i = 0; i < 12; i++) {
            recs.add(rec(c, "Muhammad", "Ahmed", null, null, null, null));
            recs.add(rec(c, "Muhammad", "Khan", null, null, null, null));
            recs.add(rec(c, "Ali", "Ahmed", null, null, null, null));
        }
        recs.add(rec(c, "Zebedee", "Quill", null, null, null, null));
        recs.add(rec(c, "Zebedee", "Quill", null, null, null, null));
        TermFrequencies tf = new TermFrequencies(c.comparisons(), c.jointTf());
        tf.addAll(recs.toArray(new PreparedRecord[0]), 2);
        double n = recs.size();
        FellegiSunterModel m = model(c);
        Explanation common = m.explain(recs.get(0), recs.get(3), tf);
        double expected = FellegiSunterModel.log2((24 / n) * (24 / n) / (12 / n));
        assertThat(common.terms())
                .anyMatch(t -> t.comparison().equals("tf:given_name+family_name")
                        && Math.abs(t.tfAdjustment() - expected) < 1e-9);
        assertThat(m.weight(recs.get(0), recs.get(3), tf)).isCloseTo(common.matchWeight(), Offset.offset(1e-9));
        // two records of one rare name: too few to tell co-occurrence from duplication, no joint term
        Explanation rare = m.explain(recs.get(36), recs.get(37), tf);
        assertThat(rare.terms()).noneMatch(t -> t.comparison().startsWith("tf:"));
        assertThatThrownBy(
                        () -> base().jointTf(List.of("given_name", "address")).build())
                .isInstanceOf(LinkageConfigException.class)
                .hasMessageContaining("'address'");
    }

    @Test
    void missingValuesAreTreatedAsMissing() {
        Profile p = Profile.parse(
                """
                name: p
                csv: {id_column: id}
                fields: [{name: sex, type: code, missing_values: [Unknown]}]
                comparisons: [{field: sex}]
                blocking: {rules: [{keys: [sex]}]}
                training: {prior: {probability: 0.001}}
                """);
        Preparer prep = new Preparer(p.config().fields(), NicknameTable.shipped());
        assertThat(prep.prepare(new Record("a", "", new String[] {" unknown "}), 0)
                        .value(0))
                .isNull();
        assertThat(prep.prepare(new Record("b", "", new String[] {"male"}), 0).value(0))
                .isEqualTo("male");
    }
}
