package org.sightline.operation;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Commands given --demo join a demo that is already running instead of fighting over its data folder. */
class EmbeddedDatabaseTest {

    @Test
    void aLiveServersPidFileGivesItsPort(@TempDir Path cluster) throws IOException {
        Files.writeString(
                cluster.resolve("postmaster.pid"),
                ProcessHandle.current().pid() + "\n" + cluster + "\n1764460000\n54321\n/tmp\nlocalhost\n");
        assertThat(EmbeddedDatabase.runningIn(cluster)).hasValue("jdbc:postgresql://localhost:54321/postgres");
    }

    @Test
    void aStaleOrMissingPidFileMeansNoServer(@TempDir Path cluster) throws IOException {
        assertThat(EmbeddedDatabase.runningIn(cluster)).isEmpty();
        Files.writeString(cluster.resolve("postmaster.pid"), "999999999\n" + cluster + "\n1\n54321\n");
        assertThat(EmbeddedDatabase.runningIn(cluster)).isEmpty();
        Files.writeString(cluster.resolve("postmaster.pid"), "garbage");
        assertThat(EmbeddedDatabase.runningIn(cluster)).isEmpty();
    }
}
