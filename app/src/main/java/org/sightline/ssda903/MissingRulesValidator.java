package org.sightline.ssda903;

import static org.sightline.ssda903.Ssda903Dates.blank;
import static org.sightline.ssda903.Ssda903Dates.parse;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.sightline.ssda903.Ssda903Tables.EpisodeRow;
import org.sightline.ssda903.Ssda903Tables.HeaderRow;
import org.sightline.ssda903.Ssda903Tables.MissingRow;
import org.sightline.ssda903.Ssda903Tables.Return;
import org.sightline.ssda903.Ssda903Tables.RuleFailure;

/**
 * The DfE validation rules that concern the SSDA903 Missing table (refdata/ssda903_missing_validation_rules.csv),
 * one method per rule, each returning the rows that break it. Written from the rules' published descriptions;
 * where a description leaves a boundary open the choice is stated on the method.
 *
 * <p>Rule 576 compares with the previous year's Missing table. When none is given the rule is not checked and
 * {@link #notChecked()} says so; the export derives the previous year from the same database instead.
 */
public final class MissingRulesValidator {

    public static final List<String> RULES = List.of(
            "1004", "1005", "1006", "564", "565", "566", "567", "570", "571", "574", "575", "576", "577", "578", "580",
            "586", "INT04", "INT13");

    private static final String MISSING = "Missing";

    private final CollectionYear year;
    private final Return data;
    private final List<MissingRow> previousMissing;
    private final Map<String, List<EpisodeRow>> episodesByChild = new HashMap<>();
    private final Map<String, HeaderRow> headerByChild = new HashMap<>();

    /**
     * @param previousMissing last year's Missing table, or null when not available (rule 576 is then not checked)
     */
    public MissingRulesValidator(CollectionYear year, Return data, List<MissingRow> previousMissing) {
        this.year = year;
        this.data = data;
        this.previousMissing = previousMissing;
        for (EpisodeRow e : data.episodes()) {
            episodesByChild
                    .computeIfAbsent(key(e.child()), k -> new ArrayList<>())
                    .add(e);
        }
        for (HeaderRow h : data.header()) {
            headerByChild.putIfAbsent(key(h.child()), h);
        }
    }

    /** Every rule; failures ordered by rule then line. */
    public List<RuleFailure> validate() {
        List<Supplier<List<RuleFailure>>> rules = List.of(
                this::rule1004,
                this::rule1005,
                this::rule1006,
                this::rule564,
                this::rule565,
                this::rule566,
                this::rule567,
                this::rule570,
                this::rule571,
                this::rule574,
                this::rule575,
                this::rule576,
                this::rule577,
                this::rule578,
                this::rule580,
                this::rule586,
                this::ruleInt04,
                this::ruleInt13);
        List<RuleFailure> all = new ArrayList<>();
        rules.forEach(r -> all.addAll(r.get()));
        return all;
    }

    /** Rules that could not be checked with the data given. */
    public List<String> notChecked() {
        return previousMissing == null ? List.of("576") : List.of();
    }

    /** 1004: MIS_START given but not a valid dd/mm/yyyy date. */
    List<RuleFailure> rule1004() {
        return each("1004", "MIS_START", m -> Ssda903Dates.invalid(m.misStart()));
    }

    /** 1005: MIS_END given but not a valid date. */
    List<RuleFailure> rule1005() {
        return each("1005", "MIS_END", m -> Ssda903Dates.invalid(m.misEnd()));
    }

    /** 1006: MISSING given but not M or A (lower case is tolerated, as DfE's tool does). */
    List<RuleFailure> rule1006() {
        return each(
                "1006", "MISSING", m -> !blank(m.missing()) && !Set.of("M", "A").contains(code(m.missing())));
    }

    /** 564: MISSING given, MIS_START blank. */
    List<RuleFailure> rule564() {
        return each("564", "MIS_START", m -> !blank(m.missing()) && blank(m.misStart()));
    }

    /** 565: MIS_START given, MISSING blank. */
    List<RuleFailure> rule565() {
        return each("565", "MISSING", m -> !blank(m.misStart()) && blank(m.missing()));
    }

