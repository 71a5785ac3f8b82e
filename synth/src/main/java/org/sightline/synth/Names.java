package org.sightline.synth;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Name lists with frequency skew, nickname map and spelling variants, loaded once from resources. */
final class Names {

    /** Items with cumulative Zipf-like weights: a few very common, a long tail. */
    static final class Pool {
        final String[] items;
        final double[] cumulative;

        Pool(List<String> items, double exponent, double offset) {
            this.items = items.toArray(new String[0]);
            double[] w = new double[this.items.length];
            for (int i = 0; i < w.length; i++) {
                w[i] = Math.pow(i + 1 + offset, -exponent);
            }
            this.cumulative = Rnd.cumulative(w);
        }

        Pool(String[] items, double[] cumulative) {
            this.items = items;
            this.cumulative = cumulative;
        }

        String pick(Rnd rnd) {
            return items[rnd.pickCumulative(cumulative)];
        }
    }

    private final Map<String, Pool> pools = new HashMap<>();
    private final Map<String, String[]> nicknames = new HashMap<>();
    private final Map<String, String[]> spellings = new HashMap<>();
    final String[] streets;
    final String[] streetTypes;

    private Names() {
        Map<String, List<String>> sections = new LinkedHashMap<>();
        List<String> current = null;
        for (String line : lines("names/names.txt")) {
            if (line.startsWith("[")) {
                current = new ArrayList<>();
                sections.put(line.substring(1, line.indexOf(']')), current);
            } else if (current != null) {
                for (String w : line.split("\\s+")) {
                    if (!w.isEmpty()) {
                        current.add(w);
                    }
                }
            }
        }
        for (Map.Entry<String, List<String>> e : sections.entrySet()) {
            boolean surname = e.getKey().startsWith("surname.");
            pools.put(e.getKey(), new Pool(e.getValue(), surname ? 0.75 : 0.8, surname ? 3 : 5));
        }
        // A long tail of rarer English surnames built from place-name parts, so that common
        // names are common and most names are rare, as in the real population.
        List<String> tail = new ArrayList<>();
        String[] heads = {
            "Ash", "Black", "Brad", "Brook", "Bur", "Chad", "Clay", "Cran", "Dal", "Den", "Fair", "Farn", "Green",
            "Hal", "Hart", "Hay", "Hol", "Kings", "Lang", "Mar", "Mid", "Mor", "Nor", "Oak", "Pen", "Ray", "Red",
            "Rush", "Shel", "Stan", "Stock", "Thorn", "Wal", "Wes", "Whit", "Wood", "Ald", "Bar", "Cal", "Rad"
        };
        String[] tails = {
            "ley", "ton", "worth", "field", "ford", "well", "wood", "by", "ham", "more", "ridge", "bury", "hurst",
            "stone", "shaw", "croft", "dale", "combe", "wick", "thorpe"
        };
        for (String h : heads) {
            for (String t : tails) {
                tail.add(h + t);
            }
        }
        Pool british = pool("surname.british");
        String[] items = new String[british.items.length + tail.size()];
        double[] cum = new double[items.length];
        System.arraycopy(british.items, 0, items, 0, british.items.length);
        double total = british.cumulative[british.cumulative.length - 1];
        System.arraycopy(british.cumulative, 0, cum, 0, british.items.length);
        double each = total * 0.35 / tail.size(); // the tail holds about a quarter of people
        double s = total;
        for (int i = 0; i < tail.size(); i++) {
            items[british.items.length + i] = tail.get(i);
            s += each;
            cum[british.items.length + i] = s;
        }
        pools.put("surname.british", new Pool(items, cum));

        for (String line : lines("names/nicknames.csv")) {
            if (line.startsWith("formal,")) {
                continue;
            }
            String[] parts = line.split(",");
            nicknames.put(parts[0], parts[1].split("\\|"));
        }
        for (String line : lines("names/spellings.txt")) {
            String[] group = line.trim().split("\\s+");
            for (String name : group) {
                List<String> others = new ArrayList<>();
                for (String o : group) {
                    if (!o.equals(name)) {
                        others.add(o);
                    }
                }
                spellings.merge(name, others.toArray(new String[0]), Names::concat);
            }
        }
        streets = words("names/streets.txt");
        streetTypes = words("names/street_types.txt");
    }

    private static final Names INSTANCE = new Names();

    static Names get() {
        return INSTANCE;
    }

    Pool pool(String key) {
        Pool p = pools.get(key);
        if (p == null) {
            throw new IllegalStateException("no name list " + key);
        }
        return p;
    }

    /** Nicknames for a formal given name, or an empty array. */
    String[] nicknames(String formal) {
        return nicknames.getOrDefault(formal, EMPTY);
    }

    /** Other spellings that sound the same, or an empty array. */
    String[] spellings(String name) {
        return spellings.getOrDefault(name, EMPTY);
    }

    /** The whole nickname map, formal name to nicknames (read-only view for tests and docs). */
    Map<String, String[]> nicknameMap() {
        return java.util.Collections.unmodifiableMap(nicknames);
    }

    private static final String[] EMPTY = new String[0];

    private static String[] concat(String[] a, String[] b) {
        String[] c = new String[a.length + b.length];
        System.arraycopy(a, 0, c, 0, a.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    private static String[] words(String path) {
        List<String> out = new ArrayList<>();
        for (String line : lines(path)) {
            for (String w : line.split("\\s+")) {
                if (!w.isEmpty()) {
                    out.add(w.replace('-', ' '));
                }
            }
        }
        return out.toArray(new String[0]);
    }

    private static List<String> lines(String path) {
        List<String> out = new ArrayList<>();
        try (InputStream in = Names.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + path);
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String line;
            while ((line = r.readLine()) != null) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    out.add(line.strip());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read resource " + path, e);
        }
        return out;
    }
}
