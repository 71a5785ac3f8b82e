package org.sightline.synth;

import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.NamedCsvRecord;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/** Reference data shipped in resources: police force areas, children's services authorities and their link. */
final class RefData {

    /** A children's services authority (England upper tier or Welsh unitary). */
    static final class La {
        final int index;
        final String code;
        final String name;
        final String region;
        final String dfeNumber;
        final double weight;
        final double diversity;
        final Force force;
        final Agency agency;

        @Nullable
        String postcodeArea; // assigned by World, which invents them

        int districts;
        final List<Agency> careProviders = new ArrayList<>();
        final List<World.Location> publicPlaces = new ArrayList<>();

        La(
                int index,
                String code,
                String name,
                String region,
                String dfeNumber,
                double weight,
                double diversity,
                Force force,
                Agency agency) {
            this.index = index;
            this.code = code;
            this.name = name;
            this.region = region;
            this.dfeNumber = dfeNumber;
            this.weight = weight;
            this.diversity = diversity;
            this.force = force;
            this.agency = agency;
        }

        boolean welsh() {
            return code.startsWith("W");
        }
    }

    static final class Force {
        final String code;
        final String name;
        final List<La> las = new ArrayList<>();
        final Agency agency;

        Force(String code, String name, Agency agency) {
            this.code = code;
            this.name = name;
            this.agency = agency;
        }
    }

    /** An agency as written to agencies.csv; {@code kind} is the contract's agency_type. */
    record Agency(int index, String code, String kind, String name, String areaCode) {
        boolean police() {
            return kind.equals("police_force");
        }

        boolean la() {
            return kind.equals("local_authority");
        }
    }

    final List<Force> forces = new ArrayList<>();
    final List<La> las = new ArrayList<>();
    final Map<String, La> laByCode = new HashMap<>();
    final Map<String, Force> forceByCode = new HashMap<>();

    static RefData load() {
        RefData r = new RefData();
        read("police_force_areas_england_wales.csv", rec -> {
            // Agencies are numbered forces first, then authorities, in file order (agencies.csv).
            String code = rec.getField("ons_pfa_code");
            String name = rec.getField("force_name");
            Force f = new Force(code, name, new Agency(r.forces.size(), code, "police_force", name, code));
            r.forces.add(f);
            r.forceByCode.put(f.code, f);
        });
        Map<String, String> dfe = new HashMap<>();
        read("childrens_services_authorities_england.csv", rec -> {
            if ("live".equals(rec.getField("status"))) {
                dfe.put(rec.getField("ons_code"), rec.getField("dfe_la_code"));
            }
        });
        read("local_authorities_wales.csv", rec -> dfe.put(rec.getField("ons_code"), rec.getField("la_number")));
        read("la_police_force_area.csv", rec -> {
            String code = rec.getField("la_code");
            String number = dfe.get(code);
            if (number == null) {
                throw new IllegalStateException("la_police_force_area.csv: " + code + " is not a live authority");
            }
            Force f = r.forceByCode.get(rec.getField("pfa_code"));
            if (f == null) {
                throw new IllegalStateException("la_police_force_area.csv: unknown force " + rec.getField("pfa_code"));
            }
            String name = rec.getField("la_name");
            La la = new La(
                    r.las.size(),
                    code,
                    name,
                    rec.getField("region"),
                    number,
                    Double.parseDouble(rec.getField("child_population_weight")),
                    Double.parseDouble(rec.getField("diversity")),
                    f,
                    new Agency(r.forces.size() + r.las.size(), code, "local_authority", name, code));
            f.las.add(la);
            r.las.add(la);
            r.laByCode.put(code, la);
        });
        if (r.las.size() != dfe.size()) {
            throw new IllegalStateException("la_police_force_area.csv covers " + r.las.size()
                    + " authorities but reference data lists " + dfe.size());
        }
        return r;
    }

    private static void read(String name, Consumer<NamedCsvRecord> each) {
        String path = "refdata/" + name;
        try (InputStream in = RefData.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + path);
            }
            try (CsvReader<NamedCsvRecord> reader = CsvReader.builder().ofNamedCsvRecord(in, StandardCharsets.UTF_8)) {
                reader.forEach(each);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read resource " + path, e);
        }
    }
}
