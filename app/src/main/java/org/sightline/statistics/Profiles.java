package org.sightline.statistics;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.Period;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The profiles of issue 9 part 1, computed from the records as they are. Children are counted by identity (the
 * identities resolution keeps as records arrive; a record not yet resolved counts as a child of its own): a child is
 * in the profile when an agency of the area raised an exploitation concern about any of its records in the period,
 * and each of its facts is the most informative across all its records, whichever agency holds them ({@link Fact}).
 * Reported missing is yes when any agency holds a missing episode for the child (reported by the as-at date) or any
 * record says yes. Adults of concern are counted by record: there is no identity resolution for adults yet.
 */
@Service
public class Profiles {

    static final ZoneId LONDON = ZoneId.of("Europe/London");
    static final List<String> VICTIM_BANDS = List.of("0-11", "12-13", "14-15", "16-17", "18+");
    private static final int[] VICTIM_LOWER = {0, 12, 14, 16, 18};
    static final List<String> ADULT_BANDS = List.of("0-17", "18-24", "25-34", "35-44", "45-54", "55+");
    private static final int[] ADULT_LOWER = {0, 18, 25, 35, 45, 55};
    static final List<String> YES_NO = List.of("YES", "NO");

    /** Which agencies are in the area (see {@link ProfileQuery}, view statistics_agency_area); the agency is {@code a}. */
    static final String AREA_SQL =
            """
            (CAST(:area AS text) IS NULL
             OR a.id IN (SELECT agency_id FROM statistics_agency_area WHERE area = CAST(:area AS text)))""";

    private final JdbcClient jdbc;

    Profiles(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Transactional(readOnly = true)
    public Profile profile(ProfileKind kind, ProfileQuery query) {
        return kind == ProfileKind.VICTIM ? victims(query) : adults(query);
    }

    static Map<String, Object> params(ProfileQuery q) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("area", q.area() == null || q.area().isBlank() ? null : q.area().strip());
        p.put(
                "from",
                q.from() == null
                        ? null
                        : Timestamp.from(q.from().atStartOfDay(LONDON).toInstant()));
        p.put(
                "to",
                q.to() == null
                        ? null
                        : Timestamp.from(q.to().plusDays(1).atStartOfDay(LONDON).toInstant()));
        p.put(
                "asAtEnd",
                Timestamp.from(q.asAt().plusDays(1).atStartOfDay(LONDON).toInstant()));
        return p;
    }

    private static String period(String column) {
        return "(CAST(:from AS timestamptz) IS NULL OR " + column
                + " >= :from) AND (CAST(:to AS timestamptz) IS NULL OR " + column + " < :to)";
    }

    /**
     * A concern is in the period when all that is known of its date is (a month or year wholly inside, as well as an
     * exact time); one whose date is not known, or whose month or year straddles an end, cannot be placed and is not
     * counted for a period (it is counted when no period is given).
     */
    private static String raisedWithin(String concern) {
        return "((CAST(:from AS timestamptz) IS NULL OR " + concern + ".raised_from >= :from)"
                + " AND (CAST(:to AS timestamptz) IS NULL OR " + concern + ".raised_until <= :to))";
    }

    /**
     * Children of the area with a concern that can be neither placed inside the period nor ruled out of it (its date
     * is not known, or its month or year spans an end), and no concern placed inside: the profile cannot count them and
     * says how many there are. Without a period every concern counts, and none is unplaced.
     */
    private long unplacedVictims(ProfileQuery q) {
        if (q.from() == null && q.to() == null) {
            return 0;
        }
        return jdbc.sql(
                        """
                WITH concerned AS (
                  SELECT coalesce(pr.identity_id, -pr.id) AS child, coalesce(%2$s, false) AS placed,
                         c.raised_from IS NULL
                         OR (CAST(:to AS timestamptz) IS NULL OR c.raised_from < :to)
                            AND (CAST(:from AS timestamptz) IS NULL OR c.raised_until > :from) AS possible
                  FROM exploitation_concern c JOIN agency a ON a.id = c.agency_id
                  JOIN person_record pr ON pr.id = c.person_record_id
                  WHERE %1$s)
                SELECT count(*) FROM (SELECT child FROM concerned GROUP BY child
                                      HAVING bool_or(possible) AND NOT bool_or(placed)) u"""
                                .formatted(AREA_SQL, raisedWithin("c")))
                .params(params(q))
                .query(Long.class)
                .single();
    }

