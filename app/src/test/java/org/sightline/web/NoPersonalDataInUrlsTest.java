package org.sightline.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Forms that send what a person typed use POST, so names, dates of birth and numbers never land in URLs (history,
 * server and proxy logs, referrers). GET forms are allowed only where they carry no personal data.
 */
class NoPersonalDataInUrlsTest {

    /** Template -> why its GET form is harmless. */
    private static final Set<String> ALLOWED_GET_FORMS = Set.of(
            "audit/trail.html", // staff user names, action codes, random ids
            "ssda903/ssda903.html", // a collection year
            "concern/link-kind.html", // a kind of thing to link
            "identity/reviews.html", // review-queue filters: state, agency code, band, age of the pair
            "alerts/list.html", // inbox filters: state and rule codes
            "alerts/meeting.html", // meeting list filters: area code and dates
            "statistics/statistics.html", // an area code and dates of a period, shareable by design (issue 9)
            "network/hotspots.html", // a kind of hotspot, an area code and dates
            "network/graph.html", // steps, dates and association types (the start is a random public id)
            "network/flows.html", // dates of a period
            "network/meeting-pack.html", // an area code and dates of a period
            "retention/list.html", // record type and agency code filters, a page number
            "agency/agencies.html" // part of an agency's name or code (organisations, not people), a page number
            );

    @Test
    void onlyHarmlessFormsUseGet() throws IOException {
        Path root = Path.of("src/main/resources/templates");
        List<String> getForms;
        try (Stream<Path> files = Files.walk(root)) {
            getForms = files.filter(p -> p.toString().endsWith(".html"))
                    .filter(p -> read(p).contains("method=\"get\""))
                    .map(p -> root.relativize(p).toString().replace('\\', '/'))
                    .toList();
        }
        assertThat(getForms).isNotEmpty().allSatisfy(t -> assertThat(ALLOWED_GET_FORMS)
                .contains(t));
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
