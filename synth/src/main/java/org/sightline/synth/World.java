package org.sightline.synth;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.sightline.synth.RefData.Agency;
import org.sightline.synth.RefData.Force;
import org.sightline.synth.RefData.La;

/**
 * Everything that exists before the children: agencies, care providers, public places, and the
 * exploitation networks with their adults, places, vehicles and phones. Built single-threaded from
 * the seed, then read-only while children are generated in parallel.
 */
final class World {

    record Location(String ref, String kind, String name, String postcode, La la) {}

    record Adult(
            String ref,
            Agency agency,
            String given,
            String family,
            String dob,
            String sex,
            String ethnicityCode,
            String ethnicityScheme) {}

    static final class Network {
        final int index;
        final String id;
        final La hub;
        final List<La> sourceLas = new ArrayList<>();
        final List<Location> locations = new ArrayList<>();
        final List<Adult> adults = new ArrayList<>();
        /** Index into adults of the first record of each distinct adult (some adults have two records). */
        final List<Adult> primaryAdults = new ArrayList<>();

        final List<String> vehicles = new ArrayList<>();
        final List<String> phones = new ArrayList<>();

        Network(int index, La hub) {
            this.index = index;
            this.id = "NET" + Fmt.pad(index + 1, 5);
            this.hub = hub;
        }
    }

    /** Share of children who belong to an exploitation network (boosted above real prevalence so networks are visible). */
    static final double NETWORK_CHILD_RATE = 0.012;

    static final int MEAN_NETWORK_SIZE = 8;

    final RefData ref;
    final SynthConfig config;
    final long refEpoch;
    final List<Agency> agencies = new ArrayList<>();
    final double[] laCumulative;
    final List<Network> networks = new ArrayList<>();
    final List<Location> locations = new ArrayList<>();
    final List<String[]> vehicleRows = new ArrayList<>();
    final List<String[]> phoneRows = new ArrayList<>();
    final List<String[]> adultRows = new ArrayList<>();
    final List<String[]> associationRows = new ArrayList<>();
    final List<String[]> districtRows = new ArrayList<>();

    World(SynthConfig config) {
        this.config = config;
        this.ref = RefData.load();
        this.refEpoch = Fmt.epochSecond(config.referenceDate());
        Rnd rnd = new Rnd(Rnd.mix(config.seed(), 1, 0));
        double[] w = new double[ref.las.size()];
        for (int i = 0; i < w.length; i++) {
            w[i] = ref.las.get(i).weight;
        }
        laCumulative = Rnd.cumulative(w);
        assignPostcodeAreas();
        placeDistricts(new Rnd(Rnd.mix(config.seed(), 5, 0)));
        for (Force f : ref.forces) {
            agencies.add(f.agency);
        }
        for (La la : ref.las) {
            agencies.add(la.agency);
        }
        buildCareProviders(rnd);
        buildPublicPlaces(rnd);
        int networkCount = Math.max(1, (int) Math.round(config.children() * NETWORK_CHILD_RATE / MEAN_NETWORK_SIZE));
        for (int i = 0; i < networkCount; i++) {
            buildNetwork(new Rnd(Rnd.mix(config.seed(), 2, i)), i);
        }
    }

    La pickLa(Rnd rnd) {
        return ref.las.get(rnd.pickCumulative(laCumulative));
    }

    /** Another authority: usually in the same region (placements and moves are mostly near), sometimes anywhere. */
    La nearbyLa(Rnd rnd, La from, double sameRegion) {
        if (rnd.chance(sameRegion)) {
            for (int tries = 0; tries < 12; tries++) {
                La la = pickLa(rnd);
                if (la != from && la.region.equals(from.region)) {
                    return la;
                }
            }
        }
        La la = pickLa(rnd);
        return la == from ? ref.las.get((from.index + 1) % ref.las.size()) : la;
    }

    // Invented two-letter postcode areas, one per authority, so a postcode tells its area consistently.
    private void assignPostcodeAreas() {
        Set<String> used = new HashSet<>();
        for (La la : ref.las) {
            String letters = la.name.toUpperCase().replaceAll("[^A-Z]", "");
            String area = null;
            for (int i = 1; i < letters.length() && area == null; i++) {
                String c = "" + letters.charAt(0) + letters.charAt(i);
                if (used.add(c)) {
                    area = c;
                }
            }
            for (char a = 'A'; area == null && a <= 'Z'; a++) {
                for (char b = 'A'; b <= 'Z'; b++) {
                    String c = "" + a + b;
                    if (used.add(c)) {
                        area = c;
                        break;
                    }
                }
            }
            la.postcodeArea = area;
            la.districts = Math.max(3, Math.min(60, (int) Math.round(la.weight * 18)));
        }
    }

