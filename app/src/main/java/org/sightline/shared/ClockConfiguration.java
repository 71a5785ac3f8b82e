package org.sightline.shared;

import java.time.Clock;
import java.time.ZoneId;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Instants are stored in UTC; people see Europe/London. One clock so tests can fix time. */
@Configuration
public class ClockConfiguration {

    public static final ZoneId DISPLAY_ZONE = ZoneId.of("Europe/London");

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }
}
