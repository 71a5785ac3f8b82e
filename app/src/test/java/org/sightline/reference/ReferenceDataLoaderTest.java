package org.sightline.reference;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.sightline.support.IntegrationTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.DefaultApplicationArguments;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The shipped reference files are loaded when they change, and a start with the same files writes nothing. */
@IntegrationTest
class ReferenceDataLoaderTest {

    @Autowired
    ReferenceDataLoader loader;

    @Autowired
    JdbcClient jdbc;

    @Test
    void everyShippedReferenceFileIsPartOfTheDigest() throws Exception {
        Resource[] shipped = new PathMatchingResourcePatternResolver().getResources("classpath:refdata/*.csv");
        assertThat(Arrays.stream(shipped).map(Resource::getFilename))
                .isNotEmpty()
                .containsExactlyInAnyOrderElementsOf(ReferenceDataLoader.FILES);
    }

    @Test
    void theSameFilesAreNotLoadedAgainAndChangedOnesAre() {
        String shipped = label();
        assertThat(shipped)
                .as("line 1A of cin_factors_identified_at_assessment.csv")
                .isEqualTo("Alcohol misuse - child");
        assertThat(jdbc.sql("SELECT digest FROM reference_data_loaded")
                        .query(String.class)
                        .single())
                .isEqualTo(ReferenceDataLoader.digest());
        try {
            jdbc.sql("UPDATE ref_cin_factor SET short_label = 'edited in the database' WHERE code = '1A'")
                    .update();
            loader.run(new DefaultApplicationArguments());
            assertThat(label()).as("same files: nothing written").isEqualTo("edited in the database");

            // As after an upgrade that ships different files: the recorded digest no longer matches.
            jdbc.sql("UPDATE reference_data_loaded SET digest = 'an older release'")
                    .update();
            loader.run(new DefaultApplicationArguments());
            assertThat(label()).as("changed files: loaded again").isEqualTo(shipped);
            assertThat(jdbc.sql("SELECT digest FROM reference_data_loaded")
                            .query(String.class)
                            .single())
                    .isEqualTo(ReferenceDataLoader.digest());
        } finally {
            jdbc.sql("UPDATE ref_cin_factor SET short_label = ? WHERE code = '1A'")
                    .param(shipped)
                    .update();
        }
    }

    private String label() {
        return jdbc.sql("SELECT short_label FROM ref_cin_factor WHERE code = '1A'")
                .query(String.class)
                .single();
    }
}
