package org.sightline.concern;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Reads and validates one instrument definition. Any mistake stops the application at start with a message that
 * names the file, the path inside it and the rule, rather than scoring children with a broken instrument.
 */
final class InstrumentLoader {

    private static final Pattern ID = Pattern.compile("[a-z][a-z0-9_]{0,63}");

    private final String source;

    private InstrumentLoader(String source) {
        this.source = source;
    }

    /** Thrown for a definition that breaks a rule; the message names the file and path. */
    static final class InvalidInstrumentException extends RuntimeException {
        InvalidInstrumentException(String message) {
            super(message);
        }
    }

    static ScreeningInstrument load(String source, InputStream in) {
        Object root;
        try {
            root = new Yaml(new SafeConstructor(new LoaderOptions())).load(in);
        } catch (YAMLException e) {
            throw new InvalidInstrumentException(source + ": not valid YAML (" + firstLine(e.getMessage()) + ")");
        }
        return new InstrumentLoader(source).instrument(root);
    }

    private ScreeningInstrument instrument(Object root) {
        Map<?, ?> m = map(root, "");
        String code = id(m, "code", "");
        int version = integer(m, "version", "", 1, 10_000, true);
        String name = text(m, "name", "", true);
        int reassess = integer(m, "reassess_after_months", "", 1, 24, true);

        List<ScreeningInstrument.Section> sections = new ArrayList<>();
        Set<String> sectionIds = new HashSet<>();
        Set<String> itemIds = new HashSet<>();
        List<?> rawSections = list(m, "sections", "", true);
        for (int s = 0; s < rawSections.size(); s++) {
            String path = "sections[" + s + "]";
            Map<?, ?> sm = map(rawSections.get(s), path);
            String sid = id(sm, "id", path);
            if (!sectionIds.add(sid)) {
                fail(path + ".id", "duplicate section id '" + sid + "'");
            }
            List<ScreeningInstrument.Window> windows = new ArrayList<>();
            Set<String> windowIds = new HashSet<>();
            List<?> rawWindows = list(sm, "windows", path, true);
            for (int w = 0; w < rawWindows.size(); w++) {
                String wpath = path + ".windows[" + w + "]";
                Map<?, ?> wm = map(rawWindows.get(w), wpath);
                String wid = id(wm, "id", wpath);
                if (!windowIds.add(wid)) {
                    fail(wpath + ".id", "duplicate window id '" + wid + "'");
                }
                windows.add(new ScreeningInstrument.Window(wid, text(wm, "label", wpath, true),
                        integer(wm, "points", wpath, 0, 100, true)));
            }
            List<ScreeningInstrument.Item> items = new ArrayList<>();
            List<?> rawItems = list(sm, "items", path, true);
            for (int i = 0; i < rawItems.size(); i++) {
                String ipath = path + ".items[" + i + "]";
                Map<?, ?> im = map(rawItems.get(i), ipath);
                String iid = id(im, "id", ipath);
                if (!itemIds.add(iid)) {
                    fail(ipath + ".id", "item id '" + iid + "' is used twice; item ids are unique across the instrument");
                }
                items.add(new ScreeningInstrument.Item(iid, text(im, "label", ipath, true)));
            }
            sections.add(new ScreeningInstrument.Section(sid, text(sm, "title", path, true), text(sm, "hint", path, false),
                    List.copyOf(windows), List.copyOf(items)));
        }

        List<ScreeningInstrument.Band> bands = new ArrayList<>();
        Set<String> bandIds = new HashSet<>();
        List<?> rawBands = list(m, "bands", "", true);
        for (int b = 0; b < rawBands.size(); b++) {
            String path = "bands[" + b + "]";
            Map<?, ?> bm = map(rawBands.get(b), path);
            String bid = id(bm, "id", path);
            if (!bandIds.add(bid)) {
                fail(path + ".id", "duplicate band id '" + bid + "'");
            }
            int min = integer(bm, "min", path, 0, 10_000, true);
            if (b == 0 && min != 0) {
                fail(path + ".min", "the first band must start at 0 so every score has a band");
            }
            if (b > 0 && min <= bands.get(b - 1).min()) {
                fail(path + ".min", "bands must be in rising order of min with no overlap");
            }
            bands.add(new ScreeningInstrument.Band(bid, text(bm, "label", path, true), min));
        }

        List<ScreeningInstrument.Rule> rules = new ArrayList<>();
        Set<String> ruleIds = new HashSet<>();
        List<?> rawRules = list(m, "rules", "", false);
        for (int r = 0; r < rawRules.size(); r++) {
            String path = "rules[" + r + "]";
            Map<?, ?> rm = map(rawRules.get(r), path);
            String rid = id(rm, "id", path);
            if (!ruleIds.add(rid)) {
                fail(path + ".id", "duplicate rule id '" + rid + "'");
            }
            String minBand = id(rm, "min_band", path);
            if (!bandIds.contains(minBand)) {
                fail(path + ".min_band", "no band '" + minBand + "'");
            }
            Integer age = rm.containsKey("age_at_most") ? integer(rm, "age_at_most", path, 0, 25, true) : null;
            String inSection = rm.containsKey("any_answered_in_section") ? id(rm, "any_answered_in_section", path) : null;
            if (inSection != null && !sectionIds.contains(inSection)) {
                fail(path + ".any_answered_in_section", "no section '" + inSection + "'");
            }
            List<String> answered = new ArrayList<>();
            for (Object o : list(rm, "any_answered", path, false)) {
                if (!(o instanceof String item) || !itemIds.contains(item)) {
                    fail(path + ".any_answered", "every entry must be an item id of this instrument");
                }
                answered.add((String) o);
            }
            if (age == null && inSection == null && answered.isEmpty()) {
                fail(path, "a rule needs at least one condition (age_at_most, any_answered_in_section, any_answered)");
            }
            rules.add(new ScreeningInstrument.Rule(rid, text(rm, "label", path, true), minBand, age, inSection,
                    List.copyOf(answered)));
        }
        return new ScreeningInstrument(code, version, name, reassess, List.copyOf(sections), List.copyOf(bands),
                List.copyOf(rules));
    }

