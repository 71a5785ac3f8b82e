package org.sightline.network;

import de.siegmar.fastcsv.writer.CsvWriter;
import de.siegmar.fastcsv.writer.LineDelimiter;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.sightline.access.SightlineUser;
import org.sightline.alert.MeetingList;
import org.sightline.audit.AuditEntry;
import org.sightline.audit.AuditLog;
import org.sightline.shared.ClockConfiguration;
import org.sightline.shared.CsvCells;
import org.sightline.web.DisplayTime;
import org.springframework.context.MessageSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The VOLT meeting pack (DOMAIN.md section 3) for an area and period: victims (the alert meeting list's ranked
 * children when the user's agency has alerts in the period, else the children the pack's places and adults link),
 * offenders (adults of concern linked to several children, with what else they are linked to), locations (place
 * hotspots) and themes (concern indicators counted by month, with the trend). Everything is shown by the network
 * pages' rules: a child the user may not open is "a child known to X"; an adult is named only to the agency holding
 * the record.
 */
@Service
class MeetingPack {

    /** A victim: the label the user may see, the child page when they may open it, the score and the reasons. */
    record Victim(int rank, String label, String link, int score, List<String> reasons) {}

    /** Something else an offender is linked to. */
    record Link(String type, String label, String recordedBy, java.time.Instant at) {}

    record Offender(Hotspots.Hotspot hotspot, List<Link> links) {}

    /** A theme: an indicator's count per month of the period (oldest first), its total and its trend. */
    record Theme(String code, List<Integer> byMonth, int total, String trend) {}

    record Pack(
            Period period,
            String area,
            boolean fromAlerts,
            List<Victim> victims,
            List<Offender> offenders,
            List<Hotspots.Hotspot> locations,
            List<YearMonth> months,
            List<Theme> themes) {

        /** The locations drawn where they are. */
        public HotspotMap map() {
            return HotspotMap.of(locations);
        }
    }

    static final int LINKS_PER_OFFENDER = 10;

    private final Hotspots hotspots;
    private final MeetingList meetingList;
    private final NetworkNodes nodes;
    private final GraphExport export;
    private final JdbcClient jdbc;
    private final AuditLog audit;
    private final MessageSource messages;
    private final DisplayTime time;

    MeetingPack(
            Hotspots hotspots,
            MeetingList meetingList,
            NetworkNodes nodes,
            GraphExport export,
            JdbcClient jdbc,
            AuditLog audit,
            MessageSource messages,
            DisplayTime time) {
        this.hotspots = hotspots;
        this.meetingList = meetingList;
        this.nodes = nodes;
        this.export = export;
        this.jdbc = jdbc;
        this.audit = audit;
        this.messages = messages;
        this.time = time;
    }

