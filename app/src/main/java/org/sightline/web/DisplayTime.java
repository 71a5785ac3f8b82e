package org.sightline.web;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import org.sightline.shared.ClockConfiguration;
import org.springframework.stereotype.Component;

/** Formats stored UTC instants in Europe/London for pages ({@code ${@displayTime.format(...)}}). */
@Component("displayTime")
public class DisplayTime {

    private static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("d MMM yyyy, HH:mm")
            .withZone(ClockConfiguration.DISPLAY_ZONE);

    public String format(Instant instant) {
        return instant == null ? "" : FORMAT.format(instant);
    }
}
