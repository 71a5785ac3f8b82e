package org.sightline.ssda903;

import static org.sightline.ssda903.Ssda903Dates.blank;
import static org.sightline.ssda903.Ssda903Dates.parse;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiPredicate;
import java.util.function.Function;
import java.util.function.Supplier;
import org.sightline.ssda903.Ssda903Tables.EpisodeRow;
import org.sightline.ssda903.Ssda903Tables.HeaderRow;
import org.sightline.ssda903.Ssda903Tables.MissingRow;
import org.sightline.ssda903.Ssda903Tables.Return;
import org.sightline.ssda903.Ssda903Tables.RuleFailure;

/**
 * The DfE rules Sightline checks, each a unit: its code, the table it reports on, the fields it reads and the
 * check. The same units run on an import (on the rows as the authority sent them) and on an export. Written from
 * the rules' published descriptions (Social Finance's quality-lac-data-beta-validator, MIT), not from its code;
 * docs/ssda903.md lists them and the rules that need tables Sightline does not hold.
 */
final class Ssda903Rules {

    /** One rule. {@code check} returns the rows that break it. */
    record Rule(String code, String table, List<String> fields, Function<Context, List<RuleFailure>> check) {}

    /**
     * What the rules read: the return, its collection year, last year's Missing table (null when not available:
     * 576 is then not checked) and the DfE code lists ({@code FIELD:CODE}) and ethnicity codes.
     */
    static final class Context {
        final CollectionYear year;
        final Return data;
        final Set<String> codes;
        final Set<String> ethnicity;
        final MissingRulesValidator missing;
        private final Map<String, HeaderRow> headerByChild = new HashMap<>();
        private final Map<String, List<EpisodeRow>> episodesByChild = new HashMap<>();

        Context(
                CollectionYear year,
                Return data,
                List<MissingRow> previousMissing,
                Set<String> codes,
                Set<String> ethnicity) {
            this.year = year;
            this.data = data;
            this.codes = codes;
            this.ethnicity = ethnicity;
            this.missing = new MissingRulesValidator(year, data, previousMissing);
            data.header().forEach(h -> headerByChild.putIfAbsent(text(h.child()), h));
            data.episodes().forEach(e -> episodesByChild
                    .computeIfAbsent(text(e.child()), k -> new ArrayList<>())
                    .add(e));
        }

        Optional<LocalDate> dob(String child) {
            return Optional.ofNullable(headerByChild.get(text(child))).flatMap(h -> parse(h.dob()));
        }

        boolean code(String field, String value) {
            return codes.contains(field + ":" + text(value).toUpperCase(Locale.ROOT));
        }
    }

