package org.sightline.linkage.compare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.SplittableRandom;
import org.apache.commons.text.similarity.JaroWinklerSimilarity;
import org.junit.jupiter.api.Test;
import org.sightline.linkage.model.FieldSpec;
import org.sightline.linkage.model.FieldType;
import org.sightline.linkage.model.Record;
import org.sightline.linkage.normalise.NicknameTable;
import org.sightline.linkage.normalise.PreparedRecord;
import org.sightline.linkage.normalise.Preparer;

class ComparisonTest {
    private static final List<FieldSpec> FIELDS = List.of(
            FieldSpec.of("given", FieldType.GIVEN_NAME),
            FieldSpec.of("family", FieldType.FAMILY_NAME),
            new FieldSpec("dob", FieldType.DATE, "yyyy-MM-dd", null),
            FieldSpec.of("postcode", FieldType.POSTCODE),
            FieldSpec.of("email", FieldType.EMAIL));
    private static final Preparer PREPARER = new Preparer(FIELDS, NicknameTable.shipped());
    private static final Comparison GIVEN =
            Comparison.compile(new ComparisonSpec("given", "given", null, "family", null, null), FIELDS);
    private static final Comparison DOB = Comparison.compile(ComparisonSpec.of("dob"), FIELDS);
    private static final Comparison POSTCODE = Comparison.compile(ComparisonSpec.of("postcode"), FIELDS);
    private static final Comparison EMAIL = Comparison.compile(ComparisonSpec.of("email"), FIELDS);

    private static PreparedRecord p(String given, String family, String dob, String pc, String email) {
        return PREPARER.prepare(new Record("x", "", new String[] {given, family, dob, pc, email}), 0);
    }

    private static String givenLevel(String a, String fa, String b, String fb) {
        return GIVEN.label(GIVEN.level(p(a, fa, null, null, null), p(b, fb, null, null, null)));
    }

    private static String dobLevel(String a, String b) {
        return DOB.label(DOB.level(p(null, null, a, null, null), p(null, null, b, null, null)));
    }

    @Test
    void nameLevelsInOrder() {
        assertThat(givenLevel("Robert", "Smith", "robert", "Smith")).isEqualTo("exact");
        assertThat(givenLevel("O'Brien", "x", "obrien", "x")).isEqualTo("exact");
        assertThat(givenLevel("Robert", "Smith", "Smith", "Robert")).isEqualTo("swapped");
        assertThat(givenLevel("Robert", "Smith", "Bob", "Smith")).isEqualTo("nickname");
        assertThat(givenLevel("Katherine", "x", "Katie", "x")).isEqualTo("nickname");
        assertThat(givenLevel("Jonathon", "x", "Jonathan", "x")).isEqualTo("jw:0.92");
        assertThat(givenLevel("Stephen", "x", "Steven", "x")).isEqualTo("nickname");
        assertThat(givenLevel("Cathryn", "x", "Kathryn", "x")).isEqualTo("phonetic");
        assertThat(givenLevel("J", "x", "John", "x")).isEqualTo("initial");
        assertThat(givenLevel("Zara", "x", "Oliver", "x")).isEqualTo("else");
        assertThat(givenLevel(null, "x", "Oliver", "x")).isEqualTo("null");
        assertThat(givenLevel(" ", "x", "Oliver", "x")).isEqualTo("null");
    }

    @Test
    void dateLevels() {
        assertThat(dobLevel("2010-05-12", "2010-05-12")).isEqualTo("exact");
        assertThat(dobLevel("2010-05-12", "2010-12-05")).isEqualTo("dm_swap");
        assertThat(dobLevel("2010-05-12", "2010-05-13")).isEqualTo("typo");
        assertThat(dobLevel("2010-05-12", "2011-05-12")).isEqualTo("typo");
        assertThat(dobLevel("2010-05-12", "2010-05-21")).isEqualTo("typo"); // transposed digits
        assertThat(dobLevel("2010-05-12", "2010-05-28")).isEqualTo("same_month_year");
        assertThat(dobLevel("2010-05-12", "2010-05")).isEqualTo("same_month_year"); // partial date
        assertThat(dobLevel("2010-05-12", "2009-09-30")).isEqualTo("within_year");
        assertThat(dobLevel("2010-05-12", "2010")).isEqualTo("within_year");
        assertThat(dobLevel("2010-05-12", "2003-01-01")).isEqualTo("else");
        assertThat(dobLevel("2010-05-12", "")).isEqualTo("null");
    }

