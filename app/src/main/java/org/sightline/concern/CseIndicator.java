package org.sightline.concern;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * The indicators a person raising a concern can select (documented in screening/README.md). The codes are the
 * synthetic generator's (synth output README, concerns.csv) so generated and imported concerns use the same
 * list; the significant ones follow SERAF's significant section and the screening tools' significant incidents.
 * Labels are in i18n/concern.properties as {@code indicator.<code>}.
 */
public enum CseIndicator {
    MISSING_REPEAT(false),
    OLDER_ASSOCIATE(false),
    UNKNOWN_CALLERS(false),
    GIFTS_MONEY(false),
    PHONE_INTERNET(false),
    SUBSTANCE_MISUSE(false),
    SCHOOL_ABSENCE(false),
    SELF_HARM(false),
    SEXUAL_HEALTH(false),
    PEERS_EXPLOITED(false),
    CARS_UNKNOWN_ADULTS(true),
    HOTELS_PARTIES(true),
    TAXI_TAKEAWAY(true),
    OUT_OF_AREA(true),
    DISCLOSURE(true),
    INJURIES(true),
    RECRUITING_PEERS(true),
    ABDUCTION(true);

    private final boolean significant;

    CseIndicator(boolean significant) {
        this.significant = significant;
    }

    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean significant() {
        return significant;
    }

    public static Optional<CseIndicator> fromCode(String code) {
        return Arrays.stream(values()).filter(i -> i.code().equals(code)).findFirst();
    }
}