    /**
     * Rough centres of the regions (degrees), the only real geography used: each authority's invented districts are
     * scattered near a point drawn around its region's centre, so the demo's hotspot map has a plausible shape.
     */
    private static final Map<String, double[]> REGION_CENTRES = Map.of(
            "North East", new double[] {54.9, -1.7, 0.35},
            "North West", new double[] {53.8, -2.6, 0.45},
            "Yorkshire and The Humber", new double[] {53.8, -1.3, 0.4},
            "East Midlands", new double[] {52.9, -1.0, 0.4},
            "West Midlands", new double[] {52.5, -2.2, 0.4},
            "East of England", new double[] {52.2, 0.5, 0.5},
            "London", new double[] {51.5, -0.12, 0.12},
            "South East", new double[] {51.2, -0.6, 0.5},
            "South West", new double[] {50.9, -3.2, 0.6},
            "Wales", new double[] {52.3, -3.6, 0.5});

    private void placeDistricts(Rnd rnd) {
        for (La la : ref.las) {
            double[] c = REGION_CENTRES.getOrDefault(la.region, new double[] {52.5, -1.5, 0.8});
            double lat = c[0] + rnd.gaussian() * c[2] / 2;
            double lon = c[1] + rnd.gaussian() * c[2] / 2 / Math.cos(Math.toRadians(c[0]));
            for (int d = 1; d <= la.districts; d++) {
                districtRows.add(new String[] {
                    la.postcodeArea + d,
                    // Kept inside England and Wales's extent, whatever the draw.
                    String.format(Locale.ROOT, "%.4f", clamp(lat + rnd.gaussian() * 0.03, 50.0, 55.7)),
                    String.format(Locale.ROOT, "%.4f", clamp(lon + rnd.gaussian() * 0.05, -5.6, 1.7))
                });
            }
        }
    }

    private static double clamp(double v, double lo, double hi) {
        return Math.max(lo, Math.min(hi, v));
    }

    private static final String INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ";

    static String postcode(Rnd rnd, La la) {
        int district = rnd.between(1, la.districts);
        return la.postcodeArea + district + " " + rnd.nextInt(10)
                + INWARD_LETTERS.charAt(rnd.nextInt(INWARD_LETTERS.length()))
                + INWARD_LETTERS.charAt(rnd.nextInt(INWARD_LETTERS.length()));
    }

    static String street(Rnd rnd) {
        Names n = Names.get();
        return rnd.pick(n.streets) + " " + rnd.pick(n.streetTypes);
    }

    private static final String[] CP_FIRST = {
        "Oakwood",
        "Brighter",
        "Pathway",
        "Horizon",
        "Meadowbank",
        "Willow",
        "Compass",
        "Keys",
        "Cedar",
        "Beacon",
        "Harbour",
        "Riverside",
        "Hillcrest",
        "Bridges",
        "Northstar",
        "Evergreen",
        "Foxglove",
        "Kingfisher",
        "Rosewood",
        "Summit"
    };
    private static final String[] CP_SECOND = {
        "Children's Homes Ltd",
        "Care Ltd",
        "Fostering",
        "Residential Care",
        "Young People's Services",
        "Supported Living Ltd",
        "Family Placements",
        "Care Group"
    };

    private void buildCareProviders(Rnd rnd) {
        int n = 0;
        for (La la : ref.las) {
            int count = Math.max(1, (int) Math.round(la.weight * 4));
            for (int i = 0; i < count; i++) {
                n++;
                String code = "CP" + Fmt.pad(n, 5);
                Agency a = new Agency(
                        agencies.size(),
                        code,
                        "care_provider",
                        rnd.pick(CP_FIRST) + " " + rnd.pick(CP_SECOND) + " (" + la.name + ")",
                        la.code);
                agencies.add(a);
                la.careProviders.add(a);
            }
        }
    }

    private Location newLocation(String kind, String name, String postcode, La la) {
        Location l = new Location("LOC" + Fmt.pad(locations.size() + 1, 6), kind, name, postcode, la);
        locations.add(l);
        return l;
    }

    private void buildPublicPlaces(Rnd rnd) {
        for (La la : ref.las) {
            String town = la.name.replaceAll(",.*", "");
            la.publicPlaces.add(newLocation("station", town + " bus and rail station", postcode(rnd, la), la));
            la.publicPlaces.add(newLocation("other", town + " town centre", postcode(rnd, la), la));
            la.publicPlaces.add(
                    newLocation("park", rnd.pick(Names.get().streets) + " Park, " + town, postcode(rnd, la), la));
        }
    }

