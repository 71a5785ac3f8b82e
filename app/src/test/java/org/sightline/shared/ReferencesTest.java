package org.sightline.shared;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ReferencesTest {

    @Test
    void referencesAreReadableAndDoNotFollowEachOther() {
        Set<String> seen = new HashSet<>();
        int[] counts = new int[128];
        for (int i = 0; i < 20_000; i++) {
            String ref = References.next("EC");
            assertThat(ref).matches("EC-[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}");
            assertThat(seen.add(ref)).as("repeated %s", ref).isTrue();
            ref.substring(3).replace("-", "").chars().forEach(c -> counts[c]++);
        }
        // Every one of the 32 symbols is used about equally (200,000 symbols: 6,250 each expected): random, not a
        // count.
        long used = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
                .chars()
                .filter(c -> counts[c] > 5_500 && counts[c] < 7_000)
                .count();
        assertThat(used).isEqualTo(32);
        assertThat(counts['I'] + counts['L'] + counts['O'] + counts['U']).isZero();
    }
}
