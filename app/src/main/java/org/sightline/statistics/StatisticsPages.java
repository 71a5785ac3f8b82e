package org.sightline.statistics;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.sightline.access.AgencyScope;
import org.sightline.access.Roles;
import org.sightline.access.SightlineUser;
import org.sightline.audit.AuditEntry;
import org.sightline.audit.AuditLog;
import org.sightline.shared.Disclosure;
import org.sightline.web.DisplayTime;
import org.springframework.context.MessageSource;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/** Turns the figures into the tables the pages show and the CSV downloads write (one source for both). */
@Component
class StatisticsPages {

    static final List<String> VIEWS = List.of("victims", "adults", "missing", "reconciliation", "data-quality");

    private final Reports reports;
    private final Reconciliation reconciliation;
    private final DataQuality quality;
    private final MissingStatistics missing;
    private final MissingAggregate aggregate;
    private final Conflicts conflicts;
    private final ReportWriter writer;
    private final MessageSource messages;
    private final AgencyScope scope;
    private final AuditLog audit;
    private final DisplayTime time;
    private final JdbcClient jdbc;

    StatisticsPages(
            Reports reports,
            Reconciliation reconciliation,
            DataQuality quality,
            MissingStatistics missing,
            MissingAggregate aggregate,
            Conflicts conflicts,
            ReportWriter writer,
            MessageSource messages,
            AgencyScope scope,
            AuditLog audit,
            DisplayTime time,
            JdbcClient jdbc) {
        this.scope = scope;
        this.audit = audit;
        this.time = time;
        this.jdbc = jdbc;
        this.missing = missing;
        this.aggregate = aggregate;
        this.conflicts = conflicts;
        this.reports = reports;
        this.reconciliation = reconciliation;
        this.quality = quality;
        this.writer = writer;
        this.messages = messages;
    }

    /**
     * What a view shows: a line under the heading, its tables, the conflicting children (for those entitled, else
     * null), the links to the children behind each reconciliation row (for those entitled, else null) and a note of
     * what the figures could not count (else null).
     */
    record View(
            String summary, List<StatTable> tables, List<Conflicts.Line> conflicts, List<Drill> drill, String note) {

        View(String summary, List<StatTable> tables) {
            this(summary, tables, null, null, null);
        }
    }

    /** An authority's row of the reconciliation, with a link per group to the children behind it. */
    record Drill(String authority, String code, List<String> groups) {}

    /**
     * The children behind one reconciliation row and group, as a table whose first cell links to the child:
     * {@code children} the public ids in row order; {@code hidden} how many more the user's agency may not open.
     */
    record ChildList(String authority, StatTable table, List<UUID> children, int hidden) {}

    /** The name of an area code (country, region, force area, authority) or agency code, when known. */
    String areaName(String code) {
        if (code == null) {
            return null;
        }
        return jdbc.sql(
                        """
                SELECT name FROM statistics_area WHERE code = :code
                UNION ALL SELECT name FROM agency WHERE code = :code LIMIT 1""")
                .param("code", code)
                .query(String.class)
                .optional()
                .orElse(null);
    }

    /** Who may see the children behind a figure: supervisors, and only the children their agency works with. */
    static boolean entitled(SightlineUser user) {
        return user != null && user.hasRole(Roles.SUPERVISOR);
    }

    /** {@code user}: given when the user is entitled to the list of conflicting children (else null). */
    View view(String view, ProfileQuery q, String actor, String agency, SightlineUser user) {
        return switch (view) {
            case "victims" -> profile(ProfileKind.VICTIM, q, actor, agency, user);
            case "adults" -> profile(ProfileKind.ADULT, q, actor, agency, null);
            default -> tables(view, q, true, entitled(user));
        };
    }

    /**
     * The views that are tables of figures (missing, reconciliation, data-quality), published ({@code suppress}) or
     * exact for the offline report; {@code drill}: add the links to the children behind the reconciliation.
     */
    View tables(String view, ProfileQuery q, boolean suppress, boolean drill) {
        return switch (view) {
            case "missing" -> missing(q, suppress);
            case "reconciliation" -> reconciliation(q, drill, suppress);
            default -> dataQuality(q);
        };
    }

