package org.sightline.concern;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DatabindException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Reads and validates one instrument definition. Jackson binds the YAML to the file's shape (unknown keys and wrong
 * types are refused with their path); the rules Jackson cannot know (ids, ranges, band order, references between
 * sections, items and bands) are checked here. Any mistake stops the application at start with a message that names
 * the file, the path inside it and the rule, rather than scoring children with a broken instrument.
 */
final class InstrumentLoader {

    private static final Pattern ID = Pattern.compile("[a-z][a-z0-9_]{0,63}");

    /** Strict binding: a float is not a whole number, "3" is not a number, and a misspelt key is an error. */
    private static final ObjectReader READER = YAMLMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .build()
            .readerFor(Definition.class);

    // The file's shape as written; every field may be missing, which the checks below report by path.
    record Definition(
            String code,
            Integer version,
            String name,
            Integer reassessAfterMonths,
            List<SectionDef> sections,
            List<BandDef> bands,
            List<RuleDef> rules) {}

    record SectionDef(String id, String title, String hint, List<WindowDef> windows, List<ItemDef> items) {}

    record WindowDef(String id, String label, Integer points) {}

    record ItemDef(String id, String label) {}

    record BandDef(String id, String label, Integer min) {}

    record RuleDef(
            String id,
            String label,
            String minBand,
            Integer ageAtMost,
            String anyAnsweredInSection,
            List<String> anyAnswered) {}

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
        InstrumentLoader loader = new InstrumentLoader(source);
        Definition definition;
        try {
            definition = READER.readValue(in);
        } catch (UnrecognizedPropertyException e) {
            throw loader.fail(path(e), "is not a field of an instrument definition");
        } catch (MismatchedInputException e) {
            throw loader.fail(path(e), expected(e.getTargetType()));
        } catch (DatabindException e) {
            throw loader.fail(path(e), "cannot be read (" + firstLine(e.getOriginalMessage()) + ")");
        } catch (JacksonException e) {
            throw new InvalidInstrumentException(
                    source + ": not valid YAML (" + firstLine(e.getOriginalMessage()) + ")");
        }
        if (definition == null) {
            throw loader.fail("(top level)", "must be a mapping");
        }
        return loader.instrument(definition);
    }

    private ScreeningInstrument instrument(Definition d) {
        String code = id(d.code(), "code");
        int version = integer(d.version(), "version", 1, 10_000);
        String name = text(d.name(), "name", true);
        int reassess = integer(d.reassessAfterMonths(), "reassess_after_months", 1, 24);

        List<ScreeningInstrument.Section> sections = new ArrayList<>();
        Set<String> sectionIds = new HashSet<>();
        Set<String> itemIds = new HashSet<>();
        List<SectionDef> rawSections = list(d.sections(), "sections", true);
        for (int s = 0; s < rawSections.size(); s++) {
            String path = "sections[" + s + "]";
            SectionDef sd = element(rawSections.get(s), path);
            String sid = id(sd.id(), path + ".id");
            if (!sectionIds.add(sid)) {
                fail(path + ".id", "duplicate section id '" + sid + "'");
            }
            List<ScreeningInstrument.Window> windows = new ArrayList<>();
            Set<String> windowIds = new HashSet<>();
            List<WindowDef> rawWindows = list(sd.windows(), path + ".windows", true);
            for (int w = 0; w < rawWindows.size(); w++) {
                String wpath = path + ".windows[" + w + "]";
                WindowDef wd = element(rawWindows.get(w), wpath);
                String wid = id(wd.id(), wpath + ".id");
                if (!windowIds.add(wid)) {
                    fail(wpath + ".id", "duplicate window id '" + wid + "'");
                }
                windows.add(new ScreeningInstrument.Window(
                        wid,
                        text(wd.label(), wpath + ".label", true),
                        integer(wd.points(), wpath + ".points", 0, 100)));
            }
            List<ScreeningInstrument.Item> items = new ArrayList<>();
            List<ItemDef> rawItems = list(sd.items(), path + ".items", true);
            for (int i = 0; i < rawItems.size(); i++) {
                String ipath = path + ".items[" + i + "]";
                ItemDef item = element(rawItems.get(i), ipath);
                String iid = id(item.id(), ipath + ".id");
                if (!itemIds.add(iid)) {
                    fail(
                            ipath + ".id",
                            "item id '" + iid + "' is used twice; item ids are unique across the instrument");
                }
                items.add(new ScreeningInstrument.Item(iid, text(item.label(), ipath + ".label", true)));
            }
            sections.add(new ScreeningInstrument.Section(
                    sid,
                    text(sd.title(), path + ".title", true),
                    text(sd.hint(), path + ".hint", false),
                    List.copyOf(windows),
                    List.copyOf(items)));
        }

        List<ScreeningInstrument.Band> bands = new ArrayList<>();
        Set<String> bandIds = new HashSet<>();
        List<BandDef> rawBands = list(d.bands(), "bands", true);
        for (int b = 0; b < rawBands.size(); b++) {
            String path = "bands[" + b + "]";
            BandDef bd = element(rawBands.get(b), path);
            String bid = id(bd.id(), path + ".id");
            if (!bandIds.add(bid)) {
                fail(path + ".id", "duplicate band id '" + bid + "'");
            }
            int min = integer(bd.min(), path + ".min", 0, 10_000);
            if (b == 0 && min != 0) {
                fail(path + ".min", "the first band must start at 0 so every score has a band");
            }
            if (b > 0 && min <= bands.get(b - 1).min()) {
                fail(path + ".min", "bands must be in rising order of min with no overlap");
            }
            bands.add(new ScreeningInstrument.Band(bid, text(bd.label(), path + ".label", true), min));
        }

        List<ScreeningInstrument.Rule> rules = new ArrayList<>();
        Set<String> ruleIds = new HashSet<>();
        List<RuleDef> rawRules = list(d.rules(), "rules", false);
        for (int r = 0; r < rawRules.size(); r++) {
            String path = "rules[" + r + "]";
            RuleDef rd = element(rawRules.get(r), path);
            String rid = id(rd.id(), path + ".id");
            if (!ruleIds.add(rid)) {
                fail(path + ".id", "duplicate rule id '" + rid + "'");
            }
            String minBand = id(rd.minBand(), path + ".min_band");
            if (!bandIds.contains(minBand)) {
                fail(path + ".min_band", "no band '" + minBand + "'");
            }
            Integer age = rd.ageAtMost() == null ? null : integer(rd.ageAtMost(), path + ".age_at_most", 0, 25);
            String inSection = rd.anyAnsweredInSection() == null
                    ? null
                    : id(rd.anyAnsweredInSection(), path + ".any_answered_in_section");
            if (inSection != null && !sectionIds.contains(inSection)) {
                fail(path + ".any_answered_in_section", "no section '" + inSection + "'");
            }
            List<String> answered = list(rd.anyAnswered(), path + ".any_answered", false);
            if (!itemIds.containsAll(answered)) {
                fail(path + ".any_answered", "every entry must be an item id of this instrument");
            }
            if (age == null && inSection == null && answered.isEmpty()) {
                fail(path, "a rule needs at least one condition (age_at_most, any_answered_in_section, any_answered)");
            }
            rules.add(new ScreeningInstrument.Rule(
                    rid, text(rd.label(), path + ".label", true), minBand, age, inSection, List.copyOf(answered)));
        }
        return new ScreeningInstrument(
                code, version, name, reassess, List.copyOf(sections), List.copyOf(bands), List.copyOf(rules));
    }

    /** A list element written as {@code -} with nothing after it binds to null. */
    private <T> T element(T e, String path) {
        if (e == null) {
            throw fail(path, "must be a mapping");
        }
        return e;
    }

    private <T> List<T> list(List<T> l, String path, boolean required) {
        if (l == null) {
            if (required) {
                throw fail(path, "is required and must be a non-empty list");
            }
            return List.of();
        }
        if (required && l.isEmpty()) {
            throw fail(path, "must be a" + (required ? " non-empty" : "") + " list");
        }
        return l;
    }

    private String id(String s, String path) {
        if (s == null || !ID.matcher(s).matches()) {
            throw fail(path, "is required: lower-case letters, digits and '_', starting with a letter");
        }
        return s;
    }

    private String text(String s, String path, boolean required) {
        if (s == null && !required) {
            return null;
        }
        if (s == null || s.isBlank()) {
            throw fail(path, "is required text");
        }
        return s.strip();
    }

    private int integer(Integer i, String path, int min, int max) {
        if (i == null || i < min || i > max) {
            throw fail(path, "must be a whole number from " + min + " to " + max);
        }
        return i;
    }

    private InvalidInstrumentException fail(String path, String rule) {
        throw new InvalidInstrumentException(source + ": " + path + ": " + rule);
    }

    /** Jackson's path ("sections", 0, "windows", 1, "points") in this file's notation: sections[0].windows[1].points. */
    private static String path(DatabindException e) {
        String path = e.getPath().stream()
                .map(r -> r.getPropertyName() != null ? "." + r.getPropertyName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining());
        path = path.startsWith(".") ? path.substring(1) : path;
        return path.isEmpty() ? "(top level)" : path;
    }

    private static String expected(Class<?> type) {
        if (type == null) {
            return "has the wrong type";
        }
        if (type == Integer.class || type == int.class) {
            return "must be a whole number";
        }
        if (type == String.class) {
            return "must be text";
        }
        if (List.class.isAssignableFrom(type)) {
            return "must be a list";
        }
        return "must be a mapping";
    }

    private static String firstLine(String s) {
        return s == null ? "unreadable" : s.lines().findFirst().orElse("unreadable");
    }
}
