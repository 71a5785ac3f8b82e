package org.sightline.operation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sightline.support.ChildJvm;
import org.sightline.support.IntegrationTest;

/**
 * The demo's embedded PostgreSQL as a user meets it: a password from the first start (and for a folder kept from
 * before passwords), a server orphaned by a killed demo stopped and replaced, a stale pid file and a long crash
 * recovery handled, each said in one line.
 */
@Tag(IntegrationTest.TAG)
class DemoDatabaseTest {

    @TempDir
    Path folder;

    private final List<String> said = new CopyOnWriteArrayList<>();
    private final List<Duration> recovering = new CopyOnWriteArrayList<>();

    private EmbeddedDatabase start(Duration limit) {
        return DemoFolder.startDatabase(folder, limit, said::add, recovering::add);
    }

    @Test
    void aNewDemoDatabaseNeedsItsPasswordKeptInAFileOnlyItsOwnerReads() throws Exception {
        try (EmbeddedDatabase db = start(Duration.ofMinutes(2))) {
            Path file = folder.resolve("postgres.password");
            assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
            String password = Files.readString(file).strip();
            assertThat(password).hasSizeGreaterThanOrEqualTo(32);

            assertRefused(db.jdbcUrl(), EmbeddedDatabase.OWNER, "");
            assertRefused(db.jdbcUrl(), EmbeddedDatabase.APP_ROLE, "");
            assertRefused(db.jdbcUrl(), EmbeddedDatabase.OWNER, password + "x");
            for (String role : List.of(EmbeddedDatabase.OWNER, EmbeddedDatabase.APP_ROLE)) {
                try (Connection c = DriverManager.getConnection(db.jdbcUrl(), role, password)) {
                    assertThat(c.isValid(5)).isTrue();
                }
            }
            assertThat(Files.readAllLines(folder.resolve("postgres").resolve("pg_hba.conf")))
                    .filteredOn(l -> !l.isBlank() && !l.startsWith("#"))
                    .isNotEmpty()
                    .allMatch(l -> l.endsWith(" scram-sha-256"));
            assertThat(DemoFolder.springArguments(folder, db.jdbcUrl()))
                    .contains("--spring.datasource.password=" + password, "--spring.flyway.password=" + password);
        }
    }

