package org.sightline.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * All user-facing text comes from the bundles: every literal message key a template uses exists, and every English
 * text has a Welsh one (issue 11) with the same placeholders.
 */
class MessageBundleTest {

    private static final Pattern KEY = Pattern.compile("#\\{([A-Za-z0-9_.]+)[}(]");

    /** messages.properties plus every capability's bundle under i18n/ (English; Welsh files will sit beside them). */
    static Properties allMessages() throws IOException {
        Properties messages = new Properties();
        List<Path> bundles = new ArrayList<>(List.of(Path.of("src/main/resources/messages.properties")));
        Path i18n = Path.of("src/main/resources/i18n");
        if (Files.isDirectory(i18n)) {
            try (Stream<Path> files = Files.list(i18n)) {
                files.filter(p -> p.toString().endsWith(".properties")
                                && !p.getFileName().toString().contains("_"))
                        .forEach(bundles::add);
            }
        }
        for (Path bundle : bundles) {
            try (InputStream in = Files.newInputStream(bundle)) {
                messages.load(new java.io.InputStreamReader(in, StandardCharsets.UTF_8));
            }
        }
        return messages;
    }

    @Test
    void everyKeyUsedInTemplatesExists() throws IOException {
        Properties messages = allMessages();
        List<String> missing = new ArrayList<>();
        try (Stream<Path> templates = Files.walk(Path.of("src/main/resources/templates"))) {
            for (Path template :
                    templates.filter(p -> p.toString().endsWith(".html")).toList()) {
                Matcher m = KEY.matcher(Files.readString(template));
                while (m.find()) {
                    if (!messages.containsKey(m.group(1))) {
                        missing.add(template.getFileName() + ": " + m.group(1));
                    }
                }
            }
        }
        assertThat(missing).isEmpty();
    }

    @Test
    void dynamicKeyFamiliesAreComplete() throws IOException {
        Properties messages = allMessages();
        for (String role : org.sightline.access.Roles.ALL) {
            assertThat(messages).containsKeys("role." + role, "home.heading." + role, "home.intro." + role);
        }
        for (String v : List.of("yes", "no", "not_known", "not_recorded")) {
            assertThat(messages).containsKey("tri." + v);
        }
        for (String v : List.of("male", "female", "not_known", "not_recorded")) {
            assertThat(messages).containsKey("sex." + v);
        }
    }

