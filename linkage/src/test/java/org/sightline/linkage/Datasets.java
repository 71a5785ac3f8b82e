package org.sightline.linkage;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.sightline.linkage.eval.Evaluation;
import org.sightline.linkage.profile.CsvInput;
import org.sightline.linkage.profile.Profile;

/** Finds the public linkage sets (../shared/datasets/linkage from the repository root, or $SIGHTLINE_DATASETS). */
final class Datasets {
    private Datasets() {
    }

    static Path dir() {
        String env = System.getenv("SIGHTLINE_DATASETS");
        List<Path> tries = env != null && !env.isBlank() ? List.of(Path.of(env))
                : List.of(Path.of("../shared/datasets/linkage"), Path.of("../../shared/datasets/linkage"));
        for (Path p : tries) {
            if (Files.isDirectory(p)) {
                return p;
            }
        }
        if ("true".equals(System.getenv("CI"))) {
            fail("public linkage datasets not found (tried " + tries + "); set SIGHTLINE_DATASETS");
        }
        Assumptions.abort("public linkage datasets not found (tried " + tries
                + "); set SIGHTLINE_DATASETS to run the accuracy floors");
        return null;
    }

    static Path profile(String name) {
        Path p = Path.of("profiles", name);
        return Files.exists(p) ? p : Path.of("linkage/profiles", name);
    }

    static Evaluation run(String profile, String truthColumn, String truthPattern, String... files) {
        Path dir = dir();
        Profile prof = Profile.load(profile(profile));
        CsvInput in = CsvInput.read(prof, java.util.Arrays.stream(files).map(dir::resolve).toList(), truthColumn,
                truthPattern == null ? null : Pattern.compile(truthPattern));
        LinkResult r = new Linker(prof.config()).link(in.records());
        return Evaluation.of(r, in.truth());
    }
}
