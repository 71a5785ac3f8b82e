package org.sightline.statistics;

import static org.assertj.core.api.Assertions.assertThat;

import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import java.io.ByteArrayInputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.sightline.access.Roles;
import org.sightline.access.SightlineUser;
import org.sightline.access.UserAccounts;
import org.sightline.importexport.ImportReport;
import org.sightline.importexport.ImportService;
import org.sightline.importexport.ImportService.ImportRequest;
import org.sightline.support.IntegrationTest;
import org.sightline.support.TestData;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Issue 9's "done when": agency records whose true profile is known by construction — facts split across agencies,
 * known beating not known, conflicts, children held by one to three agencies — go in through the import path, and
 * every count, unknown and percentage of the victim profile is checked exactly, each child counted once. The
 * expectations are what each child was built to be, not a re-run of the counting code.
 */
@IntegrationTest
class ProfileImportTest {

    private static final LocalDate FROM = LocalDate.of(2024, 4, 1);
    private static final LocalDate TO = LocalDate.of(2025, 3, 31);
    private static final String PERSON_HEADER =
            "record_ref,agency_code,given_name,middle_names,family_name,aliases,dob,"
                    + "sex,ethnicity_code,ethnicity_scheme,address_line,postcode,upn,local_child_id,care_status,"
                    + "responsible_authority,cp_plan,known_to_social_care,recorded_at,reported_missing\n";
    private static final String EPISODE_HEADER = "episode_ref,agency_code,record_ref,reported_at,last_seen_at,"
            + "last_seen_place,last_seen_postcode,missing_from,category,risk_grade,found_at,found_place,found_postcode,"
            + "found_by,safe_and_well_at,return_interview,return_interview_at\n";
    private static final String CONCERN_HEADER =
            "concern_ref,agency_code,record_ref,raised_at,raised_by_role,indicators," + "outcome\n";

    /** The codes of each dimension, written out here rather than taken from the code under test. */
    private static final Map<String, List<String>> CODES = new LinkedHashMap<>();

    static {
        List<String> unknowns = List.of("NOT_KNOWN", "NOT_RECORDED", "CONFLICTING");
        CODES.put("sex", cat(List.of("F", "M"), unknowns));
        CODES.put(
                "ethnicity",
                cat(
                        List.of(
                                "WBRI", "WIRI", "WIRT", "WROM", "WOTH", "MWBC", "MWBA", "MWAS", "MOTH", "AIND", "APKN",
                                "ABAN", "AOTH", "BCRB", "BAFR", "BOTH", "CHNE", "OOTH"),
                        unknowns));
        CODES.put("ethnic_group", cat(List.of("WHITE", "MIXED", "ASIAN", "BLACK", "OTHER"), unknowns));
        CODES.put("reported_missing", cat(List.of("YES", "NO"), unknowns));
        CODES.put("looked_after", cat(List.of("YES", "NO"), unknowns));
        CODES.put("age_band", cat(List.of("0-11", "12-13", "14-15", "16-17", "18+"), unknowns));
        CODES.put("cp_plan", cat(List.of("YES", "NO"), unknowns));
        CODES.put("known_to_social_care", cat(List.of("YES", "NO"), unknowns));
    }

