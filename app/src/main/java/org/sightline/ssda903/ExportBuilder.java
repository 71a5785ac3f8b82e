package org.sightline.ssda903;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.sightline.ssda903.Ssda903Tables.EpisodeRow;
import org.sightline.ssda903.Ssda903Tables.HeaderRow;
import org.sightline.ssda903.Ssda903Tables.MissingRow;
import org.sightline.ssda903.Ssda903Tables.Return;
import org.sightline.ssda903.Ssda903Tables.RuleFailure;

/**
 * Turns an authority's children (their whole care and missing history) into the three SSDA903 tables of one
 * collection year, as they stood at 31 March. Every adjustment it makes to reconcile agency data with the DfE
 * model is reported as a {@link Note}; nothing is changed silently:
 * <ol>
 * <li>Episodes derived from placements (no SSDA903 episodes held) follow each other: an overlap ends the earlier
 *     placement when the next begins (REC X1); unknown codes stay blank rather than being invented.</li>
 * <li>A missing period counts only if it started during an episode of care (from care, not from home).</li>
 * <li>A period still running when its episode ended ends with it (575, 577: the child is no longer missing from
 *     that placement).</li>
 * <li>Periods of one child that overlap, or start while another is open, are merged into one (574): start of the
 *     first, end of the last, M if any part was M.</li>
 * <li>A period starting before the recorded date of birth is withheld (586): the DOB or the period is wrong and
 *     only the authority can say which.</li>
 * <li>The year is cut last, from the whole history, so that last year's open periods reappear this year with the
 *     same start (576); dates after 31 March are blank (still missing / still looked after at year end).</li>
 * </ol>
 * Periods sent in an SSDA903 Missing table, and episodes sent in an Episodes table, are not reconciled: they go out
 * as sent, so that importing a return and exporting it changes nothing; the rules report what is wrong with them.
 * Care past the age rules (351 over 21, 352 started at 18 or over, 359 open past 18 other than LS V2 in K2) is never
 * exported: those rows are withheld and returned as failures for the authority to correct.
 */
final class ExportBuilder {

    /** One looked-after child as held by the authority, with the whole history. */
    record Child(
            String child,
            String sex,
            LocalDate dob,
            String ethnic,
            String upn,
            String mother,
            LocalDate mcDob,
            List<Episode> episodes,
            boolean episodesDerived,
            List<Period> periods,
            Set<Integer> headerYears) {

        Child(
                String child,
                String sex,
                LocalDate dob,
                String ethnic,
                String upn,
                String mother,
                LocalDate mcDob,
                List<Episode> episodes,
                boolean episodesDerived,
                List<Period> periods) {
            this(child, sex, dob, ethnic, upn, mother, mcDob, episodes, episodesDerived, periods, Set.of());
        }
    }

    record Episode(
            LocalDate decom,
            String rne,
            String ls,
            String cin,
            String place,
            String placeProvider,
            LocalDate dec,
            String rec,
            String reasonPlaceChange,
            String homePost,
            String plPost,
            String urn) {

        Episode withEnd(LocalDate newDec, String newRec) {
            return new Episode(
                    decom,
                    rne,
                    ls,
                    cin,
                    place,
                    placeProvider,
                    newDec,
                    newRec,
                    reasonPlaceChange,
                    homePost,
                    plPost,
                    urn);
        }

        Episode withRne(String newRne) {
            return new Episode(
                    decom, newRne, ls, cin, place, placeProvider, dec, rec, reasonPlaceChange, homePost, plPost, urn);
        }
    }

    /**
     * A placement as agencies record it (person_placement), for children without SSDA903 episodes, with the legal
     * status and category of need where the authority recorded them (null: not recorded, exported blank).
     */
    record Placement(
            LocalDate start,
            LocalDate end,
            String placeCode,
            String postcode,
            String legalStatus,
            String categoryOfNeed) {

        Placement(LocalDate start, LocalDate end, String placeCode, String postcode) {
            this(start, end, placeCode, postcode, null, null);
        }
    }

    /**
     * A missing or away period: type M or A, dates as the DfE counts them (calendar days in England). {@code held}:
     * the period came from an SSDA903 Missing table and is exported as it was sent, unreconciled, so that a round
     * trip changes nothing (the rules report what is wrong with it instead).
     */
    record Period(String type, LocalDate start, LocalDate end, boolean held) {

        Period(String type, LocalDate start, LocalDate end) {
            this(type, start, end, false);
        }
    }

    /** An adjustment or a gap the export reports: the CHILD, a stable kind (message key suffix) and how many. */
    record Note(String child, String kind, int count) {}

