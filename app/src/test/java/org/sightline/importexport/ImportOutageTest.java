package org.sightline.importexport;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.sightline.importexport.ImportService.ImportRequest;
import org.sightline.support.IntegrationTest;
import org.sightline.support.TestData;
import org.sightline.support.TestDatabase;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A database that stops accepting writes in the middle of an import is an outage, not bad data: the run fails
 * (E1000, run the file again) and no row is quarantined as "refused by the database" (E1013), which used to
 * happen to every remaining row.
 */
@IntegrationTest
class ImportOutageTest {

    private static final String HEADER = "record_ref,agency_code,given_name,middle_names,family_name,aliases,dob,sex,"
            + "ethnicity_code,ethnicity_scheme,address_line,postcode,upn,local_child_id,care_status,responsible_authority,"
            + "cp_plan,known_to_social_care,recorded_at\n";

    @Autowired
    ImportService imports;

    @Autowired
    TestData data;

    @Autowired
    JdbcClient jdbc;

    @Test
    void writesRefusedForAReasonOtherThanTheDataFailTheRunInsteadOfQuarantiningRows() throws SQLException {
        Assumptions.assumeFalse(
                TestDatabase.appUser().equals(TestDatabase.user()),
                "needs the application's own role (embedded test database) to take a privilege from it");
        String agency = data.agency("local_authority");
        StringBuilder file = new StringBuilder(HEADER);
        for (int r = 1; r <= 20; r++) {
            file.append("OUT")
                    .append(r)
                    .append(',')
                    .append(agency)
                    .append(",Amy,,Testperson,,2010-04-0")
                    .append(r % 9 + 1)
                    .append(",female,WBRI,DFE,1 Test Street,TT1 1TT,,,looked_after,,no,yes,2024-01-02T10:00:00Z\n");
        }
        boolean[] revoked = {false};
        try (Connection owner =
                DriverManager.getConnection(TestDatabase.url(), TestDatabase.user(), TestDatabase.password())) {
            ImportReport report;
            try {
                report = imports.importNow(
                        new ImportRequest(agency, "person-records", null, "outage.csv", "tester", 5, null),
                        new ByteArrayInputStream(file.toString().getBytes(StandardCharsets.UTF_8)),
                        received -> {
                            // After the first batch, the database stops letting the application add person records.
                            if (received >= 5 && !revoked[0]) {
                                revoked[0] = true;
                                execute(owner, "REVOKE INSERT ON person_record FROM " + TestDatabase.appUser());
                            }
                        });
            } finally {
                execute(owner, "GRANT INSERT ON person_record TO " + TestDatabase.appUser());
            }
            assertThat(revoked[0]).isTrue();
            assertThat(report.status()).isEqualTo("failed");
            assertThat(report.fileError()).startsWith("E1000");
            assertThat(report.quarantined()).isZero();
            assertThat(report.errorsByCode()).doesNotContainKey("E1013");
            long stored = jdbc.sql("SELECT count(*) FROM person_record pr JOIN agency a ON a.id = pr.agency_id "
                            + "WHERE a.code = ? AND pr.record_ref LIKE 'OUT%'")
                    .param(agency)
                    .query(Long.class)
                    .single();
            assertThat(stored)
                    .as("the batches before the outage stay")
                    .isEqualTo(report.imported())
                    .isLessThan(20);
        }
    }

    private static void execute(Connection c, String sql) {
        try (var st = c.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
