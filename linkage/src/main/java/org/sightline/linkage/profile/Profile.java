package org.sightline.linkage.profile;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.sightline.linkage.LinkageConfig;
import org.sightline.linkage.LinkageConfigException;
import org.sightline.linkage.block.BlockingRuleSpec;
import org.sightline.linkage.compare.ComparisonSpec;
import org.sightline.linkage.model.FieldSpec;
import org.sightline.linkage.model.FieldType;
import org.sightline.linkage.model.LinkType;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * A linkage profile: the engine configuration plus how to read it from CSV (which column feeds which field, the id
 * column, separator). YAML or JSON; unknown keys are errors. The format is documented in docs/linkage.md.
 */
public final class Profile {
    private final String name;
    private final LinkageConfig config;
    private final CsvLayout csv;

    /**
     * How the CSV holds the fields. A record's id is its {@code idColumns} values joined by '/', e.g. an agency code
     * and the agency's own reference when references are unique only within an agency.
     */
    public record CsvLayout(
            String separator,
            boolean trim,
            List<String> idColumns,
            @Nullable String sourceColumn,
            Map<String, String> columns,
            Map<String, List<String>> joinedColumns) {
        public CsvLayout {
            idColumns = List.copyOf(idColumns);
            columns = Map.copyOf(columns);
            joinedColumns = Map.copyOf(joinedColumns);
        }

        /** The column(s) feeding a field: one, or several whose non-empty values are joined by a space. */
        public List<String> columnsOf(String field) {
            List<String> joined = joinedColumns.get(field);
            if (joined != null) {
                return joined;
            }
            String c = columns.get(field);
            return c == null ? List.of(field) : List.of(c);
        }

        /** The id column(s) as a user wrote them: "rec_id", or "agency_code + record_ref". */
        public String idDescription() {
            return String.join(" + ", idColumns);
        }
    }

    private Profile(String name, LinkageConfig config, CsvLayout csv) {
        this.name = name;
        this.config = config;
        this.csv = csv;
    }

    public String name() {
        return name;
    }

    public LinkageConfig config() {
        return config;
    }

    public CsvLayout csv() {
        return csv;
    }

