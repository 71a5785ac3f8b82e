package org.sightline.reference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringReader;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.sightline.shared.InvalidRequestException;
import org.sightline.shared.Progress;
import org.sightline.shared.Violation;
import org.sightline.support.IntegrationTest;
import org.sightline.support.TestData;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Postcode positions for the hotspot map: the ONS Postcode Directory's layout or a plain one, each bad row named. */
@IntegrationTest
class PostcodeCentroidsTest {

    @Autowired
    PostcodeCentroids centroids;

    @Autowired
    JdbcClient jdbc;

    /** An outward code of this test's own ("Q" and a letter are no other test's), cleared of earlier runs' rows. */
    private String district() {
        java.util.concurrent.ThreadLocalRandom r = java.util.concurrent.ThreadLocalRandom.current();
        String d = "Q" + (char) ('A' + r.nextInt(26)) + r.nextInt(10) + r.nextInt(10);
        jdbc.sql("DELETE FROM postcode_centroid WHERE code LIKE ?")
                .param(d + "%")
                .update();
        return d;
    }

    private Object[] stored(String code) {
        return jdbc.sql("SELECT latitude, longitude, source FROM postcode_centroid WHERE code = ?")
                .param(code)
                .query((rs, n) -> new Object[] {rs.getDouble(1), rs.getDouble(2), rs.getString(3)})
                .optional()
                .orElse(null);
    }

    @Test
    void loadsTheDirectoryLayoutAndNamesEveryRowItCannotUse() {
        String d = district();
        String actor = TestData.unique("cli:test");
        // The Directory's own columns in its order, with others between; a terminated postcode without a position
        // (99.999999), a blank postcode, a non-postcode, a latitude that is not a number, a longitude off the map.
        String file = "\uFEFFpcd,pcd2,pcds,dointr,doterm,oscty,lat,long,lsoa21\n"
                + "x,x," + d + " 1AB,199801,,E99999999,53.800100,-1.549800,E01\n"
                + "x,x," + d.toLowerCase() + "2ab,199801,,E99999999,53.8102,-1.5411,E01\n"
                + "x,x," + d + " 9ZZ,199801,202001,E99999999,99.999999,0.000000,\n"
                + "x,x,,199801,,E99999999,53.8,-1.5,E01\n"
                + "x,x,NOT A CODE,199801,,E99999999,53.8,-1.5,E01\n"
                + "x,x," + d + " 3AB,199801,,E99999999,fifty,-1.5,E01\n"
                + "x,x," + d + " 4AB,199801,,E99999999,53.8,12.5,E01\n"
                + "x,x," + d + ",,,,53.79,-1.55,\n";
        List<PostcodeCentroids.Refused> kept = new java.util.ArrayList<>();
        PostcodeCentroids.Result r =
                centroids.load(new StringReader(file), "Test directory", actor, Progress.NONE, kept::add);

        assertThat(r.rows()).isEqualTo(8);
        assertThat(r.loaded()).isEqualTo(3);
        assertThat(r.unchanged()).isZero();
        assertThat(r.refused())
                .extracting(PostcodeCentroids.Problem::line, PostcodeCentroids.Problem::field)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(4L, "latitude"),
                        org.assertj.core.groups.Tuple.tuple(5L, "postcode"),
                        org.assertj.core.groups.Tuple.tuple(6L, "postcode"),
                        org.assertj.core.groups.Tuple.tuple(7L, "latitude"),
                        org.assertj.core.groups.Tuple.tuple(8L, "longitude"));
        assertThat(r.refused().get(1).message()).isEqualTo("the postcode is blank");
        // Every refused row reaches the caller as it was read, to be kept.
        assertThat(kept).extracting(PostcodeCentroids.Refused::problem).isEqualTo(r.refused());
        assertThat(kept.get(2).fields())
                .containsExactly("x", "x", "NOT A CODE", "199801", "", "E99999999", "53.8", "-1.5", "E01");
        assertThat(r.refusedBy().values().stream().mapToLong(Long::longValue).sum())
                .isEqualTo(5);
        // Stored as places key their postcodes, whatever the spacing and case; the district by its outward code.
        assertThat(stored(d + "1AB")).containsExactly(53.8001, -1.5498, "Test directory");
        assertThat(stored(d + "2AB")).containsExactly(53.8102, -1.5411, "Test directory");
        assertThat(stored(d)).containsExactly(53.79, -1.55, "Test directory");
        assertThat(stored(d + "9ZZ")).isNull();
        assertThat(jdbc.sql("SELECT details FROM audit_event WHERE actor = ? AND action = 'LOAD_POSTCODE_CENTROIDS'")
                        .param(actor)
                        .query(String.class)
                        .single())
                .isEqualTo("rows=8;loaded=3;unchanged=0;refused=5");

        // The same file again changes nothing; a new edition moves what moved.
        assertThat(centroids.load(new StringReader(file), "Test directory", actor, Progress.NONE, x -> {}))
                .satisfies(again -> {
                    assertThat(again.loaded()).isZero();
                    assertThat(again.unchanged()).isEqualTo(3);
                });
        PostcodeCentroids.Result moved = centroids.load(
                new StringReader(
                        "postcode,latitude,longitude\n" + d + " 1AB,53.9,-1.6\n" + d + " 2AB,53.8102,-1.5411\n"),
                "Test directory",
                actor,
                Progress.NONE,
                x -> {});
        assertThat(moved.loaded()).isEqualTo(1);
        assertThat(moved.unchanged()).isEqualTo(1);
        assertThat(stored(d + "1AB")).containsExactly(53.9, -1.6, "Test directory");
    }

    @Test
    void aHeaderWithoutTheColumnsIsRefusedWholeNamingEachMissingOne() {
        assertThatThrownBy(() -> centroids.load(
                        new StringReader("pcds,easting,northing\nLS1 4AP,430000,433000\n"),
                        "x",
                        "t",
                        Progress.NONE,
                        x -> {}))
                .isInstanceOf(InvalidRequestException.class)
                .satisfies(e -> assertThat(((InvalidRequestException) e).violations())
                        .extracting(Violation::field)
                        .containsExactly("latitude", "longitude"));
        assertThatThrownBy(() -> centroids.load(new StringReader(""), "x", "t", Progress.NONE, x -> {}))
                .isInstanceOf(InvalidRequestException.class)
                .satisfies(e -> assertThat(((InvalidRequestException) e).violations())
                        .extracting(Violation::rule)
                        .containsExactly("empty"));
        assertThatThrownBy(
                        () -> centroids.load(new StringReader("postcode,lat,long\n"), " ", "t", Progress.NONE, x -> {}))
                .isInstanceOf(InvalidRequestException.class);
    }

    /** The Java key and the database's key of a postcode agree, or positions would never be found. */
    @Test
    void theLoadersKeyIsTheDatabasesKey() {
        for (String p : List.of("ls1 4ap", " LS1  4AP ", "ls14ap", "SW1A-1AA", "m1", "", "  ", "b33 8th!", "Ŵ1 1AA")) {
            String db = jdbc.sql("SELECT network_postcode_norm(?)")
                    .param(p)
                    .query(String.class)
                    .optional()
                    .orElse(null);
            assertThat(PostcodeCentroids.normalise(p)).as(p).isEqualTo(db);
        }
    }
}