    /**
     * Texts that are the same in English and Welsh on purpose: names and codes that happen to contain a lower-case
     * word. Values with no lower-case word at all ("SSDA903", "UPN", "{0}") need no entry.
     */
    private static final Set<String> SAME_IN_WELSH = Set.of(
            "service.name",
            "language.english",
            "language.welsh",
            "language.toEnglish",
            "language.toWelsh",
            // the DfE's names of the SSDA903 tables
            "ssda903.file.header",
            "ssda903.file.episodes",
            "ssda903.file.missing",
            // Welsh words spelt as in English
            "concern.screening.band",
            "import.errors.message",
            "ssda903.report.problem");

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{(\\d+)[^}]*}");
    private static final Pattern WORD = Pattern.compile("\\p{Ll}{3,}");

    /** Each English bundle file and its Welsh file beside it (X.properties and X_cy.properties). */
    static List<Path> englishBundles() throws IOException {
        List<Path> bundles = new ArrayList<>(List.of(Path.of("src/main/resources/messages.properties")));
        try (Stream<Path> files = Files.list(Path.of("src/main/resources/i18n"))) {
            files.filter(p -> p.toString().endsWith(".properties")
                            && !p.getFileName().toString().contains("_"))
                    .sorted()
                    .forEach(bundles::add);
        }
        return bundles;
    }

    static Path welsh(Path english) {
        return english.resolveSibling(english.getFileName().toString().replace(".properties", "_cy.properties"));
    }

    private static Properties load(Path file) throws IOException {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            p.load(new java.io.InputStreamReader(in, StandardCharsets.UTF_8));
        }
        return p;
    }

    @Test
    void everyEnglishKeyHasAWelshTextAndNoWelshKeyIsStray() throws IOException {
        List<String> problems = new ArrayList<>();
        for (Path english : englishBundles()) {
            Path welsh = welsh(english);
            if (!Files.exists(welsh)) {
                problems.add("no Welsh bundle " + welsh.getFileName() + " beside " + english.getFileName());
                continue;
            }
            Properties en = load(english);
            Properties cy = load(welsh);
            for (String key : en.stringPropertyNames()) {
                if (!cy.containsKey(key)) {
                    problems.add(welsh.getFileName() + ": missing " + key);
                } else if (cy.getProperty(key).isBlank() != en.getProperty(key).isBlank()) {
                    problems.add(welsh.getFileName() + ": empty " + key);
                }
            }
            for (String key : cy.stringPropertyNames()) {
                if (!en.containsKey(key)) {
                    problems.add(english.getFileName() + ": missing " + key + " (only in Welsh)");
                }
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void welshTextsHaveTheSamePlaceholdersAsTheEnglish() throws IOException {
        List<String> problems = new ArrayList<>();
        for (Path english : englishBundles()) {
            Properties en = load(english);
            Properties cy = load(welsh(english));
            for (String key : en.stringPropertyNames()) {
                if (cy.containsKey(key)
                        && !placeholders(en.getProperty(key)).equals(placeholders(cy.getProperty(key)))) {
                    problems.add(key + ": English " + placeholders(en.getProperty(key)) + ", Welsh "
                            + placeholders(cy.getProperty(key)));
                }
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void welshTextsAreTranslatedUnlessTheyAreCodesOrNames() throws IOException {
        List<String> untranslated = new ArrayList<>();
        for (Path english : englishBundles()) {
            Properties en = load(english);
            Properties cy = load(welsh(english));
            for (String key : en.stringPropertyNames()) {
                String text = en.getProperty(key);
                if (text.equals(cy.getProperty(key)) && WORD.matcher(text).find() && !SAME_IN_WELSH.contains(key)) {
                    untranslated.add(key + "=" + text);
                }
            }
        }
        assertThat(untranslated).isEmpty();
    }

    /** MessageFormat drops a lone apostrophe in a text with arguments (and what follows it): it must be doubled. */
    @Test
    void textsWithArgumentsDoubleTheirApostrophes() throws IOException {
        List<String> problems = new ArrayList<>();
        for (Path english : englishBundles()) {
            for (Path file : List.of(english, welsh(english))) {
                if (!Files.exists(file)) {
                    continue;
                }
                Properties p = load(file);
                for (String key : p.stringPropertyNames()) {
                    String text = p.getProperty(key);
                    if (PLACEHOLDER.matcher(text).find()
                            && text.replace("''", "").contains("'")) {
                        problems.add(file.getFileName() + ": " + key);
                    }
                }
            }
        }
        assertThat(problems).isEmpty();
    }

    /** Every Welsh text with arguments is valid MessageFormat (balanced braces, known format types). */
    @Test
    void welshTextsFormatWithTheirArguments() throws IOException {
        List<String> problems = new ArrayList<>();
        for (Path english : englishBundles()) {
            Path welsh = welsh(english);
            if (!Files.exists(welsh)) {
                continue;
            }
            Properties cy = load(welsh);
            for (String key : cy.stringPropertyNames()) {
                Set<String> indices = placeholders(cy.getProperty(key));
                if (indices.isEmpty()) {
                    continue;
                }
                Object[] args = new Object
                        [indices.stream().mapToInt(Integer::parseInt).max().orElse(0) + 1];
                java.util.Arrays.fill(args, 7);
                try {
                    new java.text.MessageFormat(cy.getProperty(key), java.util.Locale.forLanguageTag("cy"))
                            .format(args);
                } catch (IllegalArgumentException e) {
                    problems.add(key + ": " + e.getMessage());
                }
            }
        }
        assertThat(problems).isEmpty();
    }

    private static Set<String> placeholders(String text) {
        Set<String> found = new TreeSet<>();
        Matcher m = PLACEHOLDER.matcher(text);
        while (m.find()) {
            found.add(m.group(1));
        }
        return found;
    }
}
