package org.sightline.ssda903;

import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.NamedCsvRecord;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.sightline.ssda903.Ssda903ExportService.Failure;
import org.sightline.ssda903.Ssda903Tables.RuleFailure;
import org.springframework.context.MessageSource;
import org.springframework.core.io.ClassPathResource;
import org.springframework.stereotype.Component;

/** A rule's description for people: the message bundle, else the shipped Missing-rule list, else the code. */
@Component
class Ssda903RuleDescriptions {

    private final MessageSource messages;
    private final Map<String, String> missingRules = load();

    Ssda903RuleDescriptions(MessageSource messages) {
        this.messages = messages;
    }

    Failure describe(RuleFailure f) {
        String description = messages.getMessage(
                "ssda903.rule." + f.rule(), null, missingRules.getOrDefault(f.rule(), f.rule()), Locale.UK);
        return new Failure(f.rule(), description, f.table(), f.child(), f.line(), f.field());
    }

    private static Map<String, String> load() {
        Map<String, String> map = new LinkedHashMap<>();
        try (var reader = new InputStreamReader(
                        new ClassPathResource("refdata/ssda903_missing_validation_rules.csv").getInputStream(),
                        StandardCharsets.UTF_8);
                CsvReader<NamedCsvRecord> csv = CsvReader.builder().ofNamedCsvRecord(reader)) {
            csv.forEach(r -> map.put(r.getField("rule_code"), r.getField("check_paraphrased")));
        } catch (IOException e) {
            throw new UncheckedIOException("shipped SSDA903 rule list could not be read", e);
        }
        return map;
    }
}