    @Test
    void aFolderFromBeforePasswordsIsSwitchedOverKeepingItsData() throws Exception {
        Path cluster = DemoFolder.cluster(folder);
        try (EmbeddedDatabase old = EmbeddedDatabase.start(cluster)) {
            try (Connection c = DriverManager.getConnection(old.jdbcUrl(), EmbeddedDatabase.OWNER, "")) {
                c.createStatement().execute("CREATE TABLE kept (n int); INSERT INTO kept VALUES (42)");
            }
        }
        assertThat(folder.resolve("postgres.password")).doesNotExist();
        try (EmbeddedDatabase db = start(Duration.ofMinutes(2))) {
            String password =
                    Files.readString(folder.resolve("postgres.password")).strip();
            assertRefused(db.jdbcUrl(), EmbeddedDatabase.OWNER, "");
            try (Connection c = DriverManager.getConnection(db.jdbcUrl(), EmbeddedDatabase.OWNER, password);
                    var rs = c.createStatement().executeQuery("SELECT n FROM kept")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).isEqualTo(42);
            }
        }
    }

    /** The process that started the demo's database, for the test to kill: prints "ready" once it serves. */
    public static final class Owner {
        public static void main(String[] args) throws Exception {
            Quiet.beforeSpring();
            try (EmbeddedDatabase db =
                    DemoFolder.startDatabase(Path.of(args[0]), Duration.ofMinutes(2), System.out::println, d -> {})) {
                System.out.println("ready " + db.port());
                System.out.flush();
                Thread.sleep(300_000);
            }
        }
    }

    @Test
    void theServerOfAKilledDemoIsStoppedAndTheNextStartGoesAhead() throws Exception {
        Path log = folder.resolveSibling(folder.getFileName() + "-owner.log");
        Process owner = ChildJvm.start(log, List.of(), Owner.class.getName(), List.of(folder.toString()));
        try {
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (owner.isAlive()
                    && System.nanoTime() < deadline
                    && !Files.readString(log).contains("ready ")) {
                Thread.sleep(100);
            }
            assertThat(Files.readString(log))
                    .as("the owner started the database")
                    .contains("ready ");
        } finally {
            owner.destroyForcibly(); // kill -9: no shutdown hook stops its PostgreSQL
            assertThat(owner.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        Path cluster = DemoFolder.cluster(folder);
        long orphan = Long.parseLong(
                Files.readAllLines(cluster.resolve("postmaster.pid")).get(0).trim());
        assertThat(ProcessHandle.of(orphan).map(ProcessHandle::isAlive))
                .as("its PostgreSQL outlived it")
                .hasValue(true);
        assertThat(EmbeddedDatabase.runningIn(cluster))
                .as("not taken for a running demo (the old misleading 'already running')")
                .isEmpty();
        String password = Files.readString(folder.resolve("postgres.password")).strip();
        try (Connection c = DriverManager.getConnection(
                EmbeddedDatabase.url(
                        EmbeddedDatabase.livePostmaster(cluster).orElseThrow().port()),
                EmbeddedDatabase.OWNER,
                password)) {
            c.createStatement().execute("CREATE TABLE kept (n int); INSERT INTO kept VALUES (7)");
        }

        try (EmbeddedDatabase db = start(Duration.ofMinutes(2))) {
            assertThat(said)
                    .containsExactly("stopping the demo database left running by a Sightline process that ended "
                            + "without stopping it (PostgreSQL pid " + orphan + ")");
            assertThat(ProcessHandle.of(orphan).map(ProcessHandle::isAlive).orElse(false))
                    .isFalse();
            try (Connection c = DriverManager.getConnection(db.jdbcUrl(), EmbeddedDatabase.OWNER, password);
                    var rs = c.createStatement().executeQuery("SELECT n FROM kept")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).isEqualTo(7);
            }
            assertThat(EmbeddedDatabase.runningIn(cluster))
                    .as("this process owns it now: other commands join it")
                    .hasValue(db.jdbcUrl());
            assertThatThrownBy(() -> start(Duration.ofMinutes(1)))
                    .isInstanceOf(EnvironmentException.class)
                    .hasMessageContaining("is already in use by another Sightline process");
        }
    }

    @Test
    void aStalePidFileWhosePidIsNowAnotherProcessIsClearedAndTheCrashRecovered() throws Exception {
        Path cluster = DemoFolder.cluster(folder);
        String password = DemoFolder.password(folder);
        // Not supervised: nothing restarts it once killed.
        EmbeddedDatabase crashed = EmbeddedDatabase.start(
                cluster, new EmbeddedDatabase.Options(0, null, password, Duration.ofMinutes(2), d -> {}));
        try (Connection c = DriverManager.getConnection(crashed.jdbcUrl(), EmbeddedDatabase.OWNER, password)) {
            // The demo commits asynchronously (synchronous_commit=off): a crash may lose its last fraction of a second.
            c.createStatement()
                    .execute("SET synchronous_commit = on; CREATE TABLE kept (n int); INSERT INTO kept VALUES (9)");
        }
        // A crash of the whole machine, as far as the folder can tell: the server dies, its pid file stays, and
        // the pid it names belongs to another process by the next start (here: this JVM).
        List<String> pidFile = new ArrayList<>(Files.readAllLines(cluster.resolve("postmaster.pid")));
        ProcessHandle postmaster =
                ProcessHandle.of(Long.parseLong(pidFile.get(0).trim())).orElseThrow();
        List<ProcessHandle> backends = postmaster.children().toList();
        postmaster.destroyForcibly();
        postmaster.onExit().get(30, TimeUnit.SECONDS);
        for (ProcessHandle backend : backends) {
            backend.onExit().get(30, TimeUnit.SECONDS);
        }
        pidFile.set(0, Long.toString(ProcessHandle.current().pid()));
        crashed.close(); // releases its lock; its pg_ctl stop finds no server
        Files.write(cluster.resolve("postmaster.pid"), pidFile);
        said.clear();

        try (EmbeddedDatabase again = start(Duration.ofMinutes(2))) {
            assertThat(said)
                    .containsExactly("the database was not shut down cleanly; PostgreSQL recovers it as it starts");
            try (Connection c = DriverManager.getConnection(again.jdbcUrl(), EmbeddedDatabase.OWNER, password);
                    var rs = c.createStatement().executeQuery("SELECT n FROM kept")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).isEqualTo(9);
            }
        }
        assertThat(Files.readString(DemoFolder.log(folder))).contains("was interrupted");
    }

    /**
     * A recovery that takes 12 s (archive recovery whose end command sleeps, so it is long by construction rather
     * than by writing gigabytes) is waited for, with progress, where the old fixed wait gave up at 10 s; under a
     * limit of 3 s it is refused in one line and the server is not left running.
     */
    @Test
    void aLongRecoveryIsWaitedForWithProgressUpToTheLimit() throws Exception {
        Path cluster = DemoFolder.cluster(folder);
        start(Duration.ofMinutes(2)).close();
        Files.writeString(
                cluster.resolve("postgresql.auto.conf"),
                "restore_command = 'false'\nrecovery_end_command = 'sleep 12'\nhot_standby = off\n",
                java.nio.file.StandardOpenOption.APPEND);

        Files.createFile(cluster.resolve("recovery.signal"));
        // A slow first start (a loaded machine) reports "starting up" too: only this start's progress counts.
        recovering.clear();
        long started = System.nanoTime();
        try (EmbeddedDatabase db = start(Duration.ofSeconds(60))) {
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThan(Duration.ofSeconds(12));
            assertThat(recovering).as("progress while recovering").isNotEmpty().isSorted();
            assertThat(recovering.get(recovering.size() - 1)).isGreaterThan(Duration.ofSeconds(10));
            String password =
                    Files.readString(folder.resolve("postgres.password")).strip();
            try (Connection c = DriverManager.getConnection(db.jdbcUrl(), EmbeddedDatabase.OWNER, password)) {
                assertThat(c.isValid(5)).isTrue();
            }
        }

        // Last: zonky keeps its own lock on a server it gave up waiting for until this JVM ends.
        Files.createFile(cluster.resolve("recovery.signal"));
        assertThatThrownBy(() -> start(Duration.ofSeconds(3)))
                .isInstanceOf(EnvironmentException.class)
                .hasMessage("PostgreSQL in " + cluster + " was still starting (recovering after a crash) after 3 s, "
                        + "the limit (--db-recovery-limit) (its log: " + DemoFolder.log(folder) + ")");
        assertThat(EmbeddedDatabase.livePostmaster(cluster))
                .as("stopped, not left recovering")
                .isEmpty();
    }

    private static void assertRefused(String url, String user, String password) {
        assertThatThrownBy(
                        () -> DriverManager.getConnection(url, user, password).close())
                .as("%s without the right password", user)
                .isInstanceOf(SQLException.class)
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isIn("28P01", "08004"));
    }
}
