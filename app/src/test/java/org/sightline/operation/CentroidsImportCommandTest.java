package org.sightline.operation;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sightline.support.IntegrationTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** centroids-import against the suite's database: a summary on stdout, each refused row named on stderr. */
@IntegrationTest
class CentroidsImportCommandTest {

    @Autowired
    JdbcClient jdbc;

    @Test
    void loadsPositionsAndNamesTheRowsItRefuses(@TempDir Path tmp) throws IOException {
        jdbc.sql("DELETE FROM postcode_centroid WHERE code LIKE 'QZ9%'").update();
        Path file = tmp.resolve("positions.csv");
        Files.writeString(file, "postcode,latitude,longitude\nQZ9 1AB,52.1,-1.2\nQZ9,52.0,-1.25\nQZ9 2AB,,-1.2\n");
        Path kept = tmp.resolve("kept.csv");
        ImportCommandTest.Run r = ImportCommandTest.run(
                "centroids-import", "--source", "Test positions", "--refused", kept.toString(), file.toString());
        assertThat(r.exit()).isEqualTo(ExitCode.DATA);
        assertThat(r.out()).contains("3 rows: 2 loaded, 0 unchanged, 1 refused");
        assertThat(r.err())
                .contains("line 4: latitude: must be a number from 49.8 to 61.0 (the United Kingdom); blank or "
                        + "99.999999 means no position");
        // The refused row is kept as it was read, with its line and why.
        assertThat(r.err()).contains("every refused row is kept, as read, in " + kept);
        assertThat(Files.readAllLines(kept))
                .containsExactly(
                        "line,column,why,fields as read",
                        "4,latitude,must be a number from 49.8 to 61.0 (the United Kingdom); blank or 99.999999 means "
                                + "no position,QZ9 2AB,,-1.2");
        assertThat(jdbc.sql("SELECT count(*) FROM postcode_centroid WHERE code IN ('QZ91AB', 'QZ9') AND source = ?")
                        .param("Test positions")
                        .query(Integer.class)
                        .single())
                .isEqualTo(2);

        // A file without the columns is refused whole, in one line; a missing --source is a usage error.
        Path wrong = tmp.resolve("wrong.csv");
        Files.writeString(wrong, "postcode,easting,northing\nQZ9 1AB,430000,433000\n");
        ImportCommandTest.Run refused = ImportCommandTest.run("centroids-import", "--source", "x", wrong.toString());
        assertThat(refused.exit()).isEqualTo(ExitCode.DATA);
        assertThat(refused.err())
                .contains("sightline centroids-import: wrong.csv: the header has no latitude column (latitude, lat); "
                        + "the header has no longitude column (longitude, long, lon, lng)");
        assertThat(ImportCommandTest.run("centroids-import", file.toString()).exit())
                .isEqualTo(ExitCode.USAGE);
    }
}