    private Profile victims(ProfileQuery q) {
        Accumulator acc = new Accumulator(ProfileKind.VICTIM, q, VICTIM_BANDS, unplacedVictims(q));
        jdbc.sql(
                        """
                WITH victims AS (
                  SELECT DISTINCT coalesce(pr.identity_id, -pr.id) AS child
                  FROM exploitation_concern c JOIN agency a ON a.id = c.agency_id
                  JOIN person_record pr ON pr.id = c.person_record_id
                  WHERE %s AND %s),
                recs AS (
                  SELECT v.child, pr.id FROM victims v JOIN person_record pr ON pr.identity_id = v.child
                  UNION ALL
                  SELECT v.child, -v.child FROM victims v WHERE v.child < 0)
                SELECT r.child, pr.sex, pr.ethnicity_status, pr.ethnicity_scheme, pr.ethnicity_code, pr.dob_year,
                       pr.dob_month, pr.dob_day, pr.care_status, pr.cp_plan::text AS cp_plan,
                       pr.known_to_social_care::text AS known_to_social_care, pr.reported_missing::text AS reported_missing,
                       EXISTS (SELECT 1 FROM missing_episode e WHERE e.person_record_id = pr.id
                               AND e.reported_at < :asAtEnd) AS episode
                FROM recs r JOIN person_record pr ON pr.id = r.id
                ORDER BY r.child"""
                                .formatted(AREA_SQL, raisedWithin("c")))
                .params(params(q))
                .query(rs -> {
                    acc.record(rs.getLong("child"));
                    acc.common(rs, VICTIM_LOWER);
                    acc.fact(
                            "reported_missing",
                            rs.getBoolean("episode") ? "YES" : tri(rs.getString("reported_missing")));
                    acc.fact("looked_after", care(rs.getString("care_status")));
                    acc.fact("cp_plan", tri(rs.getString("cp_plan")));
                    acc.fact("known_to_social_care", tri(rs.getString("known_to_social_care")));
                });
        return acc.finish();
    }

    /**
     * Adults of the area linked to a child or place only by associations with no date, and by none observed in the
     * period: they may belong to it, and the profile says how many it could not count.
     */
    private long unplacedAdults(ProfileQuery q) {
        if (q.from() == null && q.to() == null) {
            return 0;
        }
        return jdbc.sql(
                        """
                SELECT count(*) FROM adult_of_concern ao JOIN agency a ON a.id = ao.agency_id
                WHERE %s
                  AND EXISTS (SELECT 1 FROM association x WHERE (x.from_kind = 'adult' AND x.from_id = ao.id
                                                                 OR x.to_kind = 'adult' AND x.to_id = ao.id)
                                                            AND x.observed_at IS NULL)
                  AND NOT EXISTS (SELECT 1 FROM association x WHERE (x.from_kind = 'adult' AND x.from_id = ao.id
                                                                     OR x.to_kind = 'adult' AND x.to_id = ao.id) AND %s)"""
                                .formatted(AREA_SQL, period("x.observed_at")))
                .params(params(q))
                .query(Long.class)
                .single();
    }

    private Profile adults(ProfileQuery q) {
        Accumulator acc = new Accumulator(ProfileKind.ADULT, q, ADULT_BANDS, unplacedAdults(q));
        jdbc.sql(
                        """
                SELECT ao.id AS child, ao.sex, ao.ethnicity_status, ao.ethnicity_scheme, ao.ethnicity_code, ao.dob_year,
                       ao.dob_month, ao.dob_day
                FROM adult_of_concern ao JOIN agency a ON a.id = ao.agency_id
                WHERE %s AND (CAST(:from AS timestamptz) IS NULL AND CAST(:to AS timestamptz) IS NULL OR EXISTS (
                  SELECT 1 FROM association x WHERE (x.from_kind = 'adult' AND x.from_id = ao.id
                                                     OR x.to_kind = 'adult' AND x.to_id = ao.id) AND %s))
                ORDER BY ao.id"""
                                .formatted(AREA_SQL, period("x.observed_at")))
                .params(params(q))
                .query(rs -> {
                    acc.record(rs.getLong("child"));
                    acc.common(rs, ADULT_LOWER);
                });
        return acc.finish();
    }

    static String tri(String value) {
        return switch (value == null ? "not_recorded" : value) {
            case "yes" -> "YES";
            case "no" -> "NO";
            case "not_known" -> Fact.NOT_KNOWN;
            default -> Fact.NOT_RECORDED;
        };
    }

    static String care(String value) {
        return switch (value == null ? "not_recorded" : value) {
            case "looked_after" -> "YES";
            case "not_looked_after" -> "NO";
            case "not_known" -> Fact.NOT_KNOWN;
            default -> Fact.NOT_RECORDED;
        };
    }

    static String sex(String value) {
        return switch (value == null ? "not_recorded" : value) {
            case "female" -> "F";
            case "male" -> "M";
            case "not_known" -> Fact.NOT_KNOWN;
            default -> Fact.NOT_RECORDED;
        };
    }

