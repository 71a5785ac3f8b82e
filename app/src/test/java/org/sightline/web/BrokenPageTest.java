package org.sightline.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sightline.support.IntegrationTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.web.servlet.View;
import org.thymeleaf.spring6.view.ThymeleafViewResolver;

/**
 * A page whose template fails after much of it was written must not have sent any of it, so that the error page
 * (status 500) can still answer. Streamed as it rendered, a hotspots page that failed near its end had already sent
 * its first part with status 200: the browser showed half a page and waited on it for 30 s and more.
 */
@IntegrationTest
class BrokenPageTest {

    @Autowired
    ThymeleafViewResolver views;

    @Test
    void aTemplateThatFailsLateHasSentNothing() throws Exception {
        View view = views.resolveViewName("test-support/broken", Locale.UK);
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/any");
        MockHttpServletResponse response = new MockHttpServletResponse();
        response.setBufferSize(4096); // a server's buffer: written past it, a response is committed
        Map<String, Object> model = Map.of("rows", Collections.nCopies(2_000, "A line of the page before it breaks."));

        assertThatThrownBy(() -> view.render(model, request, response)).hasMessageContaining("noSuchMethod");
        assertThat(response.isCommitted()).isFalse();
        assertThat(response.getContentAsString()).isEmpty();
    }
}
