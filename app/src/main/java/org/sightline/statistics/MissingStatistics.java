package org.sightline.statistics;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import org.sightline.child.Incidents;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Issue 9 part 2: missing episodes reported in the period by agencies of the area, counted as agencies' records, as
 * incidents (one child's records of one period across agencies, by the child page's rule, {@link Incidents}) and as
 * individuals (identities). Durations and "missing from" are per incident (from the earliest start to the latest
 * found; missing from by the most-informative rule across the incident's records); category, risk grade and return
 * interview are per record, by the agency that recorded them, because agencies record them differently (police
 * record every episode as missing).
 */
@Service
public class MissingStatistics {

    static final List<String> DURATIONS = List.of("UNDER_6H", "6H_24H", "1D_3D", "3D_7D", "OVER_7D", "STILL_MISSING");
    static final List<String> FROM = List.of("HOME", "CARE", "OTHER_PLACE", Fact.NOT_RECORDED, Fact.CONFLICTING);
    static final List<String> CATEGORIES = List.of("MISSING", "AWAY", Fact.NOT_RECORDED);
    static final List<String> AGENCY_TYPES = List.of("police_force", "local_authority", "care_provider", "national");
    static final List<String> GRADES = List.of("very_low", "low", "medium", "high", "absent", Fact.NOT_RECORDED);
    /**
     * Found incidents by where the child was found: by the home force (the police force holding the incident's
     * earliest police record) or another force (a force that recorded the find, or linked the episode to the place
     * where the child was found), as the found-outside-force alert reads it.
     */
    static final List<String> FOUND_BY =
            List.of("INSIDE_HOME_FORCE", "OUTSIDE_HOME_FORCE", "HOME_FORCE_NOT_KNOWN", "FINDING_FORCE_NOT_RECORDED");

    static final List<String> INTERVIEWS =
            List.of("COMPLETED_72H", "COMPLETED_LATE", "DECLINED", "OFFERED", "NOT_OFFERED", Fact.NOT_RECORDED);

    /** The figures: headline counts and, per table, code to count (category: code to agency type to count). */
    public record Figures(
            long records,
            long incidents,
            long children,
            long repeatChildren,
            Map<String, Long> durations,
            Map<String, Long> from,
            Map<String, Map<String, Long>> categories,
            Map<String, Long> grades,
            Map<String, Long> interviews,
            Map<String, Long> foundBy) {}

    /** One episode as the figures read it; {@code reported} places it in a period. */
    record Row(
            long recordId,
            long agencyId,
            String agencyType,
            Instant start,
            Instant found,
            String from,
            String category,
            String grade,
            String interview,
            Instant interviewAt,
            List<Long> finders,
            Instant reported) {}

    private final JdbcClient jdbc;

    MissingStatistics(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Transactional(readOnly = true)
    public Figures figures(ProfileQuery q) {
        long[] cells = new long[CELL_NAMES.size()];
        List<Row> child = new ArrayList<>();
        long[] current = {Long.MIN_VALUE};
        rows(
                jdbc,
                """
                %s AND (CAST(:from AS timestamptz) IS NULL OR e.reported_at >= :from)
                  AND (CAST(:to AS timestamptz) IS NULL OR e.reported_at < :to) AND e.reported_at < :asAtEnd"""
                        .formatted(Profiles.AREA_SQL),
                Profiles.params(q),
                (id, row) -> {
                    if (id != current[0]) {
                        count(child, cells);
                        child.clear();
                        current[0] = id;
                    }
                    child.add(row);
                });
        count(child, cells);
        return figures(named(cells));
    }

    /**
     * Streams the episodes {@code where} selects (over {@code e} episode, {@code pr} person record, {@code a} agency)
     * in child order: the child is the identity, or minus the record's id while the record has none.
     */
    static void rows(JdbcClient jdbc, String where, Map<String, ?> params, BiConsumer<Long, Row> each) {
        jdbc.sql(
                        """
                WITH eps AS (
                  SELECT e.id, coalesce(pr.identity_id, -pr.id) AS child, pr.id AS record_id, e.agency_id, a.agency_type,
                         coalesce(e.last_seen_at, e.reported_at) AS start, e.found_at, e.missing_from, e.category,
                         e.current_risk_grade, e.return_interview_status, e.return_interview_at, e.reported_at
                  FROM missing_episode e JOIN person_record pr ON pr.id = e.person_record_id
                  JOIN agency a ON a.id = e.agency_id
                  WHERE %s),
                forces AS (SELECT id, name, code FROM agency WHERE agency_type = 'police_force'),
                -- Forces that found the child: set-based (hash joins), not a lookup per episode; by name and by code
                -- as two joins, since a join on "name OR code" cannot hash and compares every find with every force.
                found AS (
                  SELECT ev.episode_id, ev.recorded_by_agency FROM eps
                  JOIN episode_event ev ON ev.episode_id = eps.id AND ev.event_type = 'found'),
                finders AS (
                  SELECT found.episode_id, f.id AS force FROM found JOIN forces f ON f.name = found.recorded_by_agency
                  UNION
                  SELECT found.episode_id, f.id FROM found JOIN forces f ON f.code = found.recorded_by_agency
                  UNION
                  SELECT x.from_id, f.id FROM eps
                  JOIN association x ON x.from_kind = 'episode' AND x.from_id = eps.id
                                    AND x.association_type = 'found_at'
                  JOIN forces f ON f.id = x.agency_id),
                by_episode AS (SELECT episode_id, array_agg(force ORDER BY force) AS forces FROM finders
                               GROUP BY episode_id)
                SELECT eps.*, coalesce(b.forces, '{}') AS finders
                FROM eps LEFT JOIN by_episode b ON b.episode_id = eps.id
                ORDER BY eps.child"""
                                .formatted(where))
                .params(params)
                .query(rs -> {
                    each.accept(
                            rs.getLong("child"),
                            new Row(
                                    rs.getLong("record_id"),
                                    rs.getLong("agency_id"),
                                    rs.getString("agency_type"),
                                    instant(rs.getTimestamp("start")),
                                    instant(rs.getTimestamp("found_at")),
                                    rs.getString("missing_from"),
                                    rs.getString("category"),
                                    rs.getString("current_risk_grade"),
                                    rs.getString("return_interview_status"),
                                    instant(rs.getTimestamp("return_interview_at")),
                                    List.of((Long[]) rs.getArray("finders").getArray()),
                                    instant(rs.getTimestamp("reported_at"))));
                });
    }

    /**
     * Adds one child's episodes (those the figure covers) to {@code cells}, indexed as {@link #CELL_NAMES}: the one rule
     * for figures computed from the records and for the pre-aggregated counts ({@link MissingAggregate}), which adds
     * up millions of episode sets in a rebuild, so into an array by index rather than a map by name. The rule's parts
     * are each record's own cells, the child's incidents and each incident's cells, and the child's own; a rebuild
     * works each out once for all of a child's episodes and adds up a period's from them.
     */
    static void count(List<Row> child, long[] cells) {
        if (child.isEmpty()) {
            return;
        }
        for (Row r : child) {
            episode(r, cells);
        }
        List<List<Integer>> incidents = incidents(child);
        for (List<Integer> incident : incidents) {
            incident(child, incident, cells);
        }
        child(incidents.size(), cells);
    }

    /** A record's own cells: the figures count each agency's record of its category, grade and return interview. */
    static void episode(Row r, long[] cells) {
        cells[RECORDS]++;
        int category = "missing".equals(r.category()) ? 0 : "away".equals(r.category()) ? 1 : 2;
        cells[CATEGORY + category * KINDS.size() + kind(r.agencyType())]++;
        if ("police_force".equals(r.agencyType())) {
            int grade = r.grade() == null ? -1 : GRADES.indexOf(r.grade());
            cells[GRADE + (grade < 0 ? GRADES.indexOf(Fact.NOT_RECORDED) : grade)]++;
        }
        if ("local_authority".equals(r.agencyType()) && r.found() != null) {
            cells[INTERVIEW + INTERVIEWS.indexOf(interview(r))]++;
        }
    }

    /** The child's episodes grouped into incidents ({@link Incidents#group}), as indexes into {@code child}. */
    static List<List<Integer>> incidents(List<Row> child) {
        // Loops rather than streams here and below: a rebuild counts millions of episode sets.
        List<Incidents.Span> spans = new ArrayList<>(child.size());
        for (Row r : child) {
            spans.add(new Incidents.Span(r.agencyId(), r.start(), r.found()));
        }
        return Incidents.group(spans);
    }

    /** An incident's cells: its duration, where the child went missing from, and where the child was found. */
    static void incident(List<Row> child, List<Integer> incident, long[] cells) {
        List<Row> rows = new ArrayList<>(incident.size());
        for (int i : incident) {
            rows.add(child.get(i));
        }
        cells[DURATION + DURATIONS.indexOf(duration(rows))]++;
        Fact f = new Fact();
        rows.forEach(r -> f.add(fromCode(r.from())));
        String result = f.result();
        cells[FROM_PLACE + FROM.indexOf(Fact.NOT_KNOWN.equals(result) ? Fact.NOT_RECORDED : result)]++;
        String found = foundBy(rows);
        if (found != null) {
            cells[FOUND + FOUND_BY.indexOf(found)]++;
        }
    }

    /** The child's own cells, from how many incidents it had: it is counted once, and as a repeat when more than one. */
    static void child(int incidents, long[] cells) {
        cells[INCIDENTS] += incidents;
        cells[CHILDREN]++;
        if (incidents > 1) {
            cells[REPEAT]++;
        }
    }

    /** Every kind of agency (the figures show {@link #AGENCY_TYPES}; the rest are counted all the same). */
    private static final List<String> KINDS =
            List.of("police_force", "local_authority", "care_provider", "national", "health", "education", "other");

    private static int kind(String agencyType) {
        int k = KINDS.indexOf(agencyType);
        return k < 0 ? KINDS.indexOf("other") : k;
    }

    /** Each cell's name ({@code measure|code}), by index; the first index of each measure's codes below. */
    static final List<String> CELL_NAMES;

    private static final int RECORDS;
    private static final int INCIDENTS;
    private static final int CHILDREN;
    private static final int REPEAT;
    private static final int CATEGORY;
    private static final int GRADE;
    private static final int INTERVIEW;
    private static final int DURATION;
    private static final int FROM_PLACE;
    private static final int FOUND;

    static {
        List<String> names = new ArrayList<>();
        RECORDS = names.size();
        names.add("head|records");
        INCIDENTS = names.size();
        names.add("head|incidents");
        CHILDREN = names.size();
        names.add("head|children");
        REPEAT = names.size();
        names.add("head|repeat");
        CATEGORY = names.size();
        CATEGORIES.forEach(c -> KINDS.forEach(k -> names.add("category|" + c + "/" + k)));
        GRADE = names.size();
        GRADES.forEach(c -> names.add("grade|" + c));
        INTERVIEW = names.size();
        INTERVIEWS.forEach(c -> names.add("interview|" + c));
        DURATION = names.size();
        DURATIONS.forEach(c -> names.add("duration|" + c));
        FROM_PLACE = names.size();
        FROM.forEach(c -> names.add("from|" + c));
        FOUND = names.size();
        FOUND_BY.forEach(c -> names.add("found|" + c));
        CELL_NAMES = List.copyOf(names);
    }

    /** The counted cells by name, leaving out those never counted. */
    static Map<String, Long> named(long[] cells) {
        Map<String, Long> named = new HashMap<>();
        for (int i = 0; i < cells.length; i++) {
            if (cells[i] != 0) {
                named.put(CELL_NAMES.get(i), cells[i]);
            }
        }
        return named;
    }

    /** The figures the cells hold (a cell never counted is 0). */
    static Figures figures(Map<String, Long> cells) {
        Map<String, Map<String, Long>> categories = new LinkedHashMap<>();
        CATEGORIES.forEach(c -> {
            Map<String, Long> byType = new LinkedHashMap<>();
            AGENCY_TYPES.forEach(t -> byType.put(t, cells.getOrDefault("category|" + c + "/" + t, 0L)));
            categories.put(c, byType);
        });
        return new Figures(
                cells.getOrDefault("head|records", 0L),
                cells.getOrDefault("head|incidents", 0L),
                cells.getOrDefault("head|children", 0L),
                cells.getOrDefault("head|repeat", 0L),
                measure(cells, "duration", DURATIONS),
                measure(cells, "from", FROM),
                categories,
                measure(cells, "grade", GRADES),
                measure(cells, "interview", INTERVIEWS),
                measure(cells, "found", FOUND_BY));
    }

    private static Map<String, Long> measure(Map<String, Long> cells, String measure, List<String> codes) {
        Map<String, Long> m = new LinkedHashMap<>();
        codes.forEach(c -> m.put(c, cells.getOrDefault(measure + "|" + c, 0L)));
        return m;
    }

    /** Where a found incident ended (see {@link #FOUND_BY}); null while the child is still missing. */
    private static String foundBy(List<Row> incident) {
        Row home = null; // the earliest police record (the first of equals)
        for (Row r : incident) {
            if (r.found() == null) {
                return null;
            }
            if ("police_force".equals(r.agencyType())
                    && (home == null || r.start().isBefore(home.start()))) {
                home = r;
            }
        }
        if (home == null) {
            return "HOME_FORCE_NOT_KNOWN";
        }
        boolean found = false;
        for (Row r : incident) {
            for (long f : r.finders()) {
                if (f != home.agencyId()) {
                    return "OUTSIDE_HOME_FORCE";
                }
                found = true;
            }
        }
        return found ? "INSIDE_HOME_FORCE" : "FINDING_FORCE_NOT_RECORDED";
    }

    private static String fromCode(String value) {
        return switch (value == null ? "not_recorded" : value) {
            case "home" -> "HOME";
            case "care" -> "CARE";
            case "other" -> "OTHER_PLACE";
            default -> Fact.NOT_RECORDED;
        };
    }

    private static String interview(Row r) {
        return switch (r.interview() == null ? "not_recorded" : r.interview()) {
            case "completed" -> r.interviewAt() != null
                            && !r.interviewAt().isAfter(r.found().plus(Duration.ofHours(72)))
                    ? "COMPLETED_72H"
                    : "COMPLETED_LATE";
            case "declined" -> "DECLINED";
            case "offered", "accepted" -> "OFFERED";
            case "not_offered" -> "NOT_OFFERED";
            default -> Fact.NOT_RECORDED;
        };
    }

    private static String duration(List<Row> incident) {
        Instant start = incident.get(0).start();
        Instant end = incident.get(0).found();
        for (Row r : incident) {
            if (r.found() == null) {
                return "STILL_MISSING";
            }
            start = r.start().isBefore(start) ? r.start() : start;
            end = r.found().isAfter(end) ? r.found() : end;
        }
        long hours = Duration.between(start, end).toHours();
        return hours < 6
                ? "UNDER_6H"
                : hours < 24 ? "6H_24H" : hours < 72 ? "1D_3D" : hours < 168 ? "3D_7D" : "OVER_7D";
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
