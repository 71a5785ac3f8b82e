package org.sightline.alert;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.Period;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.sightline.alert.ChildFacts.Episode;
import org.sightline.alert.ChildFacts.Incident;
import org.sightline.alert.ChildFacts.Link;
import org.sightline.shared.ClockConfiguration;

/**
 * The alert rules of PRODUCT.md C5, each a small unit over the whole identity's facts. Incidents, not records: a
 * period recorded by police, authority and provider counts once. A rule that lacks a fact says which
 * ({@link Finding#undecided}); it never treats "not recorded" as "no".
 */
final class Rules {

    static final List<Rule> ALL = List.of(
            new RepeatMissing(),
            new LookedAfterMissingLong(),
            new PlaceLinked(),
            new AdultOfConcern(),
            new FoundOutsideForce(),
            new ReturnInterviewLate(),
            new ScreeningBand(),
            new MissingWithAssociate(),
            new UnderAgeMissing());

    private Rules() {}

    static Rule byCode(String code) {
        return ALL.stream().filter(r -> r.code().equals(code)).findFirst().orElse(null);
    }

    private static List<Long> ids(Incident incident) {
        return incident.records().stream().map(Episode::id).toList();
    }

    /** N incidents within the window: fires for each incident that is the Nth or later in its window. */
    static final class RepeatMissing implements Rule {
        public String code() {
            return "repeat-missing";
        }

        public int weight() {
            return 3;
        }

        public List<Finding> evaluate(ChildFacts facts, RuleSettings s) {
            List<Incident> incidents = facts.incidents();
            Duration window = Duration.ofDays(s.repeatWindowDays());
            List<Finding> out = new ArrayList<>();
            for (int i = 0; i < incidents.size(); i++) {
                Incident last = incidents.get(i);
                List<Incident> inWindow = incidents.subList(0, i + 1).stream()
                        .filter(x -> !x.start().isBefore(last.start().minus(window)))
                        .toList();
                if (inWindow.size() >= s.repeatCount()) {
                    List<String> dates = inWindow.stream()
                            .map(x -> Words.date(x.start()) + " (" + x.agencies() + ")")
                            .toList();
                    out.add(Finding.fired(
                            this,
                            Long.toString(last.key()),
                            last.start(),
                            ids(last),
                            List.of(),
                            Integer.toString(inWindow.size()),
                            Integer.toString(s.repeatWindowDays()),
                            Words.list(dates)));
                }
            }
            return out;
        }
    }

    /**
     * A looked-after child missing longer than the threshold (still missing, or found after it). Looked after: a
     * record says so, a current placement, or an episode missing from care; not looked after only when a record says
     * so and none of these; otherwise undecided.
     */
    static final class LookedAfterMissingLong implements Rule {
        public String code() {
            return "looked-after-missing";
        }

        public int weight() {
            return 3;
        }

        public List<Finding> evaluate(ChildFacts facts, RuleSettings s) {
            Duration limit = Duration.ofHours(s.lookedAfterHours());
            List<Incident> long_ = facts.incidents().stream()
                    .filter(i -> Duration.between(i.start(), i.found() == null ? facts.now() : i.found())
                                    .compareTo(limit)
                            > 0)
                    .toList();
            if (long_.isEmpty()) {
                return List.of();
            }
            LocalDate today = LocalDate.ofInstant(facts.now(), ClockConfiguration.DISPLAY_ZONE);
            boolean lookedAfter = facts.records().stream().anyMatch(r -> "looked_after".equals(r.careStatus()))
                    || facts.placements().stream().anyMatch(p -> p.currentOn(today))
                    || facts.episodes().stream().anyMatch(e -> "care".equals(e.missingFrom()));
            boolean notLookedAfter = facts.records().stream().anyMatch(r -> "not_looked_after".equals(r.careStatus()));
            if (!lookedAfter) {
                return notLookedAfter ? List.of() : List.of(Finding.undecided(this, "care-status"));
            }
            return long_.stream()
                    .map(i -> {
                        Instant until = i.found() == null ? facts.now() : i.found();
                        String hours =
                                Long.toString(Duration.between(i.start(), until).toHours());
                        return Finding.fired(
                                this,
                                Long.toString(i.key()),
                                i.start().plus(limit),
                                ids(i),
                                List.of(),
                                Words.date(i.start()),
                                i.agencies(),
                                hours,
                                Integer.toString(s.lookedAfterHours()),
                                i.found() == null ? "" : Words.date(i.found()));
                    })
                    .toList();
        }
    }

