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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * All user-facing text comes from the bundles: every literal message key a template uses exists.
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
                files.filter(p -> p.toString().endsWith(".properties") && !p.getFileName().toString().contains("_"))
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
            for (Path template : templates.filter(p -> p.toString().endsWith(".html")).toList()) {
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
}