    /**
     * The return, the adjustments made, and the rows withheld because they break an age rule (351, 352, 359): care
     * that should have ended is never exported, it is reported for the authority to correct (line 0: not in a file).
     */
    record Result(Return data, List<Note> notes, List<RuleFailure> withheld) {}

    private ExportBuilder() {}

    /** Episodes from placements: consecutive placements are one period of care (X1 between them). */
    static List<Episode> fromPlacements(List<Placement> placements, String child, List<Note> notes) {
        List<Placement> sorted = new ArrayList<>(placements);
        sorted.sort(Comparator.comparing(Placement::start));
        List<Episode> out = new ArrayList<>();
        int overlaps = 0;
        for (int i = 0; i < sorted.size(); i++) {
            Placement p = sorted.get(i);
            Placement next = i + 1 < sorted.size() ? sorted.get(i + 1) : null;
            LocalDate dec = p.end();
            String rec = "";
            if (next != null && (dec == null || next.start().isBefore(dec))) {
                overlaps++;
                dec = next.start();
            }
            if (next != null && dec != null && dec.equals(next.start())) {
                rec = "X1";
            }
            boolean continues =
                    !out.isEmpty() && "X1".equals(out.get(out.size() - 1).rec());
            out.add(new Episode(
                    p.start(),
                    continues ? "P" : "S",
                    blankIfNull(p.legalStatus()),
                    blankIfNull(p.categoryOfNeed()),
                    blankIfNull(p.placeCode()),
                    "",
                    dec,
                    rec,
                    "",
                    "",
                    blankIfNull(p.postcode()),
                    ""));
        }
        if (overlaps > 0) {
            notes.add(new Note(child, "placement-overlap", overlaps));
        }
        return out;
    }

    static Result build(CollectionYear year, List<Child> children) {
        List<Note> notes = new ArrayList<>();
        List<RuleFailure> withheld = new ArrayList<>();
        List<HeaderRow> header = new ArrayList<>();
        List<EpisodeRow> episodeRows = new ArrayList<>();
        List<MissingRow> missingRows = new ArrayList<>();
        List<Child> sorted = new ArrayList<>(children);
        sorted.sort(Comparator.comparing(Child::child));
        for (Child c : sorted) {
            List<Episode> episodes = new ArrayList<>(c.episodes());
            episodes.sort(Comparator.comparing(Episode::decom));
            List<Period> periods = periods(c, episodes, notes);

            List<Episode> inYear = episodes.stream()
                    .filter(e -> overlaps(year, e.decom(), e.dec()))
                    .toList();
            boolean inHeader = c.headerYears().contains(year.endYear());
            if (inYear.isEmpty() && !inHeader) {
                continue; // not looked after during this year
            }
            if (c.dob() != null && c.dob().plusYears(21).isBefore(year.start())) {
                withheld.add(new RuleFailure("351", "Header", c.child(), 0, "DOB"));
                continue;
            }
            List<Episode> exported = new ArrayList<>();
            for (Episode e : inYear) {
                boolean open = e.dec() == null || e.dec().isAfter(year.end());
                LocalDate eighteen = c.dob() == null ? null : c.dob().plusYears(18);
                if (eighteen != null && "S".equals(e.rne()) && !e.decom().isBefore(eighteen)) {
                    withheld.add(new RuleFailure("352", "Episodes", c.child(), 0, "DECOM"));
                } else if (eighteen != null
                        && open
                        && eighteen.isBefore(year.end())
                        && !("V2".equals(e.ls()) && "K2".equals(e.place()))) {
                    withheld.add(new RuleFailure("359", "Episodes", c.child(), 0, "DEC"));
                } else {
                    exported.add(e);
                }
            }
            if (exported.isEmpty() && !inHeader) {
                continue; // every episode withheld: the child is reported, not exported
            }
            String dob = Ssda903Dates.format(c.dob());
            if (c.dob() == null) {
                notes.add(new Note(c.child(), "dob-unknown", 1));
            }
            header.add(new HeaderRow(
                    header.size() + 2,
                    c.child(),
                    c.sex(),
                    dob,
                    c.ethnic(),
                    c.upn(),
                    c.mother(),
                    Ssda903Dates.format(c.mcDob())));
            for (Episode e : exported) {
                // An episode ending after 31 March was still open at year end: no DEC and so no REC. Otherwise
                // every field goes out as held (REASON_PLACE_CHANGE is about how the episode began).
                boolean endsLater = e.dec() != null && e.dec().isAfter(year.end());
                episodeRows.add(new EpisodeRow(
                        episodeRows.size() + 2,
                        c.child(),
                        Ssda903Dates.format(e.decom()),
                        e.rne(),
                        e.ls(),
                        e.cin(),
                        e.place(),
                        e.placeProvider(),
                        endsLater ? "" : Ssda903Dates.format(e.dec()),
                        endsLater ? "" : e.rec(),
                        e.reasonPlaceChange(),
                        e.homePost(),
                        e.plPost(),
                        e.urn()));
            }
            for (Period p : periods) {
                if (!overlaps(year, p.start(), p.end())) {
                    continue;
                }
                boolean endedInYear = p.end() != null && !p.end().isAfter(year.end());
                missingRows.add(new MissingRow(
                        missingRows.size() + 2,
                        c.child(),
                        dob,
                        p.type(),
                        Ssda903Dates.format(p.start()),
                        endedInYear ? Ssda903Dates.format(p.end()) : ""));
            }
        }
        return new Result(new Return(header, episodeRows, missingRows), notes, withheld);
    }