    @Transactional
    Pack build(SightlineUser user, String area, Period period, Locale locale) {
        String areaCode = area == null || area.isBlank() ? null : area.strip();
        List<Hotspots.Hotspot> places = hotspots.rank(user, Hotspots.Kind.PLACES, areaCode, period);
        List<Hotspots.Hotspot> adults = hotspots.rank(user, Hotspots.Kind.ADULTS, areaCode, period);
        MeetingList.Meeting meeting =
                meetingList.forUser(user, period.from(), period.to(), areaCode == null ? "" : areaCode);
        List<Victim> victims = new ArrayList<>();
        // The meeting list filters by an authority named on the children's records: for any other area (a force,
        // say) its children are not known to be the area's, and the pack falls back to the network's links.
        boolean fromAlerts = !meeting.children().isEmpty() && (areaCode == null || areaCode.equals(meeting.area()));
        if (fromAlerts) {
            for (MeetingList.Child c : meeting.children()) {
                victims.add(new Victim(
                        c.rank(),
                        c.name() == null ? messages.getMessage("network.node.unnamed.child", null, locale) : c.name(),
                        "/children/" + c.child(),
                        c.score(),
                        c.reasons().stream()
                                .map(r -> messages.getMessage("alert.rule." + r.rule() + ".name", null, locale) + " ("
                                        + r.alerts() + "): " + r.latestExplanation())
                                .toList()));
            }
        } else {
            victims = linkedChildren(places, adults, locale);
        }
        List<Offender> offenders = new ArrayList<>();
        Map<Long, List<Link>> links = adultLinks(user, adults, locale);
        for (Hotspots.Hotspot h : adults) {
            offenders.add(new Offender(h, links.getOrDefault(h.node().key().id(), List.of())));
        }
        List<YearMonth> months = new ArrayList<>();
        for (YearMonth m = YearMonth.from(period.from());
                !m.isAfter(YearMonth.from(period.to()));
                m = m.plusMonths(1)) {
            months.add(m);
        }
        List<Theme> themes = themes(areaCode, period, months);
        audit.record(AuditEntry.of(user.username(), user.agencyCode(), "VIEW_MEETING_PACK", "network", null)
                .withDetails("area=" + (areaCode == null ? "all" : areaCode) + ";from=" + period.from() + ";to="
                        + period.to() + ";victims=" + victims.size() + ";offenders=" + offenders.size() + ";places="
                        + places.size()));
        return new Pack(period, areaCode, fromAlerts, victims, offenders, places, months, themes);
    }

    /**
     * Without alerts: the children the pack's places and adults link, ranked by how many of them each is linked to,
     * each shown as the user may see them.
     */
    private List<Victim> linkedChildren(List<Hotspots.Hotspot> places, List<Hotspots.Hotspot> adults, Locale locale) {
        Map<NetworkNodes.Key, List<String>> reasons = new LinkedHashMap<>();
        Map<NetworkNodes.Key, NetworkNodes.Node> shown = new HashMap<>();
        for (Hotspots.Hotspot h : concat(places, adults)) {
            String what = export.label(h.node(), locale);
            for (NetworkNodes.Node c : h.childNodes()) {
                reasons.computeIfAbsent(c.key(), k -> new ArrayList<>())
                        .add(messages.getMessage(
                                "network.pack.linkedTo." + h.node().key().kind(), new Object[] {what}, locale));
                shown.put(c.key(), c);
            }
        }
        List<Map.Entry<NetworkNodes.Key, List<String>>> ranked = new ArrayList<>(reasons.entrySet());
        ranked.sort(Comparator.comparingInt((Map.Entry<NetworkNodes.Key, List<String>> e) ->
                        e.getValue().size())
                .reversed());
        List<Victim> out = new ArrayList<>();
        for (Map.Entry<NetworkNodes.Key, List<String>> e : ranked) {
            NetworkNodes.Node c = shown.get(e.getKey());
            out.add(new Victim(
                    out.size() + 1,
                    export.label(c, locale),
                    c.full() ? c.link() : null,
                    e.getValue().size(),
                    e.getValue()));
        }
        return out;
    }

