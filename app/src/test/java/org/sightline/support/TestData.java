package org.sightline.support;

import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.sightline.access.UserAccounts;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Synthetic fixtures written straight to the database; names are obviously made up and unique per call. */
@Component
public class TestData {

    public static final String PASSWORD = "correct-horse-battery";
    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    private final JdbcClient jdbc;
    private final UserAccounts accounts;

    public TestData(JdbcClient jdbc, UserAccounts accounts) {
        this.jdbc = jdbc;
        this.accounts = accounts;
    }

    public static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8) + "-" + SEQUENCE.incrementAndGet();
    }

    /** A new agency of the given type; returns its code. */
    public String agency(String type) {
        return agency(type, null);
    }

    /** A new agency of the kind, counted towards the area code given (a police force area, an authority, …). */
    public String agency(String type, String areaCode) {
        String code = unique("TEST");
        jdbc.sql("INSERT INTO agency (code, agency_type, name, area_code) VALUES (?, ?, ?, ?)")
                .params(code, type, "Test agency " + code, areaCode)
                .update();
        return code;
    }

    public String user(String agencyCode, String role) {
        String username = unique("user").toLowerCase();
        accounts.createOrReset("test", username, PASSWORD, "Test " + role, agencyCode, Set.of(role));
        return username;
    }

    public long identity() {
        return jdbc.sql("INSERT INTO identity DEFAULT VALUES RETURNING id")
                .query(Long.class)
                .single();
    }

    /** A person record held by the agency; returns its public id. */
    public UUID personRecord(
            String agencyCode, String given, String family, int year, Integer month, Integer day, Long identityId) {
        return jdbc.sql(
                        """
                INSERT INTO person_record (agency_id, record_ref, given_name, family_name, dob_year, dob_month, dob_day,
                                           identity_id, sex)
                SELECT id, ?, ?, ?, ?, ?, ?, ?, 'female' FROM agency WHERE code = ?
                RETURNING public_id""")
                .params(unique("REF"), given, family, year, month, day, identityId, agencyCode)
                .query(UUID.class)
                .single();
    }
}
