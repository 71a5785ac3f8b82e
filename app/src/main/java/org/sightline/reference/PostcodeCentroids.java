package org.sightline.reference;

import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.sightline.audit.AuditEntry;
import org.sightline.audit.AuditLog;
import org.sightline.shared.InvalidRequestException;
import org.sightline.shared.Progress;
import org.sightline.shared.Violation;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Positions of postcodes and postcode districts (table {@code postcode_centroid}), loaded from a CSV with a header:
 * a postcode column ({@code postcode}, or the ONS Postcode Directory's {@code pcds}, {@code pcd}, {@code pcd2}), a
 * latitude ({@code latitude} or {@code lat}) and a longitude ({@code longitude}, {@code long}, {@code lon},
 * {@code lng}); other columns are ignored, so the Directory loads as published. A postcode is a full postcode or an
 * outward code (a district). Rows that cannot be used are refused one by one, naming the line, column and rule.
 */
@Service
public class PostcodeCentroids {

    public record Problem(long line, String field, String message) {}

    /** A refused row as it was read, with why: for the caller to keep (the command writes them all to a file). */
    public record Refused(Problem problem, List<String> fields) {}

    public record Result(long rows, long loaded, long unchanged, List<Problem> refused, Map<String, Long> refusedBy) {}

    private static final Map<String, List<String>> COLUMNS = Map.of(
            "postcode", List.of("postcode", "pcds", "pcd", "pcd2"),
            "latitude", List.of("latitude", "lat"),
            "longitude", List.of("longitude", "long", "lon", "lng"));

    /** A full postcode or an outward code, without spaces, as {@code network_postcode_norm} writes it. */
    private static final Pattern CODE = Pattern.compile("[A-Z]{1,2}[0-9][A-Z0-9]?([0-9][A-Z]{2})?");

    // The United Kingdom's extent, as the table's checks; the Directory writes 99.999999 where it has no position.
    static final double MIN_LAT = 49.8, MAX_LAT = 61.0, MIN_LON = -8.7, MAX_LON = 2.0;

    private static final int BATCH = 5_000;

    /** Refused rows named one by one up to this many; beyond, only counted by rule. */
    public static final int NAMED = 100;

    private final JdbcTemplate jdbc;
    private final AuditLog audit;

    PostcodeCentroids(JdbcTemplate jdbc, AuditLog audit) {
        this.jdbc = jdbc;
        this.audit = audit;
    }

    /** As {@code network_postcode_norm}: letters and digits only, upper case; null when nothing is left. */
    public static String normalise(String postcode) {
        if (postcode == null) {
            return null;
        }
        String s = postcode.replaceAll("[^A-Za-z0-9]", "").toUpperCase(Locale.ROOT);
        return s.isEmpty() ? null : s;
    }

    /**
     * Loads every usable row in one transaction (a re-run changes nothing; a new edition moves what moved). A header
     * without the three columns is refused whole. {@code source} is kept with each position and shown on the map.
     * Every refused row goes to {@code keep}, as read.
     */
    @Transactional
    public Result load(Reader file, String source, String actor, Progress progress, Consumer<Refused> keep) {
        if (source == null || source.isBlank()) {
            throw new InvalidRequestException("source", "required", "say where the positions come from");
        }
        List<Object[]> batch = new ArrayList<>(BATCH);
        List<Problem> named = new ArrayList<>();
        Map<String, Long> refusedBy = new LinkedHashMap<>();
        long rows = 0;
        long[] written = new long[2];
        int[] at = null;
        try (CsvReader<CsvRecord> csv = CsvReader.builder().ofCsvRecord(file)) {
            for (CsvRecord record : csv) {
                if (at == null) {
                    at = header(record.getFields());
                    continue;
                }
                rows++;
                List<String> f = record.getFields();
                String code = normalise(field(f, at[0]));
                Problem problem = null;
                double lat = Double.NaN;
                double lon = Double.NaN;
                if (code == null) {
                    problem = new Problem(record.getStartingLineNumber(), "postcode", "the postcode is blank");
                } else if (!CODE.matcher(code).matches()) {
                    problem = new Problem(
                            record.getStartingLineNumber(),
                            "postcode",
                            "not a postcode or outward code (such as LS1 4AP or LS1)");
                } else {
                    lat = number(field(f, at[1]));
                    lon = number(field(f, at[2]));
                    if (Double.isNaN(lat) || lat < MIN_LAT || lat > MAX_LAT) {
                        problem = new Problem(
                                record.getStartingLineNumber(),
                                "latitude",
                                "must be a number from " + MIN_LAT + " to " + MAX_LAT
                                        + " (the United Kingdom); blank or 99.999999 means no position");
                    } else if (Double.isNaN(lon) || lon < MIN_LON || lon > MAX_LON) {
                        problem = new Problem(
                                record.getStartingLineNumber(),
                                "longitude",
                                "must be a number from " + MIN_LON + " to " + MAX_LON + " (the United Kingdom)");
                    }
                }
                if (problem != null) {
                    refusedBy.merge(problem.field() + ": " + problem.message(), 1L, Long::sum);
                    keep.accept(new Refused(problem, f));
                    if (named.size() < NAMED) {
                        named.add(problem);
                    }
                } else {
                    batch.add(new Object[] {code, lat, lon, source.strip()});
                    if (batch.size() == BATCH) {
                        write(batch, written);
                    }
                }
                if (rows % 10_000 == 0) {
                    progress.update(rows);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (at == null) {
            throw new InvalidRequestException("file", "empty", "the file is empty: it needs a header row");
        }
        write(batch, written);
        progress.update(rows);
        long refused = refusedBy.values().stream().mapToLong(Long::longValue).sum();
        audit.record(AuditEntry.of(actor, null, "LOAD_POSTCODE_CENTROIDS", "reference", "postcode_centroid")
                .withDetails(
                        "rows=" + rows + ";loaded=" + written[0] + ";unchanged=" + written[1] + ";refused=" + refused));
        Result result = new Result(rows, written[0], written[1], List.copyOf(named), refusedBy);
        progress.done(rows + " rows: " + written[0] + " loaded, " + written[1] + " unchanged, " + refused + " refused");
        return result;
    }

    /** Column positions of postcode, latitude and longitude; every missing one named. */
    private static int[] header(List<String> fields) {
        List<String> names = fields.stream()
                .map(h -> h.strip().replace("\uFEFF", "").toLowerCase(Locale.ROOT))
                .toList();
        int[] at = new int[3];
        List<Violation> missing = new ArrayList<>();
        int i = 0;
        for (String column : List.of("postcode", "latitude", "longitude")) {
            List<String> accepted = COLUMNS.get(column);
            at[i] = -1;
            for (String name : accepted) {
                if (at[i] < 0 && names.contains(name)) {
                    at[i] = names.indexOf(name);
                }
            }
            if (at[i] < 0) {
                missing.add(new Violation(
                        column,
                        "missing-column",
                        "the header has no " + column + " column (" + String.join(", ", accepted) + ")"));
            }
            i++;
        }
        if (!missing.isEmpty()) {
            throw new InvalidRequestException(missing);
        }
        return at;
    }

    private static String field(List<String> fields, int at) {
        return at < fields.size() ? fields.get(at).strip() : "";
    }

    private static double number(String text) {
        try {
            return text.isEmpty() ? Double.NaN : Double.parseDouble(text);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    /** Upserts the batch; counts rows written (new or moved) and rows already as given. */
    private void write(List<Object[]> batch, long[] written) {
        if (batch.isEmpty()) {
            return;
        }
        int[] counts = jdbc.batchUpdate(
                """
                INSERT INTO postcode_centroid (code, latitude, longitude, source) VALUES (?, ?, ?, ?)
                ON CONFLICT (code) DO UPDATE SET latitude = excluded.latitude, longitude = excluded.longitude,
                    source = excluded.source, loaded_at = now()
                WHERE (postcode_centroid.latitude, postcode_centroid.longitude, postcode_centroid.source)
                      IS DISTINCT FROM (excluded.latitude, excluded.longitude, excluded.source)""",
                batch);
        for (int c : counts) {
            written[c > 0 ? 0 : 1]++;
        }
        batch.clear();
    }
}
