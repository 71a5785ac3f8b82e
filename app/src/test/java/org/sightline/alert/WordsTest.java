package org.sightline.alert;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import org.junit.jupiter.api.Test;

/** Stored explanations keep English dates; a Welsh page shows them with Welsh month names. */
class WordsTest {

    private static final Locale WELSH = Locale.forLanguageTag("cy-GB");

    @Test
    void datesInAStoredExplanationAreShownInWelsh() {
        assertThat(Words.inLanguage("1 November 2026 (Kent Police); 23 May 2026 (Kent County Council)", WELSH))
                .isEqualTo("1 Tachwedd 2026 (Kent Police); 23 Mai 2026 (Kent County Council)");
        assertThat(Words.inLanguage(new Object[] {"3", "7 March 2025", 12}, WELSH))
                .containsExactly("3", "7 Mawrth 2025", 12);
    }

    @Test
    void englishAndTextWithoutDatesAreUnchanged() {
        assertThat(Words.inLanguage("1 November 2026", Locale.UK)).isEqualTo("1 November 2026");
        assertThat(Words.inLanguage("May Street, 2026 visits", WELSH)).isEqualTo("May Street, 2026 visits");
        assertThat(Words.inLanguage((String) null, WELSH)).isNull();
    }
}
