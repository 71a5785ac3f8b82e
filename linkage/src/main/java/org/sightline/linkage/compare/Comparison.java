package org.sightline.linkage.compare;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.commons.text.similarity.LevenshteinDistance;
import org.jspecify.annotations.Nullable;
import org.sightline.linkage.model.FieldType;
import org.sightline.linkage.normalise.NicknameTable;
import org.sightline.linkage.normalise.PreparedRecord;

/**
 * A compiled comparison: gives the agreement level of two records on one field. Level 0 is "null" (either value
 * missing: no evidence either way), levels 1..k are the configured levels in order (the first that holds wins), and
 * level k+1 is "else". Immutable and thread-safe.
 */
public final class Comparison {
    /** The tests a level can apply. */
    public enum Kind {
        EXACT,
        SWAPPED,
        NICKNAME,
        PHONETIC,
        INITIAL,
        TOKEN,
        JARO_WINKLER,
        LEVENSHTEIN,
        ALIAS,
        DM_SWAP,
        TYPO,
        SAME_MONTH_YEAR,
        WITHIN_YEAR,
        TOKEN_SET,
        SAME_YEAR,
        SECTOR,
        DISTRICT,
        AREA,
        LOCAL_PART
    }

    /** One agreement level. */
    public record Level(String label, Kind kind, double parameter) {}

    private static final LevenshteinDistance LEV1 = new LevenshteinDistance(1);
    private static final LevenshteinDistance LEV2 = new LevenshteinDistance(2);
    private static final LevenshteinDistance LEV3 = new LevenshteinDistance(3);

    private final String name;
    private final String fieldName;
    private final int field;
    private final int swapField;
    private final boolean tf;
    private final Level[] levels;
    private final int exactLevel;
    private final boolean date;
    private final int aliasField;
    /** Lowest Jaro-Winkler threshold among the levels (2 when none). */
    private final double minJw;

    Comparison(String name, String fieldName, int field, int swapField, boolean tf, List<Level> levels) {
        this(name, fieldName, field, swapField, tf, levels, false, -1);
    }

    Comparison(
            String name,
            String fieldName,
            int field,
            int swapField,
            boolean tf,
            List<Level> levels,
            boolean date,
            int aliasField) {
        this.name = name;
        this.date = date;
        this.aliasField = aliasField;
        double mj = 2;
        for (Level l : levels) {
            if (l.kind() == Kind.JARO_WINKLER) {
                mj = Math.min(mj, l.parameter());
            }
        }
        this.minJw = mj;
        this.fieldName = fieldName;
        this.field = field;
        this.swapField = swapField;
        this.tf = tf;
        this.levels = levels.toArray(new Level[0]);
        int ex = -1;
        for (int i = 0; i < this.levels.length; i++) {
            if (this.levels[i].kind == Kind.EXACT) {
                ex = i + 1;
                break;
            }
        }
        this.exactLevel = ex;
    }