    private static boolean[] hide(long[] values, List<int[]> groups, boolean suppress) {
        return suppress ? Disclosure.suppress(values, groups) : new boolean[values.length];
    }

    private View profile(ProfileKind kind, ProfileQuery q, String actor, String agency, SightlineUser user) {
        PublishedProfile p = reports.profile(kind, q, false, actor, agency);
        List<StatTable> tables = new ArrayList<>();
        for (Map.Entry<String, List<PublishedProfile.Row>> d : p.dimensions().entrySet()) {
            List<List<String>> rows = new ArrayList<>();
            for (PublishedProfile.Row r : d.getValue()) {
                rows.add(List.of(
                        writer.codeLabel(d.getKey(), r.code()), r.count().text(), r.percent()));
            }
            tables.add(new StatTable(
                    d.getKey(),
                    msg("statistics.dimension." + d.getKey()),
                    List.of(
                            msg("statistics.column.value"),
                            msg("statistics.column.count"),
                            msg("statistics.column.percent")),
                    rows,
                    1,
                    null));
        }
        return new View(
                msg(
                        "statistics.countedOnce." + kind.subjectKey(),
                        p.subjects().text(),
                        p.records().text()),
                tables,
                user == null ? null : conflicts.visible(user, p.profile()),
                null,
                p.unplaced().value() == 0
                        ? null
                        : msg(
                                "statistics.unplacedNote." + kind.subjectKey(),
                                p.unplaced().text()));
    }

    private View missing(ProfileQuery q, boolean suppress) {
        MissingStatistics.Figures f = aggregate.figures(q).orElseGet(() -> missing.figures(q));
        List<StatTable> tables = new ArrayList<>();
        long[] head = {f.records(), f.incidents(), f.children(), f.repeatChildren()};
        boolean[] hidden = hide(head, List.of(), suppress);
        List<List<String>> rows = new ArrayList<>();
        String[] names = {"records", "incidents", "children", "repeatChildren"};
        for (int i = 0; i < head.length; i++) {
            rows.add(List.of(
                    msg("statistics.missing." + names[i]), hidden[i] ? Disclosure.SUPPRESSED : Long.toString(head[i])));
        }
        rows.add(List.of(
                msg("statistics.missing.repeatRate"),
                hidden[2] || hidden[3]
                        ? Disclosure.SUPPRESSED
                        : PublishedProfile.percent(f.repeatChildren(), f.children())));
        rows.add(List.of(
                msg("statistics.missing.perChild"),
                hidden[1] || hidden[2]
                        ? Disclosure.SUPPRESSED
                        : f.children() == 0
                                ? "0.0"
                                : String.format(Locale.ROOT, "%.1f", (double) f.incidents() / f.children())));
        tables.add(new StatTable(
                        "overview",
                        msg("statistics.missing.overview"),
                        List.of(msg("statistics.missing.measure"), msg("statistics.missing.value")),
                        rows,
                        null,
                        msg("statistics.missing.overview.note"))
                .withCodes(
                        List.of(
                                "records",
                                "incidents",
                                "children",
                                "repeat_children",
                                "repeat_rate_percent",
                                "incidents_per_child"),
                        List.of("value")));
        tables.add(oneWay("duration", "statistics.missing.duration", f.durations(), f.incidents(), suppress));
        tables.add(oneWay("from", "statistics.missing.from", f.from(), f.incidents(), suppress));
        tables.add(grid("category", f.categories(), suppress));
        tables.add(oneWay("grades", "statistics.missing.grades", f.grades(), sum(f.grades()), suppress));
        tables.add(oneWay("found", "statistics.missing.foundBy", f.foundBy(), sum(f.foundBy()), suppress));
        tables.add(
                oneWay("interviews", "statistics.missing.interviews", f.interviews(), sum(f.interviews()), suppress));
        return new View(
                msg(
                        "statistics.missing.summary",
                        hidden[1] ? Disclosure.SUPPRESSED : Long.toString(f.incidents()),
                        hidden[2] ? Disclosure.SUPPRESSED : Long.toString(f.children())),
                tables);
    }