    private static final String[] HOTELS = {
        "Station Hotel",
        "Travel Lodge Inn",
        "Riverside Hotel",
        "Grand Hotel",
        "Park View Guest House",
        "City Stay Apartments",
        "Airport Lodge",
        "Crown Hotel"
    };
    private static final String[] TAKEAWAYS = {
        "Kebab House", "Pizza Express Takeaway", "Fried Chicken", "Grill House", "Chippy", "Peri Peri", "Burger Bar"
    };
    private static final String[] OTHER_PLACES = {
        "snooker club", "shisha lounge", "car wash", "vape shop", "taxi office", "amusement arcade"
    };
    private static final String[] MAKES = {
        "Ford",
        "Vauxhall",
        "Volkswagen",
        "BMW",
        "Mercedes-Benz",
        "Audi",
        "Toyota",
        "Nissan",
        "Peugeot",
        "Kia",
        "Hyundai",
        "Skoda",
        "Seat",
        "Honda",
        "Renault"
    };
    private static final String[] COLOURS = {"black", "silver", "grey", "white", "blue", "red", "green"};
    private static final String PLATE_LETTERS = "ABCDEFGHJKLMNOPRSTUVWXYZ";

    /** Ofcom drama ranges: numbers reserved for fiction, so a synthetic number never reaches a real phone. */
    private static final String[][] DRAMA = {
        {"07700 900", "3"}, {"0113 496 0", "3"}, {"0114 496 0", "3"}, {"0115 496 0", "3"}, {"0116 496 0", "3"},
        {"0117 496 0", "3"}, {"0118 496 0", "3"}, {"0121 496 0", "3"}, {"0131 496 0", "3"}, {"0141 496 0", "3"},
        {"0151 496 0", "3"}, {"0161 496 0", "3"}, {"020 7946 0", "3"}, {"0191 498 0", "3"}, {"029 2018 0", "3"},
        {"01632 960", "3"}
    };

    private String phoneNumber(int i) {
        int range = (i / 1000) % DRAMA.length;
        return DRAMA[range][0] + Fmt.pad(i % 1000, 3);
    }

    private void buildNetwork(Rnd rnd, int index) {
        // Hubs are mostly in bigger, urban authorities.
        La hub = pickLa(rnd);
        if (hub.weight < 0.5 && rnd.chance(0.5)) {
            hub = pickLa(rnd);
        }
        Network net = new Network(index, hub);
        net.sourceLas.add(hub);
        int sources = rnd.between(2, 5);
        while (net.sourceLas.size() < sources) {
            La la = nearbyLa(rnd, hub, 0.75);
            if (!net.sourceLas.contains(la)) {
                net.sourceLas.add(la);
            }
        }
        int places = rnd.between(2, 6);
        for (int i = 0; i < places; i++) {
            La la = i > 0 && rnd.chance(0.3) ? rnd.pick(net.sourceLas) : hub;
            String town = la.name.replaceAll(",.*", "");
            Location loc =
                    switch (rnd.nextInt(6)) {
                        case 0 -> newLocation("hotel", rnd.pick(HOTELS) + ", " + town, postcode(rnd, la), la);
                        case 1 -> newLocation(
                                "takeaway",
                                rnd.pick(Names.get().streets) + " " + rnd.pick(TAKEAWAYS),
                                postcode(rnd, la),
                                la);
                        case 2 -> newLocation("car_park", street(rnd) + " car park, " + town, postcode(rnd, la), la);
                        case 3 -> newLocation(
                                "park",
                                rnd.pick(Names.get().streets) + " recreation ground, " + town,
                                postcode(rnd, la),
                                la);
                        case 4 -> newLocation(
                                "other",
                                rnd.pick(Names.get().streets) + " " + rnd.pick(OTHER_PLACES),
                                postcode(rnd, la),
                                la);
                        default -> newLocation(
                                "address",
                                "Flat " + rnd.between(1, 24) + ", " + rnd.between(1, 180) + " " + street(rnd) + ", "
                                        + town,
                                postcode(rnd, la),
                                la);
                    };
            net.locations.add(loc);
        }
        Agency hubForce = hub.force.agency;
        int adults = rnd.between(2, 6);
        for (int i = 0; i < adults; i++) {
            Adult a = newAdult(rnd, hubForce, null);
            net.adults.add(a);
            net.primaryAdults.add(a);
            // Some adults are also known to another force, under a slightly different record.
            if (rnd.chance(0.3)) {
                La other = rnd.pick(net.sourceLas);
                if (other.force != hub.force) {
                    net.adults.add(newAdult(rnd, other.force.agency, a));
                }
            }
        }
        int vehicles = rnd.between(0, 3);
        for (int i = 0; i < vehicles; i++) {
            String ref = "VEH" + Fmt.pad(vehicleRows.size() + 1, 6);
            String reg = "" + PLATE_LETTERS.charAt(rnd.nextInt(24)) + PLATE_LETTERS.charAt(rnd.nextInt(24))
                    + Fmt.pad(rnd.between(2, 74), 2) + " " + PLATE_LETTERS.charAt(rnd.nextInt(24))
                    + PLATE_LETTERS.charAt(rnd.nextInt(24)) + PLATE_LETTERS.charAt(rnd.nextInt(24));
            vehicleRows.add(new String[] {ref, reg, rnd.pick(MAKES), rnd.pick(COLOURS)});
            net.vehicles.add(ref);
            Adult driver = rnd.pick(net.primaryAdults);
            associationRows.add(new String[] {
                driver.agency().code(),
                "adult",
                driver.ref(),
                "vehicle",
                ref,
                "drives",
                Fmt.instant(refEpoch - rnd.betweenLong(30 * Fmt.DAY, 900 * Fmt.DAY))
            });
        }
        int phones = rnd.between(1, 4);
        for (int i = 0; i < phones; i++) {
            String ref = "PH" + Fmt.pad(phoneRows.size() + 1, 6);
            phoneRows.add(new String[] {ref, phoneNumber(phoneRows.size())});
            net.phones.add(ref);
            Adult user = rnd.pick(net.primaryAdults);
            associationRows.add(new String[] {
                user.agency().code(),
                "adult",
                user.ref(),
                "phone",
                ref,
                "uses_phone",
                Fmt.instant(refEpoch - rnd.betweenLong(30 * Fmt.DAY, 900 * Fmt.DAY))
            });
        }
        for (Adult a : net.primaryAdults) {
            Location loc = rnd.pick(net.locations);
            associationRows.add(new String[] {
                a.agency().code(),
                "adult",
                a.ref(),
                "location",
                loc.ref(),
                "frequents",
                Fmt.instant(refEpoch - rnd.betweenLong(30 * Fmt.DAY, 900 * Fmt.DAY))
            });
        }
        networks.add(net);
    }