    @Test
    void postcodeAndEmailLevels() {
        PreparedRecord a = p(null, null, null, "SW1A 1AA", "Jo.Bloggs@example.org");
        assertThat(POSTCODE.label(POSTCODE.level(a, p(null, null, null, "sw1a1aa", null))))
                .isEqualTo("exact");
        assertThat(POSTCODE.label(POSTCODE.level(a, p(null, null, null, "SW1A 1ZZ", null))))
                .isEqualTo("sector");
        assertThat(POSTCODE.label(POSTCODE.level(a, p(null, null, null, "SW1A 2AA", null))))
                .isEqualTo("district");
        assertThat(POSTCODE.label(POSTCODE.level(a, p(null, null, null, "M1 2AB", null))))
                .isEqualTo("else");
        assertThat(EMAIL.label(EMAIL.level(a, p(null, null, null, null, "jo.bloggs@example.com"))))
                .isEqualTo("local_part");
    }

    @Test
    void badLevelsAreRejectedWithTheirName() {
        assertThatThrownBy(() -> Comparison.compile(
                        new ComparisonSpec("g", "given", List.of("exact", "jw:2"), null, null, null), FIELDS))
                .hasMessageContaining("jw:2")
                .hasMessageContaining("threshold");
        assertThatThrownBy(() -> Comparison.compile(
                        new ComparisonSpec("g", "given", List.of("fuzzy"), null, null, null), FIELDS))
                .hasMessageContaining("unknown level 'fuzzy'");
        assertThatThrownBy(() -> Comparison.compile(
                        new ComparisonSpec("g", "given", List.of("swapped"), null, null, null), FIELDS))
                .hasMessageContaining("swap_with");
        assertThatThrownBy(() -> Comparison.compile(ComparisonSpec.of("nope"), FIELDS))
                .hasMessageContaining("unknown field 'nope'");
    }

    @Test
    void jaroWinklerAgreesWithCommonsTextOnTypicalNames() {
        JaroWinklerSimilarity ref = new JaroWinklerSimilarity();
        SplittableRandom rnd = new SplittableRandom(7);
        String[] names = {
            "martha",
            "marhta",
            "dwayne",
            "duane",
            "dixon",
            "dicksonx",
            "jellyfish",
            "smellyfish",
            "oliver",
            "olivia",
            "kowalski",
            "kowalsky",
            "a",
            "ab",
            "",
            "mcdonald",
            "macdonald"
        };
        for (String x : names) {
            for (String y : names) {
                assertThat(JaroWinkler.similarity(x, y))
                        .as(x + "/" + y)
                        .isCloseTo(ref.apply(x, y), org.assertj.core.data.Offset.offset(1e-9));
            }
        }
        for (int i = 0; i < 2000; i++) {
            String x = random(rnd);
            String y = random(rnd);
            assertThat(JaroWinkler.similarity(x, y))
                    .as(x + "/" + y)
                    .isCloseTo(ref.apply(x, y), org.assertj.core.data.Offset.offset(1e-9));
        }
    }

    @Test
    void upperBoundNeverUnderestimates() {
        SplittableRandom rnd = new SplittableRandom(11);
        String[] names = {
            "martha",
            "marhta",
            "dwayne",
            "duane",
            "oliver",
            "olivia",
            "a",
            "ab",
            "zzzz",
            "mcdonald",
            "12 high street leeds",
            "21 high st leeds"
        };
        for (String x : names) {
            for (String y : names) {
                assertThat(JaroWinkler.upperBound(x, y))
                        .as(x + "/" + y)
                        .isGreaterThanOrEqualTo(JaroWinkler.similarity(x, y) - 1e-12);
            }
        }
        for (int i = 0; i < 20000; i++) {
            String x = random(rnd);
            String y = random(rnd);
            assertThat(JaroWinkler.upperBound(x, y))
                    .as(x + "/" + y)
                    .isGreaterThanOrEqualTo(JaroWinkler.similarity(x, y) - 1e-12);
        }
    }

    private static String random(SplittableRandom rnd) {
        int n = 1 + rnd.nextInt(10);
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            b.append((char) ('a' + rnd.nextInt(5)));
        }
        return b.toString();
    }
}
