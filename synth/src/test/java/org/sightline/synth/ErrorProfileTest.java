package org.sightline.synth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The agency records differ from the truth in the documented ways, at roughly the documented rates. */
class ErrorProfileTest {

    @Test
    void recordsCarryRealisticErrorsButMostlyAgreeWithTheTruth() {
        Map<String, String[]> truth = new HashMap<>();
        Map<String, String> recordChild = new HashMap<>();
        List<String[]> records = new ArrayList<>();
        new Generator(SynthConfig.of(4_000, 5))
                .generate(
                        (t, row) -> {
                            switch (t) {
                                case TRUTH_CHILDREN -> truth.put(row[0], row);
                                case TRUTH_RECORDS -> recordChild.put(row[0] + "/" + row[1], row[2]);
                                case PERSON_RECORDS -> records.add(row);
                                default -> {}
                            }
                        },
                        ProgressListener.NONE);
        Map<String, String[]> nicknames = Names.get().nicknameMap();
        int exact = 0, nickname = 0, givenOther = 0, swapped = 0, familyDiffers = 0;
        int dobExact = 0, dobPartial = 0, dobMissing = 0, dayMonth = 0, dobOther = 0, aliases = 0, noSex = 0;
        for (String[] r : records) {
            String[] c = truth.get(recordChild.get(r[1] + "/" + r[0]));
            String given = r[2].strip();
            String family = r[4];
            if (given.equals(c[1]) && family.equalsIgnoreCase(c[2])) {
                exact++;
            } else if (given.equalsIgnoreCase(c[2]) && family.equalsIgnoreCase(c[1])) {
                swapped++;
            } else {
                if (!given.equals(c[1])) {
                    if (List.of(nicknames.getOrDefault(c[1], new String[0])).contains(given)) {
                        nickname++;
                    } else {
                        givenOther++;
                    }
                }
                if (!family.equalsIgnoreCase(c[2])) {
                    familyDiffers++;
                }
            }
            String dob = r[6];
            if (dob.equals(c[3])) {
                dobExact++;
            } else if (dob.isEmpty()) {
                dobMissing++;
            } else if (dob.length() < 10) {
                dobPartial++;
                assertThat(c[3]).startsWith(dob);
            } else {
                LocalDate t = LocalDate.parse(c[3]);
                LocalDate d = LocalDate.parse(dob);
                if (d.getDayOfMonth() == t.getMonthValue() && d.getMonthValue() == t.getDayOfMonth()) {
                    dayMonth++;
                } else {
                    dobOther++;
                }
            }
            if (!r[5].isEmpty()) {
                aliases++;
            }
            if (r[7].isEmpty()) {
                noSex++;
            }
        }
        int n = records.size();
        assertThat(exact).as("most records are clean-ish").isGreaterThan(n * 70 / 100);
        assertThat(nickname).as("nicknames").isGreaterThan(n / 200);
        assertThat(givenOther).as("misspelt given names").isGreaterThan(n / 100);
        assertThat(swapped).as("given/family swaps").isPositive();
        assertThat(familyDiffers).as("family name errors and changes").isGreaterThan(n / 50);
        assertThat(dobExact).isGreaterThan(n * 85 / 100);
        assertThat(dobPartial).as("partial dates").isGreaterThan(n / 200);
        assertThat(dobMissing).as("missing dates").isPositive();
        assertThat(dayMonth).as("day/month swaps").isPositive();
        assertThat(dobOther).as("digit and year errors").isPositive();
        assertThat(aliases).as("aliases").isPositive();
        assertThat(noSex).as("sex not recorded").isPositive();
    }

    @Test
    void nicknameMapKeepsCommonEnglishEquivalences() {
        Map<String, String[]> m = Names.get().nicknameMap();
        assertThat(m.get("Robert")).contains("Rob", "Bob", "Bobby");
        assertThat(m.get("Elizabeth")).contains("Liz", "Beth");
        assertThat(m.get("William")).contains("Will", "Bill");
        assertThat(m.get("Margaret")).contains("Maggie", "Peggy");
    }

    @Test
    void errorOperationsChangeValuesTheWayTheySay() {
        Rnd rnd = new Rnd(1);
        for (int i = 0; i < 200; i++) {
            String t = Corruptor.typo(rnd, "Jennifer");
            assertThat(t).isNotEqualTo("Jennifer").startsWith("J");
            assertThat(Math.abs(t.length() - 8)).isLessThanOrEqualTo(1);
            LocalDate d = Corruptor.digitError(rnd, LocalDate.of(2009, 11, 23));
            assertThat(d).isNotEqualTo(LocalDate.of(2009, 11, 23));
        }
        assertThat(Corruptor.dayMonthSwap(LocalDate.of(2010, 3, 7))).isEqualTo(LocalDate.of(2010, 7, 3));
        assertThat(Corruptor.dayMonthSwap(LocalDate.of(2010, 3, 17))).isNull();
        assertThat(Corruptor.respell(rnd, "Mohammed")).isIn("Muhammad", "Mohammad", "Mohamed", "Muhammed", "Mohamad");
        assertThat(Corruptor.postcodeTypo(rnd, "AB12 3DE"))
                .isNotEqualTo("AB12 3DE")
                .startsWith("AB12 3");
    }
}
