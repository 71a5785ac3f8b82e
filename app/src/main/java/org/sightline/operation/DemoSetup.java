package org.sightline.operation;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import org.sightline.access.Roles;
import org.sightline.access.UserAccounts;
import org.sightline.identity.IdentityResolver;
import org.sightline.importexport.PopulationLoader;
import org.sightline.shared.TerminalProgress;
import org.sightline.synth.cli.GenerateCommand;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import picocli.CommandLine;

/** Generates and loads the demo population once, and keeps one demo account per role. */
@Component
class DemoSetup {

    private static final String ACTOR = "demo-setup";

    private final JdbcClient jdbc;
    private final PopulationLoader loader;
    private final UserAccounts accounts;
    private final IdentityResolver identities;

    DemoSetup(JdbcClient jdbc, PopulationLoader loader, UserAccounts accounts, IdentityResolver identities) {
        this.jdbc = jdbc;
        this.loader = loader;
        this.accounts = accounts;
        this.identities = identities;
    }

    record DemoUser(String role, String username, String password, String agencyName) {}

    record Result(String population, boolean linkingInBackground, List<DemoUser> users, Path credentialsFile) {}

    /**
     * Loads the population when the database has none (none with {@code children} 0: the reference data's forces and
     * authorities and the demo users only, for trying Sightline on one's own files). Identity linking then runs in the background: the demo is
     * usable at once and the "same child" links appear when the engine finishes (the returned flag says so).
     */
    Result prepare(Path dataDirectory, int children, long seed, java.util.function.Consumer<String> step) {
        long records =
                jdbc.sql("SELECT count(*) FROM person_record").query(Long.class).single();
        boolean linking = false;
        if (records == 0 && children > 0) {
            Path generated = dataDirectory.resolve("population-" + children + "-" + seed);
            if (!Files.exists(generated.resolve("person_records.csv"))) {
                step.accept("generating " + children + " children (seed " + seed + ")");
                // The demo prints its own progress; generate's summary would only interrupt it.
                CommandLine generate = new CommandLine(new GenerateCommand());
                generate.setOut(new java.io.PrintWriter(java.io.Writer.nullWriter()));
                int exit = generate.execute(
                        "--children",
                        String.valueOf(children),
                        "--seed",
                        String.valueOf(seed),
                        "--out",
                        generated.toString(),
                        "--force");
                if (exit != 0) {
                    throw new IllegalStateException("generating the demo population failed (exit " + exit + ")");
                }
            }
            step.accept("loading the population");
            loader.load(generated, ACTOR, new TerminalProgress("load"));
        }
        if (jdbc.sql("SELECT count(*) FROM person_record WHERE identity_id IS NULL")
                        .query(Long.class)
                        .single()
                > 0) {
            step.accept("linking records into identities in the background");
            Thread linker = new Thread(
                    () -> identities.relinkAll(ACTOR, new TerminalProgress("link identities")),
                    "demo-identity-linking");
            linker.setDaemon(true);
            linker.start();
            linking = true;
        }
        String population = jdbc.sql(
                        """
                SELECT format('%s person records, %s missing episodes, %s exploitation concerns',
                    (SELECT count(*) FROM person_record), (SELECT count(*) FROM missing_episode),
                    (SELECT count(*) FROM exploitation_concern))""")
                .query(String.class)
                .single();
        return new Result(
                population, linking, users(dataDirectory), dataDirectory.resolve("demo-credentials.properties"));
    }

    /**
     * One account per role at the agencies holding most records when the folder was first used; passwords and agencies
     * are made once and kept in the data folder, so a restart after an import never moves a user to another agency.
     */
    List<DemoUser> users(Path dataDirectory) {
        Path file = dataDirectory.resolve("demo-credentials.properties");
        Properties saved = new Properties();
        try {
            if (Files.exists(file)) {
                try (var in = Files.newInputStream(file)) {
                    saved.load(in);
                }
            }
            String force = busiest("police_force");
            String authority = busiest("local_authority");
            String provider = jdbc.sql("SELECT count(*) FROM agency WHERE agency_type = 'care_provider' AND active")
                                    .query(Long.class)
                                    .single()
                            > 0
                    ? busiest("care_provider")
                    : authority;
            List<DemoUser> users = new ArrayList<>();
            users.add(user(saved, Roles.POLICE_OFFICER, "officer", "Demo Officer", force));
            users.add(user(saved, Roles.SOCIAL_WORKER, "social.worker", "Demo Social Worker", authority));
            users.add(user(saved, Roles.CARE_STAFF, "care.staff", "Demo Care Staff", provider));
            users.add(user(saved, Roles.ANALYST, "analyst", "Demo Analyst", authority));
            users.add(user(saved, Roles.SUPERVISOR, "supervisor", "Demo Supervisor", force));
            users.add(user(saved, Roles.ADMIN, "admin", "Demo Administrator", "SIGHTLINE"));
            Files.createDirectories(dataDirectory);
            try (var out = Files.newOutputStream(file)) {
                saved.store(out, "Sightline demo accounts (synthetic; local demo only)");
            }
            try {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system: permissions stay as the platform sets them
            }
            return users;
        } catch (IOException e) {
            throw new UncheckedIOException("could not keep demo credentials in " + file, e);
        }
    }

    private DemoUser user(Properties saved, String role, String username, String name, String busiest) {
        String password = saved.getProperty(username);
        if (password == null) {
            password = randomPassword();
            saved.setProperty(username, password);
        }
        String kept = saved.getProperty(username + ".agency");
        String agencyCode = kept != null
                        && jdbc.sql("SELECT count(*) FROM agency WHERE code = ?")
                                        .param(kept)
                                        .query(Long.class)
                                        .single()
                                > 0
                ? kept
                : busiest;
        saved.setProperty(username + ".agency", agencyCode);
        accounts.createOrReset(ACTOR, username, password, name, agencyCode, Set.of(role));
        String agencyName = jdbc.sql("SELECT name FROM agency WHERE code = ?")
                .param(agencyCode)
                .query(String.class)
                .single();
        return new DemoUser(role, username, password, agencyName);
    }

    private String busiest(String agencyType) {
        return jdbc.sql(
                        """
                SELECT a.code FROM agency a LEFT JOIN person_record pr ON pr.agency_id = a.id
                WHERE a.agency_type = ? AND a.active GROUP BY a.code ORDER BY count(pr.id) DESC, a.code LIMIT 1""")
                .param(agencyType)
                .query(String.class)
                .single();
    }

    private static String randomPassword() {
        String alphabet = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        SecureRandom random = new SecureRandom();
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < 12; i++) {
            s.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return s.toString();
    }
}
