package org.sightline.benchmarks.linkage;

import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.sightline.linkage.LinkResult;
import org.sightline.linkage.Linker;
import org.sightline.linkage.eval.Evaluation;
import org.sightline.linkage.profile.Profile;

/**
 * Error analysis of a batch run on synth records: false-positive and false-negative record pairs (identities against
 * synth's truth), counted by category, with samples showing the raw values, the truth child and the explanation.
 * Synthetic data only.
 *
 * <pre>java -cp ... org.sightline.benchmarks.linkage.LinkDiagnose 100000 linkage/profiles/sightline_person.yaml
 *     /tmp/synth-100k [samples=15]</pre>
 */
public final class LinkDiagnose {
    private LinkDiagnose() {}

    public static void main(String[] args) throws Exception {
        int n = Integer.parseInt(args[0].replace("_", ""));
        Profile profile = Profile.load(Path.of(args[1]));
        Path dir = Path.of(args[2]);
        int samples = args.length > 3 ? Integer.parseInt(args[3]) : 15;
        SynthPeople people = SynthPeople.read(dir, profile, n);
        Map<String, Map<String, String>> raw = readAll(dir.resolve("person_records.csv"), n);
        Map<String, Map<String, String>> kids = readKids(dir.resolve("truth/children.csv"));
        LinkResult r = new Linker(profile.config()).link(people.records);
        System.out.println(Evaluation.of(r, people.truth));
        Map<Long, Integer> pairIndex = new HashMap<>();
        for (int p = 0; p < r.candidatePairCount(); p++) {
            pairIndex.put(((long) r.pair(p).a() << 32) | r.pair(p).b(), p);
        }
        Map<Integer, List<Integer>> byCluster = new HashMap<>();
        Map<String, List<Integer>> byTruth = new HashMap<>();
        for (int i = 0; i < r.recordCount(); i++) {
            byCluster.computeIfAbsent(r.cluster(i), k -> new ArrayList<>()).add(i);
            byTruth.computeIfAbsent(people.truth.get(i), k -> new ArrayList<>()).add(i);
        }
        Map<String, Integer> fpCat = new TreeMap<>();
        Map<String, List<String>> fpSamples = new TreeMap<>();
        for (List<Integer> c : byCluster.values()) {
            for (int x = 0; x < c.size(); x++) {
                for (int y = x + 1; y < c.size(); y++) {
                    int i = c.get(x);
                    int j = c.get(y);
                    String ti = people.truth.get(i);
                    String tj = people.truth.get(j);
                    if (ti.equals(tj)) {
                        continue;
                    }
                    Map<String, String> ki = kids.get(ti);
                    Map<String, String> kj = kids.get(tj);
                    String cat;
                    boolean fam = ki.get("family_name").equals(kj.get("family_name"));
                    boolean dob = ki.get("dob").equals(kj.get("dob"));
                    boolean given = ki.get("given_name").equals(kj.get("given_name"));
                    if (fam && dob) {
                        cat = "twins (same family name and dob)" + (given ? " same given" : "");
                    } else if (fam && given) {
                        cat = "same given+family, different dob";
                    } else if (fam) {
                        cat = "same family name (siblings?)";
                    } else {
                        cat = "other";
                    }
                    cat += c.size() > 2 ? " [in cluster of " + (c.size() > 4 ? "5+" : c.size()) + "]" : " [pair]";
                    add(fpCat, fpSamples, cat, describe(r, raw, kids, people.truth, pairIndex, i, j), samples);
                }
            }
        }
        Map<String, Integer> fnCat = new TreeMap<>();
        Map<String, List<String>> fnSamples = new TreeMap<>();
        for (List<Integer> t : byTruth.values()) {
            for (int x = 0; x < t.size(); x++) {
                for (int y = x + 1; y < t.size(); y++) {
                    int i = Math.min(t.get(x), t.get(y));
                    int j = Math.max(t.get(x), t.get(y));
                    if (r.cluster(i) == r.cluster(j)) {
                        continue;
                    }
                    Integer p = pairIndex.get(((long) i << 32) | j);
                    String cat;
                    if (p == null) {
                        cat = "not blocked";
                    } else if (r.weight(p) < r.config().matchWeight()) {
                        cat = "scored below match weight";
                        for (var term : r.explain(i, j).terms()) {
                            if (term.comparison().startsWith("guard:")) {
                                cat += " [" + term.comparison() + "]";
                            }
                        }
                    } else {
                        cat = "above match weight, refused/other side of cluster";
                    }
                    Map<String, String> a = raw.get(r.recordId(i));
                    Map<String, String> b = raw.get(r.recordId(j));
                    cat += emptyish(a) || emptyish(b) ? " (a record with dob and postcode missing)" : "";
                    add(fnCat, fnSamples, cat, describe(r, raw, kids, people.truth, pairIndex, i, j), samples);
                }
            }
        }
        print("FALSE POSITIVE pairs", fpCat, fpSamples);
        print("FALSE NEGATIVE pairs", fnCat, fnSamples);
    }

