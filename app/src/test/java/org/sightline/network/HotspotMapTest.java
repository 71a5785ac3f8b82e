package org.sightline.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The hotspot map's drawing, checked against geography worked out here, not by the drawing's own arithmetic. */
class HotspotMapTest {

    private static Hotspots.Hotspot place(int rank, int children, Hotspots.Position position) {
        NetworkNodes.Node node = new NetworkNodes.Node(
                NetworkNodes.Key.of("place", rank),
                UUID.randomUUID(),
                "Place " + rank,
                true,
                "Force",
                null,
                null,
                null);
        return new Hotspots.Hotspot(
                rank, node, children, List.of(), Instant.EPOCH, children, 0, List.of(), List.of(), List.of(), position);
    }

    private static Hotspots.Position at(double lat, double lon) {
        return new Hotspots.Position(lat, lon, false, "Test");
    }

    /** Great-circle distance in km (haversine), independent of the map's flat projection. */
    private static double km(Hotspots.Position a, Hotspots.Position b) {
        double dLat = Math.toRadians(b.latitude() - a.latitude());
        double dLon = Math.toRadians(b.longitude() - a.longitude());
        double h = Math.pow(Math.sin(dLat / 2), 2)
                + Math.cos(Math.toRadians(a.latitude()))
                        * Math.cos(Math.toRadians(b.latitude()))
                        * Math.pow(Math.sin(dLon / 2), 2);
        return 2 * 6371.0 * Math.asin(Math.sqrt(h));
    }

    @Test
    void northIsUpEastIsRightAndTheScaleBarMeasuresTrueDistances() {
        // Leeds, York and Sheffield, roughly: York is north-east of Leeds, Sheffield south.
        Hotspots.Position leeds = at(53.80, -1.55);
        Hotspots.Position york = at(53.96, -1.08);
        Hotspots.Position sheffield = at(53.38, -1.47);
        HotspotMap map = HotspotMap.of(
                List.of(place(1, 5, leeds), place(2, 3, york), place(3, 2, sheffield), place(4, 2, null)));

        assertThat(map.points()).hasSize(3);
        assertThat(map.places()).isEqualTo(4);
        assertThat(map.unplaced()).isEqualTo(1);
        HotspotMap.Point l = map.points().get(0),
                y = map.points().get(1),
                s = map.points().get(2);
        assertThat(y.x()).isGreaterThan(l.x());
        assertThat(y.y()).isLessThan(l.y());
        assertThat(s.y()).isGreaterThan(l.y());
        for (HotspotMap.Point p : map.points()) {
            assertThat(p.x() - p.r()).isGreaterThanOrEqualTo(0);
            assertThat(p.x() + p.r()).isLessThanOrEqualTo(map.width());
            assertThat(p.y() - p.r()).isGreaterThanOrEqualTo(0);
            assertThat(p.y() + p.r()).isLessThanOrEqualTo(map.height());
        }
        // More children, a larger circle.
        assertThat(l.r()).isGreaterThan(y.r());
        assertThat(y.r()).isGreaterThan(s.r());
        // Distances read off with the scale bar agree with great-circle distances within 2%.
        double kmPerUnit = map.scaleKm() / map.scaleWidth();
        assertThat(Math.hypot(y.x() - l.x(), y.y() - l.y()) * kmPerUnit)
                .isCloseTo(km(leeds, york), within(km(leeds, york) * 0.02));
        assertThat(Math.hypot(s.x() - l.x(), s.y() - l.y()) * kmPerUnit)
                .isCloseTo(km(leeds, sheffield), within(km(leeds, sheffield) * 0.02));
        assertThat(map.scaleWidth()).isBetween(20.0, map.width() / 2.0);
    }

    @Test
    void placesAtOnePositionAreSetApartAndOnePlaceSitsInTheMiddle() {
        Hotspots.Position centre = new Hotspots.Position(51.5, -0.12, true, "Test");
        List<Hotspots.Hotspot> three = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            three.add(place(i, 2, centre));
        }
        HotspotMap map = HotspotMap.of(three);
        assertThat(map.approximate()).isEqualTo(3);
        assertThat(map.points()).extracting(p -> p.x() + "," + p.y()).doesNotHaveDuplicates();
        for (HotspotMap.Point p : map.points()) {
            assertThat(Math.hypot(p.x() - map.width() / 2.0, p.y() - map.height() / 2.0))
                    .isCloseTo(18, within(0.2));
        }

        HotspotMap one = HotspotMap.of(List.of(place(1, 2, at(52.0, -1.0))));
        assertThat(one.points().get(0).x()).isEqualTo(map.width() / 2.0);
        assertThat(one.points().get(0).y()).isEqualTo(map.height() / 2.0);
        assertThat(one.sources()).containsExactly("Test");
    }

    @Test
    void withoutPositionsNothingIsDrawnAndEveryPlaceIsCountedAsUnplaced() {
        HotspotMap map = HotspotMap.of(List.of(place(1, 2, null), place(2, 2, null)));
        assertThat(map.points()).isEmpty();
        assertThat(map.unplaced()).isEqualTo(2);
    }
}
