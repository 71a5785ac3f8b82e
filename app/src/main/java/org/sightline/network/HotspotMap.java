package org.sightline.network;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The hotspot places drawn where they are, as a plain SVG without map tiles (issue 10): the places with a known
 * position, projected so that distances look right near the area (longitude shrunk by the cosine of the latitude),
 * north up, fitted to the drawing with a scale bar. The table stays the full account; this only shows where.
 *
 * @param points the places drawn, in rank order
 * @param unplaced how many places in the list have no known position
 * @param scaleKm the length the scale bar stands for, and {@code scaleWidth} its width in the drawing's units
 */
record HotspotMap(List<Point> points, int places, int unplaced, List<String> sources, int scaleKm, double scaleWidth) {

    static final int WIDTH = 640;
    static final int HEIGHT = 420;
    private static final int PAD = 48;

    /** Nearer than this (in degrees) the drawing zooms no further: two points on one street stay apart. */
    private static final double MIN_EXTENT = 0.02;

    private static final double KM_PER_DEGREE = 111.32;

    record Point(Hotspots.Hotspot hotspot, double x, double y, double r) {
        public boolean approximate() {
            return hotspot.position().district();
        }
    }

    public int width() {
        return WIDTH;
    }

    public int height() {
        return HEIGHT;
    }

    public int approximate() {
        return (int) points.stream().filter(Point::approximate).count();
    }

    static HotspotMap of(List<Hotspots.Hotspot> hotspots) {
        List<Hotspots.Hotspot> placed =
                hotspots.stream().filter(h -> h.position() != null).toList();
        List<String> sources = placed.stream()
                .map(h -> h.position().source())
                .distinct()
                .sorted()
                .toList();
        if (placed.isEmpty()) {
            return new HotspotMap(List.of(), hotspots.size(), hotspots.size(), sources, 0, 0);
        }
        double meanLat = placed.stream()
                .mapToDouble(h -> h.position().latitude())
                .average()
                .orElse(0);
        double shrink = Math.cos(Math.toRadians(meanLat));
        double minX = Double.MAX_VALUE, maxX = -Double.MAX_VALUE, minY = Double.MAX_VALUE, maxY = -Double.MAX_VALUE;
        for (Hotspots.Hotspot h : placed) {
            double x = h.position().longitude() * shrink;
            double y = h.position().latitude();
            minX = Math.min(minX, x);
            maxX = Math.max(maxX, x);
            minY = Math.min(minY, y);
            maxY = Math.max(maxY, y);
        }
        double dx = Math.max(maxX - minX, MIN_EXTENT);
        double dy = Math.max(maxY - minY, MIN_EXTENT);
        double scale = Math.min((WIDTH - 2 * PAD) / dx, (HEIGHT - 2 * PAD) / dy);
        double cx = (minX + maxX) / 2;
        double cy = (minY + maxY) / 2;
        // Places at one position (often: one district's centre) are set around it in a small ring, not on top.
        Map<String, Integer> seen = new HashMap<>();
        Map<String, Long> sharing = new HashMap<>();
        placed.forEach(h -> sharing.merge(key(h), 1L, Long::sum));
        List<Point> points = new ArrayList<>();
        for (Hotspots.Hotspot h : placed) {
            double x = WIDTH / 2.0 + (h.position().longitude() * shrink - cx) * scale;
            double y = HEIGHT / 2.0 - (h.position().latitude() - cy) * scale;
            long together = sharing.get(key(h));
            if (together > 1) {
                int i = seen.merge(key(h), 1, Integer::sum) - 1;
                double angle = 2 * Math.PI * i / together;
                x += 18 * Math.cos(angle);
                y += 18 * Math.sin(angle);
            }
            double r = Math.min(24, 10 + 3 * Math.sqrt(h.children() - 1.0));
            points.add(new Point(h, round(x), round(y), round(r)));
        }
        // A scale bar of a round length near a fifth of the width.
        double kmPerUnit = KM_PER_DEGREE / scale;
        int km = 1;
        for (int candidate : new int[] {1, 2, 5, 10, 20, 50, 100, 200}) {
            if (candidate / kmPerUnit <= WIDTH / 4.0) {
                km = candidate;
            }
        }
        return new HotspotMap(
                List.copyOf(points),
                hotspots.size(),
                hotspots.size() - placed.size(),
                sources,
                km,
                round(km / kmPerUnit));
    }

    private static String key(Hotspots.Hotspot h) {
        return h.position().latitude() + "," + h.position().longitude();
    }

    private static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }
}
