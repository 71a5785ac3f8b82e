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
    void placesThatWouldHideOneAnotherAreSetApartAndJoinedToWhereTheyAre() {
        // Three places at one district's centre and seven in one street: ten circles, none may cover another.
        Hotspots.Position centre = new Hotspots.Position(51.5, -0.12, true, "Test");
        List<Hotspots.Hotspot> crowded = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            crowded.add(place(i, 2 + i, centre));
        }
        for (int i = 4; i <= 10; i++) {
            crowded.add(place(i, 2, at(51.5 + i * 0.0001, -0.12)));
        }
        crowded.add(place(11, 2, at(51.9, 0.3)));
        HotspotMap map = HotspotMap.of(crowded);
        assertThat(map.approximate()).isEqualTo(3);
        List<HotspotMap.Point> p = map.points();
        for (int i = 0; i < p.size(); i++) {
            HotspotMap.Point a = p.get(i);
            assertThat(a.x() - a.r()).isGreaterThanOrEqualTo(0);
            assertThat(a.x() + a.r()).isLessThanOrEqualTo(map.width());
            assertThat(a.y() - a.r()).isGreaterThanOrEqualTo(0);
            assertThat(a.y() + a.r()).isLessThanOrEqualTo(map.height());
            for (int j = i + 1; j < p.size(); j++) {
                HotspotMap.Point b = p.get(j);
                assertThat(Math.hypot(a.x() - b.x(), a.y() - b.y()))
                        .as("ranks %d and %d", a.hotspot().rank(), b.hotspot().rank())
                        .isGreaterThanOrEqualTo(a.r() + b.r());
            }
        }
        // The three at one spot keep that spot as where they are, and show they were moved from it.
        assertThat(p.subList(0, 3)).allSatisfy(a -> {
            assertThat(a.ax()).isEqualTo(p.get(0).ax());
            assertThat(a.ay()).isEqualTo(p.get(0).ay());
            assertThat(a.moved()).isTrue();
        });
        // The lone place far off is not moved; rank 1 is drawn last, on top.
        assertThat(p.get(10).moved()).isFalse();
        assertThat(map.drawOrder().get(map.drawOrder().size() - 1).hotspot().rank())
                .isEqualTo(1);

        HotspotMap one = HotspotMap.of(List.of(place(1, 2, at(52.0, -1.0))));
        assertThat(one.points().get(0).x()).isEqualTo(one.width() / 2.0);
        assertThat(one.points().get(0).y()).isEqualTo(one.height() / 2.0);
        assertThat(one.sources()).containsExactly("Test");
    }

    @Test
    void withoutPositionsNothingIsDrawnAndEveryPlaceIsCountedAsUnplaced() {
        HotspotMap map = HotspotMap.of(List.of(place(1, 2, null), place(2, 2, null)));
        assertThat(map.points()).isEmpty();
        assertThat(map.unplaced()).isEqualTo(2);
    }
}
