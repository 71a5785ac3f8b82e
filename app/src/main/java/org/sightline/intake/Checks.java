package org.sightline.intake;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.sightline.shared.InvalidRequestException;
import org.sightline.shared.Violation;

/**
 * Collects every broken rule of one request (field, rule, message) so a client or a form sees them all at once.
 * Messages never echo the value: it may be personal data.
 */
final class Checks {

    static final int SHORT = 200;
    static final int LONG = 4000;
    private static final Pattern POSTCODE = Pattern.compile("^([A-Z]{1,2}[0-9][A-Z0-9]?) ?([0-9][A-Z]{2})$");

    private final List<Violation> violations = new ArrayList<>();

    void add(String field, String rule, String message) {
        if (violations.stream().noneMatch(v -> v.field().equals(field))) {
            violations.add(new Violation(field, rule, message));
        }
    }

    boolean has(String field) {
        return violations.stream().anyMatch(v -> v.field().equals(field));
    }

    /** Trimmed text or null; checks presence and length. */
    String text(String field, String value, boolean required, int max) {
        String t = value == null ? null : value.strip();
        if (t == null || t.isEmpty()) {
            if (required) {
                add(field, "required", "is required");
            }
            return null;
        }
        if (t.length() > max) {
            add(field, "max-length", "must be " + max + " characters or fewer");
        }
        return t;
    }

    String oneOf(String field, String value, Set<String> allowed, boolean required) {
        if (value == null || value.isBlank()) {
            if (required) {
                add(field, "required", "is required: one of " + sorted(allowed));
            }
            return null;
        }
        if (!allowed.contains(value)) {
            add(field, "one-of", "must be one of " + sorted(allowed));
            return null;
        }
        return value;
    }

    /** A UK postcode in its normal form (upper case, one space), or null. */
    String postcode(String field, String value) {
        String t = text(field, value, false, 16);
        if (t == null || has(field)) {
            return null;
        }
        var m = POSTCODE.matcher(t.toUpperCase(Locale.ROOT).replaceAll("\\s+", " "));
        if (!m.matches()) {
            add(field, "postcode", "must be a UK postcode, for example SW1A 1AA");
            return null;
        }
        return m.group(1) + " " + m.group(2);
    }

    Instant instant(String field, Instant value, boolean required, Instant latest) {
        if (value == null) {
            if (required) {
                add(field, "required", "is required (ISO-8601 instant)");
            }
            return null;
        }
        if (value.isAfter(latest)) {
            add(field, "future", "must not be in the future");
        }
        return value;
    }

    void notBefore(String field, Instant value, Instant earliest, String rule, String message) {
        if (value != null && earliest != null && value.isBefore(earliest)) {
            add(field, rule, message);
        }
    }

    int version(Integer version) {
        if (version == null) {
            add(
                    "version",
                    "required",
                    "is required: send the version you read, so a change made since is not overwritten");
            return -1;
        }
        return version;
    }

    void throwIfAny() {
        if (!violations.isEmpty()) {
            throw new InvalidRequestException(violations);
        }
    }

    private static List<String> sorted(Set<String> values) {
        return values.stream().sorted().toList();
    }
}
