package org.sightline.importexport;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.codec.digest.DigestUtils;
import org.sightline.importexport.ImportKind.Column;
import org.sightline.person.PartialDate;
import org.sightline.shared.ClockConfiguration;
import org.sightline.shared.TextRules;

/**
 * Map and validate stages for one file: source row → standard values in canonical text form (codes as listed,
 * dates yyyy[-mm[-dd]], instants ISO-8601 UTC), or the list of every rule the row breaks. Also computes the
 * content hash that makes re-imports of unchanged rows cheap. Not thread-safe (one per import).
 */
final class RowValidator implements RowCheck {

    private static final Pattern PARTIAL_DATE = Pattern.compile("(\\d{4})(?:-(\\d{1,2})(?:-(\\d{1,2}))?)?");

    private final ImportKind kind;
    /** Today in England and Wales: a date of birth after it is refused (E1014). */
    private final LocalDate today;

    private final MappingProfile profile;
    private final List<String> header;
    private final String agencyCode;
    /** For each standard column, the index of its source column in the file, or -1. */
    private final int[] source;

    private final List<String> missingRequired = new ArrayList<>();
    private final List<String> rawKeys;
    private final DateTimeFormatter dateFormat;
    private final DateTimeFormatter dateTimeFormat;
    private final MessageDigest sha256;
    private final int agencyIndex;
    private final int refIndex;

    /**
     * A row that passed: its reference, standard values and content hash; {@code repeat} when it is an identical
     * repeat of an earlier row that an {@link ImportTable} reads once.
     */
    record Valid(long line, String ref, String[] values, String hash, String[] fields, boolean repeat) {}

    /** A row that failed: what we could read of its reference, and every error. */
    record Invalid(long line, String ref, String[] fields, List<RowError> errors) {}

    RowValidator(ImportKind kind, MappingProfile profile, List<String> header, String agencyCode, LocalDate today) {
        this.today = today;
        this.kind = kind;
        this.profile = profile;
        this.header = header;
        this.agencyCode = agencyCode;
        this.source = new int[kind.columns().size()];
        Map<String, Integer> byName = new HashMap<>();
        for (int i = header.size() - 1; i >= 0; i--) {
            byName.put(profile.isStandard() ? header.get(i).toLowerCase(Locale.ROOT) : header.get(i), i);
        }
        java.util.Arrays.fill(source, -1);
        profile.columnMap().forEach((from, to) -> {
            Integer index = byName.get(from);
            int target = kind.indexOf(to);
            if (index != null && target >= 0 && source[target] < 0) {
                source[target] = index;
            }
        });
        for (int i = 0; i < source.length; i++) {
            Column column = kind.columns().get(i);
            if (source[i] < 0 && column.required()) {
                missingRequired.add(column.name());
            }
        }
        this.rawKeys = rawKeys(header);
        this.dateFormat = strict(profile.dateFormat());
        this.dateTimeFormat = strict(profile.dateTimeFormat());
        this.agencyIndex = kind.indexOf("agency_code");
        this.refIndex = kind.indexOf(kind.refColumn());
        this.sha256 = DigestUtils.getSha256Digest();
    }

    /** Strict resolving so 31/02 is an error, not 28/02; strict needs 'u' (year) rather than 'y' (year of era). */
    static DateTimeFormatter strict(String pattern) {
        return pattern == null
                ? null
                : DateTimeFormatter.ofPattern(pattern.replace('y', 'u'), Locale.UK)
                        .withResolverStyle(java.time.format.ResolverStyle.STRICT);
    }

    List<String> missingRequiredColumns() {
        return missingRequired;
    }

    List<String> header() {
        return header;
    }

    /** Header names made unique (a repeated name gets " (2)"), so a raw row keeps every field. */
    static List<String> rawKeys(List<String> header) {
        List<String> keys = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        for (String h : header) {
            String name = h.isEmpty() ? "column" : h;
            int n = seen.merge(name, 1, Integer::sum);
            keys.add(n == 1 ? name : name + " (" + n + ")");
        }
        return keys;
    }

    /** The row as received, keyed by the file's column names; extra fields as "extra 1"…; NUL made U+FFFD for storage. */
    @Override
    public Map<String, String> raw(String[] fields) {
        return raw(rawKeys, fields);
    }

    static Map<String, String> raw(List<String> rawKeys, String[] fields) {
        Map<String, String> raw = new LinkedHashMap<>();
        for (int i = 0; i < fields.length; i++) {
            String key = i < rawKeys.size() ? rawKeys.get(i) : "extra " + (i - rawKeys.size() + 1);
            raw.put(key, fields[i] == null ? "" : fields[i].replace('\u0000', '\uFFFD'));
        }
        return raw;
    }

