package org.sightline.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Accept-Language chooses between English and Welsh only, in the browser's order of preference. */
class LanguageResolverTest {

    @Test
    void theFirstOfEnglishAndWelshTheBrowserAcceptsWins() {
        assertThat(LanguageResolver.fromBrowser("cy-GB,cy;q=0.9,en;q=0.5")).isEqualTo("cy");
        assertThat(LanguageResolver.fromBrowser("en-GB,en;q=0.9,cy;q=0.8")).isEqualTo("en");
        assertThat(LanguageResolver.fromBrowser("de-DE,de;q=0.9,cy;q=0.3,en;q=0.1"))
                .isEqualTo("cy");
        assertThat(LanguageResolver.fromBrowser("en;q=0.2, cy;q=0.7")).isEqualTo("cy");
    }

    @Test
    void otherwiseEnglishNeverTheMachinesLocale() {
        assertThat(LanguageResolver.fromBrowser("fr-FR,fr;q=0.9")).isEqualTo("en");
        assertThat(LanguageResolver.fromBrowser("cy;q=0, fr")).isEqualTo("en");
        assertThat(LanguageResolver.fromBrowser(null)).isEqualTo("en");
        assertThat(LanguageResolver.fromBrowser("")).isEqualTo("en");
        assertThat(LanguageResolver.fromBrowser("not a ;;; header===")).isEqualTo("en");
    }

    @Test
    void switchLinksKeepTheOtherParametersAndRedirectsDropTheSwitch() {
        assertThat(LanguageConfiguration.switchTo("/records", "page=2&lang=en&q=a%20b", "cy"))
                .isEqualTo("/records?page=2&q=a%20b&lang=cy");
        assertThat(LanguageConfiguration.switchTo("/", null, "en")).isEqualTo("/?lang=en");
        assertThat(LanguageConfiguration.switchTo("/sign-in", "error", "cy")).isEqualTo("/sign-in?error&lang=cy");
    }
}
