package org.sightline.support;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Every browser test leans on {@link Browser#check}: it must fail on a page axe finds serious faults in, and pass a
 * clean one. Two pages written here, so the verdict does not depend on the application's templates.
 */
@Tag(IntegrationTest.TAG)
class BrowserCheckTest {

    private static final String HEAD = "<!DOCTYPE html><html lang=\"en\"><head><title>Guard</title></head><body><main>";
    private static final String TAIL = "</main></body></html>";

    @Test
    void failsOnAnImageWithoutTextAndFaintText() {
        try (Browser browser = Browser.open()) {
            browser.page.setContent(HEAD
                    + "<h1>Guard</h1><img src=\"data:image/gif;base64,R0lGODlhAQABAAAAACw=\">"
                    + "<p style=\"color:#c8c8c8;background:#ffffff\">Faint grey words on white</p>" + TAIL);
            assertThatThrownBy(() -> browser.check("guard-faulty"))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("image-alt")
                    .hasMessageContaining("color-contrast");
        }
    }

    @Test
    void passesACleanPage() {
        try (Browser browser = Browser.open()) {
            browser.page.setContent(HEAD + "<h1>Guard</h1><p>Plain words, dark on white.</p>" + TAIL);
            assertThatCode(() -> browser.check("guard-clean")).doesNotThrowAnyException();
        }
    }
}