    static final List<Rule> RULES = List.of(
            header("101", List.of("SEX"), (c, h) -> !Set.of("1", "2").contains(text(h.sex()))),
            header("102", List.of("DOB"), (c, h) -> parse(h.dob()).isEmpty()),
            header(
                    "103",
                    List.of("ETHNIC"),
                    (c, h) -> !c.ethnicity.contains(text(h.ethnic()).toUpperCase(Locale.ROOT))),
            // 351: over 21 at the start of the year (21st birthday before 1 April).
            header("351", List.of("DOB"), (c, h) -> parse(h.dob())
                    .map(d -> d.plusYears(21).isBefore(c.year.start()))
                    .orElse(false)),
            // 620: recorded as a mother but under 11 at the start of the year.
            header(
                    "620",
                    List.of("DOB", "MOTHER"),
                    (c, h) -> "1".equals(text(h.mother()))
                            && parse(h.dob())
                                    .map(d -> d.plusYears(11).isAfter(c.year.start()))
                                    .orElse(false)),
            episode("141", List.of("DECOM"), (c, e) -> parse(e.decom()).isEmpty()),
            episode("143", List.of("RNE"), (c, e) -> !c.code("RNE", e.rne())),
            episode("144", List.of("LS"), (c, e) -> !c.code("LS", e.ls())),
            episode("145", List.of("CIN"), (c, e) -> !c.code("CIN", e.cin())),
            episode("146", List.of("PLACE"), (c, e) -> !c.code("PLACE", e.place())),
            episode("149", List.of("REC"), (c, e) -> !blank(e.rec()) && !c.code("REC", e.rec())),
            episode(
                    "1009",
                    List.of("REASON_PLACE_CHANGE"),
                    (c, e) -> !blank(e.reasonPlaceChange()) && !c.code("REASON_PLACE_CHANGE", e.reasonPlaceChange())),
            // 352: care started (RNE S) on or after the 18th birthday.
            episode(
                    "352",
                    List.of("DECOM", "RNE"),
                    (c, e) -> "S".equals(text(e.rne()).toUpperCase(Locale.ROOT))
                            && parse(e.decom())
                                    .flatMap(d -> c.dob(e.child()).map(b -> !d.isBefore(b.plusYears(18))))
                                    .orElse(false)),
            // 359: still looked after (no DEC) with the 18th birthday before 31 March, unless accommodated under
            // section 20(5) (LS V2) in a community home (PLACE K2).
            episode(
                    "359",
                    List.of("DEC", "LS", "PLACE"),
                    (c, e) -> blank(e.dec())
                            && c.dob(e.child())
                                    .map(b -> b.plusYears(18).isBefore(c.year.end()))
                                    .orElse(false)
                            && !("V2".equals(text(e.ls())) && "K2".equals(text(e.place())))),
            new Rule("302", "Episodes", List.of("DECOM", "DOB"), Ssda903Rules::rule302),
            // Legal status codes by date: D1 ended with December 2005, E1 began in December 2005.
            episode(
                    "445",
                    List.of("LS", "DECOM"),
                    (c, e) -> "D1".equals(text(e.ls()))
                            && parse(e.decom())
                                    .map(d -> d.isAfter(LocalDate.of(2005, 12, 31)))
                                    .orElse(false)),
            episode(
                    "446",
                    List.of("LS", "DECOM"),
                    (c, e) -> "E1".equals(text(e.ls()))
                            && parse(e.decom())
                                    .map(d -> d.isBefore(LocalDate.of(2005, 12, 1)))
                                    .orElse(false)),
            // Placement types a kind of provider cannot provide.
            episode("527", List.of("PLACE", "PLACE_PROVIDER"), (c, e) -> provides(e, "PR1", "P1", "R2", "R5")),
            episode("528", List.of("PLACE", "PLACE_PROVIDER"), (c, e) -> provides(e, "PR2", "P1", "R2", "R5")),
            episode(
                    "529",
                    List.of("PLACE", "PLACE_PROVIDER"),
                    (c, e) -> provides(
                            e, "PR3", "P1", "A3", "A4", "A5", "A6", "K1", "K2", "U1", "U2", "U3", "U4", "U5", "U6")),
            episode("530", List.of("PLACE", "PLACE_PROVIDER"), (c, e) -> provides(e, "PR4", "P1")),
            episode("531", List.of("PLACE", "PLACE_PROVIDER"), (c, e) -> provides(e, "PR5", "P1")),
            missing("1004", List.of("MIS_START"), c -> c.missing::rule1004),
            missing("1005", List.of("MIS_END"), c -> c.missing::rule1005),
            missing("1006", List.of("MISSING"), c -> c.missing::rule1006),
            missing("564", List.of("MISSING", "MIS_START"), c -> c.missing::rule564),
            missing("565", List.of("MISSING", "MIS_START"), c -> c.missing::rule565),
            missing("566", List.of("MISSING", "MIS_END"), c -> c.missing::rule566),
            missing("567", List.of("MIS_START", "MIS_END"), c -> c.missing::rule567),
            missing("570", List.of("MIS_START"), c -> c.missing::rule570),
            missing("571", List.of("MIS_END"), c -> c.missing::rule571),
            missing("574", List.of("MIS_START", "MIS_END"), c -> c.missing::rule574),
            missing("575", List.of("MIS_END"), c -> c.missing::rule575),
            missing("576", List.of("CHILD"), c -> c.missing::rule576),
            missing("577", List.of("MIS_END"), c -> c.missing::rule577),
            missing("578", List.of("MIS_START"), c -> c.missing::rule578),
            missing("580", List.of("REC"), c -> c.missing::rule580),
            missing("586", List.of("MIS_START"), c -> c.missing::rule586),
            missing("INT04", List.of("CHILD"), c -> c.missing::ruleInt04),
            missing("INT13", List.of("DOB"), c -> c.missing::ruleInt13));

    private Ssda903Rules() {}

    /** Every rule's failures, in rule order then line. */
    static List<RuleFailure> check(Context context) {
        List<RuleFailure> all = new ArrayList<>();
        for (Rule rule : RULES) {
            all.addAll(rule.check().apply(context));
        }
        return all;
    }

    /** Rules that could not be checked with the data given. */
    static List<String> notChecked(Context context) {
        return context.missing.notChecked();
    }

    /** 302: the child's first episode starts before the date of birth. */
    private static List<RuleFailure> rule302(Context c) {
        List<RuleFailure> out = new ArrayList<>();
        for (List<EpisodeRow> eps : c.episodesByChild.values()) {
            eps.stream()
                    .filter(e -> parse(e.decom()).isPresent())
                    .min(Comparator.comparing((EpisodeRow e) -> parse(e.decom()).orElseThrow()))
                    .filter(e -> c.dob(e.child())
                            .map(b -> parse(e.decom()).orElseThrow().isBefore(b))
                            .orElse(false))
                    .ifPresent(e -> out.add(new RuleFailure("302", "Episodes", e.child(), e.line(), "DECOM")));
        }
        out.sort(Comparator.comparingInt(RuleFailure::line));
        return out;
    }

    /** The episode's provider is {@code provider} and its placement one of {@code places}. */
    private static boolean provides(EpisodeRow e, String provider, String... places) {
        return provider.equals(text(e.placeProvider())) && List.of(places).contains(text(e.place()));
    }

    private static Rule header(String code, List<String> fields, BiPredicate<Context, HeaderRow> breaks) {
        return new Rule(code, "Header", fields, c -> c.data.header().stream()
                .filter(h -> breaks.test(c, h))
                .map(h -> new RuleFailure(code, "Header", h.child(), h.line(), fields.get(0)))
                .toList());
    }

    private static Rule episode(String code, List<String> fields, BiPredicate<Context, EpisodeRow> breaks) {
        return new Rule(code, "Episodes", fields, c -> c.data.episodes().stream()
                .filter(e -> breaks.test(c, e))
                .map(e -> new RuleFailure(code, "Episodes", e.child(), e.line(), fields.get(0)))
                .toList());
    }

    private static Rule missing(String code, List<String> fields, Function<Context, Supplier<List<RuleFailure>>> rule) {
        return new Rule(code, "Missing", fields, c -> rule.apply(c).get());
    }

    private static String text(String s) {
        return s == null ? "" : s.strip();
    }
}
