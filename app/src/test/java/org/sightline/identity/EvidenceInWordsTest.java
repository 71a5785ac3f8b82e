package org.sightline.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.sightline.linkage.compare.Comparison;
import org.sightline.linkage.profile.Profile;
import org.sightline.linkage.score.Guard;
import org.sightline.support.IntegrationTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.MessageSource;
import org.springframework.core.io.ClassPathResource;

/** Every comparison and level the shipped profile can produce has plain words; engine terms never show. */
@IntegrationTest
class EvidenceInWordsTest {

    @Autowired
    EvidenceInWords words;

    @Autowired
    MessageSource messages;

    private static Profile shippedProfile() throws Exception {
        try (Reader reader = new InputStreamReader(
                new ClassPathResource(IdentityResolver.PROFILE).getInputStream(), StandardCharsets.UTF_8)) {
            return Profile.parse(reader);
        }
    }

    @Test
    void everyLevelOfTheShippedProfileHasItsOwnText() throws Exception {
        Profile profile = shippedProfile();
        List<String> missing = new ArrayList<>();
        int levels = 0;
        for (Comparison c : profile.config().comparisons()) {
            for (int level = 0; level < c.levelCount(); level++) {
                levels++;
                String key = EvidenceInWords.key(c.name(), c.label(level), 1);
                if (messages.getMessage(key, null, null, Locale.UK) == null) {
                    missing.add(key);
                }
                String label = c.label(level);
                List<String> text = words.describe(c.name() + "=" + label + ":+1.0");
                assertThat(text).singleElement().satisfies(t -> assertThat(t)
                        .doesNotContain(label + ":", "=", "jw", "null")
                        .isNotBlank());
            }
        }
        for (Guard g : profile.config().guards()) {
            String key = EvidenceInWords.key("guard:" + g.name(), "applies", g.weight());
            if (messages.getMessage(key, null, null, Locale.UK) == null) {
                missing.add(key);
            }
        }
        assertThat(missing).as("texts missing from i18n/child.properties").isEmpty();
        assertThat(levels).as("the profile was read").isGreaterThan(40);
    }

    @Test
    void theStrongestEvidenceComesFirstAndRepeatsAreDropped() {
        assertThat(words.describe("given_name=swapped:+6.0; family_name=swapped:+0.0; dob=dm_swap:+4.1; "
                        + "postcode=else:-2.0; guard:twins=applies:-30.0; tf:given_name+family_name=joint:-0.7"))
                .containsExactly(
                        "Given and family names: the same, but swapped round",
                        "Date of birth: day and month swapped",
                        "The full name is common, so its agreement counts for less",
                        "Postcode differs",
                        "Could be twins: same family name and date of birth but different given names, which counts strongly against");
    }

    @Test
    void oddInputNeverShowsEngineTerms() {
        assertThat(words.describe(null)).isEmpty();
        assertThat(words.describe("  ")).isEmpty();
        assertThat(words.describe("shoe_size=jw:0.5:+1,5")).containsExactly("Another detail was compared");
        assertThat(words.describe("garbage; dob=exact:+7,2")).containsExactly("Date of birth: the same");
    }
}