    /**
     * Compiles a spec against the configured fields; throws IllegalArgumentException naming the problem.
     */
    public static Comparison compile(ComparisonSpec spec, List<org.sightline.linkage.model.FieldSpec> fields) {
        int field = indexOf(fields, spec.field());
        if (field < 0) {
            throw new IllegalArgumentException(
                    "comparison '" + spec.name() + "': unknown field '" + spec.field() + "'");
        }
        int swap = -1;
        if (spec.swapWith() != null) {
            swap = indexOf(fields, spec.swapWith());
            if (swap < 0) {
                throw new IllegalArgumentException(
                        "comparison '" + spec.name() + "': unknown swap_with field '" + spec.swapWith() + "'");
            }
        }
        FieldType type = fields.get(field).type();
        List<String> names = spec.levels() != null ? spec.levels() : defaultLevels(type, swap >= 0);
        if (names.isEmpty() || names.size() > 13) {
            throw new IllegalArgumentException(
                    "comparison '" + spec.name() + "': needs 1 to 13 levels, has " + names.size());
        }
        List<Level> levels = new ArrayList<>();
        for (String n : names) {
            Level l;
            try {
                l = parseLevel(n);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("comparison '" + spec.name() + "': " + e.getMessage());
            }
            if (l.kind() == Kind.SWAPPED && swap < 0) {
                throw new IllegalArgumentException("comparison '" + spec.name()
                        + "': level 'swapped' needs swap_with naming the other name field");
            }
            if (levels.stream().anyMatch(x -> x.label().equals(l.label()))) {
                throw new IllegalArgumentException("comparison '" + spec.name() + "': level '" + n + "' repeated");
            }
            levels.add(l);
        }
        boolean tf = spec.tf() != null
                ? spec.tf()
                : type == FieldType.GIVEN_NAME
                        || type == FieldType.FAMILY_NAME
                        || type == FieldType.FULL_NAME
                        || type == FieldType.POSTCODE
                        || type == FieldType.TEXT;
        int alias = -1;
        if (spec.aliasWith() != null) {
            alias = indexOf(fields, spec.aliasWith());
            if (alias < 0) {
                throw new IllegalArgumentException(
                        "comparison '" + spec.name() + "': unknown alias_with field '" + spec.aliasWith() + "'");
            }
        }
        Comparison c =
                new Comparison(spec.name(), spec.field(), field, swap, tf, levels, type == FieldType.DATE, alias);
        if (alias < 0 && levels.stream().anyMatch(x -> x.kind() == Kind.ALIAS)) {
            throw new IllegalArgumentException(
                    "comparison '" + spec.name() + "': level 'alias' needs alias_with naming the field of other names");
        }
        for (String fixedLevel : spec.fixed().keySet()) {
            if (c.levelOf(fixedLevel.strip().toLowerCase(Locale.ROOT)) < 1) {
                throw new IllegalArgumentException("comparison '" + spec.name() + "': fixed m/u given for level '"
                        + fixedLevel + "', which it does not have (levels: " + names + ", else)");
            }
            double[] mu = spec.fixed().get(fixedLevel);
            for (double v : mu) {
                if (!Double.isNaN(v) && !(v > 0 && v <= 1)) {
                    throw new IllegalArgumentException("comparison '" + spec.name() + "': fixed m/u for level '"
                            + fixedLevel + "' must be in (0, 1], got " + v);
                }
            }
        }
        return c;
    }

    private static int indexOf(List<org.sightline.linkage.model.FieldSpec> fields, String name) {
        for (int i = 0; i < fields.size(); i++) {
            if (fields.get(i).name().equals(name)) {
                return i;
            }
        }
        return -1;
    }

    /** Default level names for a field type. */
    public static List<String> defaultLevels(FieldType type, boolean hasSwap) {
        List<String> l = new ArrayList<>();
        switch (type) {
            case GIVEN_NAME -> {
                l.add("exact");
                if (hasSwap) {
                    l.add("swapped");
                }
                l.addAll(List.of("nickname", "jw:0.92", "phonetic", "jw:0.8", "initial"));
            }
            case FAMILY_NAME -> {
                l.add("exact");
                if (hasSwap) {
                    l.add("swapped");
                }
                l.addAll(List.of("jw:0.92", "phonetic", "jw:0.8"));
            }
            case DATE -> l.addAll(List.of("exact", "dm_swap", "typo", "same_month_year", "within_year"));
            case FULL_NAME -> l.addAll(List.of("exact", "token_set:1", "token_set:0.66", "token"));
            case POSTCODE -> l.addAll(List.of("exact", "sector", "district"));
            case EMAIL -> l.addAll(List.of("exact", "local_part", "jw:0.88"));
            case TEXT -> l.addAll(List.of("exact", "jw:0.9", "jw:0.8"));
            default -> l.add("exact");
        }
        return l;
    }