    private static List<String> cat(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    @Autowired
    ImportService imports;

    @Autowired
    TestData data;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    Reports reports;

    @Autowired
    Profiles profiles;

    @Autowired
    VictimAggregate victimsKept;

    @Autowired
    ReportWriter writer;

    @Autowired
    ObjectMapper json;

    @Autowired
    Conflicts conflicts;

    @Autowired
    UserAccounts accounts;

    /** One agency's record of a child: the CSV cells the test sets. */
    static final class Rec {
        final String agency;
        final String ref;
        String sex = "";
        String ethCode = "";
        String ethScheme = "";
        String care = "";
        String cp = "";
        String known = "";
        String reportedMissing = "";
        boolean episode;

        Rec(String agency, String ref) {
            this.agency = agency;
            this.ref = ref;
        }
    }

    /** A child as built: its records and what its profile must say. */
    static final class Child {
        final String given;
        final String family;
        final String dob;
        final String upn;
        String house;
        String postcode;
        final List<Rec> recs = new ArrayList<>();
        final Map<String, String> expected = new LinkedHashMap<>();
        String concernAgency;
        String concernAt = "2024-10-01T10:00:00Z";

        Child(String given, String family, String dob, String upn) {
            this.given = given;
            this.family = family;
            this.dob = dob;
            this.upn = upn;
        }
    }

    private static String police;
    private static String authority;
    private static String provider;
    private static String elsewhere;
    private static String area;
    private static final List<Child> victims = new ArrayList<>();
    private static final List<Child> others = new ArrayList<>();
    /** The children built with concern dates a period cannot place (44, 45, 46). */
    private static final long UNPLACED = 3;

    private static boolean loaded;

    private final Random random = new Random(9);

    @BeforeAll
    static void reset() {
        loaded = false;
    }

    private synchronized void load() {
        if (loaded) {
            return;
        }
        area = TestData.unique("AREA");
        police = agencyIn("police_force", area);
        authority = agencyIn("local_authority", area);
        provider = agencyIn("care_provider", area);
        elsewhere = agencyIn("local_authority", TestData.unique("AREA"));
        build();
        List<Child> all = new ArrayList<>(victims);
        all.addAll(others);
        for (String agency : List.of(police, authority, provider, elsewhere)) {
            StringBuilder people = new StringBuilder(PERSON_HEADER);
            StringBuilder episodes = new StringBuilder(EPISODE_HEADER);
            StringBuilder concerns = new StringBuilder(CONCERN_HEADER);
            for (Child c : all) {
                for (Rec r : c.recs) {
                    if (!r.agency.equals(agency)) {
                        continue;
                    }
                    boolean social = !agency.equals(police);
                    people.append(String.join(
                                    ",",
                                    r.ref,
                                    agency,
                                    c.given,
                                    "",
                                    c.family,
                                    "",
                                    c.dob,
                                    r.sex,
                                    r.ethCode,
                                    r.ethScheme,
                                    "\"" + c.house + " Sample Row, Testville\"",
                                    c.postcode,
                                    social ? c.upn : "",
                                    "",
                                    r.care,
                                    "",
                                    r.cp,
                                    r.known,
                                    "2024-01-01T09:00:00Z",
                                    r.reportedMissing))
                            .append('\n');
                    if (r.episode) {
                        // Blank missing_from, category and return interview: stored as not recorded.
                        episodes.append(String.join(
                                        ",",
                                        "EP-" + r.ref,
                                        agency,
                                        r.ref,
                                        "2024-06-01T22:00:00Z",
                                        "",
                                        "",
                                        "",
                                        "",
                                        "",
                                        "",
                                        "2024-06-02T08:00:00Z",
                                        "",
                                        "",
                                        "",
                                        "",
                                        "",
                                        ""))
                                .append('\n');
                    }
                }
                if (agency.equals(c.concernAgency)) {
                    Rec holder = c.recs.stream()
                            .filter(r -> r.agency.equals(agency))
                            .findFirst()
                            .orElseThrow();
                    concerns.append(String.join(
                                    ",",
                                    "CON-" + holder.ref,
                                    agency,
                                    holder.ref,
                                    c.concernAt,
                                    "social_worker",
                                    "missing_repeat",
                                    ""))
                            .append('\n');
                }
            }
            assertThat(run(agency, "person-records", people).quarantined()).isZero();
            assertThat(run(agency, "missing-episodes", episodes).quarantined()).isZero();
            assertThat(run(agency, "concerns", concerns).quarantined()).isZero();
        }
        loaded = true;
    }

    private ImportReport run(String agency, String kind, StringBuilder csv) {
        return imports.importNow(
                new ImportRequest(agency, kind, null, kind + ".csv", "tester", 50, null),
                new ByteArrayInputStream(csv.toString().getBytes(StandardCharsets.UTF_8)),
                n -> {});
    }

    private String agencyIn(String type, String areaCode) {
        String code = data.agency(type);
        jdbc.sql("UPDATE agency SET area_code = ? WHERE code = ?")
                .params(areaCode, code)
                .update();
        return code;
    }

    private static final String[] GIVEN = {
        "Avelyn",
        "Brisa",
        "Caelan",
        "Dorit",
        "Esmer",
        "Fenwick",
        "Galen",
        "Hesper",
        "Ilsa",
        "Joren",
        "Kestra",
        "Lorcan",
        "Merin",
        "Nyssa",
        "Orlen",
        "Perrin",
        "Quilla",
        "Rowen",
        "Sorrel",
        "Tamsin",
        "Ulric",
        "Vesna",
        "Wystan",
        "Xanthe",
        "Yorick",
        "Zelda",
        "Anselm",
        "Bettany",
        "Corvin",
        "Delphine",
        "Emrys",
        "Fionnuala",
        "Gideon",
        "Honora",
        "Isolde",
        "Jarvis",
        "Keziah",
        "Leopold",
        "Marisol",
        "Nestor",
        "Ottilie",
        "Peregrine",
        "Rosalind",
        "Silvester"
    };

    private String surname() {
        StringBuilder s = new StringBuilder("Z");
        String consonants = "bcdfghklmnprstvw";
        String vowels = "aeiou";
        for (int i = 0; i < 4; i++) {
            s.append(consonants.charAt(random.nextInt(consonants.length()))).append(vowels.charAt(random.nextInt(5)));
        }
        return s.append("ton").toString();
    }

    private Child child(int i, List<String> holders, int ageYears) {
        LocalDate dob = TO.minusYears(ageYears).minusDays(40 + i);
        Child c = new Child(
                GIVEN[i % GIVEN.length], surname(), dob.toString(), String.format("T%012d", 900_000_000L + i * 7L));
        c.house = Integer.toString(3 + i * 11);
        c.postcode = "TV" + (1 + i / 10) + " " + (i % 10) + "SR";
        for (String h : holders) {
            c.recs.add(new Rec(h, TestData.unique("R")));
        }
        c.concernAgency = holders.get(0);
        return c;
    }

    /** Sets one dimension so the child's profile must say {@code expected}; returns what it was built to say. */
    private String set(Child c, String dimension, String expected) {
        List<Rec> r = c.recs;
        String want = expected;
        if ("CONFLICTING".equals(want) && r.size() < 2) {
            want = "NOT_KNOWN";
        }
        switch (want) {
            case "NOT_RECORDED" -> {}
            case "NOT_KNOWN" -> put(r.get(r.size() - 1), dimension, "NOT_KNOWN");
            case "CONFLICTING" -> {
                put(r.get(0), dimension, dimension.equals("sex") ? "F" : "YES");
                put(r.get(1), dimension, dimension.equals("sex") ? "M" : "NO");
            }
            default -> {
                // The known value in one record; the others blank or "not known", which it must beat.
                int k = random.nextInt(r.size());
                for (int i = 0; i < r.size(); i++) {
                    put(r.get(i), dimension, i == k ? want : random.nextBoolean() ? "NOT_KNOWN" : "NOT_RECORDED");
                }
            }
        }
        c.expected.put(dimension, want);
        return want;
    }

    private static void put(Rec r, String dimension, String v) {
        String cell =
                switch (v) {
                    case "NOT_RECORDED" -> "";
                    case "NOT_KNOWN" -> dimension.equals("sex") ? "unknown" : "not_known";
                    case "F" -> "female";
                    case "M" -> "male";
                    case "YES" -> dimension.equals("looked_after") ? "looked_after" : "yes";
                    case "NO" -> dimension.equals("looked_after") ? "not_looked_after" : "no";
                    default -> throw new IllegalArgumentException(v);
                };
        switch (dimension) {
            case "sex" -> r.sex = cell;
            case "looked_after" -> r.care = cell;
            case "cp_plan" -> r.cp = cell;
            case "known_to_social_care" -> r.known = cell;
            case "reported_missing" -> r.reportedMissing = cell;
            default -> throw new IllegalArgumentException(dimension);
        }
    }

    /** Ethnicity cases: per record (code, scheme), and the (detail, group) the child must get. */
    private void ethnicity(Child c, int variant) {
        List<Rec> r = c.recs;
        String[][] cells;
        String detail;
        String group;
        switch (r.size() < 2 && variant >= 5 ? variant - 5 : variant) {
            case 0 -> {
                cells = new String[][] {{"WBRI", "DFE"}, {"W1", "POLICE_SDE"}, {"IC1", "POLICE_ODE"}};
                detail = "WBRI";
                group = "WHITE";
            }
            case 1 -> {
                cells = new String[][] {{"A2", "POLICE_SDE"}, {"APKN", "DFE"}, {"NOBT", "DFE"}};
                detail = "APKN";
                group = "ASIAN";
            }
            case 2 -> {
                cells = new String[][] {{"IC4", "POLICE_ODE"}, {"", ""}, {"REFU", "DFE"}};
                detail = "NOT_KNOWN";
                group = "ASIAN";
            }
            case 3 -> {
                cells = new String[][] {{"NOBT", "DFE"}, {"", ""}, {"IC9", "POLICE_ODE"}};
                detail = "NOT_KNOWN";
                group = "NOT_KNOWN";
            }
            case 4 -> {
                cells = new String[][] {{"", ""}, {"", ""}, {"", ""}};
                detail = "NOT_RECORDED";
                group = "NOT_RECORDED";
            }
            case 5 -> {
                cells = new String[][] {{"WBRI", "DFE"}, {"APKN", "DFE"}, {"", ""}};
                detail = "CONFLICTING";
                group = "CONFLICTING";
            }
            case 6 -> {
                cells = new String[][] {{"WBRI", "DFE"}, {"WIRI", "DFE"}, {"W9", "POLICE_SDE"}};
                detail = "CONFLICTING";
                group = "WHITE";
            }
            default -> {
                cells = new String[][] {{"CHNE", "DFE"}, {"", ""}, {"", ""}};
                detail = "CHNE";
                group = "ASIAN";
            }
        }
        for (int i = 0; i < r.size(); i++) {
            r.get(i).ethCode = cells[i][0];
            r.get(i).ethScheme = cells[i][1];
        }
        c.expected.put("ethnicity", detail);
        c.expected.put("ethnic_group", group);
    }

    private void build() {
        List<List<String>> holderSets = List.of(
                List.of(authority),
                List.of(police, authority),
                List.of(provider, police, authority),
                List.of(police),
                List.of(authority, provider));
        String[] sexes = {"F", "F", "M", "NOT_KNOWN", "F", "NOT_RECORDED", "CONFLICTING", "F", "M"};
        String[] yesNo = {"YES", "NO", "YES", "NOT_KNOWN", "NOT_RECORDED", "CONFLICTING", "YES"};
        int[] ages = {10, 12, 14, 15, 14, 16, 17, 19, 15};
        String[] bands = {"0-11", "12-13", "14-15", "14-15", "14-15", "16-17", "16-17", "18+", "14-15"};
        for (int i = 0; i < 40; i++) {
            Child c = child(i, holderSets.get(i % holderSets.size()), ages[i % ages.length]);
            c.expected.put("age_band", bands[i % bands.length]);
            set(c, "sex", sexes[i % sexes.length]);
            ethnicity(c, i % 8);
            set(c, "looked_after", yesNo[i % yesNo.length]);
            set(c, "cp_plan", yesNo[(i + 2) % yesNo.length]);
            set(c, "known_to_social_care", yesNo[(i + 4) % yesNo.length]);
            switch (i % 6) {
                case 0 -> { // an episode held by one agency, while another record says no: yes
                    c.recs.get(c.recs.size() - 1).episode = true;
                    c.recs.get(0).reportedMissing = c.recs.size() > 1 ? "no" : "";
                    c.expected.put("reported_missing", "YES");
                }
                case 1 -> set(c, "reported_missing", "YES");
                case 2 -> set(c, "reported_missing", "NO");
                case 3 -> set(c, "reported_missing", "NOT_KNOWN");
                case 4 -> set(c, "reported_missing", "NOT_RECORDED");
                default -> { // yes and no from two agencies: yes, never conflicting
                    c.recs.get(0).reportedMissing = "yes";
                    c.recs.get(c.recs.size() - 1).reportedMissing = c.recs.size() > 1 ? "no" : "yes";
                    c.expected.put("reported_missing", "YES");
                }
            }
            victims.add(c);
        }
        // Facts held by an agency outside the area still count for a child of the area.
        Child across = child(40, List.of(authority, elsewhere), 15);
        across.recs.get(1).sex = "female";
        across.expected.putAll(Map.of(
                "sex",
                "F",
                "age_band",
                "14-15",
                "ethnicity",
                "NOT_RECORDED",
                "ethnic_group",
                "NOT_RECORDED",
                "looked_after",
                "NOT_RECORDED",
                "cp_plan",
                "NOT_RECORDED",
                "known_to_social_care",
                "NOT_RECORDED",
                "reported_missing",
                "NOT_RECORDED"));
        victims.add(across);
        // Not in the profile: no concern; a concern before the period; a concern raised outside the area.
        Child noConcern = child(41, List.of(police, authority), 14);
        noConcern.concernAgency = null;
        Child earlier = child(42, List.of(authority), 14);
        earlier.concernAt = "2023-01-10T10:00:00Z";
        Child outside = child(43, List.of(elsewhere), 14);
        others.addAll(List.of(noConcern, earlier, outside));
        // Neither placed in the period nor ruled out of it, so not counted but counted apart (unplaced): a date not
        // known, no date recorded, a year that runs across the period's start. A year wholly before it is ruled out.
        Child unknownDate = child(44, List.of(authority), 14);
        unknownDate.concernAt = "not_known";
        Child noDate = child(45, List.of(police, authority), 14);
        noDate.concernAt = "";
        Child acrossStart = child(46, List.of(authority), 14);
        acrossStart.concernAt = "2024";
        Child yearBefore = child(47, List.of(authority), 14);
        yearBefore.concernAt = "2023";
        others.addAll(List.of(unknownDate, noDate, acrossStart, yearBefore));
    }

    private long identityOf(Rec r) {
        return jdbc.sql("SELECT pr.identity_id FROM person_record pr JOIN agency a ON a.id = pr.agency_id "
                        + "WHERE a.code = ? AND pr.record_ref = ?")
                .params(r.agency, r.ref)
                .query(Long.class)
                .single();
    }

    private Map<String, Map<String, Long>> expectedCounts() {
        Map<String, Map<String, Long>> out = new LinkedHashMap<>();
        CODES.forEach((d, codes) -> {
            Map<String, Long> m = new LinkedHashMap<>();
            codes.forEach(code -> m.put(code, 0L));
            out.put(d, m);
        });
        for (Child c : victims) {
            c.expected.forEach((d, v) -> out.get(d).merge(v, 1L, Long::sum));
        }
        return out;
    }

    private ProfileQuery query() {
        return new ProfileQuery(area, FROM, TO, TO);
    }

    @Test
    void eachChildIsLinkedOnceAcrossAgencies() {
        load();
        Set<Long> seen = new HashSet<>();
        for (Child c : victims) {
            Set<Long> ids = new HashSet<>();
            c.recs.forEach(r -> ids.add(identityOf(r)));
            assertThat(ids).as("records of one child, one identity").hasSize(1);
            assertThat(seen.add(ids.iterator().next()))
                    .as("one identity per child")
                    .isTrue();
        }
    }

    @Test
    void victimProfileCountsEveryChildOnceWithEveryUnknownAndConflict() {
        load();
        Profile p = profiles.computedVictims(query());
        long records = victims.stream().mapToLong(c -> c.recs.size()).sum();
        Map<String, Map<String, Long>> expected = expectedCounts();
        if (!victimsKept.built()) {
            victimsKept.rebuild();
        }
        // Gathered from the records, and from the rows kept per child (refreshed from the import's queue).
        for (Profile each : List.of(p, profiles.keptVictims(query()).orElseThrow())) {
            assertThat(each.subjects()).isEqualTo(victims.size());
            assertThat(each.records()).isEqualTo(records);
            assertThat(each.dimensions()).isEqualTo(expected);
            assertThat(each.unplaced()).as("children 44, 45 and 46").isEqualTo(UNPLACED);
            assertThat(each.conflicts()).isEqualTo(p.conflicts());
        }
        assertThat(profiles.profile(ProfileKind.VICTIM, new ProfileQuery(area, null, null, TO))
                        .unplaced())
                .as("without a period every concern counts")
                .isZero();

        // Percentages of the children counted, one decimal, half up.
        PublishedProfile exact = PublishedProfile.of(p, false);
        exact.dimensions()
                .forEach((d, rows) -> rows.forEach(r -> {
                    long n = expected.get(d).get(r.code());
                    assertThat(r.count().value()).isEqualTo(n);
                    assertThat(r.count().hidden()).isFalse();
                    assertThat(r.percent())
                            .isEqualTo(String.format(
                                    java.util.Locale.ROOT, "%.1f", Math.round(n * 1000.0 / victims.size()) / 10.0));
                }));

        // Conflicts are listed by identity for correction: the children built to conflict, and no others.
        Set<Long> sexConflicts = new HashSet<>();
        victims.stream()
                .filter(c -> "CONFLICTING".equals(c.expected.get("sex")))
                .forEach(c -> sexConflicts.add(identityOf(c.recs.get(0))));
        assertThat(p.conflicts().stream()
                        .filter(x -> x.dimension().equals("sex"))
                        .map(Profile.Conflict::identityId))
                .containsExactlyInAnyOrderElementsOf(sexConflicts);
        assertThat(p.conflicts().stream().filter(x -> x.dimension().equals("sex")))
                .allSatisfy(x -> assertThat(x.values()).containsExactly("F", "M"));
    }

    @Test
    void supervisorsSeeTheConflictingChildrenTheirAgencyMayOpenAndTheListIsAudited() {
        load();
        SightlineUser supervisor = accounts.loadUserByUsername(data.user(provider, Roles.SUPERVISOR));
        Profile p = profiles.profile(ProfileKind.VICTIM, query());
        // Children the provider raised a concern about are certainly open to it; children it holds no record of never
        // are.
        Set<java.util.UUID> mustSee = new HashSet<>();
        Set<java.util.UUID> mayHold = new HashSet<>();
        for (Child c : victims) {
            if (!c.expected.containsValue("CONFLICTING") || c.recs.stream().noneMatch(r -> r.agency.equals(provider))) {
                continue;
            }
            java.util.UUID id = jdbc.sql("SELECT public_id FROM identity WHERE id = ?")
                    .param(identityOf(c.recs.get(0)))
                    .query(java.util.UUID.class)
                    .single();
            mayHold.add(id);
            if (provider.equals(c.concernAgency)) {
                mustSee.add(id);
            }
        }
        long audited = auditCount(supervisor.username());
        List<Conflicts.Line> lines = conflicts.visible(supervisor, p);
        assertThat(mustSee).isNotEmpty();
        assertThat(lines.stream().map(Conflicts.Line::identity).distinct().toList())
                .containsAll(mustSee)
                .allSatisfy(id -> assertThat(mayHold).contains(id));
        assertThat(auditCount(supervisor.username())).isEqualTo(audited + 1);
    }

    private long auditCount(String actor) {
        return jdbc.sql("SELECT count(*) FROM audit_event WHERE actor = ? AND action = 'VIEW_LIST'")
                .param(actor)
                .query(Long.class)
                .single();
    }

    @Test
    void adultsLinkedOnlyWithoutADateAreCountedApartForAPeriod() {
        String adultArea = TestData.unique("AREA");
        String force = agencyIn("police_force", adultArea);
        // in the period; undated only (unplaced); undated and in the period (counted); before it only; no link at all
        long inPeriod = adult(force, "2024-06-01T12:00:00Z");
        long undated = adult(force, null);
        long both = adult(force, null);
        link(force, both, "2024-07-01T12:00:00Z");
        adult(force, "2023-06-01T12:00:00Z");
        jdbc.sql("INSERT INTO adult_of_concern (agency_id, adult_ref) SELECT id, ? FROM agency WHERE code = ?")
                .params(TestData.unique("ADL"), force)
                .update();

        Profile p = profiles.profile(ProfileKind.ADULT, new ProfileQuery(adultArea, FROM, TO, TO));
        assertThat(p.subjects()).as("adults %d and %d", inPeriod, both).isEqualTo(2);
        assertThat(p.unplaced()).as("adult %d", undated).isEqualTo(1);
        Profile always = profiles.profile(ProfileKind.ADULT, new ProfileQuery(adultArea, null, null, TO));
        assertThat(always.subjects()).isEqualTo(5);
        assertThat(always.unplaced()).isZero();
    }

    /** An adult of concern of {@code agency} seen with a child at {@code observedAt} (null: a link with no date). */
    private long adult(String agency, String observedAt) {
        long id = jdbc.sql(
                        "INSERT INTO adult_of_concern (agency_id, adult_ref) SELECT id, ? FROM agency WHERE code = ? "
                                + "RETURNING id")
                .params(TestData.unique("ADL"), agency)
                .query(Long.class)
                .single();
        link(agency, id, observedAt);
        return id;
    }

    private void link(String agency, long adult, String observedAt) {
        java.util.UUID record = data.personRecord(agency, "Ada", TestData.unique("Linked"), 2010, 1, 1, null);
        long child = jdbc.sql("SELECT id FROM person_record WHERE public_id = ?")
                .param(record)
                .query(Long.class)
                .single();
        jdbc.sql(
                        """
                INSERT INTO association (agency_id, from_kind, from_id, to_kind, to_id, association_type, observed_at)
                SELECT id, 'adult', ?, 'person_record', ?, 'seen_with', CAST(? AS timestamptz) FROM agency WHERE code = ?""")
                .params(adult, child, observedAt, agency)
                .update();
    }

    @Test
    void jsonReportHasTheDocumentedShapeAndExactCounts() throws Exception {
        load();
        StringWriter out = new StringWriter();
        writer.write(reports.profile(ProfileKind.VICTIM, query(), true, "tester", null), "json", out);
        JsonNode root = json.readTree(out.toString());
        assertThat(root.get("children").asLong()).isEqualTo(victims.size());
        assertThat(root.get("records").asLong())
                .isEqualTo(victims.stream().mapToLong(c -> c.recs.size()).sum());
        assertThat(root.get("unplaced").asLong()).isEqualTo(UNPLACED);
        expectedCounts()
                .forEach((d, codes) -> codes.forEach(
                        (code, n) -> assertThat(root.get(d).get(code).asLong())
                                .as(d + "." + code)
                                .isEqualTo(n)));
    }

    @Test
    void csvReportHasTheSameCountsWithPercentages() {
        load();
        StringWriter out = new StringWriter();
        writer.write(reports.profile(ProfileKind.VICTIM, query(), true, "tester", null), "csv", out);
        Map<String, String> counts = new LinkedHashMap<>();
        Map<String, String> percents = new LinkedHashMap<>();
        for (CsvRecord r : CsvReader.builder().ofCsvRecord(out.toString())) {
            counts.put(r.getField(0) + "." + r.getField(1), r.getField(3));
            percents.put(r.getField(0) + "." + r.getField(1), r.getField(4));
        }
        assertThat(counts.get("children.")).isEqualTo(Integer.toString(victims.size()));
        expectedCounts()
                .forEach((d, codes) -> codes.forEach((code, n) -> {
                    assertThat(counts.get(d + "." + code)).as(d + "." + code).isEqualTo(Long.toString(n));
                    assertThat(percents.get(d + "." + code))
                            .isEqualTo(String.format(
                                    java.util.Locale.ROOT, "%.1f", Math.round(n * 1000.0 / victims.size()) / 10.0));
                }));
    }

    @Test
    void publishedReportSuppressesSmallCountsSoNoDimensionRevealsOne() throws Exception {
        load();
        StringWriter out = new StringWriter();
        writer.write(reports.profile(ProfileKind.VICTIM, query(), false, "tester", null), "json", out);
        JsonNode root = json.readTree(out.toString());
        assertThat(root.get("children").asLong()).isEqualTo(victims.size());
        assertThat(root.get("unplaced").asString())
                .as("3 children, 1 to 4: suppressed")
                .isEqualTo("[c]");
        Map<String, Map<String, Long>> expected = expectedCounts();
        expected.forEach((d, codes) -> {
            int hidden = 0;
            for (Map.Entry<String, Long> e : codes.entrySet()) {
                JsonNode cell = root.get(d).get(e.getKey());
                if (e.getValue() >= 1 && e.getValue() <= 4) {
                    assertThat(cell.asString()).as(d + "." + e.getKey()).isEqualTo("[c]");
                }
                if (cell.isString()) {
                    hidden++;
                } else {
                    assertThat(cell.asLong()).isEqualTo(e.getValue());
                }
            }
            assertThat(hidden)
                    .as(d + ": never exactly one hidden cell beside a published total")
                    .isNotEqualTo(1);
        });
    }

    @Test
    void blankEpisodeFieldsStayNotRecorded() {
        load();
        Rec r = victims.get(0).recs.get(victims.get(0).recs.size() - 1);
        assertThat(r.episode).isTrue();
        Map<String, Object> row = jdbc.sql(
                        """
                SELECT e.missing_from, e.category, e.return_interview_status FROM missing_episode e
                JOIN agency a ON a.id = e.agency_id WHERE a.code = ? AND e.episode_ref = ?""")
                .params(r.agency, "EP-" + r.ref)
                .query()
                .singleRow();
        assertThat(row)
                .containsEntry("missing_from", "not_recorded")
                .containsEntry("category", "not_recorded")
                .containsEntry("return_interview_status", "not_recorded");
    }
}