    /** The child's periods over the whole history, reconciled with the episodes (see the class comment). */
    private static List<Period> periods(Child c, List<Episode> episodes, List<Note> notes) {
        List<Period> kept = new ArrayList<>();
        int notInCare = 0;
        int beforeBirth = 0;
        int endedWithEpisode = 0;
        int endBeforeStart = 0;
        List<Period> held = new ArrayList<>();
        for (Period p : c.periods()) {
            if (p.held()) {
                held.add(p);
                continue;
            }
            Episode containing = null;
            for (Episode e : episodes) {
                if (!e.decom().isAfter(p.start())) {
                    containing = e;
                }
            }
            if (containing == null || containing.dec() != null && p.start().isAfter(containing.dec())) {
                notInCare++;
                continue;
            }
            if (c.dob() != null && p.start().isBefore(c.dob())) {
                beforeBirth++;
                continue;
            }
            if (p.end() != null && p.end().isBefore(p.start())) {
                endBeforeStart++;
                continue;
            }
            Period q = p;
            if (containing.dec() != null && (p.end() == null || p.end().isAfter(containing.dec()))) {
                q = new Period(p.type(), p.start(), containing.dec(), false);
                endedWithEpisode++;
            }
            kept.add(q);
        }
        kept.sort(Comparator.comparing(Period::start)
                .thenComparing(Period::end, Comparator.nullsLast(Comparator.naturalOrder())));
        List<Period> merged = new ArrayList<>();
        int mergedCount = 0;
        for (Period p : kept) {
            Period last = merged.isEmpty() ? null : merged.get(merged.size() - 1);
            if (last != null && (last.end() == null || p.start().isBefore(last.end()))) {
                LocalDate end = last.end() == null || p.end() == null
                        ? null
                        : p.end().isAfter(last.end()) ? p.end() : last.end();
                String type = "M".equals(last.type()) || "M".equals(p.type()) ? "M" : "A";
                merged.set(merged.size() - 1, new Period(type, last.start(), end, false));
                mergedCount++;
            } else {
                merged.add(p);
            }
        }
        note(notes, c.child(), "not-in-care", notInCare);
        note(notes, c.child(), "before-birth", beforeBirth);
        note(notes, c.child(), "end-before-start", endBeforeStart);
        note(notes, c.child(), "ended-with-episode", endedWithEpisode);
        note(notes, c.child(), "merged", mergedCount);
        mark580(c, episodes, merged, notes);
        merged.addAll(held);
        merged.sort(Comparator.comparing(Period::start));
        return merged;
    }

    /**
     * Derived episodes do not know why care ended. When a child was still missing when care ended on their 18th
     * birthday, the DfE reason is E8 (rule 580); we record that, and only in that case.
     */
    private static void mark580(Child c, List<Episode> episodes, List<Period> periods, List<Note> notes) {
        if (!c.episodesDerived() || c.dob() == null) {
            return;
        }
        LocalDate eighteen = c.dob().plusYears(18);
        for (int i = 0; i < episodes.size(); i++) {
            Episode e = episodes.get(i);
            if (eighteen.equals(e.dec())
                    && !"E8".equals(e.rec())
                    && periods.stream().anyMatch(p -> eighteen.equals(p.end()))) {
                episodes.set(i, e.withEnd(e.dec(), "E8"));
                notes.add(new Note(c.child(), "rec-e8", 1));
            }
        }
    }

    private static boolean overlaps(CollectionYear year, LocalDate start, LocalDate end) {
        return !start.isAfter(year.end()) && (end == null || !end.isBefore(year.start()));
    }

    private static void note(List<Note> notes, String child, String kind, int count) {
        if (count > 0) {
            notes.add(new Note(child, kind, count));
        }
    }

    private static String blankIfNull(String s) {
        return Objects.requireNonNullElse(s, "");
    }
}