    private static <T> List<T> concat(List<T> a, List<T> b) {
        List<T> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    /** What each adult is linked to besides children: places, vehicles, phones and other adults, latest first. */
    private Map<Long, List<Link>> adultLinks(SightlineUser user, List<Hotspots.Hotspot> adults, Locale locale) {
        Map<Long, List<Link>> out = new HashMap<>();
        if (adults.isEmpty()) {
            return out;
        }
        record Row(long adult, String type, String otherKind, long otherId, String agency, java.time.Instant at) {}
        Long[] ids = adults.stream().map(h -> h.node().key().id()).toArray(Long[]::new);
        List<Row> rows = jdbc.sql(
                        """
                SELECT CASE WHEN x.from_kind = 'adult' AND x.from_id = ANY(:ids) THEN x.from_id ELSE x.to_id END AS adult,
                       x.association_type,
                       CASE WHEN x.from_kind = 'adult' AND x.from_id = ANY(:ids) THEN x.to_kind ELSE x.from_kind END AS other_kind,
                       CASE WHEN x.from_kind = 'adult' AND x.from_id = ANY(:ids) THEN x.to_id ELSE x.from_id END AS other_id,
                       ag.name, coalesce(x.observed_at, x.created_at) AS at
                FROM association x JOIN agency ag ON ag.id = x.agency_id
                WHERE ((x.from_kind = 'adult' AND x.from_id = ANY(:ids)
                        AND x.to_kind IN ('adult', 'location', 'vehicle', 'phone'))
                    OR (x.to_kind = 'adult' AND x.to_id = ANY(:ids)
                        AND x.from_kind IN ('adult', 'location', 'vehicle', 'phone')))
                  AND x.ended_at IS NULL
                ORDER BY at DESC, x.id""")
                .param("ids", ids)
                .query((rs, n) -> new Row(
                        rs.getLong(1),
                        rs.getString(2),
                        rs.getString(3),
                        rs.getLong(4),
                        rs.getString(5),
                        rs.getTimestamp(6).toInstant()))
                .list();
        // A recording of a place stands for the place.
        Map<Long, Long> placeOf = new HashMap<>();
        Long[] locations = rows.stream()
                .filter(r -> r.otherKind().equals("location"))
                .map(Row::otherId)
                .toArray(Long[]::new);
        if (locations.length > 0) {
            jdbc.sql("SELECT id, place_id FROM location WHERE id = ANY(?)")
                    .param(locations)
                    .query((rs, n) -> placeOf.put(rs.getLong(1), rs.getLong(2)))
                    .list();
        }
        Set<NetworkNodes.Key> keys = new LinkedHashSet<>();
        for (Row r : rows) {
            keys.add(key(r.otherKind(), r.otherId(), placeOf));
        }
        Map<NetworkNodes.Key, NetworkNodes.Node> described = nodes.describe(user, keys);
        for (Row r : rows) {
            List<Link> list = out.computeIfAbsent(r.adult(), a -> new ArrayList<>());
            if (list.size() < LINKS_PER_OFFENDER) {
                NetworkNodes.Node n = described.get(key(r.otherKind(), r.otherId(), placeOf));
                list.add(new Link(
                        export.type(r.type(), locale),
                        export.kind(n.key().kind(), locale) + ": " + export.label(n, locale),
                        r.agency(),
                        r.at()));
            }
        }
        return out;
    }

    private static NetworkNodes.Key key(String kind, long id, Map<Long, Long> placeOf) {
        return kind.equals("location") ? NetworkNodes.Key.of("place", placeOf.get(id)) : NetworkNodes.Key.of(kind, id);
    }

    /**
     * Concern indicators in the period by the month the concern was raised, for concerns raised by an agency of the
     * area (or everywhere). Trend: the later half of the months against the earlier half.
     */
    private List<Theme> themes(String area, Period period, List<YearMonth> months) {
        record Count(String code, YearMonth month, int n) {}
        List<Count> counts = jdbc.sql(
                        """
                SELECT i.code, to_char(c.raised_at AT TIME ZONE :zone, 'YYYY-MM'), count(*)::int
                FROM exploitation_concern c JOIN agency ag ON ag.id = c.agency_id
                CROSS JOIN LATERAL unnest(c.indicators) AS i(code)
                WHERE c.raised_at >= :start AND c.raised_at < :end
                  AND (CAST(:area AS text) IS NULL OR ag.code = :area OR ag.area_code = :area)
                GROUP BY 1, 2""")
                .param("zone", ClockConfiguration.DISPLAY_ZONE.getId())
                .param("start", NetworkService.ts(period.start()))
                .param("end", NetworkService.ts(period.end()))
                .param("area", area)
                .query((rs, n) -> new Count(rs.getString(1), YearMonth.parse(rs.getString(2)), rs.getInt(3)))
                .list();
        Map<String, int[]> byCode = new HashMap<>();
        for (Count c : counts) {
            int i = months.indexOf(c.month());
            if (i >= 0) {
                byCode.computeIfAbsent(c.code(), k -> new int[months.size()])[i] += c.n();
            }
        }
        List<Theme> out = new ArrayList<>();
        int half = months.size() / 2;
        for (Map.Entry<String, int[]> e : byCode.entrySet()) {
            int[] m = e.getValue();
            int earlier = 0;
            int later = 0;
            int total = 0;
            for (int i = 0; i < m.length; i++) {
                total += m[i];
                if (i < half) {
                    earlier += m[i];
                } else if (i >= m.length - half) {
                    later += m[i];
                }
            }
            String trend = half == 0 ? "single" : later > earlier ? "rising" : later < earlier ? "falling" : "steady";
            out.add(new Theme(e.getKey(), java.util.Arrays.stream(m).boxed().toList(), total, trend));
        }
        out.sort(Comparator.comparingInt(Theme::total).reversed().thenComparing(Theme::code));
        return out;
    }

    /** The pack as CSV, one section per VOLT heading, every cell neutralised against spreadsheet formulas. */
    String csv(Pack pack, Locale locale) {
        StringWriter out = new StringWriter();
        try (CsvWriter csv =
                CsvWriter.builder().lineDelimiter(LineDelimiter.CRLF).build(out)) {
            csv.writeRecord(List.of("section", "rank", "what", "score_or_children", "reasons_or_links"));
            for (Victim v : pack.victims()) {
                row(csv, "victims", v.rank(), v.label(), v.score(), String.join(" | ", v.reasons()));
            }
            for (Offender o : pack.offenders()) {
                row(
                        csv,
                        "offenders",
                        o.hotspot().rank(),
                        export.label(o.hotspot().node(), locale),
                        o.hotspot().children(),
                        String.join(
                                " | ",
                                concat(
                                        reasons(o.hotspot(), locale),
                                        o.links().stream()
                                                .map(l -> l.type() + " " + l.label() + " (" + l.recordedBy() + ", "
                                                        + time.format(l.at()) + ")")
                                                .toList())));
            }
            for (Hotspots.Hotspot h : pack.locations()) {
                row(
                        csv,
                        "locations",
                        h.rank(),
                        export.label(h.node(), locale),
                        h.children(),
                        String.join(" | ", reasons(h, locale)));
            }
            int rank = 0;
            for (Theme t : pack.themes()) {
                List<String> months = new ArrayList<>();
                for (int i = 0; i < pack.months().size(); i++) {
                    months.add(pack.months().get(i) + ": " + t.byMonth().get(i));
                }
                months.add(messages.getMessage("network.pack.trend." + t.trend(), null, locale));
                row(
                        csv,
                        "themes",
                        ++rank,
                        messages.getMessage("indicator." + t.code(), null, t.code(), locale),
                        t.total(),
                        String.join(" | ", months));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private static void row(CsvWriter csv, String section, int rank, String what, int score, String rest) {
        csv.writeRecord(CsvCells.neutralise(
                List.of(section, Integer.toString(rank), what == null ? "" : what, Integer.toString(score), rest)));
    }

    /** A hotspot's reasons in words, for the hotspots page, the pack and its CSV. */
    public List<String> reasons(Hotspots.Hotspot h, Locale locale) {
        return h.reasons().stream()
                .map(r -> r.key().equals("network.reason.recent")
                        ? messages.getMessage(
                                r.key(), new Object[] {time.format((java.time.Instant) r.args()[0])}, locale)
                        : messages.getMessage(r.key(), r.args(), locale))
                .toList();
    }

    /** The pack as CSV for the meeting's papers, audited as an export. */
    @Transactional
    public String exportCsv(SightlineUser user, String area, Period period, Locale locale) {
        Pack pack = build(user, area, period, locale);
        audit.record(AuditEntry.of(user.username(), user.agencyCode(), "EXPORT", "meeting_pack", null)
                .withDetails("area=" + (pack.area() == null ? "all" : pack.area()) + ";from="
                        + pack.period().from() + ";to=" + pack.period().to()));
        return csv(pack, locale);
    }
}
