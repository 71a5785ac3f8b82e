package org.sightline.synth;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.sightline.synth.RefData.Agency;
import org.sightline.synth.RefData.La;
import org.sightline.synth.World.Location;
import org.sightline.synth.World.Network;

/**
 * Generates children chunk by chunk. A chunk's output depends only on (seed, chunk index), so chunks
 * can be generated on any number of threads and written in order with identical bytes. Immutable
 * after construction; all mutable state lives in the per-call {@link Chunk}.
 */
final class ChildGenerator {

    static final int CHUNK_SIZE = 2_000;
    private static final long NUMBER_SPACE = 100_000_000L;
    private static final long APRIL_2016 = Fmt.epochSecond(LocalDate.of(2016, 4, 1));

    /** Rows of one chunk, per table, in generation order; plus who joined which network. */
    static final class ChunkOutput {
        final int chunkIndex;
        final int children;
        final EnumMap<Table, List<String[]>> rows = new EnumMap<>(Table.class);
        final List<int[]> networkMembers = new ArrayList<>();
        /** Filled when the chunk is pre-rendered to CSV bytes by the worker; rows are then dropped. */
        @Nullable
        EnumMap<Table, byte[]> csv;

        ChunkOutput(int chunkIndex, int children) {
            this.chunkIndex = chunkIndex;
            this.children = children;
            for (Table t : Table.values()) {
                rows.put(t, new ArrayList<>());
            }
        }

        void add(Table t, String... values) {
            rows(t).add(values);
        }

        List<String[]> rows(Table t) {
            return Objects.requireNonNull(rows.get(t)); // the constructor gives every table a list
        }

        /** The table rendered as CSV by the worker. */
        byte[] csv(Table t) {
            EnumMap<Table, byte[]> rendered = Objects.requireNonNull(csv, "chunk not rendered");
            return Objects.requireNonNull(rendered.get(t));
        }
    }

    private final World world;
    private final long seed;
    /** Per agency code, whether it holds only full names (hard errors); shared by the generator's threads. */
    private final java.util.concurrent.ConcurrentHashMap<String, Boolean> fullNameOnly =
            new java.util.concurrent.ConcurrentHashMap<>();

    private final long refEpoch;
    private final LocalDate refDate;
    private final long[] mulA;
    private final long[] addB;
    private final double[][] ethnicityByLa;

    static final String[] DFE = {
        "WBRI", "WIRI", "WIRT", "WROM", "WOTH", "MWBC", "MWBA", "MWAS", "MOTH", "AIND", "APKN", "ABAN", "AOTH", "BCRB",
        "BAFR", "BOTH", "CHNE", "OOTH"
    };
    // Rough shares among children in England (school census scale), before each area's diversity factor.
    private static final double[] DFE_BASE = {
        0.64, 0.003, 0.002, 0.005, 0.075, 0.017, 0.009, 0.018, 0.023, 0.035, 0.045, 0.019, 0.021, 0.010, 0.043, 0.007,
        0.005, 0.023
    };

    ChildGenerator(World world) {
        this.world = world;
        this.seed = world.config.seed();
        this.refEpoch = world.refEpoch;
        this.refDate = world.config.referenceDate();
        int n = world.agencies.size();
        mulA = new long[n];
        addB = new long[n];
        for (int i = 0; i < n; i++) {
            long h = Rnd.mix(seed, 7, world.agencies.get(i).code().hashCode());
            long a = Math.floorMod(h, NUMBER_SPACE) | 1L;
            if (a % 5 == 0) {
                a += 2;
            }
            mulA[i] = a;
            addB[i] = Math.floorMod(Rnd.mix(seed, 8, i), NUMBER_SPACE);
        }
        ethnicityByLa = new double[world.ref.las.size()][];
        for (La la : world.ref.las) {
            double[] w = DFE_BASE.clone();
            for (int k = 1; k < w.length; k++) {
                w[k] *= la.diversity;
            }
            ethnicityByLa[la.index] = Rnd.cumulative(w);
        }
    }

    /** A bijection of [0, 10^8) per agency: record numbers are unique within an agency and unrelated across agencies. */
    private long number(Agency agency, long x, int salt) {
        long a = mulA[agency.index()];
        long b = (addB[agency.index()] + salt * 37_953_113L) % NUMBER_SPACE;
        return (a * x + b) % NUMBER_SPACE;
    }

    // ----------------------------------------------------------------------------------------------
    // Per-child state

    // The per-child records below are filled in field by field by the method that creates each one (child(),
    // placements(), rec(), base(), concerns()) before anything reads them; fields that may stay unset are @Nullable.
    @SuppressWarnings("NullAway.Init")
    private static final class Child {
        int index;
        String id;
        boolean male;
        LocalDate dob;
        String eth;
        String givenGroup;
        String surnameGroup;
        String given;

        @Nullable
        String middle;

        String family;
        La home;
        String address;
        String postcode;

        @Nullable
        String prevAddress; // set when the child moved (movedAt > 0)

        @Nullable
        String prevPostcode;

        long movedAt;

        @Nullable
        String upn;

        boolean lac;
        boolean cpPlan;

        @Nullable
        Network net;

        final List<Placement> placements = new ArrayList<>();
        final List<Rec> recs = new ArrayList<>();
        final List<Episode> episodes = new ArrayList<>();
        final List<String[]> pendingAssociations = new ArrayList<>();
        final List<Object[]> pendingAssocRecs = new ArrayList<>();
        final List<Concern> concerns = new ArrayList<>();
        long activeFrom;
        long activeTo;

        String addressAt(long t) {
            String prev = prevAddress;
            return prev != null && movedAt > 0 && t < movedAt ? prev : address;
        }

        String postcodeAt(long t) {
            String prev = prevPostcode;
            return prev != null && movedAt > 0 && t < movedAt ? prev : postcode;
        }
    }

    @SuppressWarnings("NullAway.Init")
    private static final class Placement {
        long start;
        long end;
        boolean ongoing;
        La la;
        String address;
        String postcode;
        String type;

