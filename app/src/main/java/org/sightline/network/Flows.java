package org.sightline.network;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.sightline.access.AgencyScope;
import org.sightline.access.Roles;
import org.sightline.access.SightlineUser;
import org.sightline.audit.AuditEntry;
import org.sightline.audit.AuditLog;
import org.sightline.shared.Disclosure;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Cross-border flows: for missing episodes ended in a period, the child's home area (responsible authority, else a
 * local authority holding a record, else the reporting force) against the area where the child was found (the area of
 * the found place, recorded by the finding agency). Published figures: counts of 1 to 4 are suppressed, with secondary
 * suppression so that row and column totals cannot reveal them (as statistics does).
 */
@Service
class Flows {

    /** The code of a home area not known, or of a finding place not recorded: shown, never dropped. */
    static final String UNKNOWN = "-";

    /**
     * The episodes the figures count, ended in the period (the two parameters): each with the child, its home area and
     * the area of the place the finding agency recorded.
     */
    private static final String EPISODES =
            """
            SELECT eps.*, network_home_area(eps.child) AS home_area
            FROM (SELECT e.public_id, e.agency_id, e.reported_at, e.found_at, coalesce(pr.identity_id, -pr.id) AS child,
                         (SELECT l.area_code FROM association x JOIN location l ON l.id = x.to_id
                          WHERE x.from_kind = 'episode' AND x.from_id = e.id AND x.to_kind = 'location'
                            AND x.association_type = 'found_at' AND l.area_code IS NOT NULL
                          ORDER BY x.id DESC LIMIT 1) AS found_area
                  FROM missing_episode e JOIN person_record pr ON pr.id = e.person_record_id
                  WHERE e.category = 'missing' AND e.found_at >= ? AND e.found_at < ?) eps""";

    record Cell(String text, long value, boolean suppressed) {}

    /** A flow between two areas: their codes (for its episodes' list) and names. */
    record Flow(String homeCode, String home, String foundCode, String found, Cell count) {}

    /**
     * Rows are home areas, columns found areas (names, and their codes in the same order); the last row and column
     * are totals.
     */
    record Matrix(
            List<String> homes,
            List<String> homeCodes,
            List<String> founds,
            List<String> foundCodes,
            List<List<Cell>> cells,
            List<Flow> top,
            long episodes) {}

    /**
     * One episode of a flow, for a user entitled to it: the child as "Child N" (numbered in the list) with the child's
     * public id, when missing and found, and the agency that reported it.
     */
    record Episode(int child, UUID childId, Instant reported, Instant found, String agency) {}

    /**
     * A flow's episodes: the areas' names, the episodes of children the user's agency may open, and how many others
     * there are (counted, never shown).
     */
    record Episodes(String home, String found, List<Episode> episodes, int hidden) {}

    private final JdbcClient jdbc;
    private final AuditLog audit;
    private final AgencyScope scope;

    Flows(JdbcClient jdbc, AuditLog audit, AgencyScope scope) {
        this.jdbc = jdbc;
        this.audit = audit;
        this.scope = scope;
    }

    /** Who may list a flow's episodes: supervisors, as for the children behind a statistic. */
    static boolean entitled(SightlineUser user) {
        return user.hasRole(Roles.SUPERVISOR);
    }

    /** Episodes by home area and area where found: codes ({@link #UNKNOWN} when not known) and their names. */
    private record Count(String home, String homeName, String found, String foundName, long n) {}

    private static String area(String code) {
        return code == null ? UNKNOWN : code;
    }

