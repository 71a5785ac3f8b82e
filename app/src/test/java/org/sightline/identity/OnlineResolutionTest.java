package org.sightline.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sightline.access.Roles;
import org.sightline.access.SightlineUser;
import org.sightline.access.UserAccounts;
import org.sightline.importexport.ImportReport;
import org.sightline.importexport.ImportService;
import org.sightline.linkage.model.Record;
import org.sightline.linkage.online.OnlineIndex;
import org.sightline.person.PartialDate;
import org.sightline.person.PersonRecords;
import org.sightline.ssda903.CollectionYear;
import org.sightline.ssda903.Ssda903ImportService;
import org.sightline.support.IntegrationTest;
import org.sightline.support.TestData;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.ObjectMapper;

/**
 * Records join identities as they are saved, through every path that creates or changes them, without a relink:
 * the form's API, the person service, the CSV import and the SSDA903 import; review-band pairs are proposed,
 * supervisors' cannot-link decisions and differing UPNs keep records apart, and a rolled-back save leaves nothing.
 * Names are made up and unique per test (letters only, so the engine compares them as names).
 */
@IntegrationTest
class OnlineResolutionTest {

    private static final Random RANDOM = new Random();

    @Autowired
    PersonRecords people;

    @Autowired
    OnlineResolution online;

    @Autowired
    ReviewService reviews;

    @Autowired
    ImportService imports;

    @Autowired
    Ssda903ImportService ssda903;

    @Autowired
    TestData data;

    @Autowired
    UserAccounts accounts;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    PlatformTransactionManager transactions;

    @Autowired
    MockMvc mvc;

    @Autowired
    ObjectMapper json;

    String force;
    String authority;
    SightlineUser officer;
    /** This test's child's date of birth: random, so that other tests' children of the same name never resemble it. */
    LocalDate born;

    String dob;

    /** A date of birth no other test's child is likely to share (1,500 days to draw from). */
    static LocalDate randomBirth() {
        return LocalDate.of(2007, 1, 1).plusDays(RANDOM.nextInt(1_500));
    }

    /** The date of birth as the API and the engine read it. */
    static String iso(LocalDate d) {
        return d.toString();
    }

    /** A made-up family name no other test uses, nor resembles (no common prefix). */
    static String family() {
        StringBuilder s = new StringBuilder().append((char) ('A' + RANDOM.nextInt(26)));
        for (int i = 0; i < 9; i++) {
            s.append((char) ('a' + RANDOM.nextInt(26)));
        }
        return s.toString();
    }

    @BeforeEach
    void agencies() {
        force = data.agency("police_force");
        authority = data.agency("local_authority");
        officer = accounts.loadUserByUsername(data.user(force, Roles.POLICE_OFFICER));
        born = randomBirth();
        dob = iso(born);
    }

    private long agencyId(String code) {
        return jdbc.sql("SELECT id FROM agency WHERE code = ?")
                .param(code)
                .query(Long.class)
                .single();
    }

    /** A record saved through the person service in a transaction of its own, as intake does. */
    private long create(String agency, String given, String family, String dob, String sex, String upn) {
        return new TransactionTemplate(transactions).execute(tx -> people.create(
                        agencyId(agency),
                        new PersonRecords.NewRecord(
                                TestData.unique("REF"),
                                given,
                                family,
                                PartialDate.parseIso(dob),
                                sex,
                                null,
                                null,
                                null,
                                upn,
                                null,
                                null,
                                null,
                                Instant.now()))
                .id());
    }

    private Long identityOf(long record) {
        return jdbc.sql("SELECT identity_id FROM person_record WHERE id = ?")
                .param(record)
                .query(Long.class)
                .single();
    }

    private long recordId(UUID publicId) {
        return jdbc.sql("SELECT id FROM person_record WHERE public_id = ?")
                .param(publicId)
                .query(Long.class)
                .single();
    }

    /**
     * The engine's weight for a record like this against {@code held} (the precondition of a band test); minus
     * infinity unless {@code held} is the strongest candidate, as when the shared database holds a generated child of
     * the same given name born on the variant's date, with whom the review would be proposed instead.
     */
    private double weightAgainst(long held, String given, String family, String dob, String sex, String upn) {
        List<OnlineIndex.Candidate> c = candidates(given, family, dob, sex, upn);
        return c.isEmpty() || !c.get(0).recordId().equals(Long.toString(held))
                ? Double.NEGATIVE_INFINITY
                : c.get(0).weight();
    }