        @Nullable
        Agency provider;
        /** SSDA903 legal status (LS) and category of need (CIN) of the episode of care this placement is. */
        String legalStatus;

        String categoryOfNeed;
    }

    @SuppressWarnings("NullAway.Init")
    private static final class Rec {
        Agency agency;
        int dup;
        long firstAt;
        String address;
        String postcode;
        boolean careContext;
        boolean host;
        String ref;
        long number;
        int episodes;
        int concerns;
    }

    @SuppressWarnings("NullAway.Init")
    private static final class Episode {
        Rec rec;
        long reported;
        long lastSeen;
        String lastSeenPlace;
        String lastSeenPostcode;
        String from;
        String category;
        String risk = "";
        long found = -1;
        String foundPlace = "";
        String foundPostcode = "";
        String foundBy = "";
        long safeWell = -1;
        String returnInterview = "";
        long returnInterviewAt = -1;
        String ref;
    }

    @SuppressWarnings("NullAway.Init")
    private static final class Concern {
        Rec rec;
        long raised;
        String role;
        String indicators;
        String outcome;
    }

    /** Family reused for the next child when it is a sibling. */
    private static final class Family {
        @Nullable
        Child first;
    }

    // ----------------------------------------------------------------------------------------------

    ChunkOutput generate(int chunkIndex) {
        int from = chunkIndex * CHUNK_SIZE;
        int to = Math.min(world.config.children(), from + CHUNK_SIZE);
        ChunkOutput out = new ChunkOutput(chunkIndex, to - from);
        Rnd rnd = new Rnd(Rnd.mix(seed, 3, chunkIndex));
        Family family = new Family();
        for (int i = from; i < to; i++) {
            Child c = child(rnd, i, family);
            events(rnd, c);
            emit(rnd, c, out);
            if (c.net != null) {
                out.networkMembers.add(new int[] {c.net.index, i});
            }
        }
        return out;
    }

    private static final double[] AGE_WEIGHTS = {
        // ages 4..20 at the reference date; teenagers dominate the children agencies share records about
        0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.8, 0.9, 1.1, 1.4, 1.7, 1.9, 1.9, 1.6, 0.7, 0.5, 0.35
    };
    private static final double[] AGE_CUM = Rnd.cumulative(AGE_WEIGHTS);

    private Child child(Rnd rnd, int index, Family family) {
        Child c = new Child();
        c.index = index;
        c.id = "C" + Fmt.pad(index + 1, 7);
        if (rnd.chance(World.NETWORK_CHILD_RATE) && !world.networks.isEmpty()) {
            c.net = world.networks.get(rnd.nextInt(world.networks.size()));
        }
        Child sib = c.net == null && family.first != null && rnd.chance(0.12) ? family.first : null;
        int age = c.net != null ? rnd.between(12, 17) : 4 + rnd.pickCumulative(AGE_CUM);
        c.male = c.net != null ? rnd.chance(0.2) : rnd.chance(0.52);
        if (sib != null && rnd.chance(0.04)) {
            c.dob = sib.dob; // twins
        } else {
            long dobDay = refDate.toEpochDay() - (long) (age * 365.25) - rnd.nextInt(365);
            c.dob = LocalDate.ofEpochDay(dobDay);
            if (sib != null && Math.abs(c.dob.toEpochDay() - sib.dob.toEpochDay()) < 300) {
                c.dob = c.dob.minusDays(rnd.between(330, 900));
            }
        }
        if (sib != null) {
            c.home = sib.home;
            c.eth = sib.eth;
            c.givenGroup = sib.givenGroup;
            c.surnameGroup = sib.surnameGroup;
            c.family = sib.family;
            c.address = sib.address;
            c.postcode = sib.postcode;
            c.prevAddress = sib.prevAddress;
            c.prevPostcode = sib.prevPostcode;
            c.movedAt = sib.movedAt;
            c.lac = sib.lac ? rnd.chance(0.7) : rnd.chance(0.05);
        } else {
            c.home = c.net != null ? rnd.pick(c.net.sourceLas) : world.pickLa(rnd);
            c.eth = DFE[rnd.pickCumulative(ethnicityByLa[c.home.index])];
            chooseGroups(rnd, c);
            String fam = Names.get().pool("surname." + c.surnameGroup).pick(rnd);
            if (c.surnameGroup.equals("british") && rnd.chance(0.04)) {
                String second = Names.get().pool("surname.british").pick(rnd);
                if (!second.equals(fam)) {
                    fam = fam + "-" + second;
                }
            }
            c.family = fam;
            c.address = rnd.between(1, 220) + " " + World.street(rnd) + ", " + town(c.home);
            c.postcode = World.postcode(rnd, c.home);
            if (rnd.chance(0.25)) {
                La prevLa = rnd.chance(0.8) ? c.home : world.nearbyLa(rnd, c.home, 0.7);
                c.prevAddress = rnd.between(1, 220) + " " + World.street(rnd) + ", " + town(prevLa);
                c.prevPostcode = World.postcode(rnd, prevLa);
                long dobSec = Fmt.epochSecond(c.dob);
                c.movedAt = rnd.betweenLong(dobSec + 365 * Fmt.DAY, refEpoch - 30 * Fmt.DAY);
                if (c.movedAt <= dobSec) {
                    c.movedAt = 0;
                }
            }
            double lacRate = c.net != null ? 0.45 : age >= 10 ? 0.17 : 0.10;
            c.lac = rnd.chance(lacRate);
            family.first = c;
        }
        String g = c.male ? "m" : "f";
        c.given = Names.get().pool("given." + g + "." + c.givenGroup).pick(rnd);
        if (sib != null && c.given.equals(sib.given)) {
            c.given = Names.get().pool("given." + g + "." + c.givenGroup).pick(rnd);
        }
        if (rnd.chance(0.55)) {
            String m = Names.get()
                    .pool("given." + g + "." + (rnd.chance(0.8) ? c.givenGroup : "british"))
                    .pick(rnd);
            if (!m.equals(c.given)) {
                c.middle = m;
                if (rnd.chance(0.1)) {
                    String m2 = Names.get().pool("given." + g + ".british").pick(rnd);
                    if (!m2.equals(m) && !m2.equals(c.given)) {
                        c.middle = m + " " + m2;
                    }
                }
            }
        }
        if (age >= 5 && rnd.chance(0.97)) {
            c.upn = upn(c);
        }
        c.cpPlan = !c.lac && rnd.chance(0.12);
        return c;
    }

