package org.sightline.concern;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.sightline.shared.Violation;

/**
 * Scores a screening: a pure function of the instrument, the answers and the child's age, so the same inputs
 * always give the same band and every point can be explained item by item.
 */
public final class ScreeningScorer {

    private ScreeningScorer() {}

    /** Per item: the windows chosen and the points they earn. */
    public record ItemScore(String itemId, List<String> windows, int points) {}

    public record SectionScore(String sectionId, int points, List<ItemScore> items) {}

    /**
     * {@code scoreBand} is the band the total falls in; {@code band} is after the rules ({@code rulesApplied}),
     * never lower than {@code scoreBand}. {@code rulesNotChecked} lists age rules that could not be applied because
     * the age is unknown, so the page can say so.
     */
    public record Result(
            int score,
            String scoreBand,
            String band,
            List<SectionScore> sections,
            List<String> rulesApplied,
            List<String> rulesNotChecked) {}

    /** Answers naming items or windows the instrument does not have, one violation each. */
    public static List<Violation> validate(ScreeningInstrument instrument, Map<String, Set<String>> answers) {
        List<Violation> violations = new ArrayList<>();
        answers.forEach((itemId, windows) -> {
            var section = instrument.sectionOf(itemId);
            if (section.isEmpty()) {
                violations.add(
                        new Violation("answers." + itemId, "unknown-item", "is not an item of " + instrument.key()));
                return;
            }
            for (String w : windows == null ? Set.<String>of() : windows) {
                if (section.get().window(w).isEmpty()) {
                    violations.add(new Violation(
                            "answers." + itemId,
                            "unknown-window",
                            "time window must be one of "
                                    + section.get().windows().stream()
                                            .map(ScreeningInstrument.Window::id)
                                            .toList()));
                }
            }
        });
        return violations;
    }

    /**
     * @param answers item id → windows in which it was seen (absent or empty: not seen); must pass {@link #validate}
     * @param ageYears the child's age in whole years at the screening, or null when unknown
     */
    public static Result score(ScreeningInstrument instrument, Map<String, Set<String>> answers, Integer ageYears) {
        List<SectionScore> sections = new ArrayList<>();
        int total = 0;
        for (ScreeningInstrument.Section section : instrument.sections()) {
            List<ItemScore> items = new ArrayList<>();
            int sectionPoints = 0;
            for (ScreeningInstrument.Item item : section.items()) {
                Set<String> chosen = answers.getOrDefault(item.id(), Set.of());
                if (chosen == null || chosen.isEmpty()) {
                    continue;
                }
                // Windows in the instrument's order, so the breakdown reads the same whatever order answers came in.
                List<String> windows = new ArrayList<>();
                int points = 0;
                for (ScreeningInstrument.Window w : section.windows()) {
                    if (chosen.contains(w.id())) {
                        windows.add(w.id());
                        points += w.points();
                    }
                }
                items.add(new ItemScore(item.id(), List.copyOf(windows), points));
                sectionPoints += points;
            }
            sections.add(new SectionScore(section.id(), sectionPoints, List.copyOf(items)));
            total += sectionPoints;
        }
        String scoreBand = instrument.bandForScore(total).id();
        String band = scoreBand;
        List<String> applied = new ArrayList<>();
        List<String> notChecked = new ArrayList<>();
        for (ScreeningInstrument.Rule rule : instrument.rules()) {
            boolean holds = true;
            if (rule.anyAnsweredInSection() != null) {
                holds = sections.stream()
                        .anyMatch(s -> s.sectionId().equals(rule.anyAnsweredInSection())
                                && !s.items().isEmpty());
            }
            if (holds && !rule.anyAnswered().isEmpty()) {
                holds = rule.anyAnswered().stream()
                        .anyMatch(i -> answers.get(i) != null && !answers.get(i).isEmpty());
            }
            if (holds && rule.ageAtMost() != null) {
                if (ageYears == null) {
                    notChecked.add(rule.id());
                    holds = false;
                } else {
                    holds = ageYears <= rule.ageAtMost();
                }
            }
            if (holds) {
                applied.add(rule.id());
                if (instrument.rank(rule.minBand()) > instrument.rank(band)) {
                    band = rule.minBand();
                }
            }
        }
        return new Result(total, scoreBand, band, List.copyOf(sections), List.copyOf(applied), List.copyOf(notChecked));
    }
}
