package org.sightline.alert;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.sightline.alert.ChildFacts.Episode;
import org.sightline.alert.ChildFacts.Link;
import org.sightline.alert.ChildFacts.Placement;
import org.sightline.alert.ChildFacts.Rec;
import org.sightline.alert.ChildFacts.Screening;
import org.sightline.web.MessageBundleTestAccess;

/** Each rule on plain facts: fires, does not fire, does not decide on unknowns, and does not fire twice. */
class AlertRulesTest {

    static final Instant NOW = Instant.parse("2026-11-20T12:00:00Z");
    static final RuleSettings S = RuleSettings.defaults();
    static final long MET = 1;
    static final long KENT = 2;
    static final long AUTHORITY = 3;
    static final long PROVIDER = 4;

    /** A builder of one child's facts, times relative to NOW. */
    static final class Facts {
        final List<Rec> records = new ArrayList<>();
        final List<Placement> placements = new ArrayList<>();
        final List<Episode> episodes = new ArrayList<>();
        final List<Screening> screenings = new ArrayList<>();
        final List<Link> links = new ArrayList<>();
        final List<ChildFacts.AssociatedEpisode> together = new ArrayList<>();
        long ids = 100;

        Facts record(long agency, String type, Integer year, Integer month, Integer day, String care) {
            records.add(new Rec(ids++, agency, type, "A" + agency, name(agency), year, month, day, care, null));
            return this;
        }

        Facts episode(
                long agency,
                String type,
                Instant start,
                Instant found,
                String from,
                String interview,
                Instant interviewAt,
                Long foundBy) {
            episodes.add(new Episode(
                    ids++,
                    agency,
                    name(agency),
                    type,
                    start,
                    found,
                    from,
                    interview,
                    interviewAt,
                    foundBy,
                    foundBy == null ? null : name(foundBy)));
            return this;
        }

        Facts missing(long agency, Instant start, Instant found) {
            return episode(
                    agency,
                    agency == MET || agency == KENT ? "police_force" : "local_authority",
                    start,
                    found,
                    "home",
                    "completed",
                    found,
                    null);
        }

        ChildFacts build() {
            return new ChildFacts(NOW, records, placements, episodes, screenings, links, together);
        }
    }

    static String name(long agency) {
        return agency == MET
                ? "Met"
                : agency == KENT ? "Kent" : agency == AUTHORITY ? "Kent County Council" : "Oak Homes";
    }

    static Instant daysAgo(long d) {
        return NOW.minus(Duration.ofDays(d));
    }

    static List<Finding> run(String rule, ChildFacts facts) {
        return Rules.byCode(rule).evaluate(facts, S);
    }

    static List<Finding> fired(String rule, ChildFacts facts) {
        return run(rule, facts).stream()
                .filter(f -> f.outcome() == Finding.Outcome.FIRED)
                .toList();
    }

    static List<Finding> undecided(String rule, ChildFacts facts) {
        return run(rule, facts).stream()
                .filter(f -> f.outcome() == Finding.Outcome.UNDECIDED)
                .toList();
    }

    // ---- repeat missing

    @Test
    void repeatMissingFiresOnTheThirdIncidentInNinetyDaysNamingEach() {
        ChildFacts f = new Facts()
                .record(MET, "police_force", 2011, 4, 2, "not_recorded")
                .missing(MET, Instant.parse("2026-10-02T18:00:00Z"), Instant.parse("2026-10-03T09:00:00Z"))
                .missing(KENT, Instant.parse("2026-10-19T18:00:00Z"), Instant.parse("2026-10-20T09:00:00Z"))
                .missing(MET, Instant.parse("2026-11-01T18:00:00Z"), Instant.parse("2026-11-02T09:00:00Z"))
                .build();
        List<Finding> out = fired("repeat-missing", f);
        assertThat(out).hasSize(1);
        assertThat(out.get(0).args())
                .containsExactly("3", "90", "2 October 2026 (Met); 19 October 2026 (Kent); 1 November 2026 (Met)");
        assertThat(out.get(0).causeKey())
                .isEqualTo("repeat-missing:" + f.episodes().get(2).id());
    }

