package org.sightline.alert;

import de.siegmar.fastcsv.writer.CsvWriter;
import de.siegmar.fastcsv.writer.LineDelimiter;
import java.io.StringWriter;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.sightline.access.SightlineUser;
import org.sightline.audit.AuditEntry;
import org.sightline.audit.AuditLog;
import org.sightline.shared.ClockConfiguration;
import org.sightline.shared.CsvCells;
import org.springframework.context.MessageSource;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The ranked list of children for an area's multi-agency exploitation meeting (MACE/MASE, DOMAIN.md section 3): the
 * children the user's agency was alerted about in the period, optionally only those whose responsible or host
 * authority is the chosen area, each ranked by what was raised — every distinct rule adds its weight (places and
 * adults of concern and significant screenings weigh most), every further alert of the same rule adds one — with
 * those reasons beside the rank. Alerts the agency dismissed do not count. Only the agency's own alerts: the list
 * opens nothing the inbox does not.
 */
@Service
public class MeetingList {

    static final int DEFAULT_DAYS = 90;

    private final JdbcClient jdbc;
    private final AuditLog audit;
    private final MessageSource messages;
    private final Clock clock;

    MeetingList(JdbcClient jdbc, AuditLog audit, MessageSource messages, Clock clock) {
        this.jdbc = jdbc;
        this.audit = audit;
        this.messages = messages;
        this.clock = clock;
    }

    /** A rule's part in a child's rank. */
    public record Reason(String rule, int alerts, int points, Instant latest, String latestExplanation) {}

    public record Child(int rank, UUID child, String name, int score, List<Reason> reasons, Instant latest) {}

    /** An area to filter by: an authority named on the children's records. */
    public record Area(String code, String name) {}

    public record Meeting(LocalDate from, LocalDate to, String area, List<Area> areas, List<Child> children) {}