    private static long sum(Map<String, Long> counts) {
        return counts.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Codes with count and per cent of {@code total}, suppressed with the total as one group. */
    private StatTable oneWay(String id, String captionKey, Map<String, Long> counts, long total, boolean suppress) {
        long[] v = new long[counts.size() + 1];
        int[] group = new int[v.length];
        v[0] = total;
        int i = 1;
        for (long n : counts.values()) {
            group[i] = i;
            v[i++] = n;
        }
        boolean[] hidden = hide(v, List.<int[]>of(group), suppress);
        List<List<String>> rows = new ArrayList<>();
        i = 1;
        for (Map.Entry<String, Long> e : counts.entrySet()) {
            boolean h = hidden[i++];
            rows.add(List.of(
                    msg("statistics.code." + e.getKey()),
                    h ? Disclosure.SUPPRESSED : Long.toString(e.getValue()),
                    h || hidden[0] ? Disclosure.SUPPRESSED : PublishedProfile.percent(e.getValue(), total)));
        }
        rows.add(List.of(
                msg("statistics.total.row"),
                hidden[0] ? Disclosure.SUPPRESSED : Long.toString(total),
                hidden[0] ? Disclosure.SUPPRESSED : "100.0"));
        return new StatTable(
                        id,
                        msg(captionKey),
                        List.of(
                                msg("statistics.column.value"),
                                msg("statistics.column.count"),
                                msg("statistics.column.percent")),
                        rows,
                        1,
                        null,
                        true,
                        1)
                .withCodes(codes(counts.keySet()), List.of("count", "percent"));
    }

    private static List<String> codes(java.util.Collection<String> codes) {
        List<String> out = new ArrayList<>(codes);
        out.add("TOTAL");
        return out;
    }

    /** Category by agency type, with row and column totals, suppressed over rows and columns. */
    private StatTable grid(String id, Map<String, Map<String, Long>> byRow, boolean suppress) {
        List<String> rowCodes = new ArrayList<>(byRow.keySet());
        List<String> colCodes = MissingStatistics.AGENCY_TYPES;
        int cols = colCodes.size() + 1;
        int nRows = rowCodes.size() + 1;
        long[] v = new long[nRows * cols];
        for (int r = 0; r < rowCodes.size(); r++) {
            for (int c = 0; c < colCodes.size(); c++) {
                long n = byRow.get(rowCodes.get(r)).getOrDefault(colCodes.get(c), 0L);
                v[r * cols + c] = n;
                v[r * cols + cols - 1] += n;
                v[(nRows - 1) * cols + c] += n;
                v[(nRows - 1) * cols + cols - 1] += n;
            }
        }
        List<int[]> groups = new ArrayList<>();
        for (int r = 0; r < nRows; r++) {
            int[] g = new int[cols];
            for (int c = 0; c < cols; c++) {
                g[c] = r * cols + c;
            }
            groups.add(g);
        }
        for (int c = 0; c < cols; c++) {
            int[] g = new int[nRows];
            for (int r = 0; r < nRows; r++) {
                g[r] = r * cols + c;
            }
            groups.add(g);
        }
        boolean[] hidden = hide(v, groups, suppress);
        List<List<String>> rows = new ArrayList<>();
        for (int r = 0; r < nRows; r++) {
            List<String> row = new ArrayList<>();
            row.add(r < rowCodes.size() ? msg("statistics.code." + rowCodes.get(r)) : msg("statistics.total.row"));
            for (int c = 0; c < cols; c++) {
                row.add(hidden[r * cols + c] ? Disclosure.SUPPRESSED : Long.toString(v[r * cols + c]));
            }
            rows.add(row);
        }
        List<String> columns = new ArrayList<>(List.of(msg("statistics.missing.category")));
        colCodes.forEach(c -> columns.add(msg("statistics.agencyType." + c)));
        columns.add(msg("statistics.total.row"));
        return new StatTable(
                        id,
                        msg("statistics.missing.categories"),
                        columns,
                        rows,
                        null,
                        msg("statistics.missing.categories.note"))
                .withCodes(codes(rowCodes), codes(colCodes));
    }

    /**
     * The children behind one authority's row (issue 9 part 3's drill-down), for an entitled user: those the user's
     * agency may open, pseudonymised as "Child 1", "Child 2" … with the child's public id; the listing is audited.
     */
    @Transactional
    ChildList children(ProfileQuery q, String authority, Reconciliation.Group group, SightlineUser user) {
        if (!entitled(user)) {
            throw new org.springframework.security.access.AccessDeniedException("statistics children");
        }
        String name = jdbc.sql("SELECT name FROM agency WHERE code = ? AND agency_type = 'local_authority'")
                .param(authority)
                .query(String.class)
                .optional()
                .orElseThrow(() -> new org.sightline.shared.NotFoundException("Authority"));
        List<List<String>> rows = new ArrayList<>();
        List<UUID> ids = new ArrayList<>();
        int hidden = 0;
        for (Reconciliation.Child c : reconciliation.children(q, authority, group)) {
            if (c.identityId() <= 0 || scope.childAccess(user, c.identityId()) != AgencyScope.ChildAccess.FULL) {
                hidden++;
                continue;
            }
            UUID id = jdbc.sql("SELECT public_id FROM identity WHERE id = ?")
                    .param(c.identityId())
                    .query(UUID.class)
                    .single();
            ids.add(id);
            rows.add(List.of(
                    msg("statistics.conflicts.child", ids.size()),
                    id.toString(),
                    time.date(c.firstStart()),
                    Long.toString(c.authorityEpisodes()),
                    Long.toString(c.policeEpisodes())));
        }
        audit.record(AuditEntry.of(user.username(), user.agencyCode(), "VIEW_LIST", "identity", null)
                .withDetails("statistics reconciliation " + group.code + ";authority=" + authority + ";children="
                        + ids.size()));
        StatTable table = new StatTable(
                "children",
                msg("statistics.reconciliation.children.caption." + group.code, name),
                List.of(
                        msg("statistics.reconciliation.children.child"),
                        msg("statistics.reconciliation.children.reference"),
                        msg("statistics.reconciliation.children.first"),
                        msg("statistics.reconciliation.children.authorityEpisodes"),
                        msg("statistics.reconciliation.children.policeEpisodes")),
                rows,
                null,
                null,
                false,
                3);
        return new ChildList(name + " (" + authority + ")", table, ids, hidden);
    }

    private View reconciliation(ProfileQuery q, boolean drill, boolean suppress) {
        List<Reconciliation.Line> lines = reconciliation.lines(q);
        StatTable table = new StatTable(
                        "reconciliation",
                        msg("statistics.reconciliation.caption"),
                        List.of(
                                msg("statistics.reconciliation.authorityName"),
                                        msg("statistics.reconciliation.authority"),
                                msg("statistics.reconciliation.police"), msg("statistics.reconciliation.matched"),
                                msg("statistics.reconciliation.authorityOnly"),
                                        msg("statistics.reconciliation.policeOnly")),
                        Reconciliation.published(lines, suppress, msg("statistics.total.row")),
                        null,
                        msg("statistics.reconciliation.note"))
                .withCodes(
                        codes(lines.stream().map(Reconciliation.Line::code).toList()),
                        List.of("authority", "police", "matched", "authority_only", "police_only"));
        return new View(
                msg("statistics.reconciliation.summary", lines.size()),
                List.of(table),
                null,
                drill
                        ? lines.stream()
                                .map(l -> new Drill(
                                        l.name(),
                                        l.code(),
                                        List.of(
                                                Reconciliation.Group.MATCHED.code,
                                                Reconciliation.Group.AUTHORITY_ONLY.code,
                                                Reconciliation.Group.POLICE_ONLY.code)))
                                .toList()
                        : null,
                null);
    }

    private View dataQuality(ProfileQuery q) {
        List<StatTable> tables = new ArrayList<>();
        List<String> cols = new ArrayList<>(List.of(msg("statistics.dq.agency"), msg("statistics.dq.records")));
        DataQuality.FIELDS.keySet().forEach(f -> cols.add(msg("statistics.dq.field." + f)));
        List<List<String>> rows = new ArrayList<>();
        List<String> agencies = new ArrayList<>();
        DataQuality.Report report = quality.report(q);
        for (DataQuality.Completeness c : report.completeness()) {
            agencies.add(c.code());
            List<String> row = new ArrayList<>(List.of(c.name() + " (" + c.code() + ")", Long.toString(c.records())));
            c.recorded().values().forEach(n -> row.add(PublishedProfile.percent(n, c.records())));
            rows.add(row);
        }
        tables.add(new StatTable(
                        "completeness",
                        msg("statistics.dq.completeness"),
                        cols,
                        rows,
                        null,
                        msg("statistics.dq.completeness.note"))
                .withCodes(agencies, completenessCodes()));

        List<List<String>> timely = new ArrayList<>();
        List<String> timelyAgencies = new ArrayList<>();
        for (DataQuality.Timeliness t : report.timeliness()) {
            timelyAgencies.add(t.code());
            timely.add(List.of(
                    t.name() + " (" + t.code() + ")",
                    Long.toString(t.episodes()),
                    t.medianReportDelayHours() == null
                            ? msg("statistics.code.NOT_RECORDED")
                            : String.format(Locale.ROOT, "%.1f", t.medianReportDelayHours()),
                    Long.toString(t.found()),
                    t.authority() ? Long.toString(t.interviewWithin72Hours()) : msg("statistics.notApplicable"),
                    t.authority()
                            ? PublishedProfile.percent(t.interviewWithin72Hours(), t.found())
                            : msg("statistics.notApplicable"),
                    Long.toString(t.quarantined())));
        }
        tables.add(new StatTable(
                        "timeliness",
                        msg("statistics.dq.timeliness"),
                        List.of(
                                msg("statistics.dq.agency"),
                                msg("statistics.dq.episodes"),
                                msg("statistics.dq.reportDelay"),
                                msg("statistics.dq.found"),
                                msg("statistics.dq.within72"),
                                msg("statistics.dq.within72Percent"),
                                msg("statistics.dq.quarantined")),
                        timely,
                        null,
                        msg("statistics.dq.timeliness.note"))
                .withCodes(
                        timelyAgencies,
                        List.of(
                                "episodes",
                                "median_report_delay_hours",
                                "found",
                                "interview_within_72h",
                                "interview_within_72h_percent",
                                "quarantined")));

        List<List<String>> failures = new ArrayList<>();
        List<String> checkCodes = new ArrayList<>();
        Map<String, Map<String, Long>> byCheck = report.checkFailures();
        for (DataQuality.Check c : quality.checks()) {
            checkCodes.add(c.code());
            Map<String, Long> byAgency = byCheck.getOrDefault(c.code(), Map.of());
            long total = byAgency.values().stream().mapToLong(Long::longValue).sum();
            failures.add(List.of(
                    c.code() + " " + c.title(), c.description(), Long.toString(byAgency.size()), Long.toString(total)));
        }
        tables.add(new StatTable(
                        "checks",
                        msg("statistics.dq.checks", quality.checksVersion()),
                        List.of(
                                msg("statistics.dq.check"),
                                msg("statistics.dq.checkDescription"),
                                msg("statistics.dq.checkAgencies"),
                                msg("statistics.dq.checkFailures")),
                        failures,
                        null,
                        report.timedChecksAt() == null
                                ? msg("statistics.dq.checks.note")
                                : msg("statistics.dq.checks.note") + " "
                                        + msg("statistics.dq.checks.timed", time.format(report.timedChecksAt())),
                        false,
                        2)
                .withCodes(checkCodes, List.of("description", "agencies", "failures")));
        return new View(msg("statistics.dq.summary"), tables);
    }

    private static List<String> completenessCodes() {
        List<String> out = new ArrayList<>(List.of("records"));
        DataQuality.FIELDS.keySet().forEach(f -> out.add(f + "_percent"));
        return out;
    }

    private String msg(String key, Object... args) {
        return messages.getMessage(key, args, LocaleContextHolder.getLocale());
    }
}