    /** Fields in file order from a raw map (as edited in the quarantine), missing keys as blanks. */
    @Override
    public String[] fieldsOf(Map<String, String> raw) {
        return fieldsOf(rawKeys, raw);
    }

    static String[] fieldsOf(List<String> rawKeys, Map<String, String> raw) {
        List<String> fields = new ArrayList<>();
        for (String key : rawKeys) {
            fields.add(raw.getOrDefault(key, ""));
        }
        return fields.toArray(String[]::new);
    }

    @Override
    public Object validate(long line, String[] fields) {
        List<RowError> errors = new ArrayList<>();
        String ref = refIndex >= 0 && source[refIndex] >= 0 && source[refIndex] < fields.length
                ? safeRef(fields[source[refIndex]])
                : null;
        for (String missing : missingRequired) {
            errors.add(RowError.of(
                    ImportError.E1001, line, missing, "required column " + missing + " is missing from the header"));
        }
        if (fields.length != header.size()) {
            errors.add(RowError.of(
                    ImportError.E1008,
                    line,
                    null,
                    "the row has " + fields.length + " fields, the header has " + header.size()));
            return new Invalid(line, ref, fields, errors);
        }
        List<Column> columns = kind.columns();
        String[] values = new String[columns.size()];
        for (int i = 0; i < values.length; i++) {
            Column column = columns.get(i);
            if (source[i] < 0) {
                values[i] = ""; // a missing required column is already E1001
                continue;
            }
            String value = fields[source[i]];
            values[i] = check(column, value == null ? "" : value, line, errors);
        }
        if (agencyIndex >= 0) {
            if (values[agencyIndex] != null
                    && !values[agencyIndex].isEmpty()
                    && !values[agencyIndex].equals(agencyCode)) {
                errors.add(RowError.of(ImportError.E1006, line, "agency_code", null));
            }
            values[agencyIndex] = agencyCode;
        }
        if (kind == ImportKind.MISSING_EPISODES) {
            order(values, "last_seen_at", "reported_at", line, errors, "last_seen_at is after reported_at");
        }
        if (!errors.isEmpty()) {
            return new Invalid(line, ref, fields, errors);
        }
        return new Valid(line, kind.rowRef(values), values, hash(values), fields, false);
    }

    private void order(
            String[] values, String earlier, String later, long line, List<RowError> errors, String message) {
        String a = values[kind.indexOf(earlier)];
        String b = values[kind.indexOf(later)];
        if (a != null
                && b != null
                && !a.isEmpty()
                && !b.isEmpty()
                && Instant.parse(a).isAfter(Instant.parse(b))) {
            errors.add(RowError.of(ImportError.E1012, line, earlier, message));
        }
    }

    private static String safeRef(String value) {
        if (value == null) {
            return null;
        }
        String ref = value.strip();
        return ref.isEmpty() || ref.length() > 200 ? null : ref.replace('\u0000', '\uFFFD');
    }