    @Transactional
    public Meeting forUser(SightlineUser user, LocalDate from, LocalDate to, String area) {
        LocalDate today = LocalDate.ofInstant(clock.instant(), ClockConfiguration.DISPLAY_ZONE);
        LocalDate end = to == null ? today : to;
        LocalDate start = from == null ? end.minusDays(DEFAULT_DAYS) : from;
        Instant startAt = start.atStartOfDay(ClockConfiguration.DISPLAY_ZONE).toInstant();
        Instant endAt =
                end.plusDays(1).atStartOfDay(ClockConfiguration.DISPLAY_ZONE).toInstant();
        List<Area> areas = jdbc.sql(
                        """
                SELECT DISTINCT ag.code, ag.name FROM alert_recipient r JOIN alert a ON a.id = r.alert_id
                JOIN person_record anchor ON anchor.id = a.person_record_id
                JOIN person_record x ON x.identity_id = anchor.identity_id OR x.id = anchor.id
                LEFT JOIN person_placement p ON p.person_record_id = x.id
                JOIN agency ag ON ag.code = x.responsible_authority OR ag.code = p.host_authority
                WHERE r.agency_id = ? AND a.raised_at >= ? AND a.raised_at < ? ORDER BY ag.name""")
                .params(user.agencyId(), Timestamp.from(startAt), Timestamp.from(endAt))
                .query((rs, n) -> new Area(rs.getString(1), rs.getString(2)))
                .list();
        String chosen = areas.stream().anyMatch(a -> a.code().equals(area)) ? area : "";
        record AlertRow(UUID child, String name, String rule, int weight, Instant raised, String key, String[] args) {}
        List<AlertRow> alerts = jdbc.sql(
                        """
                SELECT i.public_id, (SELECT nullif(trim(coalesce(x.given_name, '') || ' ' || coalesce(x.family_name, '')), '')
                                     FROM person_record x WHERE x.identity_id = anchor.identity_id
                                     ORDER BY (x.agency_id = :agencyId) DESC, x.id LIMIT 1),
                       a.rule, a.weight, a.raised_at, a.message_key, a.message_args
                FROM alert_recipient r JOIN alert a ON a.id = r.alert_id
                JOIN person_record anchor ON anchor.id = a.person_record_id
                JOIN identity i ON i.id = anchor.identity_id
                WHERE r.agency_id = :agencyId AND r.state <> 'dismissed' AND a.raised_at >= :from AND a.raised_at < :to
                  AND (:area = '' OR EXISTS (
                      SELECT 1 FROM person_record x LEFT JOIN person_placement p ON p.person_record_id = x.id
                      WHERE x.identity_id = anchor.identity_id
                        AND (x.responsible_authority = :area OR p.host_authority = :area)))
                ORDER BY a.raised_at""")
                .param("agencyId", user.agencyId())
                .param("from", Timestamp.from(startAt))
                .param("to", Timestamp.from(endAt))
                .param("area", chosen)
                .query((rs, n) -> new AlertRow(
                        rs.getObject(1, UUID.class),
                        rs.getString(2),
                        rs.getString(3),
                        rs.getInt(4),
                        rs.getTimestamp(5).toInstant(),
                        rs.getString(6),
                        (String[]) rs.getArray(7).getArray()))
                .list();
        Map<UUID, Map<String, List<AlertRow>>> byChild = new LinkedHashMap<>();
        for (AlertRow a : alerts) {
            byChild.computeIfAbsent(a.child(), k -> new LinkedHashMap<>())
                    .computeIfAbsent(a.rule(), k -> new ArrayList<>())
                    .add(a);
        }
        List<Child> ranked = new ArrayList<>();
        for (Map.Entry<UUID, Map<String, List<AlertRow>>> c : byChild.entrySet()) {
            List<Reason> reasons = new ArrayList<>();
            String name = null;
            for (List<AlertRow> rows : c.getValue().values()) {
                AlertRow last = rows.get(rows.size() - 1);
                name = Objects.requireNonNullElse(name, last.name());
                reasons.add(new Reason(
                        last.rule(),
                        rows.size(),
                        last.weight() + rows.size() - 1,
                        last.raised(),
                        messages.getMessage(
                                last.key(),
                                Words.inLanguage(last.args(), LocaleContextHolder.getLocale()),
                                LocaleContextHolder.getLocale())));
            }
            reasons.sort(Comparator.comparingInt(Reason::points).reversed().thenComparing(Reason::rule));
            ranked.add(new Child(
                    0,
                    c.getKey(),
                    name,
                    reasons.stream().mapToInt(Reason::points).sum(),
                    reasons,
                    reasons.stream()
                            .map(Reason::latest)
                            .max(Comparator.naturalOrder())
                            .orElseThrow()));
        }
        ranked.sort(Comparator.comparingInt(Child::score)
                .reversed()
                .thenComparing(Child::latest, Comparator.reverseOrder()));
        List<Child> numbered = new ArrayList<>();
        for (int i = 0; i < ranked.size(); i++) {
            Child c = ranked.get(i);
            numbered.add(new Child(i + 1, c.child(), c.name(), c.score(), c.reasons(), c.latest()));
        }
        audit.record(AuditEntry.of(user.username(), user.agencyCode(), "LIST", "meeting_list", null)
                .withDetails("from=" + start + ";to=" + end + ";area=" + chosen + ";children=" + numbered.size()));
        return new Meeting(start, end, chosen, areas, numbered);
    }

    /** The list as CSV for the meeting's papers, audited as an export. */
    @Transactional
    public String exportCsv(SightlineUser user, LocalDate from, LocalDate to, String area) {
        Meeting meeting = forUser(user, from, to, area);
        audit.record(AuditEntry.of(user.username(), user.agencyCode(), "EXPORT", "meeting_list", null)
                .withDetails("from=" + meeting.from() + ";to=" + meeting.to() + ";area=" + meeting.area() + ";children="
                        + meeting.children().size()));
        return csv(meeting);
    }

    /** Every cell neutralised against spreadsheet formulas. */
    String csv(Meeting meeting) {
        StringWriter out = new StringWriter();
        try (CsvWriter csv =
                CsvWriter.builder().lineDelimiter(LineDelimiter.CRLF).build(out)) {
            csv.writeRecord(List.of(
                    text("meeting.csv.rank"),
                    text("meeting.csv.child"),
                    text("meeting.csv.score"),
                    text("meeting.csv.reasons"),
                    text("meeting.csv.latest")));
            for (Child c : meeting.children()) {
                String reasons = String.join(
                        " | ",
                        c.reasons().stream()
                                .map(r -> text("alert.rule." + r.rule() + ".name") + " (" + r.alerts() + "): "
                                        + r.latestExplanation())
                                .toList());
                csv.writeRecord(CsvCells.neutralise(List.of(
                        Integer.toString(c.rank()),
                        Objects.requireNonNullElse(c.name(), ""),
                        Integer.toString(c.score()),
                        reasons,
                        Words.inLanguage(Words.date(c.latest()), LocaleContextHolder.getLocale()))));
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out.toString();
    }

    private String text(String key) {
        return messages.getMessage(key, null, LocaleContextHolder.getLocale());
    }
}