    private static String town(La la) {
        int comma = la.name.indexOf(',');
        return comma > 0 ? la.name.substring(0, comma) : la.name;
    }

    private void chooseGroups(Rnd rnd, Child c) {
        String gg;
        String sg;
        switch (c.eth) {
            case "WBRI" -> {
                gg = rnd.chance(0.03) ? "irish" : "british";
                sg = c.home.welsh() && rnd.chance(0.5) ? "welsh" : rnd.chance(0.03) ? "irish" : "british";
            }
            case "WIRI" -> {
                gg = rnd.chance(0.7) ? "irish" : "british";
                sg = "irish";
            }
            case "WIRT" -> {
                gg = "traveller";
                sg = "traveller";
            }
            case "WROM" -> {
                boolean roma = rnd.chance(0.5);
                gg = roma ? "easteu" : "traveller";
                sg = roma ? "roma" : "traveller";
            }
            case "WOTH" -> {
                boolean ee = rnd.chance(0.75);
                gg = ee ? "easteu" : "british";
                sg = ee ? "easteu" : "british";
            }
            case "MWBC" -> {
                gg = rnd.chance(0.6) ? "british" : "caribbean";
                sg = rnd.chance(0.5) ? "british" : "caribbean";
            }
            case "MWBA" -> {
                gg = rnd.chance(0.6) ? "british" : "african";
                sg = rnd.chance(0.5) ? "british" : "african";
            }
            case "MWAS" -> {
                gg = rnd.chance(0.5) ? "british" : rnd.chance(0.5) ? "muslim" : "indian";
                sg = rnd.chance(0.5) ? "british" : gg.equals("indian") ? "indian" : "muslim";
            }
            case "MOTH" -> {
                gg = "british";
                sg = rnd.pick(new String[] {"british", "caribbean", "african", "easteu", "arab", "chinese"});
            }
            case "AIND" -> {
                gg = "indian";
                sg = "indian";
            }
            case "APKN" -> {
                gg = "muslim";
                sg = "muslim";
            }
            case "ABAN" -> {
                gg = "muslim";
                sg = "bangladeshi";
            }
            case "AOTH" -> {
                gg = rnd.pick(new String[] {"muslim", "indian", "chinese"});
                sg = gg;
            }
            case "BCRB" -> {
                gg = "caribbean";
                sg = "caribbean";
            }
            case "BAFR" -> {
                gg = "african";
                sg = "african";
            }
            case "BOTH" -> {
                gg = rnd.chance(0.5) ? "african" : "caribbean";
                sg = gg;
            }
            case "CHNE" -> {
                gg = rnd.chance(0.6) ? "chinese" : "british";
                sg = "chinese";
            }
            default -> {
                gg = "arab";
                sg = "arab";
            }
        }
        c.givenGroup = gg;
        c.surnameGroup = sg;
    }

    private static final String UPN_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ";

    /** UPN-shaped: check letter, 3-digit LA number, 7 digits unique per child, 2-digit year. */
    private String upn(Child c) {
        long serial = (c.index * 7_654_321L + Math.floorMod(seed, 10_000_000L)) % 10_000_000L;
        int year = (c.dob.getYear() + 5) % 100;
        String digits = Fmt.pad(Long.parseLong(c.home.dfeNumber), 3)
                + Fmt.pad(serial / 1000, 4)
                + Fmt.pad(year, 2)
                + Fmt.pad(serial % 1000, 3);
        int sum = 0;
        for (int i = 0; i < 12; i++) {
            sum += (digits.charAt(i) - '0') * (i + 2);
        }
        return UPN_LETTERS.charAt(sum % 23) + digits;
    }

    // ----------------------------------------------------------------------------------------------
    // Events: placements, missing episodes, concerns, network links

    private static final String[] PLACE_TYPES = {"U1", "U2", "U3", "U4", "U5", "U6", "K2", "H5", "R1", "P1", "S1", "A4"
    };
    private static final double[] PLACE_CUM =
            Rnd.cumulative(0.05, 0.03, 0.04, 0.25, 0.12, 0.14, 0.13, 0.07, 0.02, 0.05, 0.005, 0.015);

    /**
     * Category of need at entry to care (SSDA903 CIN), roughly as the DfE's children-looked-after statistics give it
     * (2024): abuse or neglect two thirds, family dysfunction, acute stress, absent parenting, then the rest.
     */
    private static final String[] CATEGORIES_OF_NEED = {"N1", "N2", "N3", "N4", "N5", "N6", "N7", "N8"};

    private static final double[] CATEGORY_OF_NEED_CUM =
            Rnd.cumulative(0.66, 0.03, 0.03, 0.08, 0.13, 0.01, 0.002, 0.058);

