package org.sightline.network;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
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

    /** A home area with unknown home or found area is shown, never dropped. */
    static final String NOT_KNOWN = "";

    record Cell(String text, long value, boolean suppressed) {}

    record Flow(String home, String found, Cell count) {}

    /** Rows are home areas, columns found areas; the last row and column are totals. */
    record Matrix(List<String> homes, List<String> founds, List<List<Cell>> cells, List<Flow> top, long episodes) {}

    private final JdbcClient jdbc;
    private final AuditLog audit;

    Flows(JdbcClient jdbc, AuditLog audit) {
        this.jdbc = jdbc;
        this.audit = audit;
    }

    private record Count(String home, String found, long n) {}

    @Transactional
    Matrix matrix(SightlineUser user, Period period, String notKnown, String notRecorded) {
        List<Count> counts = jdbc.sql(
                        """
                WITH eps AS (
                    SELECT e.id, coalesce(pr.identity_id, -pr.id) AS child,
                           (SELECT l.area_code FROM association x JOIN location l ON l.id = x.to_id
                            WHERE x.from_kind = 'episode' AND x.from_id = e.id AND x.to_kind = 'location'
                              AND x.association_type = 'found_at' AND l.area_code IS NOT NULL
                            ORDER BY x.id DESC LIMIT 1) AS found_area
                    FROM missing_episode e JOIN person_record pr ON pr.id = e.person_record_id
                    WHERE e.category = 'missing' AND e.found_at >= ? AND e.found_at < ?)
                SELECT network_area_name(network_home_area(child)) AS home, network_area_name(found_area) AS found,
                       count(*) FROM eps GROUP BY 1, 2""")
                .params(NetworkService.ts(period.start()), NetworkService.ts(period.end()))
                .query((rs, n) -> new Count(
                        rs.getString(1) == null ? notKnown : rs.getString(1),
                        rs.getString(2) == null ? notRecorded : rs.getString(2),
                        rs.getLong(3)))
                .list();
        List<String> homes =
                new ArrayList<>(new TreeSet<>(counts.stream().map(Count::home).toList()));
        List<String> founds =
                new ArrayList<>(new TreeSet<>(counts.stream().map(Count::found).toList()));
        int rows = homes.size() + 1;
        int cols = founds.size() + 1;
        long[] values = new long[rows * cols];
        for (Count c : counts) {
            int r = homes.indexOf(c.home());
            int k = founds.indexOf(c.found());
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
        Map<String, Cell> byPair = new LinkedHashMap<>();
        for (int r = 0; r < rows; r++) {
            List<Cell> row = new ArrayList<>();
            for (int k = 0; k < cols; k++) {
                int i = r * cols + k;
                Cell cell =
                        new Cell(hidden[i] ? Disclosure.SUPPRESSED : Long.toString(values[i]), values[i], hidden[i]);
                row.add(cell);
                if (r < rows - 1 && k < cols - 1 && values[i] > 0) {
                    byPair.put(homes.get(r) + "\u0000" + founds.get(k), cell);
                }
            }
            cells.add(row);
        }
        // Top flows across a border; suppressed ones rank after those published, so their order reveals nothing.
        List<Flow> top = byPair.entrySet().stream()
                .map(e -> new Flow(e.getKey().split("\u0000")[0], e.getKey().split("\u0000")[1], e.getValue()))
                // A flow across a border needs both ends: an unknown home or an unrecorded finding place is no border.
                .filter(f -> !f.home().equals(f.found())
                        && !f.home().equals(notKnown)
                        && !f.found().equals(notRecorded))
                .sorted(Comparator.comparing((Flow f) -> f.count().suppressed())
                        .thenComparing(
                                f -> f.count().suppressed() ? 0 : -f.count().value())
                        .thenComparing(Flow::home)
                        .thenComparing(Flow::found))
                .limit(10)
                .toList();
        audit.record(AuditEntry.of(user.username(), user.agencyCode(), "VIEW_FLOWS", "network", null)
                .withDetails("from=" + period.from() + ";to=" + period.to()));
        return new Matrix(homes, founds, cells, top, values[rows * cols - 1]);
    }
}
