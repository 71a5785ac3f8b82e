package org.sightline.alert;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import org.sightline.shared.ClockConfiguration;

/** Facts in words for explanations: dates as web.DisplayTime shows them ("1 November 2026", Europe/London). */
final class Words {

    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("d MMMM uuuu", Locale.UK)
            .withZone(ClockConfiguration.DISPLAY_ZONE);

    private Words() {
    }

    static String date(Instant instant) {
        return instant == null ? "" : DATE.format(instant);
    }

    static String list(List<String> items) {
        return String.join("; ", items);
    }
}