    /** 566: MIS_END given, MISSING blank. */
    List<RuleFailure> rule566() {
        return each("566", "MISSING", m -> !blank(m.misEnd()) && blank(m.missing()));
    }

    /** 567: MIS_END earlier than MIS_START (same day is allowed). */
    List<RuleFailure> rule567() {
        return each("567", "MIS_END", m -> both(m).map(d -> d[1].isBefore(d[0])).orElse(false));
    }

    /** 570: MIS_START after the end of the collection year. */
    List<RuleFailure> rule570() {
        return each("570", "MIS_START", m -> parse(m.misStart())
                .map(s -> s.isAfter(year.end()))
                .orElse(false));
    }

    /** 571: MIS_END before the start or after the end of the collection year. */
    List<RuleFailure> rule571() {
        return each("571", "MIS_END", m -> parse(m.misEnd())
                .map(e -> e.isBefore(year.start()) || e.isAfter(year.end()))
                .orElse(false));
    }

    /**
     * 574: per child in MIS_START order, a period that starts while the previous one is open (no MIS_END) or
     * before the previous one ended. A period starting on the day the previous one ended does not overlap.
     */
    List<RuleFailure> rule574() {
        List<RuleFailure> out = new ArrayList<>();
        Map<String, List<MissingRow>> byChild = new HashMap<>();
        for (MissingRow m : data.missing()) {
            if (parse(m.misStart()).isPresent()) {
                byChild.computeIfAbsent(key(m.child()), k -> new ArrayList<>()).add(m);
            }
        }
        for (List<MissingRow> rows : byChild.values()) {
            rows.sort(Comparator.comparing((MissingRow m) -> parse(m.misStart()).orElseThrow())
                    .thenComparingInt(MissingRow::line));
            for (int i = 1; i < rows.size(); i++) {
                MissingRow previous = rows.get(i - 1);
                LocalDate start = parse(rows.get(i).misStart()).orElseThrow();
                Optional<LocalDate> previousEnd = parse(previous.misEnd());
                if (blank(previous.misEnd()) || previousEnd.map(start::isBefore).orElse(false)) {
                    out.add(failure("574", "MIS_START", rows.get(i)));
                }
            }
        }
        return sorted(out);
    }

    /**
     * 575: the period started inside an episode that has ended (DECOM on or before MIS_START, DEC after it) but has
     * no MIS_END. A period starting on the day an episode ended belongs to the next episode, or to rule 577.
     */
    List<RuleFailure> rule575() {
        return each(
                "575",
                "MIS_END",
                m -> blank(m.misEnd())
                        && parse(m.misStart())
                                .map(start -> episodes(m.child()).stream().anyMatch(e -> {
                                    Optional<LocalDate> decom = parse(e.decom());
                                    Optional<LocalDate> dec = parse(e.dec());
                                    return decom.isPresent()
                                            && dec.isPresent()
                                            && !decom.get().isAfter(start)
                                            && start.isBefore(dec.get());
                                }))
                                .orElse(false));
    }

    /**
     * 576: a period open at the end of last year (in last year's Missing with a start and no end) must appear this
     * year for the same CHILD with the same MIS_START. Reported on last year's row (line in last year's file).
     */
    List<RuleFailure> rule576() {
        if (previousMissing == null) {
            return List.of();
        }
        Set<String> thisYear = new HashSet<>();
        for (MissingRow m : data.missing()) {
            parse(m.misStart()).ifPresent(s -> thisYear.add(key(m.child()) + "|" + s));
        }
        List<RuleFailure> out = new ArrayList<>();
        for (MissingRow last : previousMissing) {
            Optional<LocalDate> start = parse(last.misStart());
            if (start.isPresent()
                    && blank(last.misEnd())
                    && !thisYear.contains(key(last.child()) + "|" + start.get())) {
                out.add(new RuleFailure("576", "Missing (previous year)", last.child(), last.line(), "CHILD"));
            }
        }
        return sorted(out);
    }

    /** 577: the child has ceased to be looked after (final episode has DEC and REC other than X1) but a period has no MIS_END. */
    List<RuleFailure> rule577() {
        return each(
                "577", "MIS_END", m -> blank(m.misEnd()) && ceasedOn(m.child()).isPresent());
    }