    /**
     * The age band at {@code asAt} of a date of birth that may be partial: a band when every date the partial date
     * allows falls in it, not known when they span two (or the date is after asAt), not recorded without a year.
     */
    static String ageBand(Integer year, Integer month, Integer day, LocalDate asAt, int[] lower, List<String> labels) {
        if (year == null) {
            return Fact.NOT_RECORDED;
        }
        LocalDate earliest;
        LocalDate latest;
        try {
            earliest = LocalDate.of(year, month == null ? 1 : month, day == null ? 1 : day);
            latest = month == null
                    ? LocalDate.of(year, 12, 31)
                    : day == null ? YearMonth.of(year, month).atEndOfMonth() : earliest;
        } catch (DateTimeException e) {
            return Fact.NOT_KNOWN;
        }
        if (latest.isAfter(asAt)) {
            return Fact.NOT_KNOWN;
        }
        String oldest = band(Period.between(earliest, asAt).getYears(), lower, labels);
        String youngest = band(Period.between(latest, asAt).getYears(), lower, labels);
        return oldest.equals(youngest) ? oldest : Fact.NOT_KNOWN;
    }

    private static String band(int age, int[] lower, List<String> labels) {
        int i = lower.length - 1;
        while (i > 0 && age < lower[i]) {
            i--;
        }
        return labels.get(i);
    }

    /** Counts identities as their records stream past in identity order. */
    private static final class Accumulator {

        private final ProfileKind kind;
        private final ProfileQuery query;
        private final List<String> bands;
        private final Map<String, Map<String, Long>> counts = new LinkedHashMap<>();
        private final List<Profile.Conflict> conflicts = new ArrayList<>();
        private final Map<String, Fact> current = new LinkedHashMap<>();
        private long child = Long.MIN_VALUE;
        private final long unplaced;
        private long subjects;
        private long records;

        Accumulator(ProfileKind kind, ProfileQuery query, List<String> bands, long unplaced) {
            this.kind = kind;
            this.query = query;
            this.bands = bands;
            this.unplaced = unplaced;
            dimension("sex", List.of("F", "M"));
            dimension("ethnicity", Ethnicities.DFE);
            dimension("ethnic_group", Ethnicities.GROUPS);
            if (kind == ProfileKind.VICTIM) {
                dimension("reported_missing", YES_NO);
                dimension("looked_after", YES_NO);
            }
            dimension("age_band", bands);
            if (kind == ProfileKind.VICTIM) {
                dimension("cp_plan", YES_NO);
                dimension("known_to_social_care", YES_NO);
            }
        }

        private void dimension(String name, List<String> codes) {
            Map<String, Long> m = new LinkedHashMap<>();
            codes.forEach(c -> m.put(c, 0L));
            m.put(Fact.NOT_KNOWN, 0L);
            m.put(Fact.NOT_RECORDED, 0L);
            m.put(Fact.CONFLICTING, 0L);
            counts.put(name, m);
        }

        void record(long id) {
            if (id != child) {
                flush();
                child = id;
                subjects++;
                counts.keySet().forEach(d -> current.put(d, new Fact()));
            }
            records++;
        }

        void fact(String dimension, String value) {
            current.get(dimension).add(value);
        }

        void common(ResultSet rs, int[] lower) throws SQLException {
            fact("sex", sex(rs.getString("sex")));
            Ethnicities.Mapped e = Ethnicities.map(
                    rs.getString("ethnicity_status"), rs.getString("ethnicity_scheme"), rs.getString("ethnicity_code"));
            fact("ethnicity", e.detail());
            fact("ethnic_group", e.group());
            fact(
                    "age_band",
                    ageBand(
                            (Integer) rs.getObject("dob_year"),
                            (Integer) rs.getObject("dob_month"),
                            (Integer) rs.getObject("dob_day"),
                            query.asAt(),
                            lower,
                            bands));
        }

        private void flush() {
            if (current.isEmpty()) {
                return;
            }
            String group = current.get("ethnic_group").result();
            for (Map.Entry<String, Fact> e : current.entrySet()) {
                Fact f = e.getValue();
                String result;
                if ("reported_missing".equals(e.getKey()) && f.has("YES")) {
                    result = "YES"; // any agency's episode or "yes" settles it; one not knowing is no contradiction
                } else if ("ethnicity".equals(e.getKey()) && Fact.CONFLICTING.equals(group)) {
                    result = Fact.CONFLICTING;
                } else {
                    result = f.result();
                }
                counts.get(e.getKey()).merge(result, 1L, Long::sum);
                if (Fact.CONFLICTING.equals(result) && f.known().size() > 1) {
                    conflicts.add(new Profile.Conflict(child, e.getKey(), List.copyOf(f.known())));
                }
            }
            current.clear();
        }

        Profile finish() {
            flush();
            return new Profile(kind, query, subjects, records, counts, conflicts, unplaced);
        }
    }
}