    private Adult newAdult(Rnd rnd, Agency agency, @Nullable Adult same) {
        String ref = "ADL" + Fmt.pad(adultRows.size() + 1, 7);
        String given;
        String family;
        String dob;
        String sex;
        String group;
        if (same == null) {
            boolean male = rnd.chance(0.92);
            sex = male ? "male" : "female";
            // Offender ethnicity in the 2011 data: 38% white, 26% Asian, 32% unknown, 3% black.
            double u = rnd.uniform();
            group = u < 0.52
                    ? "british"
                    : u < 0.86
                            ? "muslim"
                            : u < 0.9 ? "indian" : u < 0.95 ? "caribbean" : u < 0.98 ? "easteu" : "african";
            String g = male ? "m" : "f";
            given = Names.get()
                    .pool("given." + g + "." + (group.equals("british") ? "adult" : group))
                    .pick(rnd);
            family = Names.get().pool("surname." + group).pick(rnd);
            long dobDay =
                    config.referenceDate().toEpochDay() - (long) (365.25 * rnd.between(18, 45)) - rnd.nextInt(365);
            dob = Fmt.date(java.time.LocalDate.ofEpochDay(dobDay));
        } else {
            sex = same.sex();
            given = rnd.chance(0.5) ? same.given() : Corruptor.typo(rnd, same.given());
            family = same.family();
            dob = rnd.chance(0.7) ? same.dob() : same.dob().substring(0, 4);
            group = null;
        }
        String eth = "";
        String scheme = "";
        if (!rnd.chance(0.32)) {
            boolean odeScheme = rnd.chance(0.5);
            scheme = odeScheme ? "POLICE_ODE" : "POLICE_SDE";
            String g = group == null ? "british" : group;
            eth = switch (g) {
                case "muslim" -> odeScheme ? "IC4" : "A2";
                case "indian" -> odeScheme ? "IC4" : "A1";
                case "caribbean" -> odeScheme ? "IC3" : "B1";
                case "african" -> odeScheme ? "IC3" : "B2";
                case "easteu" -> odeScheme ? "IC1" : "W9";
                default -> odeScheme ? "IC1" : "W1";
            };
        }
        Adult a = new Adult(ref, agency, given, family, dob, sex, eth, scheme);
        adultRows.add(new String[] {ref, agency.code(), given, family, dob, rnd.chance(0.1) ? "" : sex, eth, scheme});
        return a;
    }
}