    private List<OnlineIndex.Candidate> candidates(String given, String family, String dob, String sex, String upn) {
        var fields = IdentityResolver.PROFILE_LOADED.config().fields();
        String[] values = new String[fields.size()];
        for (int f = 0; f < values.length; f++) {
            values[f] = switch (fields.get(f).name()) {
                case "given_name" -> given;
                case "family_name" -> family;
                case "dob" -> dob;
                case "sex" -> sex;
                case "upn" -> upn;
                default -> null;
            };
        }
        return online.current().match(new Record("probe", "", values), 5);
    }

    @Test
    void aChildReportedThroughTheApiJoinsTheAuthoritysIdentityAtOnce() throws Exception {
        String family = family();
        long held = create(authority, "Nathan", family, dob, "male", null);
        Long identity = identityOf(held);
        assertThat(identity).as("a new record starts an identity").isNotNull();

        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        String body =
                """
                {"newPerson": {"givenName": "Nathan", "familyName": "%s", "dateOfBirth": "%s", "sex": "male"},
                 "reporter": {"name": "Alex Example", "role": "parent"}, "reportedAt": "%s", "lastSeenAt": "%s",
                 "lastSeenPlace": "Park", "missingFrom": "home", "category": "missing"}"""
                        .formatted(family, dob, now.minusSeconds(600), now.minusSeconds(3600));
        var response = mvc.perform(post("/api/v1/episodes")
                        .with(user(officer))
                        .contentType(MediaType.APPLICATION_JSON)
                        .header("Idempotency-Key", UUID.randomUUID().toString())
                        .content(body))
                .andReturn()
                .getResponse();
        assertThat(response.getStatus()).as(response.getContentAsString()).isEqualTo(201);
        long reported = recordId(UUID.fromString(json.readTree(response.getContentAsString())
                .at("/subject/recordId")
                .asString()));

        assertThat(identityOf(reported)).as("joined without a relink").isEqualTo(identity);
        String evidence = jdbc.sql(
                        """
                SELECT evidence FROM identity_link WHERE identity_id = ? AND record_a = ? AND record_b = ? AND source = 'engine'""")
                .params(identity, Math.min(held, reported), Math.max(held, reported))
                .query(String.class)
                .single();
        assertThat(evidence).contains("given_name=exact", "family_name=exact", "dob=exact");
    }

    @Test
    void aMisspeltDuplicateJoinsAndAStrangerStartsItsOwnIdentity() {
        int emptyBefore = emptyIdentities();
        String family = family();
        long held = create(force, "Nathan", family, dob, "male", null);
        long typo = create(authority, "Nathen", family, dob, "male", null);
        long swapped = create(authority, family, "Nathan", dob, null, null);
        long stranger = create(authority, "Priya", family(), iso(randomBirth()), "female", null);
        assertThat(identityOf(typo)).isEqualTo(identityOf(held));
        assertThat(identityOf(swapped)).isEqualTo(identityOf(held));
        assertThat(identityOf(stranger)).isNotNull().isNotEqualTo(identityOf(held));
        assertThat(jdbc.sql("SELECT count(*) FROM identity_link WHERE identity_id = ? AND source = 'engine'")
                        .param(identityOf(held))
                        .query(Integer.class)
                        .single())
                .isEqualTo(2);
        assertThat(emptyIdentities())
                .as("no identity made for a record that joined another")
                .isEqualTo(emptyBefore);
    }

    private int emptyIdentities() {
        return jdbc.sql(
                        "SELECT count(*) FROM identity i WHERE NOT EXISTS (SELECT 1 FROM person_record pr WHERE pr.identity_id = i.id)")
                .query(Integer.class)
                .single();
    }

    @Test
    void aReviewBandRecordStartsItsOwnIdentityAndIsProposedForReview() {
        String family = family();
        long held = create(force, "Nathan", family, dob, "male", null);
        double match = IdentityResolver.PROFILE_LOADED.config().matchWeight();
        double review = IdentityResolver.PROFILE_LOADED.config().reviewWeight();
        // The first of these the engine places in the review band (the band's width depends on what is held).
        String[][] variants = {
            {"N", family, dob},
            {"Nathan", family, iso(born.plusYears(1).plusMonths(5))},
            {"Nathan", family, String.valueOf(born.getYear())},
            {"Nathan", family.substring(0, family.length() - 1), iso(born.plusYears(2))},
            {"Nat", family, iso(born.plusMonths(3))}
        };
        String[] chosen = null;
        for (String[] v : variants) {
            double w = weightAgainst(held, v[0], v[1], v[2], null, null);
            if (w >= review && w < match) {
                chosen = v;
                break;
            }
        }
        assertThat(chosen).as("a variant in the review band").isNotNull();
        long uncertain = create(authority, chosen[0], chosen[1], chosen[2], null, null);
        assertThat(identityOf(uncertain)).isNotNull().isNotEqualTo(identityOf(held));
        assertThat(jdbc.sql(
                                "SELECT reason FROM identity_review WHERE record_a = ? AND record_b = ? AND status = 'open'")
                        .params(held, uncertain)
                        .query(String.class)
                        .single())
                .isEqualTo("uncertain");
    }

