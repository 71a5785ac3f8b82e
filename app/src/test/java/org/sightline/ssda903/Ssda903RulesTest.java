package org.sightline.ssda903;

import static org.assertj.core.api.Assertions.assertThat;

import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.NamedCsvRecord;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.sightline.ssda903.Ssda903Tables.EpisodeRow;
import org.sightline.ssda903.Ssda903Tables.HeaderRow;
import org.sightline.ssda903.Ssda903Tables.Return;
import org.sightline.ssda903.Ssda903Tables.RuleFailure;

/**
 * Each Header and Episodes rule unit with a fixture that passes (the clean return) and one that fails (one field
 * changed). The Missing rules have theirs in {@link MissingRulesValidatorTest}. Code lists are read from the
 * shipped reference files, independently of the database. Collection year 2025: 1 April 2024 to 31 March 2025.
 */
class Ssda903RulesTest {

    private static final CollectionYear YEAR = new CollectionYear(2025);

    /** A mutable fixture: C1 born 15/06/2008 (16 at the start of the year), looked after from 01/05/2024. */
    static final class Fixture {
        HeaderRow header = new HeaderRow(2, "C1", "2", "15/06/2008", "WBRI", "", "0", "");
        EpisodeRow first =
                new EpisodeRow(2, "C1", "01/05/2024", "S", "C2", "N1", "U1", "PR1", "01/09/2024", "X1", "", "", "", "");
        EpisodeRow second =
                new EpisodeRow(3, "C1", "01/09/2024", "P", "C2", "N1", "K2", "PR4", "", "", "CARPL", "", "", "");

        Return data() {
            return new Return(List.of(header), List.of(first, second), List.of());
        }
    }

    private static Set<String> codes() throws Exception {
        Set<String> out = new HashSet<>();
        read("refdata/ssda903_code_lists.csv", r -> out.add(r.getField("field") + ":" + r.getField("code")));
        return out;
    }

    private static Set<String> ethnicity() throws Exception {
        Set<String> out = new HashSet<>();
        read("refdata/dfe_ethnicity_codes_with_ons2021.csv", r -> out.add(r.getField("dfe_code")));
        return out;
    }

    private static void read(String resource, Consumer<NamedCsvRecord> row) throws Exception {
        try (var reader = new InputStreamReader(
                        Ssda903RulesTest.class.getClassLoader().getResourceAsStream(resource), StandardCharsets.UTF_8);
                CsvReader<NamedCsvRecord> csv = CsvReader.builder().ofNamedCsvRecord(reader)) {
            csv.forEach(row);
        }
    }

    private static List<RuleFailure> check(Fixture f) throws Exception {
        return Ssda903Rules.check(new Ssda903Rules.Context(YEAR, f.data(), List.of(), codes(), ethnicity()));
    }

    @Test
    void theCleanReturnBreaksNoRule() throws Exception {
        assertThat(check(new Fixture())).isEmpty();
    }

    @Test
    void everyRuleUnitSaysWhatItReads() {
        assertThat(Ssda903Rules.RULES).allSatisfy(r -> {
            assertThat(r.fields()).as("fields of %s", r.code()).isNotEmpty();
            assertThat(r.table()).isIn("Header", "Episodes", "Missing");
        });
        assertThat(Ssda903Rules.RULES.stream()
                        .map(Ssda903Rules.Rule::code)
                        .distinct()
                        .count())
                .isEqualTo(Ssda903Rules.RULES.size());
    }

    static Stream<Arguments> failing() {
        List<Arguments> out = new ArrayList<>();
        out.add(Arguments.of(
                "101", "Header", 2, (Consumer<Fixture>) f -> f.header = withHeader(f.header, "3", null, null, null)));
        out.add(Arguments.of("102", "Header", 2, (Consumer<Fixture>)
                f -> f.header = withHeader(f.header, null, "31/02/2008", null, null)));
        out.add(Arguments.of("103", "Header", 2, (Consumer<Fixture>)
                f -> f.header = withHeader(f.header, null, null, "XXXX", null)));
        // 21st birthday 31/03/2024, the day before the year starts.
        out.add(Arguments.of("351", "Header", 2, (Consumer<Fixture>)
                f -> f.header = withHeader(f.header, null, "31/03/2003", null, null)));
        // A mother whose 11th birthday is after 1 April 2024.
        out.add(Arguments.of("620", "Header", 2, (Consumer<Fixture>)
                f -> f.header = withHeader(f.header, null, "02/04/2013", null, "1")));
        out.add(Arguments.of("141", "Episodes", 3, (Consumer<Fixture>)
                f -> f.second = episode(f.second, "31/09/2024", null, null, null, null, null)));
        out.add(Arguments.of("143", "Episodes", 3, (Consumer<Fixture>)
                f -> f.second = episode(f.second, null, "Z", null, null, null, null)));
        out.add(Arguments.of("144", "Episodes", 3, (Consumer<Fixture>)
                f -> f.second = episode(f.second, null, null, "ZZ", null, null, null)));
        out.add(Arguments.of("145", "Episodes", 3, (Consumer<Fixture>) f -> f.second =
                new EpisodeRow(3, "C1", "01/09/2024", "P", "C2", "N9", "K2", "PR4", "", "", "CARPL", "", "", "")));
        out.add(Arguments.of("146", "Episodes", 3, (Consumer<Fixture>)
                f -> f.second = episode(f.second, null, null, null, "Q9", null, null)));
        out.add(Arguments.of("149", "Episodes", 2, (Consumer<Fixture>)
                f -> f.first = episode(f.first, null, null, null, null, "01/09/2024", "X7")));
        // Care started (S) on the 18th birthday.
        out.add(Arguments.of("352", "Episodes", 2, (Consumer<Fixture>)
                f -> f.header = withHeader(f.header, null, "01/05/2006", null, null)));
        // 18 on 30/03/2025, still looked after at 31 March, not V2 in K2.
        out.add(Arguments.of("359", "Episodes", 3, (Consumer<Fixture>) f -> {
            f.header = withHeader(f.header, null, "30/03/2007", null, null);
            f.second = episode(f.second, null, null, null, "U1", null, null);
        }));
        out.add(Arguments.of("1009", "Episodes", 3, (Consumer<Fixture>) f -> f.second =
                new EpisodeRow(3, "C1", "01/09/2024", "P", "C2", "N1", "K2", "PR4", "", "", "MOVED", "", "", "")));
        out.add(Arguments.of("445", "Episodes", 3, (Consumer<Fixture>)
                f -> f.second = episode(f.second, null, null, "D1", null, null, null)));
        // E1 on an episode that began in November 2005.
        out.add(Arguments.of("446", "Episodes", 2, (Consumer<Fixture>) f -> f.first = new EpisodeRow(
                2, "C1", "30/11/2005", "S", "E1", "N1", "U1", "PR1", "01/09/2024", "X1", "", "", "", "")));
        out.add(Arguments.of(
                "527", "Episodes", 3, (Consumer<Fixture>) f -> f.second = provider(f.second, "R2", "PR1")));
        out.add(Arguments.of(
                "528", "Episodes", 3, (Consumer<Fixture>) f -> f.second = provider(f.second, "R5", "PR2")));
        out.add(Arguments.of(
                "529", "Episodes", 3, (Consumer<Fixture>) f -> f.second = provider(f.second, "K2", "PR3")));
        out.add(Arguments.of(
                "530", "Episodes", 3, (Consumer<Fixture>) f -> f.second = provider(f.second, "P1", "PR4")));
        out.add(Arguments.of(
                "531", "Episodes", 3, (Consumer<Fixture>) f -> f.second = provider(f.second, "P1", "PR5")));
        out.add(Arguments.of("302", "Episodes", 2, (Consumer<Fixture>)
                f -> f.header = withHeader(f.header, null, "02/05/2024", null, null)));
        return out.stream();
    }

