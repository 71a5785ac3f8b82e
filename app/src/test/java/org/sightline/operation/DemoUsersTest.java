package org.sightline.operation;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sightline.support.IntegrationTest;
import org.sightline.support.TestData;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Issue 14: a demo restart after a large import moved the demo officer from the Met to another force. */
@IntegrationTest
class DemoUsersTest {

    @Autowired
    DemoSetup setup;

    @Autowired
    TestData data;

    @Autowired
    JdbcClient jdbc;

    private Map<String, String> agencies(Path folder) {
        return setup.users(folder).stream()
                .collect(Collectors.toMap(DemoSetup.DemoUser::username, DemoSetup.DemoUser::agencyName));
    }

    @Test
    void demoUsersKeepTheirAgenciesAndPasswordsAcrossRestarts(@TempDir Path folder) throws Exception {
        Map<String, String> first = agencies(folder);
        String credentials = Files.readString(folder.resolve("demo-credentials.properties"));

        // An import makes another force the one holding most records.
        String busier = data.agency("police_force");
        long most = jdbc.sql(
                        """
                SELECT coalesce(max(n), 0) FROM (SELECT count(*) n FROM person_record pr JOIN agency a ON a.id = pr.agency_id
                WHERE a.agency_type = 'police_force' GROUP BY a.id) c""")
                .query(Long.class)
                .single();
        for (int i = 0; i <= most; i++) {
            data.personRecord(busier, "Keep", "Agency" + i, 2010, 1, 1, null);
        }
        String busiestNow = jdbc.sql(
                        """
                SELECT a.name FROM agency a LEFT JOIN person_record pr ON pr.agency_id = a.id
                WHERE a.agency_type = 'police_force' GROUP BY a.code, a.name ORDER BY count(pr.id) DESC, a.code LIMIT 1""")
                .query(String.class)
                .single();
        assertThat(busiestNow).as("the import changed the busiest force").isEqualTo("Test agency " + busier);

        Map<String, String> restarted = agencies(folder);
        assertThat(restarted).isEqualTo(first);
        assertThat(restarted.get("officer")).isNotEqualTo(busiestNow);
        // The same passwords and agencies: every line written at the first start is still there.
        for (String line : credentials.lines().filter(l -> !l.startsWith("#")).toList()) {
            assertThat(Files.readString(folder.resolve("demo-credentials.properties")))
                    .contains(line);
        }
    }
}