    @Transactional
    Matrix matrix(SightlineUser user, Period period, String notKnown, String notRecorded) {
        List<Count> counts = jdbc.sql(
                        "SELECT home_area, network_area_name(home_area), found_area, network_area_name(found_area), count(*)"
                                + " FROM (" + EPISODES + ") f GROUP BY 1, 2, 3, 4")
                .params(NetworkService.ts(period.start()), NetworkService.ts(period.end()))
                .query((rs, n) -> new Count(
                        area(rs.getString(1)),
                        rs.getString(2) == null ? notKnown : rs.getString(2),
                        area(rs.getString(3)),
                        rs.getString(4) == null ? notRecorded : rs.getString(4),
                        rs.getLong(5)))
                .list();
        // Rows and columns by area, in the order of their names.
        Comparator<Count> byHome = Comparator.comparing(Count::homeName).thenComparing(Count::home);
        Comparator<Count> byFound = Comparator.comparing(Count::foundName).thenComparing(Count::found);
        List<Count> homeOrder = counts.stream().sorted(byHome).toList();
        List<Count> foundOrder = counts.stream().sorted(byFound).toList();
        List<String> homeCodes = homeOrder.stream().map(Count::home).distinct().toList();
        List<String> foundCodes =
                foundOrder.stream().map(Count::found).distinct().toList();
        Map<String, String> homeNames = new LinkedHashMap<>();
        Map<String, String> foundNames = new LinkedHashMap<>();
        counts.forEach(c -> {
            homeNames.put(c.home(), c.homeName());
            foundNames.put(c.found(), c.foundName());
        });
        List<String> homes = homeCodes.stream().map(homeNames::get).toList();
        List<String> founds = foundCodes.stream().map(foundNames::get).toList();
        int rows = homes.size() + 1;
        int cols = founds.size() + 1;
        long[] values = new long[rows * cols];
        for (Count c : counts) {
            int r = homeCodes.indexOf(c.home());
            int k = foundCodes.indexOf(c.found());
            values[r * cols + k] += c.n();
            values[r * cols + cols - 1] += c.n();
            values[(rows - 1) * cols + k] += c.n();
            values[(rows - 1) * cols + cols - 1] += c.n();
        }
        // Each row with its total, each column with its total: the sums a reader can see.
        List<int[]> groups = new ArrayList<>();
        for (int r = 0; r < rows; r++) {
            int[] g = new int[cols];
            for (int k = 0; k < cols; k++) {
                g[k] = r * cols + k;
            }
            groups.add(g);
        }
        for (int k = 0; k < cols; k++) {
            int[] g = new int[rows];
            for (int r = 0; r < rows; r++) {
                g[r] = r * cols + k;
            }
            groups.add(g);
        }
        boolean[] hidden = Disclosure.suppress(values, groups);
        List<List<Cell>> cells = new ArrayList<>();
        List<Flow> flows = new ArrayList<>();
        for (int r = 0; r < rows; r++) {
            List<Cell> row = new ArrayList<>();
            for (int k = 0; k < cols; k++) {
                int i = r * cols + k;
                Cell cell =
                        new Cell(hidden[i] ? Disclosure.SUPPRESSED : Long.toString(values[i]), values[i], hidden[i]);
                row.add(cell);
                if (r < rows - 1 && k < cols - 1 && values[i] > 0) {
                    flows.add(new Flow(homeCodes.get(r), homes.get(r), foundCodes.get(k), founds.get(k), cell));
                }
            }
            cells.add(row);
        }
        // Top flows across a border; suppressed ones rank after those published, so their order reveals nothing.
        List<Flow> top = flows.stream()
                // A flow across a border needs both ends: an unknown home or an unrecorded finding place is no border.
                .filter(f -> !f.homeCode().equals(f.foundCode())
                        && !f.homeCode().equals(UNKNOWN)
                        && !f.foundCode().equals(UNKNOWN))
                .sorted(Comparator.comparing((Flow f) -> f.count().suppressed())
                        .thenComparing(
                                f -> f.count().suppressed() ? 0 : -f.count().value())
                        .thenComparing(Flow::home)
                        .thenComparing(Flow::found))
                .limit(10)
                .toList();
        audit.record(AuditEntry.of(user.username(), user.agencyCode(), "VIEW_FLOWS", "network", null)
                .withDetails("from=" + period.from() + ";to=" + period.to()));
        return new Matrix(homes, homeCodes, founds, foundCodes, cells, top, values[rows * cols - 1]);
    }

    /**
     * The episodes behind one cell of the matrix (issue 10's drill-down), for an entitled user: those of children the
     * user's agency may open, the others only counted; the listing is audited. {@code home} and {@code found} are area
     * codes, {@link #UNKNOWN} for the row or column of the not known.
     */
    @Transactional
    Episodes episodes(
            SightlineUser user, Period period, String home, String found, String notKnown, String notRecorded) {
        if (!entitled(user)) {
            throw new org.springframework.security.access.AccessDeniedException("flow episodes");
        }
        record Row(long child, UUID childId, Instant reported, Instant found, String agency) {}
        List<Row> rows = jdbc.sql("SELECT f.child, i.public_id, f.reported_at, f.found_at, a.name FROM (" + EPISODES
                        + ") f JOIN agency a ON a.id = f.agency_id LEFT JOIN identity i ON i.id = f.child"
                        + " WHERE coalesce(f.home_area, ?) = ? AND coalesce(f.found_area, ?) = ?"
                        + " ORDER BY f.found_at, f.public_id")
                .params(
                        NetworkService.ts(period.start()),
                        NetworkService.ts(period.end()),
                        UNKNOWN,
                        home,
                        UNKNOWN,
                        found)
                .query((rs, n) -> new Row(
                        rs.getLong(1),
                        rs.getObject(2, UUID.class),
                        rs.getTimestamp(3).toInstant(),
                        rs.getTimestamp(4).toInstant(),
                        rs.getString(5)))
                .list();
        Map<Long, Boolean> open = new HashMap<>();
        Map<Long, Integer> numbers = new HashMap<>();
        List<Episode> shown = new ArrayList<>();
        int hidden = 0;
        for (Row r : rows) {
            // A record not yet resolved into a child (no identity) is not listed: it has no child's page to open.
            if (!open.computeIfAbsent(
                    r.child(),
                    c -> r.childId() != null && scope.childAccess(user, c) == AgencyScope.ChildAccess.FULL)) {
                hidden++;
                continue;
            }
            int number = numbers.computeIfAbsent(r.child(), c -> numbers.size() + 1);
            shown.add(new Episode(number, r.childId(), r.reported(), r.found(), r.agency()));
        }
        audit.record(AuditEntry.of(user.username(), user.agencyCode(), "VIEW_LIST", "identity", null)
                .withDetails("network flow;home=" + home + ";found=" + found + ";from=" + period.from() + ";to="
                        + period.to() + ";children=" + numbers.size()));
        return new Episodes(
                UNKNOWN.equals(home) ? notKnown : areaName(home),
                UNKNOWN.equals(found) ? notRecorded : areaName(found),
                shown,
                hidden);
    }

    private String areaName(String code) {
        return jdbc.sql("SELECT network_area_name(?)")
                .param(code)
                .query(String.class)
                .single();
    }
}