    /** Canonical value, or null after adding the error. */
    private String check(Column column, String value, long line, List<RowError> errors) {
        String name = column.name();
        if (value.length() > ImportKind.MAX_VALUE_LENGTH) {
            errors.add(RowError.of(ImportError.E1009, line, name, null));
            return null;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\uFFFD') {
                errors.add(RowError.of(ImportError.E1010, line, name, null));
                return null;
            }
            if (!TextRules.allowed(c)) {
                errors.add(RowError.of(
                        ImportError.E1011,
                        line,
                        name,
                        "control characters (including bidirectional overrides) are not allowed"));
                return null;
            }
        }
        String v = value.strip();
        Map<String, String> mapped = profile.valueMaps().get(name);
        if (mapped != null && mapped.containsKey(v)) {
            v = mapped.get(v).strip();
        }
        if (v.isEmpty()) {
            if (column.required()) {
                errors.add(RowError.of(ImportError.E1002, line, name, name + " is required"));
                return null;
            }
            return "";
        }
        return switch (column.type()) {
            case TEXT -> v;
            case CODE -> code(column, v, line, errors);
            case CODES -> codes(column, v, line, errors);
            case PARTIAL_DATE -> partialDate(name, v, line, errors, "");
            case INSTANT -> instant(name, v, line, errors);
            case DATE_OR_INSTANT -> dateOrInstant(name, v, line, errors);
        };
    }

    private static String code(Column column, String v, long line, List<RowError> errors) {
        for (String code : column.codes()) {
            if (code.equalsIgnoreCase(v)) {
                return code;
            }
        }
        errors.add(RowError.of(
                ImportError.E1004, line, column.name(), "must be one of " + String.join(", ", column.codes())));
        return null;
    }

    private static String codes(Column column, String v, long line, List<RowError> errors) {
        List<String> out = new ArrayList<>();
        for (String part : v.split("\\|")) {
            if (part.isBlank()) {
                continue;
            }
            String code = code(column, part.strip(), line, errors);
            if (code == null) {
                return null;
            }
            if (!out.contains(code)) {
                out.add(code);
            }
        }
        return String.join("|", out);
    }

    /**
     * A date known as far as the source knows it: a date-time, a day, a month, a year, or {@code not_known}. Without a
     * time of day it is kept as the day, month or year given, never turned into an instant.
     */
    private String dateOrInstant(String name, String v, long line, List<RowError> errors) {
        if (v.equalsIgnoreCase("not_known") || v.equalsIgnoreCase("not known")) {
            return "not_known";
        }
        if (v.indexOf(':') < 0) {
            return partialDate(name, v, line, errors, ", a date-time such as 2025-03-01T10:15:00Z, or not_known");
        }
        return instant(name, v, line, errors);
    }

    private String partialDate(String name, String v, long line, List<RowError> errors, String alternatives) {
        PartialDate date = readPartialDate(v);
        if (date == null) {
            errors.add(RowError.of(
                    ImportError.E1003,
                    line,
                    name,
                    "must be a real date as yyyy-mm-dd, yyyy-mm or yyyy"
                            + (dateFormat == null ? "" : " or " + profile.dateFormat())
                            + alternatives));
            return null;
        }
        if (date.afterDay(today)) {
            errors.add(RowError.of(ImportError.E1014, line, name, name + " is after today"));
            return null;
        }
        return date.month() == null
                ? String.format("%04d", date.year())
                : date.day() == null
                        ? String.format("%04d-%02d", date.year(), date.month())
                        : LocalDate.of(date.year(), date.month(), date.day()).toString();
    }

    /** The profile's date format first, then the ISO forms (always accepted); null when neither reads it. */
    private PartialDate readPartialDate(String v) {
        if (dateFormat != null) {
            try {
                LocalDate d = dateFormat.parse(v, LocalDate::from);
                return new PartialDate(d.getYear(), d.getMonthValue(), d.getDayOfMonth());
            } catch (DateTimeException e) {
                // fall through to the ISO forms
            }
        }
        Matcher m = PARTIAL_DATE.matcher(v);
        if (!m.matches()) {
            return null;
        }
        int year = Integer.parseInt(m.group(1));
        if (year < 1900 || year > 2100) {
            return null;
        }
        try {
            return new PartialDate(
                    year,
                    m.group(2) == null ? null : Integer.valueOf(m.group(2)),
                    m.group(3) == null ? null : Integer.valueOf(m.group(3)));
        } catch (IllegalArgumentException e) { // a month or day that does not exist
            return null;
        }
    }

    private String instant(String name, String v, long line, List<RowError> errors) {
        try {
            Instant instant = parseInstant(v);
            int year = instant.atZone(ClockConfiguration.DISPLAY_ZONE).getYear();
            if (year >= 1900 && year <= 2100) {
                return instant.toString();
            }
        } catch (DateTimeException e) {
            // reported below
        }
        errors.add(RowError.of(
                ImportError.E1003,
                line,
                name,
                "must be a date-time such as 2025-03-01T10:15:00Z"
                        + (dateTimeFormat == null ? "" : " or " + profile.dateTimeFormat())));
        return null;
    }

    private Instant parseInstant(String v) {
        if (dateTimeFormat != null) {
            try {
                return dateTimeFormat
                        .parse(v, LocalDateTime::from)
                        .atZone(ClockConfiguration.DISPLAY_ZONE)
                        .toInstant();
            } catch (DateTimeException e) {
                // fall through to ISO
            }
        }
        if (v.endsWith("Z") || v.endsWith("z")) {
            return Instant.parse(v.toUpperCase(Locale.ROOT));
        }
        if (v.length() > 19 && (v.indexOf('+', 19) > 0 || v.indexOf('-', 19) > 0)) {
            return OffsetDateTime.parse(v).toInstant();
        }
        if (v.length() == 10) {
            return LocalDate.parse(v)
                    .atStartOfDay(ClockConfiguration.DISPLAY_ZONE)
                    .toInstant();
        }
        // A local date-time without an offset is read as UK time, as agencies record it.
        return LocalDateTime.parse(v).atZone(ClockConfiguration.DISPLAY_ZONE).toInstant();
    }

    private String hash(String[] values) {
        sha256.reset();
        for (int i = 0; i < values.length; i++) {
            if (i != agencyIndex) {
                sha256.update(values[i].getBytes(StandardCharsets.UTF_8));
            }
            sha256.update((byte) 0x1F);
        }
        return HexFormat.of().formatHex(sha256.digest());
    }
}
