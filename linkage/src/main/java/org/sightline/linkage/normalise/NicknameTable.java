package org.sightline.linkage.normalise;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Given-name equivalence groups (robert = rob = bob). Immutable. Two names are equivalent when they share a group.
 * The shipped table ({@link #shipped()}) is {@code nicknames.txt} next to this class.
 */
public final class NicknameTable {
    private static final int[] NONE = new int[0];
    private final Map<String, int[]> groups;

    private NicknameTable(Map<String, int[]> groups) {
        this.groups = groups;
    }

    /** Loads the table shipped with the engine. */
    public static NicknameTable shipped() {
        try (InputStream in = NicknameTable.class.getResourceAsStream("nicknames.txt")) {
            if (in == null) {
                throw new IllegalStateException("nicknames.txt missing from the linkage jar");
            }
            return parse(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Parses lines of comma-separated equivalent names; '#' starts a comment. */
    public static NicknameTable parse(InputStream in) throws IOException {
        Map<String, List<Integer>> build = new HashMap<>();
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        String line;
        int group = 0;
        while ((line = r.readLine()) != null) {
            line = line.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            for (String name : line.split(",")) {
                String n = Text.normaliseName(name);
                if (n != null) {
                    List<Integer> l = build.computeIfAbsent(n, k -> new ArrayList<>(2));
                    if (!l.contains(group)) {
                        l.add(group);
                    }
                }
            }
            group++;
        }
        Map<String, int[]> groups = new HashMap<>();
        build.forEach((k, v) ->
                groups.put(k, v.stream().mapToInt(Integer::intValue).sorted().toArray()));
        return new NicknameTable(Map.copyOf(groups));
    }

    /** The sorted group ids of a normalised name; empty when the name is not in the table. */
    public int[] groupsOf(String normalisedName) {
        if (normalisedName == null) {
            return NONE;
        }
        int[] g = groups.get(normalisedName);
        if (g == null) {
            // "mary jane": use the first part
            int sp = normalisedName.indexOf(' ');
            if (sp > 0) {
                g = groups.get(normalisedName.substring(0, sp));
            }
        }
        return g == null ? NONE : g;
    }

    /** True when the two names share a group. */
    public boolean equivalent(String a, String b) {
        return shareGroup(groupsOf(a), groupsOf(b));
    }

    public static boolean shareGroup(int[] a, int[] b) {
        int i = 0;
        int j = 0;
        while (i < a.length && j < b.length) {
            if (a[i] == b[j]) {
                return true;
            }
            if (a[i] < b[j]) {
                i++;
            } else {
                j++;
            }
        }
        return false;
    }

    public int size() {
        return groups.size();
    }

    @Override
    public String toString() {
        return "NicknameTable[" + groups.size() + " names]";
    }

    static int[] none() {
        return Arrays.copyOf(NONE, 0);
    }
}