    /** 578: the period starts after the date the child ceased to be looked after. */
    List<RuleFailure> rule578() {
        return each("578", "MIS_START", m -> parse(m.misStart())
                .flatMap(s -> ceasedOn(m.child()).map(s::isAfter))
                .orElse(false));
    }

    /**
     * 580: the period ends on the child's 18th birthday (Header DOB), an episode ceased that day, and its REC is
     * not E8 (the code for a child still missing when they reach 18).
     */
    List<RuleFailure> rule580() {
        return each("580", "REC", m -> {
            Optional<LocalDate> end = parse(m.misEnd());
            Optional<LocalDate> dob =
                    Optional.ofNullable(headerByChild.get(key(m.child()))).flatMap(h -> parse(h.dob()));
            if (end.isEmpty() || dob.isEmpty() || !end.get().equals(dob.get().plusYears(18))) {
                return false;
            }
            return episodes(m.child()).stream()
                    .anyMatch(e -> parse(e.dec()).map(end.get()::equals).orElse(false) && !"E8".equals(code(e.rec())));
        });
    }

    /** 586: MIS_START before the date of birth (the Missing row's DOB, else the Header's). */
    List<RuleFailure> rule586() {
        return each("586", "MIS_START", m -> {
            Optional<LocalDate> dob = parse(m.dob());
            if (dob.isEmpty()) {
                dob = Optional.ofNullable(headerByChild.get(key(m.child()))).flatMap(h -> parse(h.dob()));
            }
            Optional<LocalDate> start = parse(m.misStart());
            return start.isPresent() && dob.isPresent() && start.get().isBefore(dob.get());
        });
    }

    /** INT04: the Missing row's CHILD is not in the Header. */
    List<RuleFailure> ruleInt04() {
        return each("INT04", "CHILD", m -> !headerByChild.containsKey(key(m.child())));
    }

    /** INT13: the Missing row's DOB differs from the Header's DOB for the child (compared as dates when both parse). */
    List<RuleFailure> ruleInt13() {
        return each("INT13", "DOB", m -> {
            HeaderRow h = headerByChild.get(key(m.child()));
            if (h == null) {
                return false;
            }
            Optional<LocalDate> a = parse(m.dob());
            Optional<LocalDate> b = parse(h.dob());
            if (a.isPresent() && b.isPresent()) {
                return !a.get().equals(b.get());
            }
            return !text(m.dob()).equals(text(h.dob()));
        });
    }

    /** The date the child ceased to be looked after: the final episode's DEC, unless it continued (REC X1). */
    private Optional<LocalDate> ceasedOn(String child) {
        return episodes(child).stream()
                .filter(e -> parse(e.decom()).isPresent())
                .max(Comparator.comparing((EpisodeRow e) -> parse(e.decom()).orElseThrow()))
                .filter(e -> !"X1".equals(code(e.rec())))
                .flatMap(e -> parse(e.dec()));
    }

    private List<EpisodeRow> episodes(String child) {
        return episodesByChild.getOrDefault(key(child), List.of());
    }

    private Optional<LocalDate[]> both(MissingRow m) {
        Optional<LocalDate> s = parse(m.misStart());
        Optional<LocalDate> e = parse(m.misEnd());
        return s.isPresent() && e.isPresent() ? Optional.of(new LocalDate[] {s.get(), e.get()}) : Optional.empty();
    }

    private List<RuleFailure> each(String rule, String field, java.util.function.Predicate<MissingRow> breaks) {
        List<RuleFailure> out = new ArrayList<>();
        for (MissingRow m : data.missing()) {
            if (breaks.test(m)) {
                out.add(failure(rule, field, m));
            }
        }
        return out;
    }

    private static RuleFailure failure(String rule, String field, MissingRow m) {
        return new RuleFailure(rule, MISSING, m.child(), m.line(), field);
    }

    private static List<RuleFailure> sorted(List<RuleFailure> out) {
        out.sort(Comparator.comparingInt(RuleFailure::line));
        return out;
    }

    private static String key(String child) {
        return text(child);
    }

    private static String text(String s) {
        return s == null ? "" : s.strip();
    }

    private static String code(String s) {
        return text(s).toUpperCase(Locale.ROOT);
    }
}