    @Test
    void repeatMissingDoesNotFireOutsideTheWindowNorCountOneIncidentTwice() {
        ChildFacts spread = new Facts()
                .missing(MET, daysAgo(200), daysAgo(199))
                .missing(MET, daysAgo(100), daysAgo(99))
                .missing(MET, daysAgo(5), daysAgo(4))
                .build();
        assertThat(run("repeat-missing", spread)).isEmpty();
        // Police and authority recorded the same two periods: two incidents, not four episodes.
        ChildFacts twice = new Facts()
                .missing(MET, daysAgo(20), daysAgo(19))
                .missing(AUTHORITY, daysAgo(20).plusSeconds(3600), daysAgo(19))
                .missing(MET, daysAgo(5), daysAgo(4))
                .missing(AUTHORITY, daysAgo(5).plusSeconds(600), daysAgo(4))
                .build();
        assertThat(run("repeat-missing", twice)).isEmpty();
    }

    @Test
    void repeatMissingFiresOncePerIncidentWhateverTheNumberOfRecords() {
        Facts b = new Facts()
                .missing(MET, daysAgo(30), daysAgo(29))
                .missing(MET, daysAgo(20), daysAgo(19))
                .missing(MET, daysAgo(10), daysAgo(9))
                .missing(KENT, daysAgo(10).plusSeconds(60), daysAgo(9))
                .missing(AUTHORITY, daysAgo(10).plusSeconds(120), daysAgo(9));
        List<Finding> out = fired("repeat-missing", b.build());
        assertThat(out).hasSize(1);
        // Evaluating the same facts again gives the same cause: the database's unique key raises it once.
        assertThat(fired("repeat-missing", b.build()).get(0).causeKey())
                .isEqualTo(out.get(0).causeKey());
    }

    // ---- looked-after child missing over 24 hours

    @Test
    void lookedAfterChildMissingOverADayFiresAndOthersDoNot() {
        ChildFacts lac = new Facts()
                .record(AUTHORITY, "local_authority", 2011, 1, 1, "looked_after")
                .missing(MET, NOW.minus(Duration.ofHours(30)), null)
                .build();
        List<Finding> out = fired("looked-after-missing", lac);
        assertThat(out).hasSize(1);
        assertThat(out.get(0).args().get(2)).isEqualTo("30");
        ChildFacts shortly = new Facts()
                .record(AUTHORITY, "local_authority", 2011, 1, 1, "looked_after")
                .missing(MET, NOW.minus(Duration.ofHours(20)), null)
                .build();
        assertThat(run("looked-after-missing", shortly)).isEmpty();
        ChildFacts notLac = new Facts()
                .record(AUTHORITY, "local_authority", 2011, 1, 1, "not_looked_after")
                .missing(MET, NOW.minus(Duration.ofHours(30)), null)
                .build();
        assertThat(run("looked-after-missing", notLac)).isEmpty();
    }

    @Test
    void lookedAfterRuleSaysCareStatusIsNotRecordedRatherThanNo() {
        ChildFacts unknown = new Facts()
                .record(MET, "police_force", 2011, 1, 1, "not_recorded")
                .missing(MET, NOW.minus(Duration.ofHours(30)), null)
                .build();
        assertThat(fired("looked-after-missing", unknown)).isEmpty();
        assertThat(undecided("looked-after-missing", unknown))
                .singleElement()
                .extracting(Finding::messageKey)
                .isEqualTo("alert.rule.looked-after-missing.undecided.care-status");
        // A current placement says looked after even where no record has the care status.
        Facts placed = new Facts()
                .record(MET, "police_force", 2011, 1, 1, "not_recorded")
                .missing(MET, NOW.minus(Duration.ofHours(30)), null);
        placed.placements.add(new Placement(100, PROVIDER, "care_provider", LocalDate.of(2026, 1, 1), null, "X"));
        assertThat(fired("looked-after-missing", placed.build())).hasSize(1);
    }

