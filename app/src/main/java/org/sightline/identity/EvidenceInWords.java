package org.sightline.identity;

import java.util.ArrayList;
import java.util.List;
import org.springframework.context.MessageSource;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.stereotype.Component;

/**
 * The engine's evidence ("dob=dm_swap:+2.0; postcode=else:-4.1") in plain words ("Date of birth: day and month
 * swapped — counts for a match"). Minimal version for the review pages; the identity helper's fuller one replaces it
 * with the same name and signature.
 */
@Component("evidenceInWords")
public class EvidenceInWords {

    private final MessageSource messages;

    EvidenceInWords(MessageSource messages) {
        this.messages = messages;
    }

    public List<String> describe(String evidence) {
        List<String> lines = new ArrayList<>();
        if (evidence == null || evidence.isBlank()) {
            return lines;
        }
        var locale = LocaleContextHolder.getLocale();
        for (String term : evidence.split(";")) {
            String[] nameRest = term.strip().split("=", 2);
            if (nameRest.length < 2) {
                continue;
            }
            int colon = nameRest[1].lastIndexOf(':');
            String level = colon < 0 ? nameRest[1] : nameRest[1].substring(0, colon);
            double weight = 0;
            try {
                weight = colon < 0 ? 0 : Double.parseDouble(nameRest[1].substring(colon + 1));
            } catch (NumberFormatException e) {
                // no weight: neither for nor against
            }
            String field = messages.getMessage("evidence.field." + nameRest[0], null,
                    messages.getMessage("evidence.field.other", null, locale), locale);
            String levelKey = level.startsWith("jw:") ? "similar" : level;
            String words = messages.getMessage("evidence.level." + levelKey, null,
                    messages.getMessage("evidence.level.other", null, locale), locale);
            String direction = messages.getMessage(weight > 0 ? "evidence.for" : weight < 0 ? "evidence.against"
                    : "evidence.neutral", null, locale);
            lines.add(messages.getMessage("evidence.line", new Object[] {field, words, direction}, locale));
        }
        return lines;
    }
}
