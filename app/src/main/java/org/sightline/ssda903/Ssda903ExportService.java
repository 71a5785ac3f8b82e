package org.sightline.ssda903;

import de.siegmar.fastcsv.writer.CsvWriter;
import de.siegmar.fastcsv.writer.LineDelimiter;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.sightline.access.SightlineUser;
import org.sightline.audit.AuditEntry;
import org.sightline.audit.AuditLog;
import org.sightline.shared.CsvCells;
import org.sightline.shared.NotFoundException;
import org.sightline.ssda903.ExportBuilder.Note;
import org.sightline.ssda903.Ssda903Tables.Return;
import org.sightline.ssda903.Ssda903Tables.RuleFailure;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Builds an authority's SSDA903 Header, Episodes and Missing tables for a collection year, runs every DfE rule
 * Sightline checks on them ({@link Ssda903Rules}; 576 against the previous year derived the same way from the same
 * data) and writes the CSVs. Rows breaking an age rule are withheld and reported as failures.
 */
@Service
public class Ssda903ExportService {

    /** The files of a return, in DfE order; names as authorities usually give them. */
    public static final List<String> FILES = List.of("header", "episodes", "missing");

    private final Ssda903Repository repository;
    private final AuditLog audit;
    private final Ssda903RuleDescriptions descriptions;

    Ssda903ExportService(Ssda903Repository repository, AuditLog audit, Ssda903RuleDescriptions descriptions) {
        this.repository = repository;
        this.audit = audit;
        this.descriptions = descriptions;
    }

    /**
     * A rule failure with the rule's description, for people. Line 0 is a row withheld from the files because it
     * breaks an age rule (351, 352, 359): the authority must correct the record.
     */
    public record Failure(String rule, String description, String table, String child, int line, String field) {
        public boolean withheld() {
            return line == 0;
        }
    }

    /** What the export found: rows per table, rule failures, unchecked rules and every adjustment made. */
    public record ExportReport(
            Authority authority,
            CollectionYear year,
            int headerRows,
            int episodeRows,
            int missingRows,
            List<Failure> failures,
            List<String> notChecked,
            List<Note> notes,
            Return data) {
        public boolean passes() {
            return failures.isEmpty();
        }

        /** Adjustments summed by kind, e.g. merged=12. */
        public Map<String, Integer> noteTotals() {
            Map<String, Integer> totals = new LinkedHashMap<>();
            notes.forEach(n -> totals.merge(n.kind(), n.count(), Integer::sum));
            return totals;
        }
    }

    /** For the command line: an operator, no agency scope. */
    @Transactional
    public ExportReport exportAsOperator(String actor, String authorityCode, CollectionYear year) {
        Authority la = repository.authority(authorityCode, year);
        return run(actor, null, la, year);
    }

    /** For a signed-in user: only their own authority; any other is "not found". */
    @Transactional
    public ExportReport export(SightlineUser user, String authorityCode, CollectionYear year) {
        return run(user.username(), user.agencyCode(), scoped(user, authorityCode, year), year);
    }

    Authority scoped(SightlineUser user, String authorityCode, CollectionYear year) {
        Authority la;
        try {
            la = repository.authority(authorityCode == null ? user.agencyCode() : authorityCode, year);
        } catch (IllegalArgumentException e) {
            throw new NotFoundException("Authority");
        }
        if (la.agencyId() != user.agencyId()) {
            throw new NotFoundException("Authority");
        }
        return la;
    }

    private ExportReport run(String actor, String actorAgency, Authority la, CollectionYear year) {
        List<Note> notes = new ArrayList<>();
        List<ExportBuilder.Child> children = repository.children(la, notes);
        ExportBuilder.Result current = ExportBuilder.build(year, children);
        ExportBuilder.Result previous = ExportBuilder.build(year.previous(), children);
        notes.addAll(current.notes());
        Ssda903Rules.Context rules = new Ssda903Rules.Context(
                year, current.data(), previous.data().missing(), repository.codes(), repository.ethnicityCodes());
        List<Failure> failures = new ArrayList<>();
        current.withheld().forEach(f -> failures.add(describe(f)));
        Ssda903Rules.check(rules).forEach(f -> failures.add(describe(f)));
        Return data = current.data();
        audit.record(new AuditEntry(
                actor,
                actorAgency,
                "SSDA903_EXPORT",
                "authority",
                la.code(),
                null,
                "year=" + year.endYear() + " header=" + data.header().size() + " episodes="
                        + data.episodes().size() + " missing=" + data.missing().size() + " failures="
                        + failures.size()));
        return new ExportReport(
                la,
                year,
                data.header().size(),
                data.episodes().size(),
                data.missing().size(),
                List.copyOf(failures),
                Ssda903Rules.notChecked(rules),
                List.copyOf(notes),
                data);
    }

    public Failure describe(RuleFailure f) {
        return descriptions.describe(f);
    }

    /** One table as CSV text in the DfE layout: header row, columns in DfE order, CRLF as spreadsheets expect. */
    public static String csv(Return data, String file) {
        StringWriter out = new StringWriter();
        try (CsvWriter writer =
                CsvWriter.builder().lineDelimiter(LineDelimiter.CRLF).build(out)) {
            switch (file) {
                case "header" -> {
                    writer.writeRecord(Ssda903Tables.HEADER_COLUMNS);
                    data.header().forEach(r -> writer.writeRecord(CsvCells.neutralise(r.values())));
                }
                case "episodes" -> {
                    writer.writeRecord(Ssda903Tables.EPISODE_COLUMNS);
                    data.episodes().forEach(r -> writer.writeRecord(CsvCells.neutralise(r.values())));
                }
                case "missing" -> {
                    writer.writeRecord(Ssda903Tables.MISSING_COLUMNS);
                    data.missing().forEach(r -> writer.writeRecord(CsvCells.neutralise(r.values())));
                }
                default -> throw new IllegalArgumentException("no SSDA903 file called " + file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** Writes header.csv, episodes.csv and missing.csv into the directory; returns their paths. */
    public static List<Path> write(Return data, Path directory) {
        try {
            Files.createDirectories(directory);
            List<Path> paths = new ArrayList<>();
            for (String file : FILES) {
                Path path = directory.resolve(file + ".csv");
                Files.writeString(path, csv(data, file), StandardCharsets.UTF_8);
                paths.add(path);
            }
            return paths;
        } catch (IOException e) {
            throw new UncheckedIOException("writing to " + directory + " failed: " + e.getMessage(), e);
        }
    }
}
