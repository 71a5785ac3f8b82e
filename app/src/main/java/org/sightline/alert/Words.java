package org.sightline.alert;

import java.time.Instant;
import java.time.Month;
import java.time.format.DateTimeFormatter;
import java.time.format.TextStyle;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.sightline.shared.ClockConfiguration;

/** Facts in words for explanations: dates as web.DisplayTime shows them ("1 November 2026", Europe/London). */
final class Words {

    private static final DateTimeFormatter DATE =
            DateTimeFormatter.ofPattern("d MMMM uuuu", Locale.UK).withZone(ClockConfiguration.DISPLAY_ZONE);
    private static final Pattern ENGLISH_DATE =
            Pattern.compile("\\b(\\d{1,2}) (January|February|March|April|May|June|July"
                    + "|August|September|October|November|December) (\\d{4})\\b");

    private Words() {}

    static String date(Instant instant) {
        return instant == null ? "" : DATE.format(instant);
    }

    /**
     * Explanations are stored with their dates in English words ("1 November 2026"), whoever's request raised them;
     * shown in Welsh, their month names are Welsh ("1 Tachwedd 2026"). Other languages and other text are unchanged.
     */
    static String inLanguage(String text, Locale locale) {
        if (text == null || !"cy".equals(locale.getLanguage())) {
            return text;
        }
        return ENGLISH_DATE
                .matcher(text)
                .replaceAll(m -> Matcher.quoteReplacement(m.group(1) + " "
                        + Month.valueOf(m.group(2).toUpperCase(Locale.ROOT)).getDisplayName(TextStyle.FULL, locale)
                        + " "
                        + m.group(3)));
    }

    /** {@link #inLanguage(String, Locale)} for every argument of a stored explanation. */
    static Object[] inLanguage(Object[] args, Locale locale) {
        Object[] shown = args.clone();
        for (int i = 0; i < shown.length; i++) {
            if (shown[i] instanceof String s) {
                shown[i] = inLanguage(s, locale);
            }
        }
        return shown;
    }

    static String list(List<String> items) {
        return String.join("; ", items);
    }
}