    // ---- place connected to other children

    static Link place(int others, int otherArea, int unknown) {
        return new Link(
                7,
                "location",
                70,
                "LOC-1",
                "Flat 3, Brook House",
                "ME1 1AA",
                "found_at",
                KENT,
                "Kent",
                "police_force",
                daysAgo(2),
                others,
                otherArea,
                unknown);
    }

    @Test
    void placeLinkedToTwoOtherMissingChildrenFiresWithTheirAreasCounted() {
        Facts b = new Facts();
        b.links.add(place(2, 1, 0));
        List<Finding> out = fired("place-linked", b.build());
        assertThat(out).singleElement().satisfies(f -> {
            assertThat(f.args())
                    .containsExactly(
                            "found at", "Flat 3, Brook House, ME1 1AA", "18 November 2026", "Kent", "2", "1", "0");
            assertThat(f.agencyIds()).containsExactly(KENT);
        });
        Facts one = new Facts();
        one.links.add(place(1, 1, 0));
        assertThat(run("place-linked", one.build())).isEmpty();
        Facts twice = new Facts();
        twice.links.add(place(2, 0, 2));
        twice.links.add(place(3, 0, 3)); // the same association seen again: the same cause
        assertThat(fired("place-linked", twice.build()).stream()
                        .map(Finding::causeKey)
                        .distinct())
                .hasSize(1);
        assertThat(fired("place-linked", twice.build()).get(0).messageKey())
                .as("the text says for how many the area is not recorded")
                .isEqualTo("alert.rule.place-linked.fired-unknown-areas");
    }

    // ---- adult of concern

    @Test
    void associationWithAnAdultOfConcernFiresOncePerAssociation() {
        Facts b = new Facts();
        b.links.add(new Link(
                9, "adult", 90, "ADULT-17", null, null, "associate", MET, "Met", "police_force", daysAgo(3), 0, 0, 0));
        assertThat(fired("adult-of-concern", b.build())).singleElement().satisfies(f -> assertThat(f.args())
                .containsExactly("ADULT-17", "associate", "Met", "17 November 2026"));
        Facts placeOnly = new Facts();
        placeOnly.links.add(place(0, 0, 0));
        assertThat(run("adult-of-concern", placeOnly.build())).isEmpty();
    }

    // ---- found outside the home force area

    @Test
    void foundByAnotherForceFiresAndRoutesToIt() {
        ChildFacts f = new Facts()
                .episode(MET, "police_force", daysAgo(3), daysAgo(2), "care", "not_offered", null, KENT)
                .build();
        assertThat(fired("found-outside-force", f)).singleElement().satisfies(x -> {
            assertThat(x.args()).containsExactly("17 November 2026", "Met", "18 November 2026", "Kent");
            assertThat(x.agencyIds()).containsExactly(KENT);
        });
        // A police "found at" link by another force within two days of the find says the same.
        Facts linked =
                new Facts().episode(MET, "police_force", daysAgo(3), daysAgo(2), "care", "not_offered", null, null);
        linked.links.add(place(0, 0, 0));
        assertThat(fired("found-outside-force", linked.build())).hasSize(1);
    }

    @Test
    void foundByTheHomeForceDoesNotFireAndAnUnrecordedFinderIsUndecided() {
        ChildFacts home = new Facts()
                .episode(MET, "police_force", daysAgo(3), daysAgo(2), "home", "completed", daysAgo(2), MET)
                .build();
        assertThat(run("found-outside-force", home)).isEmpty();
        ChildFacts unknown = new Facts()
                .episode(MET, "police_force", daysAgo(3), daysAgo(2), "home", "completed", daysAgo(2), null)
                .build();
        assertThat(undecided("found-outside-force", unknown))
                .singleElement()
                .extracting(Finding::messageKey)
                .isEqualTo("alert.rule.found-outside-force.undecided.finder");
        ChildFacts noPolice = new Facts()
                .episode(AUTHORITY, "local_authority", daysAgo(3), daysAgo(2), "care", "completed", daysAgo(2), null)
                .build();
        assertThat(undecided("found-outside-force", noPolice))
                .singleElement()
                .extracting(Finding::messageKey)
                .isEqualTo("alert.rule.found-outside-force.undecided.home-force");
    }

