package org.sightline.statistics;

import java.sql.Timestamp;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.Period;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Consumer;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The profiles of issue 9 part 1. Children are counted by identity (the
 * identities resolution keeps as records arrive; a record not yet resolved counts as a child of its own): a child is
 * in the profile when an agency of the area raised an exploitation concern about any of its records in the period,
 * and each of its facts is the most informative across all its records, whichever agency holds them ({@link Fact}).
 * Reported missing is yes when any agency holds a missing episode for the child (reported by the as-at date) or any
 * record says yes. The children and their facts come from the rows {@link VictimAggregate} keeps, or from the records
 * while those are not current. Adults of concern are counted by record: there is no identity resolution for adults yet.
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
    private final VictimAggregate kept;

    Profiles(JdbcClient jdbc, VictimAggregate kept) {
        this.jdbc = jdbc;
        this.kept = kept;
    }

    @Transactional(readOnly = true)
    public Profile profile(ProfileKind kind, ProfileQuery query) {
        return kind == ProfileKind.VICTIM ? victims(query) : adults(query);
    }

    /** When a day ends in London: the start of the next (23, 24 or 25 hours later). */
    static Instant endOf(LocalDate day) {
        return day.plusDays(1).atStartOfDay(LONDON).toInstant();
    }

    static Map<String, Object> params(ProfileQuery q) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("area", q.area() == null || q.area().isBlank() ? null : q.area().strip());
        p.put(
                "from",
                q.from() == null
                        ? null
                        : Timestamp.from(q.from().atStartOfDay(LONDON).toInstant()));
        p.put("to", q.to() == null ? null : Timestamp.from(endOf(q.to())));
        p.put("asAtEnd", Timestamp.from(endOf(q.asAt())));
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
    static String raisedWithin(String concern) {
        return "((CAST(:from AS timestamptz) IS NULL OR " + concern + ".raised_from >= :from)"
                + " AND (CAST(:to AS timestamptz) IS NULL OR " + concern + ".raised_until <= :to))";
    }

    /** A concern whose date is not known, or whose known bounds overlap the period: it may have been raised in it. */
    static String mayBeWithin(String concern) {
        return "(" + concern + ".raised_from IS NULL OR (CAST(:to AS timestamptz) IS NULL OR " + concern
                + ".raised_from < :to) AND (CAST(:from AS timestamptz) IS NULL OR " + concern
                + ".raised_until > :from))";
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
                         %3$s AS possible
                  FROM exploitation_concern c JOIN agency a ON a.id = c.agency_id
                  JOIN person_record pr ON pr.id = c.person_record_id
                  WHERE %1$s)
                SELECT count(*) FROM (SELECT child FROM concerned GROUP BY child
                                      HAVING bool_or(possible) AND NOT bool_or(placed)) u"""
                                .formatted(AREA_SQL, raisedWithin("c"), mayBeWithin("c")))
                .params(params(q))
                .query(Long.class)
                .single();
    }

    /** Children with a concern raised by an agency of the area in the period (a query's {@code victims}). */
    static final String VICTIMS_OF_AREA =
            """
            victims AS (
              SELECT DISTINCT coalesce(pr.identity_id, -pr.id) AS child
              FROM exploitation_concern c JOIN agency a ON a.id = c.agency_id
              JOIN person_record pr ON pr.id = c.person_record_id
              WHERE %s AND %s)"""
                    .formatted(AREA_SQL, raisedWithin("c"));

    /**
     * Every record of each child in {@code victims} (a preceding CTE) with the facts {@link ProfileSubject.Gatherer}
     * reads, in child order.
     */
    static final String VICTIM_RECORDS =
            """
            recs AS (
              SELECT v.child, pr.id FROM victims v JOIN person_record pr ON pr.identity_id = v.child
              UNION ALL
              SELECT v.child, -v.child FROM victims v WHERE v.child < 0)
            SELECT r.child, pr.sex, pr.ethnicity_status, pr.ethnicity_scheme, pr.ethnicity_code, pr.dob_year,
                   pr.dob_month, pr.dob_day, pr.care_status, pr.cp_plan::text AS cp_plan,
                   pr.known_to_social_care::text AS known_to_social_care, pr.reported_missing::text AS reported_missing,
                   (SELECT min(e.reported_at) FROM missing_episode e WHERE e.person_record_id = pr.id) AS first_episode
            FROM recs r JOIN person_record pr ON pr.id = r.id
            ORDER BY r.child, pr.id""";

    /** Gathers each child of {@code sql} (rows in child order, a column {@code child}) and hands it on. */
    static void gather(
            JdbcClient jdbc, ProfileKind kind, String sql, Map<String, ?> params, Consumer<ProfileSubject> out) {
        ProfileSubject.Gatherer[] current = {null};
        jdbc.sql(sql).params(params).query(rs -> {
            long child = rs.getLong("child");
            if (current[0] == null || current[0].id() != child) {
                if (current[0] != null) {
                    out.accept(current[0].finish());
                }
                current[0] = new ProfileSubject.Gatherer(kind, child);
            }
            current[0].record(rs);
        });
        if (current[0] != null) {
            out.accept(current[0].finish());
        }
    }

    private Profile victims(ProfileQuery q) {
        return keptVictims(q).orElseGet(() -> computedVictims(q));
    }

    /** The victims' profile from the rows {@link VictimAggregate} keeps, when they are current. */
    Optional<Profile> keptVictims(ProfileQuery q) {
        Counter counter = new Counter(ProfileKind.VICTIM, q);
        OptionalLong unplaced = kept.subjects(q, counter::add);
        return unplaced.isPresent() ? Optional.of(counter.finish(unplaced.getAsLong())) : Optional.empty();
    }

    /** The victims' profile gathered from every record of each child counted. */
    Profile computedVictims(ProfileQuery q) {
        Counter counter = new Counter(ProfileKind.VICTIM, q);
        gather(jdbc, ProfileKind.VICTIM, "WITH " + VICTIMS_OF_AREA + ",\n" + VICTIM_RECORDS, params(q), counter::add);
        return counter.finish(unplacedVictims(q));
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
        Counter counter = new Counter(ProfileKind.ADULT, q);
        gather(
                jdbc,
                ProfileKind.ADULT,
                """
                SELECT ao.id AS child, ao.sex, ao.ethnicity_status, ao.ethnicity_scheme, ao.ethnicity_code, ao.dob_year,
                       ao.dob_month, ao.dob_day
                FROM adult_of_concern ao JOIN agency a ON a.id = ao.agency_id
                WHERE %s AND (CAST(:from AS timestamptz) IS NULL AND CAST(:to AS timestamptz) IS NULL OR EXISTS (
                  SELECT 1 FROM association x WHERE (x.from_kind = 'adult' AND x.from_id = ao.id
                                                     OR x.to_kind = 'adult' AND x.to_id = ao.id) AND %s))
                ORDER BY ao.id"""
                        .formatted(AREA_SQL, period("x.observed_at")),
                params(q),
                counter::add);
        return counter.finish(unplacedAdults(q));
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

    /** The age band of a profile's kind (children's or adults' bands). */
    static String ageBand(Integer year, Integer month, Integer day, LocalDate asAt, ProfileKind kind) {
        return kind == ProfileKind.VICTIM
                ? ageBand(year, month, day, asAt, VICTIM_LOWER, VICTIM_BANDS)
                : ageBand(year, month, day, asAt, ADULT_LOWER, ADULT_BANDS);
    }

    private static String band(int age, int[] lower, List<String> labels) {
        int i = lower.length - 1;
        while (i > 0 && age < lower[i]) {
            i--;
        }
        return labels.get(i);
    }

    /** Counts each subject once, as at the query's date, dimension by dimension. */
    private static final class Counter {

        private final ProfileKind kind;
        private final ProfileQuery query;
        private final Instant asAtEnd;
        private final Map<String, Map<String, Long>> counts = new LinkedHashMap<>();
        private final List<Profile.Conflict> conflicts = new ArrayList<>();
        private long subjects;
        private long records;

        Counter(ProfileKind kind, ProfileQuery query) {
            this.kind = kind;
            this.query = query;
            this.asAtEnd = endOf(query.asAt());
            for (String d : ProfileSubject.dimensions(kind)) {
                Map<String, Long> m = new LinkedHashMap<>();
                codes(d).forEach(c -> m.put(c, 0L));
                m.put(Fact.NOT_KNOWN, 0L);
                m.put(Fact.NOT_RECORDED, 0L);
                m.put(Fact.CONFLICTING, 0L);
                counts.put(d, m);
            }
        }

        private List<String> codes(String dimension) {
            return switch (dimension) {
                case "sex" -> List.of("F", "M");
                case "ethnicity" -> Ethnicities.DFE;
                case "ethnic_group" -> Ethnicities.GROUPS;
                case "age_band" -> kind == ProfileKind.VICTIM ? VICTIM_BANDS : ADULT_BANDS;
                default -> YES_NO;
            };
        }

        void add(ProfileSubject s) {
            subjects++;
            records += s.records();
            ProfileSubject.Resolved r = s.at(kind, query.asAt(), asAtEnd);
            r.values().forEach((d, v) -> counts.get(d).merge(v, 1L, Long::sum));
            conflicts.addAll(r.conflicts());
        }

        Profile finish(long unplaced) {
            // The kept rows arrive in no particular order; the conflicts are listed by child.
            conflicts.sort(java.util.Comparator.comparingLong(Profile.Conflict::identityId));
            return new Profile(kind, query, subjects, records, counts, conflicts, unplaced);
        }
    }
}
