package org.sightline.linkage.block;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.apache.commons.codec.language.DoubleMetaphone;
import org.apache.commons.codec.language.Soundex;
import org.jspecify.annotations.Nullable;
import org.sightline.linkage.model.FieldSpec;
import org.sightline.linkage.normalise.PreparedRecord;

/** A compiled blocking rule. Immutable and thread-safe. */
public final class BlockingRule {
    private enum Fn {
        EXACT,
        FIRST,
        LAST,
        SOUNDEX,
        METAPHONE,
        NICKNAME,
        YEAR,
        MONTH,
        MONTHDAY,
        OUTCODE,
        SORTED,
        ENDS,
        ENDS_METAPHONE,
        FIRST_TOKEN,
        LAST_TOKEN,
        SORTED_METAPHONE
    }

    private record Part(Fn fn, int field, int field2, int n) {}

    private final String name;
    private final Part[] parts;
    private final Set<Integer> fields;
    private final boolean train;

    private BlockingRule(String name, List<Part> parts, boolean train) {
        this.name = name;
        this.train = train;
        this.parts = parts.toArray(new Part[0]);
        Set<Integer> f = new TreeSet<>();
        for (Part p : parts) {
            f.add(p.field);
            if (p.field2 >= 0) {
                f.add(p.field2);
            }
        }
        this.fields = Set.copyOf(f);
    }