    @Test
    void recordsWithDifferentUpnsAreReviewedNotMerged() {
        String family = family();
        long held = create(authority, "Nathan", family, dob, "male", "A123456789012");
        long other = create(force, "Nathan", family, dob, "male", "B987654321098");
        long same = create(force, "Nathan", family, dob, "male", "A123456789012");
        assertThat(identityOf(other)).isNotEqualTo(identityOf(held));
        assertThat(jdbc.sql("SELECT reason FROM identity_review WHERE record_a = ? AND record_b = ?")
                        .params(held, other)
                        .query(String.class)
                        .single())
                .isEqualTo("different_upn");
        assertThat(identityOf(same)).isEqualTo(identityOf(held));
    }

    @Test
    void aCannotLinkDecisionKeepsAChangedRecordApartAndAMustLinkIsFollowed() {
        String family = family();
        long kent = create(authority, "Nathan", family, dob, "male", null);
        String[] variant = null;
        for (String[] v : new String[][] {
            {iso(born.plusYears(1).plusMonths(5)), null},
            {String.valueOf(born.getYear()), null},
            {iso(born.plusYears(2)), null}
        }) {
            double w = weightAgainst(kent, "Nathan", family, v[0], null, null);
            if (w >= IdentityResolver.PROFILE_LOADED.config().reviewWeight() && w < 0) {
                variant = v;
                break;
            }
        }
        assertThat(variant).as("a review-band date of birth").isNotNull();
        long met = create(force, "Nathan", family, variant[0], null, null);
        var pair = jdbc.sql("SELECT public_id, version FROM identity_review WHERE record_a = ? AND record_b = ?")
                .params(kent, met)
                .query((rs, n) -> new Object[] {rs.getObject(1, UUID.class), rs.getInt(2)})
                .single();
        SightlineUser supervisor = accounts.loadUserByUsername(data.user(force, Roles.SUPERVISOR));
        new TransactionTemplate(transactions)
                .executeWithoutResult(tx -> reviews.decide(
                        supervisor, (UUID) pair[0], "cannot_link", "different children: the school confirmed", (int)
                                pair[1]));

        // The Met's record is corrected to the same date of birth and sex: alone it would now join Kent's child.
        new TransactionTemplate(transactions)
                .executeWithoutResult(tx -> people.updateDemographics(
                        met,
                        new PersonRecords.Demographics(
                                PartialDate.parseIso(dob), "male", null, null, "not_recorded", null),
                        Instant.now()));
        assertThat(identityOf(met)).as("cannot-link honoured").isNotEqualTo(identityOf(kent));
        long control = create(force, "Nathan", family, dob, "male", null);
        assertThat(identityOf(control))
                .as("the same details without a decision join")
                .isIn(identityOf(kent), identityOf(met));

        // A supervisor's must-link merges at once, and later records find the merged identity.
        String other = family();
        LocalDate hers = randomBirth();
        long a = create(authority, "Martine", other, iso(hers), "female", null);
        long b = create(force, "Martine", other, String.valueOf(hers.getYear()), null, null);
        var review = jdbc.sql("SELECT public_id, version FROM identity_review WHERE record_a = ? AND record_b = ?")
                .params(a, b)
                .query((rs, n) -> new Object[] {rs.getObject(1, UUID.class), rs.getInt(2)})
                .optional();
        if (review.isPresent()) {
            // Two agencies' records: the Met proposes, Kent's supervisor confirms, and only then are they merged.
            UUID id = (UUID) review.get()[0];
            new TransactionTemplate(transactions)
                    .executeWithoutResult(tx -> reviews.decide(
                            supervisor, id, "must_link", "same child: same school and address", (int) review.get()[1]));
            assertThat(identityOf(b)).as("awaiting the other agency").isNotEqualTo(identityOf(a));
            int version = jdbc.sql("SELECT version FROM identity_review WHERE public_id = ?")
                    .param(id)
                    .query(Integer.class)
                    .single();
            SightlineUser kentSupervisor = accounts.loadUserByUsername(data.user(authority, Roles.SUPERVISOR));
            new TransactionTemplate(transactions)
                    .executeWithoutResult(tx ->
                            reviews.decide(kentSupervisor, id, "must_link", "confirmed: the same child", version));
        }
        assertThat(identityOf(b)).isEqualTo(identityOf(a));
        assertThat(online.current().identityOf(Long.toString(b)))
                .isEqualTo(identityOf(a).toString());
    }

