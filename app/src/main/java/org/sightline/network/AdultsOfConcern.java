package org.sightline.network;

import java.sql.Timestamp;
import java.time.Instant;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * The bulk import's write of adults of concern (importexport's {@code adults-of-concern} kind). The network
 * capability owns {@code adult_of_concern}; the import pipeline validates the file and stages one batch.
 */
@Component
public class AdultsOfConcern {

    /** Blank sex and ethnicity stay not recorded; "unknown" in the file is the agency saying it is not known. */
    private static final String VALUES =
            """
            nullif(s.given_name, ''), nullif(s.family_name, ''),
            nullif(split_part(s.dob, '-', 1), '')::int, nullif(split_part(s.dob, '-', 2), '')::int,
            nullif(split_part(s.dob, '-', 3), '')::int,
            CASE s.sex WHEN 'male' THEN 'male' WHEN 'female' THEN 'female' WHEN 'unknown' THEN 'not_known'
                       ELSE 'not_recorded' END,
            nullif(s.ethnicity_code, ''), nullif(s.ethnicity_scheme, ''),
            CASE WHEN coalesce(s.ethnicity_code, '') = '' THEN 'not_recorded'
                 WHEN upper(s.ethnicity_code) = 'REFU' THEN 'refused'
                 WHEN upper(s.ethnicity_code) = 'NOBT' THEN 'not_known' ELSE 'recorded' END,
            s.hash""";

    private static final String COLUMNS = "given_name, family_name, dob_year, dob_month, dob_day, sex, ethnicity_code,"
            + " ethnicity_scheme, ethnicity_status, content_hash";

    private final JdbcClient jdbc;

    AdultsOfConcern(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** What one staged batch did. */
    public record Written(int created, int updated) {}

    /**
     * Writes one batch from the transaction-scoped staging table {@code stage}: the adults-of-concern columns as text
     * (dob canonical as yyyy, yyyy-mm or yyyy-mm-dd; codes lower case as the import's code lists give them), plus
     * {@code hash} and {@code target_id} (the adult a changed row replaces; empty for a new one).
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public Written writeStaged(long agencyId, boolean hasChanged, boolean hasNew, Instant now) {
        Timestamp at = Timestamp.from(now);
        int updated = hasChanged
                ? jdbc.sql("UPDATE adult_of_concern t SET (" + COLUMNS + ") = (SELECT " + VALUES + "),"
                                + " updated_at = :now, version = t.version + 1"
                                + " FROM stage s WHERE t.id = s.target_id AND t.content_hash IS DISTINCT FROM s.hash")
                        .param("now", at)
                        .update()
                : 0;
        int created = hasNew
                ? jdbc.sql("INSERT INTO adult_of_concern (agency_id, adult_ref, " + COLUMNS
                                + ", created_at, updated_at)"
                                + " SELECT :agency, s.adult_ref, " + VALUES + ", :now, :now"
                                + " FROM stage s WHERE s.target_id IS NULL")
                        .param("agency", agencyId)
                        .param("now", at)
                        .update()
                : 0;
        return new Written(created, updated);
    }
}
