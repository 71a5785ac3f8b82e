package org.sightline.concern;

import java.util.List;
import java.util.Optional;

/**
 * A versioned screening instrument as loaded from its YAML definition (screening/README.md): sections of items,
 * each answered with zero or more time windows that carry points, bands by total score, and rules that raise the
 * band whatever the score. Immutable; screenings name the code and version they were scored with.
 */
public record ScreeningInstrument(
        String code,
        int version,
        String name,
        int reassessAfterMonths,
        List<Section> sections,
        List<Band> bands,
        List<Rule> rules) {

    public record Section(String id, String title, String hint, List<Window> windows, List<Item> items) {

        public Optional<Window> window(String id) {
            return windows.stream().filter(w -> w.id().equals(id)).findFirst();
        }
    }

    /** When an item was seen, and what that is worth. */
    public record Window(String id, String label, int points) {}

    public record Item(String id, String label) {}

    /** Scores from {@code min} up to the next band's min (the last band is open-ended). */
    public record Band(String id, String label, int min) {}

    /**
     * Raises the band to at least {@code minBand} when every condition given holds: the child's age is at most
     * {@code ageAtMost} (never holds when the age is unknown), any item of {@code anyAnsweredInSection} is answered,
     * any of {@code anyAnswered} is answered.
     */
    public record Rule(
            String id,
            String label,
            String minBand,
            Integer ageAtMost,
            String anyAnsweredInSection,
            List<String> anyAnswered) {}

    public String key() {
        return code + "/v" + version;
    }

    public Optional<Section> section(String id) {
        return sections.stream().filter(s -> s.id().equals(id)).findFirst();
    }

    public Optional<Band> band(String id) {
        return bands.stream().filter(b -> b.id().equals(id)).findFirst();
    }

    /** Band order: the index in {@link #bands()}, lowest first. */
    public int rank(String bandId) {
        for (int i = 0; i < bands.size(); i++) {
            if (bands.get(i).id().equals(bandId)) {
                return i;
            }
        }
        throw new IllegalArgumentException("no band " + bandId + " in " + key());
    }

    /** A band's score range as the instrument defines it: {@code max} is null for the open-ended top band. */
    public record BandRange(String id, String label, int min, Integer max) {}

    /** The bands with their score ranges, lowest first: the thresholds the screening pages show. */
    public List<BandRange> bandRanges() {
        List<BandRange> ranges = new java.util.ArrayList<>();
        for (int i = 0; i < bands.size(); i++) {
            Band b = bands.get(i);
            ranges.add(new BandRange(
                    b.id(),
                    b.label(),
                    b.min(),
                    i + 1 < bands.size() ? bands.get(i + 1).min() - 1 : null));
        }
        return ranges;
    }

    public Band bandForScore(int score) {
        Band result = bands.get(0);
        for (Band b : bands) {
            if (score >= b.min()) {
                result = b;
            }
        }
        return result;
    }

    /** The section holding an item; item ids are unique across an instrument. */
    public Optional<Section> sectionOf(String itemId) {
        return sections.stream()
                .filter(s -> s.items().stream().anyMatch(i -> i.id().equals(itemId)))
                .findFirst();
    }

    // Label look-ups for pages: stored screenings are shown with their own version's wording.

    public String bandLabel(String id) {
        return band(id).map(Band::label).orElse(id);
    }

    public String sectionTitle(String id) {
        return section(id).map(Section::title).orElse(id);
    }

    public String itemLabel(String id) {
        return sections.stream()
                .flatMap(s -> s.items().stream())
                .filter(i -> i.id().equals(id))
                .findFirst()
                .map(Item::label)
                .orElse(id);
    }

    public String windowLabel(String sectionId, String windowId) {
        return section(sectionId)
                .flatMap(s -> s.window(windowId))
                .map(Window::label)
                .orElse(windowId);
    }

    public String ruleLabel(String id) {
        return rules.stream()
                .filter(r -> r.id().equals(id))
                .findFirst()
                .map(Rule::label)
                .orElse(id);
    }

    /** GOV.UK tag colour for a band: green for the lowest through red for the highest, whatever the band count. */
    public String bandTagClass(String id) {
        String[] colours = {"govuk-tag--green", "govuk-tag--yellow", "govuk-tag--orange", "govuk-tag--red"};
        int rank = band(id).isPresent() ? rank(id) : 0;
        int last = Math.max(1, bands.size() - 1);
        return colours[Math.round((float) rank * (colours.length - 1) / last)];
    }
}