    @Test
    void everyHeaderAndEpisodesRuleHasAFailingFixture() {
        assertThat(failing().map(a -> (String) a.get()[0]).toList())
                .containsExactlyInAnyOrderElementsOf(Ssda903Rules.RULES.stream()
                        .filter(r -> !r.table().equals("Missing"))
                        .map(Ssda903Rules.Rule::code)
                        .toList());
    }

    @ParameterizedTest(name = "rule {0}")
    @MethodSource("failing")
    void eachRuleFailsOnItsFixture(String rule, String table, int line, Consumer<Fixture> breakIt) throws Exception {
        Fixture f = new Fixture();
        assertThat(check(f).stream().filter(x -> x.rule().equals(rule)))
                .as("clean passes " + rule)
                .isEmpty();
        breakIt.accept(f);
        assertThat(check(f).stream().filter(x -> x.rule().equals(rule)).toList())
                .singleElement()
                .satisfies(x -> {
                    assertThat(x.table()).isEqualTo(table);
                    assertThat(x.line()).isEqualTo(line);
                    assertThat(x.child()).isEqualTo("C1");
                });
    }

    @Test
    void rule359AllowsSection205InACommunityHomeAndAnEndedEpisode() throws Exception {
        Fixture f = new Fixture();
        f.header = withHeader(f.header, null, "30/03/2007", null, null);
        f.second = new EpisodeRow(3, "C1", "01/09/2024", "P", "V2", "N1", "K2", "PR4", "", "", "CARPL", "", "", "");
        assertThat(check(f)).extracting(RuleFailure::rule).doesNotContain("359");
        f.second = new EpisodeRow(
                3, "C1", "01/09/2024", "P", "C2", "N1", "U1", "PR4", "30/03/2025", "E4A", "CARPL", "", "", "");
        assertThat(check(f)).extracting(RuleFailure::rule).doesNotContain("359");
    }

    @Test
    void rule351BoundaryTheTwentyFirstBirthdayOnTheFirstDayPasses() throws Exception {
        Fixture f = new Fixture();
        f.header = withHeader(f.header, null, "01/04/2003", null, null);
        assertThat(check(f)).extracting(RuleFailure::rule).doesNotContain("351");
    }

    private static EpisodeRow provider(EpisodeRow e, String place, String provider) {
        return new EpisodeRow(
                e.line(),
                e.child(),
                e.decom(),
                e.rne(),
                e.ls(),
                e.cin(),
                place,
                provider,
                e.dec(),
                e.rec(),
                e.reasonPlaceChange(),
                e.homePost(),
                e.plPost(),
                e.urn());
    }

    private static HeaderRow withHeader(HeaderRow h, String sex, String dob, String ethnic, String mother) {
        return new HeaderRow(
                h.line(),
                h.child(),
                sex == null ? h.sex() : sex,
                dob == null ? h.dob() : dob,
                ethnic == null ? h.ethnic() : ethnic,
                h.upn(),
                mother == null ? h.mother() : mother,
                h.mcDob());
    }

    private static EpisodeRow episode(
            EpisodeRow e, String decom, String rne, String ls, String place, String dec, String rec) {
        return new EpisodeRow(
                e.line(),
                e.child(),
                decom == null ? e.decom() : decom,
                rne == null ? e.rne() : rne,
                ls == null ? e.ls() : ls,
                e.cin(),
                place == null ? e.place() : place,
                e.placeProvider(),
                dec == null ? e.dec() : dec,
                rec == null ? e.rec() : rec,
                e.reasonPlaceChange(),
                e.homePost(),
                e.plPost(),
                e.urn());
    }
}