    /** Compiles a rule; throws IllegalArgumentException naming the rule and the bad key. */
    public static BlockingRule compile(BlockingRuleSpec spec, List<FieldSpec> fieldSpecs) {
        if (spec.keys().isEmpty()) {
            throw new IllegalArgumentException("blocking rule '" + spec.name() + "' has no keys");
        }
        List<Part> parts = new ArrayList<>();
        for (String k : spec.keys()) {
            try {
                parts.add(parse(k, fieldSpecs));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        "blocking rule '" + spec.name() + "', key '" + k + "': " + e.getMessage());
            }
        }
        return new BlockingRule(spec.name(), parts, spec.train());
    }

    private static Part parse(String key, List<FieldSpec> fieldSpecs) {
        String k = key.strip();
        int open = k.indexOf('(');
        if (open < 0) {
            return new Part(Fn.EXACT, field(k, fieldSpecs), -1, 0);
        }
        if (!k.endsWith(")")) {
            throw new IllegalArgumentException("missing ')'");
        }
        String fn = k.substring(0, open).strip().toLowerCase(Locale.ROOT);
        String[] args = k.substring(open + 1, k.length() - 1).split(",");
        for (int i = 0; i < args.length; i++) {
            args[i] = args[i].strip();
        }
        int n = 0;
        if (fn.matches("(first|last)\\d+")) { // first3(x) = first(x,3)
            n = Integer.parseInt(fn.substring(fn.startsWith("first") ? 5 : 4));
            fn = fn.startsWith("first") ? "first" : "last";
        } else if ((fn.equals("first") || fn.equals("last"))) {
            if (args.length != 2) {
                throw new IllegalArgumentException(fn + " takes (field, N)");
            }
            try {
                n = Integer.parseInt(args[1]);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + args[1] + "' is not a whole number");
            }
        }
        Fn f =
                switch (fn) {
                    case "exact" -> Fn.EXACT;
                    case "first" -> Fn.FIRST;
                    case "last" -> Fn.LAST;
                    case "soundex" -> Fn.SOUNDEX;
                    case "metaphone" -> Fn.METAPHONE;
                    case "nickname" -> Fn.NICKNAME;
                    case "year" -> Fn.YEAR;
                    case "month" -> Fn.MONTH;
                    case "monthday" -> Fn.MONTHDAY;
                    case "outcode" -> Fn.OUTCODE;
                    case "sorted" -> Fn.SORTED;
                    case "ends" -> Fn.ENDS;
                    case "ends_metaphone" -> Fn.ENDS_METAPHONE;
                    case "first_token" -> Fn.FIRST_TOKEN;
                    case "last_token" -> Fn.LAST_TOKEN;
                    case "sorted_metaphone" -> Fn.SORTED_METAPHONE;
                    default -> throw new IllegalArgumentException(
                            "unknown function '" + fn + "' (known: exact, first, last, "
                                    + "soundex, metaphone, nickname, year, month, monthday, outcode, sorted, ends, "
                                    + "ends_metaphone, first_token, last_token, sorted_metaphone)");
                };
        if ((f == Fn.FIRST || f == Fn.LAST) && n < 1) {
            throw new IllegalArgumentException("N must be at least 1");
        }
        if (f == Fn.SORTED || f == Fn.SORTED_METAPHONE) {
            if (args.length != 2) {
                throw new IllegalArgumentException(fn + " takes two fields");
            }
            return new Part(f, field(args[0], fieldSpecs), field(args[1], fieldSpecs), 0);
        }
        if (args.length != 1 && !(f == Fn.FIRST || f == Fn.LAST)) {
            throw new IllegalArgumentException(fn + " takes one field");
        }
        return new Part(f, field(args[0], fieldSpecs), -1, n);
    }

    private static int field(String name, List<FieldSpec> fieldSpecs) {
        for (int i = 0; i < fieldSpecs.size(); i++) {
            if (fieldSpecs.get(i).name().equals(name)) {
                return i;
            }
        }
        throw new IllegalArgumentException("unknown field '" + name + "'");
    }

    public String name() {
        return name;
    }

    /** False when the rule's pairs are kept out of m estimation (EM). */
    public boolean train() {
        return train;
    }

    /** Indexes of the fields the rule reads. */
    public Set<Integer> fields() {
        return fields;
    }

    /** The record's blocking key, or null when a part is missing (the record joins no block of this rule). */
    public @Nullable String key(PreparedRecord r) {
        if (parts.length == 1) {
            return part(parts[0], r);
        }
        StringBuilder b = new StringBuilder(32);
        for (Part p : parts) {
            String v = part(p, r);
            if (v == null) {
                return null;
            }
            b.append(v).append('\u001f');
        }
        return b.toString();
    }

    private static @Nullable String part(Part p, PreparedRecord r) {
        String v = r.value(p.field);
        if (v == null) {
            return null;
        }
        switch (p.fn) {
            case EXACT:
                return v;
            case FIRST:
                return v.length() <= p.n ? v : v.substring(0, p.n);
            case LAST:
                return v.length() <= p.n ? v : v.substring(v.length() - p.n);
            case SOUNDEX: {
                String letters = v.replaceAll("[^a-zA-Z]", "");
                if (letters.isEmpty()) {
                    return null;
                }
                return new Soundex().soundex(letters);
            }
            case METAPHONE:
                return r.phonetic(p.field);
            case NICKNAME: {
                int[] g = r.nicknames(p.field);
                return g.length == 0 ? v : "#" + g[0];
            }
            case YEAR:
                return v.length() >= 4 ? v.substring(0, 4) : null;
            case MONTH:
                return v.length() >= 6 ? v.substring(0, 6) : null;
            case MONTHDAY:
                return v.length() >= 8 ? v.substring(4, 8) : null;
            case OUTCODE:
                return v.length() >= 5 ? v.substring(0, v.length() - 3) : v;
            case SORTED: {
                String w = r.value(p.field2);
                if (w == null) {
                    return null;
                }
                return v.compareTo(w) <= 0 ? v + "\u001e" + w : w + "\u001e" + v;
            }
            case SORTED_METAPHONE: {
                // the two names' sounds in either order: a misspelt and swapped name still meets its record
                String x = r.phonetic(p.field);
                String w = r.phonetic(p.field2);
                if (x == null || w == null) {
                    return null;
                }
                return x.compareTo(w) <= 0 ? x + "\u001e" + w : w + "\u001e" + x;
            }
            case FIRST_TOKEN: {
                int s = v.indexOf(' ');
                return s < 0 ? v : v.substring(0, s);
            }
            case LAST_TOKEN:
                return v.substring(v.lastIndexOf(' ') + 1);
            case ENDS_METAPHONE: {
                // as ends, by sound: "freya howels" = "howells freya"
                int s = v.indexOf(' ');
                if (s < 0) {
                    return null;
                }
                DoubleMetaphone dm = new DoubleMetaphone(); // holds its code length: one per call, thread-safe
                dm.setMaxCodeLen(6);
                String first = dm.doubleMetaphone(v.substring(0, s));
                String last = dm.doubleMetaphone(v.substring(v.lastIndexOf(' ') + 1));
                if (first == null || last == null || first.isEmpty() || last.isEmpty()) {
                    return null;
                }
                return first.compareTo(last) <= 0 ? first + "\u001e" + last : last + "\u001e" + first;
            }
            case ENDS: {
                // first and last word of a full name, in either order: "jack peter smith" = "smith jack"
                int s = v.indexOf(' ');
                if (s < 0) {
                    return null; // one word is too common a key on its own
                }
                String first = v.substring(0, s);
                String last = v.substring(v.lastIndexOf(' ') + 1);
                return first.compareTo(last) <= 0 ? first + "\u001e" + last : last + "\u001e" + first;
            }
            default:
                throw new IllegalStateException();
        }
    }

    @Override
    public String toString() {
        return "BlockingRule[" + name + "]";
    }
}
