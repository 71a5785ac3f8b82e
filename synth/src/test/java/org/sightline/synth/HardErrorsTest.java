package org.sightline.synth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@code --errors hard}: the documented extra errors at about their rates, the default output left as it was. */
class HardErrorsTest {

    private static List<String[]> personRecords(SynthConfig config) {
        List<String[]> rows = new ArrayList<>();
        new Generator(config)
                .generate(
                        (t, row) -> {
                            if (t == Table.PERSON_RECORDS) {
                                rows.add(row);
                            }
                        },
                        ProgressListener.NONE);
        return rows;
    }

    @Test
    void hardRecordsMissAndGarbleFieldsAtTheDocumentedRates() {
        List<String[]> hard = personRecords(SynthConfig.of(3_000, 9).withErrors(SynthConfig.Errors.HARD));
        int n = hard.size();
        int noFamily = 0, noDob = 0, impossible = 0, fullNameOnly = 0;
        Map<String, Set<Boolean>> agencyStyle = new HashMap<>();
        for (String[] r : hard) {
            boolean full = r[2].strip().contains(" ") && r[4].isEmpty() && r[3].isEmpty();
            fullNameOnly += full ? 1 : 0;
            noFamily += r[4].isEmpty() ? 1 : 0;
            noDob += r[6].isEmpty() ? 1 : 0;
            if (r[6].length() == 10) {
                try {
                    LocalDate.parse(r[6]);
                } catch (DateTimeException e) {
                    impossible++;
                }
            }
            if (!r[2].isBlank() && !r[4].isEmpty()) {
                agencyStyle.computeIfAbsent(r[1], k -> new HashSet<>()).add(false);
            } else if (full) {
                agencyStyle.computeIfAbsent(r[1], k -> new HashSet<>()).add(true);
            }
        }
        // 20% hard + the default profile's 1.5-3%
        assertThat((double) noDob / n).isBetween(0.19, 0.26);
        // 10% hard, plus every record of full-name-only agencies
        assertThat((double) noFamily / n).isBetween(0.11, 0.45);
        assertThat((double) impossible / n).isBetween(0.02, 0.07);
        assertThat(fullNameOnly).isGreaterThan(n / 20);
        // full-name-only is a property of the agency: no agency writes both ways
        assertThat(agencyStyle.values()).noneMatch(s -> s.size() > 1);
    }

    @Test
    void theDefaultProfileIsUntouched() {
        List<String[]> a = personRecords(SynthConfig.of(500, 4));
        List<String[]> b = personRecords(SynthConfig.of(500, 4).withErrors(SynthConfig.Errors.DEFAULT));
        List<String[]> hard = personRecords(SynthConfig.of(500, 4).withErrors(SynthConfig.Errors.HARD));
        assertThat(b).hasSameSizeAs(a);
        for (int i = 0; i < a.size(); i++) {
            assertThat(b.get(i)).containsExactly(a.get(i));
        }
        // hard changes the names and dates only: references, agencies and other columns are the same records
        assertThat(hard).hasSameSizeAs(a);
        int differ = 0;
        for (int i = 0; i < a.size(); i++) {
            assertThat(hard.get(i)[0]).isEqualTo(a.get(i)[0]);
            assertThat(hard.get(i)[11]).isEqualTo(a.get(i)[11]); // postcode
            differ += List.of(hard.get(i)).equals(List.of(a.get(i))) ? 0 : 1;
        }
        assertThat(differ).isGreaterThan(a.size() / 5);
    }
}
