package org.sightline.statistics;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.sightline.access.SightlineUser;
import org.sightline.shared.Disclosure;
import org.springframework.context.MessageSource;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.stereotype.Component;

/** Turns the figures into the tables the pages show and the CSV downloads write (one source for both). */
@Component
class StatisticsPages {

    static final List<String> VIEWS = List.of("victims", "adults", "missing", "reconciliation", "data-quality");

    private final Reports reports;
    private final Reconciliation reconciliation;
    private final DataQuality quality;
    private final MissingStatistics missing;
    private final Conflicts conflicts;
    private final ReportWriter writer;
    private final MessageSource messages;

    StatisticsPages(
            Reports reports,
            Reconciliation reconciliation,
            DataQuality quality,
            MissingStatistics missing,
            Conflicts conflicts,
            ReportWriter writer,
            MessageSource messages) {
        this.missing = missing;
        this.conflicts = conflicts;
        this.reports = reports;
        this.reconciliation = reconciliation;
        this.quality = quality;
        this.writer = writer;
        this.messages = messages;
    }

    /** What a view shows: a line under the heading, its tables, and notes. */
    record View(String summary, List<StatTable> tables, List<Conflicts.Line> conflicts) {

        View(String summary, List<StatTable> tables) {
            this(summary, tables, null);
        }
    }

    /** {@code user}: given when the user is entitled to the list of conflicting children (else null). */
    View view(String view, ProfileQuery q, String actor, String agency, SightlineUser user) {
        return switch (view) {
            case "victims" -> profile(ProfileKind.VICTIM, q, actor, agency, user);
            case "adults" -> profile(ProfileKind.ADULT, q, actor, agency, null);
            case "missing" -> missing(q);
            case "reconciliation" -> reconciliation(q);
            default -> dataQuality(q);
        };
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
                user == null ? null : conflicts.visible(user, p.profile()));
    }

    private View missing(ProfileQuery q) {
        MissingStatistics.Figures f = missing.figures(q);
        List<StatTable> tables = new ArrayList<>();
        long[] head = {f.records(), f.incidents(), f.children(), f.repeatChildren()};
        boolean[] hidden = Disclosure.suppress(head, List.of());
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
                msg("statistics.missing.overview.note")));
        tables.add(oneWay("duration", "statistics.missing.duration", f.durations(), f.incidents()));
        tables.add(oneWay("from", "statistics.missing.from", f.from(), f.incidents()));
        tables.add(grid("category", f.categories()));
        tables.add(oneWay(
                "grades",
                "statistics.missing.grades",
                f.grades(),
                f.grades().values().stream().mapToLong(Long::longValue).sum()));
        tables.add(oneWay(
                "interviews",
                "statistics.missing.interviews",
                f.interviews(),
                f.interviews().values().stream().mapToLong(Long::longValue).sum()));
        return new View(
                msg(
                        "statistics.missing.summary",
                        hidden[1] ? Disclosure.SUPPRESSED : Long.toString(f.incidents()),
                        hidden[2] ? Disclosure.SUPPRESSED : Long.toString(f.children())),
                tables);
    }

    /** Codes with count and per cent of {@code total}, suppressed with the total as one group. */
    private StatTable oneWay(String id, String captionKey, Map<String, Long> counts, long total) {
        long[] v = new long[counts.size() + 1];
        int[] group = new int[v.length];
        v[0] = total;
        int i = 1;
        for (long n : counts.values()) {
            group[i] = i;
            v[i++] = n;
        }
        boolean[] hidden = Disclosure.suppress(v, List.<int[]>of(group));
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
                1);
    }

    /** Category by agency type, with row and column totals, suppressed over rows and columns. */
    private StatTable grid(String id, Map<String, Map<String, Long>> byRow) {
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
        boolean[] hidden = Disclosure.suppress(v, groups);
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
                msg("statistics.missing.categories.note"));
    }

    private View reconciliation(ProfileQuery q) {
        List<Reconciliation.Line> lines = reconciliation.lines(q);
        StatTable table = new StatTable(
                "reconciliation",
                msg("statistics.reconciliation.caption"),
                List.of(
                        msg("statistics.reconciliation.authorityName"), msg("statistics.reconciliation.authority"),
                        msg("statistics.reconciliation.police"), msg("statistics.reconciliation.matched"),
                        msg("statistics.reconciliation.authorityOnly"), msg("statistics.reconciliation.policeOnly")),
                Reconciliation.published(lines, true, msg("statistics.total.row")),
                null,
                msg("statistics.reconciliation.note"));
        return new View(msg("statistics.reconciliation.summary", lines.size()), List.of(table));
    }

    private View dataQuality(ProfileQuery q) {
        List<StatTable> tables = new ArrayList<>();
        List<String> cols = new ArrayList<>(List.of(msg("statistics.dq.agency"), msg("statistics.dq.records")));
        DataQuality.FIELDS.keySet().forEach(f -> cols.add(msg("statistics.dq.field." + f)));
        List<List<String>> rows = new ArrayList<>();
        for (DataQuality.Completeness c : quality.completeness(q)) {
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
                msg("statistics.dq.completeness.note")));

        List<List<String>> timely = new ArrayList<>();
        for (DataQuality.Timeliness t : quality.timeliness(q)) {
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
                msg("statistics.dq.timeliness.note")));

        List<List<String>> failures = new ArrayList<>();
        Map<String, Map<String, Long>> byCheck = quality.checkFailures(q);
        for (DataQuality.Check c : quality.checks()) {
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
                msg("statistics.dq.checks.note"),
                false,
                2));
        return new View(msg("statistics.dq.summary"), tables);
    }

    private String msg(String key, Object... args) {
        return messages.getMessage(key, args, LocaleContextHolder.getLocale());
    }
}