    /**
     * Legal status of each placement (SSDA903 LS): a child's care follows one of a few plausible paths, drawn from a
     * stream of its own so the rest of the population does not change with it. Most come in on an interim care
     * order (C1) that becomes a full care order (C2); about a fifth are accommodated by agreement (V2, section 20)
     * throughout; a few start under police protection or an emergency protection order (L1, L2) or, aged 10 or over,
     * on remand (J2); young children on a care order may move on to a placement order (E1).
     */
    private void legalStatuses(Child c, List<Placement> placements, long careStart) {
        Rnd rnd = new Rnd(Rnd.mix(seed, 4, c.index));
        String cin = CATEGORIES_OF_NEED[rnd.pickCumulative(CATEGORY_OF_NEED_CUM)];
        int ageAtStart = Fmt.dateOf(careStart).getYear() - c.dob.getYear();
        double path = rnd.uniform();
        String first;
        String later;
        if (path < 0.2) {
            first = "V2";
            later = "V2";
        } else if (path < 0.3) {
            first = "C2";
            later = "C2";
        } else if (path < 0.33) {
            first = rnd.chance(0.5) ? "L1" : "L2";
            later = "C1";
        } else if (path < 0.36 && ageAtStart >= 10) {
            first = "J2";
            later = "V2";
        } else {
            first = "C1";
            later = "C2";
        }
        for (int k = 0; k < placements.size(); k++) {
            Placement p = placements.get(k);
            p.categoryOfNeed = cin;
            p.legalStatus = k == 0 ? first : k == 1 ? later : "C1".equals(later) ? "C2" : later;
            if (k >= 1 && "C2".equals(p.legalStatus) && ageAtStart < 5 && rnd.chance(0.3)) {
                p.legalStatus = "E1";
            }
        }
    }

    private Rec rec(Child c, Agency agency, long at, String address, String postcode, boolean care) {
        Rec latest = null;
        int count = 0;
        for (Rec r : c.recs) {
            if (r.agency == agency) {
                latest = r;
                count++;
            }
        }
        if (latest != null) {
            if (at < latest.firstAt) {
                latest.firstAt = at;
            }
            return latest;
        }
        Rec r = new Rec();
        r.agency = agency;
        r.dup = count;
        r.firstAt = at;
        r.address = address;
        r.postcode = postcode;
        r.careContext = care;
        c.recs.add(r);
        return r;
    }

    /** Sometimes an agency fails to find its existing record and opens a second one for the same child. */
    private Rec recMaybeDuplicate(
            Rnd rnd, Child c, Agency agency, long at, String address, String postcode, boolean care) {
        Rec r = rec(c, agency, at, address, postcode, care);
        double p = agency.police() ? 0.02 : agency.la() ? 0.008 : 0.004;
        if (r.dup == 0 && r.firstAt < at && rnd.chance(p)) {
            Rec d = new Rec();
            d.agency = agency;
            d.dup = 1;
            d.firstAt = at;
            d.address = address;
            d.postcode = postcode;
            d.careContext = care;
            c.recs.add(d);
            return d;
        }
        for (int i = c.recs.size() - 1; i >= 0; i--) {
            if (c.recs.get(i).agency == agency) {
                return c.recs.get(i);
            }
        }
        return r;
    }

    private void events(Rnd rnd, Child c) {
        long dobSec = Fmt.epochSecond(c.dob);
        long eighteen = Fmt.epochSecond(c.dob.plusYears(18));
        if (c.lac) {
            placements(rnd, c, dobSec, eighteen);
        }
        long windowFrom = Math.max(Fmt.epochSecond(c.dob.plusYears(10)), refEpoch - 8 * 365 * Fmt.DAY);
        long windowTo = Math.min(eighteen, refEpoch);
        c.activeFrom = windowFrom;
        c.activeTo = windowTo;
        if (windowTo - windowFrom > 30 * Fmt.DAY) {
            double pMissing = c.net != null ? 0.9 : c.lac ? 0.45 : 0.40;
            if (rnd.chance(pMissing)) {
                episodes(rnd, c, windowFrom, windowTo);
            }
        }
        concerns(rnd, c);
        if (c.net != null) {
            networkLinks(rnd, c, c.net);
        }
        if (c.cpPlan || c.recs.isEmpty() || (!c.lac && rnd.chance(0.45))) {
            long at = rnd.betweenLong(Math.max(dobSec + 30 * Fmt.DAY, refEpoch - 10 * 365 * Fmt.DAY), refEpoch);
            rec(c, c.home.agency, at, c.addressAt(at), c.postcodeAt(at), false);
            // Police sit on child-protection strategy meetings and keep their own record of the child.
            if (c.cpPlan && rnd.chance(0.4)) {
                rec(c, c.home.force.agency, at, c.addressAt(at), c.postcodeAt(at), false);
            }
        }
    }

    private void placements(Rnd rnd, Child c, long dobSec, long eighteen) {
        long careEnd = Math.min(eighteen, refEpoch);
        long earliest = Math.max(dobSec + 365 * Fmt.DAY, refEpoch - 6 * 365 * Fmt.DAY);
        long careStart = rnd.betweenLong(earliest, careEnd - 30 * Fmt.DAY);
        if (careStart >= careEnd - Fmt.DAY) {
            careStart = careEnd - 400 * Fmt.DAY;
        }
        careStart = careStart / Fmt.DAY * Fmt.DAY;
        int n = 1;
        while (n < 8 && rnd.chance(0.45)) {
            n++;
        }
        long[] cuts = new long[n + 1];
        cuts[0] = careStart;
        cuts[n] = careEnd;
        for (int k = 1; k < n; k++) {
            cuts[k] = careStart + (careEnd - careStart) * k / n + (long) (rnd.gaussian() * 20) * Fmt.DAY;
            cuts[k] = Math.max(cuts[k - 1] + Fmt.DAY, Math.min(cuts[k] / Fmt.DAY * Fmt.DAY, careEnd - Fmt.DAY));
        }
        Rec responsible = rec(c, c.home.agency, careStart, c.addressAt(careStart), c.postcodeAt(careStart), true);
        for (int k = 0; k < n; k++) {
            Placement p = new Placement();
            p.start = cuts[k];
            p.end = cuts[k + 1];
            p.ongoing = k == n - 1 && careEnd == refEpoch;
            p.type = PLACE_TYPES[rnd.pickCumulative(PLACE_CUM)];
            boolean outOfArea = !p.type.equals("P1") && rnd.chance(c.net != null ? 0.6 : 0.4);
            p.la = outOfArea ? world.nearbyLa(rnd, c.home, 0.6) : c.home;
            if (p.type.equals("P1")) {
                p.address = c.addressAt(p.start);
                p.postcode = c.postcodeAt(p.start);
            } else {
                p.address = rnd.between(1, 220) + " " + World.street(rnd) + ", " + town(p.la);
                p.postcode = World.postcode(rnd, p.la);
            }
            boolean providerType =
                    switch (p.type) {
                        case "K2", "H5", "R1", "S1" -> true;
                        case "U4", "U5", "U6" -> rnd.chance(0.35);
                        default -> false;
                    };
            if (providerType) {
                p.provider = rnd.pick(p.la.careProviders);
                Rec r = rec(c, p.provider, p.start, p.address, p.postcode, true);
                r.host = true;
            }
            if (outOfArea && rnd.chance(0.5)) {
                Rec r = rec(c, p.la.agency, p.start, p.address, p.postcode, true);
                r.host = true;
            }
            // Providers hand the host force a grab pack (Philomena Protocol) for children placed from elsewhere.
            if (outOfArea && p.provider != null && p.la.force != c.home.force && rnd.chance(0.5)) {
                rec(c, p.la.force.agency, p.start, p.address, p.postcode, true);
            }
            c.placements.add(p);
        }
        legalStatuses(c, c.placements, careStart);
        responsible.careContext = true;
    }