    /** Linked to (found at, seen at …) a place that other missing or exploited children are linked to. */
    static final class PlaceLinked implements Rule {
        public String code() {
            return "place-linked";
        }

        public int weight() {
            return 4;
        }

        public List<Finding> evaluate(ChildFacts facts, RuleSettings s) {
            List<Finding> out = new ArrayList<>();
            for (Link l : facts.links()) {
                if (!"location".equals(l.otherKind()) || l.otherChildren() < s.placeOtherChildren()) {
                    continue;
                }
                String place = Objects.requireNonNullElse(l.otherName(), l.otherRef())
                        + (l.otherPostcode() == null ? "" : ", " + l.otherPostcode());
                Finding f = Finding.fired(
                        this,
                        Long.toString(l.associationId()),
                        l.observedAt(),
                        List.of(),
                        List.of(l.agencyId()),
                        l.type().replace('_', ' '),
                        place,
                        Words.date(l.observedAt()),
                        l.agencyName(),
                        Integer.toString(l.otherChildren()),
                        Integer.toString(l.otherChildrenOtherArea()),
                        Integer.toString(l.otherChildrenAreaUnknown()));
                // Where every other child's area is known the text does not mention unknown areas.
                out.add(l.otherChildrenAreaUnknown() == 0 ? f : f.withMessage(f.messageKey() + "-unknown-areas"));
            }
            return out;
        }
    }

    static final class AdultOfConcern implements Rule {
        public String code() {
            return "adult-of-concern";
        }

        public int weight() {
            return 4;
        }

        public List<Finding> evaluate(ChildFacts facts, RuleSettings s) {
            return facts.links().stream()
                    .filter(l -> "adult".equals(l.otherKind()))
                    .map(l -> Finding.fired(
                            this,
                            Long.toString(l.associationId()),
                            l.observedAt(),
                            List.of(),
                            List.of(l.agencyId()),
                            l.otherRef(),
                            l.type().replace('_', ' '),
                            l.agencyName(),
                            Words.date(l.observedAt())))
                    .toList();
        }
    }

    /**
     * Found by another police force than the one the child was reported to. The force where found: the force that
     * recorded the find, or a police force's "found at" link within two days of the find. Undecided when the
     * incident has no police record, or nothing says which force found the child.
     */
    static final class FoundOutsideForce implements Rule {
        static final Duration LINK_AFTER_FIND = Duration.ofHours(48);

        public String code() {
            return "found-outside-force";
        }

        public int weight() {
            return 3;
        }

