package org.sightline.operation;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A postmaster.pid is believed only when its pid is a live PostgreSQL serving that folder: a pid file outliving its
 * server may name a pid since reused by another process. (A real server, owned and orphaned: DemoDatabaseTest.)
 */
class EmbeddedDatabaseTest {

    @Test
    void aPidFileNamingALiveProcessThatIsNotItsPostgresMeansNoServer(@TempDir Path cluster) throws IOException {
        Files.writeString(
                cluster.resolve("postmaster.pid"),
                ProcessHandle.current().pid() + "\n" + cluster + "\n1764460000\n54321\n/tmp\nlocalhost\n");
        assertThat(EmbeddedDatabase.livePostmaster(cluster)).isEmpty();
        assertThat(EmbeddedDatabase.runningIn(cluster)).isEmpty();
    }

    @Test
    void aStaleOrMissingPidFileMeansNoServer(@TempDir Path cluster) throws IOException {
        assertThat(EmbeddedDatabase.runningIn(cluster)).isEmpty();
        Files.writeString(cluster.resolve("postmaster.pid"), "999999999\n" + cluster + "\n1\n54321\n");
        assertThat(EmbeddedDatabase.runningIn(cluster)).isEmpty();
        Files.writeString(cluster.resolve("postmaster.pid"), "garbage");
        assertThat(EmbeddedDatabase.runningIn(cluster)).isEmpty();
    }

    @Test
    void aClusterStillTrustingLocalUsersIsToldFromOneNeedingPasswords(@TempDir Path cluster) throws IOException {
        Files.writeString(
                cluster.resolve("pg_hba.conf"),
                "# local all all trust\nlocal   all   all   trust\nhost all all 127.0.0.1/32 trust\n");
        assertThat(EmbeddedDatabase.trustsLocalUsers(cluster)).isTrue();
        Files.writeString(
                cluster.resolve("pg_hba.conf"),
                "# was: local all all trust\nlocal all all scram-sha-256\nhost all all 127.0.0.1/32 scram-sha-256\n");
        assertThat(EmbeddedDatabase.trustsLocalUsers(cluster)).isFalse();
    }
}