    /** Parses a level name such as {@code jw:0.9}; throws IllegalArgumentException naming the problem. */
    public static Level parseLevel(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        String head = t;
        double p = Double.NaN;
        int colon = t.indexOf(':');
        if (colon > 0) {
            head = t.substring(0, colon).strip();
            try {
                p = Double.parseDouble(t.substring(colon + 1).strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(
                        "level '" + text + "': '" + t.substring(colon + 1) + "' is not a number");
            }
        }
        Kind kind =
                switch (head) {
                    case "exact" -> Kind.EXACT;
                    case "swapped" -> Kind.SWAPPED;
                    case "nickname" -> Kind.NICKNAME;
                    case "phonetic" -> Kind.PHONETIC;
                    case "initial" -> Kind.INITIAL;
                    case "token" -> Kind.TOKEN;
                    case "jw", "jaro_winkler" -> Kind.JARO_WINKLER;
                    case "lev", "levenshtein" -> Kind.LEVENSHTEIN;
                    case "alias" -> Kind.ALIAS;
                    case "dm_swap" -> Kind.DM_SWAP;
                    case "typo" -> Kind.TYPO;
                    case "same_month_year" -> Kind.SAME_MONTH_YEAR;
                    case "within_year" -> Kind.WITHIN_YEAR;
                    case "token_set" -> Kind.TOKEN_SET;
                    case "same_year" -> Kind.SAME_YEAR;
                    case "sector" -> Kind.SECTOR;
                    case "district" -> Kind.DISTRICT;
                    case "area" -> Kind.AREA;
                    case "local_part" -> Kind.LOCAL_PART;
                    default -> throw new IllegalArgumentException(
                            "unknown level '" + text + "' (known: exact, swapped, "
                                    + "nickname, phonetic, initial, token, token_set:T, alias, jw:T, lev:K, dm_swap, typo, same_month_year, within_year, "
                                    + "same_year, sector, district, area, local_part)");
                };
        if (kind == Kind.JARO_WINKLER && !(p > 0 && p <= 1)) {
            throw new IllegalArgumentException("level '" + text + "' needs a threshold in (0, 1], e.g. jw:0.9");
        }
        if (kind == Kind.TOKEN_SET && !(p > 0 && p <= 1)) {
            throw new IllegalArgumentException(
                    "level '" + text + "' needs the share of words that must match, in (0, 1], e.g. token_set:0.66");
        }
        if (kind == Kind.LEVENSHTEIN && !(p >= 1 && p <= 3 && p == Math.rint(p))) {
            throw new IllegalArgumentException("level '" + text + "' needs a whole distance 1 to 3, e.g. lev:1");
        }
        if (kind != Kind.JARO_WINKLER && kind != Kind.LEVENSHTEIN && kind != Kind.TOKEN_SET && !Double.isNaN(p)) {
            throw new IllegalArgumentException("level '" + text + "' takes no parameter");
        }
        return new Level(t, kind, p);
    }

    public String name() {
        return name;
    }

    public String fieldName() {
        return fieldName;
    }

    public int field() {
        return field;
    }

    /** Field index of the swap partner, or -1. */
    public int swapField() {
        return swapField;
    }

    public boolean termFrequency() {
        return tf;
    }

    /** Number of levels including null (0) and else (last). */
    public int levelCount() {
        return levels.length + 2;
    }

    /** Index of the exact level, or -1. */
    public int exactLevel() {
        return exactLevel;
    }

    public String label(int level) {
        if (level == 0) {
            return "null";
        }
        if (level == levels.length + 1) {
            return "else";
        }
        return levels[level - 1].label();
    }

    /** Index of the level with the given label, or -1. */
    public int levelOf(String label) {
        for (int i = 0; i < levelCount(); i++) {
            if (label(i).equals(label)) {
                return i;
            }
        }
        return -1;
    }

    /** The agreement level of two records. */
    public int level(PreparedRecord a, PreparedRecord b) {
        String x = a.value(field);
        String y = b.value(field);
        if (x == null || y == null) {
            return 0;
        }
        double jw = -1;
        for (int i = 0; i < levels.length; i++) {
            Level l = levels[i];
            boolean hit;
            switch (l.kind) {
                case EXACT -> hit = x.equals(y);
                case SWAPPED -> hit = swapped(a, b);
                case NICKNAME -> hit = NicknameTable.shareGroup(a.nicknames(field), b.nicknames(field));
                case PHONETIC -> {
                    String p = a.phonetic(field);
                    hit = p != null && p.equals(b.phonetic(field));
                }
                case INITIAL -> hit = (x.length() == 1 || y.length() == 1) && x.charAt(0) == y.charAt(0);
                case TOKEN -> hit = shareToken(x, y);
                case TOKEN_SET -> hit = tokenSet(x, y) >= l.parameter - 1e-9;
                case JARO_WINKLER -> {
                    if (jw < 0) {
                        // most candidate pairs are far apart: the cheap bound settles them below every threshold
                        double bound = JaroWinkler.upperBound(x, y);
                        jw = bound < minJw ? bound : JaroWinkler.similarity(x, y);
                    }
                    hit = jw >= l.parameter;
                }
                case LEVENSHTEIN -> hit = levenshteinWithin(x, y, (int) l.parameter);
                case ALIAS -> hit = inAliases(x, b.value(aliasField)) || inAliases(y, a.value(aliasField));
                case DM_SWAP -> hit = dayMonthSwapped(x, y);
                    // On dates a typo is a full-date thing: "2008-08" vs "2008-09" is two different months, not a slip.
                case TYPO -> hit = (!date || x.length() == 8) && dateTypo(x, y);
                case SAME_MONTH_YEAR -> hit = x.length() >= 6 && y.length() >= 6 && x.regionMatches(0, y, 0, 6);
                case WITHIN_YEAR -> hit = withinYear(x, y);
                case SAME_YEAR -> hit = x.length() >= 4 && y.length() >= 4 && x.regionMatches(0, y, 0, 4);
                case SECTOR -> hit = samePostcodePart(x, y, 1);
                case DISTRICT -> hit = samePostcodePart(x, y, 0);
                case AREA -> hit = postcodeArea(x).equals(postcodeArea(y));
                case LOCAL_PART -> {
                    int ax = x.indexOf('@');
                    int ay = y.indexOf('@');
                    hit = ax > 0 && ax == ay && x.regionMatches(0, y, 0, ax);
                }
                default -> throw new IllegalStateException(l.kind.name());
            }
            if (hit) {
                return i + 1;
            }
        }
        return levels.length + 1;
    }

    private boolean swapped(PreparedRecord a, PreparedRecord b) {
        if (swapField < 0) {
            return false;
        }
        String af = a.value(field);
        String bg = b.value(swapField);
        String ag = a.value(swapField);
        String bf = b.value(field);
        if (af == null || bg == null || ag == null || bf == null) {
            return false;
        }
        return close(af, bg) && close(ag, bf);
    }

    private static boolean close(String x, String y) {
        return x.equals(y) || (JaroWinkler.upperBound(x, y) >= 0.92 && JaroWinkler.similarity(x, y) >= 0.92);
    }

    /** True when {@code name} appears as whole words in the normalised alias text. */
    static boolean inAliases(String name, @Nullable String aliases) {
        if (aliases == null) {
            return false;
        }
        int from = 0;
        while (true) {
            int i = aliases.indexOf(name, from);
            if (i < 0) {
                return false;
            }
            int end = i + name.length();
            if ((i == 0 || aliases.charAt(i - 1) == ' ') && (end == aliases.length() || aliases.charAt(end) == ' ')) {
                return true;
            }
            from = i + 1;
        }
    }

    private static boolean shareToken(String x, String y) {
        for (String t : x.split(" ")) {
            if (t.length() >= 2) {
                for (String u : y.split(" ")) {
                    if (t.equals(u)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /**
     * Share of the shorter name's words found in the other, in any order: a word matches an equal word, one within
     * Jaro-Winkler 0.9, or one it begins (a name cut short, "jon" in "jonathan", three letters at least).
     */
    static double tokenSet(String x, String y) {
        String[] a = x.split(" ");
        String[] b = y.split(" ");
        if (a.length > b.length) {
            String[] t = a;
            a = b;
            b = t;
        }
        boolean[] used = new boolean[b.length];
        int matched = 0;
        for (String w : a) {
            for (int k = 0; k < b.length; k++) {
                if (!used[k] && wordsMatch(w, b[k])) {
                    used[k] = true;
                    matched++;
                    break;
                }
            }
        }
        return (double) matched / a.length;
    }

    private static boolean wordsMatch(String w, String v) {
        if (w.equals(v)) {
            return true;
        }
        if (Math.min(w.length(), v.length()) >= 3 && (w.startsWith(v) || v.startsWith(w))) {
            return true;
        }
        return JaroWinkler.upperBound(w, v) >= 0.9 && JaroWinkler.similarity(w, v) >= 0.9;
    }

    static boolean levenshteinWithin(String x, String y, int k) {
        if (Math.abs(x.length() - y.length()) > k) {
            return false;
        }
        LevenshteinDistance d = k == 1 ? LEV1 : k == 2 ? LEV2 : LEV3;
        return d.apply(x, y) >= 0;
    }

    static boolean dayMonthSwapped(String x, String y) {
        return x.length() == 8
                && y.length() == 8
                && x.regionMatches(0, y, 0, 4)
                && x.regionMatches(4, y, 6, 2)
                && x.regionMatches(6, y, 4, 2);
    }

    /** One digit different, or two adjacent digits transposed. */
    static boolean dateTypo(String x, String y) {
        if (x.length() != y.length()) {
            return false;
        }
        int first = -1;
        int diffs = 0;
        for (int i = 0; i < x.length(); i++) {
            if (x.charAt(i) != y.charAt(i)) {
                if (diffs == 0) {
                    first = i;
                }
                diffs++;
                if (diffs > 2) {
                    return false;
                }
            }
        }
        if (diffs == 1) {
            return true;
        }
        return diffs == 2
                && first + 1 < x.length()
                && x.charAt(first) == y.charAt(first + 1)
                && x.charAt(first + 1) == y.charAt(first);
    }

    /** Within twelve months (at month precision); same year when either date only has a year. */
    static boolean withinYear(String x, String y) {
        if (x.length() < 4 || y.length() < 4) {
            return false;
        }
        int yx = digits(x, 0, 4);
        int yy = digits(y, 0, 4);
        if (yx < 0 || yy < 0) {
            return false;
        }
        if (x.length() < 6 || y.length() < 6) {
            return yx == yy;
        }
        int mx = digits(x, 4, 6);
        int my = digits(y, 4, 6);
        if (mx < 0 || my < 0) {
            return yx == yy;
        }
        return Math.abs((yx * 12 + mx) - (yy * 12 + my)) <= 12;
    }

    /** The number written by the digits s[from, to), or -1 when a character is not a digit (no allocation). */
    private static int digits(String s, int from, int to) {
        int v = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    /** Same postcode part (0 = district, 1 = sector) without building substrings. */
    static boolean samePostcodePart(String x, String y, int part) {
        int lx = x.length() < 5 ? x.length() : x.length() - 3 + part;
        int ly = y.length() < 5 ? y.length() : y.length() - 3 + part;
        return lx == ly && x.regionMatches(0, y, 0, lx);
    }

    /** part 0 = outward code (district), 1 = sector (outward + first inward digit). */
    static String postcodePart(String pc, int part) {
        if (pc.length() < 5) {
            return pc;
        }
        int inward = pc.length() - 3;
        return part == 0 ? pc.substring(0, inward) : pc.substring(0, inward + 1);
    }

    static String postcodeArea(String pc) {
        int i = 0;
        while (i < pc.length() && Character.isLetter(pc.charAt(i))) {
            i++;
        }
        return pc.substring(0, i);
    }

    @Override
    public String toString() {
        return "Comparison[" + name + "]";
    }
}