    /** Loads a profile file; errors name the file and the setting. */
    public static Profile load(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new LinkageConfigException("profile " + file + ": cannot read (" + e.getMessage() + ")");
        }
        try {
            return parse(text);
        } catch (LinkageConfigException e) {
            throw new LinkageConfigException("profile " + file + ": " + e.getMessage());
        }
    }

    public static Profile parse(Reader reader) throws IOException {
        StringBuilder b = new StringBuilder();
        char[] buf = new char[8192];
        int n;
        while ((n = reader.read(buf)) > 0) {
            b.append(buf, 0, n);
        }
        return parse(b.toString());
    }

    public static Profile parse(String text) {
        Object root;
        try {
            root = new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
        } catch (MarkedYAMLException e) {
            throw new LinkageConfigException(
                    "not valid YAML/JSON at line " + (e.getProblemMark().getLine() + 1) + ": " + e.getProblem());
        } catch (YAMLException e) {
            throw new LinkageConfigException("not valid YAML/JSON: " + e.getMessage());
        }
        Node top = Node.root(root);
        top.allow(
                "name",
                "link_type",
                "csv",
                "fields",
                "comparisons",
                "blocking",
                "training",
                "thresholds",
                "clustering",
                "threads",
                "guards",
                "joint_tf");
        LinkageConfig.Builder cb = LinkageConfig.builder();
        String name = top.string("name", "profile");
        String lt = top.string("link_type", "dedupe");
        try {
            cb.linkType(LinkType.valueOf(lt.toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            throw new LinkageConfigException(
                    "link_type: '" + lt + "' is not one of dedupe, link_only, " + "link_and_dedupe");
        }
        Node csvNode = top.child("csv");
        csvNode.allow("separator", "trim", "id_column", "id_columns", "source_column");
        String sep = csvNode.string("separator", ",");
        if (sep.isEmpty()) {
            throw new LinkageConfigException("csv.separator: must not be empty");
        }
        boolean trim = csvNode.bool("trim", true);
        List<String> idColumns;
        if (csvNode.has("id_column") == csvNode.has("id_columns")) {
            throw new LinkageConfigException(
                    "csv: give either id_column (one column) or id_columns (a list, e.g. [agency_code, record_ref])");
        } else if (csvNode.has("id_column")) {
            idColumns = List.of(csvNode.requiredString("id_column"));
        } else {
            idColumns = csvNode.stringList("id_columns");
            if (Set.copyOf(idColumns).size() != idColumns.size()) {
                throw new LinkageConfigException("csv.id_columns: a column is listed twice");
            }
        }
        String sourceColumn = csvNode.optionalString("source_column");

        Map<String, String> columns = new LinkedHashMap<>();
        Map<String, List<String>> joined = new LinkedHashMap<>();
        List<Node> fields = top.list("fields");
        if (fields.isEmpty()) {
            throw new LinkageConfigException("fields: at least one field is required");
        }
        for (Node f : fields) {
            f.allow("name", "column", "columns", "type", "format", "invalid", "missing_values");
            String fname = f.requiredString("name");
            if (f.has("column") && f.has("columns")) {
                throw new LinkageConfigException(f.path + ": give column or columns, not both");
            }
            if (f.has("columns")) {
                // e.g. a full name from given, middle and family name columns (whichever an agency filled)
                joined.put(fname, f.stringList("columns"));
            }
            String column = f.has("columns") ? f.stringList("columns").get(0) : f.string("column", fname);
            String type = f.requiredString("type");
            FieldType ft;
            try {
                ft = FieldType.valueOf(type.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new LinkageConfigException(f.path + ".type: '" + type + "' is not one of given_name, "
                        + "family_name, full_name, date, postcode, email, text, code");
            }
            String format = f.optionalString("format");
            if (format != null && ft != FieldType.DATE) {
                throw new LinkageConfigException(f.path + ".format: only date fields take a format");
            }
            String inv = f.string("invalid", "error");
            FieldSpec.InvalidDatePolicy policy;
            try {
                policy = FieldSpec.InvalidDatePolicy.valueOf(inv.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new LinkageConfigException(
                        f.path + ".invalid: '" + inv + "' is not one of error, missing, keep_digits");
            }
            if (ft == FieldType.DATE) {
                try {
                    new org.sightline.linkage.normalise.Dates(format == null ? "yyyy-MM-dd" : format);
                } catch (IllegalArgumentException e) {
                    throw new LinkageConfigException(f.path + ".format: " + e.getMessage());
                }
            }
            java.util.Set<String> missing = new java.util.HashSet<>();
            if (f.has("missing_values")) {
                // compared after normalisation, so "Unknown" and " unknown " both match "unknown"
                FieldSpec probe = new FieldSpec(fname, ft, format, policy);
                if (ft == FieldType.DATE) {
                    throw new LinkageConfigException(
                            f.path + ".missing_values: not supported on date fields " + "(use invalid: missing)");
                }
                org.sightline.linkage.normalise.Preparer pr = new org.sightline.linkage.normalise.Preparer(
                        List.of(probe), org.sightline.linkage.normalise.NicknameTable.shipped());
                for (String mv : f.stringList("missing_values")) {
                    String norm = pr.prepare(new org.sightline.linkage.model.Record("x", "", new String[] {mv}), 0)
                            .value(0);
                    if (norm != null) {
                        missing.add(norm);
                    }
                }
            }
            cb.field(new FieldSpec(fname, ft, format, policy, missing));
            if (columns.put(fname, column) != null) {
                throw new LinkageConfigException(f.path + ".name: field '" + fname + "' is declared twice");
            }
        }
        for (Node c : top.list("comparisons")) {
            c.allow("name", "field", "levels", "swap_with", "tf", "fixed", "alias_with");
            String field = c.requiredString("field");
            String cname = c.string("name", field);
            List<String> levels = c.has("levels") ? c.stringList("levels") : null;
            Boolean tf = c.has("tf") ? c.bool("tf", false) : null;
            Map<String, double[]> fixed = new LinkedHashMap<>();
            if (c.has("fixed")) {
                Node fx = c.child("fixed");
                for (String level : fx.keys()) {
                    Node mu = fx.child(level);
                    mu.allow("m", "u");
                    fixed.put(level, new double[] {mu.number("m", Double.NaN), mu.number("u", Double.NaN)});
                }
            }
            cb.comparison(new ComparisonSpec(
                    cname, field, levels, c.optionalString("swap_with"), tf, fixed, c.optionalString("alias_with")));
        }
        Node blocking = top.child("blocking");
        blocking.allow("rules", "max_block_size", "window");
        if (blocking.has("max_block_size")) {
            cb.maxBlockSize(blocking.integer("max_block_size", 0));
        }
        if (blocking.has("window")) {
            cb.window(blocking.integer("window", 0));
        }
        for (Node r : blocking.list("rules")) {
            r.allow("name", "keys", "train");
            List<String> keys = r.stringList("keys");
            cb.blockingRule(
                    new BlockingRuleSpec(r.string("name", String.join("+", keys)), keys, r.bool("train", true)));
        }
        Node training = top.optionalChild("training");
        if (training != null) {
            training.allow("seed", "u_sample_pairs", "em_max_iterations", "prior");
            if (training.has("seed")) {
                cb.seed(training.integer("seed", 0));
            }
            if (training.has("u_sample_pairs")) {
                cb.uSamplePairs(training.integer("u_sample_pairs", 0));
            }
            if (training.has("em_max_iterations")) {
                cb.emMaxIterations(training.integer("em_max_iterations", 0));
            }
            Node prior = training.optionalChild("prior");
            if (prior != null) {
                prior.allow("rules", "recall", "probability");
                if (prior.has("rules")) {
                    for (Node rule : prior.list("rules")) {
                        cb.priorRule(rule.asStringList());
                    }
                }
                if (prior.has("recall")) {
                    cb.priorRecall(prior.number("recall", 0));
                }
                if (prior.has("probability")) {
                    cb.fixedPrior(prior.number("probability", 0));
                }
            }
        }
        if (top.has("joint_tf")) {
            for (Node g : top.list("joint_tf")) {
                cb.jointTf(g.asStringList());
            }
        }
        if (top.has("guards")) {
            for (Node g : top.list("guards")) {
                g.allow("name", "when", "weight", "ignore");
                String gname = g.requiredString("name");
                Node when = g.child("when");
                Map<String, List<String>> conds = new LinkedHashMap<>();
                for (String comp : when.keys()) {
                    conds.put(comp, when.stringList(comp));
                }
                if (!g.has("weight") && !g.has("ignore")) {
                    throw new LinkageConfigException(g.path + ": needs a weight or an ignore list");
                }
                cb.guard(new org.sightline.linkage.score.Guard.Spec(
                        gname, conds, g.number("weight", 0), g.has("ignore") ? g.stringList("ignore") : List.of()));
            }
        }
        Node th = top.optionalChild("thresholds");
        if (th != null) {
            th.allow("match_weight", "review_weight", "fracture_weight", "online_match_weight");
            if (th.has("match_weight")) {
                cb.matchWeight(th.number("match_weight", 0));
            }
            if (th.has("review_weight")) {
                cb.reviewWeight(th.number("review_weight", 0));
            }
            if (th.has("fracture_weight")) {
                cb.fractureWeight(th.number("fracture_weight", 0));
            }
            if (th.has("online_match_weight")) {
                cb.onlineMatchWeight(th.number("online_match_weight", 0));
            }
        }
        Node cl = top.optionalChild("clustering");
        if (cl != null) {
            cl.allow("min_cross_link_ratio");
            if (cl.has("min_cross_link_ratio")) {
                cb.minCrossLinkRatio(cl.number("min_cross_link_ratio", 0));
            }
        }
        if (top.has("threads")) {
            cb.threads(top.integer("threads", 1));
        }
        LinkageConfig config = cb.build();
        return new Profile(name, config, new CsvLayout(sep, trim, idColumns, sourceColumn, columns, joined));
    }

    /** A position in the parsed YAML tree, for error messages that name the setting. */
    private static final class Node {
        final String path;
        final Object value;

        Node(String path, Object value) {
            this.path = path;
            this.value = value;
        }

        static Node root(Object v) {
            if (!(v instanceof Map)) {
                throw new LinkageConfigException(
                        "the profile must be a mapping of settings (name, fields, " + "comparisons, blocking, ...)");
            }
            return new Node("", v);
        }

        private String sub(String key) {
            return path.isEmpty() ? key : path + "." + key;
        }

        @SuppressWarnings("unchecked")
        Map<String, Object> map() {
            if (!(value instanceof Map)) {
                throw new LinkageConfigException(path + ": expected a mapping");
            }
            return (Map<String, Object>) value;
        }

        Set<String> keys() {
            return map().keySet();
        }

        void allow(String... keys) {
            Set<String> ok = Set.of(keys);
            for (Object k : map().keySet()) {
                if (!ok.contains(String.valueOf(k))) {
                    throw new LinkageConfigException((path.isEmpty() ? "" : path + ": ") + "unknown setting '" + k
                            + "' (allowed: " + String.join(", ", keys) + ")");
                }
            }
        }

        boolean has(String key) {
            return map().containsKey(key) && map().get(key) != null;
        }

        Node child(String key) {
            Node n = optionalChild(key);
            if (n == null) {
                throw new LinkageConfigException(sub(key) + ": required");
            }
            return n;
        }

        @Nullable
        Node optionalChild(String key) {
            Object v = map().get(key);
            if (v == null) {
                return null;
            }
            Node n = new Node(sub(key), v);
            n.map();
            return n;
        }

        List<Node> list(String key) {
            Object v = map().get(key);
            if (v == null) {
                throw new LinkageConfigException(sub(key) + ": required");
            }
            if (!(v instanceof List<?> l)) {
                throw new LinkageConfigException(sub(key) + ": expected a list");
            }
            List<Node> out = new ArrayList<>();
            for (int i = 0; i < l.size(); i++) {
                out.add(new Node(sub(key) + "[" + i + "]", l.get(i)));
            }
            return out;
        }

        String string(String key, String dflt) {
            String s = optionalString(key);
            return s != null ? s : dflt;
        }

        @Nullable
        String optionalString(String key) {
            Object v = map().get(key);
            if (v == null) {
                return null;
            }
            if (v instanceof Map || v instanceof List) {
                throw new LinkageConfigException(sub(key) + ": expected a single value");
            }
            return String.valueOf(v);
        }

        String requiredString(String key) {
            String s = optionalString(key);
            if (s == null || s.isBlank()) {
                throw new LinkageConfigException(sub(key) + ": required");
            }
            return s;
        }

        boolean bool(String key, boolean dflt) {
            Object v = map().get(key);
            if (v == null) {
                return dflt;
            }
            if (v instanceof Boolean b) {
                return b;
            }
            throw new LinkageConfigException(sub(key) + ": expected true or false, got '" + v + "'");
        }

        double number(String key, double dflt) {
            Object v = map().get(key);
            if (v == null) {
                return dflt;
            }
            if (v instanceof Number n) {
                return n.doubleValue();
            }
            throw new LinkageConfigException(sub(key) + ": expected a number, got '" + v + "'");
        }

        int integer(String key, int dflt) {
            Object v = map().get(key);
            if (v == null) {
                return dflt;
            }
            if (v instanceof Integer || v instanceof Long) {
                return ((Number) v).intValue();
            }
            throw new LinkageConfigException(sub(key) + ": expected a whole number, got '" + v + "'");
        }

        List<String> stringList(String key) {
            Object v = map().get(key);
            if (!(v instanceof List<?> l) || l.isEmpty()) {
                throw new LinkageConfigException(sub(key) + ": expected a non-empty list");
            }
            return new Node(sub(key), v).asStringList();
        }

        List<String> asStringList() {
            if (!(value instanceof List<?> l)) {
                throw new LinkageConfigException(path + ": expected a list");
            }
            List<String> out = new ArrayList<>();
            for (Object o : l) {
                if (o instanceof Map || o instanceof List || o == null) {
                    throw new LinkageConfigException(path + ": expected a list of plain values");
                }
                out.add(String.valueOf(o));
            }
            return out;
        }
    }
}
