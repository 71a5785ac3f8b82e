package org.sightline.linkage.compare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sightline.linkage.block.BlockingRule;
import org.sightline.linkage.block.BlockingRuleSpec;
import org.sightline.linkage.model.FieldSpec;
import org.sightline.linkage.model.FieldType;
import org.sightline.linkage.model.Record;
import org.sightline.linkage.normalise.NicknameTable;
import org.sightline.linkage.normalise.PreparedRecord;
import org.sightline.linkage.normalise.Preparer;
import org.sightline.linkage.normalise.Text;
import org.sightline.linkage.profile.CsvInput;
import org.sightline.linkage.profile.Profile;

/** Full-name fields: one string, any order, titles and suffixes removed, compared as a set of words. */
class FullNameTest {
    private static final List<FieldSpec> FIELDS = List.of(
            FieldSpec.of("full", FieldType.FULL_NAME),
            FieldSpec.of("given", FieldType.GIVEN_NAME),
            FieldSpec.of("family", FieldType.FAMILY_NAME));
    private static final Preparer PREPARER = new Preparer(FIELDS, NicknameTable.shipped());
    private static final Comparison FULL = Comparison.compile(ComparisonSpec.of("full"), FIELDS);

    private static PreparedRecord p(String full, String given, String family) {
        return PREPARER.prepare(new Record("x", "", new String[] {full, given, family}), 0);
    }

    private static String level(String a, String b) {
        return FULL.label(FULL.level(p(a, null, null), p(b, null, null)));
    }

    @Test
    void normalisesOrderTitlesAndSuffixes() {
        assertThat(Text.normaliseFullName("SMITH, Jack Peter")).isEqualTo("jack peter smith");
        assertThat(Text.normaliseFullName("Mr Jack Peter Smith Jr.")).isEqualTo("jack peter smith");
        assertThat(Text.normaliseFullName("  Mrs  ")).isNull();
        assertThat(Text.normaliseFullName(null)).isNull();
    }

    @Test
    void tokenSetLevelsIgnoreOrderAndForgiveTruncationAndTypos() {
        assertThat(level("Jack Peter Smith", "SMITH, Jack Peter")).isEqualTo("exact");
        assertThat(level("Smith Jack", "Jack Smith")).isEqualTo("token_set:1");
        assertThat(level("Jon Smith", "Jonathan Smith")).isEqualTo("token_set:1"); // cut short
        assertThat(level("Jack Smtih", "Jack Smith")).isEqualTo("token_set:1"); // typo, JW >= 0.9
        // two of the three words of the shorter name
        assertThat(level("Jack Peter Smith", "Jack Paul Smith")).isEqualTo("token_set:0.66");
        assertThat(level("Jack Brown", "Jack Smith")).isEqualTo("token");
        assertThat(level("Amy Brown", "Jack Smith")).isEqualTo("else");
        assertThat(Comparison.tokenSet("a b c", "c a")).isEqualTo(1.0);
        assertThat(Comparison.tokenSet("jack peter smith", "jack paul smith")).isEqualTo(2.0 / 3);
    }

    @Test
    void tokenSetNeedsAShare() {
        assertThatThrownBy(() -> Comparison.parseLevel("token_set")).hasMessageContaining("e.g. token_set:0.66");
        assertThatThrownBy(() -> Comparison.parseLevel("token_set:1.5")).hasMessageContaining("in (0, 1]");
    }

    @Test
    void endsKeyMeetsReorderedAndMiddleNamedFullNames() {
        BlockingRule ends = BlockingRule.compile(new BlockingRuleSpec("ends", List.of("ends(full)"), true), FIELDS);
        String k = ends.key(p("Jack Peter Smith", null, null));
        assertThat(k).isNotNull();
        assertThat(ends.key(p("SMITH, Jack", null, null))).isEqualTo(k);
        assertThat(ends.key(p("Smith Jack", null, null))).isEqualTo(k);
        assertThat(ends.key(p("Jack Brown", null, null))).isNotEqualTo(k);
        assertThat(ends.key(p("Jack", null, null))).as("one word is no key").isNull();
    }

    @Test
    void sortedMetaphoneMeetsMisspeltAndSwappedNames() {
        BlockingRule r = BlockingRule.compile(
                new BlockingRuleSpec("sounds", List.of("sorted_metaphone(given, family)"), true), FIELDS);
        String k = r.key(p(null, "Catherine", "Smith"));
        assertThat(r.key(p(null, "Smyth", "Kathryn"))).isEqualTo(k);
        assertThat(r.key(p(null, "Catherine", "Jones"))).isNotEqualTo(k);
        assertThat(r.key(p(null, "Catherine", null))).isNull();
    }

    @Test
    void aFieldCanJoinSeveralColumns(@TempDir Path dir) throws Exception {
        Profile profile = Profile.parse(
                """
                csv: {id_column: id}
                fields:
                  - {name: full, columns: [first, middle, last], type: full_name}
                comparisons:
                  - {field: full}
                blocking:
                  rules:
                    - {name: ends, keys: ["ends(full)"]}
                training: {prior: {probability: 0.01}}
                """);
        Path csv = dir.resolve("in.csv");
        Files.writeString(csv, "id,first,middle,last\n1,Jack,Peter,Smith\n2,\"SMITH, Jack Peter\",,\n3,,,\n");
        List<Record> records = CsvInput.read(profile, List.of(csv), null, null).records();
        assertThat(records.get(0).value(0)).isEqualTo("Jack Peter Smith");
        assertThat(records.get(1).value(0)).isEqualTo("SMITH, Jack Peter");
        assertThat(records.get(2).value(0)).isNull();
        assertThatThrownBy(
                        () -> Profile.parse(
                                """
                        csv: {id_column: id}
                        fields:
                          - {name: full, column: a, columns: [b, c], type: full_name}
                        comparisons:
                          - {field: full}
                        blocking: {rules: [{name: r, keys: [full]}]}
                        """))
                .hasMessageContaining("column or columns, not both");
    }
}