    // ---- return interview within 72 hours

    @Test
    void returnInterviewOutstandingAfterSeventyTwoHoursFires() {
        ChildFacts late = new Facts()
                .episode(MET, "police_force", daysAgo(6), daysAgo(5), "home", "offered", null, MET)
                .build();
        assertThat(fired("return-interview", late)).singleElement().satisfies(f -> assertThat(f.occurredAt())
                .isEqualTo(daysAgo(5).plus(Duration.ofHours(72))));
        ChildFacts notYetDue = new Facts()
                .episode(MET, "police_force", daysAgo(3), daysAgo(2), "home", "offered", null, MET)
                .build();
        assertThat(run("return-interview", notYetDue)).isEmpty();
        // The authority's record of the same incident holds the interview, done in time: nothing to say.
        ChildFacts doneElsewhere = new Facts()
                .episode(MET, "police_force", daysAgo(6), daysAgo(5), "home", "not_offered", null, MET)
                .episode(AUTHORITY, "local_authority", daysAgo(6), daysAgo(5), "home", "completed", daysAgo(4), null)
                .build();
        assertThat(run("return-interview", doneElsewhere)).isEmpty();
        ChildFacts completedLate = new Facts()
                .episode(MET, "police_force", daysAgo(10), daysAgo(9), "home", "completed", daysAgo(2), MET)
                .build();
        assertThat(fired("return-interview", completedLate))
                .singleElement()
                .extracting(Finding::messageKey)
                .isEqualTo("alert.rule.return-interview.late");
    }

    // ---- screening band

    @Test
    void significantLatestScreeningOfAnOpenConcernFires() {
        Facts b = new Facts();
        b.screenings.add(new Screening(50, AUTHORITY, "Kent County Council", "significant", daysAgo(1), true, true));
        b.screenings.add(new Screening(49, AUTHORITY, "Kent County Council", "significant", daysAgo(9), false, true));
        b.screenings.add(new Screening(48, AUTHORITY, "Kent County Council", "moderate", daysAgo(1), true, true));
        b.screenings.add(new Screening(47, AUTHORITY, "Kent County Council", "significant", daysAgo(1), true, false));
        assertThat(fired("screening-band", b.build())).singleElement().satisfies(f -> assertThat(f.causeKey())
                .isEqualTo("screening-band:50"));
    }

    // ---- missing together

    @Test
    void missingAtTheSameTimeAsAnAssociatedChildFires() {
        Facts b = new Facts().missing(MET, daysAgo(5), daysAgo(3));
        b.together.add(new ChildFacts.AssociatedEpisode(3, 900, daysAgo(4), daysAgo(2), "Kent"));
        b.together.add(new ChildFacts.AssociatedEpisode(3, 901, daysAgo(40), daysAgo(39), "Kent"));
        assertThat(fired("missing-together", b.build())).singleElement().satisfies(f -> assertThat(f.causeKey())
                .endsWith(":900"));
        Facts apart = new Facts().missing(MET, daysAgo(5), daysAgo(3));
        apart.together.add(new ChildFacts.AssociatedEpisode(3, 901, daysAgo(40), daysAgo(39), "Kent"));
        assertThat(run("missing-together", apart.build())).isEmpty();
    }

    // ---- under 13

