package org.sightline.linkage;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.sightline.linkage.eval.Evaluation;
import org.sightline.linkage.profile.CsvInput;
import org.sightline.linkage.profile.Profile;

/**
 * The public linkage sets shipped in this module's test resources ({@code src/test/resources/datasets}, with their
 * origin and licences in its README), or another copy named by $SIGHTLINE_DATASETS. A clone tests itself.
 */
final class Datasets {
    private Datasets() {}

    static Path dir() {
        String env = System.getenv("SIGHTLINE_DATASETS");
        List<Path> tries = env != null && !env.isBlank()
                ? List.of(Path.of(env))
                : List.of(Path.of("src/test/resources/datasets"), Path.of("linkage/src/test/resources/datasets"));
        for (Path p : tries) {
            if (Files.isDirectory(p)) {
                return p;
            }
        }
        // The sets are part of the repository, so their absence is a broken checkout, never a reason to skip.
        return fail("public linkage datasets not found (tried " + tries + "); they ship in linkage/src/test/resources"
                + "/datasets, or set SIGHTLINE_DATASETS");
    }

    static Path profile(String name) {
        Path p = Path.of("profiles", name);
        return Files.exists(p) ? p : Path.of("linkage/profiles", name);
    }

    static Evaluation run(String profile, String truthColumn, String truthPattern, String... files) {
        Path dir = dir();
        Profile prof = Profile.load(profile(profile));
        CsvInput in = CsvInput.read(
                prof,
                java.util.Arrays.stream(files).map(dir::resolve).toList(),
                truthColumn,
                truthPattern == null ? null : Pattern.compile(truthPattern));
        LinkResult r = new Linker(prof.config()).link(in.records());
        return Evaluation.of(r, in.truth());
    }
}
