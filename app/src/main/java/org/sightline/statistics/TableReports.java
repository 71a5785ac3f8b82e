package org.sightline.statistics;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.sightline.audit.AuditEntry;
import org.sightline.audit.AuditLog;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The figures of the missing, reconciliation and data-quality pages for the offline {@code report} command: the very
 * tables the pages show (so a report and a page never disagree), published by default or exact for those entitled,
 * and every report audited like the profiles ({@link Reports}).
 */
@Service
public class TableReports {

    /** The report kinds that are tables, with the page each comes from. */
    public static final Map<String, String> KINDS =
            Map.of("missing-statistics", "missing", "reconciliation", "reconciliation", "data-quality", "data-quality");

    /** A report: its kind, what it covers, whether small counts were suppressed, and its tables. */
    public record TableReport(String kind, ProfileQuery query, boolean suppressed, List<StatTable> tables) {}

    private final StatisticsPages pages;
    private final AuditLog audit;

    TableReports(StatisticsPages pages, AuditLog audit) {
        this.pages = pages;
        this.audit = audit;
    }

    public static Optional<String> view(String kind) {
        return Optional.ofNullable(KINDS.get(kind));
    }

    @Transactional
    public TableReport report(String kind, ProfileQuery query, boolean exact, String actor, String agency) {
        String view = view(kind).orElseThrow(() -> new IllegalArgumentException("unknown report kind " + kind));
        List<StatTable> tables = pages.tables(view, query, !exact, false).tables();
        audit.record(AuditEntry.of(actor, agency, exact ? "REPORT_EXACT" : "REPORT", "statistics", kind)
                .withDetails("area=" + query.area() + ";from=" + query.from() + ";to=" + query.to() + ";asAt="
                        + query.asAt()));
        return new TableReport(kind, query, !exact && !"data-quality".equals(kind), tables);
    }
}