    private @Nullable Placement placementAt(Child c, long t) {
        for (Placement p : c.placements) {
            if (t >= p.start && t < p.end) {
                return p;
            }
        }
        return null;
    }

    private void episodes(Rnd rnd, Child c, long windowFrom, long windowTo) {
        int n;
        if (c.net != null) {
            n = 1 + (int) rnd.logNormal(Math.exp(1.3), 1.1);
        } else if (c.lac) {
            n = 1 + (int) rnd.logNormal(Math.exp(0.8), 1.3);
        } else {
            n = 1 + (int) rnd.logNormal(Math.exp(-0.7), 1.2);
        }
        n = Math.min(n, 80);
        long span = windowTo - windowFrom;
        long length = Math.min(span, (long) (rnd.logNormal(240, 0.8) * Fmt.DAY));
        long lo = windowFrom;
        if (c.lac && !c.placements.isEmpty() && rnd.chance(0.8)) {
            lo = Math.max(windowFrom, c.placements.get(0).start);
        }
        long activeStart = rnd.betweenLong(lo, Math.max(lo + 1, windowTo - length));
        c.activeFrom = activeStart;
        c.activeTo = Math.min(windowTo, activeStart + length);
        double meanGap = (double) length / n;
        long t = activeStart;
        for (int k = 0; k < n; k++) {
            t += (long) rnd.exponential(meanGap);
            // Most children go missing in the afternoon or evening.
            t = t / Fmt.DAY * Fmt.DAY + (long) ((14 + rnd.uniform() * 10) % 24 * Fmt.HOUR) + rnd.nextInt(60) * 60L;
            if (t >= windowTo || t >= refEpoch) {
                break;
            }
            long found = episode(rnd, c, t);
            if (found < 0) {
                break; // still missing at the reference date
            }
            t = Math.max(t, found + Fmt.HOUR);
        }
    }

    private static final String[] HOME_OTHER_PLACES = {
        "School", "Friend's address", "Town centre", "Shopping centre", "Relative's address"
    };

