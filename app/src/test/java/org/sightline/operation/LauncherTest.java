package org.sightline.operation;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sightline.support.IntegrationTest;
import org.sightline.support.TestDatabase;

/**
 * {@code bin/sightline} runs the packaged jar unpacked into its cache, records a class-data-sharing archive on the first
 * batch command that runs through, and starts later commands from it. Needs the jar, so it runs in {@code mvn verify}
 * after packaging.
 */
@IntegrationTest // for the migrated database with its reference agencies, which the imports below need
class LauncherTest {

    private static final Path LAUNCHER =
            Path.of("..", "bin", "sightline").toAbsolutePath().normalize();
    private static final Path JAR = Path.of("target", "sightline.jar").toAbsolutePath();

    private record Run(int exit, String output) {}

    @Test
    void theFirstCommandThatRunsThroughRecordsTheArchiveAndLaterOnesStartFromIt(
            @TempDir Path cache, @TempDir Path files) throws Exception {
        assertThat(JAR).as("mvn package builds it before the integration tests").isRegularFile();
        String batch = UUID.randomUUID().toString();
        Files.writeString(
                files.resolve("person_records.csv"),
                """
                record_ref,given_name,family_name,dob,sex,postcode
                LAUNCHER-1-%1$s,Zebedee,Quillfeather,2012-03-04,male,CF10 1AA
                LAUNCHER-2-%1$s,Morwenna,Quillfeather,2013-05-06,female,CF10 1AA
                """
                        .formatted(batch));
        // Help and refusals load too few classes to be worth keeping.
        Run help = run(cache, Map.of(), List.of("import", "--help"));
        assertThat(help.exit()).as(help.output()).isZero();
        assertThat(help.output()).doesNotContain("recording the classes").contains("Usage: sightline import");
        Run refused = run(cache, Map.of(), importOf(files.resolve("absent.csv")));
        assertThat(refused.exit()).as(refused.output()).isEqualTo(ExitCode.USAGE);
        assertThat(refused.output()).contains("recording the classes", "absent.csv is not a readable file");
        assertThat(files(cache, "sightline.jar")).hasSize(1);
        assertThat(files(cache, "classes.jsa")).isEmpty();

        List<String> people = importOf(files.resolve("person_records.csv"));
        Run first = run(cache, Map.of(), people);
        assertThat(first.exit()).as(first.output()).isEqualTo(ExitCode.OK);
        assertThat(first.output()).contains("recording the classes").contains("received 2 = imported 2 ");
        assertThat(files(cache, "classes.jsa")).hasSize(1);
        assertThat(files(cache, "sightline.jar")).as("unpacked once").hasSize(1);

        // -Xshare:on makes the JVM refuse to start unless it can map the archive: the same answer proves it did.
        Run second = run(cache, Map.of("JAVA_OPTS", "-Xshare:on"), people);
        assertThat(second.exit()).as(second.output()).isEqualTo(first.exit());
        assertThat(second.output()).doesNotContain("recording the classes").contains("unchanged 2");
        // The database starts on the command's thread while Spring configures logging on another: no log lines.
        assertThat(first.output() + second.output()).doesNotContain(" INFO ", " DEBUG ");
    }

    private static List<String> importOf(Path file) {
        return TestDatabase.command("import", "--agency", "E23000001", "--kind", "person-records", file.toString());
    }

    @Test
    void anEarlierBuildsEntryOrAHalfDoneUnpackingUnusedForADayIsRemovedAndOneInUseIsKept(@TempDir Path cache)
            throws Exception {
        Path stale = entry(cache, "stale", JAR.toRealPath().toString(), Duration.ofDays(2));
        Path recent = entry(cache, "recent", JAR.toRealPath().toString(), Duration.ofMinutes(5));
        Path otherJar = entry(cache, "other", "/elsewhere/sightline.jar", Duration.ofDays(2));
        Path halfUnpacked = Files.createDirectories(cache.resolve("0123456789abcdef.unpacking.Xy12Ab/app/lib"))
                .getParent()
                .getParent();
        Files.setLastModifiedTime(halfUnpacked, FileTime.from(Instant.now().minus(Duration.ofDays(2))));

        Run run = run(cache, Map.of(), List.of("--version"));

        assertThat(run.exit()).as(run.output()).isZero();
        assertThat(stale).doesNotExist();
        assertThat(recent).as("maybe a demo still running from it").isDirectory();
        assertThat(otherJar).as("another checkout's jar").isDirectory();
        assertThat(halfUnpacked).as("left by a command killed while unpacking").doesNotExist();
        assertThat(files(cache, "sightline.jar")).hasSize(1);
    }

    private static Path entry(Path cache, String name, String jar, Duration unused) throws IOException {
        Path entry = Files.createDirectories(cache.resolve(name));
        Files.writeString(entry.resolve("jar"), jar + "\n");
        Path used = Files.createFile(entry.resolve("used"));
        Files.setLastModifiedTime(used, FileTime.from(Instant.now().minus(unused)));
        return entry;
    }

    @Test
    void withoutTheJarItSaysHowToBuildIt(@TempDir Path cache) throws Exception {
        Run run = run(cache, Map.of("SIGHTLINE_JAR", cache.resolve("none.jar").toString()), List.of("--version"));
        assertThat(run.exit()).isEqualTo(ExitCode.ENVIRONMENT);
        assertThat(run.output().strip())
                .isEqualTo("sightline: " + cache.resolve("none.jar")
                        + " not found; build it first: mvn -B -DskipTests package");
    }

    private static Run run(Path cache, Map<String, String> env, List<String> args) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(Stream.concat(Stream.of(LAUNCHER.toString()), args.stream())
                        .toList())
                .redirectErrorStream(true);
        builder.environment().put("SIGHTLINE_CACHE", cache.toString());
        builder.environment().put("SIGHTLINE_JAR", JAR.toString());
        builder.environment().remove("JAVA_OPTS");
        builder.environment().putAll(env);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(2, TimeUnit.MINUTES)).isTrue();
        return new Run(process.exitValue(), output);
    }

    private static List<Path> files(Path cache, String name) throws IOException {
        try (Stream<Path> all = Files.walk(cache)) {
            return all.filter(p -> p.getFileName().toString().equals(name)).toList();
        }
    }
}