    private static boolean emptyish(Map<String, String> a) {
        return a.get("dob").isEmpty() && a.get("postcode").isEmpty();
    }

    private static void add(Map<String, Integer> cat, Map<String, List<String>> s, String key, String sample, int max) {
        cat.merge(key, 1, Integer::sum);
        List<String> l = s.computeIfAbsent(key, k -> new ArrayList<>());
        if (l.size() < max && (cat.get(key) % 7 == 1)) {
            l.add(sample);
        }
    }

    private static void print(String title, Map<String, Integer> cat, Map<String, List<String>> samples) {
        System.out.println("==== " + title + ": "
                + cat.values().stream().mapToInt(Integer::intValue).sum());
        cat.forEach((k, v) -> System.out.printf(Locale.ROOT, "  %-70s %,8d%n", k, v));
        samples.forEach((k, v) -> {
            System.out.println("---- " + k);
            v.forEach(System.out::println);
        });
    }

    private static final String[] COLS = {
        "agency_code",
        "given_name",
        "middle_names",
        "family_name",
        "aliases",
        "dob",
        "sex",
        "address_line",
        "postcode",
        "upn",
        "local_child_id"
    };

    private static String describe(
            LinkResult r,
            Map<String, Map<String, String>> raw,
            Map<String, Map<String, String>> kids,
            List<String> truth,
            Map<Long, Integer> pairIndex,
            int i,
            int j) {
        StringBuilder b = new StringBuilder();
        for (int x : new int[] {i, j}) {
            Map<String, String> v = raw.get(r.recordId(x));
            b.append("  ").append(truth.get(x)).append(" |");
            for (String c : COLS) {
                b.append(' ').append(v.get(c)).append(" |");
            }
            Map<String, String> k = kids.get(truth.get(x));
            b.append(" truth: ")
                    .append(k.get("given_name"))
                    .append(' ')
                    .append(k.get("family_name"))
                    .append(' ')
                    .append(k.get("dob"))
                    .append('\n');
        }
        Integer p = pairIndex.get(((long) Math.min(i, j) << 32) | Math.max(i, j));
        b.append("    ").append(p == null ? "(not a candidate) " : "").append(r.explain(i, j));
        return b.toString();
    }

    static Map<String, Map<String, String>> readAll(Path file, int limit) throws Exception {
        Map<String, Map<String, String>> out = new HashMap<>();
        try (CsvReader<CsvRecord> rd = CsvReader.builder().ofCsvRecord(file)) {
            List<String> h = null;
            for (CsvRecord row : rd) {
                if (h == null) {
                    h = row.getFields();
                    continue;
                }
                if (out.size() >= limit) {
                    break;
                }
                Map<String, String> m = new HashMap<>();
                for (int c = 0; c < h.size(); c++) {
                    m.put(h.get(c), row.getField(c));
                }
                out.put(m.get("agency_code") + "/" + m.get("record_ref"), m);
            }
        }
        return out;
    }

    private static Map<String, Map<String, String>> readKids(Path file) throws Exception {
        Map<String, Map<String, String>> out = new HashMap<>();
        try (CsvReader<CsvRecord> rd = CsvReader.builder().ofCsvRecord(file)) {
            List<String> h = null;
            for (CsvRecord row : rd) {
                if (h == null) {
                    h = row.getFields();
                    continue;
                }
                Map<String, String> m = new HashMap<>();
                for (int c = 0; c < h.size(); c++) {
                    m.put(h.get(c), row.getField(c));
                }
                out.put(m.get("child_id"), m);
            }
        }
        return out;
    }
}