    /** Generates one missing episode as each recording agency holds it; returns found time or -1 if still missing. */
    private long episode(Rnd rnd, Child c, long lastSeen) {
        Placement at = placementAt(c, lastSeen);
        // the care placement the child went missing from; null at home or when placed with parents (P1)
        Placement p = at != null && !at.type.equals("P1") ? at : null;
        boolean care = p != null;
        La ctx = p != null ? p.la : c.home;
        String place;
        String pc;
        String from;
        if (p != null) {
            place = p.address;
            pc = p.postcode;
            from = "care";
        } else if (rnd.chance(0.92)) {
            place = c.addressAt(lastSeen);
            pc = c.postcodeAt(lastSeen);
            from = "home";
        } else {
            place = rnd.pick(HOME_OTHER_PLACES) + ", " + town(ctx);
            pc = World.postcode(rnd, ctx);
            from = "other";
        }
        boolean away = care && rnd.chance(0.22);
        double hours = away ? rnd.logNormal(3, 1.2) : rnd.logNormal(8, 1.63);
        hours = Math.max(0.25, Math.min(hours, 120 * 24));
        long found = lastSeen + (long) (hours * Fmt.HOUR);
        long reported = lastSeen + (long) Math.min(hours * Fmt.HOUR * 0.8, rnd.logNormal(2, 0.8) * Fmt.HOUR);
        boolean open = found > refEpoch;

        // Where found
        String foundPlace = "";
        String foundPc = "";
        String foundBy = "";
        Location foundLoc = null;
        La foundLa = ctx;
        if (!open) {
            double u = rnd.uniform();
            if (c.net != null && rnd.chance(0.35)) {
                foundLoc = rnd.pick(c.net.locations);
            } else if (u < 0.55) {
                foundPlace = p != null ? p.address : c.addressAt(found);
                foundPc = p != null ? p.postcode : c.postcodeAt(found);
            } else if (u < 0.88) {
                foundPlace = (rnd.chance(0.5) ? "Friend's address" : "Relative's address") + ", " + town(ctx);
                foundPc = World.postcode(rnd, ctx);
            } else {
                foundLoc = rnd.pick(world.nearbyLa(rnd, ctx, 0.6).publicPlaces);
            }
            if (foundLoc != null) {
                foundPlace = foundLoc.name();
                foundPc = foundLoc.postcode();
                foundLa = foundLoc.la();
            }
            double b = rnd.uniform();
            foundBy = b < 0.3 ? "police" : b < 0.55 ? (care ? "carer" : "family") : b < 0.9 ? "self" : "other";
            if (foundLoc != null && b >= 0.55 && rnd.chance(0.5)) {
                foundBy = "police";
            }
        }

        Agency force = ctx.force.agency;
        boolean police = !care || (away ? rnd.chance(0.25) : rnd.chance(0.95));
        boolean responsibleLa = care ? rnd.chance(0.9) : rnd.chance(0.75);
        Agency provider = p != null && p.provider != null && rnd.chance(0.9) ? p.provider : null;
        boolean host = p != null && p.la != c.home && rnd.chance(0.35);
        if (!police && !responsibleLa && provider == null && !host) {
            responsibleLa = true;
        }
        String riskGrade = riskGrade(rnd, c, reported, away);
        Episode policeEp = null;
        String homeAddrAt = p != null ? p.address : c.addressAt(lastSeen);
        String homePcAt = p != null ? p.postcode : c.postcodeAt(lastSeen);
        if (police) {
            Rec r = recMaybeDuplicate(rnd, c, force, reported, homeAddrAt, homePcAt, care);
            Episode e =
                    base(r, reported, lastSeen, place, pc, from, "missing", found, open, foundPlace, foundPc, foundBy);
            e.risk = riskGrade;
            if (!open && rnd.chance(0.88)) {
                e.safeWell = found + (long) (Math.min(72, rnd.logNormal(4, 1.0)) * Fmt.HOUR);
                if (e.safeWell > refEpoch) {
                    e.safeWell = -1;
                }
            }
            c.episodes.add(e);
            policeEp = e;
        }
        if (responsibleLa) {
            Rec r = recMaybeDuplicate(rnd, c, c.home.agency, reported, homeAddrAt, homePcAt, care);
            Episode e = base(
                    r,
                    fuzz(rnd, reported),
                    fuzz(rnd, lastSeen),
                    place,
                    pc,
                    from,
                    away ? "away" : "missing",
                    open ? -1 : fuzz(rnd, found),
                    open,
                    foundPlace,
                    foundPc,
                    foundBy);
            if (policeEp != null && rnd.chance(0.2)) {
                e.risk = policeEp.risk;
            }
            if (!open) {
                returnInterview(rnd, e, found);
            }
            c.episodes.add(e);
        }
        // provider and host are only ever set for a care placement p
        if (provider != null && p != null) {
            Rec r = rec(c, provider, reported, p.address, p.postcode, true);
            c.episodes.add(base(
                    r,
                    fuzz(rnd, reported),
                    fuzz(rnd, lastSeen),
                    place,
                    pc,
                    from,
                    away ? "away" : "missing",
                    open ? -1 : fuzz(rnd, found),
                    open,
                    foundPlace,
                    foundPc,
                    foundBy));
        }
        if (host && p != null) {
            Rec r = rec(c, p.la.agency, reported, p.address, p.postcode, true);
            r.host = true;
            c.episodes.add(base(
                    r,
                    fuzz(rnd, reported),
                    fuzz(rnd, lastSeen),
                    place,
                    pc,
                    from,
                    away ? "away" : "missing",
                    open ? -1 : fuzz(rnd, found),
                    open,
                    foundPlace,
                    foundPc,
                    foundBy));
        }
        // Found in another force's area: that force usually opens its own record of the child.
        if (!open && foundLoc != null) {
            Agency finder = foundLa.force.agency;
            Rec fr = null;
            if (finder != force && rnd.chance(0.6)) {
                fr = rec(c, finder, found, "", "", care);
            } else if (policeEp != null) { // set exactly when police
                fr = policeEp.rec;
            }
            if (fr != null) {
                c.pendingAssocRecs.add(new Object[] {fr, foundLoc.ref(), "found_at", found});
            }
        }
        return open ? -1 : found;
    }

    private Episode base(
            Rec r,
            long reported,
            long lastSeen,
            String place,
            String pc,
            String from,
            String category,
            long found,
            boolean open,
            String foundPlace,
            String foundPc,
            String foundBy) {
        Episode e = new Episode();
        e.rec = r;
        e.reported = reported;
        e.lastSeen = Math.min(lastSeen, reported);
        e.lastSeenPlace = place;
        e.lastSeenPostcode = pc;
        e.from = from;
        e.category = category;
        if (!open) {
            e.found = Math.max(found, e.reported);
            e.foundPlace = foundPlace;
            e.foundPostcode = foundPc;
            e.foundBy = foundBy;
        }
        return e;
    }

    /** Another agency's note of the same moment: within half an hour, rounded to five minutes. */
    private long fuzz(Rnd rnd, long t) {
        long v = t + (long) (rnd.gaussian() * 900);
        v = v / 300 * 300;
        return Math.min(v, refEpoch);
    }

    private String riskGrade(Rnd rnd, Child c, long at, boolean away) {
        double u = rnd.uniform();
        if (at < APRIL_2016) {
            if (away && u < 0.8) {
                return "absent";
            }
            return u < 0.35 ? "absent" : u < 0.6 ? "low" : u < 0.93 ? "medium" : "high";
        }
        if (away) {
            return u < 0.5 ? "very_low" : "low";
        }
        if (c.net != null || c.concerns.size() > 0) {
            return u < 0.03 ? "very_low" : u < 0.2 ? "low" : u < 0.7 ? "medium" : "high";
        }
        return u < 0.08 ? "very_low" : u < 0.45 ? "low" : u < 0.9 ? "medium" : "high";
    }

    private void returnInterview(Rnd rnd, Episode e, long found) {
        if (!rnd.chance(0.9)) {
            e.returnInterview = "not_offered";
            return;
        }
        double u = rnd.uniform();
        long at;
        if (u < 0.62) {
            e.returnInterview = "completed";
            // Only about 63% of interviews happen within the 72-hour target.
            at = rnd.chance(0.63)
                    ? found + rnd.betweenLong(6 * Fmt.HOUR, 72 * Fmt.HOUR)
                    : found + rnd.betweenLong(73 * Fmt.HOUR, 21 * Fmt.DAY);
        } else {
            e.returnInterview = u < 0.84 ? "declined" : u < 0.9 ? "accepted" : "offered";
            at = found + rnd.betweenLong(Fmt.HOUR, 60 * Fmt.HOUR);
        }
        if (at > refEpoch) {
            e.returnInterview = "offered";
            e.returnInterviewAt = -1;
        } else {
            e.returnInterviewAt = at / 60 * 60;
        }
    }

