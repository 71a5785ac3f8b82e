package org.sightline.identity;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.springframework.context.MessageSource;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.stereotype.Component;

/**
 * Why two records were linked, in words a social worker or officer can check: "Date of birth: day and month
 * swapped", "Postcode differs". Reads the stored evidence ({@code comparison=level:+weight; ...}, written by
 * {@link IdentityResolver#evidence}) and never shows its engine terms; the strongest evidence for a link comes
 * first, evidence against it last. Texts are in the child bundle under {@code evidence.}.
 */
@Component("evidenceInWords")
public class EvidenceInWords {

    static final String OTHER = "evidence.other";

    private final MessageSource messages;

    EvidenceInWords(MessageSource messages) {
        this.messages = messages;
    }

    /** The evidence as sentences in the user's language; empty for null or blank evidence. */
    public List<String> describe(String evidence) {
        if (evidence == null || evidence.isBlank()) {
            return List.of();
        }
        List<Term> terms = new ArrayList<>();
        for (String part : evidence.split(";")) {
            Term term = Term.parse(part.strip());
            if (term != null) {
                terms.add(term);
            }
        }
        // Strongest for first; a stable sort keeps the profile's order among equals.
        terms.sort(Comparator.comparingDouble(Term::weight).reversed());
        Locale locale = LocaleContextHolder.getLocale();
        Set<String> texts = new LinkedHashSet<>();
        for (Term term : terms) {
            String text = messages.getMessage(key(term.comparison(), term.level(), term.weight()), null, null, locale);
            texts.add(text != null ? text : messages.getMessage(OTHER, null, locale));
        }
        return List.copyOf(texts);
    }

    /**
     * The bundle key of one term: {@code evidence.<comparison>.<level>} with the level's punctuation made
     * underscores ({@code jw:0.92} → {@code jw_0_92}); guards and the joint name frequency have their own keys.
     */
    static String key(String comparison, String level, double weight) {
        if (comparison.startsWith("guard:")) {
            return "evidence.guard." + safe(comparison.substring("guard:".length()));
        }
        if (comparison.startsWith("tf:")) {
            return weight < 0 ? "evidence.joint.common" : "evidence.joint.rare";
        }
        return "evidence." + safe(comparison) + "." + safe(level);
    }

    private static String safe(String s) {
        return s.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
    }

    /**
     * One "comparison=level:+weight" term; the level may itself hold a colon (jw:0.92), and the weight was formatted
     * in the writer's default locale (a decimal comma is possible).
     */
    private record Term(String comparison, String level, double weight) {
        static Term parse(String text) {
            int eq = text.indexOf('=');
            int colon = text.lastIndexOf(':');
            if (eq <= 0 || colon <= eq) {
                return null;
            }
            try {
                return new Term(
                        text.substring(0, eq),
                        text.substring(eq + 1, colon),
                        Double.parseDouble(text.substring(colon + 1).replace(',', '.')));
            } catch (NumberFormatException e) {
                return null;
            }
        }
    }
}