    @Test
    void aRolledBackSaveLeavesNoPhantomInTheIndex() {
        String family = family();
        long[] rolledBack = new long[1];
        new TransactionTemplate(transactions).executeWithoutResult(tx -> {
            rolledBack[0] = people.create(
                            agencyId(force),
                            PersonRecords.NewRecord.reported(
                                    TestData.unique("REF"),
                                    "Ottoline",
                                    family,
                                    PartialDate.parseIso(dob),
                                    "female",
                                    Instant.now()))
                    .id();
            tx.setRollbackOnly();
        });
        assertThat(online.current().identityOf(Long.toString(rolledBack[0]))).isNull();
        assertThat(candidates("Ottoline", family, dob, "female", null))
                .noneMatch(c -> c.recordId().equals(Long.toString(rolledBack[0])));
        long kept = create(force, "Ottoline", family, dob, "female", null);
        assertThat(identityOf(kept)).isNotNull();
        assertThat(jdbc.sql("SELECT count(*) FROM identity_link WHERE ? IN (record_a, record_b)")
                        .param(kept)
                        .query(Integer.class)
                        .single())
                .as("nothing to join: the rolled-back record is gone")
                .isZero();
        assertThat(online.current().identityOf(Long.toString(kept)))
                .isEqualTo(identityOf(kept).toString());
    }

    private static InputStream csv(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void anImportBatchResolvesAgainstHeldRecordsAndWithinItself() {
        String family = family();
        String sibling = family();
        long held = create(force, "Nathan", family, dob, "male", null);
        String file = "record_ref,agency_code,given_name,middle_names,family_name,aliases,dob,sex,ethnicity_code,"
                + "ethnicity_scheme,address_line,postcode,upn,local_child_id,care_status,responsible_authority,cp_plan,"
                + "known_to_social_care,recorded_at\n"
                + "C1,%1$s,Nathen,,%2$s,,%3$s,male,,,,,,,,,,,\n".formatted(authority, family, dob)
                + "C2,%1$s,Martine,,%2$s,,%3$s,female,,,,,,,,,,,\n"
                        .formatted(authority, sibling, iso(born.minusYears(2)))
                + "C3,%1$s,Martine,,%2$s,,%3$s,female,,,,,,,,,,,\n"
                        .formatted(authority, sibling, iso(born.minusYears(2)));
        ImportReport report = imports.importNow(
                new ImportService.ImportRequest(authority, "person-records", null, "children.csv", "tester", 500, null),
                csv(file),
                n -> {});
        assertThat(report.imported()).isEqualTo(3);
        long c1 = ref(authority, "C1");
        assertThat(identityOf(c1)).isEqualTo(identityOf(held));
        assertThat(identityOf(ref(authority, "C2")))
                .isNotNull()
                .isEqualTo(identityOf(ref(authority, "C3")))
                .isNotEqualTo(identityOf(held));

        // A changed row is re-matched: C3 corrected to another child starts an identity of its own.
        String corrected = file.replace(
                "C3,%s,Martine,,%s,,%s,female".formatted(authority, sibling, iso(born.minusYears(2))),
                "C3,%s,Gideon,,%s,,%s,male".formatted(authority, family(), iso(randomBirth())));
        ImportReport again = imports.importNow(
                new ImportService.ImportRequest(authority, "person-records", null, "children.csv", "tester", 500, null),
                csv(corrected),
                n -> {});
        assertThat(again.updated()).isEqualTo(1);
        assertThat(identityOf(ref(authority, "C3"))).isNotEqualTo(identityOf(ref(authority, "C2")));
    }

    private long ref(String agency, String recordRef) {
        return jdbc.sql(
                        "SELECT pr.id FROM person_record pr JOIN agency a ON a.id = pr.agency_id WHERE a.code = ? AND pr.record_ref = ?")
                .params(agency, recordRef)
                .query(Long.class)
                .single();
    }

    @Test
    void anSsda903ReturnResolvesItsChildrenByUpnAndDateOfBirth() {
        String la = data.agency("local_authority");
        String provider = data.agency("care_provider");
        String upn = "H8012345678" + (char) ('A' + RANDOM.nextInt(26)) + (char) ('A' + RANDOM.nextInt(26));
        long placed = create(provider, "Nathan", family(), dob, "male", upn);
        String header = "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\nS1,1,"
                + born.format(java.time.format.DateTimeFormatter.ofPattern("dd/MM/yyyy")) + ",WBRI," + upn + ",0,\n";
        ssda903.importAsOperator(
                "test", la, new CollectionYear(2025), new Ssda903ImportService.Files(csv(header), null, null));
        assertThat(identityOf(ref(la, "S1"))).isEqualTo(identityOf(placed));
    }
}
