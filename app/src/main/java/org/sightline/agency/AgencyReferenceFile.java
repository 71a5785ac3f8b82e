package org.sightline.agency;

import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.NamedCsvRecord;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.sightline.shared.InvalidRequestException;
import org.sightline.shared.Violation;
import org.springframework.stereotype.Component;

/**
 * A reference file of agencies (CSV, UTF-8, a header row): {@code code,name,kind,area_code,ofsted_urn,closed_on}. The
 * generator's {@code agencies.csv} reads as it is ({@code agency_code} and {@code agency_type} are taken for code and
 * kind). Each row is applied on its own (see {@link AgencyAdministration#applyRow}), so a re-run changes nothing.
 */
@Component
public class AgencyReferenceFile {

    /** Accepted column names and the standard name each stands for. */
    private static final Map<String, String> ALIASES = Map.of("agency_code", "code", "agency_type", "kind");

    private static final List<String> COLUMNS = List.of("code", "name", "kind", "area_code", "ofsted_urn", "closed_on");

    private final AgencyAdministration agencies;

    AgencyReferenceFile(AgencyAdministration agencies) {
        this.agencies = agencies;
    }

    /** Applies every row; a header without code, name and kind is refused whole, naming the missing columns. */
    public AgencyAdministration.FileResult apply(String actor, Reader file) {
        AgencyAdministration.Actor who = new AgencyAdministration.Actor(actor, "SIGHTLINE");
        List<AgencyAdministration.FileRow> rows = new ArrayList<>();
        try (CsvReader<NamedCsvRecord> csv = CsvReader.builder().ofNamedCsvRecord(file)) {
            List<String> header = null;
            for (NamedCsvRecord record : csv) {
                if (header == null) {
                    header = record.getHeader().stream()
                            .map(h -> h.strip().toLowerCase(Locale.ROOT))
                            .map(h -> ALIASES.getOrDefault(h, h))
                            .toList();
                    List<Violation> missing = new ArrayList<>();
                    for (String required : List.of("code", "name", "kind")) {
                        if (!header.contains(required)) {
                            missing.add(new Violation(
                                    required, "missing-column", "the header has no " + required + " column"));
                        }
                    }
                    if (!missing.isEmpty()) {
                        throw new InvalidRequestException(missing);
                    }
                }
                List<String> fields = record.getFields();
                String[] v = new String[COLUMNS.size()];
                for (int i = 0; i < header.size() && i < fields.size(); i++) {
                    int at = COLUMNS.indexOf(header.get(i));
                    if (at >= 0) {
                        v[at] = fields.get(i);
                    }
                }
                rows.add(agencies.applyRow(
                        who,
                        record.getStartingLineNumber(),
                        new AgencyAdministration.NewAgency(v[0], v[1], v[2], v[3], v[4]),
                        v[5]));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new AgencyAdministration.FileResult(rows);
    }
}