    private Map<?, ?> map(Object o, String path) {
        if (!(o instanceof Map<?, ?> m)) {
            throw fail(path.isEmpty() ? "(top level)" : path, "must be a mapping");
        }
        return m;
    }

    private List<?> list(Map<?, ?> m, String key, String path, boolean required) {
        Object o = m.get(key);
        if (o == null) {
            if (required) {
                throw fail(join(path, key), "is required and must be a non-empty list");
            }
            return List.of();
        }
        if (!(o instanceof List<?> l) || required && l.isEmpty()) {
            throw fail(join(path, key), "must be a" + (required ? " non-empty" : "") + " list");
        }
        return l;
    }

    private String id(Map<?, ?> m, String key, String path) {
        Object o = m.get(key);
        if (!(o instanceof String s) || !ID.matcher(s).matches()) {
            throw fail(join(path, key), "is required: lower-case letters, digits and '_', starting with a letter");
        }
        return s;
    }

    private String text(Map<?, ?> m, String key, String path, boolean required) {
        Object o = m.get(key);
        if (o == null && !required) {
            return null;
        }
        if (!(o instanceof String s) || s.isBlank()) {
            throw fail(join(path, key), "is required text");
        }
        return s.strip();
    }

    private int integer(Map<?, ?> m, String key, String path, int min, int max, boolean required) {
        Object o = m.get(key);
        if (!(o instanceof Integer i) || i < min || i > max) {
            throw fail(join(path, key), "must be a whole number from " + min + " to " + max);
        }
        return i;
    }

    private InvalidInstrumentException fail(String path, String rule) {
        throw new InvalidInstrumentException(source + ": " + path + ": " + rule);
    }

    private static String join(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    private static String firstLine(String s) {
        return s == null ? "unreadable" : s.lines().findFirst().orElse("unreadable");
    }
}
