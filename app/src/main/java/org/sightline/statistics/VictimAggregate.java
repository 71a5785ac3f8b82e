package org.sightline.statistics;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * Issue 9 part 8: the victims' profile read from one row per child with an exploitation concern
 * ({@code stat_victim_child}), its facts gathered across all its records as {@link ProfileSubject.Gatherer} gathers
 * them, so a page reads one row per child counted instead of every record of every child and its episodes. Which
 * children an area and period count is read from their concerns, kept under the child ({@code stat_victim_concern}),
 * so any area and period are served; what depends on the as-at date is settled from the kept dates
 * ({@link ProfileSubject#at}). Triggers queue the children a change
 * touches ({@code stat_dirty_victim}); a refresh before each page and every few seconds gathers them again.
 */
@Service
public class VictimAggregate extends ChildRowsAggregate {

    static final String NAME = "victims";
    /** The rule's version: change it when {@link ProfileSubject.Gatherer}, the code lists or the row's layout change. */
    static final int VERSION = 1;

    private static final String COLUMNS = "child, records, sex, ethnicity, ethnic_group, looked_after, cp_plan,"
            + " known_to_social_care, recorded_missing, first_episode_at, dobs, conflicts";
    /** The settled facts in the order of their columns. */
    private static final List<String> SETTLED =
            List.of("sex", "ethnicity", "ethnic_group", "looked_after", "cp_plan", "known_to_social_care");

    /** The same database, reading with a cursor (a rebuild streams every victim's records). */
    private final JdbcClient streaming;

    private final DataSource dataSource;

    VictimAggregate(JdbcClient jdbc, DataSource dataSource, PlatformTransactionManager transactions, Clock clock) {
        super(jdbc, transactions, clock, NAME, VERSION, "stat_dirty_victim");
        JdbcTemplate cursor = new JdbcTemplate(dataSource);
        cursor.setFetchSize(5_000);
        this.streaming = JdbcClient.create(cursor);
        this.dataSource = dataSource;
    }

    /**
     * The kept concerns of the area's agencies by child: {@code placed} when one was raised within the period (every
     * one, without a period), and a row also for a child none of whose concerns can be placed in or out of it (the
     * unplaced); the placed with their kept facts.
     */
    static final String KEPT =
            """
            WITH concerned AS (
              SELECT vc.child, bool_or(coalesce(%2$s, false)) AS placed, bool_or(%3$s) AS possible
              FROM stat_victim_concern vc JOIN agency a ON a.id = vc.agency_id
              WHERE %1$s
              GROUP BY vc.child)
            SELECT c.child AS victim, c.placed, k.*
            FROM concerned c LEFT JOIN stat_victim_child k ON c.placed AND k.child = c.child
            WHERE c.placed OR c.possible"""
                    .formatted(Profiles.AREA_SQL, Profiles.raisedWithin("vc"), Profiles.mayBeWithin("vc"));

    /**
     * Hands every child the query counts to {@code out}, from the kept rows, and returns how many of the area could not
     * be placed in or out of the period; empty (nothing handed) when the rows are not current, and the caller gathers
     * from the records.
     */
    OptionalLong subjects(ProfileQuery q, Consumer<ProfileSubject> out) {
        if (!current()) {
            return OptionalLong.empty();
        }
        long[] unplaced = {0};
        jdbc.sql(KEPT).params(Profiles.params(q)).query(rs -> {
            if (!rs.getBoolean("placed")) {
                unplaced[0]++;
            } else if (rs.getObject("child") == null) { // written with its concerns, in one transaction
                throw new IllegalStateException("kept concerns without kept facts for child " + rs.getLong("victim"));
            } else {
                out.accept(subject(rs));
            }
        });
        return OptionalLong.of(unplaced[0]);
    }

    private static ProfileSubject subject(ResultSet rs) throws SQLException {
        Map<String, String> settled = new LinkedHashMap<>();
        for (String d : SETTLED) {
            settled.put(d, rs.getString(d));
        }
        Map<String, List<String>> conflicting = new LinkedHashMap<>();
        String conflicts = rs.getString("conflicts");
        if (!conflicts.isEmpty()) {
            for (String c : conflicts.split(";")) {
                int eq = c.indexOf('=');
                conflicting.put(c.substring(0, eq), List.of(c.substring(eq + 1).split("\\|")));
            }
        }
        String kept = rs.getString("dobs");
        List<Integer[]> dobs = new ArrayList<>();
        for (int i = 0; i < kept.length(); i += 9) {
            int dob = Integer.parseInt(kept, i, i + 8, 10);
            dobs.add(new Integer[] {dob / 10_000, orNull(dob / 100 % 100), orNull(dob % 100)});
        }
        Timestamp first = rs.getTimestamp("first_episode_at");
        return new ProfileSubject(
                rs.getLong("child"),
                rs.getInt("records"),
                settled,
                conflicting,
                rs.getString("recorded_missing"),
                first == null ? null : first.toInstant(),
                dobs);
    }

    private static Integer orNull(int part) {
        return part == 0 ? null : part;
    }

    private static int orZero(Integer part) {
        return part == null ? 0 : part;
    }

    @Override
    protected long writeAll() {
        jdbc.sql("TRUNCATE stat_victim_child, stat_victim_concern").update();
        jdbc.sql("INSERT INTO stat_victim_concern " + CONCERNS).update();
        // Every victim's records through a cursor: plan for all of them, not for the first tenth.
        jdbc.sql("SET LOCAL cursor_tuple_fraction = 1.0").update();
        return write(
                "WITH victims AS (SELECT DISTINCT child FROM stat_victim_concern),\n" + Profiles.VICTIM_RECORDS,
                Map.of());
    }

    /** Each concern under its record's child. */
    private static final String CONCERNS = "SELECT coalesce(pr.identity_id, -pr.id), c.agency_id, c.raised_from,"
            + " c.raised_until FROM exploitation_concern c JOIN person_record pr ON pr.id = c.person_record_id";

    @Override
    protected void rewrite(Long[] children) {
        jdbc.sql("DELETE FROM stat_victim_child WHERE child = ANY(?)")
                .param(children)
                .update();
        jdbc.sql("DELETE FROM stat_victim_concern WHERE child = ANY(?)")
                .param(children)
                .update();
        // Their concerns now: the children with any are the victims among them.
        jdbc.sql("INSERT INTO stat_victim_concern " + CONCERNS + " WHERE pr.identity_id = ANY(:identities)"
                        + " UNION ALL " + CONCERNS + " WHERE pr.identity_id IS NULL AND pr.id = ANY(:records)")
                .param("identities", identities(children))
                .param("records", records(children))
                .update();
        write(
                "WITH victims AS (SELECT DISTINCT child FROM stat_victim_concern WHERE child = ANY(:children)),\n"
                        + Profiles.VICTIM_RECORDS,
                Map.of("children", children));
    }

    /**
     * Gathers the children of {@code sql} and writes their rows; returns how many. Gathered first, written after: the
     * COPY goes over the connection the cursor reads on.
     */
    private long write(String sql, Map<String, ?> params) {
        List<ProfileSubject> subjects = new ArrayList<>();
        Profiles.gather(streaming, ProfileKind.VICTIM, sql, params, subjects::add);
        try (CopyIn out = new CopyIn(dataSource, "stat_victim_child (" + COLUMNS + ")")) {
            subjects.forEach(s -> line(out.line(), s));
        }
        return subjects.size();
    }

    /** One row in COPY's text format: the codes and values hold no tabs, newlines, backslashes, ';' or '='. */
    private static void line(StringBuilder b, ProfileSubject s) {
        b.append(s.id()).append('\t').append(s.records());
        for (String d : SETTLED) {
            b.append('\t').append(s.settled().get(d));
        }
        b.append('\t').append(s.recordedMissing());
        b.append('\t')
                .append(s.firstEpisode() == null ? "\\N" : s.firstEpisode().toString());
        b.append('\t');
        String sep = "";
        for (Integer[] dob : s.dobs()) {
            b.append(sep).append(dob[0] * 10_000 + orZero(dob[1]) * 100 + orZero(dob[2])); // years have four digits
            sep = " ";
        }
        b.append('\t');
        sep = "";
        for (Map.Entry<String, List<String>> c : s.conflicting().entrySet()) {
            b.append(sep).append(c.getKey()).append('=').append(String.join("|", c.getValue()));
            sep = ";";
        }
    }
}