        public List<Finding> evaluate(ChildFacts facts, RuleSettings s) {
            List<Finding> out = new ArrayList<>();
            boolean missingHome = false;
            boolean missingFinder = false;
            for (Incident i : facts.incidents()) {
                Instant found = i.found();
                if (found == null) {
                    continue;
                }
                List<Episode> police = i.records().stream()
                        .filter(e -> "police_force".equals(e.agencyType()))
                        .sorted(java.util.Comparator.comparing(Episode::start))
                        .toList();
                Set<Long> finders = new LinkedHashSet<>();
                List<String> finderNames = new ArrayList<>();
                for (Episode e : i.records()) {
                    if (e.foundByForceId() != null && finders.add(e.foundByForceId())) {
                        finderNames.add(e.foundByForceName());
                    }
                }
                for (Link l : facts.links()) {
                    if ("found_at".equals(l.type())
                            && "police_force".equals(l.agencyType())
                            && l.observedAt() != null
                            && !l.observedAt().isBefore(i.start())
                            && !l.observedAt().isAfter(found.plus(LINK_AFTER_FIND))
                            && finders.add(l.agencyId())) {
                        finderNames.add(l.agencyName());
                    }
                }
                if (police.isEmpty()) {
                    missingHome = true;
                    continue;
                }
                if (finders.isEmpty()) {
                    missingFinder = true;
                    continue;
                }
                Episode home = police.get(0);
                List<Long> others =
                        finders.stream().filter(f -> f != home.agencyId()).toList();
                if (!others.isEmpty()) {
                    List<String> names = new ArrayList<>();
                    int k = 0;
                    for (Long f : finders) {
                        if (f != home.agencyId()) {
                            names.add(finderNames.get(k));
                        }
                        k++;
                    }
                    out.add(Finding.fired(
                            this,
                            Long.toString(i.key()),
                            found,
                            ids(i),
                            others,
                            Words.date(i.start()),
                            home.agencyName(),
                            Words.date(found),
                            String.join(", ", names)));
                }
            }
            if (out.isEmpty() && missingFinder) {
                out.add(Finding.undecided(this, "finder"));
            } else if (out.isEmpty() && missingHome) {
                out.add(Finding.undecided(this, "home-force"));
            }
            return out;
        }
    }

    /**
     * No completed return interview within the limit of the return: still outstanding after it, or completed late.
     * Declined within the limit counts as offered in time. Any agency's record of the incident may hold it.
     */
    static final class ReturnInterviewLate implements Rule {
        public String code() {
            return "return-interview";
        }

        public int weight() {
            return 2;
        }

        public List<Finding> evaluate(ChildFacts facts, RuleSettings s) {
            Duration limit = Duration.ofHours(s.returnInterviewHours());
            List<Finding> out = new ArrayList<>();
            for (Incident i : facts.incidents()) {
                Instant found = i.found();
                if (found == null) {
                    continue;
                }
                Instant due = found.plus(limit);
                Instant done = i.records().stream()
                        .filter(e -> "completed".equals(e.returnInterview()) || "declined".equals(e.returnInterview()))
                        .map(e -> e.returnInterviewAt() == null ? found : e.returnInterviewAt())
                        .min(java.util.Comparator.naturalOrder())
                        .orElse(null);
                if (done != null && !done.isAfter(due)) {
                    continue;
                }
                if (done == null && facts.now().isAfter(due)) {
                    out.add(Finding.fired(
                            this,
                            Long.toString(i.key()),
                            due,
                            ids(i),
                            List.of(),
                            Words.date(found),
                            i.agencies(),
                            Integer.toString(s.returnInterviewHours())));
                } else if (done != null) {
                    out.add(new Finding(
                            code(),
                            Finding.Outcome.FIRED,
                            code() + ":" + i.key(),
                            weight(),
                            due,
                            "alert.rule." + code() + ".late",
                            List.of(
                                    Words.date(found),
                                    i.agencies(),
                                    Integer.toString(s.returnInterviewHours()),
                                    Words.date(done)),
                            ids(i),
                            List.of()));
                }
            }
            return out;
        }
    }

    /** The latest screening of an open concern is in an alerting band (the screener's override where given). */
    static final class ScreeningBand implements Rule {
        public String code() {
            return "screening-band";
        }

        public int weight() {
            return 4;
        }

        public List<Finding> evaluate(ChildFacts facts, RuleSettings s) {
            return facts.screenings().stream()
                    .filter(x -> x.latestOfConcern()
                            && x.concernOpen()
                            && s.screeningBands().contains(x.band()))
                    .map(x -> Finding.fired(
                            this,
                            Long.toString(x.id()),
                            x.assessedAt(),
                            List.of(),
                            List.of(x.concernAgencyId()),
                            x.band(),
                            Words.date(x.assessedAt()),
                            x.agencyName()))
                    .toList();
        }
    }

