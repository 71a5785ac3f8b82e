package org.sightline.concern;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The shipped instrument: indicators carried into the screening by when the concern was raised; band thresholds. */
class ScreeningPrefillTest {

    private static final LocalDate TODAY = LocalDate.of(2026, 12, 1);

    private static ScreeningInstrument seraf() throws Exception {
        try (InputStream in = ScreeningPrefillTest.class.getResourceAsStream("/screening/seraf-v1.yaml")) {
            return InstrumentLoader.load("screening/seraf-v1.yaml", in);
        }
    }

    @Test
    void aRecentConcernsIndicatorsCountInTheLastSixMonths() throws Exception {
        Map<String, Set<String>> answers = ScreeningController.fromIndicators(
                seraf(), List.of("cars_unknown_adults", "substance_misuse", "not_an_item"), TODAY.minusDays(3), TODAY);
        assertThat(answers)
                .containsOnly(
                        Map.entry("cars_unknown_adults", Set.of("last_6_months")),
                        Map.entry("substance_misuse", Set.of("last_6_months")));
    }

    @Test
    void olderConcernsCountInTheirPeriodOrNotAtAll() throws Exception {
        // Raised 8 months ago: significant items fall in "6 to 12 months"; moderate items (last 6 months only) drop.
        assertThat(ScreeningController.fromIndicators(
                        seraf(), List.of("cars_unknown_adults", "substance_misuse"), TODAY.minusMonths(8), TODAY))
                .containsOnly(Map.entry("cars_unknown_adults", Set.of("months_6_to_12")));
        assertThat(ScreeningController.fromIndicators(
                        seraf(), List.of("cars_unknown_adults"), TODAY.minusMonths(13), TODAY))
                .isEmpty();
    }

    @Test
    void bandRangesFollowTheYaml() throws Exception {
        // seraf-v1.yaml: not_at_risk 0, mild 6, moderate 11, significant 16.
        assertThat(seraf().bandRanges())
                .containsExactly(
                        new ScreeningInstrument.BandRange("not_at_risk", "Not at risk", 0, 5),
                        new ScreeningInstrument.BandRange("mild", "Mild risk", 6, 10),
                        new ScreeningInstrument.BandRange("moderate", "Moderate risk", 11, 15),
                        new ScreeningInstrument.BandRange("significant", "Significant risk", 16, null));
    }
}