    /** Exploitation indicators: code, weight; the ones marked significant follow SERAF's significant section. */
    static final String[] INDICATORS = {
        "missing_repeat",
        "older_associate",
        "unknown_callers",
        "gifts_money",
        "phone_internet",
        "substance_misuse",
        "school_absence",
        "self_harm",
        "sexual_health",
        "peers_exploited",
        "cars_unknown_adults",
        "hotels_parties",
        "taxi_takeaway",
        "out_of_area",
        "disclosure",
        "injuries",
        "recruiting_peers",
        "abduction"
    };

    private static final double[] INDICATOR_CUM = Rnd.cumulative(
            0.12, 0.1, 0.08, 0.08, 0.09, 0.08, 0.08, 0.05, 0.03, 0.05, 0.06, 0.05, 0.04, 0.04, 0.02, 0.02, 0.005,
            0.005);
    private static final int FIRST_SIGNIFICANT = 10;

    private void concerns(Rnd rnd, Child c) {
        long from = c.activeFrom;
        long to = c.activeTo;
        if (to - from < Fmt.DAY) {
            return;
        }
        long episodes = c.episodes.stream()
                .filter(e -> e.rec.agency.police() || e.rec.agency.la())
                .count();
        double p;
        if (c.net != null) {
            p = 0.9;
        } else if (episodes > 0) {
            p = Math.min(0.35, (c.lac ? 0.15 : 0.05) + 0.01 * episodes);
        } else {
            p = 0.015;
        }
        if (!rnd.chance(p)) {
            return;
        }
        int n = 1;
        while (n < 6 && rnd.chance(c.net != null ? 0.5 : 0.25)) {
            n++;
        }
        for (int k = 0; k < n; k++) {
            long at = rnd.betweenLong(from, to);
            at = at / 60 * 60;
            Concern cc = new Concern();
            cc.raised = at;
            Placement pl = placementAt(c, at);
            double u = rnd.uniform();
            if (u < 0.35) {
                La ctx = pl != null ? pl.la : c.home;
                if (c.net != null && rnd.chance(0.5)) {
                    ctx = c.net.hub;
                }
                cc.rec = rec(
                        c,
                        ctx.force.agency,
                        at,
                        pl != null ? pl.address : c.addressAt(at),
                        pl != null ? pl.postcode : c.postcodeAt(at),
                        pl != null);
                cc.role = "police_officer";
            } else if (u < 0.85 || pl == null || pl.provider == null) {
                cc.rec = rec(
                        c,
                        c.home.agency,
                        at,
                        pl != null ? pl.address : c.addressAt(at),
                        pl != null ? pl.postcode : c.postcodeAt(at),
                        pl != null);
                cc.role = rnd.pick(new String[] {
                    "social_worker",
                    "social_worker",
                    "teacher",
                    "health_practitioner",
                    "youth_worker",
                    "missing_coordinator"
                });
            } else {
                cc.rec = rec(c, pl.provider, at, pl.address, pl.postcode, true);
                cc.role = pl.type.startsWith("U") ? "foster_carer" : "residential_care_worker";
            }
            int count = rnd.between(1, c.net != null ? 6 : 4);
            boolean[] chosen = new boolean[INDICATORS.length];
            if (c.net != null) {
                chosen[FIRST_SIGNIFICANT + rnd.nextInt(INDICATORS.length - FIRST_SIGNIFICANT)] = true;
            }
            if (episodes >= 3) {
                chosen[0] = true;
            }
            for (int i = 0; i < count; i++) {
                chosen[rnd.pickCumulative(INDICATOR_CUM)] = true;
            }
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < chosen.length; i++) {
                if (chosen[i]) {
                    if (sb.length() > 0) {
                        sb.append('|');
                    }
                    sb.append(INDICATORS[i]);
                }
            }
            cc.indicators = sb.toString();
            double o = rnd.uniform();
            if (c.net != null) {
                cc.outcome = o < 0.1
                        ? "no_further_action"
                        : o < 0.35 ? "referral" : o < 0.65 ? "strategy_meeting" : o < 0.95 ? "investigation" : "";
            } else {
                cc.outcome = o < 0.3
                        ? "no_further_action"
                        : o < 0.63 ? "referral" : o < 0.83 ? "strategy_meeting" : o < 0.93 ? "investigation" : "";
            }
            c.concerns.add(cc);
        }
    }

    private void networkLinks(Rnd rnd, Child c, Network net) {
        long from = c.activeFrom;
        long to = Math.max(c.activeTo, from + Fmt.DAY);
        long at = rnd.betweenLong(from, to) / 60 * 60;
        Agency hubForce = net.hub.force.agency;
        Rec r = rec(c, hubForce, at, c.addressAt(at), c.postcodeAt(at), false);
        int adults = rnd.between(1, Math.min(2, net.primaryAdults.size()));
        for (int i = 0; i < adults; i++) {
            World.Adult a = net.primaryAdults.get(rnd.nextInt(net.primaryAdults.size()));
            c.pendingAssocRecs.add(new Object[] {r, a.ref(), "seen_with", rnd.betweenLong(from, to)});
        }
        if (rnd.chance(0.8)) {
            Location loc = rnd.pick(net.locations);
            c.pendingAssocRecs.add(new Object[] {r, loc.ref(), "frequents", rnd.betweenLong(from, to)});
        }
        if (rnd.chance(0.25) && !net.phones.isEmpty()) {
            c.pendingAssocRecs.add(new Object[] {r, rnd.pick(net.phones), "contacted_by", rnd.betweenLong(from, to)});
        }
        if (rnd.chance(0.15) && !net.vehicles.isEmpty()) {
            c.pendingAssocRecs.add(new Object[] {r, rnd.pick(net.vehicles), "seen_in", rnd.betweenLong(from, to)});
        }
    }

    // ----------------------------------------------------------------------------------------------
    // Output

    private void emit(Rnd rnd, Child c, ChunkOutput out) {
        // Give every record its reference, then its content as the agency holds it.
        for (Rec r : c.recs) {
            long x = c.index * 2L + r.dup;
            r.number = number(r.agency, x, 0);
            String num = Fmt.pad(r.number, 8);
            String yy = Fmt.pad(Fmt.dateOf(r.firstAt).getYear() % 100, 2);
            r.ref = switch (r.agency.kind()) {
                case "police_force" -> "MP-" + yy + "-" + num;
                case "local_authority" -> "LA-CHILD-" + num;
                default -> "YP-" + num;
            };
            String[] row = RecordWriter.personRecord(
                    rnd,
                    c.given,
                    c.middle,
                    c.family,
                    c.dob,
                    c.male,
                    c.eth,
                    c.surnameGroup,
                    c.givenGroup,
                    r.agency,
                    r.ref,
                    localId(r, c),
                    c.upn,
                    c.lac,
                    r.careContext,
                    r.host,
                    c.home.code,
                    c.cpPlan,
                    addressFor(rnd, c, r),
                    r.firstAt);
            if (world.config.errors() == SynthConfig.Errors.HARD) {
                // a stream of its own: the default profile's draws, and so its output, stay as they were
                HardErrors.apply(
                        new Rnd(Rnd.mix(seed, 29, x * 31 + r.agency.code().hashCode())),
                        row,
                        fullNameOnly.computeIfAbsent(r.agency.code(), k -> HardErrors.fullNameOnly(seed, r.agency)));
            }
            out.add(Table.PERSON_RECORDS, row);
            out.add(Table.TRUTH_RECORDS, r.agency.code(), r.ref, c.id);
        }
        for (Episode e : c.episodes) {
            Rec r = e.rec;
            r.episodes++;
            String prefix =
                    switch (r.agency.kind()) {
                        case "police_force" -> "MIS-";
                        case "local_authority" -> "LA-MIS-";
                        default -> "INC-";
                    };
            out.add(
                    Table.MISSING_EPISODES,
                    prefix + Fmt.pad(r.number, 8) + "-" + Fmt.pad(r.episodes, 2),
                    r.agency.code(),
                    r.ref,
                    Fmt.instant(e.reported),
                    Fmt.instant(e.lastSeen),
                    e.lastSeenPlace,
                    e.lastSeenPostcode,
                    e.from,
                    e.category,
                    e.risk,
                    e.found < 0 ? "" : Fmt.instant(e.found),
                    e.foundPlace,
                    e.foundPostcode,
                    e.foundBy,
                    e.safeWell < 0 ? "" : Fmt.instant(e.safeWell),
                    e.returnInterview,
                    e.returnInterviewAt < 0 ? "" : Fmt.instant(e.returnInterviewAt));
        }
        for (Concern cc : c.concerns) {
            Rec r = cc.rec;
            r.concerns++;
            out.add(
                    Table.CONCERNS,
                    "CSE-" + Fmt.pad(r.number, 8) + "-" + r.concerns,
                    r.agency.code(),
                    r.ref,
                    Fmt.instant(cc.raised),
                    cc.role,
                    cc.indicators,
                    cc.outcome);
        }
        for (Object[] a : c.pendingAssocRecs) {
            Rec r = (Rec) a[0];
            String toRef = (String) a[1];
            String toKind = toRef.startsWith("ADL")
                    ? "adult"
                    : toRef.startsWith("LOC") ? "location" : toRef.startsWith("PH") ? "phone" : "vehicle";
            out.add(
                    Table.ASSOCIATIONS,
                    r.agency.code(),
                    "person_record",
                    r.ref,
                    toKind,
                    toRef,
                    (String) a[2],
                    Fmt.instant(Math.min(refEpoch, ((Long) a[3]) / 60 * 60)));
        }
        if (!c.placements.isEmpty()) {
            Rec responsible = null;
            for (Rec r : c.recs) {
                if (r.agency == c.home.agency && r.dup == 0) {
                    responsible = r;
                    break;
                }
            }
            if (responsible == null) { // placements() opens the home authority's record first, with dup 0
                throw new IllegalStateException("child " + c.id + " has placements but no home authority record");
            }
            for (Placement p : c.placements) {
                out.add(
                        Table.PLACEMENTS,
                        c.home.code,
                        responsible.ref,
                        Fmt.dateOfEpochSecond(p.start),
                        p.ongoing ? "" : Fmt.dateOfEpochSecond(p.end),
                        p.la.code,
                        p.postcode,
                        p.type,
                        p.legalStatus,
                        p.categoryOfNeed);
            }
        }
        out.add(
                Table.TRUTH_CHILDREN,
                c.id,
                c.given,
                c.family,
                Fmt.date(c.dob),
                c.male ? "male" : "female",
                c.eth,
                c.home.code,
                c.home.force.code,
                Boolean.toString(c.lac),
                c.net == null ? "" : c.net.id);
    }

    private String localId(Rec r, Child c) {
        return switch (r.agency.kind()) {
            case "local_authority" -> Long.toString(
                    1_000_000L + number(r.agency, c.index, 1) % 9_000_000L + (r.dup == 0 ? 0 : 90_000_000L));
            case "care_provider" -> "R" + Fmt.pad(number(r.agency, c.index * 2L + r.dup, 2) % 1_000_000L, 6);
            default -> "";
        };
    }

    /** The address the agency holds: what it was told when it opened the record, sometimes an old one. */
    private String[] addressFor(Rnd rnd, Child c, Rec r) {
        String addr = r.address;
        String pc = r.postcode;
        if (addr == null || addr.isEmpty()) {
            addr = c.addressAt(r.firstAt);
            pc = c.postcodeAt(r.firstAt);
        }
        if (!r.careContext
                && c.movedAt > 0
                && addr.equals(c.address)
                && rnd.chance(ErrorProfile.ADDRESS_STALE * ErrorProfile.factor(r.agency.kind()))) {
            addr = c.prevAddress;
            pc = c.prevPostcode;
        }
        return new String[] {addr, pc};
    }
}