    /** Missing at the same time as a child this child is associated with. */
    static final class MissingWithAssociate implements Rule {
        public String code() {
            return "missing-together";
        }

        public int weight() {
            return 3;
        }

        public List<Finding> evaluate(ChildFacts facts, RuleSettings s) {
            List<Finding> out = new ArrayList<>();
            Set<String> seen = new LinkedHashSet<>();
            for (Incident i : facts.incidents()) {
                Instant mine = i.found() == null ? facts.now() : i.found();
                for (ChildFacts.AssociatedEpisode o : facts.associatedEpisodes()) {
                    Instant theirs = o.found() == null ? facts.now() : o.found();
                    boolean overlap = !o.start().isAfter(mine) && !theirs.isBefore(i.start());
                    if (overlap && seen.add(i.key() + ":" + o.episodeId())) {
                        Instant from = o.start().isAfter(i.start()) ? o.start() : i.start();
                        out.add(Finding.fired(
                                this,
                                i.key() + ":" + o.episodeId(),
                                from,
                                ids(i),
                                List.of(),
                                Words.date(i.start()),
                                i.agencies(),
                                Words.date(o.start()),
                                o.agencyName()));
                    }
                }
            }
            return out;
        }
    }

    /**
     * A child younger than the age at the incident's start. The date of birth as the records hold it, partial dates
     * as the range they allow; records that disagree widen the range. Undecided when no record has a date of birth,
     * or the range straddles the age.
     */
    static final class UnderAgeMissing implements Rule {
        public String code() {
            return "under-13";
        }

        public int weight() {
            return 3;
        }

        public List<Finding> evaluate(ChildFacts facts, RuleSettings s) {
            LocalDate earliest = null;
            LocalDate latest = null;
            for (ChildFacts.Rec r : facts.records()) {
                if (r.dobYear() == null) {
                    continue;
                }
                LocalDate lo = LocalDate.of(
                        r.dobYear(),
                        r.dobMonth() == null ? 1 : r.dobMonth(),
                        r.dobDay() == null || r.dobMonth() == null ? 1 : r.dobDay());
                LocalDate hi = r.dobMonth() == null
                        ? LocalDate.of(r.dobYear(), 12, 31)
                        : r.dobDay() == null
                                ? LocalDate.of(r.dobYear(), r.dobMonth(), 1)
                                        .plusMonths(1)
                                        .minusDays(1)
                                : lo;
                earliest = earliest == null || lo.isBefore(earliest) ? lo : earliest;
                latest = latest == null || hi.isAfter(latest) ? hi : latest;
            }
            List<Incident> incidents = facts.incidents();
            if (incidents.isEmpty()) {
                return List.of();
            }
            if (earliest == null) {
                return List.of(Finding.undecided(this, "dob", Integer.toString(s.underAge())));
            }
            List<Finding> out = new ArrayList<>();
            boolean straddles = false;
            for (Incident i : incidents) {
                LocalDate day = LocalDate.ofInstant(i.start(), ClockConfiguration.DISPLAY_ZONE);
                int oldest = Period.between(earliest, day).getYears();
                int youngest = Period.between(latest, day).getYears();
                if (oldest < s.underAge()) {
                    out.add(Finding.fired(
                            this,
                            Long.toString(i.key()),
                            i.start(),
                            ids(i),
                            List.of(),
                            Words.date(i.start()),
                            i.agencies(),
                            Integer.toString(Math.max(youngest, 0)),
                            Integer.toString(s.underAge())));
                } else if (youngest < s.underAge()) {
                    straddles = true;
                }
            }
            if (straddles) {
                out.add(Finding.undecided(this, "dob-partial", Integer.toString(s.underAge())));
            }
            return out;
        }
    }
}
