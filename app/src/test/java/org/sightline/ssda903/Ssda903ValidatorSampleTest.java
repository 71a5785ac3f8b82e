package org.sightline.ssda903;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.sightline.ssda903.Ssda903ExportService.ExportReport;
import org.sightline.ssda903.Ssda903ImportService.ImportReport;
import org.sightline.support.IntegrationTest;
import org.sightline.support.TestData;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The DfE validator's own public fake return (an excerpt, see {@code ssda903/validator-sample/NOTICE.md}, MIT):
 * imported for 2018 and exported again, it comes back row for row and value for value; its two-digit DEC years are
 * the one thing read differently, and the import report says so.
 */
@IntegrationTest
class Ssda903ValidatorSampleTest {

    private static final CollectionYear YEAR = new CollectionYear(2018);
    private static final Pattern TWO_DIGIT_YEAR = Pattern.compile("(?<=,)(\\d\\d/\\d\\d)/(\\d\\d)(?=,)");

    @Autowired
    Ssda903ImportService imports;

    @Autowired
    Ssda903ExportService exports;

    @Autowired
    TestData data;

    private static String resource(String name) throws IOException {
        try (InputStream in =
                Ssda903ValidatorSampleTest.class.getResourceAsStream("/ssda903/validator-sample/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static InputStream in(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
    }

    private static List<String> rows(String csv) {
        List<String> lines = new ArrayList<>(Arrays.asList(csv.replace("\r", "").split("\n")));
        lines.remove(0);
        lines.removeIf(String::isBlank);
        lines.sort(null);
        return lines;
    }

    /** The sample's dd/mm/yy dates with their century, worked out here: every year in it is 2016 to 2018. */
    private static String withCentury(String csv) {
        Matcher m = TWO_DIGIT_YEAR.matcher(csv);
        return m.replaceAll(r -> r.group(1) + "/20" + r.group(2));
    }

    @Test
    void theValidatorsSampleComesBackRowForRowAndValueForValue() throws IOException {
        String la = data.agency("local_authority");
        String header = resource("header.csv");
        String episodes = resource("episodes.csv");
        long twoDigitDecs = rows(episodes).stream()
                .filter(r -> r.split(",", -1)[7].matches("\\d\\d/\\d\\d/\\d\\d"))
                .count();
        assertThat(twoDigitDecs).isGreaterThan(40);

        ImportReport imported = imports.importAsOperator(
                "test", la, YEAR, new Ssda903ImportService.Files(in(header), in(episodes), null));

        assertThat(imported.errors()).as("refused rows").isEmpty();
        assertThat(imported.files())
                .extracting(Ssda903ImportService.FileCounts::received, Ssda903ImportService.FileCounts::created)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(
                                rows(header).size(), rows(header).size()),
                        org.assertj.core.groups.Tuple.tuple(
                                rows(episodes).size(), rows(episodes).size()));
        assertThat(imported.notices())
                .extracting(n -> n.file() + " " + n.line() + " " + n.text())
                .containsExactly("episodes 0 DEC: " + twoDigitDecs + " date(s) with a two-digit year (dd/mm/yy) read "
                        + "with the century that puts them in the return's years, e.g. 24/04/17 as 24/04/2017");

        ExportReport exported = exports.exportAsOperator("test", la, YEAR);
        assertThat(rows(Ssda903ExportService.csv(exported.data(), "header"))).isEqualTo(rows(header));
        assertThat(rows(Ssda903ExportService.csv(exported.data(), "episodes"))).isEqualTo(rows(withCentury(episodes)));
        assertThat(exported.notes())
                .as("no adjustment to a return that was imported")
                .isEmpty();
        // What the sample breaks of the rules Sightline checks, as its own validator would report it: listed here so
        // that a change in a rule's reading shows.
        assertThat(imported.ruleTotals())
                .isEqualTo(exported.failures().stream()
                        .collect(java.util.stream.Collectors.groupingBy(
                                Ssda903ExportService.Failure::rule,
                                java.util.LinkedHashMap::new,
                                java.util.stream.Collectors.summingInt(f -> 1))));
    }
}