    @Test
    void childUnderThirteenMissingFiresAndOlderDoesNot() {
        ChildFacts young = new Facts()
                .record(MET, "police_force", 2015, 3, 1, "not_recorded")
                .missing(MET, daysAgo(2), null)
                .build();
        assertThat(fired("under-13", young))
                .singleElement()
                .satisfies(f -> assertThat(f.args().get(2)).isEqualTo("11"));
        ChildFacts older = new Facts()
                .record(MET, "police_force", 2011, 3, 1, "not_recorded")
                .missing(MET, daysAgo(2), null)
                .build();
        assertThat(run("under-13", older)).isEmpty();
    }

    @Test
    void underThirteenIsUndecidedWithoutADateOfBirthOrWhenAPartialOneStraddlesTheBirthday() {
        ChildFacts none = new Facts()
                .record(MET, "police_force", null, null, null, "not_recorded")
                .missing(MET, daysAgo(2), null)
                .build();
        assertThat(undecided("under-13", none))
                .singleElement()
                .extracting(Finding::messageKey)
                .isEqualTo("alert.rule.under-13.undecided.dob");
        // Born in 2013: 13 from some day in 2026, so a November 2026 episode may or may not be under 13.
        ChildFacts partial = new Facts()
                .record(MET, "police_force", 2013, null, null, "not_recorded")
                .missing(MET, daysAgo(2), null)
                .build();
        assertThat(fired("under-13", partial)).isEmpty();
        assertThat(undecided("under-13", partial))
                .singleElement()
                .extracting(Finding::messageKey)
                .isEqualTo("alert.rule.under-13.undecided.dob-partial");
    }

    // ---- settings and texts

    @Test
    void thresholdsComeFromSettingsAndARuleCanBeSwitchedOff() {
        ChildFacts two = new Facts()
                .missing(MET, daysAgo(20), daysAgo(19))
                .missing(MET, daysAgo(5), daysAgo(4))
                .build();
        RuleSettings twoIn30 = new RuleSettings(Set.of(), 2, 30, 24, 2, 72, Set.of("significant"), 13, Map.of());
        assertThat(Rules.byCode("repeat-missing").evaluate(two, twoIn30)).hasSize(1);
        RuleSettings off =
                new RuleSettings(Set.of("repeat-missing"), 2, 30, 24, 2, 72, Set.of("significant"), 13, Map.of());
        assertThat(AlertEvaluator.findings(two, off)).noneMatch(f -> f.rule().equals("repeat-missing"));
        // Off in one area: not for a child of that area, still for a child of another or of an unknown area.
        RuleSettings offInKent = new RuleSettings(
                Set.of(), 2, 30, 24, 2, 72, Set.of("significant"), 13, Map.of("repeat-missing", Set.of("KENT")));
        Facts kentChild = new Facts().missing(MET, daysAgo(20), daysAgo(19)).missing(MET, daysAgo(5), daysAgo(4));
        kentChild.records.add(
                new Rec(1, AUTHORITY, "local_authority", "KENT", "Kent", 2011, 1, 1, "looked_after", "KENT"));
        assertThat(AlertEvaluator.findings(kentChild.build(), offInKent))
                .noneMatch(f -> f.rule().equals("repeat-missing"));
        assertThat(AlertEvaluator.findings(two, offInKent))
                .anyMatch(f -> f.rule().equals("repeat-missing"));
    }

    @Test
    void everyRuleHasItsNameAndTextsInTheBundle() throws IOException {
        Properties messages = MessageBundleTestAccess.allMessages();
        for (Rule rule : Rules.ALL) {
            assertThat(messages)
                    .containsKeys("alert.rule." + rule.code() + ".name", "alert.rule." + rule.code() + ".fired");
        }
        assertThat(messages)
                .containsKeys(
                        "alert.rule.return-interview.late",
                        "alert.rule.place-linked.fired-unknown-areas",
                        "alert.rule.looked-after-missing.undecided.care-status",
                        "alert.rule.found-outside-force.undecided.finder",
                        "alert.rule.found-outside-force.undecided.home-force",
                        "alert.rule.under-13.undecided.dob",
                        "alert.rule.under-13.undecided.dob-partial");
    }
}
